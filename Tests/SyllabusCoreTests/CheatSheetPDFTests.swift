import Foundation
import XCTest
@testable import SyllabusCore

/// PDFs are outputs like any other: kept while their sheet is unchanged, printed again when
/// it changes, removed when it goes; printed with the real headless Chromium.
final class CheatSheetPDFTests: XCTestCase {
    private static let config = "title: Test\ndeck: Test\noutputs: [cheatsheets]\n"

    private static func cards(_ service: String, _ answer: String) -> String {
        "## What is \(service)?\n\n\(answer)\n\n## Where does \(service) run?\n\nIn a Region.\n"
    }

    private func printer() throws -> PDFPrinter {
        guard let printer = PDFPrinter.find() else { throw missingTool("chromium is not installed") }
        return printer
    }

    private func build(_ fixture: Fixture, printer: PDFPrinter?) async throws {
        var options = fixture.options
        options.pdfPrinter = printer
        let report = try await Pipeline(options: options).build()
        XCTAssertFalse(report.failed, report.diagnostics.map(\.description).joined(separator: "\n"))
    }

    private func inode(_ fixture: Fixture, _ path: String) -> UInt64? {
        (try? FileManager.default.attributesOfItem(atPath: fixture.root.appendingPathComponent("Output/\(path)").path))?[.systemFileNumber] as? UInt64
    }

    func testPDFsAreKeptWhileTheirSheetIsUnchangedAndReprintedOnlyWhenItChanges() async throws {
        let printer = try printer()
        let fixture = try Fixture(["lambda/lambda.cards.md": Self.cards("Lambda", "Functions."),
                                   "s3/s3.cards.md": Self.cards("S3", "Buckets.")], config: Self.config)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try await build(fixture, printer: printer)
        let lambda = try XCTUnwrap(inode(fixture, "cheatsheets/lambda.pdf"), "--pdf prints every sheet")
        XCTAssertNotNil(inode(fixture, "cheatsheets/s3.pdf"))
        XCTAssertNotNil(inode(fixture, "cheatsheets/all.pdf"))

        try fixture.write("Content/s3/s3.cards.md", Self.cards("S3", "Buckets of objects."))
        try await build(fixture, printer: nil)
        XCTAssertEqual(inode(fixture, "cheatsheets/lambda.pdf"), lambda, "a plain build keeps the PDF of an unchanged sheet")
        XCTAssertNil(inode(fixture, "cheatsheets/s3.pdf"), "a changed sheet's old PDF is not kept")

        try await build(fixture, printer: printer)
        XCTAssertEqual(inode(fixture, "cheatsheets/lambda.pdf"), lambda, "an unchanged sheet is not printed again")
        XCTAssertNotNil(inode(fixture, "cheatsheets/s3.pdf"), "the changed sheet is printed again")

        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/s3"))
        try await build(fixture, printer: printer)
        XCTAssertNil(inode(fixture, "cheatsheets/s3.pdf"), "a PDF whose sheet went is removed")
        XCTAssertEqual(inode(fixture, "cheatsheets/lambda.pdf"), lambda)
    }

    func testAServiceWithKeyNumbersButNoCardsGetsASheet() throws {
        let fixture = try Fixture(["lambda/lambda.cards.md": Self.cards("Lambda", "Functions."),
                                   "s3/overview.md": "# S3\n\n## Key numbers\n\n| Limit | Value |\n|---|---|\n| Largest object | 50 TB |\n"],
                                  config: Self.config)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(CheatSheetRenderer.sheetNames(set), ["lambda", "s3", "all"])
    }

    func testPaperSizeIsASettingOfSyllabusYml() async throws {
        let fixture = try Fixture(["lambda/lambda.cards.md": Self.cards("Lambda", "Functions.")],
                                  config: Self.config + "paper: letter\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try await build(fixture, printer: nil)
        XCTAssertTrue(try fixture.read("Output/cheatsheets/lambda.html").contains("@page { size: letter; }"))

        try fixture.write("syllabus.yml", Self.config + "paper: B5\n")
        let (_, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), ["\(fixture.root.appendingPathComponent("syllabus.yml").path):4:8: error: unknown paper 'B5' (known: A4, letter)"])
    }

    /// A 150-line code card and a 60-row key-numbers table flow on into the next columns
    /// instead of jumping whole to an empty column or page.
    func testLongBlocksFlowThroughTheColumns() async throws {
        let printer = try printer()
        guard let pdftotext = EndToEndSupport.which("pdftotext"), let pdfinfo = EndToEndSupport.which("pdfinfo") else {
            throw missingTool("poppler-utils (pdftotext, pdfinfo) is not installed")
        }
        let rows = (1...60).map { "| Limit \($0) | \($0) GB |" }.joined(separator: "\n")
        let code = (1...150).map { "line\($0) = \($0)" }.joined(separator: "\n")
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\n## Key numbers\n\n| Limit | Value |\n|---|---|\n\(rows)\n",
                                   "lambda/lambda.cards.md": "## Show the long code\n\nHere it is:\n\n```python\n\(code)\n```\n\n## A short one?\n\nYes.\n"],
                                  config: Self.config)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try await build(fixture, printer: printer)
        let pdf = fixture.root.appendingPathComponent("Output/cheatsheets/lambda.pdf").path
        let info = try EndToEndSupport.run(pdfinfo, [pdf]).out
        XCTAssertTrue(info.contains("(A4)"), info)
        let firstPage = try EndToEndSupport.run(pdftotext, ["-f", "1", "-l", "1", pdf, "-"]).out
        XCTAssertTrue(firstPage.contains("Limit 60"), "the table ends on page 1")
        XCTAssertTrue(firstPage.contains("line150"), "the code card ends on page 1: it filled the columns beside the table")
    }

    /// Short key numbers (a heading, a sentence and a 3-row table, as `init` writes them) stay
    /// in one column beside three cards, in Chromium at 1280x800: not split across columns.
    func testShortKeyNumbersStayInOneColumn() async throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let rows = ["| Timeout | 15 minutes (900 seconds) |", "| Memory | 128 MB to 10,240 MB |", "| Environment variables | 4 KB |"]
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\n## Key numbers\n\nA table under a heading named *Key numbers* goes onto the sheet.\n\n"
                                       + "| Limit | Value |\n|---|---|\n\(rows.joined(separator: "\n"))\n",
                                   "lambda/lambda.cards.md": Self.cards("Lambda", "A service that runs code.") + "\n## Why?\n\nMore memory, more CPU.\n"],
                                  config: Self.config)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try await build(fixture, printer: nil)
        // The sheet with a script that writes, after layout, the left edge of the heading and
        // of each row into the page, which Chromium then dumps.
        let sheet = try fixture.read("Output/cheatsheets/lambda.html")
        let script = "<script>document.body.setAttribute('data-lefts', [document.querySelector('.key-numbers h2'), "
            + "...document.querySelectorAll('.key-numbers tr')].map(e => Math.round(e.getBoundingClientRect().left)).join(' '))</script>"
        let harness = fixture.root.appendingPathComponent("Output/cheatsheets/harness.html")
        try sheet.replacingOccurrences(of: "</body>", with: script + "</body>").write(to: harness, atomically: true, encoding: .utf8)
        let profile = try EndToEndSupport.temporaryFolder("chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try EndToEndSupport.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--window-size=1280,800", "--dump-dom",
                                                        "--user-data-dir=\(profile.path)", harness.absoluteString], timeout: 60)
        let lefts = try XCTUnwrap(result.out.range(of: #"data-lefts="[0-9 ]+""#, options: .regularExpression).map { result.out[$0] }, result.err)
        let values = lefts.dropFirst(#"data-lefts=""#.count).dropLast().split(separator: " ").compactMap { Int($0) }
        XCTAssertEqual(values.count, 5, String(lefts))
        // A column is some 360 px wide; the table's border moves its rows a pixel or two.
        XCTAssertLessThan(values.max()! - values.min()!, 20, "the heading and every row of the table stand in one column: \(lefts)")
    }
}
