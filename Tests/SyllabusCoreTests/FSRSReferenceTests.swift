import Foundation
import XCTest
@testable import SyllabusCore

/// The practice page's scheduler (`assets/practice.js`, run in headless Chromium) against the
/// reference implementation of FSRS-6, the `fsrs` package from PyPI (in `ANKI_PYTHON`'s venv),
/// over the same fixed reviews: every review must give the same state, step, stability and
/// difficulty, and a due time within a second.
final class FSRSReferenceTests: XCTestCase {
    /// Cards, each a list of reviews: (rating 1–4, seconds since the card's previous review).
    /// They walk every path: learning steps (Again, Hard on the first step, Good, Easy),
    /// graduating, reviews on time, early, late and on the same day, lapses into relearning
    /// and back.
    static let sequences: [[(rating: Int, after: Double)]] = [
        [(3, 0), (3, 60), (3, 600), (3, 3 * 86400), (1, 10 * 86400), (3, 600), (3, 86400), (4, 20 * 86400), (2, 40 * 86400)],
        [(1, 0), (2, 60), (2, 300), (3, 360), (3, 600), (3, 2 * 86400), (2, 43200), (1, 5 * 86400), (1, 600), (4, 700)],
        [(4, 0), (3, 5 * 86400), (3, 30 * 86400), (1, 100 * 86400), (2, 300), (3, 900), (3, 86400 + 3600), (3, 365 * 86400)],
        [(2, 0), (1, 30), (3, 60), (4, 120), (3, 1.5 * 86400), (3, 0.2 * 86400), (4, 3 * 86400), (1, 2 * 86400), (3, 601)],
        [(3, 0), (4, 600), (3, 3600), (3, 12 * 3600), (3, 7 * 86400 + 1), (2, 86399), (4, 200 * 86400)],
    ]
    /// 2026-01-05 08:30:00 UTC, in milliseconds.
    static let start: Double = 1_767_601_800_000

    struct Step: Decodable, Equatable {
        var state: Int
        var step: Int?
        var s: Double
        var d: Double
        var due: Double
    }

    func testSchedulerMatchesPyFSRS() throws {
        let python = try Self.fsrsPython()
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let work = try EndToEndSupport.temporaryFolder("fsrs")
        defer { try? FileManager.default.removeItem(at: work) }
        let reviews = Self.sequences.map { $0.map { [Double($0.rating), $0.after] } }
        let input = String(decoding: try JSONSerialization.data(withJSONObject: ["start": Self.start, "cards": reviews]), as: UTF8.self)

        // The reference, without fuzz (a random spread of intervals).
        let script = """
            import json, sys
            from datetime import datetime, timedelta, timezone
            from fsrs import Scheduler, Card, Rating
            data = json.loads(sys.argv[1])
            scheduler = Scheduler(enable_fuzzing=False, desired_retention=0.9)
            out = []
            for reviews in data["cards"]:
                card, when, steps = Card(), datetime.fromtimestamp(data["start"] / 1000, timezone.utc), []
                for rating, after in reviews:
                    when = when + timedelta(seconds=after)
                    card, _ = scheduler.review_card(card, Rating(int(rating)), when)
                    steps.append({"state": int(card.state), "step": card.step, "s": card.stability, "d": card.difficulty,
                                  "due": card.due.timestamp() * 1000})
                out.append(steps)
            print(json.dumps(out))
            """
        let reference = try EndToEndSupport.run(python, ["-c", script, input], timeout: 60)
        XCTAssertEqual(reference.status, 0, reference.err)
        let expected = try JSONDecoder().decode([[Step]].self, from: Data(reference.out.utf8))

        // The site's scheduler, from a built site's assets.
        try EndToEndSupport.writeFixture(PracticePageTests.fixture, in: work)
        try EndToEndSupport.build(in: work)
        let page = work.appendingPathComponent("Output/site/fsrs-harness.html")
        try """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>FSRS</title></head><body>
            <script src="assets/practice.js"></script>
            <script>
            var data = \(input), scheduler = new SyllabusFSRS.Scheduler({ fuzz: false, desiredRetention: 0.9 }), out = [];
            data.cards.forEach(function (reviews) {
              var card = null, when = data.start, steps = [];
              reviews.forEach(function (review) {
                when += review[1] * 1000;
                card = scheduler.review(card, review[0], when);
                steps.push({ state: card.state, step: card.step, s: card.s, d: card.d, due: card.due });
              });
              out.push(steps);
            });
            var pre = document.createElement("pre"); pre.id = "result"; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
            </script></body></html>
            """.write(to: page, atomically: true, encoding: .utf8)
        let dom = try PracticePageTests.dumpDOM(page, chromium: chromium)
        let marker = try XCTUnwrap(dom.range(of: "<pre id=\"result\">"), "the harness wrote nothing: \(dom)")
        let json = dom[marker.upperBound...].prefix { $0 != "<" }
        let actual = try JSONDecoder().decode([[Step]].self, from: Data(json.utf8))

        XCTAssertEqual(actual.count, expected.count)
        var compared = 0
        for (card, (mine, theirs)) in zip(actual, expected).enumerated() {
            XCTAssertEqual(mine.count, theirs.count)
            for (review, (a, b)) in zip(mine, theirs).enumerated() {
                let place = "card \(card + 1), review \(review + 1)"
                XCTAssertEqual(a.state, b.state, "state, \(place)")
                XCTAssertEqual(a.step, b.step, "step, \(place)")
                XCTAssertEqual(a.s, b.s, accuracy: 1e-9 * max(1, b.s), "stability, \(place)")
                XCTAssertEqual(a.d, b.d, accuracy: 1e-9, "difficulty, \(place)")
                XCTAssertEqual(a.due, b.due, accuracy: 1000, "due time, \(place): \(a.due) vs \(b.due)")
                compared += 1
            }
        }
        XCTAssertEqual(compared, Self.sequences.map(\.count).reduce(0, +))
        // The sequences reach every state and long intervals, or the comparison proves little.
        XCTAssertEqual(Set(expected.joined().map(\.state)), [1, 2, 3])
        XCTAssertGreaterThan(expected.joined().map { $0.s }.max() ?? 0, 100)
    }

    /// The Python in `ANKI_PYTHON` (the test venv), which must have `fsrs` 6.x, the FSRS-6 reference.
    static func fsrsPython() throws -> String {
        guard let python = ProcessInfo.processInfo.environment["ANKI_PYTHON"], !python.isEmpty else {
            throw missingTool("ANKI_PYTHON is not set (a Python venv with `pip install anki fsrs`)")
        }
        let probe = try? EndToEndSupport.run(python, ["-c", "import importlib.metadata as m, fsrs; print(m.version('fsrs'))"], timeout: 30)
        guard let probe, probe.status == 0 else {
            throw missingTool("ANKI_PYTHON=\(python) cannot import fsrs: \(probe?.err ?? "does not run")")
        }
        let version = probe.out.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(version.hasPrefix("6."), "fsrs \(version) is not FSRS-6")
        return python
    }
}
