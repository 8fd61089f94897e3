import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// Sources and checked dates: front matter, card comments, the stale check, and how every
/// output shows them.
final class ProvenanceTests: XCTestCase {
    private func relative(_ diagnostics: [Diagnostic], _ fixture: Fixture) -> [String] {
        diagnostics.map { $0.description.replacingOccurrences(of: fixture.root.path + "/Content/", with: "") }
    }

    func testSourcesAndCheckedAreKnownFrontMatterKeys() throws {
        let fixture = try Fixture([
            "lambda/a.md": "---\nsources:\n  - https://docs.aws.amazon.com/lambda/latest/dg/welcome.html\n  - https://example.org/b\nchecked: 2026-11-30\n---\n# A\n",
            "lambda/b.md": "---\nsources: https://docs.aws.amazon.com/lambda/\n---\n# B\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(relative(diagnostics, fixture), [])
        let page = set.page("lambda/a.md")!
        XCTAssertEqual(page.provenance.sources, ["https://docs.aws.amazon.com/lambda/latest/dg/welcome.html", "https://example.org/b"])
        XCTAssertEqual(page.provenance.checked?.description, "2026-11-30")
        XCTAssertEqual(page.provenance.line, 5)
        XCTAssertEqual(set.page("lambda/b.md")!.provenance.sources, ["https://docs.aws.amazon.com/lambda/"])
    }

    func testBadSourcesAndDatesAreErrorsAtTheirLine() throws {
        let fixture = try Fixture([
            "lambda/b.md": "---\ntitle: B\nsources:\n  - javascript:alert(1)\n  - ../s3/overview.md\n  - https://ok.example/\nchecked: 2026-02-30\n---\n# B\n",
            "lambda/c.md": "---\nchecked: 30.11.2026\n---\n# C\n",
            "lambda/d.md": "---\nchecked: [2026-11-30]\nsources: {a: b}\n---\n# D\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(relative(diagnostics, fixture), [
            "lambda/b.md:4:5: error: source 'javascript:alert(1)' is not allowed (unsafe URL scheme)",
            "lambda/b.md:5:5: error: source '../s3/overview.md' must be an absolute http or https URL",
            "lambda/b.md:7:10: error: 'checked' is '2026-02-30', a day that does not exist: February 2026 has 28 days",
            "lambda/c.md:2:10: error: 'checked' must be a date written YYYY-MM-DD, not '30.11.2026'",
            "lambda/d.md:2:10: error: 'checked' must be text",
            "lambda/d.md:3:10: error: 'sources' must be a list of URLs",
        ])
        XCTAssertEqual(set.page("lambda/b.md")!.provenance.sources, ["https://ok.example/"])
        XCTAssertNil(set.page("lambda/b.md")!.provenance.checked)
    }

    func testCheckedDatesAreRealCalendarDays() {
        XCTAssertNotNil(CheckedDate("2024-02-29"))
        XCTAssertNil(CheckedDate("2026-02-29"))
        XCTAssertNil(CheckedDate("2026-13-01"))
        XCTAssertNil(CheckedDate("2026-1-01"))
        XCTAssertNil(CheckedDate("+026-11-30"))
        XCTAssertEqual(CheckedDate("2026-08-31")!.adding(months: 6).description, "2027-02-28")
        XCTAssertEqual(CheckedDate("2026-11-30")!.adding(months: -12).description, "2025-11-30")
        XCTAssertEqual(CheckedDate("2026-11-30")!.spelled, "30 November 2026")
    }

    // MARK: Cards' comments

    func testCardsCarryTheirOwnSourcesAndDateInAnyOrderOfComments() throws {
        let fixture = try Fixture([
            "s3/s3.cards.md": """
                ---
                sources: [https://docs.aws.amazon.com/AmazonS3/latest/userguide/]
                checked: 2026-11-30
                ---
                ## Largest object?
                <!-- source: https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html -->
                <!-- id: s3-largest -->
                <!-- checked: 2026-10-01 -->
                <!-- source: https://aws.amazon.com/s3/faqs/ -->

                50 TB.

                ## Single PUT?

                5 GB.
                """,
            "s3/notes.cards.md": "# Notes\n\nLargest object :: 50 TB <!-- id: inline-largest --> <!-- source: https://aws.amazon.com/s3/faqs/ -->\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(relative(diagnostics, fixture), [])
        let cards = set.studySet.cards
        let largest = try XCTUnwrap(cards.first { $0.pinnedID == "s3-largest" })
        XCTAssertEqual(largest.ownProvenance, Provenance(sources: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html",
                                                                   "https://aws.amazon.com/s3/faqs/"],
                                                         checked: CheckedDate("2026-10-01"), line: 6))
        XCTAssertEqual(set.backText(largest), "50 TB.", "the comments are not part of the back")
        let single = try XCTUnwrap(cards.first { $0.frontText == "Single PUT?" })
        XCTAssertTrue(single.ownProvenance.isEmpty)
        XCTAssertEqual(single.provenance(in: set.page("s3/s3.cards.md")!).sources, ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/"],
                       "a card without its own sources cites its file's")
        let inline = try XCTUnwrap(cards.first { $0.pinnedID == "inline-largest" })
        XCTAssertEqual(inline.ownProvenance.sources, ["https://aws.amazon.com/s3/faqs/"])
        XCTAssertEqual(set.backText(inline), "50 TB")
    }

    func testBadCardCommentsAreErrorsAtTheirLine() throws {
        let fixture = try Fixture([
            "s3/s3.cards.md": "## Largest object?\n<!-- source: javascript:alert(1) -->\n<!-- checked: 2026-11-31 -->\n\n50 TB.\n",
        ])
        let (_, diagnostics) = fixture.analyze()
        XCTAssertEqual(relative(diagnostics, fixture), [
            "s3/s3.cards.md:2:1: error: source 'javascript:alert(1)' is not allowed (unsafe URL scheme)",
            "s3/s3.cards.md:3:1: error: 'checked' is '2026-11-31', a day that does not exist: November 2026 has 30 days",
        ])
    }

    // MARK: The stale check

    private func staleDiagnostics(_ fixture: Fixture, months: Int? = 12, today: String = "2026-11-30") -> [String] {
        var options = fixture.options
        options.staleMonths = months
        options.today = CheckedDate(today)
        let log = DiagnosticLog()
        _ = Pipeline(options: options).analyze(log)
        return relative(log.all, fixture)
    }

    static let staleFiles = [
        "s3/fresh.md": "---\nsources: [https://a.example/]\nchecked: 2026-01-01\n---\n# Fresh\n",
        "s3/old.md": "---\ntitle: Old\nsources: [https://a.example/]\nchecked: 2025-11-29\n---\n# Old\n",
        "s3/edge.md": "---\nsources: [https://a.example/]\nchecked: 2025-11-30\n---\n# Edge\n",
        "s3/future.md": "---\nsources: [https://a.example/]\nchecked: 2027-01-01\n---\n# Future\n",
        "s3/bare.md": "# Bare\n",
        "s3/undated.md": "---\nsources: https://a.example/\n---\n# Undated\n",
        "s3/s3.cards.md": "---\nsources: [https://a.example/]\nchecked: 2026-11-01\n---\n## Q?\n<!-- checked: 2024-05-01 -->\n\nA.\n",
        "lambda/lambda.cards.md": "## Q?\n<!-- source: https://b.example/ -->\n<!-- checked: 2026-06-01 -->\n\nA.\n",
    ]

    func testStaleCheckWarnsWithFileAndLine() throws {
        let fixture = try Fixture(Self.staleFiles)
        XCTAssertEqual(staleDiagnostics(fixture), [
            "s3/bare.md:1:1: warning: has no checked date: add 'checked: YYYY-MM-DD' to its front matter",
            "s3/bare.md:1:1: warning: names no sources: add 'sources:' (the URLs its figures come from) to its front matter",
            "s3/future.md:3:1: warning: checked date 2027-01-01 is in the future",
            "s3/old.md:4:1: warning: last checked 2025-11-29, more than 12 months ago: check its figures against its sources, then update 'checked'",
            "s3/s3.cards.md:6:1: warning: last checked 2024-05-01, more than 12 months ago: check its figures against its sources, then update 'checked'",
            "s3/undated.md:2:1: warning: has no checked date: add 'checked: YYYY-MM-DD' to its front matter",
        ], "a card file whose cards all cite and date themselves needs neither")
    }

    func testStaleCheckIsOffUnlessAskedAndFollowsSyllabusYml() throws {
        var fixture = try Fixture(["s3/old.md": Self.staleFiles["s3/old.md"]!])
        XCTAssertEqual(staleDiagnostics(fixture, months: nil), [])
        XCTAssertEqual(staleDiagnostics(fixture, months: 24), [])
        fixture = try Fixture(["s3/old.md": Self.staleFiles["s3/old.md"]!], config: "title: T\nstale_months: 6\n")
        XCTAssertEqual(staleDiagnostics(fixture, months: nil, today: "2026-05-30"), [
            "s3/old.md:4:1: warning: last checked 2025-11-29, more than 6 months ago: check its figures against its sources, then update 'checked'",
        ])
        fixture = try Fixture([:], config: "title: T\nstale_months: 0\n")
        XCTAssertEqual(staleDiagnostics(fixture, months: nil).map { $0.replacingOccurrences(of: fixture.root.path + "/", with: "") },
                       ["syllabus.yml:2:15: error: 'stale_months' must be a number of months above 0"])
    }

    func testCheckStaleOnTheCommandLine() throws {
        let fixture = try Fixture(["s3/bare.md": "# Bare\n", "s3/ok.md": "---\nsources: [https://a.example/]\nchecked: \(CheckedDate(Date()))\n---\n# Ok\n"])
        let result = try CLI.run(["check", "--stale", "12"], in: fixture.root)
        XCTAssertEqual(result.status, 0, "warnings do not fail the check")
        XCTAssertEqual(result.err, """
            Content/s3/bare.md:1:1: warning: has no checked date: add 'checked: YYYY-MM-DD' to its front matter
            Content/s3/bare.md:1:1: warning: names no sources: add 'sources:' (the URLs its figures come from) to its front matter
            0 errors, 2 warnings

            """)
        XCTAssertEqual(try CLI.run(["check"], in: fixture.root).err, "", "no stale check unless asked")
        XCTAssertNotEqual(try CLI.run(["check", "--stale", "0"], in: fixture.root).status, 0)
    }

    // MARK: Every output shows them the same way

    static let renderedFiles = [
        "s3/overview.md": """
            ---
            sources:
              - https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html
              - https://aws.amazon.com/s3/faqs/?x=1&y=2
            checked: 2026-11-30
            ---
            # S3

            ## Key numbers

            | What | Limit |
            | --- | --- |
            | Largest object | {now: 50 TB; exam: 5 TB} |

            Objects reach {now: 50 TB; exam: 5 TB} today.
            """,
        "s3/s3.cards.md": """
            ---
            sources: https://docs.aws.amazon.com/AmazonS3/latest/userguide/
            checked: 2026-11-30
            ---
            ## Largest object?
            <!-- id: s3-largest -->
            <!-- source: https://aws.amazon.com/s3/faqs/ -->
            <!-- checked: 2026-11-29 -->

            {now: 50 TB; exam: 5 TB}.
            """,
    ]

    static let figure = #"<span class="figure"><span class="figure-now">50 TB</span> <span class="figure-exam">(exam: 5 TB)</span></span>"#
    static let noteProvenance = #"<p class="provenance">Checked on <time datetime="2026-11-30">30 November 2026</time>. Sources: <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html">docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html</a>, <a href="https://aws.amazon.com/s3/faqs/?x=1&amp;y=2">aws.amazon.com/s3/faqs/?x=1&amp;y=2</a></p>"#
    static let cardProvenance = #"<p class="provenance">Checked on <time datetime="2026-11-29">29 November 2026</time>. Source: <a href="https://aws.amazon.com/s3/faqs/">aws.amazon.com/s3/faqs</a></p>"#

    func testSiteShowsFiguresCheckedDatesAndSources() async throws {
        let fixture = try Fixture(Self.renderedFiles, config: IncrementalBuildTests.allOutputs)
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let note = try fixture.read("Output/site/s3/overview.html")
        XCTAssertTrue(note.contains("<td>\(Self.figure)</td>"), note)
        XCTAssertTrue(note.contains("<p>Objects reach \(Self.figure) today.</p>"), note)
        XCTAssertTrue(note.contains("    \(Self.noteProvenance)\n"), note)
        let cards = try fixture.read("Output/site/s3/s3-cards.html")
        XCTAssertTrue(cards.contains("<p>\(Self.figure).</p>\n\(Self.cardProvenance)"), "a card's own sources follow its back: \(cards)")
        XCTAssertEqual(cards.components(separatedBy: "class=\"provenance\"").count, 3, "the card's and the file's")
        let service = try fixture.read("Output/site/s3/index.html")
        XCTAssertTrue(service.contains("<div class=\"card-answer\"><p>\(Self.figure).</p>\n\(Self.cardProvenance)\n</div>"), service)
        let practice = try fixture.read("Output/site/practice/index.html")
        XCTAssertTrue(practice.contains(SiteRenderer.jsonString("<p>\(Self.figure).</p>\n\(Self.cardProvenance)\n")), practice)
    }

    func testAnkiBacksCarryTheSourceLink() async throws {
        let fixture = try Fixture(Self.renderedFiles, config: IncrementalBuildTests.allOutputs)
        _ = try await fixture.build()
        let row = try fixture.read("Output/anki/s3.tsv").split(separator: "\n").last.map(String.init)
        let back = "<p>\(Self.figure).</p> \(Self.cardProvenance)".replacingOccurrences(of: "\"", with: "\"\"")
        XCTAssertEqual(row, "s3-largest\tBasic\tTest::S3\tLargest object?\t\"\(back)\"\tstorage::s3")
    }

    func testBookListsSourcesPerChapterAndPassesEpubcheck() async throws {
        let fixture = try Fixture(Self.renderedFiles, config: IncrementalBuildTests.allOutputs)
        _ = try await fixture.build()
        let book = try Data(contentsOf: fixture.root.appendingPathComponent("Output/ebook/test.epub"))
        let archive = try Archive(data: book, accessMode: .read)
        func text(_ path: String) throws -> String {
            var data = Data()
            _ = try archive.extract(try XCTUnwrap(archive["OEBPS/" + path], path)) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let note = try text("service-s3--note-overview.xhtml")
        XCTAssertTrue(note.contains("<td>\(Self.figure)</td>"), note)
        // The chapter's last file, its review questions, ends with the chapter's sources.
        let review = try text("service-s3--review.xhtml")
        XCTAssertTrue(review.hasSuffix("""
            <section class="sources">
            <h2>Sources</h2>
            <ul>
            <li><p class="sources-note">S3</p>
            \(Self.noteProvenance)
            </li>
            <li><p class="sources-note">S3 cards</p>
            <p class="provenance">Checked on <time datetime="2026-11-30">30 November 2026</time>. Sources: <a href="https://docs.aws.amazon.com/AmazonS3/latest/userguide/">docs.aws.amazon.com/AmazonS3/latest/userguide</a>, <a href="https://aws.amazon.com/s3/faqs/">aws.amazon.com/s3/faqs</a></p>
            </li>
            </ul>
            </section>
            </section>
            </body>
            </html>

            """), review)
        try EpubTests.assertValid(at: fixture.root.appendingPathComponent("Output/ebook/test.epub"))
    }

    func testCheatSheetsShowFiguresLikeEveryOutput() async throws {
        let fixture = try Fixture(Self.renderedFiles, config: IncrementalBuildTests.allOutputs)
        _ = try await fixture.build()
        let sheet = try fixture.read("Output/cheatsheets/s3.html")
        XCTAssertTrue(sheet.contains("<td>\(Self.figure)</td>"), sheet)
        XCTAssertTrue(sheet.contains("<p>\(Self.figure).</p>"), sheet)
        XCTAssertFalse(sheet.contains("provenance"), "cheat sheets stay dense")
    }

    func testMalformedFiguresStayTextWithAWarning() throws {
        let fixture = try Fixture(["s3/a.md": "# A\n\nSee www.example.com and {now: 1 MiB} or {now: 1; exam: }.\n\n`{now: x; exam: y}`\n"])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(relative(diagnostics, fixture), [
            "s3/a.md:3:25: warning: '{now:' starts no figure: write {now: today's value; exam: the exam's value}",
            "s3/a.md:3:41: warning: '{now:' starts no figure: write {now: today's value; exam: the exam's value}",
        ])
        let html = Fixture.siteHTML(of: "s3/a.md", in: set)
        XCTAssertTrue(html.contains("{now: 1 MiB} or {now: 1; exam: }."), html)
        XCTAssertTrue(html.contains("<code>{now: x; exam: y}</code>"), html)
    }

    func testFiguresKeepInlineCardsInPlaceAndSpaced() throws {
        let fixture = try Fixture(["s3/n.cards.md": "# N\n\nIntro line.\n{now: 1 MiB; exam: 256 KB} max :: yes\n**Bold** word :: x\n"])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let cards = set.studySet.cards
        XCTAssertEqual(cards.map(\.location.line), [4, 5])
        XCTAssertEqual(cards.map(\.frontText), ["1 MiB (exam: 256 KB) max", "Bold word"])
        let html = Fixture.siteHTML(of: "s3/n.cards.md", in: set)
        XCTAssertTrue(html.contains("(exam: 256 KB)</span></span> max</span>"), html)
        XCTAssertTrue(html.contains("<strong>Bold</strong> word</span>"), html)
        let pinned = try IDPinner.pin(set.studySet, contentRoot: fixture.options.contentRoot)["s3/n.cards.md"] ?? ""
        XCTAssertTrue(pinned.contains("{now: 1 MiB; exam: 256 KB} max :: yes <!-- id: "), pinned)
    }

    func testEditingSourcesOrDatesRebuildsLikeAFreshBuild() async throws {
        let fixture = try Fixture(Self.renderedFiles, config: IncrementalBuildTests.allOutputs)
        _ = try await fixture.build()
        try fixture.write("Content/s3/s3.cards.md", Self.renderedFiles["s3/s3.cards.md"]!.replacingOccurrences(of: "2026-11-29", with: "2026-11-28"))
        try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/anki/s3.tsv").contains("28 November 2026"))
        try fixture.write("Content/s3/overview.md", Self.renderedFiles["s3/overview.md"]!.replacingOccurrences(of: "?x=1&y=2", with: "")
            .replacingOccurrences(of: "exam: 5 TB", with: "exam: 5 TiB"))
        try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/site/s3/overview.html").contains("(exam: 5 TiB)"))
    }

    // MARK: The bundled set

    func testBundledSetNamesItsSourcesAndWasCheckedWithinAYear() throws {
        var options = BookFixture.bundledOptions(output: FileManager.default.temporaryDirectory.appendingPathComponent("unused"))
        options.staleMonths = 12
        options.today = CheckedDate("2026-11-30")
        let log = DiagnosticLog()
        let set = Pipeline(options: options).analyze(log)
        XCTAssertEqual(log.all.map(\.description), [])
        XCTAssertGreaterThan(set.pages.count, 70, "the bundled notes were read")
        XCTAssertTrue(set.pages.allSatisfy { $0.provenance.checked == CheckedDate("2026-11-30") && !$0.provenance.sources.isEmpty })
    }

    /// The statements AWS changed since the set was written (issue 19) give today's figure and,
    /// where it differs, the exam's.
    func testBundledSetGivesTodaysFiguresBesideTheExamOnes() throws {
        func text(_ path: String) throws -> String {
            try String(contentsOf: Fixture.repository.appendingPathComponent("Content/\(path)"), encoding: .utf8)
        }
        let expected: [(String, [String])] = [
            ("sqs/overview.md", ["| {now: 1 MiB; exam: 256 KB} |", "Payloads above {now: 1 MiB; exam: 256 KB} use the **Amazon SQS Extended Client Library**"]),
            ("eventbridge/overview.md", ["{now: 1 MB; exam: 256 KB}"]),
            ("s3/overview.md", ["{now: 50 TB; exam: 5 TB}", "| up to 5 GB;", "SSE-C is blocked by default on new general purpose buckets", "403"]),
            ("s3/s3.cards.md", ["new general purpose buckets block SSE-C by default"]),
            ("sts/sts.cards.md", ["- `AssumeRoot`", "- `GetWebIdentityToken`"]),
            ("kms/overview.md", ["{now: 10,000 requests/s in most Regions, more in several;", "adjustable"]),
            ("ecs/overview.md", ["since July 2025 ECS runs them itself", "**CodeDeploy** blue/green"]),
            ("x-ray/overview.md", ["**OpenTelemetry**", "25 February 2026", "25 February 2027"]),
            ("sns/overview.md", ["up to 1 MiB if the topic is set to accept it"]),
            ("api-gateway/overview.md", ["streams its response, up to 15 minutes", "streams its response can send more"]),
            ("sdk-cli/overview.md", ["SDK for Java 2.x checks **Java system properties before environment variables**", "31 December 2025"]),
            ("sdk-cli/sdk-cli.cards.md", ["1. **Java system properties**", "3. **Web identity token credentials**", "SDK for Java 1.x class (end of support 31 December 2025)"]),
            ("dynamodb/overview.md", ["{now: a recovery period of 1 to 35 days, 35 by default; exam: 35 days}"]),
            ("dynamodb/dynamodb.cards.md", ["the element is `ConditionCheck`", "`ConditionCheckItem` is the IAM action"]),
        ]
        for (path, phrases) in expected {
            let content = try text(path)
            for phrase in phrases { XCTAssertTrue(content.contains(phrase), "\(path) lacks '\(phrase)'") }
        }
        XCTAssertFalse(try text("s3/overview.md").contains("| Object size | up to 5 TB |"))
        XCTAssertFalse(try text("eventbridge/overview.md").contains("| Event (PutEvents entry) size | 256 KB |"))
    }
}
