import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
@testable import SyllabusCore

/// Values from `services.yml`, `syllabus.yml` and front matter are text, never markup: each
/// is escaped for the context it lands in, in every output, and configuration URLs pass the
/// same sanitizer as URLs in notes.
final class EscapingTests: XCTestCase {
    /// Markup, quotes, an ampersand and the two line separators JavaScript once broke on, as
    /// a YAML double-quoted string spells them.
    static let hostile = "</script><script>alert(1)</script> \\\"q\\\" 'a' & \\u2028\\u2029"

    static let services = """
        - id: lambda
          name: "Lambda \(hostile)"
          short: "Short \(hostile)"
          category: "Compute <i>\\"x\\""
          docs: javascript:alert(1)
        - id: s3
          name: S3
          category: Storage
          docs: " JavaScript:alert(2)"

        """

    static let config = """
        title: "Book <b>&</b> \\"t\\""
        author: "Author <i>"
        language: en
        deck: "Deck\\twith \\"tab\\""
        base_url: javascript:alert(3)
        outputs: [site, anki, epub, cheatsheets]

        """

    static let note = """
        ---
        title: "Note </script><script>alert(4)</script> \\u2028"
        tags: ["a\\tb", "<i>"]
        ---
        # Heading

        Text.

        ## What is <this>?

        An answer.

        """

    private func built() async throws -> (Fixture, BuildReport) {
        let fixture = try Fixture(["lambda/overview.md": Self.note, "lambda/q.cards.md": "## Front?\n\nBack.\n", "s3/basics.md": "# S3\n\nStores objects.\n"],
                                  services: Self.services, config: Self.config)
        let report = try await fixture.build()
        XCTAssertFalse(report.failed, "\(report.diagnostics)")
        return (fixture, report)
    }

    func testConfigurationURLsPassTheSanitizerOfNoteURLs() async throws {
        let (fixture, report) = try await built()
        let service = try fixture.read("Output/site/lambda/index.html")
        XCTAssertFalse(service.lowercased().contains("javascript:"), "docs: javascript: is no link")
        XCTAssertFalse(try fixture.read("Output/site/s3/index.html").lowercased().contains("javascript:"))
        XCTAssertFalse(try fixture.read("Output/anki/all.tsv").lowercased().contains("javascript:"), "nor a base_url")
        let warned = report.diagnostics.filter { $0.message.contains("could run code") }.map(\.location.path)
        XCTAssertEqual(warned.filter { $0.hasSuffix("services.yml") }.count, 2, "\(report.diagnostics)")
        XCTAssertEqual(warned.filter { $0.hasSuffix("syllabus.yml") }.count, 1, "\(report.diagnostics)")
    }

    /// A language that would leave its attribute (`<html lang="…">`, the book's `xml:lang`)
    /// never reaches a page: it is no language tag, so the configuration refuses it where it
    /// is written.
    func testLanguageThatWouldLeaveItsAttributeIsRefused() throws {
        let fixture = try Fixture(["lambda/overview.md": Self.note], services: Self.services,
                                  config: Self.config.replacingOccurrences(of: "language: en", with: "language: \"en\\\" onload=\\\"alert(1)\""))
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (_, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map { "\($0.location.line):\($0.location.column): \($0.message)" },
                       ["3:11: 'language' must be a BCP 47 language tag, such as en, de-CH or ja, not 'en\" onload=\"alert(1)'"])
    }

    func testHTMLTextAndAttributes() async throws {
        let (fixture, _) = try await built()
        let service = try fixture.read("Output/site/lambda/index.html")
        XCTAssertTrue(service.contains("Lambda &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &#39;a&#39; &amp;"), service)
        XCTAssertFalse(service.contains("<script>alert"))
        let note = try fixture.read("Output/site/lambda/overview.html")
        XCTAssertTrue(note.contains("<html lang=\"en\""))
        XCTAssertFalse(note.contains("<script>alert(4)"))
        XCTAssertFalse(try fixture.read("Output/site/index.html").contains("<b>&</b>"))
    }

    func testJSONInsideScriptElements() async throws {
        let (fixture, _) = try await built()
        let practice = try fixture.read("Output/site/practice/index.html")
        let script = try XCTUnwrap(practice.components(separatedBy: "window.SYLLABUS_PRACTICE = ").dropFirst().first?
            .components(separatedBy: ";</script>").first)
        for raw in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            XCTAssertFalse(script.contains(raw), "\(raw.unicodeScalars.first!.value) in the script: \(script)")
        }
        XCTAssertTrue(script.contains("\\u003c\\/script\\u003e\\u003cscript\\u003ealert(1)"), script)
        XCTAssertTrue(script.contains("\\u2028\\u2029"), script)
        // Still the same strings to JavaScript.
        let decoded = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: Any])
        XCTAssertEqual(decoded["set"] as? String, "Deck\twith \"tab\"")
        let decks = try XCTUnwrap(decoded["decks"] as? [[String: String]])
        XCTAssertTrue(decks.contains { $0["short"]!.contains("</script><script>alert(1)</script> \"q\" 'a' & \u{2028}") }, "\(decks)")
    }

    /// The exam page's data is serialized whole by Foundation, which leaves `<`, `>`, `&` and
    /// the line separators as they are: they are escaped after, and the value stays the same.
    func testExamJSONInsideItsScriptElement() throws {
        // Other characters whose UTF-8 starts as U+2028's does (E2) stay as they are.
        let stem = "</script><!--<script>alert(1)</script> & \u{2028}\u{2029} — € \u{2027}\u{202A}"
        let json = try JSONSerialization.data(withJSONObject: ["bank": [["stem": stem]]], options: [.sortedKeys])
        let safe = SiteRenderer.scriptSafe(json: json)
        for raw in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            XCTAssertFalse(safe.contains(raw), "\(raw.unicodeScalars.first!.value) in the script: \(safe)")
        }
        let decoded = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(safe.utf8)) as? [String: [[String: String]]])
        XCTAssertEqual(decoded["bank"]?.first?["stem"], stem)
        XCTAssertTrue(safe.contains("\\u2028\\u2029 — € \u{2027}\u{202A}"), safe)
    }

    func testXHTMLOfTheBook() async throws {
        let (fixture, _) = try await built()
        let book = fixture.root.appendingPathComponent("Output/ebook")
        let epub = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: book.path).first { $0.hasSuffix(".epub") })
        let unpacked = fixture.root.appendingPathComponent("unpacked")
        let unzip = try EndToEndSupport.run("unzip", ["-q", book.appendingPathComponent(epub).path, "-d", unpacked.path])
        XCTAssertEqual(unzip.status, 0, unzip.err)
        let documents = DirectoryWalker.files(under: unpacked.path).filter { $0.hasSuffix(".xhtml") || $0.hasSuffix(".opf") || $0.hasSuffix(".ncx") }
        XCTAssertFalse(documents.isEmpty)
        for document in documents {
            let parser = XMLParser(contentsOf: unpacked.appendingPathComponent(document))!
            XCTAssertTrue(parser.parse(), "\(document) is not well-formed: \(String(describing: parser.parserError))")
        }
        let package = try String(contentsOf: unpacked.appendingPathComponent(try XCTUnwrap(documents.first { $0.hasSuffix(".opf") })), encoding: .utf8)
        XCTAssertTrue(package.contains("<dc:title>Book &lt;b&gt;&amp;&lt;/b&gt; &quot;t&quot;</dc:title>"), package)
    }

    func testTSVFieldsOfTheDecks() async throws {
        let (fixture, _) = try await built()
        let rows = try fixture.read("Output/anki/all.tsv").split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertFalse(rows.isEmpty)
        for row in rows {
            // RFC 4180 over tabs: a quoted field may hold tabs; six fields per row.
            var fields: [String] = [], field = "", quoted = false
            for character in row {
                if character == "\"" { quoted.toggle() }
                if character == "\t", !quoted { fields.append(field); field = "" } else { field.append(character) }
            }
            fields.append(field)
            XCTAssertEqual(fields.count, 6, String(row))
            XCTAssertEqual(fields[2], "\"Deck\twith \"\"tab\"\"::Short </script><script>alert(1)</script> \"\"q\"\" 'a' & \u{2028}\u{2029}\"",
                           "the deck name is one quoted field")
            XCTAssertFalse(fields[5].contains("<") || fields[5].contains("\t"), "tags are plain words: \(fields[5])")
        }
    }

    func testCSSOfTheCheatSheets() async throws {
        let (fixture, _) = try await built()
        let sheet = try fixture.read("Output/cheatsheets/lambda.html")
        let style = try XCTUnwrap(sheet.components(separatedBy: "@top-left { content: ").dropFirst().first?.components(separatedBy: ";").first)
        XCTAssertTrue(style.hasPrefix("\"Lambda \\3c \\2f script\\3e "), style)
        for raw in ["<", ">", "'", "&", "\u{2028}"] { XCTAssertFalse(style.contains(raw), style) }
        XCTAssertEqual(sheet.components(separatedBy: "</style>").count, sheet.components(separatedBy: "<style").count,
                       "no value closes a style element")
    }
}
