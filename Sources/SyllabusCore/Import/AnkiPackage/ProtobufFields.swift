import Foundation

/// Reads the fields of one protobuf message, in wire order, without a schema: just enough to
/// pick out the few fields `AnkiPackageReader` needs from Anki's messages (`PackageMetadata`
/// and `MediaEntries` in `proto/anki/import_export.proto`, `Notetype.Config` in
/// `proto/anki/notetypes.proto`). The wire format is protobuf's (varints, 64-bit, length-
/// delimited and 32-bit values; https://protobuf.dev/programming-guides/encoding/). A full
/// protobuf library would add a dependency and generated code for three integers and a list
/// of names.
struct ProtobufFields: Sequence, IteratorProtocol {
    /// A field's value as the wire carries it; what it means depends on the message's schema.
    enum Value: Equatable {
        /// Wire type 0: an integer, bool or enum (signed ints as two's complement).
        case varint(UInt64)
        /// Wire type 2: a string, bytes or an embedded message.
        case bytes([UInt8])
        /// Wire types 1 and 5: fixed-width numbers, little-endian, kept as read.
        case fixed(UInt64)
    }

    /// The message does not follow the wire format (a value runs past its end, an unknown
    /// wire type, a varint longer than 10 bytes).
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    private let bytes: [UInt8]
    private var position = 0
    /// Set when reading stopped at malformed bytes; `next()` then returns nil.
    private(set) var failure: Malformed?

    init<Bytes: Collection>(_ message: Bytes) where Bytes.Element == UInt8 {
        bytes = Array(message)
    }

    /// The next field number and value, or nil at the end of the message or at the first
    /// malformed byte (then `failure` says what was wrong).
    mutating func next() -> (field: UInt64, value: Value)? {
        guard failure == nil, position < bytes.count else { return nil }
        do {
            let key = try varint()
            let field = key >> 3
            guard field > 0 else { throw Malformed(description: "field number 0 at byte \(position)") }
            switch key & 7 {
            case 0: return (field, .varint(try varint()))
            case 1: return (field, .fixed(try fixed(8)))
            case 2:
                let length = try varint()
                guard length <= UInt64(bytes.count - position) else {
                    throw Malformed(description: "a \(length)-byte value runs past the end of the message")
                }
                let start = position
                position += Int(length)
                return (field, .bytes(Array(bytes[start..<position])))
            case 5: return (field, .fixed(try fixed(4)))
            case let type: throw Malformed(description: "unsupported wire type \(type) at byte \(position)")
            }
        } catch {
            failure = error as? Malformed
            return nil
        }
    }

    /// Every field of the message, in wire order.
    /// - Throws: `Malformed` when the bytes do not follow the wire format.
    static func all<Bytes: Collection>(_ message: Bytes) throws -> [(field: UInt64, value: Value)] where Bytes.Element == UInt8 {
        var reader = ProtobufFields(message)
        var fields: [(field: UInt64, value: Value)] = []
        while let field = reader.next() { fields.append(field) }
        if let failure = reader.failure { throw failure }
        return fields
    }

    private mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: UInt64(0), to: 70, by: 7) {
            guard position < bytes.count else { throw Malformed(description: "a varint runs past the end of the message") }
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
        }
        throw Malformed(description: "a varint longer than 10 bytes")
    }

    private mutating func fixed(_ width: Int) throws -> UInt64 {
        guard bytes.count - position >= width else { throw Malformed(description: "a \(width)-byte number runs past the end of the message") }
        var result: UInt64 = 0
        for index in 0..<width { result |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += width
        return result
    }
}
