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
struct RecordStore {
    static let fileName = ".syllabus-records"
    static let magic = "syllabus-records 1"

    /// Where one record is in the file.
    struct Location: Equatable {
        var offset: Int
        var length: Int
    }

    let id: String
    /// The whole file as read; for a store a session keeps (see `save`), its header alone.
    let bytes: [UInt8]
    /// The file's length in bytes.
    let length: Int

    private init(id: String, bytes: [UInt8], length: Int) {
        self.id = id
        self.bytes = bytes
        self.length = length
    }

    /// The store in `outputRoot` if its header carries `id`.
    static func read(in outputRoot: URL, id: String) -> RecordStore? {
        guard let bytes = readWholeFile(outputRoot.appendingPathComponent(fileName).path) else { return nil }
        var reader = ByteReader(bytes[...])
        guard (try? reader.string()) == magic, (try? reader.string()) == id else { return nil }
        return RecordStore(id: id, bytes: bytes, length: bytes.count)
    }

    func record(at location: Location) -> ArraySlice<UInt8>? {
        // Subtracted, not added: the numbers come from a file and may be anything.
        guard location.offset >= 0, location.length >= 0, location.offset <= bytes.count,
              location.length <= bytes.count - location.offset else { return nil }
        return bytes[location.offset..<(location.offset + location.length)]
    }

    /// Stores `records` (each given by where `previous` holds it, or by its bytes) and returns
    /// the store's id and where each record is now, and the store as the file now is: its
    /// header and length only, for a process that keeps the decoded records in memory
    /// (`BuildSession`) and so needs no copy of their bytes. Writing anew takes a kept
    /// record's bytes from `previous`, or, when it has only its header, encodes it again.
    static func save(_ records: [Stored], previous: RecordStore?, in outputRoot: URL) throws -> (locations: [Location], store: RecordStore) {
        let live = records.reduce(0) { $0 + $1.length }
        let added = records.reduce(0) { $0 + ($1.location == nil ? $1.length : 0) }
        if let previous, previous.length + added <= 2 * live,
           let (appended, locations) = try previous.append(records, in: outputRoot) {
            return (locations, RecordStore(id: previous.id, bytes: Array(previous.bytes.prefix(headerLength(previous.id))),
                                           length: previous.length + appended))
        }
        return try rewrite(records, previous: previous, in: outputRoot)
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
        var header = [UInt8](repeating: 0, count: Self.headerLength(id))
        guard pread(descriptor, &header, header.count, 0) == header.count, header == Array(bytes.prefix(header.count)),
              lseek(descriptor, 0, SEEK_END) == length else { return nil }
        var appended = ByteWriter()
        let locations = records.map { record -> Location in
            switch record {
            case .kept(let location, _): return location
            case .new(let encoded):
                defer { appended.raw(encoded[...]) }
                return Location(offset: length + appended.bytes.count, length: encoded.count)
            }
        }
        guard appended.bytes.withUnsafeBytes({ writeAll(descriptor, $0) }) else {
            throw BuildCacheFailure(path: path, reason: String(cString: strerror(errno)))
        }
        return (appended.bytes.count, locations)
    }

    private static func rewrite(_ records: [Stored], previous: RecordStore?, in outputRoot: URL) throws -> (locations: [Location], store: RecordStore) {
        let id = String(UInt64.random(in: .min ... .max), radix: 16)
        var header = ByteWriter()
        header.string(magic)
        header.string(id)
        var chunks = [header.bytes[...]]
        var offset = header.bytes.count
        let locations = records.map { record -> Location in
            defer { offset += record.length }
            switch record {
            // Checked when it was read, if it was read; else encoded again, with the same bytes.
            case .kept(let old, let encode): chunks.append(previous?.record(at: old) ?? encode()[...])
            case .new(let encoded): chunks.append(encoded[...])
            }
            return Location(offset: offset, length: record.length)
        }
        try BuildCacheFailure.wrapping { try writeReplacing(outputRoot.appendingPathComponent(fileName), chunks: chunks) }
        return (locations, RecordStore(id: id, bytes: Array(header.bytes), length: offset))
    }

    private static func headerLength(_ id: String) -> Int {
        var writer = ByteWriter()
        writer.string(magic)
        writer.string(id)
        return writer.bytes.count
    }
}
