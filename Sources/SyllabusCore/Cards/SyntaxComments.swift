import Foundation

/// The HTML comments that are Syllabus syntax rather than markup: a card's `<!-- id: … -->`,
/// `<!-- source: … -->` and `<!-- checked: … -->` (`CardComment`), an exam question's
/// `<!-- domain: … -->` (`QuestionDomain`) and an option's `<!-- pin -->` (`PinnedOption`).
/// The build hands this rule to the Markdown stage, whose sanitizer drops every other raw
/// HTML, so the card and question extractors still find these comments (and remove them once
/// read).
enum SyntaxComments {
    /// Whether the raw HTML `literal` is one of these comments.
    static func isSyntax(_ literal: String) -> Bool {
        CardComment.parse(literal) != nil || QuestionDomain.parse(literal) != nil || PinnedOption.isMarker(literal)
    }
}
