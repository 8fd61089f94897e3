import Foundation

/// A card's question and answer as HTML, shared by every renderer that shows cards.
public struct CardHTML: Sendable {
    public var front: String
    public var back: String
    /// What to show before revealing: the front, with cloze deletions as blanks.
    public var question: String
    /// What to show after: for a cloze card the front with the deletions filled in, then the back.
    public var answer: String

    /// Renders `card` with its internal links pointed by `href`.
    public init(_ card: Card, in set: LinkedStudySet, href: (LinkTarget) -> String?) {
        let page = set.page(card.pageID)!
        let front = set.render(page, href: href) { card.front.innerHTML() }
        let back = set.render(page, href: href) {
            card.isInline ? card.back.map { $0.innerHTML() }.joined() : card.back.map { $0.html() }.joined()
        }
        self.front = front
        self.back = back
        if card.kind == .cloze {
            question = Cloze.render(front, reveal: false) { text, _ in "<span class=\"cloze\">\(text)</span>" }
            answer = Cloze.render(front, reveal: true) { text, _ in "<mark class=\"cloze\">\(text)</mark>" } + back
        } else {
            question = front
            answer = back
        }
    }
}
