import Foundation
import XCTest
@testable import SyllabusCore

/// Renderers share the notes' trees: each writes its links its own way into its own output,
/// and none changes a tree.
final class PointedLinksTests: XCTestCase {
    func testEscapedURLIsWhatCmarkWritesForEveryASCIICharacterAndUnicode() {
        let tree = MarkdownParser.parse("[x](y)")
        let link = tree.document.descendants(.link)[0]
        let urls = (1...127).map { String(UnicodeScalar(UInt8($0))) } + ["é", "日本/語", "a b&c'd\"e<f>", "🙂?q=1#frag", "%41%zz"]
        for url in urls {
            link.url = url
            let html = link.html()
            let written = html.dropFirst("<a href=\"".count).prefix { $0 != "\"" }
            XCTAssertEqual(String(decoding: PointedLinks.escapeURL(url), as: UTF8.self), String(written), "URL \(url.unicodeScalars.map(\.value))")
        }
    }

    func testALinkWithNoHrefShowsItsContentAndAPictureInItsAltTextsNodes() throws {
        let fixture = try Fixture([
            "lambda/overview.md": """
                # Lambda

                See [the *classes* `list`](../s3/overview.md "S3 classes") and [![a *flow*](flow.png)](../s3/overview.md).

                ![The **flow**](flow.png) and [](../s3/overview.md).
                """,
            "lambda/flow.png": "not really a picture",
            "s3/overview.md": "# S3\n\nStores objects.\n",
        ])
        let (set, _) = fixture.analyze()
        let page = set.page("lambda/overview.md")!
        let document = set.content(of: page).tree.document
        let none = set.pointedLinks(of: page) { _ in nil }.html(document)
        XCTAssertTrue(none.hasSuffix("""
            <p>See the <em>classes</em> <code>list</code> and a <em>flow</em>.</p>
            <p>The <strong>flow</strong> and <a href=""></a>.</p>

            """), none)
        let pointed = set.pointedLinks(of: page) { target in
            if case let .file(path, _) = target { return "files/" + path }
            return "to page"
        }.html(document)
        XCTAssertTrue(pointed.contains("<a href=\"to%20page\" title=\"S3 classes\">the <em>classes</em> <code>list</code></a>"), pointed)
        XCTAssertTrue(pointed.contains("<a href=\"to%20page\"><img src=\"files/lambda/flow.png\" alt=\"a flow\" /></a>"), pointed)
        XCTAssertFalse(pointed.contains(LinkToken.prefix), "every token is replaced")
    }

    func testRenderingLeavesEveryTreeAsTheLinkStageMadeIt() async throws {
        let fixture = try Fixture([
            "lambda/index.md": "# Lambda guide\n\n- [Overview](overview.md)\n\nStart with the [overview](overview.md).\n",
            "lambda/overview.md": """
                ---
                sources: [https://docs.aws.amazon.com/lambda/]
                ---
                # Lambda

                Reads from S3[^1], see [S3](../s3/overview.md).

                [^1]: Through [the S3 note](../s3/overview.md).
                """,
            "s3/overview.md": "# S3\n\nStores objects. Lambda reads them.\n",
            "lambda.cards.md": """
                # Lambda cards

                ## What is the maximum timeout?

                <!-- sources: https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html -->
                15 minutes[^t], see [S3](s3/overview.md).

                [^t]: Set per [function](lambda/overview.md).
                """,
        ], config: "title: Test\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n")
        let (set, diagnostics) = fixture.analyze()
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        let pages = set.pages
        let before = pages.map { set.content(of: $0).tree.document.html() }
        let templates = try await TemplateSet.load(from: Fixture.repository.appendingPathComponent("Templates"))
        let renderers: [any Renderer] = [try SiteRenderer(templates: templates), AnkiRenderer(), EpubRenderer(),
                                         try CheatSheetRenderer(templates: templates)]
        // A reader of the trees on another thread all along: a renderer that changed a tree,
        // even for a moment, would show it a different tree (or crash the process).
        let done = Locked(false), changed = Locked(false)
        let reader = Thread {
            while !done.value {
                for (page, html) in zip(pages, before) where set.content(of: page).tree.document.html() != html { changed.value = true }
            }
        }
        reader.start()
        for renderer in renderers {
            for _ in 0..<3 { _ = try renderer.render(set, diagnostics: DiagnosticLog()) }
        }
        done.value = true
        while !reader.isFinished { try await Task.sleep(nanoseconds: 10_000_000) }
        XCTAssertFalse(changed.value)
        XCTAssertEqual(pages.map { set.content(of: $0).tree.document.html() }, before)
    }
}

