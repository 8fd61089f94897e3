import Foundation
import XCTest
@testable import SyllabusCore

final class CheatSheetTests: XCTestCase {
    private func renderBundled() async throws -> [OutputFile] {
        let options = BookFixture.bundledOptions(output: FileManager.default.temporaryDirectory)
        let templates = try await TemplateSet.load(from: options.templatesRoot)
        return try BookFixture.render(CheatSheetRenderer(templates: templates), options: options).files
    }

    /// A card is long past 40 lines, rows and items together; counted in the bytes of ASCII
    /// HTML, it gives what counting with Foundation's search gives, at the threshold too.
    func testLongCardCountsLinesRowsAndItemsAsFoundationDoes() {
        func reference(_ html: String) -> Bool {
            html.utf8.filter { $0 == 0x0A }.count + html.components(separatedBy: "<tr").count + html.components(separatedBy: "<li").count - 2 > 40
        }
        for rows in [0, 20, 21, 41] {
            for items in [0, 19, 20] {
                let table = "<table>\n<tbody>" + String(repeating: "<tr><td>a</td></tr>", count: rows) + "</tbody></table>"
                let list = "<ul>" + String(repeating: "<li>b</li>", count: items) + "</ul><link><trace>"
                for html in [table + list, table + "\n\u{E9}" + list, "<<tr" + list + "\r\n<li"] {
                    XCTAssertEqual(CheatSheetRenderer.isLong(html), reference(html), "\(rows) rows, \(items) items: \(html.prefix(40))")
                }
            }
        }
        XCTAssertTrue(CheatSheetRenderer.isLong(String(repeating: "<li>x</li>", count: 41)))
        XCTAssertFalse(CheatSheetRenderer.isLong(String(repeating: "<li>x</li>", count: 40)))
    }

    func testOneSheetPerServiceWithCardsAndAnAllSheet() async throws {
        let files = try await renderBundled()
        let names = Set(files.map(\.path))
        XCTAssertTrue(names.contains("cheatsheets/all.html"))
        XCTAssertTrue(names.contains("cheatsheets/lambda.html"))
        XCTAssertTrue(files.allSatisfy { $0.path.hasPrefix("cheatsheets/") && $0.path.hasSuffix(".html") })
        let lambda = String(decoding: try XCTUnwrap(files.first { $0.path == "cheatsheets/lambda.html" }).contents, as: UTF8.self)
        XCTAssertTrue(lambda.contains("break-inside: avoid"))
        XCTAssertTrue(lambda.contains("size: A4"))
        XCTAssertTrue(lambda.contains("counter(pages)"))
        XCTAssertTrue(lambda.contains("@page sheet-lambda { @top-left { content: \"AWS Lambda\""), "running header names the service")
        XCTAssertTrue(lambda.contains("<h2>Key numbers</h2>"))
        XCTAssertTrue(lambda.contains("15 minutes"), "key numbers of the overview are on the sheet")
        XCTAssertTrue(lambda.contains("<mark class=\"cloze\">/tmp</mark>"), "cloze cards show their answer")
        XCTAssertFalse(lambda.contains("<a href"), "printed sheets carry no links")
    }

    /// Key numbers under a heading in the set's language, or with the id `key-numbers` in any
    /// language, reach the sheet (found by a fresh-user trial: a Spanish "Cifras clave" lost
    /// its table silently, with or without `{#key-numbers}`).
    func testKeyNumbersHeadingsInOtherLanguagesOrWithTheirIdReachTheSheet() async throws {
        let fixture = try Fixture(["lambda/resumen.md": "# Lambda\n\n## Cifras clave\n\n| Límite | Valor |\n|---|---|\n| Tiempo máximo | 15 minutos |\n",
                                   "s3/zusammenfassung.md": "# S3\n\n## Grenzwerte {#key-numbers}\n\n| Grenze | Wert |\n|---|---|\n| Objekt | 50 TB |\n"],
                                  config: "title: T\ndeck: T\noutputs: [cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        XCTAssertTrue(try fixture.read("Output/cheatsheets/lambda.html").contains("15 minutos"))
        XCTAssertTrue(try fixture.read("Output/cheatsheets/s3.html").contains("50 TB"))
        for (heading, names) in [("Kennzahlen und Limits", true), ("Chiffres clés", true), ("主な数値", true), ("关键数字", true), ("주요 수치", true),
                                 ("Numeri chiave", true), ("Números-chave", true), ("KEY NUMBERS", true), ("Cifras", false)] {
            XCTAssertEqual(NoteFacts.namesKeyNumbers(heading, id: nil), names, heading)
        }
    }

    func testSheetsOfUnusualContentEscapeTheHeader() async throws {
        let options = try BookFixture.make(BookFixture.unusual, name: "sheets-odd")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let templates = try await TemplateSet.load(from: options.templatesRoot)
        let files = try BookFixture.render(CheatSheetRenderer(templates: templates), options: options).files
        XCTAssertEqual(files.map(\.path).sorted(), ["cheatsheets/all.html", "cheatsheets/widget.html"])
        let widget = String(decoding: try files.first { $0.path == "cheatsheets/widget.html" }!.contents, as: UTF8.self)
        XCTAssertTrue(widget.contains(#"content: "Widget \3c Service\3e  \26  \22 Friends\22 ""#), widget)
        XCTAssertEqual(CheatSheetRenderer.cssString("a\"</style>"), #""a\22 \3c \2f style\3e ""#)
    }

    func testMissingChromiumIsReportedClearly() {
        XCTAssertNil(PDFPrinter.find(environment: ["PATH": "/nonexistent"]))
        XCTAssertTrue(PDFPrinter.Failure.browserMissing.description.contains("chromium"))
    }

    /// As in CI: print every sheet, each single-service sheet is at most 2 A4 pages, and a
    /// rendered page is not blank.
    func testPrintedSheetsFitOnTwoA4Pages() async throws {
        guard let printer = PDFPrinter.find() else { throw missingTool("chromium is not installed") }
        guard let pdfinfo = EndToEndSupport.which("pdfinfo"), let pdftoppm = EndToEndSupport.which("pdftoppm") else {
            throw missingTool("poppler-utils (pdfinfo, pdftoppm) is not installed")
        }
        let folder = try EndToEndSupport.temporaryFolder("sheets-pdf")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try await renderBundled()
        for file in files {
            try file.contents.write(to: folder.appendingPathComponent(String(file.path.dropFirst("cheatsheets/".count))))
        }
        let pdfs = try printer.printSheets(in: folder)
        XCTAssertEqual(pdfs.count, files.count)
        for pdf in pdfs {
            XCTAssertTrue(FileManager.default.fileExists(atPath: pdf.path))
            let info = try EndToEndSupport.run(pdfinfo, [pdf.path]).out
            let pages = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") }
            XCTAssertNotNil(pages, info)
            XCTAssertTrue(info.contains("(A4)"), "\(pdf.lastPathComponent) is not A4: \(info)")
            if pdf.lastPathComponent != "all.pdf" {
                XCTAssertLessThanOrEqual(pages ?? 99, 2, "\(pdf.lastPathComponent) has \(pages ?? 0) pages")
            } else {
                // Services flow one after another: fewer pages than services (a page per
                // service gave 28 pages for 28 sheets; 37 sheets flow onto 19 today).
                XCTAssertLessThan(pages ?? 99, files.count - 1, "all.pdf has \(pages ?? 0) pages for \(files.count - 1) services")
            }
        }
        let lambda = folder.appendingPathComponent("lambda.pdf")
        let prefix = folder.appendingPathComponent("page").path
        XCTAssertEqual(try EndToEndSupport.run(pdftoppm, ["-gray", "-r", "30", "-f", "1", "-l", "1", lambda.path, prefix]).status, 0)
        let image = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("page") && $0.hasSuffix(".pgm") })
        let pixels = try Data(contentsOf: folder.appendingPathComponent(image))
        // A grey map of the page (P5): a sheet full of 8 pt text darkens thousands of pixels.
        let inked = pixels.suffix(pixels.count - 20).filter { $0 < 200 }.count
        XCTAssertGreaterThan(inked, 2_000, "the printed page is blank")
    }
}
