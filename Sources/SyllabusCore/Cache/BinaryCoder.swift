import Foundation

/// The build cache's one codec: any `Codable` value as `ByteWriter` bytes, so a type that
/// the cache stores (`NoteFacts`, `NoteLinks`) is stored by declaring its fields and nothing
/// else. Adding a field changes the format: bump `BuildCache.magic`.
///
/// The form is positional, like the hand-written records it replaces: a struct is its fields
/// in declaration order with no names; an optional is a 0/1 flag, then the value; an array or
/// set is its count, then its elements; strings, integers and booleans are `ByteWriter`'s.
/// A dictionary with string keys is its count, then each key and value, sorted by key. Hence
/// its limits, which encoding reports as `EncodingError.invalidValue` where it can:
/// - no dictionaries with other keys;
/// - a type's own `Codable` uses keyed or single-value containers (an unkeyed one is read
///   as a collection, with a count first);
/// - no enums with payloads through the synthesized conformance (decoding one asks for
///   `allKeys`): such a type writes its own `Codable` with a single-value or keyed container.
/// A `BinaryBlob` is stored as raw bytes and handed back undecoded.
enum BinaryCoder {
    /// Names the source path a decoded `SourceLocation` takes (see `SourceLocation`'s `Codable`).
    static let sourcePathKey = CodingUserInfoKey(rawValue: "syllabus.sourcePath")!

    /// - Throws: `EncodingError.invalidValue` for a dictionary or a value whose own
    ///   conformance throws.
    static func encode<Value: Encodable>(_ value: Value, into writer: inout ByteWriter) throws {
        let encoder = BinaryEncoding(writer: writer)
        try encoder.encodeValue(value)
        writer = encoder.writer
    }

    /// `userInfo` is handed to every decoding type (`sourcePathKey`).
    /// - Throws: `ByteReader.Malformed` when the bytes end early or do not fit `Value`;
    ///   `DecodingError` for what its own conformance rejects.
    static func decode<Value: Decodable>(_ type: Value.Type, from reader: inout ByteReader,
                                         userInfo: [CodingUserInfoKey: Any] = [:]) throws -> Value {
        let decoder = BinaryDecoding(reader: reader, userInfo: userInfo)
        let value = try decoder.decodeValue(type)
        reader = decoder.reader
        return value
    }
}

/// A value the cache keeps as bytes it hands back as they were: the encoded index terms,
/// which a rebuild hashes without decoding.
protocol BinaryBlob: Codable {
    var binaryBytes: ArraySlice<UInt8> { get }
    init(binaryBytes: ArraySlice<UInt8>)
}

/// Optionals as the coder sees them: whether one holds a value, and how to make an empty one.
private protocol BinaryOptional {
    var isNone: Bool { get }
    static var emptyValue: Self { get }
}

extension Optional: BinaryOptional {
    var isNone: Bool { self == nil }
    static var emptyValue: Self { nil }
}

/// Collections whose count is written before their elements.
private protocol BinaryCounted {
    var binaryCount: Int { get }
}

extension Array: BinaryCounted {
    var binaryCount: Int { count }
}

extension Set: BinaryCounted {
    var binaryCount: Int { count }
}

/// Dictionaries with string keys: their count, then each key and value, sorted by key so
/// equal dictionaries give equal bytes. Other dictionaries are refused.
private protocol BinaryStringKeyed {
    func binaryEncode(_ encoder: BinaryEncoding) throws
    static func binaryDecode(_ decoder: BinaryDecoding) throws -> Self
}

extension Dictionary: BinaryStringKeyed where Key == String, Value: Codable {
    fileprivate func binaryEncode(_ encoder: BinaryEncoding) throws {
        encoder.writer.int(count)
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            encoder.writer.string(key)
            try encoder.encodeValue(value)
        }
    }

    fileprivate static func binaryDecode(_ decoder: BinaryDecoding) throws -> Self {
        let count = try decoder.reader.count()
        var result: Self = [:]
        result.reserveCapacity(count)
        for _ in 0..<count {
            let key = try decoder.reader.string()
            result[key] = try decoder.decodeValue(Value.self)
        }
        return result
    }
}

private protocol BinaryDictionary {}
extension Dictionary: BinaryDictionary {}

// MARK: Encoding

private final class BinaryEncoding: Encoder, SingleValueEncodingContainer {
    var writer: ByteWriter
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(writer: ByteWriter) { self.writer = writer }

    /// Every value goes through here: the common leaves are written directly, the rest by
    /// their own conformance after their count or flag.
    func encodeValue<Value: Encodable>(_ value: Value) throws {
        if Value.self == String.self { return writer.string(unsafeBitCast(value, to: String.self)) }
        if Value.self == Int.self { return writer.int(unsafeBitCast(value, to: Int.self)) }
        if Value.self == Bool.self { return writer.bool(unsafeBitCast(value, to: Bool.self)) }
        if Value.self == [String].self { return writer.strings(unsafeBitCast(value, to: [String].self)) }
        if let blob = value as? BinaryBlob {
            let bytes = blob.binaryBytes
            writer.int(bytes.count)
            return writer.raw(bytes)
        }
        if let optional = value as? BinaryOptional {
            writer.bool(!optional.isNone)
            if optional.isNone { return }
        } else if let collection = value as? BinaryCounted {
            writer.int(collection.binaryCount)
        } else if let dictionary = value as? BinaryStringKeyed {
            return try dictionary.binaryEncode(self)
        } else if value is BinaryDictionary {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "the build cache stores dictionaries with string keys only"))
        }
        try value.encode(to: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed(encoder: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer { Unkeyed(encoder: self) }

    func singleValueContainer() -> SingleValueEncodingContainer { self }

    // Single value: the value itself.
    func encodeNil() throws { writer.bool(false) }
    func encode(_ value: Bool) throws { writer.bool(value) }
    func encode(_ value: String) throws { writer.string(value) }
    func encode(_ value: Double) throws { writer.int(Int(bitPattern: UInt(value.bitPattern))) }
    func encode(_ value: Float) throws { writer.int(Int(value.bitPattern)) }
    func encode(_ value: Int) throws { writer.int(value) }
    func encode(_ value: Int8) throws { writer.int(Int(value)) }
    func encode(_ value: Int16) throws { writer.int(Int(value)) }
    func encode(_ value: Int32) throws { writer.int(Int(value)) }
    func encode(_ value: Int64) throws { writer.int(Int(value)) }
    func encode(_ value: UInt) throws { writer.int(Int(bitPattern: value)) }
    func encode(_ value: UInt8) throws { writer.int(Int(value)) }
    func encode(_ value: UInt16) throws { writer.int(Int(value)) }
    func encode(_ value: UInt32) throws { writer.int(Int(value)) }
    func encode(_ value: UInt64) throws { writer.int(Int(bitPattern: UInt(value))) }
    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    /// Fields in the order they are encoded; names are not written.
    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: BinaryEncoding
        var codingPath: [CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { encoder.writer.bool(false) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { encoder.writer.bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { encoder.writer.string(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { encoder.writer.int(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try encoder.encodeValue(value) }
        mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try encoder.encodeValue(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            encoder.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> UnkeyedEncodingContainer { encoder.unkeyedContainer() }
        mutating func superEncoder() -> Encoder { encoder }
        mutating func superEncoder(forKey key: Key) -> Encoder { encoder }
    }

    /// Elements one after another; their count was written by `encodeValue`.
    struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: BinaryEncoding
        var codingPath: [CodingKey] { [] }
        private(set) var count = 0

        init(encoder: BinaryEncoding) { self.encoder = encoder }

        mutating func encodeNil() throws {
            count += 1
            encoder.writer.bool(false)
        }
        mutating func encode<T: Encodable>(_ value: T) throws {
            count += 1
            try encoder.encodeValue(value)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            count += 1
            return encoder.container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> UnkeyedEncodingContainer {
            count += 1
            return encoder.unkeyedContainer()
        }
        mutating func superEncoder() -> Encoder { encoder }
    }
}

// MARK: Decoding

private final class BinaryDecoding: Decoder, SingleValueDecodingContainer {
    var reader: ByteReader
    let userInfo: [CodingUserInfoKey: Any]
    var codingPath: [CodingKey] { [] }

    init(reader: ByteReader, userInfo: [CodingUserInfoKey: Any]) {
        self.reader = reader
        self.userInfo = userInfo
    }

    /// The mirror of `BinaryEncoding.encodeValue`.
    func decodeValue<Value: Decodable>(_ type: Value.Type) throws -> Value {
        if Value.self == String.self { return unsafeBitCast(try reader.string(), to: Value.self) }
        if Value.self == Int.self { return unsafeBitCast(try reader.int(), to: Value.self) }
        if Value.self == Bool.self { return unsafeBitCast(try reader.bool(), to: Value.self) }
        if Value.self == [String].self { return unsafeBitCast(try reader.strings(), to: Value.self) }
        if let blob = Value.self as? BinaryBlob.Type {
            return blob.init(binaryBytes: try reader.bytes(try reader.int())) as! Value
        }
        if let optional = Value.self as? BinaryOptional.Type, !(try reader.bool()) {
            return optional.emptyValue as! Value
        }
        if let dictionary = Value.self as? BinaryStringKeyed.Type {
            return try dictionary.binaryDecode(self) as! Value
        }
        // An optional's own conformance asks `decodeNil()` (false: its flag is read) and then
        // for the value; a collection's asks `unkeyedContainer()`, which reads its count.
        return try Value(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed(decoder: self))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer { try Unkeyed(decoder: self) }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    // Single value.
    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.bool() }
    func decode(_ type: String.Type) throws -> String { try reader.string() }
    func decode(_ type: Double.Type) throws -> Double { Double(bitPattern: UInt64(UInt(bitPattern: try reader.int()))) }
    func decode(_ type: Float.Type) throws -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: try reader.int())) }
    func decode(_ type: Int.Type) throws -> Int { try reader.int() }
    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(reader.int()) }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow(reader.int()) }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow(reader.int()) }
    func decode(_ type: Int64.Type) throws -> Int64 { Int64(try reader.int()) }
    func decode(_ type: UInt.Type) throws -> UInt { UInt(bitPattern: try reader.int()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(reader.int()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(reader.int()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(reader.int()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { UInt64(UInt(bitPattern: try reader.int())) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }

    private func narrow<T: FixedWidthInteger>(_ value: Int) throws -> T {
        guard let narrowed = T(exactly: value) else { throw ByteReader.Malformed() }
        return narrowed
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: BinaryDecoding
        var codingPath: [CodingKey] { [] }
        /// Unknown: the form has no names (see `BinaryCoder`).
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { !(try decoder.reader.bool()) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.reader.bool() }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.reader.string() }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.reader.int() }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try decoder.decodeValue(type) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decoder.decodeValue(Bool?.self) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decoder.decodeValue(String?.self) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decoder.decodeValue(Double?.self) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decoder.decodeValue(Float?.self) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decoder.decodeValue(Int?.self) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try decoder.decodeValue(Int8?.self) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try decoder.decodeValue(Int16?.self) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try decoder.decodeValue(Int32?.self) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decoder.decodeValue(Int64?.self) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try decoder.decodeValue(UInt?.self) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try decoder.decodeValue(UInt8?.self) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try decoder.decodeValue(UInt16?.self) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try decoder.decodeValue(UInt32?.self) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try decoder.decodeValue(UInt64?.self) }
        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try decoder.decodeValue(T?.self) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try decoder.container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try decoder.unkeyedContainer() }
        func superDecoder() throws -> Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> Decoder { decoder }
    }

    /// A collection's elements, after their count.
    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: BinaryDecoding
        var codingPath: [CodingKey] { [] }
        let count: Int?
        private(set) var currentIndex = 0

        init(decoder: BinaryDecoding) throws {
            self.decoder = decoder
            count = try decoder.reader.count()
        }

        var isAtEnd: Bool { currentIndex == count }

        mutating func decodeNil() throws -> Bool {
            // Only an optional element asks, and `decodeValue` reads its flag.
            false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            guard currentIndex < count! else { throw ByteReader.Malformed() }
            currentIndex += 1
            return try decoder.decodeValue(type)
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            currentIndex += 1
            return try decoder.container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
            currentIndex += 1
            return try decoder.unkeyedContainer()
        }
        mutating func superDecoder() throws -> Decoder { decoder }
    }
}
