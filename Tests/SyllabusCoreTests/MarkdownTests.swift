import CMarkGFM
import CMarkTreeMemory
import XCTest
@testable import SyllabusCore

final class MarkdownTests: XCTestCase {
    static let note = SourceFile(relativePath: "a/note.md", displayPath: "Content/a/note.md")

    /// A `javascript:`, `vbscript:` or non-image `data:` URL is no link at all (cmark's safe
    /// mode would leave a live `<a href="">`): its text stays, a warning names where it was.
    func testScriptURLLinkBecomesItsTextWithAWarningAtItsPosition() async throws {
        let fixture = try Fixture(["lambda/overview.md": """
            ---
            title: Overview
            ---
            Run [js code](javascript:alert(1)) or [vb](VBScript:x) and ![pic](data:text/html,x).

            Fine [link](https://example.com).
            """])
        let report = try await fixture.build()
        let html = try fixture.read("Output/site/lambda/overview.html")
        XCTAssertTrue(html.contains("Run js code or vb and pic."), html)
        XCTAssertFalse(html.contains("href=\"\""), "no empty live link")
        XCTAssertTrue(html.contains("<a href=\"https://example.com\">link</a>"))
        // A note without cards makes no deck (nor, with no history, an Anki folder): whatever
        // the Anki folder would hold carries no script URL.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output/anki").path)) ?? [] {
            XCTAssertFalse(try fixture.read("Output/anki/\(name)").lowercased().contains("javascript:"), name)
        }
        let warnings = report.diagnostics.filter { $0.message.contains("could run code") }
        XCTAssertEqual(warnings.map { "\($0.location.line):\($0.location.column)" }, ["4:5", "4:39", "4:60"], "\(report.diagnostics)")
        XCTAssertTrue(warnings.allSatisfy { $0.severity == .warning && $0.location.path.hasSuffix("lambda/overview.md") })
    }

    func testTrimmingRemovesWhatFoundationRemoves() {
        let texts = ["", " ", "plain", "  both\t", "\n---\r", "\u{A0}no-break\u{2003}", "inner  space", "é\u{301}", "🙂 ", "\u{301}mark first"]
        for set in [CharacterSet.whitespaces, .whitespacesAndNewlines, CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ":.,;"))] {
            for text in texts + ["term:", ";term."] {
                XCTAssertEqual(text.trimming(set), text.trimmingCharacters(in: set), text.debugDescription)
                XCTAssertEqual(text.dropFirst(0).trimming(set), text.trimmingCharacters(in: set), "as a Substring: \(text.debugDescription)")
            }
        }
    }

    func testRendersGitHubExtensions() {
        let tree = MarkdownParser.parse("""
            | a | b |
            |---|---|
            | 1 | 2 |

            ~~gone~~ and www.example.com

            - [x] done

            Note[^1].

            [^1]: The footnote.
            """)
        let html = tree.document.html()
        XCTAssertTrue(html.contains("<table>"))
        XCTAssertTrue(html.contains("<del>gone</del>"))
        XCTAssertTrue(html.contains("<a href=\"http://www.example.com\">"))
        XCTAssertTrue(html.contains("type=\"checkbox\""))
        XCTAssertTrue(html.contains("footnote"))
    }

    func testSafeModeDropsRawHTMLAndScriptURLs() {
        let tree = MarkdownParser.parse("<div>raw</div>\n\nText <b>bold</b> [x](javascript:alert(1)) ![i](data:image/png;base64,AA)\n")
        Sanitizer.apply(to: tree, allowRawHTML: false, keepsHTML: { _ in false }, source: Self.note, diagnostics: DiagnosticLog())
        let html = tree.document.html()
        XCTAssertFalse(html.contains("<div>"))
        XCTAssertFalse(html.contains("<b>"))
        XCTAssertFalse(html.contains("javascript:"))
        XCTAssertTrue(html.contains("data:image/png"), "images may use data: URLs")
    }

    func testSafeModeKeepsOnlyTheRawHTMLTheCallerNames() {
        let tree = MarkdownParser.parse("<!-- id: keep-me -->\n\n<!-- a remark -->\n\nText <!-- domain: d1 --> and <b>bold</b>\n")
        Sanitizer.apply(to: tree, allowRawHTML: false, keepsHTML: SyntaxComments.isSyntax, source: Self.note, diagnostics: DiagnosticLog())
        let html = tree.document.html()
        XCTAssertTrue(html.contains("<!-- id: keep-me -->"), "a card comment is left for the Cards stage")
        XCTAssertTrue(html.contains("<!-- domain: d1 -->"), "a question's domain comment is left for the exam extractor")
        XCTAssertFalse(html.contains("a remark"))
        XCTAssertFalse(html.contains("<b>"))
    }

    func testSectionTrackerNestsHeadingsByLevelAndNamesTheLastOne() {
        let tree = MarkdownParser.parse("Intro\n\n# A\n\n## B\n\n### C\n\ntext\n\n## D\n\n> ### E in a quote\n")
        var slugger = Slugger()
        let headings = HeadingAnchors.apply(to: tree, slugger: &slugger)
        var tracker = SectionTracker(headingIDs: Dictionary(uniqueKeysWithValues: headings.map { ($0.node, $0.heading.id) }))
        var seen: [String] = []
        tree.document.walk { node in
            if tracker.pass(node) || node.kind == .paragraph {
                seen.append("\(tracker.sectionID ?? "top"): " + tracker.open.compactMap(\.id).joined(separator: "/"))
            }
            return .visitChildren
        }
        XCTAssertEqual(seen, ["top: ", "a: a", "b: a/b", "c: a/b/c", "c: a/b/c", "d: a/d", "e-in-a-quote: a/d/e-in-a-quote"])
    }

    func testUnsafeHTMLKeepsRawHTML() {
        let tree = MarkdownParser.parse("Text <b>bold</b>\n")
        Sanitizer.apply(to: tree, allowRawHTML: true, keepsHTML: { _ in false }, source: Self.note, diagnostics: DiagnosticLog())
        XCTAssertTrue(tree.document.html().contains("<b>bold</b>"))
    }

    func testHeadingIDsAreUniqueGitHubSlugs() {
        let tree = MarkdownParser.parse("# Hello, World!\n\n## Hello, World!\n\n## `code` & more\n")
        var slugger = Slugger()
        let headings = HeadingAnchors.apply(to: tree, slugger: &slugger)
        XCTAssertEqual(headings.map(\.heading.id), ["hello-world", "hello-world-1", "code--more"])
        XCTAssertTrue(tree.document.html().contains("id=\"hello-world-1\""))
    }

    func testSourcePositionsIncludeFrontMatterLines() {
        let (yaml, body, offset) = FrontMatter.split("---\ntitle: T\n---\n\n# Heading\n")
        XCTAssertEqual(yaml, "title: T\n")
        let tree = MarkdownParser.parse(body, lineOffset: offset)
        XCTAssertEqual(tree.document.descendants(.heading).first?.line, 5)
    }

    func testWalkVisitsInDocumentOrderAndPlainTextJoinsInlineText() {
        let tree = MarkdownParser.parse("A *b* `c`\nd\n")
        XCTAssertEqual(tree.document.plainText, "A b c d")
        XCTAssertEqual(tree.document.descendants(.text).map { $0.literal ?? "" }, ["A ", "b", " ", "d"])
    }

    /// A tree whose blocks' text was released (as every note's is after parsing) renders and
    /// reads as the same tree before, even once the freed buffers hold other bytes: every
    /// inline's text that pointed into them was copied first.
    func testReleasingBlockTextKeepsEveryTextOfTheTree() throws {
        // The release was written against the cmark-gfm `MarkdownParser` was read for; with
        // another it does nothing by design.
        guard MarkdownParser.parsesConcurrently else { throw XCTSkip("cmark-gfm \(String(cString: cmark_version_string()))") }
        let markdown = """
            # Heading with `code` and [a link](https://example.com/a "A title")

            A paragraph with *emphasis*, **strong**, ~~gone~~, &amp; entities, a\\backslash,
            www.example.org, <https://example.net/x>, an ![image](pic.png "Pic") and a [reference][ref],
            mail a.b@example.org, an unclosed [*bracket* and a lone \\.
            Second line<span>inline HTML</span> and a footnote[^note].

            > - [x] a task in a quote
            >   with a lazy line

            | Column | Other `cell` |
            |:-------|-------------:|
            | [in a cell](c.md) | *two* |

            ```swift title
            let x = 1
            ```

                indented code

            <div>
            raw block
            </div>

            [ref]: https://example.com/ref "Ref title"
            [^note]: The footnote's text, with [a link](n.md).
            """
        let untouched = MarkdownParser.parse(markdown)
        let tree = MarkdownParser.parse(markdown)
        XCTAssertGreaterThan(syllabus_cmark_release_block_text(tree.root), markdown.utf8.count, "the paragraphs' text, at least")
        // Freed memory is handed out again: filled with other bytes, it would show in any text
        // still pointing into it.
        let filler = (1...400).map { size -> UnsafeMutableRawPointer in
            let block = malloc(size * 8)!
            memset(block, 0x58, size * 8)
            return block
        }
        defer { filler.forEach { free($0) } }
        XCTAssertEqual(tree.document.html(), untouched.document.html())
        XCTAssertFalse(tree.document.html().contains("XXXX"))
        func texts(_ tree: MarkdownTree) -> [String] {
            var texts: [String] = []
            tree.document.walk { node in
                texts.append([node.literal, node.url, node.title, node.fenceInfo].map { $0 ?? "-" }.joined(separator: "|"))
                return .visitChildren
            }
            return texts
        }
        XCTAssertEqual(texts(tree), texts(untouched))
        // A second release finds nothing left to free, and the tree can still be edited.
        XCTAssertEqual(syllabus_cmark_release_block_text(tree.root), 0)
        tree.document.descendants(.text).first?.literal = "Changed"
        XCTAssertTrue(tree.document.html().contains("Changed"))
    }

    func testCardFrontsShowTheTextTheirClozeMarkersHide() {
        XCTAssertEqual(HeadingAnchors.revealed("What does {{c1::SQS}} keep?"), "What does SQS keep?")
        XCTAssertEqual(HeadingAnchors.revealed("Which ==queue== keeps order?"), "Which queue keeps order?")
        XCTAssertEqual(HeadingAnchors.revealed("a = b, {c1::x} and {{d}}"), "a = b, {c1::x} and {{d}}")
    }
}
