import XCTest
@testable import SyllabusCore

/// The positional codec behind the Anki history and the build cache's record form: any
/// `Codable` value comes back equal.
final class BinaryCoderTests: XCTestCase {
    struct Inner: Codable, Equatable {
        var name: String
        var note: String?
    }

    struct Sample: Codable, Equatable {
        var count: Int
        var negative: Int
        var flag: Bool
        var text: String
        var missing: String?
        var present: Int?
        var list: [String]
        var nested: [[Int]]
        var optionals: [String?]
        var inner: [Inner]
        var counts: [String: Int]
        var tags: Set<String>
        var ratio: Double
    }

    static let sample = Sample(
        count: 300, negative: -7, flag: true, text: "Ünïcode ✓\n", missing: nil, present: 0, list: ["a", "", "c"],
        nested: [[], [1, 2], [3]], optionals: ["x", nil, ""], inner: [Inner(name: "n", note: nil), Inner(name: "m", note: "k")],
        counts: ["s3": 2, "lambda": 5], tags: ["b", "a"], ratio: 0.25)

    func roundTrip<Value: Codable>(_ value: Value) throws -> Value {
        var writer = ByteWriter()
        try BinaryCoder.encode(value, into: &writer)
        var reader = ByteReader(writer.bytes[...])
        let decoded = try BinaryCoder.decode(Value.self, from: &reader)
        XCTAssertTrue(reader.isAtEnd, "every byte read")
        return decoded
    }

    func testValuesOfEveryShapeComeBackEqual() throws {
        XCTAssertEqual(try roundTrip(Self.sample), Self.sample)
    }

    func testEqualDictionariesGiveEqualBytes() throws {
        var first = ByteWriter(), second = ByteWriter()
        var counts: [String: Int] = [:]
        for key in ["c", "a", "b"] { counts[key] = key.count }
        try BinaryCoder.encode(counts, into: &first)
        try BinaryCoder.encode(["b": 1, "a": 1, "c": 1], into: &second)
        XCTAssertEqual(first.bytes, second.bytes)
    }

    func testDictionaryWithOtherKeysIsRefused() {
        var writer = ByteWriter()
        XCTAssertThrowsError(try BinaryCoder.encode([1: "one"], into: &writer))
    }

    func testTruncatedBytesThrow() throws {
        var writer = ByteWriter()
        try BinaryCoder.encode(Self.sample, into: &writer)
        for length in [0, 1, writer.bytes.count / 2, writer.bytes.count - 1] {
            var reader = ByteReader(writer.bytes[..<length])
            XCTAssertThrowsError(try BinaryCoder.decode(Sample.self, from: &reader), "cut at \(length)")
        }
    }
}
