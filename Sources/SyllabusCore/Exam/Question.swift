import Foundation

/// One multiple-choice question of a `*.exam.md` file, as every stage after classifying sees
/// it: what the file says on its own (the build cache keeps exactly this). Its Markdown (stem,
/// options, explanation) lives in its page's content, at `index`.
struct Question: Sendable, Encodable {
    /// The id written under the heading (`<!-- id: … -->`), if any.
    var pinnedID: String?
    /// Stable id: the pinned one, else derived from the title and stem (see `Question.id(…)`).
    var id: String
    /// The service of the file's page (the folder it is in).
    var serviceID: String
    /// The `*.exam.md` file's path relative to the content folder.
    var pageID: String
    /// Position among its page's questions.
    var index: Int
    /// The `##` heading's text: a short name for the question.
    var title: String
    /// Id of the question's heading, for links to it.
    var anchor: String
    /// Where the heading is.
    var location: SourceLocation
    /// The last line of the question's section; links between `location.line` and here are
    /// the question's (see `LinkedStudySet.notes(covering:)`).
    var lastLine: Int
    /// The domain id as written (`<!-- domain: … -->`, else the file's `domain:`), checked
    /// against `exam.yml` once all files are known; nil when neither says one.
    var domain: String?
    /// Where the domain was written (the comment, or the front matter key).
    var domainLocation: SourceLocation
    /// The stem as plain text, trimmed (the title when the heading has nothing under it).
    var stemText: String
    /// In the order written.
    var options: [QuestionOption]
    /// Whether anything follows the options (its absence is a warning).
    var hasExplanation: Bool

    /// The question's Anki note GUID: derived from its id, in a namespace of its own so that no
    /// question shares a GUID with a card (pinned ids of both are free text).
    var guid: String { IdentifierHash.guid("exam-question\u{1F}" + id) }

    /// Indices of the correct options.
    var correctIndices: [Int] { options.indices.filter { options[$0].isCorrect } }

    /// Several correct options make a "Choose N" question.
    var isMultipleResponse: Bool { correctIndices.count > 1 }

    /// Never from the options or explanation, so fixing an answer keeps the id (Anki updates
    /// the note, and attempts stored in a browser still know the question).
    /// The title and stem are normalized as a card's front is (`Card.normalizedFront`: case
    /// and runs of white space ignored), byte by byte when ASCII: every build checks every
    /// question's unpinned id (`ExamChecks`).
    static func id(pinnedID: String?, title: String, stem: String) -> String {
        if let pinnedID { return pinnedID }
        return IdentifierHash.guid("exam\u{1F}" + Card.normalizedFront(title + " " + stem))
    }
}

/// One answer option: a task list item, `- [x]` when correct.
struct QuestionOption: Sendable, Equatable, Encodable {
    /// The item's plain text, each run of white space one space (the outputs render its
    /// Markdown from the tree).
    var text: String
    /// `- [x]`.
    var isCorrect: Bool

    /// Keeps its written place when the options are shuffled: marked `<!-- pin -->`, or
    /// refers to the other options ("None of the above"; see `PinnedOption`).
    var isPinned: Bool
}

/// A question's Markdown inside its page's tree.
struct QuestionNodes {
    /// The `##` heading that starts the question.
    var heading: Node
    /// Blocks between the heading and the options; empty when the heading is the stem.
    var stem: [Node]
    /// The task list items, in order.
    var options: [Node]
    /// Blocks after the options, up to the next question.
    var explanation: [Node]
    /// The footnote definitions the heading, stem and options reference, in the order of
    /// their first reference (they stay at the end of the page's tree, where cmark-gfm puts them).
    var askedFootnotes: [Node] = []
    /// The footnote definitions the explanation references, in the same order.
    var explanationFootnotes: [Node] = []
}

/// `<!-- domain: some-id -->`, a question's domain.
enum QuestionDomain {
    /// The id in an HTML comment `<!-- domain: id -->` (spaces around it ignored); nil for
    /// any other HTML or an empty id.
    static func parse(_ html: String) -> String? {
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->") else { return nil }
        let inner = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("domain:") else { return nil }
        let id = inner.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return id.isEmpty ? nil : id
    }
}
