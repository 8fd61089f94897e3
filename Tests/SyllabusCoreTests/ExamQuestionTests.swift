import XCTest
@testable import SyllabusCore

/// `*.exam.md` questions and `exam.yml`: what the parser reads and every diagnostic it gives.
final class ExamQuestionTests: XCTestCase {
    static let examYAML = """
        name: Test exam
        questions: 4
        scored: 3
        minutes: 10
        score_range: [100, 1000]
        passing: 720
        domains:
          - id: build
            name: Building things
            weight: 60
          - id: secure
            name: Securing things
            weight: 40

        """

    static let notes = [
        "lambda/overview.md": "# Lambda\n\n## Limits\n\nTimeout 15 minutes.\n",
        "s3/overview.md": "# S3\n\nObjects up to 5 TB.\n",
    ]

    func fixture(_ files: [String: String], exam: String? = ExamQuestionTests.examYAML) throws -> Fixture {
        var all = Self.notes
        for (path, text) in files { all[path] = text }
        if let exam { all["exam.yml"] = exam }
        return try Fixture(all)
    }

    func diagnostics(_ fixture: Fixture) -> [String] {
        let content = fixture.root.path + "/Content/"
        return fixture.analyze().1.map { $0.description.replacingOccurrences(of: content, with: "") }
    }

    func testQuestionPartsIdsDomainsAndCoveringNotesAreRead() throws {
        let fixture = try fixture([
            "lambda/lambda.exam.md": """
                ---
                domain: build
                ---
                # Lambda questions

                ## Longest run
                <!-- id: lambda-timeout -->

                How long may a function run?

                ```text
                a code block in the stem
                ```

                - [ ] 5 minutes
                - [x] 15 minutes
                - [ ] **None of the above**

                The [limit](overview.md#limits) is 900 seconds; see also [S3](../s3/overview.md).

                ## Which two?
                <!-- domain: secure -->

                - [x] One
                - [x] Two
                - [ ] Three

                Because. Again [Lambda](overview.md).

                """,
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set.pages.map(\.id).sorted(), ["lambda/overview.md", "s3/overview.md"], "an exam file is not a note")
        XCTAssertEqual(set.studySet.examPages.map(\.id), ["lambda/lambda.exam.md"])
        let questions = set.studySet.questions
        XCTAssertEqual(questions.count, 2)
        let first = questions[0], second = questions[1]
        XCTAssertEqual(first.id, "lambda-timeout")
        XCTAssertEqual(first.title, "Longest run")
        XCTAssertEqual(first.domain, "build", "from the front matter")
        XCTAssertEqual(first.serviceID, "lambda")
        XCTAssertEqual(first.location.line, 6)
        XCTAssertEqual(first.stemText, "How long may a function run? a code block in the stem")
        XCTAssertEqual(first.options.map(\.text), ["5 minutes", "15 minutes", "None of the above"])
        XCTAssertEqual(first.correctIndices, [1])
        XCTAssertFalse(first.isMultipleResponse)
        XCTAssertEqual(first.options.map(\.isPinned), [false, false, true])
        XCTAssertTrue(first.hasExplanation)
        XCTAssertEqual(set.notes(covering: first), [.page(id: "lambda/overview.md", fragment: "limits"), .page(id: "s3/overview.md", fragment: nil)])
        XCTAssertEqual(second.domain, "secure", "a question's comment beats the file's domain")
        XCTAssertEqual(second.stemText, "Which two?", "no text under the heading: the heading is the stem")
        XCTAssertTrue(second.isMultipleResponse)
        XCTAssertEqual(second.id, Question.id(pinnedID: nil, title: "Which two?", stem: "Which two?"))
        XCTAssertEqual(set.notes(covering: second), [.page(id: "lambda/overview.md", fragment: nil)])

        let html = QuestionHTML.all(in: set) { SiteLinks(set: set).href($0, root: "../") }
        XCTAssertTrue(html[0].stem.contains("<pre><code class=\"language-text\">a code block in the stem"), html[0].stem)
        XCTAssertFalse(html[0].stem.contains("id:"), "the id comment is not shown")
        XCTAssertEqual(html[0].options, ["5 minutes", "15 minutes", "<strong>None of the above</strong>"])
        XCTAssertTrue(html[0].explanation.contains("<a href=\"../lambda/overview.html#limits\">limit</a>"), html[0].explanation)
    }

    /// "None of the above" in the book's languages keeps its place, as does any option marked
    /// `<!-- pin -->`, whose marker shows nowhere (found by a fresh-user trial: a Spanish
    /// "Ninguna de las anteriores" was shuffled).
    func testOptionsReferringToTheOthersOrMarkedPinKeepTheirPlace() throws {
        let fixture = try fixture(["q.exam.md": """
            ## Pregunta
            <!-- domain: build -->

            ¿Cuál?

            - [ ] Primera <!-- pin -->
            - [x] Segunda
              <!-- pin -->
            - [ ] Todas las anteriores.
            - [ ] Ninguna de las anteriores

            Porque sí.

            """])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let question = try XCTUnwrap(set.studySet.questions.first)
        XCTAssertEqual(question.options.map(\.text), ["Primera", "Segunda", "Todas las anteriores.", "Ninguna de las anteriores"])
        XCTAssertEqual(question.options.map(\.isPinned), [true, true, true, true], "a marker on its own line under the option too")
        let html = QuestionHTML.all(in: set) { SiteLinks(set: set).href($0, root: "../") }
        XCTAssertFalse(html[0].options[0].contains("pin"), html[0].options[0])
        XCTAssertFalse(html[0].options[1].contains("pin"), html[0].options[1])

        for (text, pinned) in [("Keine der genannten", true), ("Keine der oben genannten Antworten", true), ("Alle oben genannten Antworten", true), ("Aucune de ces réponses", true), ("Toutes ces réponses", true),
                               ("Nessuna delle precedenti", true), ("Nenhuma das anteriores", true), ("上記のいずれでもない", true),
                               ("上記のすべて", true), ("위의 어느 것도 아님", true), ("以上都不是", true), ("以上皆是", true),
                               ("All of the above", true), ("None of these", true), ("Ninguna", false), ("All regions", false)] {
            XCTAssertEqual(PinnedOption.refersToOthers(text), pinned, text)
        }
    }

    /// A bank smaller than the real exam gets the real exam's time scaled to the questions
    /// drawn, rounded up to a whole minute, and never more than the real exam's.
    func testTheTimeOfASmallBankIsScaledAndRoundedUp() {
        var exam = ExamConfig()
        (exam.questions, exam.minutes) = (65, 60)
        XCTAssertEqual([1, 5, 64, 65, 200].map(exam.minutes(drawing:)), [1, 5, 60, 60, 60])
        XCTAssertEqual(counted(exam.minutes(drawing: 1), "minute"), "1 minute", "as the exam page says it")
    }

    func testLinksInStemsAndOptionsAreTextButCountAsCoveringNotes() throws {
        let fixture = try fixture(["q.exam.md": """
            ## Q
            <!-- domain: build -->

            See [the limits](lambda/overview.md#limits).

            - [x] [S3](s3/overview.md) objects
            - [ ] Nothing

            Explained.

            """])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let html = QuestionHTML.all(in: set) { SiteLinks(set: set).href($0, root: "../") }
        XCTAssertEqual(html[0].stem, "<p>See the limits.</p>\n")
        XCTAssertEqual(html[0].options[0], "S3 objects")
        XCTAssertEqual(set.notes(covering: set.studySet.questions[0]).count, 2)
    }

    func testEveryQuestionProblemIsReportedAtItsLine() throws {
        let fixture = try fixture(["lambda/bad.exam.md": """
            ---
            domain: build
            ---
            ## No correct option

            - [ ] A
            - [ ] B

            Why.

            ## All correct

            - [x] A
            - [x] B

            Why.

            ## One option

            - [x] A

            Why.

            ## No options

            Just text.

            ## Same option twice

            - [x] Use   Amazon S3
            - [ ] use amazon s3

            Why.

            ## Unknown domain
            <!-- domain: nosuch -->

            - [x] A
            - [ ] B

            Why.

            ## No explanation

            - [x] A
            - [ ] B

            ## Mixed list

            - [x] A
            - plain item
            - [ ] B

            Why.

            """])
        XCTAssertEqual(diagnostics(fixture), [
            "lambda/bad.exam.md:4:1: error: question 'No correct option' has no correct option (mark one '- [x]')",
            "lambda/bad.exam.md:11:1: error: every option of question 'All correct' is marked correct",
            "lambda/bad.exam.md:18:1: error: question 'One option' has one option; it needs at least two (a task list: '- [x]' correct, '- [ ]' wrong)",
            "lambda/bad.exam.md:24:1: error: question 'No options' has no options; it needs at least two (a task list: '- [x]' correct, '- [ ]' wrong)",
            "lambda/bad.exam.md:31:1: error: option 'use amazon s3' appears twice in question 'Same option twice' (first at line 30)",
            "lambda/bad.exam.md:36:1: error: unknown domain 'nosuch' (known: build, secure)",
            "lambda/bad.exam.md:43:1: warning: question 'No explanation' has no explanation (text after the options)",
            "lambda/bad.exam.md:51:1: error: option of question 'Mixed list' is not a task list item ('- [x]' correct, '- [ ]' wrong)",
        ])
    }

    func testMissingDomainUnknownFileDomainAndDuplicateIds() throws {
        let fixture = try fixture([
            "a.exam.md": "## Q1\n<!-- id: same -->\n\n- [x] A\n- [ ] B\n\nWhy.\n",
            "b.exam.md": "---\ndomain: elsewhere\n---\n## Q2\n<!-- id: same -->\n\n- [x] A\n- [ ] B\n\nWhy.\n\n## Q3\n\n- [x] A\n- [ ] B\n\nWhy.\n",
        ])
        XCTAssertEqual(diagnostics(fixture), [
            "a.exam.md:1:1: error: question 'Q1' has no domain (front matter 'domain:' or '<!-- domain: … -->')",
            "b.exam.md:2:1: error: unknown domain 'elsewhere' (known: build, secure)",
            "b.exam.md:4:1: error: question id 'same' is also used at a.exam.md:1:1",
        ])
    }

    /// The same title and stem twice is a duplicate whatever the ids: pinned (`cards
    /// --pin-ids`, or written) or not, in one file or two.
    func testDuplicateQuestionsAreReportedWhenTheirIdsArePinned() throws {
        let question = "## Which service runs code?\n<!-- id: ID -->\n<!-- domain: build -->\n\nPick one.\n\n- [x] Lambda\n- [ ] S3\n\nWhy.\n"
        let fixture = try fixture([
            "a.exam.md": question.replacingOccurrences(of: "ID", with: "first"),
            "b.exam.md": question.replacingOccurrences(of: "ID", with: "second") + "\n"
                + question.replacingOccurrences(of: "<!-- id: ID -->\n", with: "").replacingOccurrences(of: "Lambda", with: "AWS Lambda"),
        ])
        XCTAssertEqual(diagnostics(fixture), [
            "b.exam.md:1:1: error: duplicate question 'Which service runs code?' (first at a.exam.md:1:1)",
            "b.exam.md:12:1: error: duplicate question 'Which service runs code?' (first at a.exam.md:1:1)",
        ])
    }

    func testQuestionsWithoutExamYAMLAreReported() throws {
        let fixture = try fixture(["q.exam.md": "## Q\n<!-- domain: build -->\n\n- [x] A\n- [ ] B\n\nWhy.\n"], exam: nil)
        XCTAssertEqual(diagnostics(fixture), ["q.exam.md:1:1: error: questions need an exam description, exam.yml in the content folder"])
    }

    func testExamYAMLProblemsAreReported() throws {
        let weights = try fixture([:], exam: Self.examYAML.replacingOccurrences(of: "weight: 40", with: "weight: 30"))
        XCTAssertEqual(diagnostics(weights), ["exam.yml:8:3: error: domain weights add up to 90, not 100"])

        let broken = try fixture([:], exam: "name: [unclosed\n")
        XCTAssertEqual(diagnostics(broken).count, 1)
        XCTAssertTrue(diagnostics(broken)[0].hasPrefix("exam.yml:1:7: error: invalid YAML"), diagnostics(broken)[0])

        let wrong = try fixture([:], exam: """
            name: X
            questions: many
            minutes: 0
            passing: 2000
            scored: 3
            colour: blue
            score_range: [1000, 100]
            domains:
              - id: Bad Id
                name: N
                weight: 50
              - name: No id
                weight: 50

            """)
        XCTAssertEqual(diagnostics(wrong), [
            "exam.yml:1:1: error: 'passing' (2000) is outside the score range 100–1000",
            "exam.yml:2:12: error: 'questions' must be a whole number",
            "exam.yml:3:10: error: 'minutes' must be more than 0",
            "exam.yml:6:9: warning: unknown key 'colour' in exam.yml (known: domains, minutes, name, passing, questions, score_range, scored)",
            "exam.yml:7:14: error: 'score_range' must be two whole numbers, lowest first: [100, 1000]",
            "exam.yml:9:9: error: domain id 'Bad Id' must match [a-z0-9-]+",
            "exam.yml:12:5: error: domain is missing 'id'",
        ])
        let exam = try XCTUnwrap(Pipeline(options: weights.options).load(DiagnosticLog()).0.exam)
        XCTAssertEqual(exam.domains.map(\.id), ["build", "secure"])
    }

    /// An `exam.yml` that cannot be read gives its own error and no "unknown domain" for
    /// each question (nothing is known of its domains), as an unreadable `services.yml` does.
    func testUnreadableExamYAMLGivesNoErrorPerQuestion() throws {
        let question = ["lambda/lambda.exam.md": "---\ndomain: build\n---\n## Q\n\n- [x] A\n- [ ] B\n\nWhy.\n"]
        let broken = try fixture(question, exam: "name: Test\nquestions: [65\n")
        XCTAssertEqual(diagnostics(broken).count, 1, "\(diagnostics(broken))")
        XCTAssertTrue(diagnostics(broken)[0].hasPrefix("exam.yml:2:12: error: invalid YAML"), "\(diagnostics(broken))")

        let binary = try fixture(question)
        try Data("name: Test\nquestions: 6\u{5}\n".utf8.map { $0 == 5 ? 0xFF : $0 })
            .write(to: binary.root.appendingPathComponent("Content/exam.yml"))
        XCTAssertEqual(diagnostics(binary).count, 1, "\(diagnostics(binary))")
        XCTAssertEqual(diagnostics(binary)[0], "exam.yml:2:13: error: file is not valid UTF-8")

        let noDomains = try fixture(question, exam: "name: Test\nquestions: 4\nminutes: 10\npassing: 720\n")
        XCTAssertEqual(diagnostics(noDomains), ["exam.yml:1:1: error: exam.yml is missing 'domains'"])
    }

    /// A link from a note to a question file says what that file is, and what to link to, not
    /// "no such note" of a file that exists.
    func testALinkToAQuestionFileSaysItIsAQuestionBank() throws {
        let fixture = try fixture(["lambda/lambda.exam.md": "---\ndomain: build\n---\n## Q\n\n- [x] A\n- [ ] B\n\nWhy.\n",
                                   "lambda/more.md": "# More\n\nPractise with [the questions](lambda.exam.md).\n"])
        XCTAssertEqual(diagnostics(fixture), [
            "lambda/more.md:3:15: error: link to 'lambda.exam.md': that file is a question bank (an exam file), not a note, and has no page; "
                + "its questions are in the site's mock exam (exam/index.html) and the book's, which a note cannot link to: link to the note that covers them instead",
        ])
    }

    /// The check command exits 1 on question errors, like any other.
    func testCheckFailsOnABadQuestion() throws {
        let folder = try EndToEndSupport.temporaryFolder("exam-check")
        defer { try? FileManager.default.removeItem(at: folder) }
        var files = ["Content/services.yml": Fixture.plainServices, "Content/exam.yml": Self.examYAML,
                     "syllabus.yml": "title: T\noutputs: [site]\n"]
        files["Content/lambda/q.exam.md"] = "## Q\n<!-- domain: build -->\n\n- [ ] A\n- [ ] B\n\nWhy.\n"
        try EndToEndSupport.writeFixture(files, in: folder)
        let result = try CLI.run(["check", "--content", "Content", "--config", "syllabus.yml"], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("Content/lambda/q.exam.md:1:1: error: question 'Q' has no correct option"), result.err + result.out)
    }

    /// Every bundled question names its domain, explains its answer and links to at least one
    /// note that teaches it, so each of its facts can be checked there.
    func testEveryBundledQuestionLinksToANote() throws {
        let log = DiagnosticLog()
        let set = Pipeline(options: BookFixture.bundledOptions(output: FileManager.default.temporaryDirectory)).analyze(log)
        XCTAssertEqual(log.all.filter { $0.location.path.contains(".exam.md") || $0.location.path.hasSuffix("exam.yml") }.map(\.description), [])
        XCTAssertFalse(set.studySet.questions.isEmpty)
        XCTAssertEqual(set.studySet.exam?.domains.map(\.weight), [32, 26, 24, 18])
        for question in set.studySet.questions {
            XCTAssertFalse(set.notes(covering: question).isEmpty, "\(question.location): '\(question.title)' links to no note")
            XCTAssertNotNil(question.domain.flatMap { set.studySet.exam?.domain($0) }, "\(question.location)")
            XCTAssertTrue(question.hasExplanation, "\(question.location)")
        }
    }
}
