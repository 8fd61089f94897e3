import Foundation

/// The build cache's file format: integers as LEB128 varints (zigzag, so negatives stay
/// short), strings as a length and UTF-8 bytes.
/// Written by hand because Foundation's coders took longer to read a large site's cache than
/// parsing its notes again.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        var rest = UInt64(bitPattern: Int64(value << 1) ^ Int64(value >> 63))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
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

    mutating func raw(_ encoded: UnsafeBufferPointer<UInt8>) { bytes.append(contentsOf: encoded) }

    /// Makes room for `count` more bytes at once, for a writer that knows about how many it
    /// will write (grown by doubling, megabytes are copied and faulted in several times).
    mutating func reserve(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }
}

/// Reads what `ByteWriter` wrote; any malformed input throws, and the cache is then ignored.
/// It reads `StoredBytes` (a mapped file, or a copy of the bytes it is given) by pointer.
struct ByteReader {
    struct Malformed: Error {}

    private let storage: StoredBytes
    private let data: UnsafeBufferPointer<UInt8>
    private var offset: Int
    private let end: Int

    /// Reads a copy of `bytes`.
    init(_ bytes: ArraySlice<UInt8>) {
        self.init(StoredBytes(copying: bytes), 0..<bytes.count)
    }

    /// Reads the bytes of `storage` in `range`, without a copy.
    init(_ storage: StoredBytes, _ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.bytes.count, "a range outside the bytes")
        (self.storage, data, offset, end) = (storage, storage.bytes, range.lowerBound, range.upperBound)
    }

    var isAtEnd: Bool { offset == end }

    /// A copy of the next `count` bytes, as written with `ByteWriter.raw`.
    mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= end - offset else { throw Malformed() }
        defer { offset += count }
        return Array(UnsafeBufferPointer(rebasing: data[offset..<(offset + count)]))[...]
    }

    /// The next `count` bytes where they are, kept by what the reader reads (the file mapped).
    mutating func storedBytes(_ count: Int) throws -> StoredSlice {
        guard count >= 0, count <= end - offset else { throw Malformed() }
        defer { offset += count }
        return StoredSlice(storage: storage, range: offset..<(offset + count))
    }

    mutating func int() throws -> Int { try Self.zigzagInt(in: data, at: &offset, end: end) }

    /// Decodes `ByteWriter.int`'s zigzag LEB128 from `bytes` at `offset`, before `end`, and
    /// moves `offset` past it; throws `Malformed` when it runs past `end` or over 64 bits.
    @inline(__always)
    static func zigzagInt<Bytes: RandomAccessCollection>(in bytes: Bytes, at offset: inout Int, end: Int) throws -> Int
    where Bytes.Element == UInt8, Bytes.Index == Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end, shift < 64 else { throw Malformed() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1))
    }

    /// A count of items that must each take at least one byte, so a corrupt count cannot ask
    /// for a huge allocation.
    mutating func count() throws -> Int {
        let count = try int()
        guard count >= 0, count <= end - offset else { throw Malformed() }
        return count
    }

    mutating func string() throws -> String {
        let length = try count()
        let text = String(decoding: UnsafeBufferPointer(rebasing: data[offset..<(offset + length)]), as: UTF8.self)
        offset += length
        return text
    }

    /// A string; `known` itself when its bytes are the ones read, so a value repeated in many
    /// places (a note's id in each of its cards) is one string in memory.
    mutating func string(reusing known: String) throws -> String {
        try reading(known).value
    }

    /// Strings, each taken from `known` where equal (see `string(reusing:)`); `known` itself
    /// when all are.
    mutating func strings(reusing known: [String]) throws -> [String] {
        let count = try count()
        var values: [String] = []
        values.reserveCapacity(count)
        var allKnown = count == known.count
        for index in 0..<count {
            guard index < known.count else {
                values.append(try string())
                continue
            }
            let (value, isKnown) = try reading(known[index])
            allKnown = allKnown && isKnown
            values.append(value)
        }
        return allKnown ? known : values
    }

    private mutating func reading(_ known: String) throws -> (value: String, isKnown: Bool) {
        let length = try count()
        let bytes = UnsafeBufferPointer(rebasing: data[offset..<(offset + length)])
        offset += length
        let isKnown = known.utf8.count == length && (length == 0 || known.utf8.withContiguousStorageIfAvailable { utf8 in
            memcmp(bytes.baseAddress!, utf8.baseAddress!, length) == 0
        } == true)
        return isKnown ? (known, true) : (String(decoding: bytes, as: UTF8.self), false)
    }

    mutating func optional() throws -> String? {
        try int() == 0 ? nil : string()
    }

    mutating func strings() throws -> [String] {
        try (0..<count()).map { _ in try string() }
    }

    mutating func bool() throws -> Bool { try int() != 0 }
}
