import Foundation

/// What a successful build leaves for the next one (`<output>/.syllabus-cache`, an index over
/// the records in `RecordStore`): the facts of every page, keyed by a hash of the page's
/// source and everything its analysis read, and the key each generated file was made from. A
/// rebuild parses only the files whose key changed and renders only the outputs whose key
/// changed; the rest is taken from here and from the previous output. Anything unreadable
/// here just means a full build.
struct BuildCache {
    static let fileName = ".syllabus-cache"
    static let magic = "syllabus-cache 13"

    /// The environment key (configuration, catalog, tool) the records were made under: with
    /// another one no record can be used, so none is read.
    var environmentKey = ""
    /// The link stage's `targetsKey` when the records' links were decided.
    var targetsKey = ""
    /// When the build that wrote the cache started (nanoseconds since 1970), and the stamp of
    /// each source file it read then.
    var startedAt = 0
    var stamps: [String: FileStamp] = [:]

    /// A page's facts as the cache holds them; `page(…)` makes the `Page` again.
    struct PageRecord {
        var contentKey: String
        var title: String
        var serviceID: String
        var extraServiceIDs: [String]
        var tags: [String]
        var order: Int
        var slug: String
        var headings: [Heading]
        var anchors: [String]
        var isLanding: Bool
        var outline: [OutlineEntry]
        var isCardsFile: Bool
        var provenance: Provenance
        var cards: [Card]
        var questions: [Question]
        var linkFacts: PageLinkFacts
        var diagnostics: [(severity: Severity, message: String, line: Int, column: Int)]
        /// What the link stage decided (see `Page.cachedLinks`).
        var targets: [LinkTarget]
        var resolved: [Bool]
        var renderKey: String
        /// The link stage's warnings about the page's links, messages and places.
        var linkWarnings: [(message: String, line: Int, column: Int)]
        /// Where the record was read from in `store`; it stays there while it is unchanged.
        var location: RecordStore.Location?
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

    var pages: [String: PageRecord] = [:]
    var outputs: [String: OutputStamp] = [:]
    /// The records file the records were read from.
    var store: RecordStore?

    init() {}

    /// The cache of a build: `previous` supplies the records of pages it did not parse.
    init(environmentKey: String, targetsKey: String, startedAt: Int, files: [FoundFile], pages: [Page], previous: BuildCache,
         outputs: [String: OutputStamp]) {
        self.environmentKey = environmentKey
        self.targetsKey = targetsKey
        self.startedAt = startedAt
        for file in files { stamps[file.source.relativePath] = file.stamp }
        for page in pages {
            if let record = previous.pages[page.id], record.contentKey == page.contentKey, record.renderKey == page.renderKey {
                self.pages[page.id] = record
            } else {
                self.pages[page.id] = PageRecord(page)
            }
        }
        self.outputs = outputs
        store = previous.store
    }

    /// True when the file at `path` is known unchanged: its stamp is the one recorded, and its
    /// last change is over a second older than the recorded build, so no write could have
    /// landed in the same clock tick as that build's read.
    func knows(_ path: String, _ stamp: FileStamp) -> Bool {
        stamps[path] == stamp && pages[path] != nil && stamp.changed < startedAt - 1_000_000_000
    }

    static func load(from outputRoot: URL, environmentKey: String) -> BuildCache {
        guard let bytes = readWholeFile(outputRoot.appendingPathComponent(fileName).path) else { return BuildCache() }
        var reader = ByteReader(bytes[...])
        return (try? BuildCache(reading: &reader, environmentKey: environmentKey, outputRoot: outputRoot)) ?? BuildCache()
    }

    /// Stores the records that changed, then the index that points to them.
    func save(in outputRoot: URL) throws {
        let ids = pages.keys.sorted()
        // Encoded in parallel: after a full build that is every record.
        let records = parallelMap(ids.count) { index -> RecordStore.Stored in
            let record = pages[ids[index]]!
            if let location = record.location { return .kept(location) }
            var writer = ByteWriter()
            record.write(to: &writer)
            return .new(writer.bytes)
        }
        let (storeID, locations) = try RecordStore.save(records, previous: store, in: outputRoot)
        var writer = ByteWriter()
        write(to: &writer, ids: ids, storeID: storeID, locations: locations)
        try writeReplacing(outputRoot.appendingPathComponent(Self.fileName), writer.bytes)
    }

    // MARK: Format

    private func write(to writer: inout ByteWriter, ids: [String], storeID: String, locations: [RecordStore.Location]) {
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
        }
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
    }

    private init(reading reader: inout ByteReader, environmentKey: String, outputRoot: URL) throws {
        guard try reader.string() == Self.magic, try reader.string() == environmentKey else { throw ByteReader.Malformed() }
        self.environmentKey = environmentKey
        targetsKey = try reader.string()
        startedAt = try reader.int()
        guard let store = RecordStore.read(in: outputRoot, id: try reader.string()) else { throw ByteReader.Malformed() }
        self.store = store
        var encoded: [(id: String, location: RecordStore.Location)] = []
        for _ in 0..<(try reader.count()) {
            let id = try reader.string()
            stamps[id] = FileStamp(size: try reader.int(), modified: try reader.int(), changed: try reader.int(), inode: try reader.int())
            encoded.append((id, RecordStore.Location(offset: try reader.int(), length: try reader.int())))
        }
        // Decoded in parallel: each record's place is known.
        let records = parallelMap(encoded.count) { index -> PageRecord? in
            guard let bytes = store.record(at: encoded[index].location) else { return nil }
            var recordReader = ByteReader(bytes)
            guard var record = try? PageRecord(reading: &recordReader), recordReader.isAtEnd else { return nil }
            record.location = encoded[index].location
            return record
        }
        for (entry, record) in zip(encoded, records) {
            guard let record else { throw ByteReader.Malformed() }
            pages[entry.id] = record
        }
        for _ in 0..<(try reader.count()) {
            let path = try reader.string()
            var stamp = OutputStamp(key: try reader.string(), size: try reader.int(), modified: try reader.int())
            for _ in 0..<(try reader.count()) {
                let name = try reader.string()
                stamp.parts[name] = try reader.string()
            }
            outputs[path] = stamp
        }
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
    }
}

extension BuildCache.PageRecord {
    init(_ page: Page) {
        contentKey = page.contentKey
        title = page.title
        serviceID = page.serviceID
        extraServiceIDs = page.extraServiceIDs
        tags = page.tags
        order = page.order
        slug = page.slug
        headings = page.headings
        anchors = page.anchors
        isLanding = page.isLanding
        outline = page.outline
        isCardsFile = page.isCardsFile
        provenance = page.provenance
        cards = page.cards
        questions = page.questions
        linkFacts = page.linkFacts
        diagnostics = page.ownDiagnostics.map { ($0.severity, $0.message, $0.location.line, $0.location.column) }
        targets = page.targets
        resolved = page.resolvedReferences
        renderKey = page.renderKey
        linkWarnings = page.linkWarnings.map { ($0.message, $0.location.line, $0.location.column) }
        location = nil
    }

    /// The page these facts describe; `reload` parses it again when a renderer needs its tree.
    func page(source: SourceFile, reload: @escaping (Page) -> PageContent) -> Page {
        let page = Page(id: source.relativePath, source: source, title: title, serviceID: serviceID,
                        extraServiceIDs: extraServiceIDs, tags: tags, order: order, slug: slug, headings: headings,
                        anchors: anchors, isLanding: isLanding, outline: outline, isCardsFile: isCardsFile, provenance: provenance,
                        contentKey: contentKey, content: nil, reload: reload)
        page.cards = cards.map { card in
            var card = card
            card.pageID = page.id
            card.serviceID = serviceID
            card.tags = tags + card.ownTags
            card.location.path = source.displayPath
            return card
        }
        page.questions = questions.map { question in
            var question = question
            question.pageID = page.id
            question.serviceID = serviceID
            question.location.path = source.displayPath
            question.domainLocation.path = source.displayPath
            return question
        }
        page.linkFacts = linkFacts
        page.cachedLinks = (targets, resolved, renderKey,
                            linkWarnings.map { Diagnostic(.warning, $0.message, at: source.location(line: $0.line, column: $0.column)) })
        page.ownDiagnostics = diagnostics.map { Diagnostic($0.severity, $0.message, at: source.location(line: $0.line, column: $0.column)) }
        return page
    }

    func write(to writer: inout ByteWriter) {
        writer.string(contentKey)
        writer.string(title)
        writer.string(serviceID)
        writer.strings(extraServiceIDs)
        writer.strings(tags)
        writer.int(order)
        writer.string(slug)
        writer.int(headings.count)
        for heading in headings {
            writer.int(heading.level)
            writer.string(heading.text)
            writer.string(heading.id)
            writer.int(heading.line)
        }
        writer.strings(anchors)
        writer.bool(isLanding)
        writer.int(outline.count)
        for entry in outline {
            writer.string(entry.pageID)
            writer.int(entry.depth)
        }
        writer.bool(isCardsFile)
        provenance.write(to: &writer)
        writer.int(cards.count)
        for card in cards {
            writer.string(card.kind.rawValue)
            writer.bool(card.isInline)
            writer.optional(card.pinnedID)
            writer.int(card.index)
            writer.string(card.anchor)
            writer.int(card.location.line)
            writer.int(card.location.column)
            writer.int(card.pinLine)
            writer.string(card.frontText)
            writer.string(card.guid)
            card.ownProvenance.write(to: &writer)
            writer.strings(card.ownTags)
        }
        writer.int(questions.count)
        for question in questions { question.write(to: &writer) }
        writer.int(linkFacts.references.count)
        for reference in linkFacts.references {
            writer.string(reference.url)
            writer.int(reference.line)
            writer.int(reference.column)
            writer.bool(reference.isImage)
        }
        writer.strings(linkFacts.crossLinks)
        writer.int(linkFacts.mentions.count)
        for (service, count) in linkFacts.mentions.sorted(by: { $0.key < $1.key }) {
            writer.string(service)
            writer.int(count)
        }
        let terms = linkFacts.termList.encoded
        writer.int(terms.count)
        writer.raw(terms)
        writer.string(linkFacts.searchText.text)
        writer.int(diagnostics.count)
        for diagnostic in diagnostics {
            writer.string(diagnostic.severity.rawValue)
            writer.string(diagnostic.message)
            writer.int(diagnostic.line)
            writer.int(diagnostic.column)
        }
        writer.int(targets.count)
        for target in targets {
            switch target {
            case let .page(id, fragment):
                writer.int(0)
                writer.string(id)
                writer.optional(fragment)
            case let .service(id):
                writer.int(1)
                writer.string(id)
            case let .file(path, embedded):
                writer.int(2)
                writer.string(path)
                writer.bool(embedded)
            }
        }
        writer.int(resolved.count)
        for flag in resolved { writer.bool(flag) }
        writer.string(renderKey)
        writer.int(linkWarnings.count)
        for warning in linkWarnings {
            writer.string(warning.message)
            writer.int(warning.line)
            writer.int(warning.column)
        }
    }

    init(reading reader: inout ByteReader) throws {
        contentKey = try reader.string()
        title = try reader.string()
        serviceID = try reader.string()
        extraServiceIDs = try reader.strings()
        tags = try reader.strings()
        order = try reader.int()
        slug = try reader.string()
        headings = try (0..<reader.count()).map { _ in
            Heading(level: try reader.int(), text: try reader.string(), id: try reader.string(), line: try reader.int())
        }
        anchors = try reader.strings()
        isLanding = try reader.bool()
        outline = try (0..<reader.count()).map { _ in OutlineEntry(pageID: try reader.string(), depth: try reader.int()) }
        isCardsFile = try reader.bool()
        provenance = try Provenance(reading: &reader)
        cards = try (0..<reader.count()).map { _ in
            guard let kind = Card.Kind(rawValue: try reader.string()) else { throw ByteReader.Malformed() }
            let isInline = try reader.bool()
            let pinnedID = try reader.optional()
            let index = try reader.int()
            let anchor = try reader.string()
            let location = SourceLocation(path: "", line: try reader.int(), column: try reader.int())
            var card = Card(kind: kind, isInline: isInline, pinnedID: pinnedID, serviceID: "", pageID: "", index: index,
                            anchor: anchor, location: location, pinLine: try reader.int(), tags: [], frontText: try reader.string(),
                            guid: try reader.string())
            card.ownProvenance = try Provenance(reading: &reader)
            card.ownTags = try reader.strings()
            return card
        }
        questions = try (0..<reader.count()).map { _ in try Question(reading: &reader) }
        linkFacts = PageLinkFacts()
        linkFacts.references = try (0..<reader.count()).map { _ in
            Reference(url: try reader.string(), line: try reader.int(), column: try reader.int(), isImage: try reader.bool())
        }
        linkFacts.crossLinks = try reader.strings()
        for _ in 0..<(try reader.count()) {
            let service = try reader.string()
            linkFacts.mentions[service] = try reader.int()
        }
        linkFacts.termList = PageTermList(encoded: try reader.bytes(try reader.int()))
        linkFacts.searchText = SearchText(text: try reader.string())
        diagnostics = try (0..<reader.count()).map { _ in
            guard let severity = Severity(rawValue: try reader.string()) else { throw ByteReader.Malformed() }
            return (severity, try reader.string(), try reader.int(), try reader.int())
        }
        targets = try (0..<reader.count()).map { _ in
            switch try reader.int() {
            case 0: return .page(id: try reader.string(), fragment: try reader.optional())
            case 1: return .service(id: try reader.string())
            case 2: return .file(path: try reader.string(), embedded: try reader.bool())
            default: throw ByteReader.Malformed()
            }
        }
        resolved = try (0..<reader.count()).map { _ in try reader.bool() }
        renderKey = try reader.string()
        linkWarnings = try (0..<reader.count()).map { _ in (try reader.string(), try reader.int(), try reader.int()) }
        location = nil
    }
}

extension Provenance {
    func write(to writer: inout ByteWriter) {
        writer.strings(sources)
        writer.optional(checked?.description)
        writer.int(line)
    }

    init(reading reader: inout ByteReader) throws {
        let sources = try reader.strings()
        let checked = try reader.optional()
        guard checked == nil || CheckedDate(checked!) != nil else { throw ByteReader.Malformed() }
        self.init(sources: sources, checked: checked.flatMap(CheckedDate.init), line: try reader.int())
    }
}

extension Question {
    /// The facts of a question; its page, service and file path are the record's.
    func write(to writer: inout ByteWriter) {
        writer.optional(pinnedID)
        writer.string(id)
        writer.int(index)
        writer.string(title)
        writer.string(anchor)
        writer.int(location.line)
        writer.int(location.column)
        writer.int(lastLine)
        writer.optional(domain)
        writer.int(domainLocation.line)
        writer.int(domainLocation.column)
        writer.string(stemText)
        writer.int(options.count)
        for option in options {
            writer.string(option.text)
            writer.bool(option.isCorrect)
        }
        writer.bool(hasExplanation)
    }

    init(reading reader: inout ByteReader) throws {
        pinnedID = try reader.optional()
        id = try reader.string()
        serviceID = ""
        pageID = ""
        index = try reader.int()
        title = try reader.string()
        anchor = try reader.string()
        location = SourceLocation(path: "", line: try reader.int(), column: try reader.int())
        lastLine = try reader.int()
        domain = try reader.optional()
        domainLocation = SourceLocation(path: "", line: try reader.int(), column: try reader.int())
        stemText = try reader.string()
        options = try (0..<reader.count()).map { _ in
            QuestionOption(text: try reader.string(), isCorrect: try reader.bool())
        }
        hasExplanation = try reader.bool()
    }
}
