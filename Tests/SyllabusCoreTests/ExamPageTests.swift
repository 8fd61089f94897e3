import Foundation
import XCTest
@testable import SyllabusCore

/// End-to-end: the exam page of a site built by the `syllabus` executable, run in headless
/// Chromium from `file://` and operated by keyboard. As in `PracticePageTests`, a harness page
/// beside exam/index.html has the same markup and scripts, then a script that presses keys and
/// clicks, and writes what the page showed into the DOM, which `--dump-dom` returns.
final class ExamPageTests: BuiltSiteTestCase {
    static let examYAML = """
        name: Fixture exam
        questions: 8
        scored: 6
        minutes: 130
        score_range: [100, 1000]
        passing: 720
        domains:
          - id: development
            name: Development with AWS Services
            weight: 32
          - id: security
            name: Security
            weight: 26
          - id: deployment
            name: Deployment
            weight: 24
          - id: troubleshooting
            name: Troubleshooting and Optimization
            weight: 18

        """

    static func question(_ title: String, _ domain: String, options: [(String, Bool)], note: String) -> String {
        "## \(title)\n<!-- domain: \(domain) -->\n\nStem of \(title)?\n\n"
            + options.map { "- [\($0.1 ? "x" : " ")] \($0.0)" }.joined(separator: "\n")
            + "\n\nExplained for \(title), see [the note](\(note)).\n\n"
    }

    static let fixture: [String: String] = [
        "Content/services.yml": Fixture.plainServices,
        "Content/exam.yml": examYAML,
        "syllabus.yml": "title: Exam fixture\ndeck: Fixture\noutputs: [site]\n",
        "Content/lambda/overview.md": "# Lambda overview\n\n## Limits\n\nFifteen minutes.\n",
        "Content/s3/overview.md": "# S3 overview\n\nObjects.\n",
        "Content/lambda/lambda.exam.md":
            question("Dev one", "development", options: [("Right D1", true), ("Wrong D1a", false), ("Wrong D1b", false),
                                                         ("Ninguna de las anteriores", false)], note: "overview.md#limits")
            + question("Dev two", "development", options: [("Right D2", true), ("Wrong D2", false)], note: "overview.md")
            + question("Deploy one", "deployment", options: [("Wrong P1a <!-- pin -->", false), ("Right P1", true), ("Wrong P1b", false),
                                                             ("None of the above", false)], note: "overview.md")
            + question("Deploy two", "deployment", options: [("Right P2", true), ("Wrong P2", false)], note: "overview.md"),
        "Content/s3/s3.exam.md":
            question("Sec one", "security", options: [("Right S1", true), ("Wrong S1", false)], note: "overview.md")
            + question("Sec two", "security", options: [("Right S2a", true), ("Right S2b", true), ("Wrong S2", false)], note: "overview.md"),
        "Content/cross.exam.md":
            question("Trouble one", "troubleshooting", options: [("Right T1", true), ("Wrong T1", false)], note: "s3/overview.md")
            + question("Trouble two", "troubleshooting", options: [("Right T2", true), ("Wrong T2", false)], note: "lambda/overview.md"),
    ]

    override class var siteFixture: (name: String, files: [String: String]) { ("exam", fixture) }

    var examFolder: URL { work.appendingPathComponent("Output/site/exam") }

    /// A full exam by keyboard: answers (single and "Choose two"), navigation, a flag, the
    /// grid, the confirmation, then the report with every domain, the score and the review.
    func testExamRunsByKeyboardToAReportWithEveryDomain() throws {
        let results = try runHarness(Self.examHarness, query: "?seed=7")
        XCTAssertEqual(results["errors"] as? [String], [])
        let shown = try XCTUnwrap(results["shown"] as? [[String: Any]])
        XCTAssertEqual(shown.count, 8, "the whole bank: 8 questions")
        XCTAssertEqual(Set(shown.compactMap { $0["title"] as? String }).count, 8, "no question twice")
        for entry in shown {
            let options = try XCTUnwrap(entry["options"] as? [String])
            // Pinned options keep their written place: "None of the above", a Spanish one, one marked
            // `<!-- pin -->` (the marker not shown); found by a fresh-user trial.
            for (text, place) in [("None of the above", 3), ("Ninguna de las anteriores", 3), ("Wrong P1a", 0)] where options.contains(text) {
                XCTAssertEqual(options.firstIndex(of: text), place, "\(text) stays in place: \(options)")
            }
        }
        XCTAssertEqual(results["progress"] as? String, "Question 1 of 8")
        XCTAssertEqual(results["timerStart"] as? String, "2:10:00 left")
        XCTAssertEqual(results["gridAnswered"] as? Int, 7, "one question left unanswered")
        XCTAssertEqual(results["gridFlagged"] as? Int, 1)
        XCTAssertEqual(results["confirmText"] as? String, "Submit the exam? 1 of 8 questions are not answered and 1 are flagged for review.")
        XCTAssertEqual(results["confirmAfterEscape"] as? Bool, true, "Escape closes the confirmation")
        XCTAssertEqual(results["previousWorks"] as? Bool, true)

        let report = try XCTUnwrap(results["report"] as? [String: Any])
        // 6 of 8 right: the unanswered one and the one answered wrong.
        XCTAssertEqual(report["score"] as? String, "Score 775 of 1000: Pass (pass mark 720)")
        let domains = try XCTUnwrap(report["domains"] as? [String])
        XCTAssertEqual(domains.count, 4)
        XCTAssertEqual(domains.map { $0.components(separatedBy: "|")[0] },
                       ["Development with AWS Services", "Security", "Deployment", "Troubleshooting and Optimization"])
        XCTAssertEqual(report["reviewCount"] as? Int, 8)
        XCTAssertEqual(report["wrongCount"] as? Int, 2)
        XCTAssertTrue((report["mapping"] as? String ?? "").contains("secret"), "the report says the real mapping is secret")
        XCTAssertTrue((report["mapping"] as? String ?? "").contains("68.9 % correct (6 of 8)"))
        XCTAssertEqual(report["attemptsStored"] as? Int, 1)
        XCTAssertEqual(report["trendColumns"] as? Int, 1)
        let links = try XCTUnwrap(report["noteLinks"] as? [String])
        XCTAssertEqual(links.count, 8, "every question links its note")
        for href in links {
            let parts = href.components(separatedBy: "#")
            let target = examFolder.appendingPathComponent(parts[0]).standardizedFileURL
            let html = try String(contentsOf: target, encoding: .utf8)
            if parts.count > 1 { XCTAssertTrue(html.contains("id=\"\(parts[1])\""), href) }
        }

        // The same seed draws the same exam; another seed another order.
        let again = try runHarness(Self.orderHarness, query: "?seed=7")
        XCTAssertEqual(again["order"] as? [String], shown.compactMap { $0["title"] as? String })
        let other = try runHarness(Self.orderHarness, query: "?seed=8")
        XCTAssertNotEqual(other["order"] as? [String], again["order"] as? [String])
    }

    /// Without a seed, a second exam draws the questions the first did not show while the bank
    /// allows, still one per domain by weight.
    func testNextExamAvoidsTheQuestionsOfTheLastAttempt() throws {
        let results = try runHarness(Self.repeatHarness, query: "", before: "SYLLABUS_EXAM.questions = 4;")
        XCTAssertEqual(results["errors"] as? [String], [])
        let first = try XCTUnwrap(results["first"] as? [String]), second = try XCTUnwrap(results["second"] as? [String])
        XCTAssertEqual(first.count, 4)
        XCTAssertEqual(second.count, 4)
        XCTAssertEqual(Set(first).intersection(second), [], "no question repeated: \(first) then \(second)")
        XCTAssertEqual(results["domainsSecond"] as? [String], ["deployment", "development", "security", "troubleshooting"])
    }

    /// A bank smaller than the real exam: the time is scaled to the questions drawn (130 minutes
    /// for 60 questions, 8 drawn: 17.3, rounded up to 18, as the build works it out for the
    /// page's data) and the report says so; a domain no
    /// question was drawn from shows "–", not "0 / 0" and "0 %" (found by a fresh-user trial).
    func testSmallBankScalesTheTimeAndLeavesEmptyDomainsUnscored() throws {
        let results = try runHarness(Self.smallBankHarness, query: "?seed=5", before: """
            SYLLABUS_EXAM.questions = 60; SYLLABUS_EXAM.drawnMinutes = 18; SYLLABUS_EXAM.domains.push({ id: "networking", name: "Networking", weight: 10 });
            """)
        XCTAssertEqual(results["errors"] as? [String], [])
        XCTAssertEqual(results["timerStart"] as? String, "18:00 left")
        XCTAssertTrue((results["used"] as? String ?? "").contains(" of 18:00 (130 minutes for 60 questions, scaled to the 8 drawn)."),
                      "\(results)")
        XCTAssertEqual(results["networking"] as? String, "Networking|10 %|–|–")
        XCTAssertEqual(results["security"] as? String, "Security|26 %|0 / 2|0 %")
        let page = try String(contentsOf: examFolder.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("An exam draws 8 of them by the domain weights and gives you 130 minutes."), "8 of 8: not scaled")
    }

    /// The countdown submits the exam when it reaches zero.
    func testCountdownSubmitsWhenTimeRunsOut() throws {
        let results = try runHarness(Self.timeoutHarness, query: "?seed=3", before: "SYLLABUS_EXAM.minutes = 1; SYLLABUS_EXAM.drawnMinutes = 1;", budget: 75_000)
        XCTAssertEqual(results["errors"] as? [String], [])
        XCTAssertEqual(results["reportShown"] as? Bool, true)
        XCTAssertTrue((results["used"] as? String ?? "").contains("1:00 of 1:00 (time ran out"), "\(results)")
    }

    /// Practice: one domain, untimed, the explanation right after an answer.
    func testPracticeExplainsEachAnswerAtOnce() throws {
        let results = try runHarness(Self.practiceHarness, query: "?seed=1")
        XCTAssertEqual(results["errors"] as? [String], [])
        XCTAssertEqual(results["progress"] as? String, "Security: question 1 of 2")
        XCTAssertEqual(results["timerHidden"] as? Bool, true)
        XCTAssertEqual(results["hiddenBefore"] as? Bool, true)
        XCTAssertEqual(results["hiddenAfter"] as? Bool, false)
        XCTAssertTrue((results["feedback"] as? String ?? "").contains("Explained for Sec"), "\(results)")
        XCTAssertEqual(results["attemptsStored"] as? Int, 0, "practice is not an exam attempt")
    }

    static let common = """
        function key(name) {
          var event = new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true });
          document.body.dispatchEvent(event);
        }
        function q(selector) { return document.querySelector(selector); }
        function text(selector) { return q(selector).textContent; }
        function bankQuestion() {
          var stem = q("[data-stem]").textContent.trim();
          return SYLLABUS_EXAM.bank.filter(function (b) { return b.stem.indexOf(stem) >= 0; })[0];
        }
        function optionTexts() {
          return Array.prototype.map.call(document.querySelectorAll("[data-options] .text"), function (e) { return e.textContent; });
        }
        function attempts() { return JSON.parse(localStorage.getItem("syllabus-exam-attempts") || "[]").length; }
        function done() {
          var out = document.createElement("pre");
          out.id = "harness-results";
          out.textContent = encodeURIComponent(JSON.stringify(results));
          document.body.appendChild(out);
        }
        """

    static let examHarness = common + """
        var results = { errors: window.HARNESS_ERRORS, shown: [] };
        try {
          localStorage.clear();
          q('[data-action="start-exam"]').click();
          results.progress = text("[data-progress]");
          results.timerStart = text("[data-timer]");
          for (var i = 0; i < 8; i++) {
            var b = bankQuestion();
            var options = optionTexts();
            results.shown.push({ title: b.title, options: options });
            if (i === 2) { key("f"); }
            if (i === 3) {
              // Answered wrong: the first wrong option.
              key("abcde"[options.indexOf(options.filter(function (t) { return b.options.some(function (o) { return !o.correct && o.html === t; }); })[0])]);
            } else if (i !== 5) {
              b.options.forEach(function (o) { if (o.correct) key("ABCDE"[options.indexOf(o.html)]); });
            }
            key(i % 2 ? "n" : "ArrowRight");
          }
          key("p"); key("ArrowLeft");
          results.previousWorks = text("[data-progress]") === "Question 6 of 8";
          results.gridAnswered = document.querySelectorAll("[data-grid] .answered").length;
          results.gridFlagged = document.querySelectorAll("[data-grid] .flagged").length;
          q('[data-action="submit"]').click();
          results.confirmText = text("[data-confirm-text]");
          key("Escape");
          results.confirmAfterEscape = q("[data-confirm]").hidden;
          q('[data-action="submit"]').click();
          q('[data-action="confirm-submit"]').click();
          var report = q('[data-view="report"]');
          results.report = {
            score: text("[data-score]").replace(/\\s+/g, " ").trim(),
            domains: Array.prototype.map.call(report.querySelectorAll("[data-domains] tbody tr"), function (row) {
              return Array.prototype.map.call(row.cells, function (c) { return c.textContent; }).join("|");
            }),
            reviewCount: report.querySelectorAll("[data-review] > li").length,
            wrongCount: report.querySelectorAll('[data-review] > li[data-result="wrong"]').length,
            mapping: report.querySelector("p.meta").textContent,
            attemptsStored: attempts(),
            trendColumns: report.querySelectorAll("[data-trend] thead th").length - 1,
            noteLinks: Array.prototype.map.call(report.querySelectorAll(".exam-notes a"), function (a) { return a.getAttribute("href"); })
          };
        } catch (error) { results.errors.push("harness: " + error.message); }
        done();
        """

    static let orderHarness = common + """
        var results = { errors: window.HARNESS_ERRORS, order: [] };
        try {
          localStorage.clear();
          q('[data-action="start-exam"]').click();
          for (var i = 0; i < 8; i++) { results.order.push(bankQuestion().title); key("n"); }
        } catch (error) { results.errors.push("harness: " + error.message); }
        done();
        """

    static let repeatHarness = common + """
        var results = { errors: window.HARNESS_ERRORS, first: [], second: [], domainsSecond: [] };
        function take(list, domains) {
          q('[data-action="start-exam"]').click();
          for (var i = 0; i < 4; i++) { var b = bankQuestion(); list.push(b.title); if (domains) domains.push(b.domain); key("n"); }
          q('[data-action="submit"]').click();
          q('[data-action="confirm-submit"]').click();
          q('[data-action="home"]').click();
        }
        try {
          localStorage.clear();
          take(results.first);
          take(results.second, results.domainsSecond);
          results.domainsSecond.sort();
        } catch (error) { results.errors.push("harness: " + error.message); }
        done();
        """

    static let timeoutHarness = common + """
        var results = { errors: window.HARNESS_ERRORS };
        try {
          localStorage.clear();
          q('[data-action="start-exam"]').click();
          key("a");
        } catch (error) { results.errors.push("harness: " + error.message); }
        setTimeout(function () {
          results.reportShown = !q('[data-view="report"]').hidden && q('[data-view="run"]').hidden;
          var used = q("[data-time-used]");
          results.used = used ? used.parentNode.textContent : "";
          done();
        }, 62000);
        """

    static let smallBankHarness = common + """
        var results = { errors: window.HARNESS_ERRORS };
        try {
          localStorage.clear();
          q('[data-action="start-exam"]').click();
          results.timerStart = text("[data-timer]");
          q('[data-action="submit"]').click();
          q('[data-action="confirm-submit"]').click();
          results.used = q("[data-time-used]").parentNode.textContent;
          ["networking", "security"].forEach(function (id) {
            results[id] = Array.prototype.map.call(q('[data-domains] tr[data-domain="' + id + '"]').cells, function (c) { return c.textContent; }).join("|");
          });
        } catch (error) { results.errors.push("harness: " + error.message); }
        done();
        """

    static let practiceHarness = common + """
        var results = { errors: window.HARNESS_ERRORS };
        try {
          localStorage.clear();
          q("[data-practice-filter]").value = "domain:security";
          q('[data-action="start-practice"]').click();
          results.progress = text("[data-progress]");
          results.timerHidden = q("[data-timer]").hidden;
          var b = bankQuestion();
          results.hiddenBefore = q("[data-feedback]").hidden;
          var options = optionTexts();
          b.options.forEach(function (o) { if (o.correct) key("abcde"[options.indexOf(o.html)]); });
          results.hiddenAfter = q("[data-feedback]").hidden;
          results.feedback = text("[data-feedback]");
          q('[data-action="submit"]').click();
          results.attemptsStored = attempts();
        } catch (error) { results.errors.push("harness: " + error.message); }
        done();
        """

    /// Writes a harness page beside exam/index.html (the page's script, then `harness`) and
    /// returns the results it wrote.
    func runHarness(_ harness: String, query: String, before: String = "", budget: Int = 3000) throws -> [String: Any] {
        let page = try String(contentsOf: examFolder.appendingPathComponent("index.html"), encoding: .utf8)
        let library = "<script src=\"../assets/exam.js\"></script>"
        XCTAssertTrue(page.contains(library))
        let harnessPage = page.replacingOccurrences(of: library, with: """
            <script>window.HARNESS_ERRORS = []; window.addEventListener("error", function (e) { HARNESS_ERRORS.push(String(e.message)); });
            \(before)</script>
            \(library)
            <script>\(harness)</script>
            """)
        let url = examFolder.appendingPathComponent("harness.html")
        try harnessPage.write(to: url, atomically: true, encoding: .utf8)
        let profile = try EndToEndSupport.temporaryFolder("chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try EndToEndSupport.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                                                        "--virtual-time-budget=\(budget)", "--user-data-dir=\(profile.path)",
                                                        "--allow-file-access-from-files", url.absoluteString + query],
                                             timeout: 60)
        XCTAssertEqual(result.status, 0, result.err)
        let marker = "<pre id=\"harness-results\">"
        let start = try XCTUnwrap(result.out.range(of: marker), "harness did not finish: \(result.err)")
        let end = try XCTUnwrap(result.out[start.upperBound...].range(of: "</pre>"))
        let json = try XCTUnwrap(String(result.out[start.upperBound..<end.lowerBound]).removingPercentEncoding)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }
}
