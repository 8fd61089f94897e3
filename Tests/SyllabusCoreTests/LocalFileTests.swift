import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// Files beside the notes (pictures, samples): copied into the site, packaged into the book
/// and Anki, reported when missing or outside the content folder.
final class LocalFileTests: XCTestCase {
    /// Three 1×1 PNG pictures (red, blue, green), made for these tests.
    static let red = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")!
    static let blue = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC")!
    static let green = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNg+M8AAAICAQB7CYF4AAAAAElFTkSuQmCC")!
    static let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"#336\"/></svg>\n"

    static let notes = [
        "lambda/overview.md": """
            # Lambda

            ![The flow](img/flow.png) and ![A sketch](img/sketch.svg)

            Get [the sample](samples/app.zip), or see ![remote](https://example.org/remote.png).

            [![Build badge](https://example.org/badge.svg)](https://example.org/builds)
            """,
        "lambda/index.md": "# Lambda guide\n\n![Guide flow](img/flow.png)\n\n- [Overview](overview.md)\n",
        "lambda/lambda.cards.md": "# Lambda cards\n\n## What does the flow look like?\n\n![Lambda flow](img/flow.png)\n",
        "s3/s3.cards.md": "# S3 cards\n\n## What does the S3 flow look like?\n\n![S3 flow](img/flow.png)\n",
    ]

    static func fixture(config: String = "title: Test\ndeck: Test\noutputs: [site, anki, epub]\n") throws -> Fixture {
        let fixture = try Fixture(notes, config: config)
        try fixture.write("Content/lambda/img/flow.png", red)
        try fixture.write("Content/s3/img/flow.png", blue)
        try fixture.write("Content/lambda/img/sketch.svg", svg)
        try fixture.write("Content/lambda/samples/app.zip", "not really a zip\n")
        try fixture.write("Content/lambda/img/unused.png", green)
        try fixture.write("Content/lambda/notes.txt", "never linked\n")
        return fixture
    }

    func testReferencedFilesAreCopiedIntoTheSiteAndLinkedFromEveryPage() async throws {
        let fixture = try Self.fixture()
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let site = fixture.root.appendingPathComponent("Output/site")
        XCTAssertEqual(try Data(contentsOf: site.appendingPathComponent("lambda/img/flow.png")), Self.red)
        XCTAssertEqual(try Data(contentsOf: site.appendingPathComponent("s3/img/flow.png")), Self.blue)
        XCTAssertEqual(try fixture.read("Output/site/lambda/img/sketch.svg"), Self.svg)
        XCTAssertEqual(try fixture.read("Output/site/lambda/samples/app.zip"), "not really a zip\n")
        for unlinked in ["lambda/img/unused.png", "lambda/notes.txt", "services.yml", "lambda/overview.md"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: site.appendingPathComponent(unlinked).path), "\(unlinked) is not linked")
        }
        let note = try fixture.read("Output/site/lambda/overview.html")
        XCTAssertTrue(note.contains("<img src=\"../lambda/img/flow.png\" alt=\"The flow\" />"), note)
        XCTAssertTrue(note.contains("<img src=\"../lambda/img/sketch.svg\" alt=\"A sketch\" />"), note)
        XCTAssertTrue(note.contains("<a href=\"../lambda/samples/app.zip\">the sample</a>"), note)
        XCTAssertTrue(note.contains("<img src=\"https://example.org/remote.png\" alt=\"remote\" />"), "a web picture stays on the web")
        XCTAssertTrue(try fixture.read("Output/site/lambda/index.html").contains("<img src=\"../lambda/img/flow.png\" alt=\"Guide flow\" />"),
                      "the service page shows its landing text's picture")
        XCTAssertTrue(try fixture.read("Output/site/s3/s3-cards.html").contains("<img src=\"../s3/img/flow.png\" alt=\"S3 flow\" />"))
        let practice = try fixture.read("Output/site/practice/index.html")
        // The cards are JSON in the page, which escapes `/`.
        XCTAssertTrue(practice.contains(#"src=\"..\/s3\/img\/flow.png\""#) && practice.contains(#"src=\"..\/lambda\/img\/flow.png\""#),
                      "card backs show their pictures")
    }

    /// Seen from `file://` in headless Chromium, every local picture of the note page, the
    /// service page and a cards page loads (a broken path leaves `naturalWidth` 0).
    func testPicturesLoadInABrowserFromEveryPage() async throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let fixture = try Self.fixture(config: "title: Test\ndeck: Test\noutputs: [site]\n")
        _ = try await fixture.build()
        let site = fixture.root.appendingPathComponent("Output/site")
        let pages = ["lambda/overview.html", "lambda/index.html", "s3/s3-cards.html"]
        let harness = site.appendingPathComponent("pictures-harness.html")
        try """
            <!DOCTYPE html><html><head><title>harness</title></head><body>
            \(pages.enumerated().map { "<iframe id=\"f\($0.offset)\" src=\"\($0.element)\"></iframe>" }.joined())
            <script>
            window.addEventListener("load", function () {
              var out = document.createElement("pre"); out.id = "pictures";
              for (var i = 0; i < \(pages.count); i++) {
                var images = document.getElementById("f" + i).contentDocument.querySelectorAll("img");
                for (var j = 0; j < images.length; j++) {
                  if (images[j].src.indexOf("file:") === 0) out.textContent += i + " " + images[j].alt + " " + images[j].naturalWidth + ";";
                }
              }
              document.body.appendChild(out);
            });
            </script></body></html>
            """.write(to: harness, atomically: true, encoding: .utf8)
        let dom = try PracticePageTests.dumpDOM(harness, chromium: chromium)
        let marker = try XCTUnwrap(dom.range(of: "<pre id=\"pictures\">"), "the harness did not look at the pages")
        let seen = dom[marker.upperBound...].prefix { $0 != "<" }.split(separator: ";").map(String.init)
        XCTAssertEqual(seen, ["0 The flow 1", "0 A sketch 10", "1 Guide flow 1", "1 Lambda flow 1", "2 S3 flow 1"], "the service page shows its landing text and its cards")
    }

    func testFileNamesWithSpacesArePercentEncoded() async throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\n![Two words](<my pics/flow 1.png>) ![Hash](flow%232.png)\n"])
        try fixture.write("Content/lambda/my pics/flow 1.png", Self.red)
        try fixture.write("Content/lambda/flow#2.png", Self.blue)
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let page = try fixture.read("Output/site/lambda/a.html")
        XCTAssertTrue(page.contains("src=\"../lambda/my%20pics/flow%201.png\""), page)
        XCTAssertTrue(page.contains("src=\"../lambda/flow%232.png\""), page)
        for copied in ["my pics/flow 1.png", "flow#2.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/lambda/" + copied).path))
        }
    }

    func testAFileAtAPathTheSiteMakesIsNotCopied() async throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\nThe [style](assets/style.css) and [a note as a file](b.md?raw=1).\n", "lambda/b.md": "# B\n"])
        try fixture.write("Content/assets/style.css", "body { color: #123456 }\n")
        try fixture.write("Content/lambda/a.md", "---\nservice: lambda\n---\n# A\n\nThe [style](../assets/style.css) and [a note as a file](b.md?raw=1).\n")
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics.map(\.message), [
            "link to 'b.md?raw=1': lambda/b.md is a note; link to a note by its path alone (note.md#anchor); it is shown as text",
            "the site makes a file at assets/style.css itself, so this file is not copied into it",
        ])
        XCTAssertFalse(try fixture.read("Output/site/assets/style.css").contains("#123456"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/lambda/b.md").path))
    }

    func testMissingFileIsAWarningAtItsLinkAndShownAsText() async throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\nGet [the sample](samples/gone.zip) and ![a picture](img/gone.png).\n"])
        let report = try await fixture.build()
        XCTAssertFalse(report.failed)
        let messages = report.diagnostics.map { "\($0.location.path.split(separator: "/").suffix(2).joined(separator: "/")):\($0.location.line):\($0.location.column): \($0.severity) \($0.message)" }
        XCTAssertEqual(messages, [
            "lambda/a.md:3:5: warning link to 'samples/gone.zip': no such file (lambda/samples/gone.zip); it is shown as text",
            "lambda/a.md:3:40: warning picture 'img/gone.png': no such file (lambda/img/gone.png); it is shown as text",
        ])
        let page = try fixture.read("Output/site/lambda/a.html")
        XCTAssertTrue(page.contains("Get the sample and a picture."), page)
        XCTAssertFalse(page.contains("gone."))
    }

    /// A missing picture without alt text (`![](missing.png)`, as `syllabus import` writes an
    /// Anki `<img>` without one) shows its file name in the site, the cheat sheet and the book, as
    /// its warning says (a fresh-user trial saw it vanish); the decks keep it as a picture that
    /// Anki finds in its media folder (a later trial saw the learner's `<img>` replaced by its name).
    func testMissingPictureWithoutAltTextShowsItsFileNameEverywhere() async throws {
        let fixture = try Fixture(["lambda/a.cards.md": "# Cards\n\n## How much memory?\n\nUp to 10 GB ![](missing.png).\n"],
                                  config: IncrementalBuildTests.allOutputs)
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics.map(\.message), ["picture 'missing.png': no such file (lambda/missing.png); the site and book show its name, "
                                                            + "the decks show it from Anki's media folder. Copy it into the content folder from the Anki profile's "
                                                            + "collection.media folder, or, for a card imported from a text export, import the deck's .apkg export, which carries pictures"])
        XCTAssertTrue(try fixture.read("Output/site/lambda/a-cards.html").contains("Up to 10 GB missing.png.</p>"))
        XCTAssertTrue(try fixture.read("Output/anki/all.tsv").contains("Up to 10 GB <img src=\"\"missing.png\"\" alt=\"\"\"\" />.</p>"))
        XCTAssertTrue(try fixture.read("Output/cheatsheets/all.html").contains("Up to 10 GB missing.png.</p>"))
        let package = AnkiPackageReader.read(fixture.root.appendingPathComponent("Output/anki/all.apkg"), mediaFolder: fixture.root.appendingPathComponent("media"))
        XCTAssertEqual(package.notes.map { $0.fields[1] }, ["<p>Up to 10 GB <img src=\"missing.png\" alt=\"\" />.</p>"])
        let book = try Archive(data: try Data(contentsOf: fixture.root.appendingPathComponent("Output/ebook/test.epub")), accessMode: .read)
        let answers = try XCTUnwrap(book["OEBPS/answers.xhtml"])
        var data = Data()
        _ = try book.extract(answers) { data.append($0) }
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("Up to 10 GB missing.png."))
    }

    /// Guides written for their HTML site link to each other by the published page's name:
    /// such a link goes to the note of that name, with its anchor (in the site and the book);
    /// a page no note makes stays a missing file.
    func testALinkToAPublishedPageGoesToItsNote() async throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\nSee [B](b.html#limits) and [gone](gone.html).\n",
            "lambda/b.md": "# B\n\n## Limits\n\nSome.\n",
        ], config: "title: Test\ndeck: Test\noutputs: [site, epub]\n")
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics.map(\.message), ["link to 'gone.html': no such file (lambda/gone.html); it is shown as text"])
        let page = try fixture.read("Output/site/lambda/a.html")
        XCTAssertTrue(page.contains("<a href=\"../lambda/b.html#limits\">B</a>"), page)
        XCTAssertTrue(page.contains("and gone."), page)
    }

    func testFileOutsideTheContentFolderIsAnErrorAndNothingIsCopied() async throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\n[up](../../secret.txt) ![link](img/out.png) [abs](../../../../../../etc/hostname)\n",
        ])
        try fixture.write("secret.txt", "outside\n")
        try fixture.write("outside.png", Self.red)
        try FileManager.default.createDirectory(at: fixture.root.appendingPathComponent("Content/lambda/img"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: fixture.root.appendingPathComponent("Content/lambda/img/out.png").path,
                                                   withDestinationPath: fixture.root.appendingPathComponent("outside.png").path)
        let report = try await fixture.build()
        XCTAssertTrue(report.failed)
        let errors = report.diagnostics.filter { $0.severity == .error }
        XCTAssertEqual(errors.map(\.location.column), [1, 24, 45], "\(errors)")
        XCTAssertTrue(errors.allSatisfy { $0.message.contains("leads outside the content folder") }, "\(errors)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site").path))
    }

    func testUnsafeSVGAndPagesAreRejectedWithAWarning() async throws {
        let unsafe = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><svg:script xmlns:svg=\"http://www.w3.org/2000/svg\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect ONCLICK = 'x()'/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><image xlink:href=\"https://example.org/x.png\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect style=\"fill: url(https://example.org/p.svg#g)\"/></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><style>@import 'https://example.org/a.css';</style></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\">x</div></foreignObject></svg>",
            "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\"><text>&x;</text></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><a><set attributeName=\"href\" to=\"javascript:alert(1)\"/></a></svg>",
        ]
        for text in unsafe { XCTAssertNotNil(SVGCheck.problem(in: Data(text.utf8)), text) }
        let safe = [
            Self.svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"><defs><linearGradient id=\"g\"/></defs><rect fill=\"url(#g)\"/><use xlink:href=\"#g\"/></svg>",
        ]
        for text in safe { XCTAssertNil(SVGCheck.problem(in: Data(text.utf8)), text) }

        let fixture = try Fixture(["lambda/a.md": "# A\n\n![Evil](evil.svg)\n\n[page](export.html) [doc](page.xml) [pom](pom.xml)\n"])
        try fixture.write("Content/lambda/evil.svg", unsafe[2])
        try fixture.write("Content/lambda/export.html", "<script>alert(1)</script>\n")
        try fixture.write("Content/lambda/page.xml", "<html xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></html>\n")
        try fixture.write("Content/lambda/pom.xml", "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><url>https://example.org/</url></project>\n")
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics.map(\.message), [
            "picture 'evil.svg': lambda/evil.svg is not published: it has an event handler attribute, which a site or book must not run or load; it is shown as text",
            "link to 'export.html': lambda/export.html is not published: a browser would open it as a page of the site, scripts and all; only notes are published as pages; it is shown as text",
            "link to 'page.xml': lambda/page.xml is not published: it holds a script, which a site or book must not run or load; it is shown as text",
        ])
        for refused in ["evil.svg", "export.html", "page.xml"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/lambda/" + refused).path))
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/lambda/pom.xml").path))
        XCTAssertTrue(try fixture.read("Output/site/lambda/a.html").contains("<p>Evil</p>"))
    }

    func testBookPackagesPicturesAndLinksRemotePicturesAndOtherFiles() async throws {
        for baseURL in [nil, "https://study.example.org/"] {
            let config = "title: Test\ndeck: Test\noutputs: [epub]\n" + (baseURL.map { "base_url: \($0)\n" } ?? "")
            let fixture = try Self.fixture(config: config)
            let report = try await fixture.build()
            XCTAssertEqual(report.diagnostics, [])
            let book = try Data(contentsOf: fixture.root.appendingPathComponent("Output/ebook/test.epub"))
            let archive = try Archive(data: book, accessMode: .read)
            let entries: [(path: String, text: String)] = try archive.map { entry in
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                return (entry.path, String(decoding: data, as: UTF8.self))
            }
            func text(_ path: String) -> String { entries.first { $0.path == "OEBPS/" + path }?.text ?? "" }
            let images = entries.map(\.path).filter { $0.hasPrefix("OEBPS/images/") }.sorted()
            XCTAssertEqual(images.count, 3, "two flow.png and the sketch: \(images)")
            XCTAssertEqual(Set(images.map { ($0 as NSString).lastPathComponent.components(separatedBy: "-")[0] }), ["flow", "sketch"])
            let opf = text("package.opf")
            for image in images {
                let name = String(image.dropFirst("OEBPS/".count))
                let type = name.hasSuffix(".svg") ? "image/svg+xml" : "image/png"
                XCTAssertTrue(opf.contains("href=\"\(name)\" media-type=\"\(type)\""), opf)
            }
            let chapter = entries.filter { $0.path.hasPrefix("OEBPS/service-lambda") }.map(\.text).joined()
            let flow = try XCTUnwrap(images.first { chapter.contains($0.dropFirst("OEBPS/".count)) })
            XCTAssertTrue(chapter.contains("<img src=\"\(flow.dropFirst("OEBPS/".count))\" alt=\"The flow\"/>"), chapter)
            XCTAssertTrue(chapter.contains("<a class=\"image-link\" href=\"https://example.org/remote.png\">remote</a>"), chapter)
            XCTAssertTrue(chapter.contains("<a href=\"https://example.org/builds\"><span class=\"image-alt\">Build badge</span></a>"),
                          "a web picture inside a link leaves its alt text: \(chapter)")
            if let baseURL {
                XCTAssertTrue(chapter.contains("<a href=\"\(baseURL)lambda/samples/app.zip\">the sample</a>"), chapter)
            } else {
                XCTAssertTrue(chapter.contains("Get the sample, or see"), chapter)
            }
            XCTAssertTrue(text("answers.xhtml").contains("alt=\"S3 flow\""), "card answers show their pictures")
            try Self.epubcheck(book)
        }
    }

    /// EPUBCheck's verdict on `book`: no error and no warning.
    static func epubcheck(_ book: Data, file: StaticString = #filePath, line: UInt = #line) throws {
        try EpubTests.assertValid(book, file: file, line: line)
    }

    func testAnkiMediaFolderAndPackagesHoldCardPicturesUnderCollisionFreeNames() async throws {
        let fixture = try Self.fixture()
        _ = try await fixture.build()
        let anki = fixture.root.appendingPathComponent("Output/anki")
        let media = try FileManager.default.contentsOfDirectory(atPath: anki.appendingPathComponent("media").path).sorted()
        XCTAssertEqual(media.count, 2, "the two different flow.png, nothing else: \(media)")
        XCTAssertTrue(media.allSatisfy { $0.hasPrefix("flow-") && $0.hasSuffix(".png") }, "\(media)")
        let byData = Dictionary(uniqueKeysWithValues: try media.map { (try Data(contentsOf: anki.appendingPathComponent("media/\($0)")), $0) })
        let lambdaName = try XCTUnwrap(byData[Self.red]), s3Name = try XCTUnwrap(byData[Self.blue])
        let all = try fixture.read("Output/anki/all.tsv")
        XCTAssertTrue(all.contains("<img src=\"\"\(lambdaName)\"\" alt=\"\"Lambda flow\"\" />"), all)
        XCTAssertTrue(all.contains("<img src=\"\"\(s3Name)\"\" alt=\"\"S3 flow\"\" />"), all)

        func packagedMedia(_ name: String) throws -> [String: Data] {
            let archive = try Archive(url: anki.appendingPathComponent(name), accessMode: .read, pathEncoding: nil)
            var index = Data()
            _ = try archive.extract(try XCTUnwrap(archive["media"])) { index.append($0) }
            let names = try XCTUnwrap(try JSONSerialization.jsonObject(with: index) as? [String: String])
            return try names.reduce(into: [:]) { result, entry in
                var data = Data()
                _ = try archive.extract(try XCTUnwrap(archive[entry.key])) { data.append($0) }
                result[entry.value] = data
            }
        }
        XCTAssertEqual(try packagedMedia("lambda.apkg"), [lambdaName: Self.red])
        XCTAssertEqual(try packagedMedia("s3.apkg"), [s3Name: Self.blue])
        XCTAssertEqual(try packagedMedia("all.apkg"), [lambdaName: Self.red, s3Name: Self.blue])

        // A changed picture gets a new name, so Anki (which keeps a file it already has by
        // name) takes the new one.
        try fixture.write("Content/lambda/img/flow.png", Self.green)
        _ = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        let changed = try XCTUnwrap(try packagedMedia("lambda.apkg").first)
        XCTAssertNotEqual(changed.key, lambdaName)
        XCTAssertEqual(changed.value, Self.green)
        XCTAssertTrue(try fixture.read("Output/anki/lambda.tsv").contains(changed.key))

        guard let python = try? EndToEndSupport.ankiPython() else { throw missingTool("the Anki Python library (ANKI_PYTHON)") }
        let report = try AnkiImport.run(python, anki.appendingPathComponent("all.apkg"), into: fixture.root.appendingPathComponent("collection/c.anki2"))
        XCTAssertEqual(report.import.added, 2)
        XCTAssertEqual(report.collection.media, [changed.key: Self.green.count, s3Name: Self.blue.count])
    }

    func testChangedAddedAndRemovedPicturesRebuildLikeAFreshBuild() async throws {
        let fixture = try Self.fixture(config: IncrementalBuildTests.allOutputs)
        _ = try await fixture.build()
        // Only the picture changes: no note does, so the build must not be "up to date".
        try fixture.write("Content/lambda/img/flow.png", Self.green)
        var report = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertFalse(report.upToDate)
        XCTAssertEqual(try Data(contentsOf: fixture.root.appendingPathComponent("Output/site/lambda/img/flow.png")), Self.green)
        // A picture removed: its notes warn and show the alt text; the copies go.
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/s3/img/flow.png"))
        report = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(report.diagnostics.contains { $0.message.contains("no such file (s3/img/flow.png)") }, "\(report.diagnostics)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/s3/img/flow.png").path))
        // …and added back.
        try fixture.write("Content/s3/img/flow.png", Self.blue)
        report = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(report.diagnostics, [])
        // Nothing changed since: up to date.
        report = try await fixture.build()
        XCTAssertTrue(report.upToDate)
    }
}
