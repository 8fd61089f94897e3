import CMarkGFM
import Foundation

/// An id a note names on its own, outside its headings' slugs: an HTML anchor element or a
/// `{#custom-id}` heading attribute. Links may point at it like at a heading.
struct ExplicitAnchor: Sendable, Equatable {
    /// The id as written (unescaped), without `#`.
    var id: String
    /// 1-based line of the element or heading in the source file.
    var line: Int
    /// 1-based column of its node, in UTF-8 bytes (see `Node.column`).
    var column: Int
    /// Whether it was written inside a link's text (`[<a name="x"></a>Title](page.md)`), as
    /// published guides write the entries of their own Topics lists: a copy of the id the
    /// heading further down names, so it yields that id to any anchor outside a link.
    var inLinkText = false
}

/// Explicit HTML anchors: elements that only name a place (`<a name="x"></a>`, `<a id="x"></a>`,
/// `<span id="x"></span>`), as published guides write them in headings, paragraphs and list
/// items. They carry no content and no behaviour, so they are safe in every output: each is
/// replaced by one node Syllabus writes itself (`<a id="x"></a>`, the id escaped) and marked, so
/// the sanitizer keeps it and every renderer writes it as an id. An anchor inside a link's text
/// is moved to just before the link: an `<a>` inside an `<a>` is invalid HTML and XHTML
/// (EPUBCheck RSC-005), and browsers split the link around it.
enum HTMLAnchors {
    /// Replaces every anchor-only element of `tree` by a marked node; returns the ids in
    /// document order with their nodes. cmark-gfm gives inline HTML one node per tag, so an
    /// inline anchor is an opening tag node directly followed by its closing tag node; a line
    /// of nothing but anchors is an HTML block.
    static func apply(to tree: MarkdownTree) -> [(anchor: ExplicitAnchor, node: Node)] {
        var found: [(anchor: ExplicitAnchor, node: Node)] = []
        var candidates: [Node] = []
        tree.document.walk { node in
            switch node.kind {
            case .htmlInline, .htmlBlock:
                candidates.append(node)
                return .skipChildren
            case .codeBlock, .image:
                // An image's content is its alt text, no place of the page: an anchor there
                // would go with the image wherever it is replaced by its text (a missing
                // picture, a dangerous URL), freed while the anchors still held it.
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        var closings: Set<Node> = []
        for node in candidates where !closings.contains(node) {
            let literal = node.literal ?? ""
            if node.kind == .htmlBlock {
                guard let ids = anchorElements(literal), !ids.isEmpty else { continue }
                node.literal = ids.map(element).joined() + "\n"
                node.mark = .htmlAnchor
                // One block may name several places; every id points at the same node.
                for id in ids { found.append((ExplicitAnchor(id: id, line: node.line, column: node.column), node)) }
                continue
            }
            guard let (tag, id) = openingTag(literal), let closing = node.next, closing.kind == .htmlInline,
                  closingTag(closing.literal ?? "") == tag else { continue }
            closings.insert(closing)
            node.literal = element(id)
            node.mark = .htmlAnchor
            var anchor = ExplicitAnchor(id: id, line: node.line, column: node.column)
            if let link = outermostLink(around: node) {
                node.unlink()
                link.insertBefore(node)
                anchor.inLinkText = true
            }
            found.append((anchor, node))
        }
        // Freed only now: a freed node's address may be reused by cmark.
        for closing in closings { closing.remove() }
        return found
    }

    /// The outermost link whose text holds `node`; nil when it is in none.
    private static func outermostLink(around node: Node) -> Node? {
        var link: Node?
        var ancestor = node.parent
        while let current = ancestor {
            if current.kind == .link { link = current }
            ancestor = current.parent
        }
        return link
    }

    /// The markup Syllabus writes for an anchor.
    static func element(_ id: String) -> String { "<a id=\"\(escapeHTML(id))\"></a>" }

    /// The ids of a block that holds nothing but anchor elements and whitespace; nil otherwise.
    static func anchorElements(_ html: String) -> [String]? {
        var rest = Substring(html)
        var ids: [String] = []
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.isEmpty { return ids }
            guard rest.first == "<", let close = rest.firstIndex(of: ">") else { return nil }
            guard let (tag, id) = openingTag(String(rest[...close])) else { return nil }
            rest = rest[rest.index(after: close)...]
            guard let end = rest.firstIndex(of: ">"), closingTag(String(rest[...end])) == tag else { return nil }
            rest = rest[rest.index(after: end)...]
            ids.append(id)
        }
    }

    /// `<a name="x">`, `<a id="x">` or `<span id="x">` (quotes single or double, any case, no
    /// other attributes): the tag name and the id. An `<a>` with an `href` is a link, not an anchor.
    static func openingTag(_ text: String) -> (tag: String, id: String)? {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 3, scalars.first == "<", scalars.last == ">" else { return nil }
        var index = 1
        var name = ""
        while index < scalars.count, scalars[index].properties.isAlphabetic {
            name.unicodeScalars.append(scalars[index]); index += 1
        }
        name = name.lowercased()
        guard name == "a" || name == "span" else { return nil }
        var id: String?
        while true {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            if index == scalars.count - 1 { break }
            var attribute = ""
            while index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == "-" {
                attribute.unicodeScalars.append(scalars[index]); index += 1
            }
            attribute = attribute.lowercased()
            guard attribute == "id" || (attribute == "name" && name == "a"), index < scalars.count, scalars[index] == "=" else { return nil }
            index += 1
            guard index < scalars.count, scalars[index] == "\"" || scalars[index] == "'" else { return nil }
            let quote = scalars[index]
            index += 1
            var value = ""
            while index < scalars.count, scalars[index] != quote { value.unicodeScalars.append(scalars[index]); index += 1 }
            guard index < scalars.count - 1 else { return nil }
            index += 1
            // The HTML standard: an id is at least one character and holds no whitespace.
            guard !value.isEmpty, !value.unicodeScalars.contains(where: \.properties.isWhitespace) else { return nil }
            // `<a name="x" id="x">` names one place; two different names would be two places.
            if let id, id != value { return nil }
            id = value
        }
        return id.map { (name, $0) }
    }

    /// `</a>` or `</span>` (any case): the tag name.
    static func closingTag(_ text: String) -> String? {
        let trimmed = text.trimming(.whitespacesAndNewlines).lowercased()
        switch trimmed {
        case "</a>": return "a"
        case "</span>": return "span"
        default: return nil
        }
    }

    /// Takes a `{#custom-id}` attribute (Pandoc, Hugo, MkDocs) off the end of a heading and
    /// returns the id; nil when the heading has none. Only the id form is read: classes and
    /// other attributes in the braces leave the heading as it is.
    static func takeCustomID(from heading: Node) -> String? {
        var last = heading.firstChild
        while let next = last?.next { last = next }
        guard let text = last, text.kind == .text, let literal = text.literal else { return nil }
        var body = Substring(literal)
        while body.last?.isWhitespace == true { body = body.dropLast() }
        guard body.hasSuffix("}"), let open = body.range(of: "{#", options: .backwards) else { return nil }
        let id = String(body[open.upperBound..<body.index(before: body.endIndex)])
        guard !id.isEmpty, !id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "{" || $0 == "}" }) else { return nil }
        var before = body[..<open.lowerBound]
        while before.last?.isWhitespace == true { before = before.dropLast() }
        text.literal = String(before)
        return id
    }
}
