import Foundation

/// An exam question's parts as HTML, shared by the renderers that show questions.
struct QuestionHTML: Sendable {
    /// The stem, and each option (inline HTML for a one-paragraph option). Their links are
    /// plain text: following one in the middle of a timed exam would leave it.
    var stem: String
    /// One HTML fragment per option, in the order written.
    var options: [String]
    /// The explanation, with its links pointed by `href`.
    var explanation: String

    /// Every question of `set`, in `StudySet.questions` order; pictures at media names with
    /// `mediaNames` (for Anki: see `PointedLinks.init`).
    static func all(in set: LinkedStudySet, href: @escaping (LinkTarget) -> String?, mediaNames: Bool = false) -> [QuestionHTML] {
        // Each question's footnotes follow the part that references them: the stem (for the
        // stem's and the options'), the explanation.
        let asked = set.renderQuestions(href: { _ in nil }) { question, nodes, links -> (String, [String]) in
            let stem = nodes.stem.isEmpty ? "<p>\(links.innerHTML(nodes.heading))</p>\n" : nodes.stem.map(links.html).joined()
            let options = nodes.options.map { $0.children.map(links.html).joined() }
            let footnoted = OwnFootnotes.apply([stem] + options, definitions: nodes.askedFootnotes, prefix: OwnFootnotes.prefix(question.id),
                                               html: links.html)
            return (footnoted.parts[0] + footnoted.section, Array(footnoted.parts.dropFirst()))
        }
        let explained = set.renderQuestions(href: href, mediaNames: mediaNames) { question, nodes, links -> String in
            let footnoted = OwnFootnotes.apply([nodes.explanation.map(links.html).joined()], definitions: nodes.explanationFootnotes,
                                               prefix: OwnFootnotes.prefix(question.id + "\u{1F}explanation"), html: links.html)
            return footnoted.parts[0] + footnoted.section
        }
        return zip(asked, explained).map { QuestionHTML(stem: $0.0, options: $0.1, explanation: $1) }
    }
}
