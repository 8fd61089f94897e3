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
    /// of questions, `questions` the same in words ("1 question", "2 questions").
    func context(data: String) -> [String: Any] {
        let exam = set.studySet.exam ?? ExamConfig()
        let count = set.studySet.questions.count
        return ["root": SiteLinks.root(depth: 1), "name": exam.name, "count": count, "questions": counted(count, "question"),
                "minutes": exam.minutes, "examJSON": data]
    }

    /// What `KeptHTML` keeps `data()` under: no note's id, which ends in `.md`.
    static let keptID = "exam data"

    /// The key of `data()`: what `key(base:)` adds to the site's, without the theme (the data
    /// does not come from it).
    func dataKey(environment: String) -> String {
        key(base: OutputKey("site exam data", environment))
    }

    /// The exam and its questions as JSON for the page's script (made safe inside `<script>`):
    /// the costly part of the page, read from the exam files' trees.
    /// - Throws: what `JSONSerialization` throws (nothing for these values).
    func data() throws -> String {
        let root = SiteLinks.root(depth: 1)
        let exam = set.studySet.exam ?? ExamConfig()
        let questions = set.studySet.questions
        let html = QuestionHTML.all(in: set) { links.href($0, root: root) }
        let rows = zip(questions, html).map { question, html -> [String: Any] in
            let notes = set.notes(covering: question).compactMap { target -> [String: String]? in
                guard case let .page(id, _) = target, let page = set.page(id), let href = links.href(target, root: root) else { return nil }
                return ["title": page.title, "href": href]
            }
            return [
                "id": question.id, "domain": question.domain ?? "", "service": question.serviceID, "title": question.title,
                "stem": html.stem, "explanation": html.explanation, "notes": notes,
                "options": zip(question.options, html.options).map { option, optionHTML -> [String: Any] in
                    ["html": optionHTML, "correct": option.isCorrect, "last": option.staysLast]
                },
            ]
        }
        let servicesInBank = Set(questions.map(\.serviceID))
        let services = set.studySet.servicesInUse.filter { servicesInBank.contains($0.id) }.map { ["id": $0.id, "name": $0.short] }
        let data: [String: Any] = [
            "name": exam.name, "questions": exam.questions, "scored": exam.scored ?? exam.questions, "minutes": exam.minutes,
            "scoreMin": exam.scoreMin, "scoreMax": exam.scoreMax, "passing": exam.passing,
            "domains": exam.domains.map { ["id": $0.id, "name": $0.name, "weight": $0.weight] as [String: Any] },
            "services": services, "bank": rows,
        ]
        // Sorted keys: the same study set gives the same bytes.
        let json = try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])
        return SiteRenderer.scriptSafe(json: json)
    }
}
