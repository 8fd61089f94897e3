import Foundation
import XCTest
@testable import SyllabusCore

/// Which note the practice page names as the explanation of a card from a flashcard file.
final class PracticeExplanationTests: XCTestCase {
    /// Words are runs of letters and digits, lowercased, of four characters or more, without
    /// the stop words; text in ASCII (read as bytes) gives what the Character reading gives.
    func testASCIIReadingFindsTheSameWordsAsTheCharacterReading() {
        let texts = ["What is the MAXIMUM timeout of a Lambda function?", "S3:PutObject, x-amz-meta-Key_2024 (10GB)",
                     "crlf\r\nline\ttab  s3api put-bucket-policy", "", "abc abcd ABCDE 1234 12345 a1b2c3",
                     "<p>tags <code>GetItem</code></p>"]
        for text in texts {
            XCTAssertEqual(SiteRenderer.asciiWords(text), SiteRenderer.unicodeWords(text), text)
        }
        XCTAssertEqual(SiteRenderer.words("The Lambda TIMEOUT is 900 seconds, 9000 ms"), ["lambda", "timeout", "seconds", "9000"])
        XCTAssertNil(SiteRenderer.asciiWords("Café timeout"), "text outside ASCII is read as Characters")
        XCTAssertEqual(SiteRenderer.words("Café Größe timeout"), ["café", "größe", "timeout"])
        XCTAssertEqual(SiteRenderer.plainText("<p>a <b>bold</b> word</p>"), " a  bold  word ")
        XCTAssertEqual(SiteRenderer.plainText("<p>größe</p>"), " größe ")
    }

    /// The note of the card's service that shares most words with it wins (a heading's words
    /// count twice, at its best heading); a tie goes to the earlier note and the earlier
    /// heading; no shared word, no note. Checked against every note compared with every card.
    func testBestNoteSharesMostWordsWithTheCardHeadingsCountingTwice() throws {
        let fixture = try Fixture([
            "lambda/lambda.cards.md": """
                # Lambda cards

                ## How long may a function run before its timeout?

                15 minutes.

                ## Where do temporary files go?

                Ephemeral storage under /tmp.

                ## Which layers and extensions exist?

                Layers share code; extensions run beside it.

                ## Nothing shared here at all?

                Zebra.

                """,
            "lambda/limits.md": "# Limits of a function\n\n## Timeout\n\nText.\n\n## Ephemeral storage\n\nText.\n",
            "lambda/runtime.md": "# Runtime timeout\n\n## Layers\n\nText.\n\n## Extensions\n\nText.\n\n## Layers and extensions\n\nText.\n",
            "lambda/storage.md": "# Temporary files\n\nText.\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.description), [])
        let notes = set.studySet.pages.filter { !$0.isCardsFile }
        let explanations = PracticeExplanations(notes: notes)
        func best(_ text: String) -> String? {
            explanations.best(for: SiteRenderer.words(text), serviceID: "lambda").map { $0.page.id + ($0.anchor.map { "#" + $0 } ?? "") }
        }
        XCTAssertEqual(best("How long may a function run before its timeout?"), "lambda/limits.md#timeout",
                       "title (function) plus twice the heading (timeout) beats the other title's timeout")
        XCTAssertEqual(best("Where do temporary files go? Ephemeral storage under /tmp."), "lambda/limits.md#ephemeral-storage",
                       "two heading words (4) beat two title words (2)")
        XCTAssertEqual(best("Layers and extensions"), "lambda/runtime.md#layers-and-extensions", "the heading sharing most")
        XCTAssertEqual(best("layers"), "lambda/runtime.md#layers", "a tie goes to the earlier heading")
        XCTAssertEqual(best("temporary"), "lambda/storage.md", "a title alone: the note, no heading")
        XCTAssertNil(best("Zebra"))
        XCTAssertNil(explanations.best(for: ["timeout"], serviceID: "s3"), "another service's notes never explain")

        // The same choices as comparing each card with every title and heading.
        for card in set.studySet.cards {
            let answer = set.content(of: set.page(card.pageID)!).cards[card.index].back.map(\.plainText).joined(separator: " ")
            let words = SiteRenderer.words(card.frontText + " " + answer)
            var expected: (score: Int, id: String)?
            for note in notes where note.serviceID == card.serviceID {
                let title = SiteRenderer.words(note.title).intersection(words).count
                var top = (score: title, anchor: String?.none)
                for heading in note.headings where heading.level >= 2 {
                    let score = title + 2 * SiteRenderer.words(heading.text).intersection(words).count
                    if score > top.score { top = (score, heading.id) }
                }
                if top.score > (expected?.score ?? 0) { expected = (top.score, note.id + (top.anchor.map { "#" + $0 } ?? "")) }
            }
            let found = explanations.best(for: words, serviceID: card.serviceID).map { $0.page.id + ($0.anchor.map { "#" + $0 } ?? "") }
            XCTAssertEqual(found, expected?.id, card.frontText)
        }
    }
}
