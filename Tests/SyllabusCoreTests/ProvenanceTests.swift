import XCTest
@testable import SyllabusCore

/// Sources and checked dates: front matter, card comments, the stale check, and how every
/// output shows them.
final class ProvenanceTests: XCTestCase {
    private func relative(_ diagnostics: [Diagnostic], _ fixture: Fixture) -> [String] {
        diagnostics.map { $0.description.replacingOccurrences(of: fixture.root.path + "/Content/", with: "") }
    }

    func testSourcesAndCheckedAreKnownFrontMatterKeys() throws {
        let fixture = try Fixture([
            "lambda/a.md": "---\nsources:\n  - https://docs.aws.amazon.com/lambda/latest/dg/welcome.html\n  - https://example.org/b\nchecked: 2026-11-30\n---\n# A\n",
            "lambda/b.md": "---\nsources: https://docs.aws.amazon.com/lambda/\n---\n# B\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(relative(diagnostics, fixture), [])
        let page = set.page("lambda/a.md")!
        XCTAssertEqual(page.provenance.sources, ["https://docs.aws.amazon.com/lambda/latest/dg/welcome.html", "https://example.org/b"])
        XCTAssertEqual(page.provenance.checked?.description, "2026-11-30")
        XCTAssertEqual(page.provenance.line, 5)
        XCTAssertEqual(set.page("lambda/b.md")!.provenance.sources, ["https://docs.aws.amazon.com/lambda/"])
    }

    func testBadSourcesAndDatesAreErrorsAtTheirLine() throws {
        let fixture = try Fixture([
            "lambda/b.md": "---\ntitle: B\nsources:\n  - javascript:alert(1)\n  - ../s3/overview.md\n  - https://ok.example/\nchecked: 2026-02-30\n---\n# B\n",
            "lambda/c.md": "---\nchecked: 30.11.2026\n---\n# C\n",
            "lambda/d.md": "---\nchecked: [2026-11-30]\nsources: {a: b}\n---\n# D\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(relative(diagnostics, fixture), [
            "lambda/b.md:4:5: error: source 'javascript:alert(1)' is not allowed (unsafe URL scheme)",
            "lambda/b.md:5:5: error: source '../s3/overview.md' must be an absolute http or https URL",
            "lambda/b.md:7:10: error: 'checked' must be a date written YYYY-MM-DD, not '2026-02-30'",
            "lambda/c.md:2:10: error: 'checked' must be a date written YYYY-MM-DD, not '30.11.2026'",
            "lambda/d.md:2:10: error: 'checked' must be text",
            "lambda/d.md:3:10: error: 'sources' must be a list of URLs",
        ])
        XCTAssertEqual(set.page("lambda/b.md")!.provenance.sources, ["https://ok.example/"])
        XCTAssertNil(set.page("lambda/b.md")!.provenance.checked)
    }

    func testCheckedDatesAreRealCalendarDays() {
        XCTAssertNotNil(CheckedDate("2024-02-29"))
        XCTAssertNil(CheckedDate("2026-02-29"))
        XCTAssertNil(CheckedDate("2026-13-01"))
        XCTAssertNil(CheckedDate("2026-1-01"))
        XCTAssertNil(CheckedDate("+026-11-30"))
        XCTAssertEqual(CheckedDate("2026-08-31")!.adding(months: 6).description, "2027-02-28")
        XCTAssertEqual(CheckedDate("2026-11-30")!.adding(months: -12).description, "2025-11-30")
        XCTAssertEqual(CheckedDate("2026-11-30")!.spelled, "30 November 2026")
    }
}
