import Foundation

/// What a successful build leaves for the next one (`<output>/.syllabus-cache`, an index over
/// the records in `RecordStore`): the facts of every page, keyed by a hash of the page's
/// source and everything its analysis read, and the key each generated file was made from. A
/// rebuild parses only the files whose key changed and renders only the outputs whose key
/// changed; the rest is taken from here and from the previous output. Anything unreadable
/// here just means a full build. The index ends with the `Checksum` of the bytes before it,
/// and names the checksum of every record, so a damaged file is never read as a cache.
struct BuildCache {
    static let fileName = ".syllabus-cache"
    static let magic = "syllabus-cache 27"

    /// The environment key (configuration, catalog, tool) the records were made under: with
    /// another one no record can be used, so none is read.
    var environmentKey = ""
    /// The link stage's `targetsKey` when the records' links were decided.
    var targetsKey = ""
    /// When the build that wrote the cache started (nanoseconds since 1970), and the stamp of
    /// each source file it read then.
    var startedAt = 0
    var stamps: [String: FileStamp] = [:]

    /// What the cache keeps of one note: its facts, and what the link stage decided for it in
    /// the build that wrote the record (valid while no note was added, removed, moved or had
    /// its headings changed: see `Linker.link`). Stored by hand (`RecordCoded`).
    struct NoteRecord {
        /// The facts and links, shared by every copy of the record: the table of records is
        /// copied whenever a build changes a record of it, and the facts hold some twenty
        /// references that a copy of each would retain.
        private final class Contents: Sendable {
            let facts: NoteFacts
            let links: NoteLinks

            init(facts: NoteFacts, links: NoteLinks) {
                self.facts = facts
                self.links = links
            }
        }

        private let contents: Contents
        var facts: NoteFacts { contents.facts }
        var links: NoteLinks { contents.links }
        /// Where the record was read from in `store`; it stays there while it is unchanged.
        var location: RecordStore.Location?

        func write(to writer: inout ByteWriter) {
            facts.write(to: &writer)
            links.write(to: &writer)
        }

        /// `displayPath` is the note's file as diagnostics name it in this build; `id` and
        /// `contentKey`, what the index says of the record (taken when the record's are equal).
        /// - Throws: `ByteReader.Malformed` when the bytes are not a record.
        init(reading reader: inout ByteReader, displayPath: String, id: String = "", contentKey: String = "") throws {
            var note = RecordNote(displayPath: displayPath, id: id, contentKey: contentKey)
            let facts = try NoteFacts(reading: &reader, filling: &note)
            contents = Contents(facts: facts, links: try NoteLinks(reading: &reader, in: note))
        }

        init(facts: NoteFacts, links: NoteLinks) {
            contents = Contents(facts: facts, links: links)
        }
    }

    /// A generated file: the key of its inputs, and its size and modification time when it was
    /// written, so a file changed by hand since is made again.
    struct OutputStamp: Equatable {
        var key: String
        var size: Int
        var modified: Int
        /// Keys of parts a renderer can take back from the file (see `OutputFile.parts`).
        var parts: [String: String] = [:]
    }

    /// What the index says of a page without its record being decoded: all the load stage and
    /// the up-to-date check read of the cache (see `readRecords`).
    struct PageEntry: Equatable {
        /// The page's `NoteFacts.contentKey`.
        var contentKey: String
        /// The files beside the notes that it shows or links to (`LocalFiles.path(of:from:)`).
        var localFiles: [String]

        init(contentKey: String, localFiles: [String]) {
            self.contentKey = contentKey
            self.localFiles = localFiles
        }

        init(_ facts: NoteFacts) {
            contentKey = facts.contentKey
            localFiles = facts.linkFacts.references.filter(\.isLocalFile).compactMap { LocalFiles.path(of: $0.url, from: facts.id) }
        }
    }

    /// Every page's entry, by id; `pages` holds the records of the same ids once read.
    var entries: [String: PageEntry] = [:]
    var pages: [String: NoteRecord] = [:]
    var outputs: [String: OutputStamp] = [:]
    /// What the classify and link stages worked out over all of the records' notes, when their
    /// checks found nothing (see `SetAnalysis`).
    var analysis: SetAnalysis?
    /// The records file the records were read from.
    var store: RecordStore?
    /// The id of the records file the index names and, in the index's order, each page whose
    /// record is not read yet, where that record is and the content key the index gives it
    /// (see `readRecords`).
    private var unread: (storeID: String, records: [(id: String, location: RecordStore.Location, contentKey: String)])?

    init() {}

    /// The cache of a build: `previous` supplies the records of pages it did not parse.
    /// `kept` is what a session kept of the build that made `previous` (see `BuildSession`):
    /// when no page came or went and where links go did not change, the records of its pages
    /// that this build took as they were are taken without a look, so the cost is that of the
    /// pages that changed.
    init(environmentKey: String, targetsKey: String, startedAt: Int, files: [FoundFile], set: LinkedStudySet, previous: BuildCache,
         kept: KeptAnalysis? = nil, outputs: [String: OutputStamp]) {
        self.environmentKey = environmentKey
        self.targetsKey = targetsKey
        self.startedAt = startedAt
        self.outputs = outputs
        analysis = SetAnalysis(set)
        store = previous.store
        stamps.reserveCapacity(files.count)
        for file in files { stamps[file.source.relativePath] = file.stamp }
        let allPages = set.studySet.allPages
        if let kept, targetsKey == previous.targetsKey, allPages.count == previous.pages.count,
           allPages.count == kept.pages.count, allPages.allSatisfy({ kept.pages[$0.id] != nil }) {
            // Each kept page's record holds its facts, and links made from the same targets.
            pages = previous.pages
            entries = previous.entries
            for page in allPages where kept.pages[page.id] !== page {
                pages[page.id] = NoteRecord(facts: page.facts, links: set.links(of: page))
                entries[page.id] = PageEntry(contentKey: page.contentKey, localFiles: page.localFilePaths)
            }
            return
        }
        // Sized at once, as when the index is read (see `init(reading:environmentKey:)`).
        pages.reserveCapacity(allPages.count)
        entries.reserveCapacity(allPages.count)
        for page in allPages {
            let links = set.links(of: page)
            if let record = previous.pages[page.id], record.facts.contentKey == page.contentKey, record.links.renderKey == links.renderKey {
                self.pages[page.id] = record
            } else {
                self.pages[page.id] = NoteRecord(facts: page.facts, links: links)
            }
            // What a page's entry holds follows from its facts, so from its content key.
            if let entry = previous.entries[page.id], entry.contentKey == page.contentKey {
                entries[page.id] = entry
            } else {
                entries[page.id] = PageEntry(contentKey: page.contentKey, localFiles: page.localFilePaths)
            }
        }
    }

    /// True when the file at `path` is known unchanged: its stamp is the one recorded, and its
    /// last change is over a second older than the recorded build, so no write could have
    /// landed in the same clock tick as that build's read.
    func knows(_ path: String, _ stamp: FileStamp) -> Bool {
        // `index(forKey:)`: this runs for every note.
        stamps[path] == stamp && entries.index(forKey: path) != nil && stamp.changed < startedAt - 1_000_000_000
    }

    /// The index in `outputRoot` if it was written under `environmentKey`, else an empty cache.
    /// Its records are not read yet (see `readRecords`): a build that finds nothing changed
    /// needs only the index, and reading and decoding the records (megabytes for a large set)
    /// was most of such a build.
    static func load(from outputRoot: URL, environmentKey: String) -> BuildCache {
        guard let file = StoredBytes(path: outputRoot.appendingPathComponent(fileName).path),
              let length = Checksum.checkedLength(of: UnsafeRawBufferPointer(file.bytes)) else {
            return BuildCache()
        }
        var reader = ByteReader(file, 0..<length)
        return (try? BuildCache(reading: &reader, environmentKey: environmentKey)) ?? BuildCache()
    }

    /// The cache in `outputRoot` with its records read, or an empty one (see `load` and
    /// `readRecords`).
    static func load(from outputRoot: URL, environmentKey: String, displayPath: (String) -> String) -> BuildCache {
        var cache = load(from: outputRoot, environmentKey: environmentKey)
        return cache.readRecords(in: outputRoot, displayPath: displayPath) ? cache : BuildCache()
    }

    /// True when `load` left records to read (`readRecords`).
    var hasUnreadRecords: Bool { unread != nil }

    /// Reads and decodes (on every core, a run of records per task) the records `load` left unread. `displayPath` names a
    /// note's file (by its path in the content folder) in diagnostics.
    /// - Returns: false when the records file is missing, another than the index names, or any
    ///   record in it is not what the index says (its bytes' checksum, its note, its content
    ///   key): the cache is then empty, and whatever the build took from its index must be
    ///   taken anew. The rest of a page's entry (the files beside it that it uses) is not made
    ///   again from the record to be compared: both were written together, and the checksums
    ///   tell a damaged file (making them again was a tenth of reading the records).
    mutating func readRecords(in outputRoot: URL, mapping: Bool = true, displayPath: (String) -> String) -> Bool {
        guard let unread else { return true }
        self.unread = nil
        let encoded = unread.records
        let read = RecordStore.read(in: outputRoot, id: unread.storeID, at: encoded.map(\.location), mapping: mapping) { index, reader -> NoteRecord? in
            guard var recordReader = reader else { return nil }
            let (id, contentKey) = (encoded[index].id, encoded[index].contentKey)
            guard var record = try? NoteRecord(reading: &recordReader, displayPath: displayPath(id), id: id, contentKey: contentKey),
                  record.facts.id == id, recordReader.isAtEnd, record.facts.contentKey == contentKey else { return nil }
            record.location = encoded[index].location
            return record
        }
        guard let (store, records) = read, records.allSatisfy({ $0 != nil }) else {
            self = BuildCache()
            return false
        }
        self.store = store
        pages.reserveCapacity(records.count)
        for (entry, record) in zip(encoded, records) { pages[entry.id] = record! }
        return true
    }

    /// Stores the records that changed, then the index that points to them.
    /// - Throws: `BuildCacheFailure` when a file cannot be written.
    func save(in outputRoot: URL) throws {
        _ = try store(in: outputRoot)
    }

    /// `save(in:)`, then the cache as `load` would now read it (every record's place known; the
    /// store without its records' bytes, which are decoded here), for a process that builds
    /// again (`BuildSession`). A one-shot build does not make it: setting every record's place
    /// copies the table of records.
    /// - Throws: `BuildCacheFailure` when a file cannot be written.
    func saveForSession(in outputRoot: URL) throws -> BuildCache {
        let (ids, locations, saved) = try store(in: outputRoot)
        var cache = self
        cache.store = saved
        for (id, location) in zip(ids, locations) { cache.pages[id]?.location = location }
        return cache
    }

    /// The records that changed, stored, and the index encoded up to the output files' stamps:
    /// all of a save that does not need `outputs` (see `savingRecords(in:)`).
    struct SavedRecords {
        /// The pages' ids in the index's order.
        let ids: [String]
        /// Where each one's record is now.
        let locations: [RecordStore.Location]
        /// The records file as it now is.
        let store: RecordStore
        /// The index's bytes before the output files' stamps.
        let head: ByteWriter
    }

    /// Stores the records that changed and encodes the index up to the output files' stamps,
    /// before `outputs` is known; `save(in:after:)` then writes the index. Records appended to
    /// the file are referenced by no index until then: a build that fails between the two
    /// leaves the cache as it was (a records file written anew instead, which the old index
    /// does not name, makes the next build read every note).
    /// - Throws: `BuildCacheFailure` when a file cannot be written.
    func savingRecords(in outputRoot: URL) throws -> SavedRecords {
        let ids = pages.keys.sorted()
        // Encoded in parallel: after a full build that is every record.
        let records = parallelMap(ids.count) { index -> RecordStore.Stored in
            let record = pages[ids[index]]!
            let encode = {
                var writer = ByteWriter()
                record.write(to: &writer)
                // Copied to its own size: the writer's array grew by doubling, and after a full
                // build every record is held at once, at the end of the build (19 MB for 2,000 notes).
                let bytes = writer.bytes
                return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                    count = buffer.initialize(fromContentsOf: bytes)
                }
            }
            if let location = record.location { return .kept(location, encode: encode) }
            return .new(encode())
        }
        let (locations, saved) = try RecordStore.save(records, previous: store, in: outputRoot)
        var head = ByteWriter()
        writePages(to: &head, ids: ids, storeID: saved.id, locations: locations)
        return SavedRecords(ids: ids, locations: locations, store: saved, head: head)
    }

    /// Writes the index that `records` (this cache's, from `savingRecords(in:)`) began, with
    /// `outputs` as they now are.
    /// - Throws: `BuildCacheFailure` when the file cannot be written.
    func save(in outputRoot: URL, after records: SavedRecords) throws {
        var writer = records.head
        writeOutputs(to: &writer)
        Checksum.seal(&writer)
        try BuildCacheFailure.wrapping { try writeReplacing(outputRoot.appendingPathComponent(Self.fileName), writer.bytes) }
    }

    /// Writes the records that changed and the index; returns the pages' ids in the index's
    /// order, where each one's record is now, and the records file as it now is.
    private func store(in outputRoot: URL) throws -> (ids: [String], locations: [RecordStore.Location], store: RecordStore) {
        let records = try savingRecords(in: outputRoot)
        try save(in: outputRoot, after: records)
        return (records.ids, records.locations, records.store)
    }

    // MARK: Format

    private func writePages(to writer: inout ByteWriter, ids: [String], storeID: String, locations: [RecordStore.Location]) {
        writer.string(Self.magic)
        writer.string(environmentKey)
        writer.string(targetsKey)
        writer.int(startedAt)
        writer.string(storeID)
        writer.int(ids.count)
        for (id, location) in zip(ids, locations) {
            writer.string(id)
            let stamp = stamps[id] ?? FileStamp(size: -1, modified: 0, changed: 0, inode: 0)
            for value in [stamp.size, stamp.modified, stamp.changed, stamp.inode] { writer.int(value) }
            writer.int(location.offset)
            writer.int(location.length)
            writer.int(Int(truncatingIfNeeded: location.checksum))
            let entry = entries[id] ?? PageEntry(pages[id]!.facts)
            writer.string(entry.contentKey)
            writer.int(entry.localFiles.count)
            for path in entry.localFiles { writer.string(path) }
        }
    }

    private func writeOutputs(to writer: inout ByteWriter) {
        writer.int(outputs.count)
        for (path, stamp) in outputs.sorted(by: { $0.key < $1.key }) {
            writer.string(path)
            writer.string(stamp.key)
            writer.int(stamp.size)
            writer.int(stamp.modified)
            writer.int(stamp.parts.count)
            for (name, key) in stamp.parts.sorted(by: { $0.key < $1.key }) {
                writer.string(name)
                writer.string(key)
            }
        }
        writer.bool(analysis != nil)
        analysis?.write(to: &writer)
    }

    /// The index alone; `readRecords` reads the records it points to.
    private init(reading reader: inout ByteReader, environmentKey: String) throws {
        guard try reader.string() == Self.magic, try reader.string() == environmentKey else { throw ByteReader.Malformed() }
        self.environmentKey = environmentKey
        targetsKey = try reader.string()
        startedAt = try reader.int()
        var unread = (storeID: try reader.string(), records: [(id: String, location: RecordStore.Location, contentKey: String)]())
        // Sized at once: grown one note at a time, the tables were rehashed a dozen times, a
        // third of what every build (an up-to-date one too) spends reading the index.
        let pageCount = try reader.count()
        stamps.reserveCapacity(pageCount)
        entries.reserveCapacity(pageCount)
        unread.records.reserveCapacity(pageCount)
        for _ in 0..<pageCount {
            let id = try reader.string()
            stamps[id] = FileStamp(size: try reader.int(), modified: try reader.int(), changed: try reader.int(), inode: try reader.int())
            let location = RecordStore.Location(offset: try reader.int(), length: try reader.int(),
                                                checksum: UInt64(truncatingIfNeeded: try reader.int()))
            let contentKey = try reader.string()
            unread.records.append((id, location, contentKey))
            entries[id] = PageEntry(contentKey: contentKey, localFiles: try (0..<(try reader.count())).map { _ in try reader.string() })
        }
        let outputCount = try reader.count()
        outputs.reserveCapacity(outputCount)
        for _ in 0..<outputCount {
            let path = try reader.string()
            var stamp = OutputStamp(key: try reader.string(), size: try reader.int(), modified: try reader.int())
            let partCount = try reader.count()
            // Sized at once: the search index's stamp names some 2,000 parts.
            stamp.parts.reserveCapacity(partCount)
            for _ in 0..<partCount {
                let name = try reader.string()
                stamp.parts[name] = try reader.string()
            }
            outputs[path] = stamp
        }
        if try reader.bool() { analysis = try SetAnalysis(reading: &reader) }
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
        self.unread = unread
    }
}

/// The build cache could not be saved. The build's outputs are already in place; the next
/// build finds no usable cache and builds everything.
struct BuildCacheFailure: Error, CustomStringConvertible {
    /// The cache file that could not be written.
    let path: String
    /// What the system said (`strerror`).
    let reason: String

    /// `cannot save the build cache PATH: REASON`, as the CLI prints it.
    var description: String { "cannot save the build cache \(path): \(reason)" }

    /// Runs `body`, reporting a failed file write as a failure of the cache.
    static func wrapping(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let failure as FileWriteFailure {
            throw BuildCacheFailure(path: failure.path, reason: failure.reason)
        }
    }
}
