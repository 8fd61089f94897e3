import XCTest
@testable import SyllabusCore

final class LinkingTests: XCTestCase {
    func testCrossLinksFirstMentionOfEachServicePerSection() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "# Lambda\n\nRead from S3 and write to S3.\n\n## Next\n\nS3 again, and Amazon S3 Glacier.\n",
            "s3/overview.md": "# S3\n\nStores objects.\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let html = Fixture.siteHTML(of: "lambda/overview.md", in: set)
        XCTAssertTrue(html.contains("Read from <a href=\"../s3/index.html\">S3</a> and write to S3."))
        XCTAssertTrue(html.contains("<a href=\"../s3/index.html\">S3</a> again"), "a new section links again")
        XCTAssertTrue(html.contains("and Amazon S3 Glacier."), "the same service is linked once per section, the longest name matched")
    }

    func testNoCrossLinkInCodeLinksHeadingsOrOwnPages() throws {
        let fixture = try Fixture([
            "lambda/overview.md": """
                # Lambda calls S3

                Use `S3` in code, [S3 docs](https://example.com) and

                ```
                S3 in a block
                ```

                Lambda is this page's own service.
                """,
            "s3/overview.md": "# S3\n\nStores objects.\n",
        ])
        let (set, _) = fixture.analyze()
        let html = Fixture.siteHTML(of: "lambda/overview.md", in: set)
        XCTAssertFalse(html.contains("s3/index.html"), html)
        XCTAssertFalse(html.contains("lambda/index.html"))
    }

    func testWholeWordsOnlyAndCaseAsInCatalog() {
        let matcher = MentionMatcher(services: [
            Service(id: "s3", name: "Amazon S3", short: "S3", category: "Storage"),
            Service(id: "glacier", name: "Amazon S3 Glacier", short: "Glacier", category: "Storage"),
        ])
        XCTAssertEqual(matcher.mentions(in: "S3X s3 xS3 Amazon S3 Glacier, S3.").map(\.serviceID), ["glacier", "s3"])
        XCTAssertEqual(matcher.mentions(in: "Amazon S3 Glacier").first?.range, 0..<17)
    }

    func testJapaneseScriptChangesAndPunctuationAreWordBreaks() {
        let matcher = MentionMatcher(services: [
            Service(id: "lambda", name: "AWS Lambda", short: "Lambda", aliases: ["ラムダ"], category: "Compute"),
            Service(id: "sqs", name: "Amazon SQS", short: "SQS", category: "Integration"),
        ])
        func found(_ text: String) -> [String] { matcher.mentions(in: text).map { String(decoding: Array(text.utf8)[$0.range], as: UTF8.self) } }
        XCTAssertEqual(found("発行します。Lambda を使う"), ["Lambda"])
        XCTAssertEqual(found("発行します、Lambda"), ["Lambda"])
        XCTAssertEqual(found("Lambda関数と「SQS」"), ["Lambda", "SQS"])
        XCTAssertEqual(found("ラムダを使う。ラムダ関数"), ["ラムダ", "ラムダ"])
        // A run of katakana is one word; Latin joins Latin and accented letters as before.
        XCTAssertEqual(found("パラムダス"), [])
        XCTAssertEqual(found("Lambdas SQSQueue Lambdaé éLambda"), [])
        XCTAssertEqual(matcher.mentions(in: "関数Lambda").first?.range, 6..<12)
    }

    /// Korean particles attach to the word before them (found by a fresh-user trial: none of
    /// `Lambda함수가`, `람다는`, `SQS에서` linked): a name followed by particles is a mention, a
    /// Latin name followed by any Hangul is one (the script changes), and a Hangul name inside a
    /// longer word is not.
    func testKoreanNamesTakeParticlesAndLatinNamesEndAtHangul() {
        let matcher = MentionMatcher(services: [
            Service(id: "lambda", name: "AWS Lambda", short: "Lambda", aliases: ["람다"], category: "Compute"),
            Service(id: "sqs", name: "Amazon SQS", short: "SQS", category: "Integration"),
        ])
        func found(_ text: String) -> [String] { matcher.mentions(in: text).map { String(decoding: Array(text.utf8)[$0.range], as: UTF8.self) } }
        XCTAssertEqual(found("Lambda함수가 SQS에서 메시지를 읽는다"), ["Lambda", "SQS"])
        XCTAssertEqual(found("람다는 빠르다. 람다에서는, 람다로도, 람다"), ["람다", "람다", "람다", "람다"])
        XCTAssertEqual(matcher.mentions(in: "람다는").first?.range, 0..<6, "the particle is not part of the mention")
        XCTAssertEqual(found("람다식 쓰기. 새람다 람다식으로 람다는요"), [], "a longer word, or particles followed by more")
        XCTAssertEqual(found("람다" + String(repeating: "는", count: 7)), [], "longer than any run of particles")
    }

    func testRelativeLinksToNotesAndAnchorsResolve() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "# Lambda\n\nSee [limits](../s3/details.md#limits) and [top](#lambda).\n",
            "s3/details.md": "# S3 details\n\n## Limits\n\nFive.\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let html = Fixture.siteHTML(of: "lambda/overview.md", in: set)
        XCTAssertTrue(html.contains("<a href=\"../s3/details.html#limits\">limits</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"../lambda/overview.html#lambda\">top</a>"), html)
    }

    func testDeadLinksAreErrorsAndMissingAnchorsWarningsWithPositions() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "---\ntitle: L\n---\n# Lambda\n\nA [missing](nope.md) and [bad anchor](overview.md#nowhere).\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), [
            "\(fixture.root.path)/Content/lambda/overview.md:6:3: error: link to 'nope.md': no such note",
            "\(fixture.root.path)/Content/lambda/overview.md:6:26: warning: link to 'overview.md#nowhere': lambda/overview.md has no heading or anchor with id 'nowhere'; it goes to the note",
        ])
        let html = Fixture.siteHTML(of: "lambda/overview.md", in: set)
        XCTAssertTrue(html.contains("A missing and <a href=\"../lambda/overview.html\">bad anchor</a>."), html)
    }

    func testServicePagesKnowRelatedServicesAndBackLinks() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "# Lambda\n\nReads S3.\n",
            "s3/overview.md": "# S3\n\nStores objects.\n",
            "general.md": "# Tips\n\nS3 and S3 and Lambda.\n",
        ])
        let (set, _) = fixture.analyze()
        XCTAssertEqual(set.page("general.md")?.serviceID, "s3", "a note outside service folders joins the service it names most")
        XCTAssertEqual(set.mentionedIn("s3").map(\.id), ["lambda/overview.md"])
        XCTAssertEqual(set.related(to: "lambda").map(\.serviceID), ["s3"])
    }

    func testTermIndexHasServiceNamesHeadingsAndBoldTerms() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "# Lambda\n\n## Cold starts\n\nA **provisioned concurrency** setting.\n",
        ])
        let (set, _) = fixture.analyze()
        let terms = Dictionary(set.terms.map { ($0.text, $0.places) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(terms["Cold starts"]?.first?.target, .page(id: "lambda/overview.md", fragment: "cold-starts"))
        XCTAssertEqual(terms["provisioned concurrency"]?.first?.target, .page(id: "lambda/overview.md", fragment: "cold-starts"))
        XCTAssertEqual(terms["AWS Lambda"]?.first?.target, .service(id: "lambda"))
        XCTAssertNil(terms["S3"], "services with no pages are not indexed")
    }

    func testIndexFilesAccentedAndNonLatinTermsUnderHeadingsOfTheirOwn() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "# Lambda\n\n**Überblick**, **Umgebung**, **Ärger**, **Abfrage**, **Öffentlicher Zugriff**,"
                + " **ラムダ関数**, **がいよう**, **カード**, **同時実行**, **Ωμέγα**, **4xx**.\n",
        ])
        let (set, _) = fixture.analyze()
        func filed(_ letter: String) -> [String] { set.terms.filter { $0.letter == letter }.map(\.text) }
        XCTAssertEqual(filed("U"), ["Überblick", "Umgebung"])
        XCTAssertEqual(filed("A"), ["Abfrage", "Ärger", "AWS Lambda"])
        XCTAssertEqual(filed("O"), ["Öffentlicher Zugriff"])
        XCTAssertEqual(filed("ら"), ["ラムダ関数"])
        XCTAssertEqual(filed("か"), ["カード", "がいよう"], "katakana files and sorts as hiragana, a voiced kana in its plain kana's row")
        XCTAssertEqual(filed("漢字"), ["同時実行"])
        XCTAssertEqual(filed("Ω"), ["Ωμέγα"])
        XCTAssertEqual(filed("#"), ["4xx"])
        XCTAssertEqual(IndexLetter.heading(for: "람다"), "ㄹ")
    }

    func testIndexEntriesASeeNamesGetIdsUnlessTwoWouldShareOne() {
        let terms = [Term(text: "AWS Lambda", places: []), Term(text: "aws-lambda", places: []), Term(text: "Amazon S3", places: []),
                     Term(text: "Lambda", places: [], see: "AWS Lambda"), Term(text: "λ", places: [], see: "aws-lambda"),
                     Term(text: "S3", places: [], see: "Amazon S3"), Term(text: "Glacier", places: [])]
        XCTAssertEqual(Term.anchored(terms), ["Amazon S3"], "both Lambda entries would be term-aws-lambda; Glacier is named by no see")
        XCTAssertEqual(Term.anchored(terms) { $0.text != "Amazon S3" }, [])
        XCTAssertEqual(Term.anchorID("Amazon S3"), "term-amazon-s3")
    }

    func testANoteNamingAnotherServiceIsIndexedUnderItsFullNameAtItsFirstMentionByAnyName() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "# Functions\n\nLambda reads S3.\n\n## Storage\n\nS3 and Amazon S3.\n\n## Later\n\nAmazon S3 and S3.\n",
            "s3/overview.md": "# Buckets\n\nAmazon S3 stores objects, as S3 says.\n",
        ])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Dictionary(set.terms.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(terms["Amazon Simple Storage Service"]?.places.map(\.target), [.service(id: "s3"), .page(id: "lambda/overview.md", fragment: "functions")],
                       "the service's page, then the Lambda note once, at its first mention of either name; not S3's own note, which its page lists")
        for name in ["S3", "Amazon S3"] {
            XCTAssertEqual(terms[name]?.places.count, 0, "another name says see, with no pages of its own")
            XCTAssertEqual(terms[name]?.see, "Amazon Simple Storage Service")
        }
        XCTAssertEqual(terms["AWS Lambda"]?.places.map(\.target), [.service(id: "lambda")], "a note naming its own service is not listed")

        // A service with no notes: its entry lists the notes that name it, and its other names point there.
        let alone = try Fixture(["lambda/overview.md": "# Functions\n\nLambda reads S3.\n"])
        defer { try? FileManager.default.removeItem(at: alone.root) }
        let others = Dictionary(alone.analyze().0.terms.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(others["Amazon Simple Storage Service"]?.places.map(\.target), [.page(id: "lambda/overview.md", fragment: "functions")])
        XCTAssertEqual(others["S3"]?.see, "Amazon Simple Storage Service")
        XCTAssertEqual(others["Amazon S3"]?.see, "Amazon Simple Storage Service")
    }
}
