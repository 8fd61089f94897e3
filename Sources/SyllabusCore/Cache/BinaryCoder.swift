import Foundation

/// A positional codec for any `Codable` value as `ByteWriter` bytes: what the Anki history
/// is stored as (`AnkiHistory`), and the definition of the build cache's record form, which
/// the record types write and read by hand for speed (`RecordCoded`; the tests hold the two
/// to the same bytes). Adding a field to a record type changes the format: bump
/// `BuildCache.magic`.
///
/// A struct is its fields in declaration order with no names; an optional is a 0/1 flag, then
/// the value; an array or set is its count, then its elements; a dictionary with string keys
/// is its count, then each key and value, sorted by key; strings, integers and booleans are
/// `ByteWriter`'s. Hence its limits, which encoding reports as `EncodingError.invalidValue`
/// where it can:
/// - no dictionaries with other keys;
/// - a type's own `Codable` uses keyed or single-value containers, never unkeyed ones (a
///   collection is written whole, with its count, by the coder itself);
/// - no enums with payloads through the synthesized conformance (decoding one asks for
///   `allKeys`): such a type writes its own `Codable` with a keyed container.
/// A `BinaryBlob` is stored as the raw bytes it holds (and not read back: see `RecordCoded`).
///
/// Several times slower than code written for one type (the `Codable` protocols go through
/// generic containers): reading 2,000 notes' records through it took 0.05 s.
enum BinaryCoder {
    /// Appends `value` to `writer`.
    /// - Throws: `EncodingError.invalidValue` for a dictionary with other than string keys;
    ///   what a value's own conformance throws.
    static func encode<Value: Encodable>(_ value: Value, into writer: inout ByteWriter) throws {
        try withUnsafeMutablePointer(to: &writer) { pointer in
            try BinaryEncoding(writer: pointer).encodeValue(value)
        }
    }

    /// Reads one `Value` from `reader`; `userInfo` is handed to every decoding type.
    /// - Throws: `ByteReader.Malformed` when the bytes end early or do not fit `Value`;
    ///   `DecodingError` for what a value's own conformance rejects.
    static func decode<Value: Decodable>(_ type: Value.Type, from reader: inout ByteReader,
                                         userInfo: [CodingUserInfoKey: Any] = [:]) throws -> Value {
        try withUnsafeMutablePointer(to: &reader) { pointer in
            try BinaryDecoding(reader: pointer, userInfo: userInfo).decodeValue(type)
        }
    }
}

/// A value the coder writes as bytes it already holds (their count, then the bytes): a note's
/// encoded index terms, which a rebuild hashes without decoding (see `PageTermList`).
protocol BinaryBlob: Encodable, BinaryEncoded {
    var binaryBytes: ArraySlice<UInt8> { get }
}

/// The types the coder writes itself rather than through their `Encodable` conformance:
/// optionals, collections, string-keyed dictionaries and blobs. One protocol, so telling a
/// value's kind costs one conformance lookup.
protocol BinaryEncoded {
    func binaryEncode(_ encoder: BinaryEncoding) throws
}

/// The types the coder reads itself rather than through their `Decodable` conformance, the
/// mirror of `BinaryEncoded` (blobs are written only).
protocol BinaryDecoded {
    static func binaryDecode(_ decoder: BinaryDecoding) throws -> Self
}

extension Optional: BinaryEncoded where Wrapped: Encodable {
    func binaryEncode(_ encoder: BinaryEncoding) throws {
        encoder.writer.pointee.bool(self != nil)
        if let value = self { try encoder.encodeValue(value) }
    }
}

extension Optional: BinaryDecoded where Wrapped: Decodable {
    static func binaryDecode(_ decoder: BinaryDecoding) throws -> Self {
        try decoder.reader.pointee.bool() ? try decoder.decodeValue(Wrapped.self) : nil
    }
}

extension Array: BinaryEncoded where Element: Encodable {
    func binaryEncode(_ encoder: BinaryEncoding) throws {
        encoder.writer.pointee.int(count)
        for element in self { try encoder.encodeValue(element) }
    }
}

extension Array: BinaryDecoded where Element: Decodable {
    static func binaryDecode(_ decoder: BinaryDecoding) throws -> Self {
        let count = try decoder.reader.pointee.count()
        var result: Self = []
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(try decoder.decodeValue(Element.self)) }
        return result
    }
}

extension Set: BinaryEncoded where Element: Encodable {
    func binaryEncode(_ encoder: BinaryEncoding) throws { try Array(self).binaryEncode(encoder) }
}

extension Set: BinaryDecoded where Element: Decodable {
    static func binaryDecode(_ decoder: BinaryDecoding) throws -> Self { Set(try [Element].binaryDecode(decoder)) }
}

/// Sorted by key, so equal dictionaries give equal bytes.
extension Dictionary: BinaryEncoded where Key == String, Value: Encodable {
    func binaryEncode(_ encoder: BinaryEncoding) throws {
        encoder.writer.pointee.int(count)
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            encoder.writer.pointee.string(key)
            try encoder.encodeValue(value)
        }
    }
}

extension Dictionary: BinaryDecoded where Key == String, Value: Decodable {
    static func binaryDecode(_ decoder: BinaryDecoding) throws -> Self {
        let count = try decoder.reader.pointee.count()
        var result: Self = [:]
        result.reserveCapacity(count)
        for _ in 0..<count {
            let key = try decoder.reader.pointee.string()
            result[key] = try decoder.decodeValue(Value.self)
        }
        return result
    }
}

extension BinaryBlob {
    func binaryEncode(_ encoder: BinaryEncoding) throws {
        let bytes = binaryBytes
        encoder.writer.pointee.int(bytes.count)
        encoder.writer.pointee.raw(bytes)
    }
}

/// Dictionaries the coder cannot write (keys other than strings).
private protocol BinaryDictionary {}
extension Dictionary: BinaryDictionary {}

// MARK: Encoding

/// The encoder behind `BinaryCoder.encode`. The writer is held by pointer: a class's stored
/// struct would be checked for exclusive access on every byte written.
final class BinaryEncoding: Encoder, SingleValueEncodingContainer {
    let writer: UnsafeMutablePointer<ByteWriter>
    var codingPath: [CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(writer: UnsafeMutablePointer<ByteWriter>) { self.writer = writer }

    /// Every value goes through here: the common leaves are written directly, the types the
    /// coder knows (`BinaryEncoded`) by the coder, the rest by their own conformance.
    func encodeValue<Value: Encodable>(_ value: Value) throws {
        if Value.self == String.self { return writer.pointee.string(unsafeBitCast(value, to: String.self)) }
        if Value.self == Int.self { return writer.pointee.int(unsafeBitCast(value, to: Int.self)) }
        if Value.self == Bool.self { return writer.pointee.bool(unsafeBitCast(value, to: Bool.self)) }
        if Value.self == [String].self { return writer.pointee.strings(unsafeBitCast(value, to: [String].self)) }
        if let coded = value as? BinaryEncoded { return try coded.binaryEncode(self) }
        if value is BinaryDictionary {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "the build cache stores dictionaries with string keys only"))
        }
        try value.encode(to: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed(encoder: self))
    }

    func unkeyedContainer() -> UnkeyedEncodingContainer {
        preconditionFailure("BinaryCoder writes collections itself: a type's own Codable must not use an unkeyed container")
    }

    func singleValueContainer() -> SingleValueEncodingContainer { self }

    // Single value: the value itself.
    func encodeNil() throws { writer.pointee.bool(false) }
    func encode(_ value: Bool) throws { writer.pointee.bool(value) }
    func encode(_ value: String) throws { writer.pointee.string(value) }
    func encode(_ value: Double) throws { writer.pointee.int(Int(bitPattern: UInt(value.bitPattern))) }
    func encode(_ value: Float) throws { writer.pointee.int(Int(value.bitPattern)) }
    func encode(_ value: Int) throws { writer.pointee.int(value) }
    func encode(_ value: Int8) throws { writer.pointee.int(Int(value)) }
    func encode(_ value: Int16) throws { writer.pointee.int(Int(value)) }
    func encode(_ value: Int32) throws { writer.pointee.int(Int(value)) }
    func encode(_ value: Int64) throws { writer.pointee.int(Int(value)) }
    func encode(_ value: UInt) throws { writer.pointee.int(Int(bitPattern: value)) }
    func encode(_ value: UInt8) throws { writer.pointee.int(Int(value)) }
    func encode(_ value: UInt16) throws { writer.pointee.int(Int(value)) }
    func encode(_ value: UInt32) throws { writer.pointee.int(Int(value)) }
    func encode(_ value: UInt64) throws { writer.pointee.int(Int(bitPattern: UInt(value))) }
    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    /// Fields in the order they are encoded; names are not written.
    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: BinaryEncoding
        var codingPath: [CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { encoder.writer.pointee.bool(false) }
        mutating func encode(_ value: Bool, forKey key: Key) throws { encoder.writer.pointee.bool(value) }
        mutating func encode(_ value: String, forKey key: Key) throws { encoder.writer.pointee.string(value) }
        mutating func encode(_ value: Int, forKey key: Key) throws { encoder.writer.pointee.int(value) }
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
}

// MARK: Decoding

/// The decoder behind `BinaryCoder.decode`; the reader is held by pointer, as in `BinaryEncoding`.
final class BinaryDecoding: Decoder, SingleValueDecodingContainer {
    let reader: UnsafeMutablePointer<ByteReader>
    let userInfo: [CodingUserInfoKey: Any]
    var codingPath: [CodingKey] { [] }

    init(reader: UnsafeMutablePointer<ByteReader>, userInfo: [CodingUserInfoKey: Any]) {
        self.reader = reader
        self.userInfo = userInfo
    }

    /// The mirror of `BinaryEncoding.encodeValue`.
    func decodeValue<Value: Decodable>(_ type: Value.Type) throws -> Value {
        if Value.self == String.self { return unsafeBitCast(try reader.pointee.string(), to: Value.self) }
        if Value.self == Int.self { return unsafeBitCast(try reader.pointee.int(), to: Value.self) }
        if Value.self == Bool.self { return unsafeBitCast(try reader.pointee.bool(), to: Value.self) }
        if Value.self == [String].self { return unsafeBitCast(try reader.pointee.strings(), to: Value.self) }
        if let coded = Value.self as? BinaryDecoded.Type { return try coded.binaryDecode(self) as! Value }
        return try Value(from: self)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed(decoder: self))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        preconditionFailure("BinaryCoder reads collections itself: a type's own Codable must not use an unkeyed container")
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { self }

    // Single value. An optional's own conformance never runs (the coder reads its flag).
    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.pointee.bool() }
    func decode(_ type: String.Type) throws -> String { try reader.pointee.string() }
    func decode(_ type: Double.Type) throws -> Double { Double(bitPattern: UInt64(UInt(bitPattern: try reader.pointee.int()))) }
    func decode(_ type: Float.Type) throws -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: try reader.pointee.int())) }
    func decode(_ type: Int.Type) throws -> Int { try reader.pointee.int() }
    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(reader.pointee.int()) }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow(reader.pointee.int()) }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow(reader.pointee.int()) }
    func decode(_ type: Int64.Type) throws -> Int64 { Int64(try reader.pointee.int()) }
    func decode(_ type: UInt.Type) throws -> UInt { UInt(bitPattern: try reader.pointee.int()) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(reader.pointee.int()) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(reader.pointee.int()) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(reader.pointee.int()) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { UInt64(UInt(bitPattern: try reader.pointee.int())) }
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
        func decodeNil(forKey key: Key) throws -> Bool { !(try decoder.reader.pointee.bool()) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decoder.reader.pointee.bool() }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decoder.reader.pointee.string() }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.reader.pointee.int() }
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
}
