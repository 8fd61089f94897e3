import Foundation
import XCTest
@testable import SyllabusCore

/// End-to-end: the practice page of a site built by the `syllabus` executable, run in headless
/// Chromium from `file://`. Interaction is driven by a harness page the test writes next to
/// practice/index.html: the same markup and scripts, then a script that clicks, presses keys,
/// moves the clock and reloads, and writes what the page showed into the DOM, which
/// `--dump-dom` returns.
final class PracticePageTests: BuiltSiteTestCase {
    static let fixture: [String: String] = [
        "Content/services.yml": Fixture.plainServices + """
            - id: sqs
              name: Amazon Simple Queue Service
              short: SQS
              category: Integration

            """,
        "syllabus.yml": "title: Practice fixture\ndeck: Fixture\noutputs: [site]\nnew_cards_per_day: 3\n",
        "Content/lambda/lambda.cards.md": """
            # Lambda cards

            ## Lambda writes temporary files to {{c1::/tmp}}, up to {{c1::10 GB}}.

            Ephemeral storage of the execution environment.

            ## What is the maximum timeout of a Lambda function?

            **15 minutes**.

            ## The default timeout is {{c1::3 seconds::duration}}.

            Raise it per function.

            """,
        "Content/lambda/limits.md": """
            # Lambda limits

            ## Timeout

            Up to 15 minutes.

            ## Ephemeral storage

            The temporary directory holds up to 10 GB.

            """,
        "Content/sqs/sqs.cards.md": """
            # SQS cards

            ## Messages stay {{c1::4 days}} by default, up to ==14 days==.

            Set MessageRetentionPeriod.

            """,
        "Content/s3/s3.cards.md": """
            # S3 cards

            ## What is the largest object S3 stores?

            5 TB.

            """,
    ]

    static let questions = [
        "Lambda writes temporary files to <span class=\"cloze\">[…]</span>, up to <span class=\"cloze\">[…]</span>.",
        "What is the maximum timeout of a Lambda function?",
        "The default timeout is <span class=\"cloze\">[duration]</span>.",
        "What is the largest object S3 stores?",
    ]

    override class var siteFixture: (name: String, files: [String: String]) { ("practice", fixture) }

    var practice: URL { work.appendingPathComponent("Output/site/practice") }

    /// After load: the first new card's question with cloze blanks, its answer hidden, Reveal
    /// collapsed; the daily limit of new cards counted; every deck on the one page; the old
    /// per-deck addresses forward to it.
    func testPageShowsFirstQuestionWithBlanksAndHidesAnswer() throws {
        let dom = try dumpDOM(practice.appendingPathComponent("index.html"))
        XCTAssertEqual(try element("data-question", in: dom).content, Self.questions[0])
        XCTAssertFalse(dom.contains("{{c"), "no raw cloze markup reaches the page text")
        let answer = try element("data-answer", in: dom)
        XCTAssertTrue(answer.attributes.contains("hidden"), "answer hidden until revealed: \(answer.attributes)")
        let answerText = try element("data-answer-text", in: dom).content
        XCTAssertTrue(answerText.contains("<mark class=\"cloze\">/tmp</mark>"), answerText)
        XCTAssertTrue(answerText.contains("Ephemeral storage"), answerText)
        let reveal = try element("data-reveal", in: dom)
        XCTAssertEqual(reveal.content, "Reveal")
        XCTAssertTrue(reveal.attributes.contains("aria-expanded=\"false\""), reveal.attributes)
        XCTAssertEqual(try element("data-status", in: dom).content, "0 due · 3 new · 0 learning · 0 learned", "3 new cards a day (syllabus.yml)")
        XCTAssertEqual(try element("data-service", in: dom).content, "Lambda")
        XCTAssertTrue(try element("data-picker", in: dom).attributes.contains("data-picker"))
        XCTAssertFalse(try element("data-picker", in: dom).attributes.contains("open"), "the deck picker starts collapsed")
        for deck in ["all", "lambda", "s3"] { XCTAssertTrue(dom.contains("href=\"#\(deck)\" data-deck-link=\"\(deck)\""), deck) }

        // The answer links to the note that explains it, not to the flashcard list.
        let source = try element("data-source", in: dom)
        XCTAssertTrue(source.attributes.contains("href=\"../lambda/limits.html#ephemeral-storage\""), source.attributes)
        XCTAssertEqual(source.content, "Explained in “Lambda limits”")

        // A deck chosen by the hash holds only its cards; an old address lands there.
        let s3 = try dumpDOM(practice.appendingPathComponent("s3.html"))
        XCTAssertEqual(try element("data-question", in: s3).content, Self.questions[3])
        XCTAssertEqual(try element("data-deck-title", in: s3).content, "Amazon Simple Storage Service")
        XCTAssertEqual(try element("data-status", in: s3).content, "0 due · 1 new · 0 learning · 0 learned")
        XCTAssertTrue(try String(contentsOf: practice.appendingPathComponent("all.html"), encoding: .utf8).contains("url=index.html#all"))
    }

    /// Reveal and ratings (buttons and keys), learning steps, due cards first, the daily new
    /// limit, missed cards, a reload that keeps everything, and export then import.
    func testRatingsReloadAndExportImport() throws {
        let results = try runHarness(Self.harness)
        XCTAssertEqual(results.errors, [])
        let states = Dictionary(results.states.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        func state(_ label: String, file: StaticString = #filePath, line: UInt = #line) throws -> HarnessState {
            try XCTUnwrap(states[label], "no state \(label) (have \(results.states.map(\.label)))", file: file, line: line)
        }
        let q = Self.questions

        let load = try state("load")
        XCTAssertEqual([load.question, load.status], [q[0], "0 due · 3 new · 0 learning · 0 learned"])
        XCTAssertTrue(load.answerHidden)
        XCTAssertEqual([load.reveal, load.expanded], ["Reveal", "false"])
        XCTAssertTrue(load.ratingsHidden)
        XCTAssertEqual(try state("rate-before-reveal").question, q[0], "no rating before the answer is shown")

        let revealed = try state("reveal")
        XCTAssertFalse(revealed.answerHidden)
        XCTAssertEqual([revealed.reveal, revealed.expanded], ["Hide", "true"])
        XCTAssertFalse(revealed.ratingsHidden)
        // FSRS-6 defaults: learning steps of 1 and 10 minutes, Hard halfway, Easy S0(4) = 8.3 days
        // spread by the fuzz to 6–10 days.
        XCTAssertEqual(Array(revealed.waits.prefix(3)), ["1 min", "6 min", "10 min"])
        XCTAssertTrue((6...10).map { "\($0) days" }.contains(revealed.waits[3]), revealed.waits[3])
        // Touch: a swipe does not rate a card whose answer is hidden; a tap reveals it.
        XCTAssertEqual(try state("swipe-before-reveal").question, q[2])
        XCTAssertTrue(try state("swipe-before-reveal").answerHidden)
        XCTAssertFalse(try state("reveal-third").answerHidden, "a tap on the card reveals it")
        // The wait a button shows is the one it gives.
        XCTAssertEqual(try state("reveal-third").waits[3], "\(Int(results.easyDays)) days")
        XCTAssertEqual(results.easyDays, results.easyDays.rounded(), "a review interval is whole days")
        XCTAssertTrue(try state("hide").answerHidden, "Reveal toggles")
        XCTAssertEqual(try state("hide").reveal, "Reveal")

        XCTAssertEqual(try state("good").question, q[1])
        XCTAssertEqual(try state("good").status, "0 due · 2 new · 1 learning · 0 learned")
        XCTAssertTrue(try state("good").answerHidden, "a new card starts with its answer hidden")
        XCTAssertEqual(try state("again").question, q[2])
        // Three new cards rated: the fourth waits for tomorrow and nothing is due, so no card is
        // shown (not the one in its 1-minute step, early): the page says when the next one is due,
        // and the counts say the same (two cards in their learning steps, one past them).
        let easy = try state("easy")
        XCTAssertEqual(easy.status, "0 due · 0 new · 2 learning · 1 learned")
        XCTAssertTrue(easy.cardHidden, "no card is shown while none is due")
        XCTAssertTrue(easy.controlsHidden, "no Reveal without a card")
        XCTAssertEqual(easy.done, "Nothing to review in this deck right now. The next card is due in 1 min. Today's 3 new cards are done.")
        // Left open, the page shows that card when it is due.
        XCTAssertTrue(try state("waiting").cardHidden)
        let woken = try state("woken")
        XCTAssertFalse(woken.cardHidden, "the card due while the page was open is shown")
        XCTAssertFalse(woken.controlsHidden)
        XCTAssertEqual([woken.question, woken.status], [q[1], "1 due · 0 new · 2 learning · 1 learned"])
        // An hour later both learning cards are due, the earlier first.
        let later = try state("an-hour-later")
        XCTAssertEqual([later.question, later.status], [q[1], "2 due · 0 new · 2 learning · 1 learned"])
        let missed = try state("missed")
        XCTAssertEqual([missed.question, missed.status], [q[1], "2 due · 0 new · 2 learning · 1 learned · missed cards only"])
        XCTAssertEqual(results.missedCount, 1)
        let s3 = try state("s3-deck")
        XCTAssertTrue(s3.cardHidden, "no card: S3's one card is new and today's new cards are done")
        XCTAssertTrue(s3.done.contains("Today's 3 new cards are done."), s3.done)
        XCTAssertEqual(s3.status, "0 due · 0 new · 0 learning · 0 learned")

        // Stored by GUID, as in the Anki export.
        XCTAssertEqual(results.storedGUIDs.count, 3)
        let anki = try String(contentsOf: work.appendingPathComponent("Output/site/practice/index.html"), encoding: .utf8)
        for guid in results.storedGUIDs { XCTAssertTrue(anki.contains("\"g\":\"\(guid)\""), guid) }

        let reloaded = try state("reloaded")
        XCTAssertEqual(reloaded.status, "0 due · 0 new · 2 learning · 1 learned", "progress survives the reload")
        // The home page counts the same way (its due count follows the real clock, not the harness's).
        XCTAssertTrue(results.homeCounts.hasSuffix(" · 2 learning · 1 learned"), results.homeCounts)
        XCTAssertTrue(results.storageKept, "localStorage after the reload is what it was before")

        XCTAssertEqual(try state("cleared").status, "0 due · 3 new · 0 learning · 0 learned", "no progress once storage is cleared")
        let imported = try state("imported")
        XCTAssertEqual(imported.status, "0 due · 0 new · 2 learning · 1 learned")
        XCTAssertEqual(imported.message, "Imported the progress of 3 cards.")
        XCTAssertTrue(results.roundTrip, "the imported progress is the exported one")
        XCTAssertTrue(results.exportName.hasPrefix("syllabus-progress-") && results.exportName.hasSuffix(".json"), results.exportName)
        XCTAssertEqual(try state("imported-again").message, "Imported the progress of 0 cards.", "importing twice changes nothing")
        XCTAssertEqual(try state("bad-import").message, "Could not import notes.json: the file is not Syllabus progress.")
    }

    /// At 390×844 (a phone) the question, Reveal and, once revealed, the ratings are on the
    /// first screen, with the bundled study set's longest question; nothing is wider than the screen.
    func testPhoneViewportShowsCardAndControlsOnFirstScreen() throws {
        let bundled = try EndToEndSupport.temporaryFolder("practice-phone")
        try? FileManager.default.removeItem(at: work)
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Content"), to: bundled.appendingPathComponent("Content"))
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("syllabus.yml"), to: bundled.appendingPathComponent("syllabus.yml"))
        try EndToEndSupport.build(in: bundled)
        work = bundled
        let results = try runHarness(Self.phoneHarness, frame: (390, 844))
        XCTAssertEqual(results.errors, [])
        XCTAssertEqual(results.viewport, [390, 844])
        XCTAssertGreaterThan(results.cardsMeasured, 100)
        XCTAssertLessThanOrEqual(results.scrollWidth, 390, "nothing wider than the screen")
        XCTAssertLessThanOrEqual(results.worstQuestionBottom, 844, "the longest question ends on the first screen")
        XCTAssertLessThanOrEqual(results.worstRevealBottom, 844, "Reveal is on the first screen")
        XCTAssertLessThanOrEqual(results.ratingsBottom, 844, "the ratings are on the first screen, however long the answer")
        XCTAssertFalse(results.pickerOpen, "the deck picker is collapsed")
        XCTAssertLessThan(results.titleTop, results.questionTop)
        XCTAssertEqual(results.keyHintsShown, !results.coarsePointer, "keyboard hints only where there is a keyboard")
    }

    /// A cloze note with deletions c1 and c2 is two practice cards, as in Anki: each hides its
    /// own deletion and shows the other's text, and each is scheduled on its own.
    func testClozeNoteIsOnePracticeCardPerDeletionNumber() throws {
        let results = try runHarness(Self.clozeHarness)
        XCTAssertEqual(results.errors, [])
        let states = Dictionary(results.states.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        let first = try XCTUnwrap(states["first"]), second = try XCTUnwrap(states["second"]), done = try XCTUnwrap(states["done"])
        XCTAssertEqual(first.question, "Messages stay <span class=\"cloze\">[…]</span> by default, up to 14 days.")
        XCTAssertEqual(first.status, "0 due · 2 new · 0 learning · 0 learned")
        XCTAssertTrue(results.answers.first?.hasPrefix("Messages stay <mark class=\"cloze\">4 days</mark> by default, up to 14 days.") ?? false, "\(results.answers)")
        XCTAssertEqual(second.question, "Messages stay 4 days by default, up to <span class=\"cloze\">[…]</span>.")
        XCTAssertEqual(second.status, "0 due · 1 new · 0 learning · 1 learned", "the first gap was rated on its own")
        XCTAssertTrue(results.answers.last?.hasPrefix("Messages stay 4 days by default, up to <mark class=\"cloze\">14 days</mark>.") ?? false, "\(results.answers)")
        XCTAssertTrue(done.cardHidden)
        XCTAssertEqual(done.status, "0 due · 0 new · 0 learning · 2 learned")

        // Progress is kept per gap: the note's GUID for c1 (as before, when the note was one
        // card), the GUID and "::c2" for c2; the deck, service and home pages count two cards.
        let page = try String(contentsOf: practice.appendingPathComponent("index.html"), encoding: .utf8)
        let guid = try XCTUnwrap(results.storedGUIDs.min(by: { $0.count < $1.count }))
        XCTAssertEqual(results.storedGUIDs.sorted(), [guid, guid + "::c2"])
        XCTAssertTrue(page.contains("data-deck-link=\"sqs\">SQS <span class=\"count\">2</span>"), "the deck counts two cards")
        for file in ["Output/site/sqs/index.html", "Output/site/index.html"] {
            let html = try String(contentsOf: work.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(html.contains("data-progress-cards=\"\(guid) \(guid)::c2\""), file)
        }
    }

    // MARK: Harness

    struct HarnessState: Decodable {
        var label, question, status, reveal, expanded, done, message: String
        var answerHidden, ratingsHidden, cardHidden, controlsHidden: Bool
        var waits: [String]
    }

    struct HarnessResults: Decodable {
        var states: [HarnessState] = []
        var errors: [String] = []
        var storedGUIDs: [String] = []
        var missedCount = 0
        var storageKept = false, roundTrip = false
        var exportName = "", homeCounts = ""
        var answers: [String] = []
        var easyDays = 0.0
        // Phone layout.
        var viewport: [Int] = []
        var cardsMeasured = 0
        var scrollWidth = 0.0, worstQuestionBottom = 0.0, worstRevealBottom = 0.0, ratingsBottom = 0.0
        var titleTop = 0.0, questionTop = 0.0
        var pickerOpen = true, keyHintsShown = false, coarsePointer = false

        enum CodingKeys: CodingKey {
            case states, errors, answers, storedGUIDs, missedCount, storageKept, roundTrip, exportName, homeCounts, easyDays, viewport, cardsMeasured
            case scrollWidth, worstQuestionBottom, worstRevealBottom, ratingsBottom, titleTop, questionTop, pickerOpen, keyHintsShown, coarsePointer
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            states = try c.decodeIfPresent([HarnessState].self, forKey: .states) ?? []
            errors = try c.decodeIfPresent([String].self, forKey: .errors) ?? []
            storedGUIDs = try c.decodeIfPresent([String].self, forKey: .storedGUIDs) ?? []
            answers = try c.decodeIfPresent([String].self, forKey: .answers) ?? []
            missedCount = try c.decodeIfPresent(Int.self, forKey: .missedCount) ?? 0
            storageKept = try c.decodeIfPresent(Bool.self, forKey: .storageKept) ?? false
            roundTrip = try c.decodeIfPresent(Bool.self, forKey: .roundTrip) ?? false
            exportName = try c.decodeIfPresent(String.self, forKey: .exportName) ?? ""
            homeCounts = try c.decodeIfPresent(String.self, forKey: .homeCounts) ?? ""
            easyDays = try c.decodeIfPresent(Double.self, forKey: .easyDays) ?? 0
            viewport = try c.decodeIfPresent([Int].self, forKey: .viewport) ?? []
            cardsMeasured = try c.decodeIfPresent(Int.self, forKey: .cardsMeasured) ?? 0
            scrollWidth = try c.decodeIfPresent(Double.self, forKey: .scrollWidth) ?? 0
            worstQuestionBottom = try c.decodeIfPresent(Double.self, forKey: .worstQuestionBottom) ?? 0
            worstRevealBottom = try c.decodeIfPresent(Double.self, forKey: .worstRevealBottom) ?? 0
            ratingsBottom = try c.decodeIfPresent(Double.self, forKey: .ratingsBottom) ?? 0
            titleTop = try c.decodeIfPresent(Double.self, forKey: .titleTop) ?? 0
            questionTop = try c.decodeIfPresent(Double.self, forKey: .questionTop) ?? 0
            pickerOpen = try c.decodeIfPresent(Bool.self, forKey: .pickerOpen) ?? true
            keyHintsShown = try c.decodeIfPresent(Bool.self, forKey: .keyHintsShown) ?? false
            coarsePointer = try c.decodeIfPresent(Bool.self, forKey: .coarsePointer) ?? false
        }
    }

    /// Writes practice/harness.html (index.html with `harness` after its scripts and an error
    /// collector before them), runs it and decodes what it wrote.
    /// With `frame` (width, height), the harness runs in a frame of that size: headless
    /// Chromium makes no window narrower than 500 pixels, a frame can be a phone's 390.
    func runHarness(_ harness: String, frame: (width: Int, height: Int)? = nil) throws -> HarnessResults {
        let page = try String(contentsOf: practice.appendingPathComponent("index.html"), encoding: .utf8)
        let library = "<script src=\"../assets/practice.js\"></script>"
        XCTAssertTrue(page.contains(library))
        let harnessPage = page.replacingOccurrences(of: "<script src=\"../assets/syllabus.js\"></script>", with: """
            <script>window.HARNESS_ERRORS = []; window.addEventListener("error", function (e) { HARNESS_ERRORS.push(String(e.message)); });</script>
            <script src="../assets/syllabus.js"></script>
            """).replacingOccurrences(of: library, with: "\(library)\n<script>\(Self.common)\n\(harness)</script>")
        let harnessURL = practice.appendingPathComponent("harness.html")
        try harnessPage.write(to: harnessURL, atomically: true, encoding: .utf8)
        var target = harnessURL
        if let frame {
            target = practice.appendingPathComponent("harness-frame.html")
            try """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>Frame</title>
                <style>body { margin: 0; } iframe { border: 0; display: block; }</style></head>
                <body><iframe src="harness.html" width="\(frame.width)" height="\(frame.height)" title="phone"></iframe></body></html>
                """.write(to: target, atomically: true, encoding: .utf8)
        }
        let dom = try dumpDOM(target)
        let encoded = try element("id=\"harness-results\"", in: dom).content
        let json = try XCTUnwrap(encoded.removingPercentEncoding, "harness did not finish: \(encoded)")
        return try JSONDecoder().decode(HarnessResults.self, from: Data(json.utf8))
    }

    /// What every harness shares: recording the page's state and writing the results.
    static let common = """
        var section = document.querySelector("[data-practice]");
        function part(name) { return section.querySelector("[data-" + name + "]"); }
        function record(results, label) {
          var reveal = part("reveal");
          results.states.push({ label: label, question: part("question").innerHTML, status: part("status").textContent,
            reveal: reveal.textContent, expanded: reveal.getAttribute("aria-expanded"), done: part("done").textContent,
            message: part("message").textContent, answerHidden: part("answer").hidden, ratingsHidden: part("ratings").hidden,
            cardHidden: part("card").hidden, controlsHidden: section.querySelector(".controls").hidden,
            waits: Array.prototype.map.call(section.querySelectorAll("[data-wait]"), function (w) { return w.textContent; }) });
        }
        function key(name, target) {
          var event = new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true });
          (target || document.body).dispatchEvent(event);
          return event.defaultPrevented;
        }
        // A finger on the card: down, then up `dx`, `dy` pixels away (0, 0 is a tap).
        function swipe(dx, dy) {
          var card = part("card");
          card.dispatchEvent(new PointerEvent("pointerdown", { pointerType: "touch", bubbles: true, clientX: 100, clientY: 100 }));
          card.dispatchEvent(new PointerEvent("pointerup", { pointerType: "touch", bubbles: true, clientX: 100 + dx, clientY: 100 + dy }));
        }
        function go(hash) { location.hash = hash; window.dispatchEvent(new HashChangeEvent("hashchange")); }
        function finish(results) {
          var out = document.createElement("pre");
          out.id = "harness-results";
          out.textContent = encodeURIComponent(JSON.stringify(results));
          // In a frame (the phone test), the results go to the page Chromium dumps.
          (window.parent !== window ? parent.document : document).body.appendChild(out);
        }
        """

    static let harness = """
        (function () {
          var practice = window.SyllabusPractice, storeKey = practice.progress.key;
          var phase = sessionStorage.getItem("harness-phase");
          var results = phase ? JSON.parse(sessionStorage.getItem("harness-results")) : { states: [], errors: [] };
          // A fixed clock at noon today, so a run near midnight counts new cards on one day.
          var noon = new Date(); noon.setHours(12, 0, 0, 0);
          function at(ms) { practice.now = function () { return noon.getTime() + ms; }; }
          results.errors = results.errors.concat(window.HARNESS_ERRORS);
          try {
            if (!phase) {
              localStorage.clear();
              at(0);
              practice.progress.data = practice.progress.read();
              practice.refresh();
              record(results, "load");
              key("3"); record(results, "rate-before-reveal");
              key(" "); record(results, "reveal");
              section.querySelector("[data-reveal]").click(); record(results, "hide");
              section.querySelector("[data-reveal]").click();
              section.querySelector('[data-rating="3"]').click(); record(results, "good");
              key(" "); key("1"); record(results, "again");
              swipe(-120, 5); record(results, "swipe-before-reveal");
              swipe(0, 0); record(results, "reveal-third");
              var third = window.SYLLABUS_PRACTICE.cards[2].g;
              key("4"); record(results, "easy");
              results.easyDays = (practice.progress.card(third).due - noon.getTime()) / 86400000;
              // A running clock 300 ms before the second card's 1-minute step ends: the page,
              // left open, shows that card when it is due.
              var second = window.SYLLABUS_PRACTICE.cards[1].g, start = performance.now();
              var waitFrom = practice.progress.card(second).due - 300;
              practice.now = function () { return waitFrom + (performance.now() - start); };
              practice.refresh(); record(results, "waiting");
              setTimeout(guarded(function () { record(results, "woken"); afterWaking(); }), 1500);
              return;
            }
            // Half a minute after the reviews: the card in its 1-minute step is not due yet.
            at(30 * 1000);
            practice.refresh();
            record(results, "reloaded");
            results.storageKept = localStorage.getItem(storeKey) === sessionStorage.getItem("harness-storage");
            // The home page, in a frame, shows the same stored progress.
            var home = document.createElement("iframe");
            home.onload = guarded(function () {
              var counts = home.contentDocument.querySelector('a[href="lambda/index.html"] [data-progress-cards]');
              results.homeCounts = counts ? counts.textContent : "no counts on the home page";
              exportAndImport();
            });
            home.src = "../index.html";
            document.body.appendChild(home);
          } catch (error) {
            results.errors.push("harness: " + error.message);
            finish(results);
          }
          function guarded(step) {
            return function () {
              try { step(); } catch (error) { results.errors.push("harness: " + error.message); finish(results); }
            };
          }
          function afterWaking() {
              at(3600 * 1000);
              practice.refresh(); record(results, "an-hour-later");
              go("#all/missed"); record(results, "missed");
              results.missedCount = section.querySelector("[data-card]").hidden ? 0 : 1;
              go("#s3"); record(results, "s3-deck");
              go("#all");
              results.storedGUIDs = Object.keys(JSON.parse(localStorage.getItem(storeKey)).cards);
              sessionStorage.setItem("harness-phase", "reloaded");
              sessionStorage.setItem("harness-storage", localStorage.getItem(storeKey));
              sessionStorage.setItem("harness-results", JSON.stringify(results));
              location.reload();
          }
          function exportAndImport() {
            var blob = null;
            URL.createObjectURL = function (b) { blob = b; return "blob:harness"; };
            var clicked = null;
            HTMLAnchorElement.prototype.click = function () { clicked = this.download; };
            section.querySelector("[data-export]").click();
            results.exportName = clicked || "";
            blob.text().then(function (exported) {
              localStorage.removeItem(storeKey);
              practice.progress.data = practice.progress.read();
              practice.refresh(); record(results, "cleared");
              var input = section.querySelector("[data-import]");
              function upload(name, text, label, then) {
                var files = new DataTransfer();
                files.items.add(new File([text], name, { type: "application/json" }));
                input.files = files.files;
                part("message").textContent = "";
                input.dispatchEvent(new Event("change"));
                (function wait() {
                  if (!part("message").textContent) return setTimeout(wait, 10);
                  record(results, label); then();
                })();
              }
              upload("progress.json", exported, "imported", function () {
                results.roundTrip = JSON.stringify(JSON.parse(localStorage.getItem(storeKey)).cards) === JSON.stringify(JSON.parse(exported).cards);
                upload("progress.json", exported, "imported-again", function () {
                  upload("notes.json", "{\\"cards\\": {}}", "bad-import", function () { finish(results); });
                });
              });
            }).catch(function (error) { results.errors.push("harness: " + error.message); finish(results); });
          }
        })();
        """

    /// The SQS deck: its one cloze note's two gaps, each revealed and rated Easy.
    static let clozeHarness = """
        (function () {
          var results = { states: [], errors: window.HARNESS_ERRORS, answers: [] };
          try {
            var practice = window.SyllabusPractice, noon = new Date();
            noon.setHours(12, 0, 0, 0);
            practice.now = function () { return noon.getTime(); };
            localStorage.clear();
            practice.progress.data = practice.progress.read();
            go("#sqs"); record(results, "first");
            key(" "); results.answers.push(part("answer-text").innerHTML); key("4"); record(results, "second");
            key(" "); results.answers.push(part("answer-text").innerHTML); key("4"); record(results, "done");
            results.storedGUIDs = Object.keys(JSON.parse(localStorage.getItem(practice.progress.key)).cards);
          } catch (error) {
            results.errors.push("harness: " + error.message);
          }
          finish(results);
        })();
        """

    /// Shows every card of the bundled set in turn, question then answer, and measures where
    /// things end.
    static let phoneHarness = """
        (function () {
          var results = { states: [], errors: window.HARNESS_ERRORS, viewport: [innerWidth, innerHeight], cardsMeasured: 0,
                          worstQuestionBottom: 0, worstRevealBottom: 0, ratingsBottom: 0, scrollWidth: document.documentElement.scrollWidth };
          try {
            var data = window.SYLLABUS_PRACTICE, practice = window.SyllabusPractice;
            var question = part("question"), reveal = part("reveal"), answer = part("answer-text");
            results.pickerOpen = part("picker").open;
            results.titleTop = section.querySelector("h1").getBoundingClientRect().top;
            results.questionTop = question.getBoundingClientRect().top;
            var hints = section.querySelector(".key-hints");
            results.keyHintsShown = getComputedStyle(hints).display !== "none";
            results.coarsePointer = matchMedia("(hover: none) and (pointer: coarse)").matches;
            data.cards.forEach(function (card) {
              if (!part("answer").hidden) key(" ");
              question.innerHTML = card.q;
              answer.innerHTML = card.a;
              results.worstQuestionBottom = Math.max(results.worstQuestionBottom, question.getBoundingClientRect().bottom);
              results.worstRevealBottom = Math.max(results.worstRevealBottom, reveal.getBoundingClientRect().bottom);
              key(" ");
              results.ratingsBottom = Math.max(results.ratingsBottom, part("ratings").getBoundingClientRect().bottom);
              results.scrollWidth = Math.max(results.scrollWidth, document.documentElement.scrollWidth);
              results.cardsMeasured += 1;
            });
          } catch (error) {
            results.errors.push("harness: " + error.message);
          }
          finish(results);
        })();
        """

    func dumpDOM(_ file: URL) throws -> String {
        try Self.dumpDOM(file, chromium: chromium)
    }

    /// The DOM after the page's scripts ran (in a fresh profile, so no stored progress).
    static func dumpDOM(_ file: URL, chromium: String) throws -> String {
        let profile = try EndToEndSupport.temporaryFolder("chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "--virtual-time-budget=5000",
                         "--user-data-dir=\(profile.path)", "--allow-file-access-from-files"]
        let result = try EndToEndSupport.run(chromium, arguments + [file.absoluteString], timeout: 60)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("</html>"), "chromium dumped no DOM: \(result.err)")
        return result.out
    }

    /// The first element whose start tag contains `marker`: its start tag's attributes and its
    /// content up to the next closing tag of the same name (no nesting of that name inside).
    func element(_ marker: String, in dom: String, file: StaticString = #filePath, line: UInt = #line) throws -> (attributes: String, content: String) {
        let start = try XCTUnwrap(dom.range(of: marker), "no element with \(marker)", file: file, line: line)
        let tagStart = try XCTUnwrap(dom[..<start.lowerBound].range(of: "<", options: .backwards))
        let name = dom[dom.index(after: tagStart.lowerBound)...].prefix { $0.isLetter || $0.isNumber }
        let tagEnd = try XCTUnwrap(dom[start.upperBound...].range(of: ">"))
        let close = try XCTUnwrap(dom[tagEnd.upperBound...].range(of: "</\(name)>"), "unclosed \(name)", file: file, line: line)
        return (String(dom[tagStart.lowerBound..<tagEnd.upperBound]), String(dom[tagEnd.upperBound..<close.lowerBound]))
    }
}
