import Foundation

/// A card's question and answer as HTML, shared by every renderer that shows cards.
struct CardHTML: Sendable {
    /// The front as an HTML fragment (inline content for an inline card), its own footnotes'
    /// references renumbered; cloze markup still in it.
    var front: String
    /// The back as an HTML fragment, followed by the card's own footnotes section if any.
    var back: String
    /// What to show before revealing: the front, with cloze deletions as blanks.
    var question: String
    /// What to show after: for a cloze card the front with the deletions filled in, then the back.
    var answer: String
    /// Where the card's figures come from (see `ProvenanceHTML`), its own or its file's; empty
    /// when neither names any. The site's and Anki's backs end with it.
    var provenance = ""

    /// Renders `cards` with their internal links pointed by `href` (pictures at media names
    /// with `mediaNames`, for Anki: see `PointedLinks.init`), in their order.
    static func all(_ cards: [Card], in set: LinkedStudySet, href: @escaping (LinkTarget) -> String?, mediaNames: Bool = false) -> [CardHTML] {
        zip(cards, set.renderCards(cards, href: href, mediaNames: mediaNames, CardHTML.init)).map { card, html in
            var html = html
            if let page = set.page(card.pageID) { html.provenance = ProvenanceHTML.paragraph(card.provenance(in: page)) }
            return html
        }
    }

    /// Renders a card, its page's links pointed by `links` (see `LinkedStudySet.renderCards`).
    private init(_ card: Card, nodes: CardNodes, links: PointedLinks) {
        let footnoted = OwnFootnotes.apply(
            [links.innerHTML(nodes.front), card.isInline ? nodes.back.map(links.innerHTML).joined() : nodes.back.map(links.html).joined()],
            definitions: nodes.footnotes, prefix: OwnFootnotes.prefix(card.guid), html: links.html)
        let front = footnoted.parts[0]
        let back = footnoted.parts[1] + footnoted.section
        self.front = front
        self.back = back
        if card.kind == .cloze {
            question = Cloze.question(front)
            answer = Cloze.revealed(front) + back
        } else {
            question = front
            answer = back
        }
    }
}
