import XCTest
@testable import SyllabusCore

/// The build cache's records, written and read by hand (`RecordCoded`): the bytes are the ones
/// `BinaryCoder` makes of the same values (so a field added to a record type and forgotten in
/// its hand-written code fails here), every value comes back, and damaged bytes throw.
final class RecordCodingTests: XCTestCase {
    /// Notes with every kind of fact: front matter (tags, services, order, sources, checked),
    /// headings and HTML anchors, links to notes, anchors and pictures, prose mentions and
    /// index terms, a landing text's outline, cards with pinned ids, own tags and sources,
    /// exam questions, and diagnostics of the note alone and of its links.
    static let files = [
        "lambda/index.md": "# Lambda\n\n- [Overview](overview.md)\n  - [Limits](limits.md)\n",
        "lambda/overview.md": """
            ---
            tags: [compute, fast path]
            services: [s3]
            order: 2
            sources: [https://example.com/a]
            checked: 2026-01-31
            ---
            # Lambda

            ## Limits {#limits}

            Runs **15 minutes**; see [S3](../s3/a.md#x), [nothing](../s3/a.md#missing), Amazon S3 and ![a diagram](diagram.png).

            <a id="here"></a>What runs code? :: AWS Lambda

            """,
        "lambda/limits.md": "# Limits\n\nSee [gone](gone.md).\n",
        "s3/a.md": "# S3\n\n<a id=\"x\"></a>Text about AWS Lambda.\n",
        "lambda.cards.md": """
            ---
            tags: [deck]
            ---
            # Cards

            ## The {{c1::timeout}} is 15 minutes
            <!-- id: t-1 -->
            <!-- tags: own::tag -->
            <!-- source: https://example.com/card -->
            <!-- checked: 2025-12-01 -->

            Yes.

            ## Ünïcode front ✓

            Back.

            """,
        "lambda/lambda.exam.md": """
            ---
            domain: build
            ---
            # Questions

            ## Longest run
            <!-- id: q-1 -->

            How long may a function run?

            - [ ] 5 minutes
            - [x] 15 minutes

            The [limit](overview.md#limits) is 900 seconds.

            ## No explanation
            <!-- domain: secure -->

            - [x] One
            - [x] Two
            - [ ] Three

            """,
        "exam.yml": ExamQuestionTests.examYAML,
    ]

    static func written<Value: RecordCoded>(_ value: Value) -> [UInt8] {
        var writer = ByteWriter()
        value.write(to: &writer)
        return writer.bytes
    }

    static func coded<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        var writer = ByteWriter()
        try BinaryCoder.encode(value, into: &writer)
        return writer.bytes
    }

    func testRecordsAreBinaryCodersFormOfTheirFields() throws {
        let (set, _) = try Fixture(Self.files).analyze()
        let pages = set.studySet.allPages
        XCTAssertEqual(pages.count, 6)
        for page in pages {
            XCTAssertEqual(Self.written(page.facts), try Self.coded(page.facts), page.id)
            XCTAssertEqual(Self.written(set.links(of: page)), try Self.coded(set.links(of: page)), page.id)
            // The parts a record keeps undecoded are written as their bytes (see `Deferred`).
            XCTAssertEqual(Self.written(page.facts.places.value), try Self.coded(page.facts.places.value), page.id)
            XCTAssertEqual(Self.written(page.linkFacts.names.value), try Self.coded(page.linkFacts.names.value), page.id)
            XCTAssertEqual(Self.written(set.links(of: page).resolution.value), try Self.coded(set.links(of: page).resolution.value), page.id)
        }
        let targets: [LinkTarget] = [.page(id: "a.md", fragment: nil), .page(id: "b.md", fragment: "x"), .service(id: "s3"),
                                     .file(path: "a/b.png", embedded: true), .file(path: "a/c.txt", embedded: false)]
        for target in targets { XCTAssertEqual(Self.written(target), try Self.coded(target), "\(target)") }
    }

    /// Every record comes back with the same bytes, its locations at the path this build shows
    /// for the note, and the values a card repeats from its note shared with it.
    func testRecordsComeBackEqual() throws {
        let (set, diagnostics) = try Fixture(Self.files).analyze()
        XCTAssertFalse(diagnostics.isEmpty)
        var sawCards = false, sawQuestions = false, sawWarnings = false
        for page in set.studySet.allPages {
            let links = set.links(of: page)
            var writer = ByteWriter()
            BuildCache.NoteRecord(facts: page.facts, links: links).write(to: &writer)
            var reader = ByteReader(writer.bytes[...])
            let record = try BuildCache.NoteRecord(reading: &reader, displayPath: "elsewhere/\(page.id)")
            XCTAssertTrue(reader.isAtEnd, page.id)
            XCTAssertEqual(Self.written(record.facts), Self.written(page.facts), page.id)
            XCTAssertEqual(Self.written(record.links), Self.written(links), page.id)
            XCTAssertEqual(record.facts.linkFacts.terms, page.linkFacts.terms, page.id)
            XCTAssertEqual(record.facts.linkFacts.mentions, page.linkFacts.mentions, page.id)
            XCTAssertEqual(record.facts.linkFacts.references, page.linkFacts.references, page.id)
            XCTAssertEqual(record.facts.linkFacts.crossLinks, page.linkFacts.crossLinks, page.id)
            XCTAssertEqual(record.facts.headings, page.headings, page.id)
            XCTAssertEqual(record.facts.anchors, page.anchors, page.id)
            XCTAssertEqual(record.links.targets, links.targets, page.id)
            XCTAssertEqual(record.links.resolved, links.resolved, page.id)
            XCTAssertEqual(record.facts.linkFacts.searchText, page.linkFacts.searchText, page.id)
            XCTAssertEqual(record.facts.linkFacts.searchText.text, page.linkFacts.searchText.text, page.id)
            XCTAssertEqual(record.facts.cards, page.cards.map { card in
                var moved = card
                moved.location.path = "elsewhere/\(page.id)"
                return moved
            }, page.id)
            let places = record.facts.diagnostics.map(\.location) + record.links.warnings.map(\.location)
                + record.facts.questions.flatMap { [$0.location, $0.domainLocation] }
            XCTAssertTrue(places.allSatisfy { $0.path == "elsewhere/\(page.id)" }, page.id)
            XCTAssertEqual(record.facts.questions.map(\.options), page.facts.questions.map(\.options), page.id)
            sawCards = sawCards || !record.facts.cards.isEmpty
            sawQuestions = sawQuestions || !record.facts.questions.isEmpty
            sawWarnings = sawWarnings || !record.links.warnings.isEmpty
        }
        XCTAssertTrue(sawCards && sawQuestions && sawWarnings)
    }

    /// A record cut anywhere, or with bytes overwritten, throws or reads as something, and so
    /// do the parts it keeps undecoded; it never reads past its end or crashes (the cache is
    /// then not used: see `BuildCache.readRecords`).
    func testDamagedRecordsThrowAndNeverCrash() throws {
        let (set, _) = try Fixture(Self.files).analyze()
        let page = set.page("lambda/overview.md")!
        var writer = ByteWriter()
        BuildCache.NoteRecord(facts: page.facts, links: set.links(of: page)).write(to: &writer)
        let bytes = writer.bytes
        for length in 0..<bytes.count {
            var reader = ByteReader(bytes[..<length])
            XCTAssertThrowsError(try BuildCache.NoteRecord(reading: &reader, displayPath: "p"), "cut at \(length)")
        }
        var generator = SplitMix(seed: 18)
        for _ in 0..<500 {
            var damaged = bytes
            for _ in 0..<4 { damaged[Int(generator.next() % UInt64(damaged.count))] = UInt8(truncatingIfNeeded: generator.next()) }
            var reader = ByteReader(damaged[...])
            guard let record = try? BuildCache.NoteRecord(reading: &reader, displayPath: "p") else { continue }
            _ = try? record.facts.places.decoded()
            _ = try? record.facts.linkFacts.names.decoded()
            _ = try? record.links.resolution.decoded()
        }
    }

    /// A value shared with the note is taken only when its bytes are the note's.
    func testRepeatedStringsAreTakenOnlyWhenEqual() throws {
        var writer = ByteWriter()
        for text in ["lambda", "lambdas", "", "lambd"] { writer.string(text) }
        writer.strings(["a", "b"])
        writer.strings(["a", "c"])
        writer.strings(["a"])
        var reader = ByteReader(writer.bytes[...])
        XCTAssertEqual(try ["lambda", "lambdas", "", "lambd"].map { _ in try reader.string(reusing: "lambda") },
                       ["lambda", "lambdas", "", "lambd"])
        XCTAssertEqual(try reader.strings(reusing: ["a", "b"]), ["a", "b"])
        XCTAssertEqual(try reader.strings(reusing: ["a", "b"]), ["a", "c"])
        XCTAssertEqual(try reader.strings(reusing: ["a", "b"]), ["a"])
        XCTAssertTrue(reader.isAtEnd)
    }

    /// A note's search text read from the cache keeps its bytes: written back unchanged (even
    /// bytes that are not UTF-8), read as the string the same bytes make, and equal to the
    /// text it was made from.
    func testCachedSearchTextKeepsItsBytes() throws {
        let bytes: [UInt8] = Array("\u{1}Lambda\nbody ".utf8) + [0xFF, 0x41]
        let kept = SearchText(utf8: bytes[...])
        var writer = ByteWriter()
        kept.write(to: &writer)
        var reader = ByteReader(writer.bytes[...])
        XCTAssertEqual(try reader.count(), bytes.count)
        XCTAssertEqual(Array(try reader.bytes(bytes.count)), bytes)
        XCTAssertEqual(kept.text, String(decoding: bytes, as: UTF8.self))
        XCTAssertEqual(kept.text, "\u{1}Lambda\nbody \u{FFFD}A")
        XCTAssertEqual(SearchText(utf8: Array("\u{1}Lambda\nbody".utf8)[...]), SearchText(text: "\u{1}Lambda\nbody"))
        XCTAssertNotEqual(SearchText(utf8: Array("Lambda".utf8)[...]), SearchText(text: "Lambdas"))
    }
}

/// A small seeded generator (SplitMix64), so a failing damage pattern is the same every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
