import Foundation
import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// The command line's small promises and the site's wording, checked on real builds.
final class PolishTests: XCTestCase {
    func testVersionAndContradictoryFlags() throws {
        let folder = try EndToEndSupport.temporaryFolder("cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let version = try CLI.run(["--version"], in: folder)
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.out.trimmingCharacters(in: .whitespacesAndNewlines), SyllabusVersion.current)

        let both = try CLI.run(["build", "--quiet", "--verbose"], in: folder)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.err.hasPrefix("error: --quiet and --verbose contradict each other"), both.err)
        XCTAssertFalse(both.err.contains("Error:"), "every message says error: as a compiler does: \(both.err)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Output").path), "nothing built")
    }

    /// A template that does not parse: its file, line and column, and the problem in words.
    func testTemplateSyntaxErrorNamesFileLineAndProblem() throws {
        let (result, index, broken) = try buildWithOneTemplateLineChanged("note.mustache", where: { $0.contains("{{/hasToc}}") }) {
            $0.replacingOccurrences(of: "{{/hasToc}}", with: "{{/hasTOC}}")
        }
        XCTAssertEqual(result.status, 1)
        // Inside the working folder, so named relative to it, as content files are.
        XCTAssertTrue(result.err.hasPrefix("Templates/note.mustache:\(index + 1):"), result.err)
        XCTAssertTrue(result.err.contains(": error: this {{/…}} closes a section other than the one opened last: "
                                          + broken.trimmingCharacters(in: .whitespaces)), result.err)
    }

    /// Builds the practice fixture from its own folder with a copy of the theme whose
    /// `template` has its first line matching `line` changed by `change`; the build's result,
    /// that line's index and its new text.
    private func buildWithOneTemplateLineChanged(_ template: String, where line: (String) -> Bool,
                                                 _ change: (String) -> String) throws -> (result: (status: Int32, out: String, err: String), index: Int, line: String) {
        let folder = try EndToEndSupport.temporaryFolder("template-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        try EndToEndSupport.writeFixture(PracticePageTests.fixture, in: folder)
        let templates = folder.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: templates)
        let file = templates.appendingPathComponent(template)
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let index = try XCTUnwrap(lines.firstIndex(where: line))
        lines[index] = change(lines[index])
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let result = try CLI.run(["build", "--templates", "Templates", "--output", "Output", "--content", "Content",
                                  "--config", "syllabus.yml"], in: folder)
        return (result, index, lines[index])
    }

    /// A section never closed is reported where it opens, by name (swift-mustache notices it
    /// at the end of the file, a line past the last).
    func testUnclosedTemplateSectionIsReportedWhereItOpens() throws {
        let (result, index, _) = try buildWithOneTemplateLineChanged("layout.mustache", where: { $0.hasPrefix("{{> partials/footer}}") }) {
            "  {{#broken}}" + $0
        }
        XCTAssertEqual(result.status, 1)
        XCTAssertEqual(result.err, "Templates/layout.mustache:\(index + 1):3: error: the section {{#broken}} is never closed with {{/broken}}\n")
    }

    /// The innermost section left open, at its `{{`; balanced sections, a mismatched close
    /// (another error) and changed delimiters find none.
    func testUnclosedSectionScan() {
        let found = TemplateSet.unclosedSection(in: "a {{#x}}{{{y}}}{{! {{#c}} }}\n  {{^ inner }}{{> p}}\n")
        XCTAssertEqual(found?.tag, "^ inner")
        XCTAssertEqual(found?.name, "inner")
        XCTAssertEqual(found?.line, 2)
        XCTAssertEqual(found?.column, 3)
        XCTAssertNil(TemplateSet.unclosedSection(in: "{{#a}}{{$b}}{{/b}}{{/a}}"))
        XCTAssertNil(TemplateSet.unclosedSection(in: "{{#a}}{{/b}}"))
        XCTAssertNil(TemplateSet.unclosedSection(in: "{{=<% %>=}}<%#a%>"))
    }

    /// A missing theme folder, a missing template and a misspelt variable name their files as
    /// every other diagnostic does: relative to the working directory when inside it.
    func testTemplateFailuresNameTheirFilesRelativeToTheWorkingDirectory() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Overview\n\nText.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("Theme/home.mustache", "{{titel}}\n")
        let previous = FileManager.default.currentDirectoryPath
        let root = fixture.root.resolvingSymlinksInPath().path
        _ = FileManager.default.changeCurrentDirectoryPath(root)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        do {
            _ = try await TemplateSet.load(from: URL(fileURLWithPath: root + "/NoTheme"))
            XCTFail("a missing folder loads")
        } catch let failure as TemplateSet.Failure {
            XCTAssertTrue(failure.line.hasPrefix("error: NoTheme: templates folder not found;"), failure.line)
        }
        let theme = try await TemplateSet.load(from: URL(fileURLWithPath: root + "/Theme/"))
        XCTAssertThrowsError(try theme.require(["home", "note"])) { error in
            XCTAssertEqual((error as? TemplateSet.Failure)?.line, "error: Theme: template 'note.mustache' is missing")
        }
        let log = DiagnosticLog()
        _ = theme.render("home", ["title": "T"])
        theme.reportUnknownVariables(into: log)
        XCTAssertEqual(log.all.map(\.location.description), ["Theme/home.mustache:1:1"])
    }

    /// A template error's line: once `file:line:column: error:`, never `error:` before it.
    func testTemplateFailureLineSaysErrorOnce() {
        XCTAssertEqual(TemplateSet.Failure.syntax(file: "T/a.mustache", line: 2, column: 3, problem: "bad").line,
                       "T/a.mustache:2:3: error: bad")
        XCTAssertEqual(TemplateSet.Failure.missing("note", folder: "T").line, "error: T: template 'note.mustache' is missing")
    }
}

/// Notes about no one service, and the counts and titles the site shows.
final class GeneralAndCountsTests: XCTestCase {
    static let files: [String: String] = [
        // Names Lambda three times, but says it is general.
        "exam.md": "---\nservice: general\n---\n# Exam strategy\n\nLambda, Lambda and AWS Lambda questions.\n",
        // Names Lambda most and says nothing: joins Lambda, as before.
        "extra.md": "# Extra\n\nAWS Lambda and AWS Lambda again.\n",
        "lambda/overview.md": "# Lambda overview\n\nRuns code.\n",
        // Inline cards are read in card files only.
        "lambda/lambda.cards.md": "# Lambda cards\n\nInline front :: inline back\n\n## What runs code?\n\nLambda.\n",
        "s3/a.md": "# S3 a\n\nObjects.\n",
        "s3/b.md": "# S3 b\n\nBuckets.\n",
    ]

    /// A set of flashcards alone counts its cards, not "0 notes", on the home page, on its
    /// service's entry and on the book's title page.
    func testACardsOnlySetCountsNoNotes() async throws {
        let fixture = try Fixture(["lambda/lambda.cards.md": Self.files["lambda/lambda.cards.md"]!],
                                  config: "title: Test\ndeck: Test\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        let home = try fixture.read("Output/site/index.html")
        XCTAssertTrue(home.contains("<p class=\"lead\">1 service · 2 flashcards."), home)
        XCTAssertTrue(home.contains("<span class=\"meta\">2 cards</span>"), home)
        XCTAssertFalse(home.contains("0 notes"), home)
        XCTAssertEqual(nonZeroCounts([(0, "0 notes"), (0, "0 cards")]), "0 notes · 0 cards", "all of them when all are none")
    }

    func testGeneralNotesComeFirstAndCountsArePlural() async throws {
        let fixture = try Fixture(Self.files, config: "title: Test\ndeck: Test\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), [])
        XCTAssertEqual(set.page("exam.md")?.serviceID, "general")
        XCTAssertEqual(set.page("extra.md")?.serviceID, "lambda")
        XCTAssertEqual(set.studySet.servicesInUse.map(\.id), ["general", "lambda", "s3"])
        XCTAssertEqual(EpubLayout(set) {}.chapters.map(\.service.id), ["general", "lambda", "s3"], "General is the book's first chapter")
        XCTAssertEqual(set.studySet.noteCount, 5, "the flashcard file is not a note")

        let report = try await fixture.build()
        XCTAssertEqual(report.services, 2, "the summary line counts services as the home page does")
        let home = try fixture.read("Output/site/index.html")
        let general = try XCTUnwrap(home.range(of: "<h2>General")), compute = try XCTUnwrap(home.range(of: "<h2>Compute"))
        XCTAssertLessThan(general.lowerBound, compute.lowerBound, "General is listed first")
        XCTAssertTrue(home.contains("2 services · 5 notes · 2 flashcards"), "the General group is not a service")
        XCTAssertTrue(home.contains("<span class=\"meta\">1 note</span>"), "General's entry: no count of none")
        XCTAssertTrue(home.contains("<strong>General</strong><span class=\"meta\">"), "General's entry names it once")
        XCTAssertTrue(home.contains("<strong>Lambda</strong><span>AWS Lambda</span>"), "a service's entry gives its full name")
        XCTAssertTrue(home.contains("2 notes · 2 cards"), "Lambda: overview and extra, not the cards file")
        XCTAssertTrue(home.contains("<span class=\"meta\">2 notes</span>"), "S3")
        XCTAssertFalse(home.contains("1 notes") || home.contains("1 cards"))
        XCTAssertTrue(home.contains("<title>Test</title>"), "the home page's title is the site's, once")
        XCTAssertTrue(try fixture.read("Output/site/lambda/overview.html").contains("<title>Lambda overview · Test</title>"))
        let lambda = try fixture.read("Output/site/lambda/index.html")
        XCTAssertTrue(lambda.contains("(2 cards)"), "the cards file's count: its heading card and its inline card")
    }

    func testServiceFrontMatterIsChecked() throws {
        let fixture = try Fixture(["stray.md": "---\nservice: nosuch\n---\n# Stray\n",
                                   "lambda/in-folder.md": "---\ntitle: In folder\nservice: general\n---\n# In folder\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        let messages = diagnostics.map(\.description)
        XCTAssertTrue(messages.contains { $0.hasSuffix("stray.md:2:1: error: unknown service id 'nosuch' in front matter 'service' (use a service id of services.yml, or general)") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("in-folder.md:3:1: warning: front matter 'service: general' is ignored") }, "\(messages)")
        XCTAssertEqual(set.page("lambda/in-folder.md")?.serviceID, "lambda")
    }

    /// A catalog whose categories interleave (Lambda and EC2 are Compute, S3 between them is
    /// Storage): the home page groups them, and every other list of services follows it.
    func testEveryOutputListsServicesInTheHomePagesOrder() async throws {
        let services = Fixture.plainServices + """
            - id: ec2
              name: Amazon Elastic Compute Cloud
              short: EC2
              category: Compute

            """
        let card = "\n\n## What is it for?\n\nRunning code.\n"
        let fixture = try Fixture(["lambda/a.cards.md": "# Lambda cards" + card, "s3/a.cards.md": "# S3 cards" + card,
                                   "ec2/a.cards.md": "# EC2 cards" + card, "exam.md": "# Exam\n\nThe exam.\n"],
                                  services: services, config: "title: Test\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), [])
        let order = ["general", "lambda", "ec2", "s3"]
        XCTAssertEqual(set.studySet.categoriesInUse.flatMap(\.services).map(\.id), order)
        XCTAssertEqual(set.studySet.servicesInUse.map(\.id), order)
        XCTAssertEqual(EpubLayout(set) {}.chapters.map(\.service.id), order, "the book's chapters")
        XCTAssertEqual(CheatSheetRenderer.sheetServices(set).map(\.id), ["lambda", "ec2", "s3"], "the cheat sheets")

        _ = try await fixture.build()
        // Where each of `needles` first occurs in `text`, which must hold them all.
        func positions(_ needles: [String], in text: String) throws -> [Int] {
            try needles.map { try XCTUnwrap(text.range(of: $0), "\($0) missing").lowerBound.utf16Offset(in: text) }
        }
        let home = try positions(["<strong>Lambda</strong>", "<strong>EC2</strong>", "<strong>S3</strong>"],
                                 in: try fixture.read("Output/site/index.html"))
        XCTAssertEqual(home, home.sorted(), "the home page groups Compute's services")
        let picker = try positions(["data-deck-link=\"lambda\"", "data-deck-link=\"ec2\"", "data-deck-link=\"s3\""],
                                   in: try fixture.read("Output/site/practice/index.html"))
        XCTAssertEqual(picker, picker.sorted(), "the practice page's decks")
        let sheets = try positions(["<h1>AWS Lambda</h1>", "<h1>Amazon Elastic Compute Cloud</h1>", "<h1>Amazon Simple Storage Service</h1>"],
                                   in: try fixture.read("Output/cheatsheets/all.html"))
        XCTAssertEqual(sheets, sheets.sorted(), "the cheat sheets' book")
    }
}

/// The term index: what a reader would look up, one entry per service, a filter box.
final class TermIndexTests: XCTestCase {
    func testQuantitiesAreReadAlikeInASCIIAndOtherText() {
        let verdicts: [(String, Bool)] = [
            ("4 KB", false), ("4\tKB", false), ("15 minutes", false), ("1,000 ms", false), ("-5 dB", false),
            ("$0.20 per", false), ("429", false), ("OK", false), ("Must Not", false),
            ("4 KB limit", true), ("v2 API", true), ("S3", true), ("2x faster", true), ("x-axis", true),
            // Not ASCII: Unicode letters, spaces and the dashes and signs a quantity may hold.
            ("≤5 minutes", false), ("5\u{A0}KB", false), ("5–10 s", false), ("Café", true), ("5 – 10 minutes", true), ("١٢", false),
        ]
        for (text, lookedUp) in verdicts {
            XCTAssertEqual(TermCollector.isLookedUp(text, lowercased: text.lowercased()), lookedUp, text)
        }
    }

    /// A published guide's pages make each tab of an example a heading ("[ Java ]"), caption
    /// the samples in a tab with a bold line ("**SDK for Java 2.x**") and open with a bold
    /// copyright line: none is a term. A bracketed word inside a term, a term that only
    /// mentions copyright, and a bold line under another heading still are.
    func testTabLabelsAndLegalNoticesAreNotTerms() throws {
        let verdicts: [(String, Bool)] = [
            ("[ Java ]", false), ("[ .NET ]", false), ("[N]", false), ("[ Café ]", false),
            ("Copyright © Example Corp., Inc. and/or its affiliates. All rights reserved", false),
            ("Copyright 2026 Example Corp.", false), ("(c) 2026 Example Corp.", false), ("© Example Corp.", false),
            ("Example Corp. All Rights Reserved", false),
            ("list[N] syntax", true), ("[one] or [two]", true), ("Copyright", true), ("copyright law", true), ("Reserved concurrency", true),
        ]
        for (text, lookedUp) in verdicts {
            XCTAssertEqual(TermCollector.isLookedUp(text, lowercased: text.lowercased()), lookedUp, text)
        }
        let fixture = try Fixture([
            "lambda/index.md": "# Guide\n\n*****Copyright &copy; Example Corp. All rights reserved.*****\n\n- [Handlers](handlers.md)\n",
            "lambda/handlers.md": """
                # Handlers

                ## Writing a handler

                #### [ Java ]

                **SDK for Java 2.x**  
                Implement **RequestHandler**.

                **SDK for Java 1.x**  
                The same.

                #### [ Python ]

                Define a function.

                ## Packaging

                **Deployment package**  
                A .zip file.
                """,
        ])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        for dropped in ["[ Java ]", "[ Python ]", "Copyright © Example Corp. All rights reserved", "SDK for Java 2.x", "SDK for Java 1.x"] {
            XCTAssertFalse(terms.contains(dropped), dropped)
        }
        for kept in ["Writing a handler", "RequestHandler", "Deployment package"] { XCTAssertTrue(terms.contains(kept), kept) }
    }

    /// A procedure bolds the values and labels it tells the reader to pick or type ("set
    /// Auto scaling to **On**", "type **Id**"), a formula and its variables ("**m1**",
    /// "**100*(m1/wcu)**"), a key ("**^A**") and a key chord ("**Ctrl+C**"): none is looked up.
    /// Acronyms, codes and names with a digit stay, as do lists of names joined by "/" and a "+"
    /// in a name.
    func testUIValuesFormulasAndKeysAreNotTerms() throws {
        let verdicts: [(String, Bool)] = [
            ("On", false), ("Id", false), ("m1", false), ("e2", false), ("^A", false), ("^search", false),
            ("100*(m1/provisionedWCU)", false), ("used/PERIOD(used)", false), ("a=b", false), ("x^2", false),
            ("Example", false), ("Examples", false), ("Éa", false), ("Next Steps", false), ("Prerequisites", false), ("Contents", false),
            ("Related topics", false), ("Next-generation streams", true),
            ("TTL", true), ("GSI", true), ("BS", true), ("S3", true), ("EC2", true), ("Db2", true), ("4xx", true),
            ("ÉT", true), ("東京", true), ("של", true), ("Read/Write", true), ("Ctrl+C", false), ("C++", true), ("ebextensions/*.config", true),
            ("ssm:GetParameter*", true), ("Updating(Y/N) prompt", true), ("Worked example", true), ("m1 ID", true),
            ("Ctrl + Shift + P", false), ("alt+F4", false), ("Cmd+S", false), ("Option+Click", false),
            ("Shift", true), ("Ctrl+Shift key binding", true), ("Win+", true),
        ]
        for (text, lookedUp) in verdicts {
            XCTAssertEqual(TermCollector.isLookedUp(text, lowercased: text.lowercased()), lookedUp, text)
        }
        let fixture = try Fixture([
            "lambda/scaling.md": """
                # Scaling a table

                ## Auto scaling with TTL

                1. In the **Capacity** section, set **Auto scaling** to **On** and type **Id** for the **Partition key**.
                2. Select **m1**, then change the formula to **100*(m1/provisionedWCU)**.
                3. Fields are split by **^A**; the stream is **DynamoDB Streams** and the index a **GSI**.

                **Example**

                Text.
                """,
        ], config: "title: Test\ndeck: Test\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        for dropped in ["On", "Id", "m1", "100*(m1/provisionedWCU)", "^A", "Example"] { XCTAssertFalse(terms.contains(dropped), dropped) }
        for kept in ["Auto scaling with TTL", "Capacity", "Auto scaling", "Partition key", "DynamoDB Streams", "GSI"] {
            XCTAssertTrue(terms.contains(kept), kept)
        }
    }

    /// A published guide's procedures bold the buttons and values they name ("choose
    /// **accept**", "type **Ctrl+C**", "enter **item_1**", "the key **table_name**", all from
    /// the DynamoDB guide; "choose **Save anyway**", "choose **AWS**" from the Step Functions
    /// guide): none is looked up, whatever its words. A word in prose and bold code
    /// ("**`container_commands`**", as the bundled set writes its terms, "choose **`awsvpc`**")
    /// stay terms, and a word made a heading is one even where a step bolds it as a button.
    /// So are the SQS and Kinesis guides' parts of a screen ("the **Details** page", "the
    /// **Enable** check box", "the **Set permissions** step"), a menu an instruction follows
    /// ("from **Actions**, choose"), a label joined to another ("or **Save**"), a
    /// condition ("Whenever this alarm") and a preposition alone ("Set **for** to …"); a "field"
    /// is not a screen's alone, and stays.
    func testScreenLabelsAndCodeNamesAreNotTerms() throws {
        let fixture = try Fixture([
            "lambda/copying.md": """
                # Copying an item

                1. Choose **Copy**, then choose **Next**.
                2. Type **accept** to confirm, or press **Ctrl+C** to stop.
                3. Set a tag with the key **table_name**, and for **Artist**, enter **item_1**.
                4. Choose **SSE-KMS** with a key, select **Create table** and then choose **Run**.
                5. Choose **Save anyway**, for **Service provider** choose **AWS**, enter **$.IsHelloWorld**.
                6. On the **Details** page, from **Actions**, choose **Purge**, then choose **Create queue** or **Save**.
                7. Set **Whenever this alarm** to **State is ALARM** and **for** to **1 out of 1 datapoints**.
                8. In the **Set permissions** step, select the **Enable** check box, then choose the **Remove** icon.

                Retries belong in the **Retry** field; the **Queues** of a region are listed together; the **health** check runs often.

                Writes above the limit are **throttled**; **`cfn-init`** configures instances,
                **`PutItem`** writes one item, choose **`awsvpc`** to give a task its own network interface
                and **`container_commands`** run on the leader only.

                ## Run

                Runs the copy.
                """,
        ], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        XCTAssertTrue(terms.isDisjoint(with: ["Copy", "Next", "accept", "Ctrl+C", "table_name", "item_1", "SSE-KMS", "Create table",
                                              "Save anyway", "AWS", "$.IsHelloWorld", "Details", "Actions", "Purge", "Create queue",
                                              "Save", "Whenever this alarm", "State is ALARM", "for", "Set permissions",
                                              "Enable", "Remove"]), "\(terms)")
        XCTAssertTrue(terms.isSuperset(of: ["throttled", "cfn-init", "PutItem", "awsvpc", "container_commands", "Run", "Artist",
                                            "Service provider", "Retry", "Queues", "health"]), "\(terms)")
        let run = set.terms.first { $0.text == "Run" }
        XCTAssertEqual(run?.places.map(\.target), [.page(id: "lambda/copying.md", fragment: "run")])
    }

    /// A note's title names what the note is about (the Step Functions guide's "ResultPath",
    /// "Intrinsic functions": 177 of its 198 titles were no entry, found by a fresh-user
    /// trial): it is an entry at the top of the note, from front matter or its first heading,
    /// unless it is a caption or a sentence as a heading would be, an optional part
    /// ("(Optional) Prerequisites", as a heading too) or a card file's.
    func testNoteTitlesThatNameSomethingAreEntriesAtTheTopOfTheNote() throws {
        let fixture = try Fixture([
            "lambda/resultpath.md": "# ResultPath\n\nSelects where a state's result goes.\n\n## (Optional) Prerequisites\n\nAn account.\n",
            "lambda/intrinsic.md": "---\ntitle: Intrinsic functions\n---\nFunctions in the States Language.\n",
            "lambda/example.md": "# Example app.py\n\nA sample.\n",
            "lambda/sentence.md": "# Lambda is fast\n\nIt is.\n",
            "lambda/lambda.cards.md": "# Lambda flashcards\n\n## What runs code?\n\nLambda.\n",
        ], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        XCTAssertTrue(terms.isSuperset(of: ["ResultPath", "Intrinsic functions"]), "\(terms)")
        XCTAssertTrue(terms.isDisjoint(with: ["Example app.py", "Lambda is fast", "Lambda flashcards", "(Optional) Prerequisites",
                                              "Prerequisites"]), "\(terms)")
        XCTAssertEqual(set.terms.first { $0.text == "ResultPath" }?.places.map(\.target), [.page(id: "lambda/resultpath.md", fragment: nil)])
    }

    /// A published guide titles its samples and procedures in bold on a line of their own or as
    /// headings ("**Example index.js**", "**To create a trigger**", "## Step 2: Add
    /// permissions"), and its tables' notes in parentheses; a card's cloze may hide a fact
    /// rather than a name. None of those is an index term; the same words in prose, and a
    /// heading or cloze answer that names something, are.
    func testSampleAndProcedureTitlesAndFactAnswersAreNotTerms() throws {
        let fixture = try Fixture([
            "lambda/triggers.md": """
                # Triggers

                **Example index.js**
                ```
                exports.handler = async () => {};
                ```

                **To create a trigger**

                1. Choose **Add trigger**.

                ## Step 2: Add permissions

                A **Legend** and **(all values)** label the table; **event source mapping** is a term.

                ## Choose an existing role

                ## To-do lists

                ## Event filtering
                """,
            "lambda/limits.cards.md": """
                # Limits

                ## Lambda runs for at most ==15 minutes (900 seconds)==.

                ## Retention is ==1 to 35 days==; secrets cost ==$0.40 per secret per month==.

                ## Cloud-init runs ==once, as root, at first boot==.

                ## Lambda scales with ==provisioned concurrency==.

                Each shard is read by **only one KCL worker at a time**; **5xx errors** are retried.
                """,
        ], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        XCTAssertTrue(terms.isDisjoint(with: ["Example index.js", "To create a trigger", "Step 2: Add permissions", "Legend",
                                              "(all values)", "Choose an existing role", "once, as root, at first boot",
                                              "only one KCL worker at a time"]), "\(terms)")
        XCTAssertTrue(terms.isSuperset(of: ["event source mapping", "Event filtering", "To-do lists", "provisioned concurrency",
                                            "5xx errors"]), "\(terms)")
    }

    /// Captions as AWS guides write them (the DynamoDB guide): a heading "Example:" and a
    /// title, a bold caption ended by a hard line break with its text on the next line, a
    /// bold link to a step's note in a list, and numbered steps ("1.1: Download …").
    func testCaptionsWrittenAsGuidesWriteThemAreNotTerms() throws {
        let fixture = try Fixture([
            "lambda/captions.md": """
                # Captions

                ## Example: Add replica

                **Example availability**  
                Cannot find what you need? Ask for an **event source mapping** sample.

                **To delete a function \\(API\\)**  
                See DeleteFunction in the reference.

                + **[Step 1: Deploy and test locally](step1.md)** – deploy the sample.

                ### 1.1: Download and install the required packages

                ### 2: Grant permissions that limit access

                ## Example policies

                ## 3.5 GB limits

                In **Filter**, choose **Status =** and then **Type = TaskFailed**; the output reads
                **"World has been updated!"**.
                """,
            "lambda/step1.md": "# Step 1: Deploy and test locally\n\nDeploy it.\n",
        ], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        XCTAssertTrue(terms.isDisjoint(with: ["Example: Add replica", "Example availability", "To delete a function (API)",
                                              "Step 1: Deploy and test locally", "1.1: Download and install the required packages",
                                              "2: Grant permissions that limit access", "Status =", "Type = TaskFailed",
                                              "\"World has been updated!\""]), "\(terms)")
        XCTAssertTrue(terms.isSuperset(of: ["event source mapping"]), "\(terms)")
    }

    /// The API Gateway guide bolds resource paths, pane titles and sample ARNs in its
    /// procedures and titles samples with "example" last: none is a term. A path written as
    /// bold code or hidden in a cloze is one, as is a name that holds "example" elsewhere.
    func testPathsARNsAndCaptionsEndingInExampleAreNotTerms() throws {
        let fixture = try Fixture([
            "lambda/paths.md": """
                # Paths

                ## VPC endpoint policy examples

                ## x-amazon-apigateway-cors example

                **AWS variables example**  
                A sample follows.

                Choose **/petstorewalkthrough/pets/\\{petId\\}**, then **/pets - GET - Setup**, and enter
                **arn:aws:lambda:us-east-1:123456789012:function:HelloWorld**. Logs are under
                **`/opt/agent/logs/`**; the **example-bucket policy** applies.
                """,
            "lambda/lambda.cards.md": "## A function writes its files in {{c1::/tmp}}.\n",
        ], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        XCTAssertTrue(terms.isDisjoint(with: ["VPC endpoint policy examples", "x-amazon-apigateway-cors example", "AWS variables example",
                                              "/petstorewalkthrough/pets/{petId}", "/pets - GET - Setup",
                                              "arn:aws:lambda:us-east-1:123456789012:function:HelloWorld"]), "\(terms)")
        XCTAssertTrue(terms.isSuperset(of: ["/opt/agent/logs/", "/tmp", "example-bucket policy"]), "\(terms)")
    }

    /// A title that only adds what kind of page it is files under what it names: "AWS Lambda
    /// overview" beside the service's own entry, not as an entry of its own.
    func testAnOverviewsTitleFilesUnderItsSubject() {
        let cases = [("AWS Lambda overview", "AWS Lambda"), ("Gears Introduction", "Gears"), ("Release summary", "Release"),
                     ("Overview", "Overview"), ("An overview of queues", "An overview of queues"), ("ResultPath", "ResultPath")]
        for (title, subject) in cases { XCTAssertEqual(TermCollector.subject(ofTitle: title), subject, title) }
    }

    /// A title that opens with a name of its note's service is posted under what follows as
    /// well ("FIFO queues" for "Amazon SQS FIFO queues"), unless a joining word follows the
    /// name or nothing does.
    func testATitleOpeningWithItsServicesNameIsAlsoPostedUnderWhatFollows() {
        let names = ["Amazon Simple Queue Service", "Amazon SQS", "SQS"]
        let cases: [(String, String?)] = [("Amazon SQS FIFO (First-In-First-Out) queues", "FIFO (First-In-First-Out) queues"),
                                          ("amazon simple queue service dead-letter queues", "dead-letter queues"),
                                          ("SQS message timers", "message timers"), ("Amazon SQS", nil), ("Amazon SQS and Lambda", nil),
                                          ("SQS with Java", nil), ("Amazon SQS: quotas", nil), ("SQSD settings", nil),
                                          ("Queue types in Amazon SQS", nil)]
        for (title, topic) in cases { XCTAssertEqual(TermCollector.topic(ofTitle: title, serviceNames: names), topic, title) }
        XCTAssertNil(TermCollector.topic(ofTitle: "Amazon SQS FIFO queues", serviceNames: []))
    }

    /// A title or heading that opens by doing something files under what it is done to
    /// ("Global Secondary Indexes" for "Using Global Secondary Indexes in DynamoDB"), not under
    /// "Using" (a trial on the DynamoDB guide: that page was under U alone).
    func testATitleThatOpensByDoingSomethingFilesUnderItsTopic() throws {
        let names = ["Amazon DynamoDB", "DynamoDB", "DAX"]
        let cases: [(String, String?)] = [("Using Global Secondary Indexes in DynamoDB", "Global Secondary Indexes"),
                                          ("Working with items: Java", "items"), ("Creating a DAX cluster", "DAX cluster"),
                                          ("Setting up stage variables", "stage variables"), ("Use API Gateway Lambda authorizers", "API Gateway Lambda authorizers"),
                                          ("Managing throughput for Amazon DynamoDB", "throughput"), ("working with the console", "console"),
                                          ("Using IAM with CloudWatch", "IAM with CloudWatch"), ("Use cases", nil), ("Use case: ordering", nil),
                                          ("Using", nil), ("Creating and deleting tables", nil), ("Set up: AWS CLI", nil),
                                          ("Setup instructions", nil), ("Monitoring DAX", nil), ("Usage notes", nil),
                                          ("Creating a DAX cluster using the AWS CLI", "DAX cluster"), ("CREATE EXTERNAL TABLE syntax", nil),
                                          ("Create an HTTP API by using the AWS CLI", "HTTP API"), ("Use ConditionExpression instead", "ConditionExpression"),
                                          ("Creating CloudWatch alarms to monitor DAX", "CloudWatch alarms"), ("Configure logging in the console", "logging"),
                                          ("Use Kinesis to Amazon S3", "Kinesis to Amazon S3"), ("Using burst capacity effectively", "burst capacity"),
                                          ("Managing throughput capacity automatically with auto scaling", "throughput capacity"),
                                          ("Configuring your credentials", "credentials")]
        for (text, topic) in cases { XCTAssertEqual(TermCollector.actionTopic(of: text, serviceNames: names), topic, text) }

        let fixture = try Fixture([
            "lambda/gsi.md": "# Using Global Secondary Indexes in AWS Lambda\n\n## Creating an index: Java\n\nText.\n",
            "lambda/authorizers.md": "# Use API Gateway Lambda authorizers\n\nText.\n",
        ])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let terms = Dictionary(fixture.analyze().0.terms.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(terms["Global Secondary Indexes"]?.places.map(\.target), [.page(id: "lambda/gsi.md", fragment: nil)], "\(terms.keys.sorted())")
        XCTAssertNotNil(terms["index"], "a heading files so too: \(terms.keys.sorted())")
        XCTAssertNotNil(terms["API Gateway Lambda authorizers"])
        XCTAssertTrue(terms.keys.allSatisfy { !$0.hasPrefix("Using") && !$0.hasPrefix("Use ") && !$0.hasPrefix("Creating") }, "\(terms.keys.sorted())")
    }

    /// A heading that 20 notes or more share, and one in ten of them, names a part of each
    /// ("Request Syntax" on every API page of a guide) and is no entry; one fewer note, and it is.
    func testHeadingsManyNotesShareAreNoEntries() throws {
        func terms(notes: Int) throws -> Set<String> {
            var files = ["lambda/widgets.md": "# Widgets\n\n## Gears\n\nText.\n"]
            for number in 1...notes { files["lambda/api-\(number).md"] = "# Call \(number)\n\n## Request Syntax\n\nText.\n" }
            let fixture = try Fixture(files)
            defer { try? FileManager.default.removeItem(at: fixture.root) }
            return Set(fixture.analyze().0.terms.map(\.text))
        }
        let shared = try terms(notes: TermCollector.sharedHeadingPages)
        XCTAssertFalse(shared.contains("Request Syntax"), "\(shared)")
        XCTAssertTrue(shared.contains("Gears"))
        XCTAssertTrue(try terms(notes: TermCollector.sharedHeadingPages - 1).contains("Request Syntax"))
    }

    /// In an English set a plural's entry is its singular's ("Shards" in "Shard", "Partition
    /// keys" in "Partition key"), listing the pages of both in the notes' order; the entry is
    /// shown as the singular. A set in another language keeps them apart.
    func testPluralEntriesMergeIntoTheSingularsInAnEnglishSet() throws {
        let files = ["lambda/a.md": "# A\n\nEach stream has **Shards** and **Partition keys**.\n",
                     "lambda/b.md": "# B\n\n## Shard\n\nOne **partition key** per record.\n"]
        let english = try Fixture(files)
        defer { try? FileManager.default.removeItem(at: english.root) }
        let terms = Dictionary(english.analyze().0.terms.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertNil(terms["Shards"])
        XCTAssertEqual(terms["Shard"]?.places.map(\.target), [.page(id: "lambda/a.md", fragment: "a"), .page(id: "lambda/b.md", fragment: "shard")])
        XCTAssertEqual(terms["partition key"]?.places.count, 2, "\(terms.keys.sorted())")
        XCTAssertNil(terms["Partition keys"])

        let german = try Fixture(files, config: "title: T\ndeck: T\nlanguage: de\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: german.root) }
        let apart = Set(german.analyze().0.terms.map(\.text))
        XCTAssertTrue(apart.isSuperset(of: ["Shards", "Shard"]), "\(apart)")
    }

    /// A card's question naming another service files its card file under that service, at
    /// the card, as prose naming it does; it is no link and no mention counted.
    func testACardsQuestionNamingAnotherServiceIsIndexedUnderIt() throws {
        let fixture = try Fixture(["s3/s3.cards.md": "# S3 cards\n\n## Can Lambda read objects?\n\nYes, with a role.\n",
                                   "lambda/a.md": "# A\n\nText.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let lambda = try XCTUnwrap(set.terms.first { $0.text == "AWS Lambda" })
        let card = try XCTUnwrap(set.page("s3/s3.cards.md")?.cards.first)
        XCTAssertTrue(lambda.places.contains { $0.target == .page(id: "s3/s3.cards.md", fragment: card.anchor) }, "\(lambda.places)")
        XCTAssertNil(set.page("s3/s3.cards.md")?.linkFacts.names.value.mentions["lambda"], "not counted")
    }

    /// In a build: a note's title opening with its service's name is under both, a landing
    /// text's title (which names the guide) under itself alone.
    func testTitlesOpeningWithTheServiceAreAlsoUnderTheirTopic() throws {
        let fixture = try Fixture(["lambda/layers.md": "# AWS Lambda layers\n\nShared code.\n",
                                   "lambda/index.md": "# AWS Lambda Developer Guide\n\n- [Layers](layers.md)\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Dictionary(set.terms.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(terms["layers"]?.places.map(\.label), ["AWS Lambda layers"], "\(terms.keys.sorted())")
        XCTAssertNotNil(terms["AWS Lambda layers"])
        XCTAssertNil(terms["Developer Guide"], "\(terms.keys.sorted())")
    }

    /// Published guides bold whole sentences and ask questions in headings (the Kinesis Data
    /// Streams guide), and study notes hide a fact in a cloze: a text of more than eight words,
    /// one with a verb that makes a clause ("is", "will", "cannot"…), or a question is no term.
    /// Names and short phrases stay, and so does a name opening with a capitalized "Can" or
    /// "Will". A bold caption with an HTML anchor after it on its line is a caption still.
    func testSentencesAndQuestionsAreNotTerms() throws {
        let verdicts: [(String, Bool)] = [
            ("SSE-C is blocked by default on new general purpose buckets", false),
            ("Memory and disk-space utilization are not default metrics", false),
            ("Choose the service that will use this role", false), ("What Is a Lease Table", false),
            ("What is the Kinesis Client Library?", false), ("Which Region?", false), ("cannot update", false),
            ("Records aren\u{2019}t kept", false), ("Data shouldn\u{2019}t wait", false), ("Synchronization in KCL 1.0 - 1.13 and KCL 2.0 - 2.2", false),
            ("Migrating to Version 2 of the Record Processor Interface", false),
            ("PutRecords", true), ("Enhanced fan-out", true), ("AWS Parameters and Secrets Lambda Extension", true),
            ("single-tenant hardware security modules (HSMs)", true), ("KCL 1.0 - 1.13", true),
            ("Determining the initial size of a data stream", true), ("Can Bus Gateway", true), ("Will Writer", true),
            ("Island mode", true), ("Cancel a shard split", true),
        ]
        for (text, lookedUp) in verdicts {
            XCTAssertEqual(TermCollector.isLookedUp(text, lowercased: text.lowercased()), lookedUp, text)
        }
        let fixture = try Fixture([
            "lambda/streams.md": """
                # Streams

                ## What is a shard?

                ## Enhanced fan-out

                **1\\) Your function will not stop even if the reader stops**  
                Call **PutRecords** to write a batch; **every shard is read by one consumer at a time**.

                **Example : Shard metrics**  <a name="example-shard-metrics"></a>

                ```
                {}
                ```
                """,
            "lambda/streams.cards.md": """
                # Stream facts

                ## A deleted stream's records ==are gone for good==.

                ## A consumer with its own pipe uses ==Enhanced fan-out==.
                """,
        ], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        XCTAssertTrue(terms.isDisjoint(with: ["What is a shard?", "1) Your function will not stop even if the reader stops",
                                              "every shard is read by one consumer at a time", "Example : Shard metrics",
                                              "are gone for good"]), "\(terms)")
        XCTAssertTrue(terms.isSuperset(of: ["Enhanced fan-out", "PutRecords"]), "\(terms)")
    }

    /// A sample's files and generated resource names, bolded in published guides (the SQS
    /// guide: "**SpringExample.java**", "**vpce-0ab1cdef2ghi3j456k**"), are not terms; names
    /// that end like a file or hold digits are.
    func testSampleFileNamesAndGeneratedIDsAreNotTerms() {
        let verdicts: [(String, Bool)] = [
            ("SpringExample.java", false), ("handler.py", false), ("index.js", false), ("buildspec.yml", true),
            ("vpce-0ab1cdef2ghi3j456k", false), ("VPCE-SQS-Tutorial-Stack-CFQueue-1ABCDEFGH2IJK", false),
            ("Node.js", true), (".NET", true), (".ebextensions", true), ("EC2", true), ("SigV4", true), ("S3 Glacier", true),
            ("appspec.yml file", true), ("ALL_NEW", true),
        ]
        for (text, lookedUp) in verdicts {
            XCTAssertEqual(TermCollector.isLookedUp(text, lowercased: text.lowercased()), lookedUp, text)
        }
    }

    func testTermsKeepALeadingDotAndLoseATrailingDashAndCaptionsAreNotTerms() throws {
        XCTAssertEqual(TermCollector.trimmed(" .NET "), ".NET")
        XCTAssertEqual(TermCollector.trimmed("ADD\u{2014}"), "ADD")
        XCTAssertEqual(TermCollector.trimmed("Note: "), "Note")
        XCTAssertEqual(TermCollector.trimmed("limits."), "limits")
        for caption in ["Topics", "Overview", "Summary", "See also"] {
            XCTAssertFalse(TermCollector.isLookedUp(caption, lowercased: caption.lowercased()), caption)
        }
        let fixture = try Fixture([
            "lambda/sdks.md": """
                # SDKs

                **Topics**
                + [Runtimes](runtimes.md)

                Use the **\\.NET** SDK; + **ADD—** adds a number.
                """,
        ], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Set(set.terms.map(\.text))
        XCTAssertTrue(terms.isSuperset(of: [".NET", "ADD"]), "\(terms)")
        XCTAssertTrue(terms.isDisjoint(with: ["NET", "ADD\u{2014}", "Topics"]), "\(terms)")
    }

    func testQuantitiesAndEmphasisAreNotTermsAndAliasesPointToTheService() async throws {
        let fixture = try Fixture([
            "lambda/limits.md": """
                # Lambda limits

                ## Visibility timeout

                Payloads up to **4 KB** or **256 KB payload limit**; error **429**; this is **not** retried, **True** or **OK**.
                The **execution role** and **Lambda function** matter.

                ## 15 minutes

                Text.
                """,
        ], config: "title: Test\ndeck: Test\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let terms = Dictionary(set.terms.map { ($0.text, $0) }, uniquingKeysWith: { a, _ in a })
        for dropped in ["4 KB", "429", "not", "True", "OK", "15 minutes"] { XCTAssertNil(terms[dropped], dropped) }
        for kept in ["Visibility timeout", "256 KB payload limit", "execution role", "AWS Lambda"] { XCTAssertNotNil(terms[kept], kept) }
        let alias = try XCTUnwrap(terms["Lambda function"])
        XCTAssertEqual(alias.see, "AWS Lambda")
        XCTAssertEqual(alias.places.count, 1, "bold on the page: a term of its own, not a second copy of the service entry")
        XCTAssertEqual(terms["AWS Lambda"]?.places.map(\.target), [.service(id: "lambda")], "a note merely naming its own service is not listed")
        XCTAssertEqual(terms["Lambda"]?.see, "AWS Lambda")
        XCTAssertEqual(terms["Lambda"]?.places.count, 0)
        XCTAssertNil(terms["AWS Lambda"]?.see)

        _ = try await fixture.build()
        let page = try fixture.read("Output/site/terms/index.html")
        XCTAssertTrue(page.contains("<dt id=\"term-aws-lambda\">AWS Lambda</dt>"), "the service's entry is a link target")
        XCTAssertTrue(page.contains("<dt>Lambda</dt>\n    <dd>see <a href=\"#term-aws-lambda\">AWS Lambda</a></dd>"), "an alias points to it")
        XCTAssertTrue(page.contains("<dt>Lambda function</dt>\n    <dd><a href=\"../lambda/limits.html#visibility-timeout\">Lambda limits</a>; see also <a href=\"#term-aws-lambda\">AWS Lambda</a></dd>"),
                      "one with pages of its own points to it as a printed index does")
        let folder = fixture.root.appendingPathComponent("Output/ebook")
        let book = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".epub") })
        let archive = try Archive(url: folder.appendingPathComponent(book), accessMode: .read)
        var index = Data()
        _ = try archive.extract(try XCTUnwrap(archive["OEBPS/index.xhtml"])) { index.append($0) }
        let bookIndex = String(decoding: index, as: UTF8.self)
        XCTAssertTrue(bookIndex.contains("<li id=\"term-aws-lambda\"><span class=\"term\">AWS Lambda</span>"), bookIndex)
        XCTAssertTrue(bookIndex.contains("<li><span class=\"term\">Lambda</span>: see <a href=\"#term-aws-lambda\">AWS Lambda</a></li>"),
                      "the book's cross-references link to their entry too")
        XCTAssertTrue(page.contains("data-term-filter"), "a filter box")
        XCTAssertTrue(page.contains("<script src=\"../assets/terms.js\"></script>"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/assets/terms.js").path))
        XCTAssertFalse(page.contains("<dt>429</dt>"))

        // On a phone the table of contents comes after the title: <h1> before the "On this page" <h2>.
        let note = try fixture.read("Output/site/lambda/limits.html")
        let h1 = try XCTUnwrap(note.range(of: "<h1")), toc = try XCTUnwrap(note.range(of: "<nav class=\"toc\""))
        let firstSection = try XCTUnwrap(note.range(of: "<h2><a class=\"anchor\" id=\"visibility-timeout\""))
        XCTAssertLessThan(h1.lowerBound, toc.lowerBound)
        XCTAssertLessThan(toc.lowerBound, firstSection.lowerBound)
        XCTAssertEqual(note.components(separatedBy: "<h1").count, 2, "one <h1>")
    }

    /// The filter box in Chromium: typing hides the entries and letters that do not match.
    func testFilterBoxHidesEntriesThatDoNotMatch() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let work = try EndToEndSupport.temporaryFolder("terms-filter")
        defer { try? FileManager.default.removeItem(at: work) }
        try EndToEndSupport.writeFixture(PracticePageTests.fixture, in: work)
        try EndToEndSupport.build(in: work)
        let terms = work.appendingPathComponent("Output/site/terms")
        let page = try String(contentsOf: terms.appendingPathComponent("index.html"), encoding: .utf8)
        try page.replacingOccurrences(of: "</body>", with: """
            <script>
            var input = document.querySelector("[data-term-filter]");
            input.value = "storage"; input.dispatchEvent(new Event("input"));
            var shown = Array.prototype.filter.call(document.querySelectorAll("dt"), function (d) { return !d.hidden; }).map(function (d) { return d.textContent; });
            var groups = Array.prototype.filter.call(document.querySelectorAll(".term-group"), function (g) { return !g.hidden; }).length;
            var letters = Array.prototype.filter.call(document.querySelectorAll(".letters li"), function (l) { return !l.hidden; }).map(function (l) { return l.textContent; });
            var out = document.createElement("pre"); out.id = "filter-result";
            var status = document.querySelector("[data-term-count]").textContent;
            input.value = "STÖRAGE"; input.dispatchEvent(new Event("input"));
            var folded = document.querySelector("[data-term-count]").textContent;
            out.textContent = JSON.stringify({ shown: shown, groups: groups, letters: letters, status: status, folded: folded });
            document.body.appendChild(out);
            </script></body>
            """).write(to: terms.appendingPathComponent("harness.html"), atomically: true, encoding: .utf8)
        let dom = try PracticePageTests.dumpDOM(terms.appendingPathComponent("harness.html"), chromium: chromium)
        let marker = try XCTUnwrap(dom.range(of: "<pre id=\"filter-result\">"))
        let json = String(dom[marker.upperBound...].prefix { $0 != "<" }).replacingOccurrences(of: "&quot;", with: "\"")
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(result["shown"] as? [String], ["Amazon Simple Storage Service", "Ephemeral storage"])
        XCTAssertEqual(result["groups"] as? Int, 2)
        XCTAssertEqual(result["letters"] as? [String], ["A", "E"], "the letters of the entries shown, and no other")
        XCTAssertEqual(result["status"] as? String, "2 terms match")
        XCTAssertEqual(result["folded"] as? String, "2 terms match", "case and accents do not count")
    }
}

/// A `{{name}}` that nothing fills renders as nothing: the build warns where it is.
final class TemplateVariableTests: XCTestCase {
    func testMisspeltTemplateVariableWarnsAndTheDefaultThemeIsClean() async throws {
        var fixture = try Fixture(["lambda/a.md": "# A\n\n## One\n\nText.\n\n## Two\n\nMore.\n"],
                                  config: "title: Test\ndeck: Test\noutputs: [site, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let clean = try await fixture.build()
        XCTAssertEqual(clean.diagnostics.map(\.description), [], "the default theme uses only names it is given")

        let templates = fixture.root.appendingPathComponent("Theme")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: templates)
        let note = templates.appendingPathComponent("note.mustache")
        var lines = try String(contentsOf: note, encoding: .utf8).components(separatedBy: "\n")
        let line = try XCTUnwrap(lines.firstIndex { $0.contains("{{{titleHTML}}}") })
        let column = lines[line].distance(from: lines[line].startIndex, to: lines[line].range(of: "{{{titleHTML}}}")!.upperBound) + 1
        lines[line] = lines[line].replacingOccurrences(of: "{{{titleHTML}}}", with: "{{{titleHTML}}}{{titel}}")
        try lines.joined(separator: "\n").write(to: note, atomically: true, encoding: .utf8)
        fixture.templatesRoot = templates
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "\(note.path):\(line + 1):\(column): warning: template variable 'titel' is not set by Syllabus and renders as nothing (did you mean 'title'?)",
        ])
    }
}

final class ServicePageMetaTests: XCTestCase {
    /// A service without aliases or a docs URL shows neither: no "Also called: ." and no link
    /// to nowhere (Mustache takes an empty string for true).
    func testAbsentAliasesDocsAndCardsAreLeftOut() async throws {
        let bare = try Fixture(["lambda/a.md": "# A\n\nText.\n", "s3/b.md": "# B\n\nObjects.\n"], services: Fixture.plainServices, config: "title: T\ndeck: T\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: bare.root) }
        _ = try await bare.build()
        let page = try bare.read("Output/site/lambda/index.html")
        XCTAssertFalse(page.contains("Also called"), "no aliases, no line")
        XCTAssertFalse(page.contains("AWS documentation"), "no docs URL, no link")
        XCTAssertFalse(page.contains("class=\"landing\""), "no landing text, no box")
        XCTAssertFalse(page.contains("practice/index.html"), "no cards, no Practice link")
        XCTAssertFalse(try bare.read("Output/site/index.html").contains("practice/index.html"), "nor on the home page")
        XCTAssertFalse(FileManager.default.fileExists(atPath: bare.root.appendingPathComponent("Output/site/practice").path),
                       "no practice page nobody links to")

        let full = try Fixture(["lambda/a.md": "# A\n\nText.\n"], config: "title: T\ndeck: T\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: full.root) }
        _ = try await full.build()
        let listed = try full.read("Output/site/lambda/index.html")
        XCTAssertTrue(listed.contains("Also called: Lambda function."), "aliases listed")
        XCTAssertTrue(listed.contains("<a href=\"https://docs.aws.amazon.com/lambda/\">AWS documentation</a>"), "docs linked")

        // A card added to the card-less set brings the link to every page, incremental or not.
        try bare.write("Content/lambda/lambda.cards.md", "## What runs code?\n\nLambda.\n")
        _ = try await bare.build()
        XCTAssertTrue(try bare.read("Output/site/s3/b.html").contains("../practice/index.html"), "another service's note, rebuilt")
        XCTAssertTrue(try bare.read("Output/site/practice/index.html").contains("What runs code?"), "and the practice page it links to")
    }
}

/// A mistyped `--content` folder is named as not found, with the near name next to it.
final class ContentFolderTests: XCTestCase {
    func testMissingContentFolderIsNamedWithTheNearFolderNextToIt() throws {
        let folder = try EndToEndSupport.temporaryFolder("content-folder")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Content"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Templates"), withIntermediateDirectories: true)
        let typed = folder.appendingPathComponent("Contnet").path
        XCTAssertThrowsError(try ContentFolder.check(typed)) { error in
            let missing = error as? ContentFolder.Missing
            XCTAssertEqual(missing?.suggestion, folder.appendingPathComponent("Content").path)
            XCTAssertTrue("\(error)".hasPrefix("content folder '\(typed)' not found; did you mean '\(folder.path)/Content'?"), "\(error)")
        }
        XCTAssertThrowsError(try ContentFolder.check(folder.appendingPathComponent("Elsewhere").path)) { error in
            XCTAssertNil((error as? ContentFolder.Missing)?.suggestion, "no folder is near 'Elsewhere'")
        }
        XCTAssertNoThrow(try ContentFolder.check(folder.appendingPathComponent("Content").path))
    }
}

/// Small wording promises of diagnostics, checked in process.
final class DiagnosticWordingTests: XCTestCase {
    /// `syllabus biuld` is answered with the command meant.
    func testMistypedNameSuggestsTheClosestKnownOne() {
        let commands = ["init", "build", "serve", "check", "clean", "cards", "import", "help"]
        XCTAssertEqual(Suggestion.closest(to: "biuld", among: commands), "build")
        XCTAssertEqual(Suggestion.closest(to: "Chekc", among: commands), "check")
        XCTAssertNil(Suggestion.closest(to: "deploy", among: commands))
    }

    /// An unclosed `[` in front matter is reported on its own line, not at the closing `---`.
    func testUnclosedFrontMatterListIsReportedWhereItOpens() {
        let fixture = try! Fixture(["lambda/overview.md": "---\ntitle: T\ntags: [a\n---\n# Overview\n\nText.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let invalid = fixture.analyze().1.filter { $0.message.hasPrefix("invalid YAML") }
        XCTAssertEqual(invalid.map { "\($0.location.line):\($0.location.column)" }, ["3:7"], "\(invalid)")
    }

    /// A `[` left open before more keys is reported where it opens, not at the next key
    /// (libyaml reads the next line as part of the list and fails only there).
    func testUnclosedFrontMatterListBeforeAnotherKeyIsReportedWhereItOpens() throws {
        let fixture = try Fixture([
            "lambda/a.md": "---\ntitle: T\ntags: [a, b\nslug: a\n---\n# A\n\nText.\n",
            "lambda/b.md": "---\ntags: [a, b\n  order: 2\nslug: b\n---\n# B\n\nText.\n",
            "lambda/c.md": "---\ntitle: {one: 1\ntags: [a]\n---\n# C\n\nText.\n",
        ])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let invalid = fixture.analyze().1.filter { $0.message.hasPrefix("invalid YAML") }
        XCTAssertEqual(invalid.map { "\($0.location.path.split(separator: "/").last!):\($0.location.line):\($0.location.column)" },
                       ["a.md:3:7", "b.md:2:7", "c.md:2:8"], "\(invalid)")
    }

    /// Front matter whose closing `---` is missing is an error at its opening line that says
    /// where the closing line belongs, never a note whose keys are published as text.
    func testFrontMatterWithoutItsClosingLineIsAnError() throws {
        let fixture = try Fixture([
            "lambda/a.md": "---\ntitle: T\ntags: [a]\n\n# A\n\nText.\n",
            "lambda/b.md": "---\n\nJust a rule, then prose.\n",
        ])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let found = fixture.analyze().1.map { "\($0.location.path.split(separator: "/").last!):\($0.location.line):\($0.location.column): \($0.message)" }
        XCTAssertEqual(found, ["a.md:1:1: front matter is not closed: add a '---' line after its last key (line 3)"])
    }

    /// A link to a note that is a couple of edits from one says which (as the link would be
    /// written), a web link with a mistyped scheme gets a warning that names the scheme meant
    /// (other schemes stay quiet), and a note whose `.md` is in capitals is reported, not skipped.
    func testMistypedLinksAndExtensionsAreReportedWithWhatWasMeant() throws {
        let fixture = try Fixture([
            "lambda/overview.md": "# Overview\n\nText.\n",
            "lambda/README.MD": "# Lambda\n\nLanding.\n",
            "s3/limits.md": "# Limits\n\nText.\n",
            "lambda/a.md": """
                # A

                See [it](overveiw.md), [s3](../s3/Limits.md#top) and [web](htps://example.com/x).
                Fine: [f](ftp://example.com/f), [b](s3://bucket/key), [h](https://example.com), [x](hxxps://bad.example).

                [far](../s3/nothing-like-it.md)
                """,
        ])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let found = fixture.analyze().1.map { "\($0.location.path.split(separator: "/").last!):\($0.location.line): \($0.message)" }
        XCTAssertEqual(found, [
            "README.MD:1: 'README.MD' is not read: notes end in '.md' in lower case; rename it 'README.md'",
            "a.md:3: link to 'overveiw.md': no such note; did you mean 'overview.md'?",
            "a.md:3: link to '../s3/Limits.md#top': no such note; did you mean '../s3/limits.md'?",
            "a.md:3: 'htps://example.com/x' has the scheme 'htps', which no browser opens; did you mean 'https'?",
            "a.md:6: link to '../s3/nothing-like-it.md': no such note",
        ])
    }

    /// syllabus.yml is shown relative to the working directory, as content files are.
    func testConfigurationDiagnosticsUseTheWorkingDirectoryRelativePath() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Overview\n\nText.\n"], config: "title: T\noutptus: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let previous = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(fixture.root.resolvingSymlinksInPath().path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        let log = DiagnosticLog()
        _ = ProjectConfig.load(from: URL(fileURLWithPath: FileManager.default.currentDirectoryPath + "/syllabus.yml"), diagnostics: log)
        XCTAssertEqual(log.all.map(\.location.description), ["syllabus.yml:2:10"])
        XCTAssertEqual(SourceLocation.displayPath("/a/b/c.yml", workingDirectory: "/a"), "b/c.yml")
        XCTAssertEqual(SourceLocation.displayPath("/ab/c.yml", workingDirectory: "/a"), "/ab/c.yml")
    }
}
