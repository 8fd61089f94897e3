import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// `}}` and `::` inside code in a cloze deletion are the code's, as in
/// `{{c1::`{"key": {"inner": 1}}`}}`: the whole deletion is hidden and revealed in every
/// output, and Anki reads it as Syllabus does. Markup that cannot be read is reported where it is.
final class ClozeCodeTests: XCTestCase {
    static let cards = """
        # JSON cards

        ## A nested object is written {{c1::`{"key": {"inner": 1}}`}} in JSON.

        ## C++ names a type {{c1::`std::vector`::a container}} and {{c2::**bold** text}}.

        """

    func testCodeInsideADeletionIsPartOfIt() {
        let html = "A {{c1::<code>{&quot;key&quot;: {&quot;inner&quot;: 1}}</code>}} b {{c2::<code>std::vector</code>::hint}}"
        XCTAssertEqual(Cloze.render(html, reveal: false), "A […] b [hint]")
        XCTAssertEqual(Cloze.render(html, reveal: true),
                       "A <code>{&quot;key&quot;: {&quot;inner&quot;: 1}}</code> b <code>std::vector</code>")
        XCTAssertEqual(Cloze.ankiField(html),
                       "A {{c1::<code>&#123;&quot;key&quot;&#58; &#123;&quot;inner&quot;&#58; 1&#125;&#125;</code>}} b "
                       + "{{c2::<code>std&#58;&#58;vector</code>::hint}}")
        // A deletion inside code deletes part of it, and Anki reads it the same way.
        let command = "Run <code>aws sts {{c1::decode-authorization-message}}</code>."
        XCTAssertEqual(Cloze.render(command, reveal: false), "Run <code>aws sts […]</code>.")
        XCTAssertEqual(Cloze.ankiField(command), command)
        // Outside code, a deletion ends at the first }} and its hint starts at the first ::, as in Anki.
        XCTAssertEqual(Cloze.render("{{c1::a::b}}}", reveal: true), "a}")
        XCTAssertEqual(Cloze.scan("{{c1::a::b}} {{c2::c}}").deletions.map(\.text), ["a", "c"])
    }

    func testTextWithoutAnOpeningIsTextWhateverElseItHolds() {
        // `}}`, `::` and a `{{c` split by a mark or across pieces open nothing: the pieces are
        // one text, with no problem and no code taken whole.
        let pieces = [Cloze.Piece("a }} b :: c {\u{301}{c1::x}}"), Cloze.Piece("{{", isCode: true), Cloze.Piece("c1::y}}")]
        let parsed = Cloze.parse(pieces)
        XCTAssertEqual(parsed.parts, [.text("a }} b :: c {\u{301}{c1::x}}{{c1::y}}")])
        XCTAssertEqual(parsed.problems, [])
        XCTAssertEqual(parsed.wholeCode, [])
        XCTAssertEqual(Cloze.parse([Cloze.Piece("")]).parts, [])
        // With an opening, the same reading reports the `}}` that closes nothing after it.
        XCTAssertEqual(Cloze.scan("{{c1::x}}}} z").problems.count, 1)
    }

    func testPlainTextBetweenMarkupReadsAsItsCharactersWould() {
        // Text that holds no `{`, `}` or `:` is read as one run: only blanks between a
        // deletion and a stray `}}` keep that `}}` a problem; any other character does not.
        XCTAssertEqual(Cloze.scan("{{c1::x}} \t }} z").problems.count, 1)
        XCTAssertEqual(Cloze.scan("{{c1::x}} y }} z").problems.count, 0)
        XCTAssertEqual(Cloze.scan("{{c1::x}}\u{00A0}}} z").problems.count, 1)
        XCTAssertEqual(Cloze.render("a {{c1::b é c::hint d}} e: {f}", reveal: false), "a [hint d] e: {f}")
        XCTAssertEqual(Cloze.render("a {{c1::b é c::hint d}} e: {f}", reveal: true), "a b é c e: {f}")
        XCTAssertEqual(Cloze.scan("{{c1::a :b: c}} {{c2::d}e}}").deletions,
                       [Cloze.Deletion(number: 1, text: "a :b: c", hint: nil), Cloze.Deletion(number: 2, text: "d}e", hint: nil)])
    }

    func testEveryOutputHidesAndRevealsTheWholeDeletion() async throws {
        let fixture = try Fixture(["lambda/json.cards.md": Self.cards], config: CardContentTests.everyOutput)
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let code = "<code>{&quot;key&quot;: {&quot;inner&quot;: 1}}</code>"
        let service = try fixture.read("Output/site/lambda/index.html")
        XCTAssertTrue(service.contains("A nested object is written <span class=\"cloze\">[…]</span> in JSON."), service)
        XCTAssertTrue(service.contains("A nested object is written <mark class=\"cloze\">\(code)</mark> in JSON."), service)
        XCTAssertTrue(service.contains("C++ names a type <span class=\"cloze\">[a container]</span>"), service)
        XCTAssertTrue(service.contains("<mark class=\"cloze\"><code>std::vector</code></mark> and <mark class=\"cloze\"><strong>bold</strong> text</mark>."),
                      service)
        let practice = try fixture.read("Output/site/practice/index.html")
        XCTAssertTrue(practice.contains("written \\u003cspan class=\\\"cloze\\\"\\u003e[…]\\u003c\\/span\\u003e in JSON."), "practice page")
        XCTAssertFalse(practice.contains("}}\\u003c\\/code\\u003e}}"), "no markup left over on the practice page")
        let sheet = try fixture.read("Output/cheatsheets/lambda.html")
        XCTAssertTrue(sheet.contains("<mark class=\"cloze\">\(code)</mark> in JSON."), sheet)

        let book = try Data(contentsOf: fixture.root.appendingPathComponent("Output/ebook/test.epub"))
        let archive = try Archive(data: book, accessMode: .read)
        var text = ""
        for entry in archive where entry.path.hasSuffix(".xhtml") {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            text += String(decoding: data, as: UTF8.self)
        }
        XCTAssertTrue(text.contains("A nested object is written <span class=\"cloze\">[…]</span> in JSON."), text)
        XCTAssertTrue(text.contains("<mark class=\"cloze\">\(code)</mark> in JSON."), text)
        XCTAssertFalse(text.contains("{{c"), text)
    }

    /// Anki itself (the `anki` library) shows the deletion whole on the question and the answer.
    func testAnkiShowsTheWholeDeletion() async throws {
        let python = try EndToEndSupport.ankiPython()
        let fixture = try Fixture(["lambda/json.cards.md": Self.cards], config: "title: Test\ndeck: Test\noutputs: [anki]\n")
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        for deck in ["all.tsv", "all.apkg"] {
            let collection = fixture.root.appendingPathComponent("collection-\(deck)/collection.anki2")
            let imported = try AnkiImport.run(python, fixture.root.appendingPathComponent("Output/anki/\(deck)"), into: collection,
                                              options: ["--render"])
            let notes = imported.collection.notesByGuid.values.sorted { $0.cards < $1.cards }
            XCTAssertEqual(notes.map(\.cards), [1, 2], deck)
            // Anki keeps the answer in the blank's data-cloze attribute: what it shows is the rest.
            func shown(_ html: String) -> String { html.replacingOccurrences(of: #"data-cloze="[^"]*""#, with: "", options: .regularExpression) }
            let json = try XCTUnwrap(notes[0].rendered?.first, deck)
            XCTAssertTrue(json.question.contains("written <span class=\"cloze\" data-cloze="), json.question)
            XCTAssertFalse(shown(json.question).contains("inner"), json.question)
            XCTAssertFalse(json.answer.contains("}}"), json.answer)
            // Anki shows the character references as the characters they stand for.
            XCTAssertTrue(json.answer.contains("<code>&#123;&quot;key&quot;&#58; &#123;&quot;inner&quot;&#58; 1&#125;&#125;</code></span> in JSON."),
                          json.answer)
            let vector = try XCTUnwrap(notes[1].rendered?.first, deck)
            XCTAssertTrue(vector.question.contains(">[a container]</span>"), vector.question)
            XCTAssertFalse(shown(vector.question).contains("vector"), vector.question)
            XCTAssertTrue(vector.answer.contains("<code>std&#58;&#58;vector</code></span>"), vector.answer)
        }
    }

    func testClozeThatCannotBeReadIsReportedWhereItIs() throws {
        let fixture = try Fixture(["lambda/a.cards.md": """
            ## Raw JSON {{c1::{"a": {"b": 1}}}} ends early.

            ## Open {{c2::never closed

            """])
        let (_, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }, [
            "1:34: malformed cloze: the deletion '{\"a\": {\"b\": 1' ends at the first '}}', and this '}}' closes nothing; "
                + "write code that holds '}}' in backticks",
            "3:1: cloze card has no deletion like {{c1::text}}",
            "3:9: malformed cloze: '{{c2::' is never closed with '}}'",
        ])
    }
}
