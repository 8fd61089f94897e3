import Foundation

/// The book's "Practice exam" part (`exam.xhtml`, every question with its options, grouped by
/// domain) and its answers appendix (`exam-answers.xhtml`: the correct options, the
/// explanation and the notes that cover each question), linked both ways like the review
/// questions and their answers.
struct EpubExam {
    static let questionsFile = "exam.xhtml"
    static let answersFile = "exam-answers.xhtml"

    static func questionID(_ number: Int) -> String { "eq-\(number)" }
    static func answerID(_ number: Int) -> String { "ea-\(number)" }

    /// A question's parts as XHTML fragments. The stem and options show their links as text,
    /// as on the site; the explanation's links point into the book.
    struct Parts {
        var stem: String
        var options: [String]
        var explanation: String
    }

    let set: LinkedStudySet
    let layout: EpubLayout
    /// The questions in book order (by domain as `exam.yml` lists them, then file order),
    /// numbered from 1.
    let questions: [Question]

    init(set: LinkedStudySet, layout: EpubLayout) {
        self.set = set
        self.layout = layout
        let order = Dictionary(uniqueKeysWithValues: (set.studySet.exam?.domains ?? []).enumerated().map { ($1.id, $0) })
        questions = set.studySet.questions.enumerated()
            .sorted { (order[$0.element.domain ?? ""] ?? Int.max, $0.offset) < (order[$1.element.domain ?? ""] ?? Int.max, $1.offset) }
            .map(\.element)
    }

    /// The key of both documents beyond the book's layout: the exam files' render keys (their
    /// Markdown and where their links go) and the titles of the notes the questions cover.
    func key(base: OutputKey) -> OutputKey {
        var key = base.adding("exam")
        for page in set.studySet.examPages { key.add(page.id, set.links(of: page).renderKey) }
        for question in questions {
            for case let .page(id, _) in set.notes(covering: question) { key.add(set.page(id)?.title ?? "") }
        }
        return key
    }

    /// Both documents, rendered together (each question's Markdown once).
    func documents() -> (questions: String, answers: String) {
        let rendered = renderParts()
        let exam = set.studySet.exam
        let words = set.config.bookWords
        var body = "<section epub:type=\"part\" class=\"practice-exam\">\n<h1>\(XML.escape(words.practiceExam))</h1>\n"
        if let exam {
            // Filled in escaped, so the link's markup is not escaped with the words.
            let link = "<a href=\"\(Self.answersFile)\">\(XML.escape(words.examAnswersLink))</a>"
            body += "<p>" + BookWords.fill(XML.escape(words.examIntro), [
                "count": XML.escape(words.counted(questions.count, words.examQuestions)), "exam": XML.escape(exam.name), "questions": String(exam.questions),
                "minutes": String(exam.minutes), "answers": link,
            ]) + "</p>\n"
        }
        var answers = "<section epub:type=\"appendix\" class=\"answers exam-answers\">\n<h1>\(XML.escape(words.examAnswers))</h1>\n"
        var number = 0
        for (domain, group) in groups() {
            let name = XML.escape(domain.map { exam?.domain($0)?.name ?? $0 } ?? words.otherDomain)
            body += "<section class=\"exam-domain\">\n<h2>\(name)</h2>\n<ol class=\"questions\">\n"
            answers += "<section class=\"answers-service\">\n<h2>\(name)</h2>\n"
            for question in group {
                number += 1
                let parts = rendered[question.id]!
                let letters = question.options.indices.map { Self.letter($0) }
                let choose = question.isMultipleResponse ? "<span class=\"choose\">\(XML.escape(BookWords.fill(words.choose, ["n": String(question.correctIndices.count)])))</span> " : ""
                body += "<li id=\"\(Self.questionID(number))\" value=\"\(number)\">\n\(parts.stem)"
                body += "<ol class=\"options\" type=\"A\">\n"
                for option in parts.options { body += "<li>\(option)</li>\n" }
                body += "</ol>\n<p>\(choose)"
                body += "<a class=\"to-answer\" href=\"\(Self.answersFile)#\(Self.answerID(number))\">\(XML.escape(words.answer))</a></p></li>\n"

                answers += "<div class=\"answer\" id=\"\(Self.answerID(number))\">\n"
                answers += "<p class=\"answer-question\"><a href=\"\(Self.questionsFile)#\(Self.questionID(number))\">\(number).</a> "
                answers += "\(XML.escape(question.title))</p>\n"
                let correct = question.correctIndices.map { "\(letters[$0]). \(parts.options[$0])" }
                answers += "<p class=\"correct\"><strong>\(XML.escape(words.answerLabel))</strong> \(correct.joined(separator: "; "))</p>\n"
                answers += "<div class=\"answer-body\">\n\(parts.explanation)</div>\n"
                let notes = set.notes(covering: question).compactMap { target -> String? in
                    guard case let .page(id, _) = target, let page = set.page(id), let href = layout.href(target) else { return nil }
                    return "<a href=\"\(XML.escape(href))\">\(XML.escape(page.title))</a>"
                }
                if !notes.isEmpty { answers += "<p class=\"exam-notes\">\(XML.escape(words.inTheNotes)) \(notes.joined(separator: ", "))</p>\n" }
                answers += "</div>\n"
            }
            body += "</ol>\n</section>\n"
            answers += "</section>\n"
        }
        body += "</section>\n"
        answers += "</section>\n"
        let language = set.config.language
        return (EpubRenderer.document(title: words.practiceExam, language: language, body: body, bodyType: "bodymatter"),
                EpubRenderer.document(title: words.examAnswers, language: language, body: answers, bodyType: "backmatter"))
    }

    /// The questions by domain, in book order.
    private func groups() -> [(String?, [Question])] {
        var result: [(String?, [Question])] = []
        for question in questions {
            if let last = result.last, last.0 == question.domain {
                result[result.count - 1].1.append(question)
            } else {
                result.append((question.domain, [question]))
            }
        }
        return result
    }

    static func letter(_ index: Int) -> String { String(UnicodeScalar(UInt8(65 + index % 26))) }

    private func renderParts() -> [String: Parts] {
        // A question's footnotes are numbered from 1 and follow the part that references them
        // (the stem, for the stem's and the options'; the explanation), with ids of its own.
        func writer(_ id: String) -> XHTMLWriter {
            var writer = XHTMLWriter()
            writer.footnotePrefix = OwnFootnotes.prefix(id)
            writer.headingShift = 2
            return writer
        }
        let asked = set.renderQuestions(href: { _ in nil }) { question, nodes, links -> (String, String, [String]) in
            var stemWriter = writer(question.id)
            stemWriter.links = links
            stemWriter.numberFootnotes([nodes.heading] + nodes.stem + nodes.options)
            let options = nodes.options.map { item -> String in
                let children = item.children
                if children.count == 1, children[0].kind == .paragraph { return stemWriter.inlines(children[0].children) }
                return stemWriter.blocks(children)
            }
            let stem = nodes.stem.isEmpty ? "<p>\(stemWriter.inlines(nodes.heading.children))</p>\n" + stemWriter.footnotes(nodes.askedFootnotes)
                : stemWriter.blocks(nodes.stem + nodes.askedFootnotes)
            return (question.id, stem, options)
        }
        let explained = set.renderQuestions(href: { layout.href($0) }) { question, nodes, links -> String in
            var explanationWriter = writer(question.id + "\u{1F}explanation")
            explanationWriter.links = links
            return explanationWriter.blocks(nodes.explanation + nodes.explanationFootnotes)
        }
        var parts: [String: Parts] = [:]
        for ((id, stem, options), explanation) in zip(asked, explained) {
            parts[id] = Parts(stem: stem, options: options, explanation: explanation)
        }
        return parts
    }
}
