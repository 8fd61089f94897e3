import Foundation
import XCTest
@testable import SyllabusCore

/// A long service sheet flows through all its columns, and one that still runs past two pages
/// says so: which service, how many pages, which parts make it long. Printed with the real
/// headless Chromium and counted with `pdfinfo`.
final class CheatSheetLengthTests: XCTestCase {
    private static let config = "title: Test\ndeck: Test\noutputs: [cheatsheets]\n"

    /// A note with `rows` rows of key numbers, and a card file with `codeCards` cards whose back
    /// is 150 lines of code and ten short cards.
    private static func files(rows: Int, codeCards: Int) -> [String: String] {
        let table = (1...rows).map { "| Limit number \($0) | \($0 * 7) units |" }.joined(separator: "\n")
        let code = (1...150).map { "line_\($0) = compute(\($0))  # step \($0)" }.joined(separator: "\n")
        var cards = "# Lambda cards\n\n"
        for number in 0..<codeCards { cards += "## Show long program \(number + 1)\n\n```python\n\(code)\n```\n\n" }
        for number in 1...10 { cards += "## Short question \(number)?\n\nShort answer \(number).\n\n" }
        return ["lambda/overview.md": "# Overview\n\n## Key numbers\n\n| Limit | Value |\n|---|---|\n\(table)\n",
                "lambda/lambda.cards.md": cards]
    }

    private func pages(_ pdf: URL) throws -> Int {
        guard let pdfinfo = EndToEndSupport.which("pdfinfo") else { throw missingTool("pdfinfo is not installed (apt-get install poppler-utils)") }
        let result = try EndToEndSupport.run(pdfinfo, [pdf.path])
        let line = try XCTUnwrap(result.out.split(separator: "\n").first { $0.hasPrefix("Pages:") }, result.out)
        return try XCTUnwrap(Int(line.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)))
    }

    private func build(_ fixture: Fixture) async throws -> BuildReport {
        guard let printer = PDFPrinter.find() else { throw missingTool("chromium is not installed") }
        var options = fixture.options
        options.pdfPrinter = printer
        return try await Pipeline(options: options).build()
    }

    func testSixtyRowsOfKeyNumbersAndA150LineCardFitTwoPages() async throws {
        let fixture = try Fixture(Self.files(rows: 60, codeCards: 1), config: Self.config)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await build(fixture)
        XCTAssertEqual(report.diagnostics, [], "no warning: the sheet fits")
        let pdf = fixture.root.appendingPathComponent("Output/cheatsheets/lambda.pdf")
        XCTAssertEqual(try pages(pdf), 2, "the table and the code flow through the columns instead of leaving them empty")
        XCTAssertEqual(PDFPrinter.pageCount(of: try Data(contentsOf: pdf)), 2)
    }

    func testSheetPastTwoPagesWarnsWhichServiceHowManyPagesAndWhy() async throws {
        let fixture = try Fixture(Self.files(rows: 120, codeCards: 3), config: Self.config)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await build(fixture)
        let count = try pages(fixture.root.appendingPathComponent("Output/cheatsheets/lambda.pdf"))
        XCTAssertGreaterThan(count, 2)
        let cards = fixture.root.appendingPathComponent("Content/lambda/lambda.cards.md").path
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "\(cards):3:1: warning: the AWS Lambda cheat sheet (cheatsheets/lambda.pdf) prints on \(count) A4 pages, more than 2; "
                + "its longest parts: card 'Show long program 1' (150 lines of code), card 'Show long program 2' (150 lines of code)",
        ], "all.pdf flows every service on and is not meant to fit")

        // A later build that prints nothing (the sheet is unchanged) still says so.
        try fixture.write("Content/lambda/notes.md", "# Notes\n\nMore prose.\n")
        let again = try await build(fixture)
        XCTAssertEqual(again.diagnostics.map(\.message), report.diagnostics.map(\.message))
    }

    func testPageCountIsReadFromThePageTree() {
        let pdf = Data("%PDF-1.4\n1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n2 0 obj\n<</Type /Pages /Count 3 /Kids [4 0 R 5 0 R]>>\nendobj\n"
            .utf8) + Data("4 0 obj\n<</Type /Pages /Parent 2 0 R /Count 2 /Kids []>>\nendobj\n6 0 obj\n<</Type /Outlines /Count 9>>\nendobj\n".utf8)
        XCTAssertEqual(PDFPrinter.pageCount(of: pdf), 3)
        XCTAssertNil(PDFPrinter.pageCount(of: Data("not a PDF".utf8)))
    }
}
