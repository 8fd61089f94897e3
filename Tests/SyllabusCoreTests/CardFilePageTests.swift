import Foundation
import XCTest
@testable import SyllabusCore

/// The site's page of a card file shows each card as the rest of the site does.
final class CardFilePageTests: XCTestCase {
    /// A cloze card's heading shows its deletion filled in and marked, as the cheat sheet does,
    /// never the markup; its id is made from that text.
    func testClozeHeadingsShowTheirDeletionsAndTakeIdsFromThePlainText() async throws {
        let fixture = try Fixture([
            "lambda/queues.cards.md": """
            # SQS cards

            ## Messages are kept for at most {{c1::14 days}}.

            The default is four days.

            ## FIFO queues deliver ==exactly-once==.

            Within the deduplication interval.

            """,
        ], config: "title: T\ndeck: T\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        let page = try fixture.read("Output/site/lambda/queues-cards.html")
        XCTAssertFalse(page.contains("{{c1::"), "no cloze markup on the page")
        XCTAssertFalse(page.contains("c114"), "no markup in the ids")
        XCTAssertTrue(page.contains("id=\"messages-are-kept-for-at-most-14-days\""), page)
        XCTAssertTrue(page.contains("Messages are kept for at most <mark class=\"cloze\">14 days</mark>.</h2>"), page)
        XCTAssertTrue(page.contains("id=\"fifo-queues-deliver-exactly-once\""), page)
        XCTAssertTrue(page.contains("FIFO queues deliver <mark class=\"cloze\">exactly-once</mark>.</h2>"), page)
    }

    /// A card file without a title of its own is named after its service (or its file), not
    /// after its first card, on its page and in its service's list.
    func testUntitledCardFileIsNamedAfterItsServiceOrFile() async throws {
        let fixture = try Fixture([
            "lambda/lambda.cards.md": "## What is the maximum timeout of a function?\n\nFifteen minutes.\n",
            "lambda/limits.cards.md": "## How much memory can a function have?\n\n10,240 MB.\n",
            "lambda/titled.cards.md": "# Lambda basics\n\n## What runs code?\n\nLambda.\n",
        ], config: "title: T\ndeck: T\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        let page = try fixture.read("Output/site/lambda/lambda-cards.html")
        XCTAssertTrue(page.contains("<title>Lambda cards · T</title>"), page)
        XCTAssertTrue(try fixture.read("Output/site/lambda/limits-cards.html").contains("<title>Limits cards · T</title>"))
        XCTAssertTrue(try fixture.read("Output/site/lambda/titled-cards.html").contains("<title>Lambda basics · T</title>"))
        let service = try fixture.read("Output/site/lambda/index.html")
        XCTAssertTrue(service.contains(">Lambda cards<"), service)
        XCTAssertTrue(service.contains(">Limits cards<"), service)
        XCTAssertFalse(service.contains("What is the maximum timeout of a function?</a>"), "the first card names no file")
    }
}

/// Counts on the site read as words: one question, two questions.
final class QuestionCountWordingTests: XCTestCase {
    func testOneQuestionIsSingularOnTheHomeAndExamPages() async throws {
        let question = "## Timeout\n<!-- domain: development -->\n\nHow long may a function run?\n\n- [x] 15 minutes\n- [ ] 1 hour\n\nThe limit.\n"
        let fixture = try Fixture([
            "exam.yml": ExamPageTests.examYAML,
            "lambda/overview.md": "# Lambda overview\n\nRuns code.\n",
            "lambda/lambda.exam.md": question,
        ], config: "title: T\ndeck: T\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        let home = try fixture.read("Output/site/index.html")
        XCTAssertTrue(home.contains("(1 question in the bank)"), home)
        let exam = try fixture.read("Output/site/exam/index.html")
        XCTAssertTrue(exam.contains("1 question in the bank."), exam)
        // The real exam's 130 minutes for 8 questions, scaled to the 1 drawn: 16.25, rounded up
        // (found by a fresh-user trial: 5 questions got the whole exam's 130 minutes).
        let lead = exam.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        XCTAssertTrue(lead.contains("An exam draws 1 of them by the domain weights and gives you 17 minutes "
                                    + "(the real exam: 8 questions in 130 minutes, scaled to the 1 drawn)."), exam)
        XCTAssertFalse(home.contains("1 questions") || exam.contains("1 questions"))
    }
}
