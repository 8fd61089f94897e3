import Foundation

/// One flashcard, as every stage after classifying sees it. Its Markdown (front and back
/// nodes) lives in its page's content, at `index`; a page restored from the build cache has
/// no tree until a renderer asks for it.
public struct Card: Sendable {
    public enum Kind: String, Sendable { case basic, cloze }

    public var kind: Kind
    public var isInline: Bool
    public var pinnedID: String?
    public var serviceID: String
    public var pageID: String
    /// Position among its page's cards.
    public var index: Int
    /// Id of the page element the card sits under, for links to it.
    public var anchor: String
    public var location: SourceLocation
    /// The line a pinned id goes after: a heading card's last line, an inline card's own.
    public var pinLine: Int
    public var tags: [String]
    /// The card's own `<!-- source: … -->` and `<!-- checked: … -->` comments; empty when it
    /// has none (see `provenance(in:)`).
    public var ownProvenance = Provenance()
    /// The front as plain text, trimmed.
    public var frontText: String
    /// Stable Anki note id (see `Card.guid(…)`).
    public var guid: String

    /// The pinned id when there is one, else derived from the service and the normalized
    /// front. Never from the back, so fixing an answer updates the note. `cards --pin-ids`
    /// pins the derived value itself, so pinning changes no GUID.
    static func guid(pinnedID: String?, serviceID: String, frontText: String) -> String {
        if let pinnedID { return pinnedID }
        let normalized = frontText.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return IdentifierHash.guid(serviceID + "\u{1F}" + normalized)
    }
}

extension Card {
    /// What the card's back cites: its own sources and date, each falling back to its file's.
    public func provenance(in page: Page) -> Provenance {
        Provenance(sources: ownProvenance.sources.isEmpty ? page.provenance.sources : ownProvenance.sources,
                   checked: ownProvenance.checked ?? page.provenance.checked,
                   line: ownProvenance.isEmpty ? page.provenance.line : ownProvenance.line)
    }
}

/// A card's Markdown inside its page's tree.
public struct CardNodes {
    /// The node whose children are the front: the card's heading, or for an inline card a
    /// span around the part of the line before `::`. Holding containers keeps the card valid
    /// when the link stage splits or unwraps inline nodes inside them.
    public var front: Node
    /// Blocks under a heading card; for an inline card, one span holding the part after `::`.
    public var back: [Node]
    /// The footnote definitions the card references, in the order of their first reference
    /// (they stay in the page's tree, at its end, where cmark-gfm puts them).
    public var footnotes: [Node] = []
}

/// The comments a card may carry right after its heading (or at the end of an inline card's
/// line): `<!-- id: some-id -->`, `<!-- source: URL -->` (any number) and
/// `<!-- checked: YYYY-MM-DD -->`. The values are checked where the card is read.
public enum CardComment: Equatable {
    case id(String)
    case source(String)
    case checked(String)

    /// The comment `html` is, or nil when it is anything else. Only a plain comment (no `--`,
    /// `<` or `>` inside) counts, so one the sanitizer keeps can never end early or hold markup.
    public static func parse(_ html: String) -> CardComment? {
        if let id = CardID.parse(html) { return .id(id) }
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), trimmed.count >= 7 else { return nil }
        let inner = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard !inner.contains("--"), !inner.contains(where: { $0 == "<" || $0 == ">" || $0.isNewline }) else { return nil }
        for (prefix, make) in [("source:", CardComment.source), ("checked:", CardComment.checked)] where inner.hasPrefix(prefix) {
            return make(inner.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}

/// `<!-- id: some-id -->`, the optional stable id of a card.
public enum CardID {
    public static func parse(_ html: String) -> String? {
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->") else { return nil }
        let inner = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("id:") else { return nil }
        let id = inner.dropFirst(3).trimmingCharacters(in: .whitespaces)
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard !id.isEmpty, id.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        return id
    }

    public static func comment(_ id: String) -> String { "<!-- id: \(id) -->" }
}
