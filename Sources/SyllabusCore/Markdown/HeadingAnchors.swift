import CMarkGFM
import Foundation

/// A heading of a page, with the id its anchor carries.
struct Heading: Sendable, Equatable, Encodable {
    /// 1 (`#`) to 6 (`######`).
    var level: Int
    /// The heading's plain text (markup dropped, `{#id}` removed), trimmed; for an empty heading,
    /// its anchor id made readable, or "Section".
    var text: String
    /// Fragment id, unique within the page (see `Slugger`); no `#`.
    var id: String
    /// 1-based line in the source file, front matter included.
    var line: Int
}

/// Hands out ids that are unique within one document: a repeated base gets `-1`, `-2`…,
/// the way GitHub numbers repeated headings.
struct UniqueIDs {
    private var used: Set<String>
    private var counters: [String: Int] = [:]

    init(reserved: Set<String> = []) { used = reserved }

    /// Takes `id` as it is; false when it is already used.
    mutating func claim(_ id: String) -> Bool { used.insert(id).inserted }

    mutating func make(_ base: String) -> String {
        // One lookup for an id not yet used, the usual case (the book's layout makes one for
        // every heading of every note).
        var candidate = base
        while !used.insert(candidate).inserted {
            let number = (counters[base] ?? 0) + 1
            counters[base] = number
            candidate = "\(base)-\(number)"
        }
        return candidate
    }
}

/// GitHub-style heading slugs: lowercase, punctuation dropped, spaces to hyphens,
/// repeated slugs numbered `-1`, `-2`…
struct Slugger {
    private var ids: UniqueIDs

    /// `reserved`: ids the document names itself (HTML anchors), which no slug may take.
    init(reserved: Set<String> = []) { ids = UniqueIDs(reserved: reserved) }

    /// Claims an id the author chose; false when it is already taken.
    mutating func claim(_ id: String) -> Bool { ids.claim(id) }

    /// The base slug of `text`, not made unique: lowercased, letters, digits, `-` and `_` kept
    /// (Unicode letters too), each space a `-`, everything else dropped. May be empty.
    static func slug(_ text: String) -> String {
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {
                // Foundation's CharacterSet lookup is slow enough to show for every heading.
                let value = scalar.value
                if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) || scalar == "-" || scalar == "_" {
                    slug.unicodeScalars.append(scalar)
                } else if scalar == " " {
                    slug += "-"
                }
            } else if CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if scalar == " " {
                slug += "-"
            }
        }
        return slug
    }

    /// `slug(text)` (or "section" when that is empty), numbered `-1`, `-2`… if this document
    /// already used it or reserved it.
    mutating func unique(_ text: String) -> String {
        let slug = Self.slug(text)
        return ids.make(slug.isEmpty ? "section" : slug)
    }
}

/// Markdown stage: heading ids and the anchor elements that carry them.
enum HeadingAnchors {
    /// Gives each heading a unique id and an anchor element carrying it; returns the headings
    /// with their nodes. A `{#custom-id}` at the end of a heading is taken off and is its id
    /// (the first heading to claim an id keeps it; a later one gets its slug). A heading with
    /// no text of its own (only an anchor or an empty image) is named after the anchor in it,
    /// `anchorIDs`, or its id, so every table of contents entry has text. With `clozeCards`
    /// (a card file), a `##` heading is a card's front: its text and id are made from the front
    /// with its cloze deletions (`{{c1::…}}`, `==…==`) filled in, as the page shows it.
    static func apply(to tree: MarkdownTree, slugger: inout Slugger, anchorIDs: [Node: String] = [:],
                      clozeCards: Bool = false) -> [(heading: Heading, node: Node)] {
        var headings: [(heading: Heading, node: Node)] = []
        var nodes: [Node] = []
        tree.document.walk { node in
            switch node.kind {
            case .heading:
                nodes.append(node)
                return .skipChildren
            case .paragraph, .codeBlock, .htmlBlock, .table:
                return .skipChildren  // no headings inside; skipping their inlines saves the walk
            default:
                return .visitChildren
            }
        }
        // Custom ids first: a slug of an earlier heading must not take a later heading's id.
        let custom = nodes.map { node in HTMLAnchors.takeCustomID(from: node).flatMap { slugger.claim($0) ? $0 : nil } }
        for (node, customID) in zip(nodes, custom) {
            var text = node.plainText.trimming(.whitespaces)
            if clozeCards, node.headingLevel == 2 { text = Self.revealed(text) }
            let id = customID ?? slugger.unique(text)
            if text.isEmpty {
                let named = node.children.lazy.compactMap { anchorIDs[$0] }.first ?? customID ?? ""
                text = named.isEmpty ? "Section" : readable(named)
            }
            headings.append((Heading(level: node.headingLevel, text: text, id: id, line: node.line), node))
            let anchor = node.makeNode(CMARK_NODE_HTML_INLINE)
            anchor.literal = "<a class=\"anchor\" id=\"\(escapeHTML(id))\" href=\"#\(escapeHTML(id))\" aria-label=\"Link to this section\"></a>"
            anchor.mark = .headingAnchor
            node.prepend(anchor)
        }
        return headings
    }

    /// A card front's plain text with its deletions filled in: `==text==` and `{{c1::text}}`
    /// are `text`.
    static func revealed(_ text: String) -> String {
        // Foundation's search below runs for every card front; most hold neither marker, which
        // a byte scan tells first (a text without those bytes cannot hold them).
        var beforeLast: UInt8 = 0, last: UInt8 = 0
        let mayHold = text.utf8.contains { byte in
            defer { (beforeLast, last) = (last, byte) }
            return (last == UInt8(ascii: "=") && byte == UInt8(ascii: "="))
                || (beforeLast == UInt8(ascii: "{") && last == UInt8(ascii: "{") && byte == UInt8(ascii: "c"))
        }
        guard mayHold else { return text }
        guard text.contains("==") || text.contains("{{c") else { return text }
        return Cloze.render(Cloze.expandHighlights(text, firstNumber: 1).text, reveal: true)
    }

    /// An id as words, for a heading that has nothing else to show: `xray-concepts` → `xray concepts`.
    static func readable(_ id: String) -> String {
        String(id.map { $0 == "-" || $0 == "_" ? " " : $0 }).trimmingCharacters(in: .whitespaces)
    }
}
