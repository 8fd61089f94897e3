import XCTest
@testable import SyllabusCore

/// The build cache's one codec: any `Codable` value the cache keeps comes back equal, so a
/// new fact needs no cache code.
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
        var target: LinkTarget
        var targets: [LinkTarget]
        var ratio: Double
    }

    static let sample = Sample(
        count: 300, negative: -7, flag: true, text: "Ünïcode ✓\n", missing: nil, present: 0, list: ["a", "", "c"],
        nested: [[], [1, 2], [3]], optionals: ["x", nil, ""], inner: [Inner(name: "n", note: nil), Inner(name: "m", note: "k")],
        counts: ["s3": 2, "lambda": 5], tags: ["b", "a"], target: .page(id: "lambda/a.md", fragment: nil),
        targets: [.service(id: "s3"), .page(id: "x.md", fragment: "top")], ratio: 0.25)

    func roundTrip<Value: Codable>(_ value: Value, userInfo: [CodingUserInfoKey: Any] = [:]) throws -> Value {
        var writer = ByteWriter()
        try BinaryCoder.encode(value, into: &writer)
        var reader = ByteReader(writer.bytes[...])
        let decoded = try BinaryCoder.decode(Value.self, from: &reader, userInfo: userInfo)
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

    /// A location's path is the file of the decoding build, not the one that wrote the cache.
    func testLocationTakesThePathOfTheDecodingBuild() throws {
        let diagnostic = Diagnostic(.warning, "w", at: SourceLocation(path: "old/place.md", line: 3, column: 9))
        let decoded = try roundTrip(diagnostic, userInfo: [BinaryCoder.sourcePathKey: "Content/place.md"])
        XCTAssertEqual(decoded, Diagnostic(.warning, "w", at: SourceLocation(path: "Content/place.md", line: 3, column: 9)))
    }

    /// The facts of a real note (cards, questions, terms, diagnostics) survive the cache.
    func testNoteFactsSurviveTheCache() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "---\ntags: [compute, fast path]\nsources: [https://example.com/a]\n---\n# Lambda\n\n## Limits {#limits}\n\nRuns **15 minutes**; see [S3](../s3/a.md#x) and Amazon S3.\n\nWhat runs code? :: AWS Lambda\n",
            "s3/a.md": "# S3\n\n<a id=\"x\"></a>Text.\n",
            "lambda.cards.md": "# Cards\n\n## The {{c1::timeout}} is 15 minutes\n<!-- id: t-1 -->\n\nYes.\n\n# More\n\nWhat runs code? :: AWS Lambda\n",
        ])
        let (set, _) = fixture.analyze()
        for page in set.studySet.allPages {
            let facts = try roundTrip(page.facts, userInfo: [BinaryCoder.sourcePathKey: page.source.displayPath])
            // Equal bytes again: every field came back (the form has no names to skip one).
            var first = ByteWriter(), second = ByteWriter()
            try BinaryCoder.encode(page.facts, into: &first)
            try BinaryCoder.encode(facts, into: &second)
            XCTAssertEqual(first.bytes, second.bytes, page.id)
            XCTAssertEqual(facts.linkFacts.terms, page.linkFacts.terms)
            XCTAssertEqual(facts.linkFacts.mentions, page.linkFacts.mentions)
            XCTAssertEqual(facts.cards.map(\.location), page.cards.map(\.location))
            XCTAssertEqual(facts.diagnostics, page.diagnostics)
        }
        XCTAssertEqual(set.studySet.cards.count, 2)
    }
}
