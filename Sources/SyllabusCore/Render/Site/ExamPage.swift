import Foundation

/// The site's mock exam, `exam/index.html`: the exam's description and every question as data
/// for `assets/exam.js`, which draws, times and scores exams in the browser (and keeps the
/// attempts there), so it works from `file://`.
struct ExamPage {
    let set: LinkedStudySet
    let templates: TemplateSet
    let links: SiteLinks

    static let path = "exam/index.html"

    /// What the page shows: the exam, every question's file (by render key, which covers its
    /// Markdown and where its links go) and the titles of the notes they link to.
    func key(base: OutputKey) -> String {
        var key = base.adding("exam")
        for page in set.studySet.examPages { key.add(page.id, set.links(of: page).renderKey) }
        for question in set.studySet.questions {
            key.add(question.serviceID, set.studySet.service(question.serviceID).short)
            for target in set.notes(covering: question) {
                if case let .page(id, _) = target { key.add(set.page(id)?.title ?? "") }
            }
        }
        return key.hex
    }

    /// The page's template context: `examJSON` is `data` (see `data()`); `count` is the number
    /// of questions in the bank, `questions` the same in words ("1 question", "2 questions");
    /// `drawn` how many an exam draws and `minutes` its time (`time` in words, "1 minute"); when the bank is smaller than the
    /// real exam, `scaled` is true and `examQuestions`, `examMinutes` are the real exam's.
    func context(data: String) -> [String: Any] {
        let exam = set.studySet.exam ?? ExamConfig()
        let count = set.studySet.questions.count
        let drawn = min(count, exam.questions), minutes = exam.minutes(drawing: drawn)
        return ["root": SiteLinks.root(depth: 1), "name": exam.name, "nameHTML": Self.unbrokenCodes(exam.name),
                "count": count, "questions": counted(count, "question"),
                "drawn": drawn, "minutes": minutes, "time": counted(minutes, "minute"), "scaled": drawn < exam.questions,
                "examQuestions": exam.questions, "examMinutes": exam.minutes, "examJSON": data]
    }

    /// `name` as HTML, escaped, with each word that holds a hyphen (an exam's code, "(DVA-C02)")
    /// in a span that a line does not break (`nowrap`, style.css): a phone broke the title
    /// after "(DVA-". Only words of at most 16 characters: a longer one may need the break.
    static func unbrokenCodes(_ name: String) -> String {
        name.split(separator: " ", omittingEmptySubsequences: false).map { word in
            let escaped = escapeHTML(String(word))
            return word.count <= 16 && word.dropFirst().dropLast().contains("-") ? "<span class=\"nowrap\">\(escaped)</span>" : escaped
        }.joined(separator: " ")
    }

    /// What `KeptHTML` keeps `data()` under: no note's id, which ends in `.md`.
    static let keptID = "exam data"

    /// The key of `data()`: what `key(base:)` adds to the site's, without the theme (the data
    /// does not come from it).
    func dataKey(environment: String) -> String {
        key(base: OutputKey("site exam data", environment))
    }

    /// The exam and its questions as JSON for the page's script (made safe inside `<script>`,
    /// see `ScriptJSON`): the costly part of the page, read from the exam files' trees.
    func data() -> String {
        let root = SiteLinks.root(depth: 1)
        let exam = set.studySet.exam ?? ExamConfig()
        let questions = set.studySet.questions
        let html = QuestionHTML.all(in: set) { links.href($0, root: root) }
        let servicesInBank = Set(questions.map(\.serviceID))
        // Each object's keys in the order of `JSONSerialization`'s `.sortedKeys` (see `ScriptJSON`).
        var json = ScriptJSON()
        json.beginObject()
        json.key("bank")
        json.beginArray()
        for (question, html) in zip(questions, html) {
            json.beginObject()
            json.pair("domain", question.domain ?? "")
            json.pair("explanation", html.explanation)
            json.pair("id", question.id)
            json.key("notes")
            json.beginArray()
            for target in set.notes(covering: question) {
                guard case let .page(id, _) = target, let page = set.page(id), let href = links.href(target, root: root) else { continue }
                json.beginObject()
                json.pair("href", href)
                json.pair("title", page.title)
                json.endObject()
            }
            json.endArray()
            json.key("options")
            json.beginArray()
            for (option, optionHTML) in zip(question.options, html.options) {
                json.beginObject()
                json.key("correct")
                json.bool(option.isCorrect)
                json.pair("html", optionHTML)
                json.key("pinned")
                json.bool(option.isPinned)
                json.endObject()
            }
            json.endArray()
            json.pair("service", question.serviceID)
            json.pair("stem", html.stem)
            json.pair("title", question.title)
            json.endObject()
        }
        json.endArray()
        json.key("domains")
        json.beginArray()
        for domain in exam.domains {
            json.beginObject()
            json.pair("id", domain.id)
            json.pair("name", domain.name)
            json.key("weight")
            json.int(domain.weight)
            json.endObject()
        }
        json.endArray()
        // The time of an exam drawn from this bank, made here alone (`ExamConfig.minutes(drawing:)`).
        json.key("drawnMinutes")
        json.int(exam.minutes(drawing: min(questions.count, exam.questions)))
        json.key("minutes")
        json.int(exam.minutes)
        json.pair("name", exam.name)
        json.key("passing")
        json.int(exam.passing)
        json.key("questions")
        json.int(exam.questions)
        json.key("scored")
        json.int(exam.scored ?? exam.questions)
        json.key("scoreMax")
        json.int(exam.scoreMax)
        json.key("scoreMin")
        json.int(exam.scoreMin)
        json.key("services")
        json.beginArray()
        for service in set.studySet.servicesInUse where servicesInBank.contains(service.id) {
            json.beginObject()
            json.pair("id", service.id)
            json.pair("name", service.short)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text
    }
}
