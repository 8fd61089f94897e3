import Foundation

/// An exam question's parts as HTML, shared by the renderers that show questions.
public struct QuestionHTML: Sendable {
    /// The stem, and each option (inline HTML for a one-paragraph option). Their links are
    /// plain text: following one in the middle of a timed exam would leave it.
    public var stem: String
    public var options: [String]
    /// The explanation, with its links pointed by `href`.
    public var explanation: String

    /// Every question of `set`, in `StudySet.questions` order.
    public static func all(in set: LinkedStudySet, href: @escaping (LinkTarget) -> String?) -> [QuestionHTML] {
        let asked = set.renderQuestions(href: { _ in nil }) { _, nodes in
            (nodes.stem.isEmpty ? "<p>\(nodes.heading.innerHTML())</p>\n" : nodes.stem.map { $0.html() }.joined(),
             nodes.options.map { $0.children.map { $0.html() }.joined() })
        }
        let explained = set.renderQuestions(href: href) { _, nodes in nodes.explanation.map { $0.html() }.joined() }
        return zip(asked, explained).map { QuestionHTML(stem: $0.0, options: $0.1, explanation: $1) }
    }
}
