import Foundation
import XCTest
import SyllabusCore

/// End-to-end: the practice pages of a site built by the `syllabus` executable, run in headless
/// Chromium from `file://`. Interaction is driven by a harness page the test writes next to
/// practice/all.html: the same markup and scripts, then a script that clicks and presses keys
/// and writes what the page showed into the DOM, which `--dump-dom` returns.
final class PracticePageTests: XCTestCase {
    static let fixture: [String: String] = [
        "Content/services.yml": Fixture.plainServices,
        "syllabus.yml": "title: Practice fixture\ndeck: Fixture\noutputs: [site]\n",
        "Content/lambda/lambda.cards.md": """
            # Lambda cards

            ## Lambda writes temporary files to {{c1::/tmp}}, up to ==10 GB==.

            Ephemeral storage of the execution environment.

            ## What is the maximum timeout of a Lambda function?

            **15 minutes**.

            ## The default timeout is {{c1::3 seconds::duration}}.

            Raise it per function.

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

    var work: URL!
    var chromium: String!

    override func setUpWithError() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else {
            throw missingTool("no chromium in PATH")
        }
        self.chromium = chromium
        work = try EndToEndSupport.temporaryFolder("practice")
        try EndToEndSupport.writeFixture(Self.fixture, in: work)
        try EndToEndSupport.build(in: work)
    }

    override func tearDownWithError() throws {
        if let work { try? FileManager.default.removeItem(at: work) }
    }

    var practice: URL { work.appendingPathComponent("Output/site/practice") }

    /// After load: card 1's question with cloze blanks, its answer hidden, position 1 of all.
    func testPageShowsFirstQuestionWithBlanksAndHidesAnswer() throws {
        let dom = try dumpDOM(practice.appendingPathComponent("all.html"))
        XCTAssertEqual(try element("data-question", in: dom).content, Self.questions[0])
        XCTAssertFalse(dom.contains("{{c"), "no raw cloze markup reaches the page text")
        let answer = try element("data-answer", in: dom)
        XCTAssertTrue(answer.attributes.contains("hidden"), "answer hidden until revealed: \(answer.attributes)")
        XCTAssertTrue(answer.content.contains("<mark class=\"cloze\">/tmp</mark>"), answer.content)
        XCTAssertTrue(answer.content.contains("Ephemeral storage"), answer.content)
        XCTAssertEqual(try element("data-position", in: dom).content, "1")
        XCTAssertTrue(dom.contains("</span> of 4 "), "count of all cards")
        XCTAssertEqual(try element("data-service", in: dom).content, "Lambda")

        // A service's page holds only its cards.
        let s3 = try dumpDOM(practice.appendingPathComponent("s3.html"))
        XCTAssertEqual(try element("data-question", in: s3).content, Self.questions[3])
        XCTAssertEqual(try element("data-service", in: s3).content, "S3")
        XCTAssertTrue(s3.contains("</span> of 1 "))
        XCTAssertTrue(try element("data-answer", in: s3).attributes.contains("hidden"))
    }

    /// Reveal, next and previous (buttons and keys), wrap-around, shuffle, keys that belong to
    /// something else (typing in search, browser shortcuts, Enter on a link).
    func testRevealNextShuffleAndKeyboard() throws {
        let page = try String(contentsOf: practice.appendingPathComponent("all.html"), encoding: .utf8)
        let library = "<script src=\"../assets/syllabus.js\"></script>"
        XCTAssertTrue(page.contains(library))
        // Before the page's script: a fixed Math.random, so shuffling is deterministic, and an
        // error collector. After it: the harness.
        let harnessPage = page.replacingOccurrences(of: library, with: """
            <script>window.HARNESS_ERRORS = []; window.addEventListener("error", function (e) { HARNESS_ERRORS.push(String(e.message)); });
            Math.random = function () { return 0; };</script>
            \(library)
            <script>\(Self.harness)</script>
            """)
        let harnessURL = practice.appendingPathComponent("harness.html")
        try harnessPage.write(to: harnessURL, atomically: true, encoding: .utf8)
        let dom = try dumpDOM(harnessURL)
        let encoded = try element("id=\"harness-results\"", in: dom).content
        let json = try XCTUnwrap(encoded.removingPercentEncoding, "harness did not finish: \(encoded)")
        let results = try JSONDecoder().decode(HarnessResults.self, from: Data(json.utf8))
        XCTAssertEqual(results.errors, [])
        let states = Dictionary(results.states.map { ($0.label, $0) }, uniquingKeysWith: { first, _ in first })
        func state(_ label: String, file: StaticString = #filePath, line: UInt = #line) throws -> HarnessState {
            try XCTUnwrap(states[label], "no state \(label)", file: file, line: line)
        }
        let q = Self.questions

        let load = try state("load")
        XCTAssertEqual([load.position, load.question], ["1", q[0]])
        XCTAssertTrue(load.answerHidden)
        XCTAssertEqual(load.answerDisplay, "none", "the hidden answer is not displayed")

        let revealed = try state("reveal")
        XCTAssertFalse(revealed.answerHidden)
        XCTAssertNotEqual(revealed.answerDisplay, "none")
        XCTAssertEqual(revealed.question, q[0], "revealing keeps the question")
        XCTAssertTrue(revealed.answer.hasPrefix("Lambda writes temporary files to <mark class=\"cloze\">/tmp</mark>, up to <mark class=\"cloze\">10 GB</mark>."),
                      revealed.answer)
        XCTAssertTrue(try state("reveal-again").answerHidden, "Reveal toggles")

        let next = try state("next-after-reveal")
        XCTAssertEqual([next.position, next.question], ["2", q[1]])
        XCTAssertTrue(next.answerHidden, "a new card starts with its answer hidden")
        XCTAssertEqual(next.answer, "<p><strong>15 minutes</strong>.</p>\n")
        XCTAssertEqual([try state("prev").position, try state("prev").question], ["1", q[0]])
        XCTAssertEqual([try state("prev-wraps").position, try state("prev-wraps").question], ["4", q[3]])
        XCTAssertEqual(try state("prev-wraps").service, "S3")
        XCTAssertEqual([try state("next-wraps").position, try state("next-wraps").question], ["1", q[0]])

        XCTAssertEqual(try state("key-right").position, "2")
        XCTAssertEqual(try state("key-n").position, "3")
        XCTAssertEqual(try state("key-n").question, q[2], "a hint replaces the blank")
        XCTAssertEqual(try state("key-p").position, "2")
        XCTAssertEqual(try state("key-left").position, "1")
        XCTAssertFalse(try state("key-space").answerHidden, "Space reveals")
        XCTAssertTrue(results.spacePrevented, "Space does not also scroll the page")
        XCTAssertTrue(try state("key-enter").answerHidden, "Enter toggles back")

        // Keys that belong to something else leave the card alone.
        for (label, why) in [("keys-in-search", "typing in the search box"), ("browser-shortcuts", "Ctrl+S, Cmd+P, Alt+Left"),
                             ("enter-on-link", "Enter on a focused link"), ("space-on-button", "Space on a focused button")] {
            let ignored = try state(label)
            XCTAssertEqual([ignored.position, ignored.question], ["1", q[0]], "\(why) does not move or shuffle")
            XCTAssertTrue(ignored.answerHidden, "\(why) does not reveal")
        }
        XCTAssertFalse(results.enterOnLinkPrevented, "Enter on a focused link still follows it")

        XCTAssertEqual(results.cycleBefore, q, "Next walks every card in order")
        let shuffled = try state("shuffle")
        XCTAssertEqual(shuffled.position, "1")
        XCTAssertTrue(shuffled.answerHidden)
        XCTAssertEqual(results.cycleAfter.sorted(), q.sorted(), "shuffle keeps every card once")
        XCTAssertNotEqual(results.cycleAfter, q, "shuffle changes the order")
        XCTAssertEqual(try state("key-shift-s").position, "1", "S (with Shift, as the page writes it) shuffles too")
        XCTAssertEqual(results.cycleAfterKeyS.sorted(), q.sorted())
        XCTAssertNotEqual(results.cycleAfterKeyS, results.cycleAfter, "S shuffled again")

        // "In the notes" points at the card on its note page.
        for item in results.states {
            let parts = item.href.components(separatedBy: "#")
            XCTAssertEqual(parts.count, 2, item.href)
            let target = practice.appendingPathComponent(parts[0]).standardizedFileURL
            let html = try String(contentsOf: target, encoding: .utf8)
            XCTAssertTrue(html.contains("id=\"\(parts[1])\""), "\(item.label): \(item.href) has no such anchor")
        }
    }

    struct HarnessState: Decodable {
        var label, position, question, answer, answerDisplay, service, href: String
        var answerHidden: Bool
    }

    struct HarnessResults: Decodable {
        var states: [HarnessState]
        var errors: [String]
        var spacePrevented, enterOnLinkPrevented: Bool
        var cycleBefore, cycleAfter, cycleAfterKeyS: [String]
    }

    static let harness = """
        (function () {
          var section = document.querySelector("[data-practice]");
          var q = section.querySelector("[data-question]"), a = section.querySelector("[data-answer]");
          var position = section.querySelector("[data-position]"), service = section.querySelector("[data-service]");
          var source = section.querySelector("[data-source]");
          var results = { states: [], errors: window.HARNESS_ERRORS, spacePrevented: false, enterOnLinkPrevented: false,
                          cycleBefore: [], cycleAfter: [], cycleAfterKeyS: [] };
          function record(label) {
            results.states.push({ label: label, position: position.textContent, question: q.innerHTML, answer: a.innerHTML,
                                  answerHidden: a.hidden, answerDisplay: getComputedStyle(a).display,
                                  service: service.textContent, href: source.getAttribute("href") });
          }
          function click(action) { section.querySelector('[data-action="' + action + '"]').click(); }
          function key(name, options, target) {
            var init = { key: name, bubbles: true, cancelable: true };
            for (var k in options || {}) init[k] = options[k];
            var event = new KeyboardEvent("keydown", init);
            (target || document.body).dispatchEvent(event);
            return event.defaultPrevented;
          }
          function cycle() {
            var seen = [];
            var count = Number(section.querySelector(".meta").textContent.match(/of (\\d+)/)[1]);
            for (var i = 0; i < count; i++) { seen.push(q.innerHTML); click("next"); }
            return seen;
          }
          try {
            record("load");
            click("reveal"); record("reveal");
            click("reveal"); record("reveal-again");
            click("reveal"); click("next"); record("next-after-reveal");
            click("prev"); record("prev");
            click("prev"); record("prev-wraps");
            click("next"); record("next-wraps");
            key("ArrowRight"); record("key-right");
            key("n"); record("key-n");
            key("p"); record("key-p");
            key("ArrowLeft"); record("key-left");
            results.spacePrevented = key(" "); record("key-space");
            key("Enter"); record("key-enter");
            var search = document.getElementById("search-input");
            key("ArrowRight", {}, search); key("s", {}, search); key(" ", {}, search); record("keys-in-search");
            key("s", { ctrlKey: true }); key("p", { metaKey: true }); key("ArrowLeft", { altKey: true }); record("browser-shortcuts");
            results.enterOnLinkPrevented = key("Enter", {}, source); record("enter-on-link");
            key(" ", {}, section.querySelector('[data-action="next"]')); record("space-on-button");
            results.cycleBefore = cycle();
            click("shuffle"); record("shuffle");
            results.cycleAfter = cycle();
            key("S", { shiftKey: true }); record("key-shift-s");
            results.cycleAfterKeyS = cycle();
          } catch (error) {
            results.errors.push("harness: " + error.message);
          }
          var out = document.createElement("pre");
          out.id = "harness-results";
          out.textContent = encodeURIComponent(JSON.stringify(results));
          document.body.appendChild(out);
        })();
        """

    /// The DOM after the page's scripts ran.
    func dumpDOM(_ file: URL) throws -> String {
        let profile = try EndToEndSupport.temporaryFolder("chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try EndToEndSupport.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                                                        "--virtual-time-budget=2000", "--user-data-dir=\(profile.path)",
                                                        "--allow-file-access-from-files", file.absoluteString],
                                             timeout: 30)
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
