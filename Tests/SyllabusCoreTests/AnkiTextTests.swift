import Foundation
import XCTest
@testable import SyllabusCore

/// The decks' byte-wise text helpers give what their Character-wise and Foundation forms gave.
final class AnkiTextTests: XCTestCase {
    /// Tags, entities, stray brackets, entities that only look decodable after another is,
    /// and (falling back to the Character walk) text beyond ASCII and a bracket with a mark.
    static let fields = [
        "", "plain", "<b>bold</b> and <i>it</i>", "a > b < c", "<a href=\"x\">link</a> &amp; more",
        "&lt;tag&gt; &quot;q&quot; &#39;s&#39; a&nbsp;b", "&amp;lt; stays &lt;", "&&lt;;", "&lt", "&nbsp", "&#39", "&amp;amp;",
        "x &unknown; y", "<<b>>", ">lead", "end<", "<br/>line<br>two", "caf\u{E9} &amp; cr\u{E8}me", "<\u{301}b> &lt;\u{301}",
        "☃ <span>&gt;</span>",
    ]

    func testPlainTextIsTheCharacterWalksText() {
        for field in Self.fields {
            XCTAssertEqual(AnkiPackage.plainText(field), AnkiPackage.characterPlainText(field), field)
        }
        XCTAssertNotNil(AnkiPackage.asciiPlainText("a &amp; b"), "ASCII takes the byte-wise path")
    }

    func testTagsAreFoundationsTags() {
        for text in ["Lambda", "API Gateway", "--a  b--", "Tools & Things", "ünï cödé", "x::y", "a_b-c", "S3 (Simple Storage)", "", "---",
                     "日本語 タグ", "Ⅻ²", "e\u{301}t\u{E9}"] {
            XCTAssertEqual(AnkiField.tag(text), Self.foundationTag(text), text)
        }
    }

    /// `AnkiField.tag` as it was: Foundation's character sets and trimming.
    static func foundationTag(_ text: String) -> String {
        var tag = ""
        for scalar in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) || "-_:".unicodeScalars.contains(scalar) {
                tag.unicodeScalars.append(scalar)
            } else if !tag.hasSuffix("-") {
                tag += "-"
            }
        }
        return tag.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
