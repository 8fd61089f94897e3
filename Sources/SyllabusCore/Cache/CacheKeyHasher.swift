import Foundation

/// A 128-bit hash for the build cache's keys: whether a source file, template, setting or
/// output's inputs changed since the last build. The same in every run (Swift's `Hasher` is
/// seeded per process) but free to change between versions: every key includes the executable
/// (`BuildFingerprint.tool`), so no version reads another's. Identifiers that outputs publish
/// use `IdentifierHash` instead.
/// Two multiply–xorshift lanes over 8-byte words, fast enough to key every source file on every
/// build; the multipliers are SplitMix64's (Steele, Lea and Flood, "Fast splittable pseudorandom
/// number generators", 2014) and the starting values digits of pi. Not for security.
struct CacheKeyHasher {
    private var low: UInt64 = 0x243f_6a88_85a3_08d3
    private var high: UInt64 = 0x1319_8a2e_0370_7344

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        mix(UInt64(bytes.count))
        var offset = 0
        while offset + 8 <= bytes.count {
            mix(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        mix(tail)
    }

    mutating func add(_ data: Data) { data.withUnsafeBytes { add($0) } }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    mutating func add(_ number: Int) { mix(UInt64(bitPattern: Int64(number))) }

    private mutating func mix(_ word: UInt64) {
        low = (low ^ word) &* 0x9e37_79b9_7f4a_7c15
        low ^= low >> 32
        high = (high ^ word ^ low) &* 0xbf58_476d_1ce4_e5b9
        high ^= high >> 29
    }

    /// The 128-bit hash as 32 lowercase hex digits, high half first. Written by hand: every
    /// page's key takes one, and Foundation's formatting cost more than hashing the page.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 32)
        for (offset, word) in [(0, high), (16, low)] {
            for index in 0..<16 { bytes[offset + index] = digits[Int((word >> UInt64(60 - 4 * index)) & 0xF)] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
