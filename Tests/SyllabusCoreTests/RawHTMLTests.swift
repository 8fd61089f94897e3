import Foundation
import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// Raw HTML as published guides write it inside GFM table cells, where Markdown has no line
/// break or list of its own: every output keeps the words apart and shows what it can.
final class RawHTMLTests: XCTestCase {
    static let cards = """
        ## Which memory sizes does a Lambda function take?

        | Setting | Value |
        | --- | --- |
        | Memory | 128 MB<br>to 10,240 MB |
        | Runtime | <code>nodejs20.x</code> or <b>python3.12</b><br/> |
        | Tiers | <ul><li>first</li><li>second</li></ul> |
        | Flow | see <img src="https://example.org/flow.png" alt="Flow chart"> here |

        """

    private func build(unsafeHTML: Bool) async throws -> (Fixture, BuildReport) {
        let fixture = try Fixture(["lambda/lambda.cards.md": Self.cards],
                                  config: "title: Test\ndeck: Test\nunsafe_html: \(unsafeHTML)\noutputs: [site, anki, epub, cheatsheets]\n")
        return (fixture, try await fixture.build())
    }

    /// The EPUB's chapter files, as one text.
    private func bookText(_ fixture: Fixture) throws -> String {
        let folder = fixture.root.appendingPathComponent("Output/ebook")
        let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".epub") })
        let archive = try Archive(url: folder.appendingPathComponent(name), accessMode: .read)
        return try archive.filter { $0.path.hasSuffix(".xhtml") }.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }.joined()
    }

    func testBreaksCodeAndListsInTableCellsReachEveryOutput() async throws {
        let (fixture, report) = try await build(unsafeHTML: false)
        let site = try fixture.read("Output/site/lambda/lambda-cards.html")
        let anki = try fixture.read("Output/anki/lambda.tsv")
        let sheet = try fixture.read("Output/cheatsheets/lambda.html")
        for (name, html) in [("site", site), ("Anki", anki), ("cheat sheet", sheet)] {
            XCTAssertTrue(html.contains("<td>128 MB<br />to 10,240 MB</td>"), "\(name): \(html)")
            XCTAssertTrue(html.contains("<td><code>nodejs20.x</code> or <strong>python3.12</strong></td>"), "\(name): no break at the cell's end")
            XCTAssertTrue(html.contains("<td>first<br />second</td>"), "\(name): a dropped list keeps its items apart")
            XCTAssertTrue(html.contains("<td>see Flow chart here</td>"), "\(name): a dropped picture leaves its alt text")
        }
        let book = try bookText(fixture)
        XCTAssertTrue(book.contains("<td>128 MB<br/>\nto 10,240 MB</td>"), book)
        XCTAssertTrue(book.contains("<td><code>nodejs20.x</code> or <strong>python3.12</strong></td>"), book)
        XCTAssertTrue(book.contains("<td>first<br/>\nsecond</td>"), book)

        let (set, _) = fixture.analyze()
        let text = try XCTUnwrap(set.pages.first).linkFacts.searchText.text
        XCTAssertTrue(text.contains("128 MB to 10,240 MB"), text)
        XCTAssertTrue(text.contains("first second"), text)

        // Only the picture is content the reader would lose: one warning, at its `<img`.
        let warnings = report.diagnostics.map(\.description)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings[0].hasSuffix("lambda/lambda.cards.md:8:14: warning: raw HTML <img> 'https://example.org/flow.png' is left out (raw HTML is dropped unless unsafe_html: true); its alt text is kept; write it as ![Flow chart](https://example.org/flow.png)"), warnings[0])
    }

    /// A `<script>` or `<style>` element inside a paragraph, heading or card front goes with
    /// its content (code, not text) from every output, with a warning at its opening tag.
    func testScriptAndStyleElementsGoWithTheirContentEverywhere() async throws {
        let fixture = try Fixture(["lambda/overview.md": """
            # Scripts <script>alert('h1')</script>

            Before <style>body{display:none}</style> after.

            Loaded <script src="x.js"></script> here.

            """, "lambda/lambda.cards.md": """
            ## What does <script>alert('card')</script> do?

            Nothing at *all* <script>let x = 1 *and* y</script>.

            <style>
            .gone { color: red }
            </style>

            """], config: "title: Test\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        let report = try await fixture.build()
        // The one opening a line is an HTML block of its own, dropped whole, as cmark-gfm reads it.
        XCTAssertEqual(located(report.diagnostics).sorted(), [
            "1:11 raw HTML <script> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "1:14 raw HTML <script> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "3:18 raw HTML <script> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "3:8 raw HTML <style> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "5:1 raw HTML <style> is left out with its content and its HTML block (raw HTML is dropped unless unsafe_html: true)",
            "5:8 raw HTML <script> 'x.js' is left out with its content (raw HTML is dropped unless unsafe_html: true)",
        ])
        let outputs = [
            "site": try fixture.read("Output/site/lambda/overview.html") + fixture.read("Output/site/lambda/lambda-cards.html")
                + fixture.read("Output/site/practice/index.html"),
            "Anki": try fixture.read("Output/anki/all.tsv"),
            "cheat sheet": try fixture.read("Output/cheatsheets/lambda.html"),
            "EPUB": try bookText(fixture),
        ]
        for (name, text) in outputs {
            for code in ["alert(", "display:none", "let x", "color: red", "x.js"] { XCTAssertFalse(text.contains(code), "\(name) shows '\(code)': \(text)") }
        }
        XCTAssertTrue(outputs["site"]!.contains("<p>Before  after.</p>"), outputs["site"]!)
        XCTAssertTrue(outputs["Anki"]!.contains("What does  do?"), outputs["Anki"]!)
        let (set, _) = fixture.analyze()
        for page in set.pages {
            let text = page.linkFacts.searchText.text
            XCTAssertFalse(text.contains("alert") || text.contains("display"), text)
        }
    }

    /// What a script or style element holds goes with it, whatever it is: an anchor inside it
    /// names nothing (a link to it goes to the note), and emphasis holding tags inside it,
    /// closed or not, is no trouble (each of these crashed the build once: the removed nodes
    /// were freed while the anchors and the emphasis were still read).
    func testAnchorsAndEmphasisInsideScriptsAndStylesGoWithThem() async throws {
        let fixture = try Fixture(["lambda/anchors.md": """
            # Anchors

            Before <script> <a id="in-script"></a> </script> after.

            Open <style> <a id="in-style"></a> to the end.

            Before <script> *a <b>x</b> b* </script> after, <style>*c <i>y</i> d*</style> too.

            Open <script> *e <code>z</code> f* <a id="unclosed"></a>

            [One](#in-script), [two](#in-style), [three](#unclosed).

            """], config: "title: Test\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        let report = try await fixture.build()
        XCTAssertEqual(located(report.diagnostics).sorted(), [
            "11:1 link to '#in-script': lambda/anchors.md has no heading or anchor with id 'in-script'; it goes to the note",
            "11:20 link to '#in-style': lambda/anchors.md has no heading or anchor with id 'in-style'; it goes to the note",
            "11:38 link to '#unclosed': lambda/anchors.md has no heading or anchor with id 'unclosed'; it goes to the note",
            "3:8 raw HTML <script> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "5:6 raw HTML <style> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "7:49 raw HTML <style> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "7:8 raw HTML <script> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
            "9:6 raw HTML <script> is left out with its content (raw HTML is dropped unless unsafe_html: true)",
        ])
        let page = try fixture.read("Output/site/lambda/anchors.html")
        for gone in ["in-script\"", "in-style\"", "unclosed\"", ">x<", ">y<", ">z<", "to the end"] {
            XCTAssertFalse(page.contains("id=\"\(gone)") || page.contains(gone), "\(gone): \(page)")
        }
        XCTAssertTrue(page.contains("<p>Before  after.</p>"), page)
        XCTAssertTrue(page.contains("<p>Before  after,  too.</p>"), page)
    }

    /// An anchor inside an image's alt text names nothing: the alt is text, and an image
    /// replaced by its text (a missing picture, a dangerous URL) takes it along.
    func testAnchorsInsideImagesNameNothing() async throws {
        let fixture = try Fixture(["lambda/images.md": """
            # Images

            See ![a <a id="bad"></a> b](javascript:alert(1)) and ![c <a id="gone"></a> d](missing.png).

            [One](#bad), [two](#gone).

            """], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        let report = try await fixture.build()
        let links = report.diagnostics.map(\.message).filter { $0.hasPrefix("link to") }
        XCTAssertEqual(links, ["link to '#bad': lambda/images.md has no heading or anchor with id 'bad'; it goes to the note",
                               "link to '#gone': lambda/images.md has no heading or anchor with id 'gone'; it goes to the note"])
        let page = try fixture.read("Output/site/lambda/images.html")
        XCTAssertFalse(page.contains("id=\"bad\"") || page.contains("id=\"gone\""), page)
    }

    /// A sample in a cell as the DynamoDB guide writes it (`<pre>`, lines split by `<br />`,
    /// indented with spaces, padded at both ends) is code in every output, line by line,
    /// its indentation kept as no-break spaces.
    func testPreformattedSampleInATableCellIsCodeWithItsLinesAndIndentation() async throws {
        let fixture = try Fixture(["lambda/lambda.cards.md": """
            ## What does an item look like?

            | Item | Note |
            | --- | --- |
            | <pre><br />{<br />    Artist: No One,<br />      Year:  1984<br />}     <br />    </pre> | one item |

            """], config: "title: Test\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        let report = try await fixture.build()
        XCTAssertTrue(report.diagnostics.isEmpty, "\(report.diagnostics)")
        let nbsp = "\u{A0}"
        let lines = ["{", String(repeating: nbsp, count: 4) + "Artist: No One,",
                     String(repeating: nbsp, count: 6) + "Year: \(nbsp)1984", "}"].map { "<code>\($0)</code>" }
        for (name, path) in [("site", "Output/site/lambda/lambda-cards.html"), ("Anki", "Output/anki/lambda.tsv"),
                             ("cheat sheet", "Output/cheatsheets/lambda.html")] {
            let html = try fixture.read(path)
            XCTAssertTrue(html.contains("<td>" + lines.joined(separator: "<br />") + "</td>"), "\(name): \(html)")
        }
        let book = try bookText(fixture)
        XCTAssertTrue(book.contains("<td>" + lines.joined(separator: "<br/>\n") + "</td>"), book)
        let (set, _) = fixture.analyze()
        let text = try XCTUnwrap(set.pages.first).linkFacts.searchText.text
        XCTAssertTrue(text.contains("Artist: No One"), text)
    }

    /// With `unsafe_html` the site shows the HTML as written; the book and search, which
    /// leave raw HTML out, still keep the words apart, and the book keeps a picture's alt
    /// text, with a warning (a fresh-user trial found the picture gone from the book unsaid).
    func testUnsafeHTMLKeepsTheMarkupOnTheSiteAndTheWordsApartElsewhere() async throws {
        let (fixture, report) = try await build(unsafeHTML: true)
        XCTAssertEqual(report.diagnostics.map(\.description),
                       [SourceLocation.displayPath(fixture.root.appendingPathComponent("Content/lambda/lambda.cards.md").path)
                        + ":8:14: warning: raw HTML <img> 'https://example.org/flow.png' is left out of the EPUB, which leaves raw HTML out; "
                        + "its alt text is kept there; write it as ![Flow chart](https://example.org/flow.png) to have it in the book too"])
        let site = try fixture.read("Output/site/lambda/lambda-cards.html")
        XCTAssertTrue(site.contains("<td>128 MB<br />to 10,240 MB</td>"), site)
        XCTAssertTrue(site.contains("<td><ul><li>first</li><li>second</li></ul></td>"), site)
        XCTAssertTrue(site.contains("<img src=\"https://example.org/flow.png\" alt=\"Flow chart\">"), site)
        let book = try bookText(fixture)
        XCTAssertTrue(book.contains("<td>128 MB<br/>\nto 10,240 MB</td>"), book)
        XCTAssertFalse(book.contains("firstsecond"), book)
        XCTAssertTrue(book.contains("<td>see Flow chart here</td>"), book)
        let (set, _) = fixture.analyze()
        let text = try XCTUnwrap(set.pages.first).linkFacts.searchText.text
        XCTAssertTrue(text.contains("128 MB to 10,240 MB"), text)
        XCTAssertTrue(text.contains("first second"), text)
    }

    /// A note with pictures in HTML blocks, one after a '<' that starts no tag, and tags that
    /// are no pictures: in a comment, in code.
    static let picturesInBlocks = """
        # Pictures

        <div align="center">
          <p>Shown:</p> <img src="img/flow.png"
            alt="A &lt;flow&gt; &amp; more" width="200">
        </div>

        <!-- <img src="not-shown.png"> -->

        <p>When a < b, it's <img src='less.png' alt='Less'></p>

            <img src="code.png">

        Inline `<img src="span.png">` code.

        > <div>
        >   <img src="quoted.png">
        > </div>

        - <div>
            <img src="listed.png">
          </div>

        """

    /// A picture in an HTML block (a published guide's centred `<p><img …></p>`) is warned
    /// about at its own line and column, a tag over two lines and an alt text with markup
    /// included; one in a comment or in code is no picture. These name files beside the notes,
    /// which only Markdown publishes: broken in every output, with or without the EPUB (a
    /// site-only build said nothing). A picture from the web is warned about only when the
    /// build makes the EPUB, which leaves it out.
    func testPicturesInRawHTMLBlocksAreWarnedAboutWhereTheyStandWhenAnOutputLeavesThemOut() async throws {
        let note = Self.picturesInBlocks + "<p><img src=\"https://example.org/chart.png\" alt=\"Chart\"></p>\n"
        let local = "is broken in every output: only the files that Markdown pictures and links name are published; write it as"
        for outputs in ["[site, epub]", "[site]"] {
            let fixture = try Fixture(["lambda/pictures.md": note], config: "title: T\ndeck: T\nunsafe_html: true\noutputs: \(outputs)\n")
            defer { try? FileManager.default.removeItem(at: fixture.root) }
            let report = try await fixture.build()
            let web = outputs.contains("epub") ? ["23:4 raw HTML <img> 'https://example.org/chart.png' is left out of the EPUB, which leaves raw HTML out; "
                                                  + "its alt text is kept there; write it as ![Chart](https://example.org/chart.png) to have it in the book too"] : []
            XCTAssertEqual(located(report.diagnostics),
                           ["4:17 raw HTML <img> 'img/flow.png' \(local) ![A <flow> & more](img/flow.png)",
                            "10:21 raw HTML <img> 'less.png' \(local) ![Less](less.png)",
                            "17:5 raw HTML <img> 'quoted.png' \(local) ![](quoted.png)",
                            "21:5 raw HTML <img> 'listed.png' \(local) ![](listed.png)"] + web, outputs)
            guard outputs.contains("epub") else { continue }
            let book = try bookText(fixture)
            XCTAssertTrue(book.contains("<p class=\"raw-html\">Shown: A &lt;flow&gt; &amp; more</p>"), book)
            XCTAssertTrue(book.contains("<p class=\"raw-html\">When a &lt; b, it&#39;s Less</p>"), book)
        }
    }

    /// Without `unsafe_html` an HTML block is dropped whole: a picture in it is warned about at
    /// its own line and column, as one in inline HTML is (the block went unsaid before), and
    /// its text at the block's start.
    func testPicturesInDroppedHTMLBlocksAreWarnedAbout() async throws {
        let fixture = try Fixture(["lambda/pictures.md": Self.picturesInBlocks], config: "title: T\ndeck: T\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await fixture.build()
        XCTAssertEqual(located(report.diagnostics),
                       ["3:1 raw HTML block is left out with its text 'Shown:' (raw HTML is dropped unless unsafe_html: true); write the text in Markdown to keep it",
                        "4:17 raw HTML <img> 'img/flow.png' is left out with its HTML block (raw HTML is dropped unless unsafe_html: true); "
                        + "write it as ![A <flow> & more](img/flow.png)",
                        "10:1 raw HTML block is left out with its text 'When a < b, it's' (raw HTML is dropped unless unsafe_html: true); write the text in Markdown to keep it",
                        "10:21 raw HTML <img> 'less.png' is left out with its HTML block (raw HTML is dropped unless unsafe_html: true); "
                        + "write it as ![Less](less.png)",
                        // In a block quote and a list item, past the prefix cmark-gfm leaves out of the block.
                        "17:5 raw HTML <img> 'quoted.png' is left out with its HTML block (raw HTML is dropped unless unsafe_html: true); write it as ![](quoted.png)",
                        "21:5 raw HTML <img> 'listed.png' is left out with its HTML block (raw HTML is dropped unless unsafe_html: true); write it as ![](listed.png)"])
    }

    /// An HTML block that opens a line is dropped whole without `unsafe_html`: one that shows
    /// text is warned about at its start, quoting the text (its first 60 characters); one of
    /// tags, comments and script or style elements only (closed in any case) is dropped
    /// unsaid, and with
    /// `unsafe_html` nothing is dropped.
    func testDroppedHTMLBlockWithTextIsWarnedAboutQuotingIt() async throws {
        let note = """
            # Blocks

            <div class="note">
              <b>Note:</b> the function's
              timeout is <em>900 seconds</em> at most.
            </div>

            <div align="center"><!-- a comment --></div>

            <STYLE>.x { color: red }</Style> Shown after.

            <p>Lambda runs your code on high-availability compute infrastructure and performs all of the administration.</p>

            Text after.

            """
        let fixture = try Fixture(["lambda/blocks.md": note])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await fixture.build()
        XCTAssertEqual(located(report.diagnostics), [
            "3:1 raw HTML block is left out with its text 'Note: the function's timeout is 900 seconds at most.' (raw HTML is dropped unless unsafe_html: true); write the text in Markdown to keep it",
            "10:1 raw HTML <style> is left out with its content and its HTML block (raw HTML is dropped unless unsafe_html: true)",
            "10:1 raw HTML block is left out with its text 'Shown after.' (raw HTML is dropped unless unsafe_html: true); write the text in Markdown to keep it",
            "12:1 raw HTML block is left out with its text 'Lambda runs your code on high-availability compute infrastru…' (raw HTML is dropped unless unsafe_html: true); write the text in Markdown to keep it",
        ])
        let page = try fixture.read("Output/site/lambda/blocks.html")
        XCTAssertFalse(page.contains("900 seconds"), page)
        XCTAssertTrue(page.contains("Text after."), page)

        // With unsafe_html the site keeps the blocks; the book keeps their text, never the
        // style rules, whatever case closes the element.
        let unsafe = try Fixture(["lambda/blocks.md": note], config: "title: Test\ndeck: Test\nunsafe_html: true\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: unsafe.root) }
        let kept = try await unsafe.build()
        XCTAssertEqual(kept.diagnostics.map(\.message), [])
        XCTAssertTrue(try unsafe.read("Output/site/lambda/blocks.html").contains("<em>900 seconds</em>"))
        let book = try bookText(unsafe)
        XCTAssertTrue(book.contains("Shown after."), book)
        XCTAssertFalse(book.contains("color: red"), book)
    }

    /// The Markdown a warning suggests for an `<img>` reads back as that picture, whatever its
    /// source and alt text hold (a space, brackets, parentheses).
    func testSuggestedMarkdownImageReadsBackAsThePicture() async throws {
        for (alt, source) in [("Flow", "img/flow.png"), ("a [b] c\\", "my flow.png"), ("x", "a(1).png"), ("", "a<b>.png")] {
            let markdown = InlineHTML.markdownImage(alt: alt, source: source)
            let tree = MarkdownParser.parse(markdown + "\n")
            let image = try XCTUnwrap(tree.document.firstChild?.firstChild, markdown)
            XCTAssertEqual(image.kind, .image, markdown)
            XCTAssertEqual(image.url, source, markdown)
            XCTAssertEqual(image.plainText, alt, markdown)
        }
        let fixture = try Fixture(["lambda/pictures.md": "# P\n\n<div>\n<img src=\"my flow.png\" alt=\"[1]\">\n</div>\n"],
                                  config: "title: T\ndeck: T\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics.map(\.message),
                       ["raw HTML <img> 'my flow.png' is left out with its HTML block (raw HTML is dropped unless unsafe_html: true); write it as ![\\[1\\]](<my flow.png>)"])
    }

    /// Tags are matched as a browser nests them; code that holds markup stays as it was
    /// (its tags dropped, its text kept), a break inside bold is an ordinary break, and a
    /// `<br>` with nothing shown before or after it in its paragraph is no break at all.
    func testNestedElementsBecomeTheirMarkdownNodes() {
        let tree = MarkdownParser.parse("<b>bold <i>both</i><br>more</b> and <code>a <b>b</b></code> and <code>x &lt; y</code>\n\n<span><br>lead</span> text<br><i></i>\n")
        InlineHTML.apply(to: tree, allowRawHTML: false, file: MarkdownTests.note, diagnostics: DiagnosticLog())
        Sanitizer.apply(to: tree, allowRawHTML: false, keepsHTML: { _ in false }, source: MarkdownTests.note, diagnostics: DiagnosticLog())
        XCTAssertEqual(tree.document.html(), "<p><strong>bold <em>both</em><br />\nmore</strong> and a <strong>b</strong> and <code>x &lt; y</code></p>\n<p>lead text</p>\n")
    }

    /// Each diagnostic as `line:column message`, for comparing with what a note's lines hold.
    private func located(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }
}
