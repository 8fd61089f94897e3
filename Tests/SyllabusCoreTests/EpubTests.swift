import Foundation
import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// Builds for the EPUB and cheat sheet tests: the bundled content, or a fixture in a temp folder.
enum BookFixture {
    static let repoRoot = Fixture.repository

    static func bundledOptions(output: URL) -> BuildOptions {
        BuildOptions(contentRoot: repoRoot.appendingPathComponent("Content"), templatesRoot: repoRoot.appendingPathComponent("Templates"),
                     outputRoot: output, configFile: repoRoot.appendingPathComponent("syllabus.yml"))
    }

    /// Writes `files` (path -> text) under a new folder; returns build options over it.
    static func make(_ files: [String: String], name: String) throws -> BuildOptions {
        let root = try EndToEndSupport.temporaryFolder(name)
        try EndToEndSupport.writeFixture(files, in: root)
        return BuildOptions(contentRoot: root.appendingPathComponent("Content"), templatesRoot: repoRoot.appendingPathComponent("Templates"),
                            outputRoot: root.appendingPathComponent("Output"), configFile: root.appendingPathComponent("syllabus.yml"))
    }

    /// Content no one here wrote: raw HTML, broken links, odd characters and file names.
    static let unusual: [String: String] = [
        "syllabus.yml": """
        title: "Odd & \\"Quoted\\" <Book> ☃ — Ünïcödé"
        author: "A. <Author> & Co"
        language: de
        unsafe_html: true
        outputs: [epub, cheatsheets]
        """,
        "Content/services.yml": """
        - id: widget
          name: Widget <Service> & "Friends"
          short: Widget
          category: Tools & Things
        - id: gadget
          name: Gadget
          category: Tools & Things
        """,
        "Content/widget/overview.md": """
        ---
        title: Widget overview
        ---
        # Widget overview <a name="top"></a>

        <div align="center"><b>Bold</b>&nbsp;raw &amp; <i>HTML</i> block &copy; &#x263A; &bogus;</div>

        <script>alert("x")</script>
        <!-- a comment -- with dashes -->

        Press <kbd>Ctrl</kbd>+<kbd>C</kbd><br>now. An unclosed <span class="x tag and a stray </p> tag.
        A raw picture: <img src="pictures/pic one.png" alt="Raw &amp; &lt;picture&gt;"><video src="clip.mp4"></video>.
        Odd: \u{7} bell, & ampersand, < less, "quotes", 'single', ☃ snowman, 🦄, Ｆｕｌｌｗｉｄｔｈ.

        See [the missing note](missing.md), [a bad anchor](other%20note.md#no-such-heading), [an absolute](/abs/path),
        [script](javascript:alert(1)), [a spaced URL](<http://example.com/a b?x=1&y=2>), <https://example.org/ünï>,
        [the odd file](<Ünïcode & spaces (1).md>), [its heading](<Ünïcode & spaces (1).md#größe--maße>) and Gadget.

        ![An image & <alt>](<pictures/pic one.png>) ![](empty-alt.png)

        A footnote[^1] and a named one[^Note-Label], again[^note-label].

        [^1]: First footnote with **bold**.

        [^Note-Label]: Second footnote.

        ## Key numbers

        | Left | Center | Right |
        |:-----|:------:|------:|
        | a & b | `<code>` | ~~gone~~ |
        | 1 | 2 | 3 |

        - [ ] open task
        - [x] done task

        1. first

        2. loose second

        ## Key numbers

        Duplicate heading. Front of inline card :: back with **bold** and [link](missing.md)

        ```c++ weird "info"
        if (a < b && c > d) { return "</pre>"; }
        ```

        > quoted <em>raw</em> text

        ---

        ###### Deep heading

        Line with trailing backslash\\
        next line.
        """,
        "Content/widget/Ünïcode & spaces (1).md": """
        # Größe & Maße <Zeichen>

        Text with ünïcödé and a link back to [the overview](overview.md#widget-overview).
        """,
        "Content/widget/widget.cards.md": """
        # Widget cards

        ## What is a <widget> & why?

        A **thing**. See [overview](overview.md).

        ## The {{c1::**bold** answer}} spans markup.

        ## Highlight ==cloze== card

        Extra back text.
        """,
        "Content/gadget/gadget notes.md": """
        # Gadget notes

        Gadgets go with widgets.
        """,
        "Content/misc.md": """
        # Miscellaneous

        Nothing about any service here.
        """,
    ]

    /// Runs the analysis and one renderer, even when the content has errors (broken links).
    static func render(_ renderer: any Renderer, options: BuildOptions) throws -> (files: [OutputFile], diagnostics: [Diagnostic]) {
        let diagnostics = DiagnosticLog()
        let set = Pipeline(options: options).analyze(diagnostics)
        return (try renderer.render(set, diagnostics: diagnostics), diagnostics.all)
    }
}

final class EpubTests: XCTestCase {
    static let epubcheck = "/usr/share/java/epubcheck.jar"

    /// EPUBCheck (Debian's 4.2.6) on the book at `url`, warnings failing it, with a 64 MiB
    /// thread stack: with Java's default one it overflows its stack on books of 2,000 and
    /// more files and still ends with "0 errors". Its exit status and what it printed.
    /// - Throws: `missingTool` without java or the jar.
    static func runEPUBCheck(_ url: URL) throws -> (status: Int32, output: String) {
        guard let java = EndToEndSupport.which("java"), FileManager.default.fileExists(atPath: epubcheck) else {
            throw missingTool("java or \(epubcheck) is not installed (apt-get install epubcheck)")
        }
        let result = try EndToEndSupport.run(java, ["-Xss64m", "-jar", epubcheck, "--failonwarnings", url.path])
        return (result.status, result.out + result.err)
    }

    /// EPUBCheck's verdict on `book`: no fatal, error or warning, and no Java exception (a
    /// stack overflow ends with "0 errors" too).
    static func assertValid(_ book: Data, file: StaticString = #filePath, line: UInt = #line) throws {
        let folder = try EndToEndSupport.temporaryFolder("epubcheck")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("book.epub")
        try book.write(to: url)
        try assertValid(at: url, file: file, line: line)
    }

    /// As `assertValid(_:)`, for a book in a file.
    static func assertValid(at url: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        let (status, output) = try runEPUBCheck(url)
        XCTAssertEqual(status, 0, output, file: file, line: line)
        XCTAssertTrue(output.contains("0 fatals / 0 errors / 0 warnings"), output, file: file, line: line)
        XCTAssertFalse(output.contains("Exception") || output.contains("StackOverflowError"), output, file: file, line: line)
    }

    func epubcheck(_ book: Data, file: StaticString = #filePath, line: UInt = #line) throws {
        try Self.assertValid(book, file: file, line: line)
    }

    func entries(_ book: Data) throws -> [(path: String, entry: Entry, text: String)] {
        let archive = try Archive(data: book, accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return (entry.path, entry, String(decoding: data, as: UTF8.self))
        }
    }

    func testURLsArePercentEncodedByteByByteAsCmarkDoes() {
        XCTAssertEqual(XML.encodeURL("https://example.org/a b]é?x=1&y=%20#top"), "https://example.org/a%20b%5D%C3%A9?x=1&y=%20#top")
        XCTAssertEqual(XML.encodeURL("https://example.org/plain"), "https://example.org/plain")
    }

    func testBundledBookPassesEpubcheckWithNoWarnings() throws {
        let output = try EndToEndSupport.temporaryFolder("epub-bundled")
        defer { try? FileManager.default.removeItem(at: output) }
        let (files, diagnostics) = try BookFixture.render(EpubRenderer(), options: BookFixture.bundledOptions(output: output))
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        XCTAssertEqual(files.map(\.path), ["ebook/aws-certified-developer-associate-study-notes.epub"])
        try epubcheck(files[0].contents)
    }

    func testBookOfRawHTMLBrokenLinksAndOddNamesIsStillValid() throws {
        let options = try BookFixture.make(BookFixture.unusual, name: "epub-odd")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (files, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertTrue(diagnostics.contains { $0.message.contains("no such note") }, "the fixture has broken links")
        XCTAssertEqual(files.count, 1)
        XCTAssertTrue(files[0].path.hasPrefix("ebook/") && files[0].path.hasSuffix(".epub"))
        try epubcheck(files[0].contents)

        let book = try entries(files[0].contents)
        let widget = try XCTUnwrap(book.first { $0.path == "OEBPS/service-widget--note-overview.xhtml" }?.text)
        XCTAssertFalse(widget.contains("<script"))
        XCTAssertFalse(widget.contains("<kbd>"))
        XCTAssertTrue(widget.contains("Bold raw &amp; HTML block © ☺ &amp;bogus;"), "raw HTML keeps its text")
        XCTAssertTrue(widget.contains("epub:type=\"noteref\""))
        XCTAssertTrue(widget.contains("epub:type=\"footnote\""))
        XCTAssertTrue(widget.contains("<del>gone</del>"))
        XCTAssertTrue(widget.contains("☑"))
        XCTAssertTrue(widget.contains("An image &amp;"), "an image becomes its alt text")
        XCTAssertTrue(widget.contains("A raw picture: Raw &amp; &lt;picture&gt;."), "so does a picture in raw HTML")
        XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix("raw HTML <img> 'pictures/pic one.png' is broken in every output") }, "\(diagnostics)")
        XCTAssertTrue(diagnostics.contains { $0.message.hasPrefix("raw HTML <video> 'clip.mp4' is broken in every output") }, "\(diagnostics)")
        XCTAssertFalse(widget.contains("pic one"))
        XCTAssertTrue(widget.contains("id=\"note-overview-fn-2\""))
        XCTAssertTrue(widget.contains("id=\"note-overview-fnref-2-2\""), "a footnote referenced twice gets two ids")
        XCTAssertTrue(widget.contains("the missing note"), "a broken link becomes its text")
        XCTAssertFalse(widget.contains("missing.md"))
        XCTAssertFalse(widget.contains("/abs/path"))
        XCTAssertFalse(widget.contains("javascript:"))
        XCTAssertTrue(widget.contains("href=\"http://example.com/a%20b?x=1&amp;y=2\""))
        XCTAssertTrue(widget.contains("href=\"service-gadget.xhtml\""), "cross-links point at chapters")
        XCTAssertFalse(widget.contains("\u{7}"))
        let answers = try XCTUnwrap(book.first { $0.path == "OEBPS/answers.xhtml" }?.text)
        XCTAssertTrue(answers.contains("<mark class=\"cloze\">"))
        let review = try XCTUnwrap(book.first { $0.path == "OEBPS/service-widget--review.xhtml" }?.text)
        XCTAssertTrue(answers.contains("href=\"service-widget--review.xhtml#q-1\""), "answers link back to their questions")
        XCTAssertTrue(review.contains("href=\"answers.xhtml#a-1\""), "questions link to their answers")
    }

    func testTopicsListWithAnchorsInLinkTextPassesEpubcheck() throws {
        let options = try BookFixture.make([
            "syllabus.yml": "title: Topics\noutputs: [epub]\n",
            "Content/services.yml": Fixture.twoServices,
            "Content/lambda/metrics.md": PublishedGuideTests.topicsList,
            "Content/lambda/other.md": "# Other\n\nBack to [<a name=\"back\"></a>metrics](metrics.md#metrics-only-here).\n",
        ], name: "epub-topics")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (files, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        try epubcheck(files[0].contents)
        for (path, _, text) in try entries(files[0].contents) where path.hasSuffix(".xhtml") {
            XCTAssertEqual(PublishedGuideTests.nestedLinks(in: text), 0, "\(path): \(text)")
        }
    }

    /// A set without cards (a published guide): no empty answers appendix in the spine, the
    /// contents or the landmarks, no "0 review questions" on the title page, and no contents
    /// entry for the landing text's "Contents" heading, which the chapter leaves out (found by
    /// a fresh-user trial); EPUBCheck stays clean.
    func testBookWithoutCardsLeavesOutWhatWouldBeEmpty() throws {
        let options = try BookFixture.make([
            "syllabus.yml": "title: Guide\noutputs: [epub]\n",
            "Content/services.yml": Fixture.twoServices,
            "Content/lambda/index.md": "# Lambda guide\n\n## Contents\n\n- [Basics](basics.md)\n\n## About this guide\n\nKept.\n",
            "Content/lambda/basics.md": "# Basics\n\n## Limits\n\nText.\n",
        ], name: "epub-no-cards")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (files, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        try epubcheck(files[0].contents)
        let book = try entries(files[0].contents)
        XCTAssertFalse(book.contains { $0.path == "OEBPS/\(EpubLayout.answersFile)" }, "no answers appendix")
        let text = { (path: String) in book.first { $0.path == "OEBPS/" + path }?.text ?? "" }
        XCTAssertFalse(text("package.opf").contains(EpubLayout.answersFile))
        XCTAssertFalse(text("nav.xhtml").contains(EpubLayout.answersFile), text("nav.xhtml"))
        XCTAssertFalse(text("toc.ncx").contains(EpubLayout.answersFile))
        XCTAssertFalse(text("nav.xhtml").contains("contents\">Contents</a>"), "no entry for the dropped heading: \(text("nav.xhtml"))")
        XCTAssertTrue(text("nav.xhtml").contains(">About this guide</a>"), "a kept heading stays in the contents")
        XCTAssertTrue(text("title.xhtml").contains("<p class=\"book-stats\">1 service · 1 note</p>"), text("title.xhtml"))
    }

    /// A landing text's edit that brings its "Contents" heading back (text under it) brings
    /// back its entry in the contents on the next build, though the set facts are the same.
    func testContentsFollowALandingTextsEditOnARebuild() async throws {
        let fixture = try Fixture(["lambda/index.md": "# Lambda guide\n\n## Contents\n\n- [Basics](basics.md)\n",
                                   "lambda/basics.md": "# Basics\n\nText.\n"], config: "title: Guide\ndeck: Guide\noutputs: [epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        func nav() async throws -> String {
            _ = try await fixture.build()
            let folder = fixture.root.appendingPathComponent("Output/ebook")
            let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".epub") })
            return try entries(Data(contentsOf: folder.appendingPathComponent(name))).first { $0.path == "OEBPS/nav.xhtml" }?.text ?? ""
        }
        let before = try await nav()
        XCTAssertFalse(before.contains("contents\">Contents</a>"), before)
        try fixture.write("Content/lambda/index.md", "# Lambda guide\n\n## Contents\n\nRead these first.\n\n- [Basics](basics.md)\n")
        let after = try await nav()
        XCTAssertTrue(after.contains("contents\">Contents</a>"), after)
    }

    func testMimetypeComesFirstAndStoredAndPackageIsComplete() throws {
        let options = try BookFixture.make(BookFixture.unusual, name: "epub-layout")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let book = try entries(try BookFixture.render(EpubRenderer(), options: options).files[0].contents)
        XCTAssertEqual(book.first?.path, "mimetype")
        XCTAssertEqual(book.first?.text, "application/epub+zip")
        XCTAssertEqual(book.first?.entry.isCompressed, false)
        let paths = book.map(\.path)
        for required in ["META-INF/container.xml", "OEBPS/package.opf", "OEBPS/nav.xhtml", "OEBPS/toc.ncx", "OEBPS/style.css",
                         "OEBPS/answers.xhtml", "OEBPS/index.xhtml", "OEBPS/service-widget.xhtml", "OEBPS/service-general.xhtml"] {
            XCTAssertTrue(paths.contains(required), "missing \(required)")
        }
        let opf = try XCTUnwrap(book.first { $0.path == "OEBPS/package.opf" }?.text)
        XCTAssertTrue(opf.contains("<dc:language>de</dc:language>"))
        XCTAssertTrue(opf.contains("<dc:creator>A. &lt;Author&gt; &amp; Co</dc:creator>"))
        XCTAssertTrue(opf.contains("<dc:identifier id=\"book-id\">urn:uuid:"))
        let nav = try XCTUnwrap(book.first { $0.path == "OEBPS/nav.xhtml" }?.text)
        XCTAssertTrue(nav.contains("epub:type=\"landmarks\""))
        XCTAssertTrue(nav.contains("Key numbers"), "the contents list note headings")
        let css = try XCTUnwrap(book.first { $0.path == "OEBPS/style.css" }?.text)
        XCTAssertFalse(css.contains("px;") && css.contains("width:"), "no fixed widths for e-readers")
    }

    func testTwoBuildsGiveByteIdenticalBooks() async throws {
        let first = try EndToEndSupport.temporaryFolder("epub-det1")
        let second = try EndToEndSupport.temporaryFolder("epub-det2")
        defer { try? FileManager.default.removeItem(at: first); try? FileManager.default.removeItem(at: second) }
        _ = try await Pipeline(options: BookFixture.bundledOptions(output: first)).build()
        _ = try await Pipeline(options: BookFixture.bundledOptions(output: second)).build()
        let name = "ebook/aws-certified-developer-associate-study-notes.epub"
        let a = try Data(contentsOf: first.appendingPathComponent(name))
        let b = try Data(contentsOf: second.appendingPathComponent(name))
        XCTAssertGreaterThan(a.count, 10_000)
        XCTAssertEqual(a, b)
    }

    func testIdentifierFollowsTitleAndAuthorAndDateFollowsContent() throws {
        var config = ProjectConfig()
        config.title = "Book"
        let layout = EpubLayout.empty
        let one = EpubPackage(config: config, layout: layout, notes: { _, _ in [] }, contentHash: "00000000000000000000000000000001")
        let two = EpubPackage(config: config, layout: layout, notes: { _, _ in [] }, contentHash: "00000000000000000000000000000002")
        XCTAssertEqual(one.identifier, two.identifier)
        XCTAssertNotEqual(one.modifiedText, two.modifiedText)
        XCTAssertTrue(one.identifier.range(of: "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", options: .regularExpression) != nil, one.identifier)
        XCTAssertTrue(one.modifiedText.range(of: "^20[0-2][0-9]-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:00Z$", options: .regularExpression) != nil)
        var other = config
        other.author = "Someone else"
        XCTAssertNotEqual(EpubPackage(config: other, layout: layout, notes: { _, _ in [] }, contentHash: "1").identifier, one.identifier)
    }

    /// The book shows a cards file's cards as questions and answers, never its body; should it
    /// write one, the XHTML writer knows the inline cards by their marks and keeps their arrow.
    func testXHTMLWriterKnowsInlineCardsByTheirMarks() throws {
        let fixture = try Fixture(["lambda/lambda.cards.md": "# Lambda cards\n\nWhat turns? :: The **wheel**\n"])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), [])
        let page = try XCTUnwrap(set.pages.first { $0.isCardsFile })
        var writer = XHTMLWriter()
        let xhtml = writer.blocks([set.content(of: page).tree.document])
        XCTAssertTrue(xhtml.contains("<span class=\"card-front\">What turns?</span> <span class=\"card-separator\">→</span> "
                                     + "<span class=\"card-back\">The <strong>wheel</strong></span>"), xhtml)
    }

    /// The title's letters and digits of any script name the book, as written and composed;
    /// the rest are `-`, one for a run.
    func testTitleSlugNamesTheBook() {
        XCTAssertEqual(EpubRenderer.fileName("AWS Certified Developer – Associate Study Notes"), "aws-certified-developer-associate-study-notes")
        XCTAssertEqual(EpubRenderer.fileName("☃ ☃"), "book")
        XCTAssertEqual(EpubRenderer.fileName("Größe 2"), "größe-2")
        XCTAssertEqual(EpubRenderer.fileName("C++ & Go: notes (2nd ed.)"), "c-go-notes-2nd-ed")
        XCTAssertEqual(EpubRenderer.fileName("AWS 認定デベロッパー – アソシエイト"), "aws-認定デベロッパー-アソシエイト")
        XCTAssertEqual(EpubRenderer.fileName("Лямбда и S3"), "лямбда-и-s3")
        // Decomposed `ü` (u and a combining diaeresis) gives the same bytes as the composed one.
        XCTAssertEqual(Array(EpubRenderer.fileName("Pru\u{308}fung für AWS").utf8), Array("pr\u{FC}fung-f\u{FC}r-aws".utf8))
        // 28 words of 3 + 3 bytes and their `-`s, then the letter that still fits: a name of a
        // file system takes 255 bytes.
        XCTAssertEqual(EpubRenderer.fileName(String(repeating: "認定 ", count: 60)).utf8.count, 199)
        XCTAssertEqual(EpubRenderer.href(of: "Prüfung für AWS 認定"), "ebook/pr%C3%BCfung-f%C3%BCr-aws-%E8%AA%8D%E5%AE%9A.epub")
    }

    func testWellFormednessCheckCatchesClozeAcrossMarkup() {
        XCTAssertTrue(XML.isWellFormed("a <strong>b</strong> <br/> c"))
        XCTAssertFalse(XML.isWellFormed("<span class=\"cloze\">[…]</span>b</strong>"))
        XCTAssertEqual(XML.escape("a\u{7}<&>\"'"), "a&lt;&amp;&gt;&quot;&#39;")
        XCTAssertEqual(RawHTML.visibleText("<p>Hi&nbsp;<b>there</b><!-- no --></p>"), "Hi there")
    }
}

/// A service's chapter is split into files: its opening, one per note, its review questions.
extension EpubTests {
    func testEachNoteIsItsOwnFileAndLinksAcrossNotesReachTheirFile() throws {
        let options = try BookFixture.make([
            "syllabus.yml": "title: Split\noutputs: [epub]\n",
            "Content/services.yml": Fixture.twoServices,
            "Content/lambda/alpha.md": "# Alpha\n\nSee [Beta's detail](beta.md#detail).\n",
            "Content/lambda/lambda.cards.md": "# Lambda cards\n\n## What is alpha?\n\nThe first [note](alpha.md).\n",
            "Content/lambda/beta.md": "# Beta\n\n## Detail\n\nBack to [Alpha](alpha.md).\n",
            "Content/s3/gamma.md": "# Gamma\n\nAbout [the detail](../lambda/beta.md#detail) of Lambda.\n",
        ], name: "epub-split")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (output, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        let book = try entries(output[0].contents)
        let text = Dictionary(book.map { ($0.path.replacingOccurrences(of: "OEBPS/", with: ""), $0.text) }, uniquingKeysWith: { a, _ in a })
        let spine = try XCTUnwrap(text["package.opf"])
        let order = ["service-lambda.xhtml", "service-lambda--note-alpha.xhtml", "service-lambda--note-beta.xhtml", "service-lambda--review.xhtml",
                     "service-s3.xhtml", "service-s3--note-gamma.xhtml"]
        let positions = try order.map { file in try XCTUnwrap(spine.range(of: "href=\"\(file)\""), file).lowerBound }
        XCTAssertEqual(positions, positions.sorted(), "the chapter's files in reading order: \(spine)")
        XCTAssertNil(text["service-s3--review.xhtml"], "no closing file without review questions")
        XCTAssertFalse(try XCTUnwrap(text["service-lambda.xhtml"]).contains("Alpha"), "notes leave the opening file")
        XCTAssertTrue(try XCTUnwrap(text["service-lambda--note-alpha.xhtml"]).contains("href=\"service-lambda--note-beta.xhtml#note-beta--detail\""))
        XCTAssertTrue(try XCTUnwrap(text["service-s3--note-gamma.xhtml"]).contains("href=\"service-lambda--note-beta.xhtml#note-beta--detail\""))
        XCTAssertTrue(try XCTUnwrap(text["service-lambda--review.xhtml"]).contains("<li id=\"q-1\""))
        XCTAssertTrue(try XCTUnwrap(text["answers.xhtml"]).contains("href=\"service-lambda--review.xhtml#q-1\""))
        // Every link inside the book, the contents' included, reaches a file that holds its id.
        for (file, xhtml) in text where file.hasSuffix(".xhtml") || file.hasSuffix(".ncx") {
            let link = try Regex(##"(?:href|src)="([^"#:]+\.xhtml)(?:#([^"]+))?""##, as: (Substring, Substring, Substring?).self)
            for match in xhtml.matches(of: link) {
                let target = try XCTUnwrap(text[String(match.1)], "\(file) links to a missing \(match.1)")
                if let id = match.2 { XCTAssertTrue(target.contains("id=\"\(id)\""), "\(file) -> \(match.1)#\(id)") }
            }
        }
        try epubcheck(output[0].contents)
    }
}
