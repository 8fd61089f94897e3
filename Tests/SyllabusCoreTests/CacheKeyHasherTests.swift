import Foundation
import XCTest
@testable import SyllabusCore

/// The hex form of output and cache keys, which the previous build's stamps hold: it must not
/// change between versions, or every page is made again after an upgrade.
final class CacheKeyHasherTests: XCTestCase {
    /// 32 lowercase hex digits, the high half first, leading zeros kept: what `%016llx%016llx`
    /// prints.
    func testHexIsThirtyTwoLowercaseDigitsHighHalfFirst() {
        for parts in [[], [""], ["site"], ["a", "b"], ["Lambda · λ", String(repeating: "x", count: 1000)]] {
            var hasher = CacheKeyHasher()
            for part in parts { hasher.add(part) }
            let hex = hasher.hex
            XCTAssertEqual(hex.count, 32, "\(parts)")
            XCTAssertTrue(hex.allSatisfy { "0123456789abcdef".contains($0) }, hex)
            XCTAssertEqual(hex, String(format: "%016llx%016llx", UInt64(hex.prefix(16), radix: 16)!, UInt64(hex.suffix(16), radix: 16)!))
        }
        var empty = CacheKeyHasher()
        empty.add(0)
        XCTAssertEqual(empty.hex, "3118a99f93d02869f7e27beadf4196a5", "the same digits as before: old stamps still match")
    }
}

/// The checksum the build cache's files are checked with: any change to the bytes changes it.
final class ChecksumTests: XCTestCase {
    /// Every byte of a record changed, one at a time, to each of a few values; the record cut
    /// at every length, and grown by zero bytes.
    func testEveryChangedByteAndEveryLengthGiveAnotherChecksum() {
        var generator = SplitMix(seed: 16)
        let bytes = (0..<100).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let original = Checksum.of(bytes[...])
        XCTAssertEqual(Checksum.of(bytes[...]), original, "the same bytes, the same checksum")
        for index in bytes.indices {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var damaged = bytes
                damaged[index] ^= flip
                XCTAssertNotEqual(Checksum.of(damaged[...]), original, "byte \(index) ^ \(flip)")
            }
        }
        var seen: Set<UInt64> = []
        for length in 0...bytes.count { XCTAssertTrue(seen.insert(Checksum.of(bytes[..<length])).inserted, "cut at \(length)") }
        for zeros in 1...40 { XCTAssertTrue(seen.insert(Checksum.of((bytes + [UInt8](repeating: 0, count: zeros))[...])).inserted, "\(zeros) zeros") }
        XCTAssertNotEqual(Checksum.of(bytes[1...]), Checksum.of(bytes.dropLast()), "a slice is read from its own start")
    }
}
