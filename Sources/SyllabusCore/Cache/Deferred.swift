import Foundation

/// A part of a note's cache record that a rebuild reads for few notes (a note's headings and
/// anchors, what its links and prose name, where its links went): read from the cache, it is
/// kept as the record's bytes (`StoredSlice`, in the mapped file) and decoded the first time
/// it is asked for, on whichever thread asks first. A one-note rebuild of the 2,075-file
/// benchmark corpus made 190,000 strings and 12,000 arrays and tables of these parts, for
/// every cached note, and read those of a few dozen notes.
///
/// In the record it is a count of bytes, then the value's bytes (as `BinaryBlob`), so reading
/// a record steps over it. Those bytes passed the record's checksum (`RecordStore.read`), so
/// they are what a build wrote; should they still not decode (a writer whose format changed
/// without a new `BuildCache.magic`, or a defect), the value reads as empty and is counted in
/// `UndecodableRecords`, and the build that read it starts again without the cache
/// (`Pipeline.build(session:pagesLive:abandons:)`). Decoding every value as the record is read,
/// to find such bytes there, would cost what deferring saves.
final class Deferred<Value: DeferredValue>: @unchecked Sendable, BinaryBlob {
    /// Set at once for a value made by this build; set under `DeferredLocks` on first use
    /// otherwise, and never changed after.
    private var made: Value?
    private let stored: StoredSlice?

    /// A value made by this build.
    init(_ value: Value) {
        made = value
        stored = nil
    }

    /// The value that `bytes` encode, decoded on first use.
    init(stored bytes: StoredSlice) {
        made = nil
        stored = bytes
    }

    /// The value, decoded now if it was not yet.
    var value: Value {
        guard stored != nil else { return made! }
        return DeferredLocks.lock(for: self).withLock {
            if let made { return made }
            let value: Value
            do {
                value = try decoded()
            } catch {
                UndecodableRecords.count()
                value = Value()
            }
            made = value
            return value
        }
    }

    /// The value decoded from the stored bytes (or the value made by this build).
    /// - Throws: `ByteReader.Malformed` when the bytes are not a `Value`.
    func decoded() throws -> Value {
        guard let stored else { return made! }
        var reader = ByteReader(stored.storage, stored.range)
        let value = try Value(reading: &reader, in: RecordNote(displayPath: ""))
        guard reader.isAtEnd else { throw ByteReader.Malformed() }
        return value
    }

    /// Appends the count of bytes, then the bytes: those read, as they are, or the value's.
    func write(to writer: inout ByteWriter) {
        if let stored {
            writer.int(stored.range.count)
            stored.withBytes { writer.raw($0) }
        } else {
            let bytes = binaryBytes
            writer.int(bytes.count)
            writer.raw(bytes)
        }
    }

    /// Reads what `write` wrote, leaving the value's bytes undecoded.
    /// - Throws: `ByteReader.Malformed` when the count runs past the end.
    init(reading reader: inout ByteReader) throws {
        made = nil
        stored = try reader.storedBytes(try reader.count())
    }

    var binaryBytes: ArraySlice<UInt8> {
        if let stored { return stored.withBytes { Array($0)[...] } }
        var writer = ByteWriter()
        made!.write(to: &writer)
        return writer.bytes[...]
    }

    /// For coders other than the cache's: the value itself.
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A part of a cache record that `Deferred` holds; `init()` is the empty value it reads as
/// when its bytes do not decode.
protocol DeferredValue: RecordCoded, Encodable, Sendable {
    init()
}

/// How many parts of cache records this process found undecodable although their checksum
/// matched (see `Deferred`). A build compares the count at its start and before it makes
/// anything live: any other build running in the same process at that time (only tests run
/// two) starts again too, which costs time, never a wrong file.
enum UndecodableRecords {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var found = 0

    static var seen: Int { lock.withLock { found } }

    static func count() { lock.withLock { found += 1 } }
}

/// The locks `Deferred` decodes under: a few shared by all values, chosen by the value's
/// address, so that a value costs no lock of its own (thousands are read, few decoded).
enum DeferredLocks {
    private static let locks = (0..<16).map { _ in NSLock() }

    static func lock(for object: AnyObject) -> NSLock {
        locks[Int((UInt(bitPattern: ObjectIdentifier(object)) >> 4) & 15)]
    }
}

