import Foundation

/// A part of a note's cache record that a rebuild reads for few notes (a note's headings and
/// anchors, what its links and prose name, where its links went): read from the cache, it is
/// kept as the record's bytes (`StoredSlice`, in the mapped file) and decoded the first time
/// it is asked for, on whichever thread asks first. A one-note rebuild of the 2,075-file
/// benchmark corpus made 190,000 strings and 12,000 arrays and tables of these parts, for
/// every cached note, and read those of a few dozen notes.
///
/// In the record it is a count of bytes, then the value's bytes (as `BinaryBlob`), so reading
/// a record steps over it. Those bytes passed the record's checksum (`RecordStore.read`): they
/// are what a build wrote, which always decodes, so a value that does not is a defect of the
/// writer and stops the process, as a broken invariant does (`decoded()` throws instead, for
/// the tests of damaged bytes).
final class Deferred<Value: RecordCoded & Encodable & Sendable>: @unchecked Sendable, BinaryBlob {
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
            do {
                let value = try decoded()
                made = value
                return value
            } catch {
                fatalError("a build cache record's \(Value.self) does not decode, although its checksum matched")
            }
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

/// The locks `Deferred` decodes under: a few shared by all values, chosen by the value's
/// address, so that a value costs no lock of its own (thousands are read, few decoded).
enum DeferredLocks {
    private static let locks = (0..<16).map { _ in NSLock() }

    static func lock(for object: AnyObject) -> NSLock {
        locks[Int((UInt(bitPattern: ObjectIdentifier(object)) >> 4) & 15)]
    }
}

