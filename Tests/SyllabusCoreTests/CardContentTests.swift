import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// What a card's back may hold, and what stays with it: a back that is only code, footnotes
/// defined anywhere in the file. Every fixture here is written for the test.
final class CardContentTests: XCTestCase {
    static let everyOutput = "title: Test\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n"

    func testBackThatIsOnlyCodeIsABackInEveryOutput() async throws {
        let fixture = try Fixture([
            "lambda/code.cards.md": """
                # Code cards

                ## Write a Python handler

                ```python
                def handler(event, context):
                    return "fenced"
                ```

                ## Write a Node.js handler

                    exports.handler = async () => "indented";

                ## An empty card

                ```
                ```

                """,
        ], config: Self.everyOutput)
        let report = try await fixture.build()
        // A code block with nothing in it is still no back.
        XCTAssertEqual(report.diagnostics.map(\.message), ["card 'An empty card' has an empty back"])

        let working = try Fixture([
            "lambda/code.cards.md": "# Code cards\n\n## Write a Python handler\n\n```python\nreturn \"fenced\"\n```\n\n"
                + "## Write a Node.js handler\n\n    exports.handler = async () => \"indented\";\n",
        ], config: Self.everyOutput)
        let built = try await working.build()
        XCTAssertEqual(built.diagnostics, [])
        let tsv = try working.read("Output/anki/lambda.tsv")
        XCTAssertTrue(tsv.contains("Write a Python handler\t\"<pre><code class=\"\"language-python\"\">return &quot;fenced&quot;<br></code></pre>\""), tsv)
        XCTAssertTrue(tsv.contains("Write a Node.js handler\t<pre><code>exports.handler = async () =&gt; &quot;indented&quot;;<br></code></pre>\t"), tsv)
        for path in ["Output/site/lambda/index.html", "Output/cheatsheets/lambda.html"] {
            let html = try working.read(path)
            XCTAssertTrue(html.contains("exports.handler = async () =&gt; &quot;indented&quot;;"), path)
            XCTAssertTrue(html.contains("return &quot;fenced&quot;"), path)
        }
        let practice = try working.read("Output/site/practice/index.html")
        XCTAssertTrue(practice.contains("exports.handler = async () =\\u0026gt; \\u0026quot;indented"), "the practice page's cards hold the code")
        let book = try Data(contentsOf: working.root.appendingPathComponent("Output/ebook/test.epub"))
        let archive = try Archive(data: book, accessMode: .read)
        var answers = Data()
        _ = try archive.extract(try XCTUnwrap(archive.first { $0.path.hasSuffix("/answers.xhtml") })) { answers.append($0) }
        XCTAssertTrue(String(decoding: answers, as: UTF8.self).contains("<pre><code>exports.handler = async () =&gt; &quot;indented&quot;;"))
    }

    static let footnoted: [String: String] = [
        "lambda/notes.cards.md": """
            # Lambda cards

            ## What is the timeout?

            15 minutes.[^timeout]

            ## What is the largest memory?

            10 GB[^memory], set in steps of 1 MB.[^step]

            [^timeout]: Footnote of the timeout card.
            [^memory]: Footnote of the memory card.
            [^step]: Second footnote of the memory card.

            """,
        "lambda/mixed.md": """
            ---
            cards: true
            ---
            # Mixed

            Prose with a note.[^prose]

            Ephemeral storage :: up to 10 GB[^storage]

            [^prose]: Footnote of the prose.
            [^storage]: Footnote of the inline card.

            """,
        "lambda/lambda.exam.md": """
            ---
            domain: build
            ---
            # Questions

            ## First question

            Which is right?[^stem1]

            - [ ] Wrong.
            - [x] Right.

            Because it is.[^why1]

            ## Second question

            Which is right here?[^stem2]

            - [x] Right.
            - [ ] Wrong.

            Because it is, too.

            [^stem1]: Footnote of the first stem.
            [^why1]: Footnote of the first explanation.
            [^stem2]: Footnote of the second stem.

            """,
        "exam.yml": ExamQuestionTests.examYAML,
    ]

    /// A line of `tsv` whose front is `front`.
    private func row(_ tsv: String, _ front: String) -> String {
        tsv.split(separator: "\n").first { $0.split(separator: "\t").dropFirst(3).first.map { String($0) == front } ?? false }.map(String.init) ?? ""
    }

    func testEachCardAndQuestionKeepsItsOwnFootnotes() async throws {
        let fixture = try Fixture(Self.footnoted, config: Self.everyOutput)
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let tsv = try fixture.read("Output/anki/lambda.tsv")
        let timeout = row(tsv, "What is the timeout?"), memory = row(tsv, "What is the largest memory?")
        XCTAssertTrue(timeout.contains("Footnote of the timeout card."), timeout)
        XCTAssertFalse(timeout.contains("memory card"), timeout)
        XCTAssertTrue(memory.contains("Footnote of the memory card.") && memory.contains("Second footnote of the memory card."), memory)
        XCTAssertFalse(memory.contains("timeout card"), memory)
        // Numbered from 1 in each card, the reference leading to the definition and back.
        XCTAssertTrue(memory.contains("10 GB<sup class=\"\"footnote-ref\"\"><a href=\"\"#"), memory)
        XCTAssertTrue(memory.contains("-fn-2\"\" id=\"\""), memory)
        let storage = row(tsv, "Ephemeral storage")
        XCTAssertTrue(storage.contains("Footnote of the inline card."), storage)
        XCTAssertFalse(storage.contains("Footnote of the prose"), storage)

        // On a service page every card's footnote ids are its own.
        let service = try fixture.read("Output/site/lambda/index.html")
        let ids = service.matches(of: try Regex(#"id="([^"]*fn[^"]*)""#)).compactMap { $0.output[1].substring.map(String.init) }
        XCTAssertEqual(ids.count, 8, "three cards' four notes and their four references: \(ids)")
        XCTAssertEqual(Set(ids).count, ids.count, "\(ids)")
        for id in ids where !id.contains("ref") {
            XCTAssertTrue(service.contains("href=\"#\(id)\""), id)
        }
        // On the card file's own page each card's footnotes follow its back.
        let page = try fixture.read("Output/site/lambda/notes-cards.html")
        let timeoutNote = try XCTUnwrap(page.range(of: "<li value=\"1\" id=\"fn-timeout\">\n<p>Footnote of the timeout card."), page)
        let memoryCard = try XCTUnwrap(page.range(of: ">What is the largest memory?</h2>"), page)
        XCTAssertLessThan(timeoutNote.lowerBound, memoryCard.lowerBound)
        XCTAssertTrue(page[memoryCard.upperBound...].contains("<li value=\"3\" id=\"fn-step\">"), page)
        XCTAssertEqual(page.components(separatedBy: "Footnote of the timeout card.").count, 2, "listed once")

        let exam = try fixture.read("Output/site/exam/index.html")
        XCTAssertTrue(exam.contains("Footnote of the first stem.") && exam.contains("Footnote of the second stem."), exam)
    }
}

extension EpubTests {
    func testCardsAndQuestionsKeepTheirFootnotesInTheBook() throws {
        var files: [String: String] = ["syllabus.yml": "title: Guide\noutputs: [epub]\n", "Content/services.yml": Fixture.twoServices]
        for (path, text) in CardContentTests.footnoted { files["Content/\(path)"] = text }
        let options = try BookFixture.make(files, name: "epub-footnotes")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (output, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        let book = try entries(output[0].contents)
        let answers = try XCTUnwrap(book.first { $0.path.hasSuffix("/answers.xhtml") }).text
        let timeout = try XCTUnwrap(answers.range(of: "Footnote of the timeout card."))
        let memoryQuestion = try XCTUnwrap(answers.range(of: "What is the largest memory?"))
        XCTAssertLessThan(timeout.lowerBound, memoryQuestion.lowerBound, "the timeout card's note is in its own answer")
        let exam = try XCTUnwrap(book.first { $0.path.hasSuffix("/exam.xhtml") }).text
        let firstStem = try XCTUnwrap(exam.range(of: "Footnote of the first stem."))
        XCTAssertLessThan(firstStem.lowerBound, try XCTUnwrap(exam.range(of: "Which is right here?")).lowerBound)
        try epubcheck(output[0].contents)
    }
}
