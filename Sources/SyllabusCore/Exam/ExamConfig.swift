import Foundation
import Yams

/// `Content/exam.yml`: the exam the questions prepare for (length, time, scoring, domains).
struct ExamConfig: Sendable, Equatable {
    /// One content domain of the exam guide (`domains:` in `exam.yml`).
    struct Domain: Sendable, Equatable {
        /// What questions name in `domain:` (`development`).
        var id: String
        /// The name shown on reports and in the book (`Development with AWS Services`).
        var name: String
        /// Share of the exam's questions, in percent.
        var weight: Int
    }

    /// The exam's name, shown on the exam page and in the book.
    var name = "Practice exam"
    /// Questions per exam, and how many of them the real exam scores (the rest are unscored
    /// trial questions; a mock exam cannot know which, so it scores all).
    var questions = 65
    /// Of those, how many the real exam scores; nil when `exam.yml` does not say.
    var scored: Int?
    /// Time allowed for one exam, in minutes.
    var minutes = 130
    /// The scaled score's range and the passing score on it.
    var scoreMin = 100
    /// The top of the scaled score.
    var scoreMax = 1000
    /// The lowest scaled score that passes.
    var passing = 720
    /// In the order `exam.yml` lists them; weights add up to 100.
    var domains: [Domain] = []
    /// False when `exam.yml` could not be read (not UTF-8, broken YAML, not a mapping) or its
    /// `domains` are missing or no list: then no domain a question names is known, and its error says
    /// why, not one error per question (as for an unreadable `services.yml`).
    var domainsRead = true

    /// The file's name in the content folder.
    static let fileName = "exam.yml"

    /// The domain with `id`, or nil when `exam.yml` has none.
    func domain(_ id: String) -> Domain? { domains.first { $0.id == id } }

    /// The minutes of a mock exam drawing `drawn` questions: `minutes` when it draws the real
    /// exam's `questions`, else that time scaled to them (`minutes × drawn ÷ questions`) and
    /// rounded up to a whole minute, so a small bank is not given the whole exam's time.
    /// `assets/exam.js` times its exams by the same rule.
    func minutes(drawing drawn: Int) -> Int {
        drawn < questions ? (minutes * drawn + questions - 1) / questions : minutes
    }

    /// Reads and checks `url`; nil when the file does not exist. Problems are reported and
    /// leave the defaults in place.
    static func load(from url: URL, displayPath: String, diagnostics: DiagnosticLog) -> ExamConfig? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var exam = ExamConfig()
        let reader = YAMLReader(path: displayPath, lineOffset: 0, diagnostics: diagnostics)
        exam.domainsRead = false
        guard let text = reader.text(of: data) else { return exam }
        guard let root = reader.parse(text) else {
            if text.allSatisfy(\.isWhitespace) { diagnostics.error("exam.yml is empty", at: reader.location()) }
            return exam
        }
        guard let entries = reader.mapping(root, what: "exam.yml") else { return exam }
        var found: Set<String> = []
        var domainsNode: Yams.Node?
        for (key, value) in entries {
            found.insert(key)
            switch key {
            case "name": exam.name = reader.string(value, key: key) ?? exam.name
            case "questions": exam.questions = positive(reader, value, key) ?? exam.questions
            case "scored": exam.scored = positive(reader, value, key)
            case "minutes": exam.minutes = positive(reader, value, key) ?? exam.minutes
            case "passing": exam.passing = reader.int(value, key: key) ?? exam.passing
            case "score_range":
                if let pair = value.sequence?.compactMap(\.int), pair.count == 2, value.sequence?.count == 2, pair[0] < pair[1] {
                    (exam.scoreMin, exam.scoreMax) = (pair[0], pair[1])
                } else {
                    diagnostics.error("'score_range' must be two whole numbers, lowest first: [100, 1000]", at: reader.location(of: value))
                }
            case "domains":
                domainsNode = value
                exam.domains = readDomains(value, reader: reader, diagnostics: diagnostics)
                exam.domainsRead = value.sequence?.isEmpty == false
            default:
                diagnostics.warning("unknown key '\(key)' in exam.yml (\(Suggestion.hint(for: key, among: knownKeys)))",
                                    at: reader.location(of: value))
            }
        }
        for required in ["name", "questions", "minutes", "passing", "domains"] where !found.contains(required) {
            diagnostics.error("exam.yml is missing '\(required)'", at: reader.location(of: root))
        }
        if let scored = exam.scored, scored > exam.questions {
            diagnostics.error("'scored' (\(scored)) is more than 'questions' (\(exam.questions))", at: reader.location(of: root))
        }
        if !(exam.scoreMin...exam.scoreMax).contains(exam.passing) {
            diagnostics.error("'passing' (\(exam.passing)) is outside the score range \(exam.scoreMin)–\(exam.scoreMax)",
                              at: reader.location(of: root))
        }
        if let domainsNode, !exam.domains.isEmpty {
            let total = exam.domains.map(\.weight).reduce(0, +)
            if total != 100 {
                diagnostics.error("domain weights add up to \(total), not 100", at: reader.location(of: domainsNode))
            }
        }
        return exam
    }

    static let knownKeys = ["domains", "minutes", "name", "passing", "questions", "score_range", "scored"]

    private static func positive(_ reader: YAMLReader, _ node: Yams.Node, _ key: String) -> Int? {
        guard let value = reader.int(node, key: key) else { return nil }
        guard value > 0 else {
            reader.diagnostics.error("'\(key)' must be more than 0", at: reader.location(of: node))
            return nil
        }
        return value
    }

    private static func readDomains(_ node: Yams.Node, reader: YAMLReader, diagnostics: DiagnosticLog) -> [Domain] {
        guard let entries = node.sequence, !entries.isEmpty else {
            diagnostics.error("'domains' must be a list of domains (id, name, weight)", at: reader.location(of: node))
            return []
        }
        var domains: [Domain] = []
        for entry in entries {
            guard let values = reader.fields(of: entry, noun: "domain", known: ["id", "name", "weight"], required: ["id", "name", "weight"])
            else { continue }
            guard let idNode = values["id"], let id = reader.string(idNode, key: "id"),
                  let name = values["name"].flatMap({ reader.string($0, key: "name") }),
                  let weightNode = values["weight"], let weight = reader.int(weightNode, key: "weight") else { continue }
            guard ServiceCatalog.isValidID(id) else {
                diagnostics.error("domain id '\(id)' must match [a-z0-9-]+", at: reader.location(of: idNode))
                continue
            }
            guard weight > 0 else {
                diagnostics.error("domain weight must be more than 0", at: reader.location(of: weightNode))
                continue
            }
            guard !domains.contains(where: { $0.id == id }) else {
                diagnostics.error("duplicate domain id '\(id)'", at: reader.location(of: idNode))
                continue
            }
            domains.append(Domain(id: id, name: name, weight: weight))
        }
        return domains
    }
}

/// The checks on questions that need every file and `exam.yml`: known domains, and unique
/// questions and ids. Two questions with the same title and stem are the same question
/// whatever their ids, as two cards with one front are (`Classifier.checkCards`): pinning ids
/// must not turn the check off. Otherwise an id used twice is an error, as the second
/// question would overwrite the first in Anki.
enum ExamChecks {
    static func check(_ questions: [Question], exam: ExamConfig?, diagnostics: DiagnosticLog) {
        guard !questions.isEmpty else { return }
        guard let exam else {
            diagnostics.error("questions need an exam description, \(ExamConfig.fileName) in the content folder",
                              at: questions[0].location)
            return
        }
        // The first question of each id and content, by its index (see `Classifier.checkCards`).
        var ids: [String: Int] = [:], contents: [String: Int] = [:]
        var reportedDomains: Set<SourceLocation> = []
        for (index, question) in questions.enumerated() {
            if exam.domainsRead, let domain = question.domain, exam.domain(domain) == nil, reportedDomains.insert(question.domainLocation).inserted {
                diagnostics.error("unknown domain '\(domain)' (known: \(exam.domains.map(\.id).joined(separator: ", ")))",
                                  at: question.domainLocation)
            }
            // The id it would have unpinned: what makes two questions the same.
            let content = Question.id(pinnedID: nil, title: question.title, stem: question.stemText)
            if let first = contents[content] {
                diagnostics.error("duplicate question '\(question.title)' (first at \(questions[first].location))", at: question.location)
            } else if let first = ids[question.id] {
                diagnostics.error("question id '\(question.id)' is also used at \(questions[first].location)", at: question.location)
            }
            if contents[content] == nil { contents[content] = index }
            if ids[question.id] == nil { ids[question.id] = index }
        }
    }
}
