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
