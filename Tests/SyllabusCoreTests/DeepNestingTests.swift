import Foundation
import XCTest
@testable import SyllabusCore

/// Every kind of nesting cmark-gfm accepts, 100,000 deep, through every stage and every
/// output: a recursive walk anywhere overflows the stack (the process dies with no message).
final class DeepNestingTests: XCTestCase {
    static let depth = 100_000

    /// One note per construct, each nested `depth` deep. `Benchmarks/fuzz.py` generates the
    /// same shapes for the command line.
    static func notes(depth n: Int) -> [String: String] {
        func repeated(_ text: String) -> String { String(repeating: text, count: n) }
        return [
            "lambda/quotes.md": "# Quotes\n\n" + repeated("> ") + "AWS Lambda **deep**\n",
            "lambda/bullets.md": "# Bullets\n\n" + repeated("- ") + "S3 item\n",
            "lambda/ordered.md": "# Ordered\n\n" + repeated("1. ") + "item\n",
            "lambda/tasks.md": "# Tasks\n\n" + repeated("- [ ] ") + "task\n",
            "lambda/emphasis.md": "# Emphasis\n\n" + repeated("*a ") + "x" + repeated(" a*") + "\n",
            "lambda/strong.md": "# Strong\n\n" + repeated("**a ") + "x" + repeated(" a**") + "\n",
            "lambda/strike.md": "# Strike\n\n" + repeated("~~a ") + "x" + repeated(" a~~") + "\n",
            "lambda/delimiters.md": "# Delimiters\n\n" + repeated("*") + "x" + repeated("*") + "\n",
            "lambda/links.md": "# Links\n\n" + repeated("[") + "x" + repeated("](https://example.org/)") + "\n",
            "lambda/images.md": "# Images\n\n" + repeated("![") + "x" + repeated("](https://example.org/a.png)") + "\n",
            // Local images are unwrapped to their alt text, which holds the next image.
            "lambda/local-images.md": "# Local images\n\n" + repeated("![") + "x" + repeated("](a.png)") + "\n",
            "lambda/link-emphasis.md": "# Links and emphasis\n\n" + repeated("[*") + "x" + repeated("*](https://example.org/)") + "\n",
            "lambda/table-in-quotes.md": "# Tables\n\n" + repeated("> ") + "| a | b |\n" + repeated("> ") + "| - | - |\n" + repeated("> ") + "| **c** | d |\n",
            "lambda/lists-in-quotes.md": "# Lists in quotes\n\n" + repeated("- > ") + "x\n",
            "lambda/headings-in-quotes.md": "# Headings\n\n" + repeated("> ") + "## Deep heading\n",
            "lambda/code-in-quotes.md": "# Code\n\n" + repeated("> ") + "```\n" + repeated("> ") + "code\n",
            "lambda/footnotes.md": "# Footnotes\n\nA note[^1].\n\n" + (1..<n).map { "[^\($0)]: " }.joined() + "x\n",
            "lambda/deep.cards.md": "## What nests deep?\n\n" + repeated("> ") + "**Everything** :: here\n\n"
                + "## Front with *emphasis*\n\n" + repeated("- ") + "back\n",
            "lambda/inline-card.md": "---\ncards: true\n---\n# Inline\n\n" + repeated("> ") + "Deep front :: deep back\n",
        ]
    }

    func testEveryNestingKindAtDepthOneHundredThousandBuildsEveryOutput() async throws {
        let fixture = try Fixture(Self.notes(depth: Self.depth),
                                  config: "title: Deep\ndeck: Deep\noutputs: [site, anki, epub, cheatsheets]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await fixture.build()
        XCTAssertFalse(report.failed, report.diagnostics.map(\.description).joined(separator: "\n"))
        let page = try fixture.read("Output/site/lambda/quotes.html")
        XCTAssertEqual(page.components(separatedBy: "<blockquote>").count - 1, Self.depth)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/ebook/deep.epub").path))
        XCTAssertTrue(try fixture.read("Output/anki/lambda.tsv").contains("Deep front"))
    }
}
