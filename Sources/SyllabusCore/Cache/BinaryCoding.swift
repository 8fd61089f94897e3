import Foundation

/// The build cache's file format: integers as 8 bytes, strings as a length and UTF-8 bytes.
/// Written by hand because Foundation's coders took longer to read a large site's cache than
/// parsing its notes again.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional(_ value: String?) {
        int(value == nil ? 0 : 1)
        if let value { string(value) }
    }

    mutating func strings(_ values: [String]) {
        int(values.count)
        for value in values { string(value) }
    }

    mutating func bool(_ value: Bool) { int(value ? 1 : 0) }

    mutating func raw(_ encoded: ArraySlice<UInt8>) { bytes.append(contentsOf: encoded) }
}

/// Reads what `ByteWriter` wrote; any malformed input throws, and the cache is then ignored.
struct ByteReader {
    struct Malformed: Error {}

    private let data: [UInt8]
    private var offset = 0

    init(_ data: Data) { self.data = [UInt8](data) }

    var isAtEnd: Bool { offset == data.count }

    /// The bytes read by `body`, as written.
    mutating func span(_ body: (inout ByteReader) throws -> Void) rethrows -> ArraySlice<UInt8> {
        let start = offset
        try body(&self)
        return data[start..<offset]
    }

    mutating func int() throws -> Int {
        guard offset + 8 <= data.count else { throw Malformed() }
        let value = data.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: Int64.self)) }
        offset += 8
        return Int(value)
    }

    /// A count of items that must each take at least one byte, so a corrupt count cannot ask
    /// for a huge allocation.
    mutating func count() throws -> Int {
        let count = try int()
        guard count >= 0, count <= data.count - offset else { throw Malformed() }
        return count
    }

    mutating func string() throws -> String {
        let length = try count()
        let text = String(decoding: data[offset..<(offset + length)], as: UTF8.self)
        offset += length
        return text
    }

    mutating func optional() throws -> String? {
        try int() == 0 ? nil : string()
    }

    mutating func strings() throws -> [String] {
        try (0..<count()).map { _ in try string() }
    }

    mutating func bool() throws -> Bool { try int() != 0 }
}
