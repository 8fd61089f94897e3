import Foundation
import XCTest
@testable import SyllabusCore

/// `ScriptJSON` writes the bytes Foundation's `JSONSerialization` (`.sortedKeys`) writes, made
/// safe by `SiteRenderer.scriptSafe`: the exam page's data did not change when it stopped
/// going through Foundation.
final class ScriptJSONTests: XCTestCase {
    /// Every control character, DEL, markup, slashes, quotes, line separators, characters
    /// whose UTF-8 starts as theirs does, combining marks, emoji and right-to-left text.
    static let odd = (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
        + "\u{7F} </script><!-- & \"q\" 'a' \\ / \u{2028}\u{2029}\u{2027}\u{202A} e\u{301} <\u{301} ☃ 🦄 שלום € \u{85}\u{A0}"

    func testValuesAreFoundationsBytes() throws {
        let object: [String: Any] = ["text": Self.odd, "empty": "", "yes": true, "no": false, "count": -12, "big": 1_764_460_800,
                                     "list": [["b": "x", "a": Self.odd], [:]] as [Any], "none": [] as [Any]]
        var json = ScriptJSON()
        json.beginObject()
        json.key("big")
        json.int(1_764_460_800)
        json.key("count")
        json.int(-12)
        json.pair("empty", "")
        json.key("list")
        json.beginArray()
        json.beginObject()
        json.pair("a", Self.odd)
        json.pair("b", "x")
        json.endObject()
        json.beginObject()
        json.endObject()
        json.endArray()
        json.key("no")
        json.bool(false)
        json.key("none")
        json.beginArray()
        json.endArray()
        json.pair("text", Self.odd)
        json.key("yes")
        json.bool(true)
        json.endObject()
        XCTAssertEqual(json.text, SiteRenderer.scriptSafe(json: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }

    /// The whole exam page's data, with odd text in a question, its options and an exam
    /// domain: read back and written again by Foundation, it is the same bytes.
    func testExamDataIsFoundationsBytes() async throws {
        var files = ExamOutputTests.files(outputs: "site")
        files["Content/exam.yml"] = ExamPageTests.examYAML.replacingOccurrences(of: "name: Security", with: "name: \"Security </b> & \\\" / ☃\"")
        files["Content/cross.exam.md"]! += ExamPageTests.question("Odd \(Self.odd) title", "security",
                                                                  options: [("Right \(Self.odd)", true), ("Wrong / </script>", false)],
                                                                  note: "s3/overview.md")
        let options = try BookFixture.make(files, name: "exam-json")
        _ = try await Pipeline(options: options).build()
        let page = try String(contentsOf: options.outputRoot.appendingPathComponent("site/exam/index.html"), encoding: .utf8)
        let start = try XCTUnwrap(page.range(of: "window.SYLLABUS_EXAM = ")).upperBound
        let end = try XCTUnwrap(page.range(of: ";</script>", range: start..<page.endIndex)).lowerBound
        let data = String(page[start..<end])
        XCTAssertTrue(data.contains("Odd "), "the odd question is in the data")
        let object = try JSONSerialization.jsonObject(with: Data(data.utf8))
        XCTAssertEqual(data, SiteRenderer.scriptSafe(json: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])))
    }
}
