import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `<output>/.syllabus-records`: the build cache's page records, one after another. A rebuild
/// appends the records of the pages it parsed and leaves the others where they are, so a
/// one-note change writes a few kilobytes instead of the whole cache (rewriting megabytes,
/// into a file the kernel must find fresh pages for, was a fifth of such a rebuild). The
/// file is written anew, without the records no page uses, once those are half of it.
///
/// Its header names it with a random id that the cache index records: an index never reads
/// records of another file. Bytes appended by a build that then failed are never referenced.
/// The file holds nothing but the records: where each one is and the checksum of its bytes
/// (`Checksum`) are in the index, so a record damaged on disk is noticed when it is read.
struct RecordStore {
    static let fileName = ".syllabus-records"
    static let magic = "syllabus-records 1"

    /// Where one record is in the file, and the `Checksum` of its bytes as written.
    struct Location: Equatable {
        var offset: Int
        var length: Int
        var checksum: UInt64

        /// Where `bytes`, written at `offset`, are.
        init(offset: Int, bytes: ArraySlice<UInt8>) {
            (self.offset, length, checksum) = (offset, bytes.count, Checksum.of(bytes))
        }

        /// A place as the index records it.
        init(offset: Int, length: Int, checksum: UInt64) {
            (self.offset, self.length, self.checksum) = (offset, length, checksum)
        }
    }

    let id: String
    /// The file's header (its magic and id): the records are read once, by `read`, and then
    /// kept decoded.
    let header: [UInt8]
    /// The file's length in bytes.
    let length: Int

    private init(id: String, header: [UInt8], length: Int) {
        self.id = id
        self.header = header
        self.length = length
    }

    /// Reads the records at `locations` from the store in `outputRoot` whose header carries
    /// `id`, and hands a reader of each record's bytes (with its index in `locations`) to
    /// `decode`, on every core, a run of records that lie together in the file per task. When
    /// `mapping`, the file is mapped, not read (see `StoredBytes`): what a record keeps
    /// undecoded stays in the mapping. A record whose place is not in the file, or whose bytes
    /// do not have the checksum the location names (the file was damaged), is given no reader.
    /// - Returns: the store, with its header alone (as a session keeps it: compacting encodes
    ///   its records again), and what `decode` returned for each location in order; nil when
    ///   the file is missing or is another store.
    static func read<Record>(in outputRoot: URL, id: String, at locations: [Location], mapping: Bool = true,
                             decode: (_ index: Int, _ record: ByteReader?) -> Record) -> (store: RecordStore, records: [Record])? {
        var expected = ByteWriter()
        expected.string(magic)
        expected.string(id)
        let header = expected.bytes
        guard let file = StoredBytes(path: outputRoot.appendingPathComponent(fileName).path, mapping: mapping), file.bytes.count >= header.count,
              file.bytes.prefix(header.count).elementsEqual(header) else {
            return nil
        }
        let size = file.bytes.count
        // Subtracted, not added: the numbers come from a file and may be anything.
        let inFile = locations.indices.filter { index in
            let location = locations[index]
            return location.offset >= header.count && location.length >= 0 && location.offset <= size
                && location.length <= size - location.offset
        }.sorted { locations[$0].offset < locations[$1].offset }
        // Runs of about equal size, a few per core so that uneven ones balance out, each read
        // front to back.
        let total = inFile.reduce(0) { $0 + locations[$1].length }
        let target = max(1, min(total / (4 * ProcessInfo.processInfo.activeProcessorCount), 1 << 19))
        var runs: [Range<Int>] = []
        var start = 0, bytes = 0
        for position in inFile.indices {
            bytes += locations[inFile[position]].length
            if bytes >= target || position == inFile.count - 1 {
                runs.append(start..<(position + 1))
                (start, bytes) = (position + 1, 0)
            }
        }
        let decoded = parallelMap(runs.count) { run -> [(index: Int, record: Record)] in
            inFile[runs[run]].map { index in
                let location = locations[index]
                let range = location.offset..<(location.offset + location.length)
                let intact = Checksum.of(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: file.bytes[range]))) == location.checksum
                return (index, decode(index, intact ? ByteReader(file, range) : nil))
            }
        }
        var records: [Record?] = Array(repeating: nil, count: locations.count)
        for (index, record) in decoded.joined() { records[index] = record }
        let outside = Set(locations.indices).subtracting(inFile)
        for index in outside { records[index] = decode(index, nil) }
        return (RecordStore(id: id, header: header, length: size), records.map { $0! })
    }

    /// Stores `records` (each given by where `previous` holds it, or by its bytes) and returns
    /// the store's id and where each record is now, and the store as the file now is: its
    /// header and length only, for a process that keeps the decoded records in memory
    /// (`BuildSession`) and so needs no copy of their bytes. Writing anew encodes the kept
    /// records again.
    static func save(_ records: [Stored], previous: RecordStore?, in outputRoot: URL) throws -> (locations: [Location], store: RecordStore) {
        let live = records.reduce(0) { $0 + $1.length }
        let added = records.reduce(0) { $0 + ($1.location == nil ? $1.length : 0) }
        if let previous, previous.length + added <= 2 * live,
           let (appended, locations) = try previous.append(records, in: outputRoot) {
            return (locations, RecordStore(id: previous.id, header: previous.header, length: previous.length + appended))
        }
        return try rewrite(records, in: outputRoot)
    }

    /// A record to store: kept where it is (with a way to encode it again), or new bytes.
    enum Stored {
        case kept(Location, encode: () -> [UInt8])
        case new([UInt8])

        var location: Location? { if case .kept(let location, _) = self { location } else { nil } }
        var length: Int {
            switch self {
            case .kept(let location, _): location.length
            case .new(let bytes): bytes.count
            }
        }
    }

    /// Appends the new records to this store's file and returns how many bytes it appended;
    /// nil when the file on disk is no longer this store (another build replaced it), so the
    /// caller writes a new one.
    private func append(_ records: [Stored], in outputRoot: URL) throws -> (count: Int, locations: [Location])? {
        let path = outputRoot.appendingPathComponent(Self.fileName).path
        let descriptor = open(path, O_RDWR | O_APPEND)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var found = [UInt8](repeating: 0, count: header.count)
        guard pread(descriptor, &found, found.count, 0) == found.count, found == header,
              lseek(descriptor, 0, SEEK_END) == length else { return nil }
        var appended = ByteWriter()
        let locations = records.map { record -> Location in
            switch record {
            case .kept(let location, _): return location
            case .new(let encoded):
                defer { appended.raw(encoded[...]) }
                return Location(offset: length + appended.bytes.count, bytes: encoded[...])
            }
        }
        guard appended.bytes.withUnsafeBytes({ writeAll(descriptor, $0) }) else {
            throw BuildCacheFailure(path: path, reason: String(cString: strerror(errno)))
        }
        return (appended.bytes.count, locations)
    }

    private static func rewrite(_ records: [Stored], in outputRoot: URL) throws -> (locations: [Location], store: RecordStore) {
        let id = String(UInt64.random(in: .min ... .max), radix: 16)
        var header = ByteWriter()
        header.string(magic)
        header.string(id)
        // A kept record is encoded again, on every core: the same bytes as when it was read
        // (`RecordCodingTests`).
        let encoded = parallelMap(records.count) { index -> ArraySlice<UInt8> in
            switch records[index] {
            case .kept(_, let encode): encode()[...]
            case .new(let bytes): bytes[...]
            }
        }
        var offset = header.bytes.count
        let locations = encoded.map { record -> Location in
            defer { offset += record.count }
            return Location(offset: offset, bytes: record)
        }
        let chunks = [header.bytes[...]] + encoded
        try BuildCacheFailure.wrapping { try writeReplacing(outputRoot.appendingPathComponent(fileName), chunks: chunks) }
        return (locations, RecordStore(id: id, header: header.bytes, length: offset))
    }
}
