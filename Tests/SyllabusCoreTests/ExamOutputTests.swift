import Foundation
import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// The exam's questions in the book and in Anki, checked by EPUBCheck and a real Anki import.
final class ExamOutputTests: XCTestCase {
    static func files(outputs: String, baseURL: String = "") -> [String: String] {
        var files = ExamPageTests.fixture
        files["syllabus.yml"] = "title: Exam fixture\ndeck: Fixture\noutputs: [\(outputs)]\n\(baseURL)"
        return files
    }

    /// A "Practice exam" part grouped by domain and an answers appendix, each question linked
    /// to its answer and back, explanations linking into the notes' chapters; EPUBCheck clean.
    func testBookHasThePracticeExamAndItsAnswersLinkedBothWays() throws {
        let options = try BookFixture.make(Self.files(outputs: "epub"), name: "exam-epub")
        let (files, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        let book = try XCTUnwrap(files.first).contents
        let archive = try Archive(data: book, accessMode: .read)
        func text(_ name: String) throws -> String {
            let entry = try XCTUnwrap(archive["OEBPS/" + name], "no \(name) in the book")
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let exam = try text(EpubExam.questionsFile), answers = try text(EpubExam.answersFile)
        XCTAssertTrue(exam.contains("<h1>Practice exam</h1>"))
        let domainHeadings = ["Development with AWS Services", "Security", "Deployment", "Troubleshooting and Optimization"]
        XCTAssertEqual(domainHeadings.map { exam.range(of: "<h2>\($0)</h2>")?.lowerBound }.compactMap { $0 }.count, 4)
        XCTAssertEqual(domainHeadings.compactMap { exam.range(of: "<h2>\($0)</h2>")?.lowerBound }.sorted(),
                       domainHeadings.compactMap { exam.range(of: "<h2>\($0)</h2>")?.lowerBound }, "domains in exam.yml order")
        for number in 1...8 {
            XCTAssertTrue(exam.contains("<li id=\"eq-\(number)\" value=\"\(number)\">"), "question \(number)")
            XCTAssertTrue(exam.contains("href=\"exam-answers.xhtml#ea-\(number)\""), "question \(number) links its answer")
            XCTAssertTrue(answers.contains("<div class=\"answer\" id=\"ea-\(number)\">"), "answer \(number)")
            XCTAssertTrue(answers.contains("<a href=\"exam.xhtml#eq-\(number)\">\(number).</a>"), "answer \(number) links back")
        }
        XCTAssertTrue(exam.contains("<li>None of the above</li>\n</ol>"), "options in their written order in the book")
        XCTAssertTrue(exam.contains("<span class=\"choose\">(Choose 2.)</span>"))
        XCTAssertTrue(answers.contains("<strong>Answer:</strong> A. Right S2a; B. Right S2b</p>"), answers)
        XCTAssertTrue(answers.contains("<a href=\"service-lambda--note-overview.xhtml#note-overview--limits\">the note</a>"), "explanations link into the book")
        XCTAssertTrue(answers.contains("In the notes: <a href=\"service-s3--note-overview.xhtml#note-overview\">S3 overview</a>"))
        XCTAssertTrue(try text(EpubLayout.navFile).contains("<a href=\"exam.xhtml\">Practice exam</a>"))
        let spine = try text("package.opf")
        XCTAssertLessThan(try XCTUnwrap(spine.range(of: "href=\"exam.xhtml\"")).lowerBound, try XCTUnwrap(spine.range(of: "href=\"exam-answers.xhtml\"")).lowerBound)
        XCTAssertFalse(spine.contains("href=\"answers.xhtml\""), "no cards: no answers appendix")

        try EpubTests.assertValid(book)
    }

    /// The words the book adds are in the set's language: its parts, the contents, the title
    /// page's counts, the exam's sentences, the index's cross-references. A Japanese book
    /// passes EPUBCheck; French counts zero in the singular and puts a no-break space before
    /// its colons; a language with no words of its own gets English.
    func testBookSpeaksTheSetsLanguage() throws {
        func book(_ language: String) throws -> (text: (String) throws -> String, data: Data) {
            var files = ExamPageTests.fixture
            files["syllabus.yml"] = "title: Exam fixture\nlanguage: \(language)\noutputs: [epub]\n"
            let options = try BookFixture.make(files, name: "exam-epub-\(language)")
            let (rendered, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
            XCTAssertEqual(diagnostics, [])
            let data = try XCTUnwrap(rendered.first).contents
            let archive = try Archive(data: data, accessMode: .read)
            return ({ name in
                let entry = try XCTUnwrap(archive["OEBPS/" + name], "no \(name) in the book")
                var bytes = Data()
                _ = try archive.extract(entry) { bytes.append($0) }
                return String(decoding: bytes, as: UTF8.self)
            }, data)
        }
        let japanese = try book("ja")
        let nav = try japanese.text(EpubLayout.navFile), exam = try japanese.text(EpubExam.questionsFile)
        for entry in ["<h1>目次</h1>", "<a href=\"exam.xhtml\">模擬試験</a>", ">模擬試験の解答</a>", ">索引</a>"] {
            XCTAssertTrue(nav.contains(entry), "\(entry) in \(nav)")
        }
        XCTAssertTrue(exam.contains("<h1>模擬試験</h1>") && exam.contains("<span class=\"choose\">（2 つ選択）</span>"), exam)
        XCTAssertTrue(exam.contains("本番の試験は") && exam.contains("<a href=\"exam-answers.xhtml\">模擬試験の解答</a>にあります。"), exam)
        XCTAssertTrue(try japanese.text(EpubExam.answersFile).contains("<strong>正解：</strong> A. Right S2a"))
        XCTAssertTrue(try japanese.text(EpubLayout.titleFile).contains("サービス · "))
        XCTAssertFalse(nav.contains("Contents") || exam.contains("Choose") || exam.contains("Answer<"), "no English left")
        try EpubTests.assertValid(japanese.data)

        let french = try book("fr-CA")
        XCTAssertTrue(try french.text(EpubExam.answersFile).contains("<strong>Réponse\u{A0}:</strong>"))
        XCTAssertTrue(try french.text(EpubLayout.navFile).contains("<h1>Sommaire</h1>"))
        XCTAssertTrue(try book("sw").text(EpubLayout.navFile).contains("<h1>Contents</h1>"), "Swahili has no words of its own here")
    }

    func testBookWordsFillPlaceholdersOnceAndCountByLanguage() {
        XCTAssertEqual(BookWords.fill("{exam}: {count} of {missing}", ["exam": "Mock {count}", "count": "3"]), "Mock {count}: 3 of {missing}")
        XCTAssertEqual(BookWords(language: "fr").counted(0, BookWords(language: "fr").notes), "0 note")
        XCTAssertEqual(BookWords(language: "en").counted(0, BookWords(language: "en").notes), "0 notes")
        XCTAssertEqual(ExamPage.unbrokenCodes("Developer – Associate (DVA-C02) <b> A-very-long-hyphenated-name -"),
                       "Developer – Associate <span class=\"nowrap\">(DVA-C02)</span> &lt;b&gt; A-very-long-hyphenated-name -")
        XCTAssertEqual(BookWords(language: "de-CH").counted(1, BookWords(language: "de").notes), "1 Notiz")
        XCTAssertEqual(BookWords(language: "zh-Hant-TW").contents, "目錄")
        XCTAssertEqual(BookWords(language: "zh-TW").contents, "目錄")
        XCTAssertEqual(BookWords(language: "zh").contents, "目录")
        XCTAssertEqual([BookWords(language: "en").seeAlso, BookWords(language: "es").seeAlso, BookWords(language: "ja").seeAlso], ["see also ", "véase también ", "→ "])
        XCTAssertEqual(BookWords(language: "ko").counted(3, BookWords(language: "ko").services), "서비스 3개")
    }

    /// Each question imports into Anki as a Basic note of the exam deck (stem and options on the
    /// front; answer, explanation and notes on the back), tagged with its domain; a re-import
    /// adds nothing and a corrected answer updates its note in place.
    func testQuestionsImportIntoAnkiAndUpdateInPlace() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("exam-anki")
        defer { try? FileManager.default.removeItem(at: work) }
        try EndToEndSupport.writeFixture(Self.files(outputs: "anki", baseURL: "base_url: https://notes.example.org/\n"), in: work)
        try EndToEndSupport.build(in: work)
        let collection = work.appendingPathComponent("anki/collection.anki2")
        let anki = work.appendingPathComponent("Output/anki")

        let first = try AnkiImport.run(python, anki, into: collection)
        XCTAssertEqual(first.files.map(\.file), ["exam.tsv"], "the fixture has questions and no cards: no all deck")
        AnkiImport.assertHeadersHonoured(first)
        XCTAssertEqual(first.import.added, 8)
        XCTAssertEqual(first.collection.notesPerDeck, ["Fixture::Practice exam": 8])
        XCTAssertEqual(first.collection.notesPerNotetype, ["Basic": 8])
        let notes = Array(first.collection.notesByGuid.values)
        let security = notes.filter { $0.tags.contains("exam::security") }
        XCTAssertEqual(security.count, 2)
        let twoRight = try XCTUnwrap(notes.first { $0.fields[0].contains("Stem of Sec two?") })
        XCTAssertTrue(twoRight.fields[0].contains("<ol type=\"A\"><li>Right S2a</li><li>Right S2b</li><li>Wrong S2</li></ol>"), twoRight.fields[0])
        XCTAssertTrue(twoRight.fields[0].contains("Choose 2."))
        XCTAssertTrue(twoRight.fields[1].hasPrefix("<p><b>Answer:</b> A. Right S2a; B. Right S2b</p>"), twoRight.fields[1])
        XCTAssertTrue(twoRight.fields[1].contains("Explained for Sec two"))
        XCTAssertTrue(twoRight.fields[1].contains("<a href=\"https://notes.example.org/s3/overview.html\">S3 overview</a>"), twoRight.fields[1])
        XCTAssertTrue(twoRight.tags.contains("storage::s3"), "\(twoRight.tags)")

        let again = try AnkiImport.run(python, anki, into: collection)
        XCTAssertEqual([again.import.added, again.import.updated], [0, 0])

        let path = work.appendingPathComponent("Content/s3/s3.exam.md")
        try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "- [ ] Wrong S1", with: "- [ ] Wrong S1, corrected")
            .write(to: path, atomically: true, encoding: .utf8)
        try EndToEndSupport.build(in: work)
        let edited = try AnkiImport.run(python, anki, into: collection)
        XCTAssertEqual(edited.import.added, 0)
        XCTAssertEqual(edited.import.updated, 1, "the edited question is updated in place")
        XCTAssertEqual(edited.collection.notesByGuid.mapValues(\.id), first.collection.notesByGuid.mapValues(\.id))
    }
}
