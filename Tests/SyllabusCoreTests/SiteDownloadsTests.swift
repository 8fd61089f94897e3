import Foundation
import XCTest
@testable import SyllabusCore
@testable import SyllabusServe

/// The home page's Downloads list: the files of the other outputs the build made, by links
/// that work from file:// and through `serve`.
final class SiteDownloadsTests: XCTestCase {
    private let files = ["lambda/overview.md": "# Lambda\n\nWords.\n", "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n"]

    /// The `href`s of the home page's Downloads section.
    private func downloadLinks(_ fixture: Fixture) throws -> [String] {
        let home = try fixture.read("Output/site/index.html")
        guard let section = home.range(of: "<section class=\"downloads\" id=\"downloads\">") else { return [] }
        let rest = home[section.upperBound...]
        let body = rest[..<(rest.range(of: "</section>")?.lowerBound ?? rest.endIndex)]
        return body.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }

    func testHomePageLinksEveryOutputTheBuildMadeByRelativeLinks() async throws {
        let fixture = try Fixture(files, config: "title: Test Book\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        let links = try downloadLinks(fixture)
        XCTAssertEqual(links, ["../ebook/test-book.epub", "../anki/all.apkg", "../anki/all.tsv", "../anki/removed.txt", "../cheatsheets/all.html",
                               "../anki/lambda.apkg", "../anki/lambda.tsv", "../cheatsheets/lambda.html"])
        try assertEveryLinkNamesAFile(links, fixture)
    }

    /// The site links the outputs the pipeline tells it the build makes (`OutputSink.outputs`),
    /// not what `outputs:` lists: it asks no other renderer whether its files will be there.
    func testDownloadsLinkTheOutputsThePipelineSaysTheBuildMakes() async throws {
        let fixture = try Fixture(files, config: "title: Test Book\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        let site = try SiteRenderer(templates: try await TemplateSet.load(from: fixture.templatesRoot))
        let told = FileCollector(outputs: [.site, .epub])
        try site.render(set, diagnostics: DiagnosticLog(), into: told)
        let home = String(decoding: try XCTUnwrap(told.files.first { $0.path == "site/index.html" }).contents, as: UTF8.self)
        XCTAssertTrue(home.contains("href=\"../ebook/test-book.epub\""), home)
        XCTAssertFalse(home.contains("../anki/") || home.contains("../cheatsheets/"), home)
    }

    /// A study set without cards gets no empty decks, no `anki` folder of a `removed.txt` that
    /// lists nothing and no empty `cheatsheets` folder, one note beside the summary that says
    /// so (no warning: notes alone are valid input), and Downloads (which other pages can link
    /// to, by its id) links exactly the files there are; cards added and removed again come
    /// and go the same way, and then `removed.txt` lists the removed card.
    func testAStudySetWithoutCardsMakesNoEmptyDecksOrSheetsAndSaysSoOnce() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nWords.\n"],
                                  config: "title: Test Book\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let note = "the study set has no cards, so the build made no Anki deck of cards and no cheat sheets; a card is a '##' heading in a *.cards.md file"
        func assertNoCards(_ report: BuildReport, removed: Bool, line: UInt = #line) throws {
            XCTAssertEqual(report.diagnostics.map(\.description), [], line: line)
            XCTAssertEqual(report.notes, [note], line: line)
            XCTAssertEqual(try downloadLinks(fixture), ["../ebook/test-book.epub"] + (removed ? ["../anki/removed.txt"] : []), line: line)
            XCTAssertEqual(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/anki").path), removed, line: line)
            try assertEveryLinkNamesAFile(try downloadLinks(fixture), fixture, line: line)
            XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/cheatsheets").path), line: line)
            XCTAssertTrue(try fixture.read("Output/site/index.html").contains("<section class=\"downloads\" id=\"downloads\">"), line: line)
        }
        try assertNoCards(try await fixture.build(), removed: false)
        let again = try await fixture.build()
        XCTAssertTrue(again.upToDate)
        try assertNoCards(again, removed: false)

        try fixture.write("Content/lambda/lambda.cards.md", "## What runs code?\n\nLambda.\n")
        let withCards = try await fixture.build()
        XCTAssertEqual(withCards.diagnostics.map(\.description) + withCards.notes, [])
        try assertEveryLinkNamesAFile(try downloadLinks(fixture), fixture)
        XCTAssertTrue(try downloadLinks(fixture).contains("../cheatsheets/all.html"))

        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/lambda/lambda.cards.md"))
        try assertNoCards(try await fixture.build(), removed: true)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output/anki").path), ["removed.txt"])
        XCTAssertTrue(try fixture.read("Output/anki/removed.txt").contains("What runs code?"))
    }

    /// From file://: each link, resolved against the home page, names a file the build wrote;
    /// and every file the build wrote in those folders is linked (the TSVs' pictures aside).
    private func assertEveryLinkNamesAFile(_ links: [String], _ fixture: Fixture, file: StaticString = #filePath, line: UInt = #line) throws {
        let home = fixture.root.appendingPathComponent("Output/site/index.html")
        for link in links {
            let target = try XCTUnwrap(URL(string: link, relativeTo: home)).standardizedFileURL
            XCTAssertTrue(FileManager.default.fileExists(atPath: target.path), link, file: file, line: line)
        }
        for folder in ["ebook", "anki", "cheatsheets"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output/\(folder)").path)) ?? []
            for name in names where name != "media" {
                XCTAssertTrue(links.compactMap(\.removingPercentEncoding).contains("../\(folder)/\(name)"), "\(folder)/\(name) is not linked",
                              file: file, line: line)
            }
        }
    }

    /// With `--pdf` the sheets' PDFs are outputs of the build, linked beside their sheets.
    func testPrintedCheatSheetsAreLinked() async throws {
        guard let printer = PDFPrinter.find() else { throw missingTool("chromium is not installed") }
        let fixture = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [site, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        var options = fixture.options
        options.pdfPrinter = printer
        let report = try await Pipeline(options: options).build()
        XCTAssertFalse(report.failed, "\(report.diagnostics)")
        let links = try downloadLinks(fixture)
        XCTAssertEqual(links, ["../cheatsheets/all.html", "../cheatsheets/all.pdf", "../cheatsheets/lambda.html", "../cheatsheets/lambda.pdf"])
        try assertEveryLinkNamesAFile(links, fixture)
    }

    func testOutputsTheBuildDidNotMakeAreNotLinked() async throws {
        let fixture = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [site, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        XCTAssertEqual(try downloadLinks(fixture), ["../cheatsheets/all.html", "../cheatsheets/lambda.html"])

        let bare = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: bare.root) }
        _ = try await bare.build()
        XCTAssertFalse(try bare.read("Output/site/index.html").contains("Downloads"), "no section with nothing to download")
    }

    /// A book named in other scripts (see `EpubRenderer.fileName`) is linked percent-encoded,
    /// and the link leads to it from file://, from the home page through `serve` and from
    /// `serve`'s downloads page.
    func testABookNamedInOtherScriptsIsLinkedPercentEncoded() async throws {
        let fixture = try Fixture(files, config: "title: Prüfung für AWS 認定\ndeck: Test\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        let book = "ebook/pr%C3%BCfung-f%C3%BCr-aws-%E8%AA%8D%E5%AE%9A.epub"
        let links = try downloadLinks(fixture)
        XCTAssertEqual(links, ["../" + book])
        try assertEveryLinkNamesAFile(links, fixture)
        let server = try DevServer(options: fixture.options, host: "127.0.0.1", port: 0) { _ in }
        let ready = AsyncStream.makeStream(of: URL.self)
        let task = Task { try await server.run { ready.continuation.yield($0) } }
        defer { task.cancel() }
        var iterator = ready.stream.makeAsyncIterator()
        let first = await iterator.next()
        let port = UInt16(try XCTUnwrap(try XCTUnwrap(first).port))
        XCTAssertEqual(try RawConnection.get("/" + book, port: port).status, 200)
        let downloads = try RawConnection.get("/__syllabus/outputs/", port: port).body
        XCTAssertTrue(downloads.contains("href=\"/__syllabus/outputs/\(book)\""), downloads)
        XCTAssertEqual(try RawConnection.get("/__syllabus/outputs/" + book, port: port).status, 200)
    }

    /// From `http://127.0.0.1:port/`, `../anki/all.apkg` resolves to `/anki/all.apkg`.
    func testServeAnswersTheDownloadLinksFromTheOutputFolders() async throws {
        let fixture = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [site, anki, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let server = try DevServer(options: fixture.options, host: "127.0.0.1", port: 0) { _ in }
        let ready = AsyncStream.makeStream(of: URL.self)
        let task = Task { try await server.run { ready.continuation.yield($0) } }
        defer { task.cancel() }
        var iterator = ready.stream.makeAsyncIterator()
        let first = await iterator.next()
        let port = UInt16(try XCTUnwrap(try XCTUnwrap(first).port))
        for link in try downloadLinks(fixture) {
            let target = "/" + link.dropFirst("../".count)
            XCTAssertEqual(try RawConnection.get(target, port: port).status, 200, target)
        }
        XCTAssertEqual(try RawConnection.get("/anki/no-such-deck.apkg", port: port).status, 404)
        XCTAssertEqual(try RawConnection.get("/anki/../syllabus.yml", port: port).status, 404)
    }
}
