import CMarkGFM
import XCTest
@testable import SyllabusCore

/// cmark-gfm keeps the inline parser's special characters in a global table that every
/// `cmark_parser_finish` fills and empties again; `MarkdownParser` pins the autolink
/// characters once, parses text without `~` on many threads, and finishes text with `~` one
/// at a time. These tests parse on many threads at once and expect the trees of parsing one
/// document at a time.
final class ConcurrentParseTests: XCTestCase {
    /// Markdown whose tree depends on that table: strikethrough (`~`), autolinks after `:` and
    /// `w`, emphasis next to them, and the block extensions around them (tables, footnotes,
    /// task lists). Each is repeated so that one document's inline phase takes long enough
    /// for another thread's parse to run beside it.
    static let documents: [String] = {
        let pieces = [
            """
            ~~gone~~ and ~single~ beside **bold ~~struck~~** and *~~em~~*, then https://example.com/a_(b) and www.example.com/path.

            Mail someone@example.com or visit http://sub.example.org:8080/x?y=1; also www.test.io, and ~~www.struck.example~~.
            """,
            """
            | Key | Value ~~old~~ | Link |
            |:----|:-----:|-----:|
            | `a|b` | ~~x~~ **y** | www.example.net |
            | c \\| d | https://example.com | ~z~ |
            """,
            """
            A claim[^note] and another[^long].

            [^note]: A footnote with ~~struck~~ text and www.footnote.example.
            [^long]: Second, with *emphasis:* and https://example.org/path.

            - [x] done ~~never~~
            - [ ] todo at www.todo.example
              1. nested **bold** text: ~~~ not a fence ~~~
            """,
            """
            > Quote with ~~strike~~ and `code ~~not~~` and <https://angle.example> and w.not-a-link.
            >
            > ```
            > ~~fenced~~ www.fenced.example
            > ```

            # Heading ~~struck~~ at www.heading.example

            Setext *w*ith ~~it~~
            ---
            """,
            // Without a `~`: parsed beside the others, autolinks next to emphasis and punctuation.
            """
            Visit www.example.com, *www.emph.example* and **https://bold.example/a_b_c**; mail
            a.b@example.org: then http://x.example:8080/path?q=w&r=:, or _w_ww.not.example.

            | Site | Mail |
            |------|------|
            | www.cell.example | cell@example.net |

            - [ ] check https://task.example/w
            - [x] and www.done.example.[^w]

            [^w]: Footnote at https://foot.example and www.foot.example/w:w.
            """,
        ]
        return pieces.map { piece in Array(repeating: piece, count: 40).joined(separator: "\n\n") }
            + pieces
    }()

    /// The whole tree as cmark-gfm writes it as XML (every node, its positions, link URLs) and
    /// as HTML (which also shows footnotes, unknown to its XML writer).
    private static func snapshot(_ tree: MarkdownTree) -> String {
        guard let buffer = cmark_render_xml(tree.root, CMARK_OPT_SOURCEPOS) else { return "" }
        defer { free(buffer) }
        return String(cString: buffer) + tree.document.html()
    }

    func testParsingOnManyThreadsGivesTheTreesOfParsingOneAtATime() {
        let expected = Self.documents.map { Self.snapshot(MarkdownParser.parse($0)) }
        XCTAssertTrue(expected[0].contains("<strikethrough"), "the extensions are on")
        XCTAssertTrue(expected[0].contains("destination=\"http://www.example.com/path\""))
        XCTAssertTrue(expected[1].contains("<table"))
        XCTAssertTrue(expected[2].contains("<section class=\"footnotes\""))
        XCTAssertTrue(expected[4].contains("destination=\"http://www.cell.example\""), "autolinks in text without a ~")
        XCTAssertTrue(expected[4].contains("destination=\"mailto:a.b@example.org\""))
        // More threads than cores, each starting at another document, so that parses
        // interleave at every point of one another.
        let threads = 6, rounds = 8
        // Each thread writes only its own slot, and the main thread reads them after `wait`.
        nonisolated(unsafe) let differs = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        differs.initialize(repeating: 0)
        defer { differs.deallocate() }
        let done = DispatchGroup()
        for thread in 0..<threads {
            done.enter()
            Thread {
                for step in 0..<(rounds * Self.documents.count) {
                    let document = (thread + step) % Self.documents.count
                    if Self.snapshot(MarkdownParser.parse(Self.documents[document])) != expected[document] { differs[thread] += 1 }
                }
                done.leave()
            }.start()
        }
        done.wait()
        XCTAssertEqual(differs.reduce(0, +), 0, "of \(threads * rounds * Self.documents.count) parses on \(threads) threads, these differed from parsing alone")
    }
}
