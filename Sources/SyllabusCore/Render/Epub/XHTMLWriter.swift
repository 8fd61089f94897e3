import CMarkGFM
import Foundation

/// Serializes a Markdown tree as well-formed XHTML for EPUB content documents.
///
/// cmark-gfm's HTML renderer writes HTML, not XML (footnote markup carries valueless
/// attributes, raw HTML passes through), so the book walks the tree itself. Everything it
/// writes is escaped by `XML.escape`; raw HTML from content never reaches the output as
/// markup. Ids are made by `ids` so that several notes can share one chapter file.
struct XHTMLWriter {
    /// Heading node -> the XHTML id it gets in the chapter.
    var headingIDs: [Node: String] = [:]
    /// HTML anchor node -> the XHTML ids it carries in the chapter (none: it is left out).
    var anchorIDs: [Node: [String]] = [:]
    /// Prefix for footnote ids, unique per note within its chapter.
    var footnotePrefix = "fn"
    /// Added to every heading level (a note's `#` is a section of its service chapter).
    var headingShift = 0
    /// Where the note's internal links point in the book; without it they are text.
    var links: PointedLinks?

    /// The XHTML written so far, as UTF-8 (`+=` below appends a String's bytes).
    private var output: [UInt8] = []
    private var footnoteNumbers: [String: Int] = [:]
    private var footnoteRefCounts: [Int: Int] = [:]

    init() {}

    /// The XHTML of a whole document (or any block): footnotes collected into one list.
    mutating func blocks(_ nodes: [Node]) -> String {
        output = []
        // One walk numbers the references and finds the definitions (cmark-gfm never nests
        // one definition in another): the tree is walked twice, not three times. cmark-gfm
        // makes a reference only for a label that has a definition, and moves every definition
        // to the end of the document: a tree with none there has neither, and is not walked.
        var definitions: [Node] = []
        let hasFootnotes = nodes.first.map { Self.hasFootnoteDefinitions($0.tree.document) } ?? false
        for node in nodes where hasFootnotes {
            node.walk { child in
                switch cmark_node_get_type(child.raw) {
                case CMARK_NODE_FOOTNOTE_REFERENCE: numberFootnote(child)
                case CMARK_NODE_FOOTNOTE_DEFINITION: definitions.append(child)
                default: break
                }
                return .visitChildren
            }
        }
        run(nodes.filter { $0.kind != .footnoteDefinition }.map { .block($0, tight: false) })
        writeFootnotes(definitions)
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `document`'s top-level blocks end with a footnote definition (cmark-gfm puts
    /// them all last).
    private static func hasFootnoteDefinitions(_ document: Node) -> Bool {
        var child = cmark_node_last_child(document.raw)
        while let node = child {
            if cmark_node_get_type(node) == CMARK_NODE_FOOTNOTE_DEFINITION { return true }
            child = cmark_node_previous(node)
        }
        return false
    }

    /// The XHTML of a list of footnote definitions, numbered in order from 1 (a card's, whose
    /// definitions are not among its blocks): nothing when there are none.
    mutating func footnotes(_ definitions: [Node]) -> String {
        output = []
        numberFootnotes(definitions)
        writeFootnotes(definitions)
        return String(decoding: output, as: UTF8.self)
    }

    private mutating func writeFootnotes(_ definitions: [Node]) {
        guard !definitions.isEmpty else { return }
        output += "<section class=\"footnotes\">\n"
        for (index, definition) in definitions.enumerated() { run(footnote(definition, number: index + 1)) }
        output += "</section>\n"
    }

    /// The XHTML of inline content (a card front, a heading's text).
    mutating func inlines(_ nodes: [Node]) -> String {
        output = []
        run(nodes.map { .inline($0) })
        return String(decoding: output, as: UTF8.self)
    }

    /// cmark-gfm keeps only referenced definitions and moves them to the end in the order of
    /// their first reference, so the n-th distinct label referenced is the n-th definition.
    /// Numbers the footnote references in `nodes` after those already numbered; call it first
    /// when inlines written before the blocks (a card's front) hold references.
    mutating func numberFootnotes(_ nodes: [Node]) {
        for node in nodes {
            node.walk { child in
                if child.kind == .footnoteReference { numberFootnote(child) }
                return .visitChildren
            }
        }
    }

    private mutating func numberFootnote(_ reference: Node) {
        let key = Self.footnoteKey(reference.literal ?? "")
        if footnoteNumbers[key] == nil { footnoteNumbers[key] = footnoteNumbers.count + 1 }
    }

    private static func footnoteKey(_ label: String) -> String {
        label.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    // MARK: The walk

    /// One piece of pending work: a node to write (with what it opens), or markup that closes
    /// a node whose children come before it.
    private enum Step {
        case block(Node, tight: Bool)
        case inline(Node)
        case markup(String)
    }

    /// Writes the steps in order. The pending steps live on a heap-allocated stack, not the
    /// call stack: a note may nest quotes, lists or emphasis a hundred thousand deep, as
    /// cmark-gfm allows, and a recursive writer overflowed the stack there. Each node pushes
    /// what comes after it onto that stack itself, last first (see `pushChildren`), rather
    /// than returning an array of it: no array is made and freed for every node that has
    /// children.
    private mutating func run(_ steps: [Step]) {
        var pending: [Step] = []
        Self.push(steps, onto: &pending)
        while let step = pending.popLast() {
            switch step {
            case let .markup(text):
                output += text
            case let .block(node, tight):
                block(node, tight: tight, onto: &pending)
            case let .inline(node):
                inline(node, onto: &pending)
            }
        }
    }

    /// The steps of `node`'s children as inlines, for the few nodes (tables, footnotes) whose
    /// steps are gathered in order before they are pushed.
    private static func inlines(of node: Node) -> [Step] {
        var steps: [Step] = []
        var child = cmark_node_first_child(node.raw)
        while let raw = child {
            steps.append(.inline(Node(raw: raw, tree: node.tree)))
            child = cmark_node_next(raw)
        }
        return steps
    }

    /// Pushes `steps` so that they are written in their order.
    private static func push(_ steps: [Step], onto pending: inout [Step]) {
        pending.append(contentsOf: steps.reversed())
    }

    /// Pushes the steps of `node`'s children (as blocks, `tight` or not, or as inlines when
    /// `tight` is nil), then `closing` markup if given, so that they are written in that
    /// order: read from cmark's links, last child first.
    private static func pushChildren(of node: Node, asBlocks tight: Bool? = nil, then closing: String? = nil, onto pending: inout [Step]) {
        if let closing { pending.append(.markup(closing)) }
        var child = cmark_node_last_child(node.raw)
        while let raw = child {
            let node = Node(raw: raw, tree: node.tree)
            pending.append(tight.map { .block(node, tight: $0) } ?? .inline(node))
            child = cmark_node_previous(raw)
        }
    }

    // MARK: Blocks

    /// Writes what `node` opens; pushes its children and what closes it.
    private mutating func block(_ node: Node, tight: Bool, onto pending: inout [Step]) {
        guard node.mark != .headingAnchor, node.kind != .footnoteDefinition else { return }
        switch node.kind {
        case .document:
            Self.pushChildren(of: node, asBlocks: false, onto: &pending)
        case .paragraph:
            if !tight { output += "<p>" }
            Self.pushChildren(of: node, then: tight ? "\n" : "</p>\n", onto: &pending)
        case .heading:
            let level = min(max(node.headingLevel + headingShift, 1), 6)
            output += "<h\(level)"
            if let id = headingIDs[node] { output += " id=\"\(XML.escape(id))\"" }
            output += ">"
            Self.pushChildren(of: node, then: "</h\(level)>\n", onto: &pending)
        case .blockQuote:
            output += "<blockquote>\n"
            Self.pushChildren(of: node, asBlocks: false, then: "</blockquote>\n", onto: &pending)
        case .list:
            let isTight = cmark_node_get_list_tight(node.raw) != 0
            if node.isOrderedList {
                output += node.listStart != 1 ? "<ol start=\"\(node.listStart)\">\n" : "<ol>\n"
            } else {
                output += "<ul>\n"
            }
            Self.pushChildren(of: node, asBlocks: isTight, then: node.isOrderedList ? "</ol>\n" : "</ul>\n", onto: &pending)
        case .item, .taskItem:
            listItem(node, tight: tight, onto: &pending)
        case .codeBlock:
            let language = (node.fenceInfo ?? "").split(separator: " ").first.map(String.init) ?? ""
            // ASCII letters and digits and `-_+` (Foundation's `alphanumerics` made a new set per scalar).
            let safeLanguage = String(language.unicodeScalars.filter {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_+".unicodeScalars.contains($0)
            }.map(Character.init))
            output += "<pre><code"
            if !safeLanguage.isEmpty { output += " class=\"language-\(safeLanguage)\"" }
            output += ">"
            writeEscapedLiteral(of: node)
            output += "</code></pre>\n"
        case .htmlBlock where node.mark == .htmlAnchor:
            anchors(node)
            if anchorIDs[node]?.isEmpty == false { output += "\n" }
        case .htmlBlock:
            // Only present with `unsafe_html`: keep what a reader would see, never the markup.
            let text = RawHTML.visibleText(node.literal ?? "")
            if !text.isEmpty { output += "<p class=\"raw-html\">\(XML.escape(text))</p>\n" }
        case .thematicBreak:
            output += "<hr/>\n"
        case .table:
            Self.push(table(node), onto: &pending)
        case .footnoteDefinition:
            break  // written once, after the body, by `blocks`
        case .customBlock:
            Self.pushChildren(of: node, asBlocks: tight, onto: &pending)
        default:
            // An inline where a block was expected: wrap it so the XHTML stays valid.
            output += "<p>"
            Self.push([.inline(node), .markup("</p>\n")], onto: &pending)
        }
    }

    private mutating func listItem(_ node: Node, tight: Bool, onto pending: inout [Step]) {
        output += "<li>"
        if node.kind == .taskItem {
            output += node.isTaskChecked ? "<span class=\"task done\">☑</span> " : "<span class=\"task\">☐</span> "
        }
        if !(tight && node.firstChild?.kind == .paragraph) { output += "\n" }
        Self.pushChildren(of: node, asBlocks: tight, then: "</li>\n", onto: &pending)
    }

    private func table(_ node: Node) -> [Step] {
        let alignments: [String?] = {
            guard let pointer = cmark_gfm_extensions_get_table_alignments(node.raw) else { return [] }
            let columns = node.firstChild?.children.count ?? 0
            return (0..<columns).map { index in
                switch UInt8(pointer[index]) {
                case UInt8(ascii: "l"): return "left"
                case UInt8(ascii: "c"): return "center"
                case UInt8(ascii: "r"): return "right"
                default: return nil
                }
            }
        }()
        var steps: [Step] = [.markup("<table>\n")]
        var bodyOpen = false
        for row in node.children {
            let header = row.kind == .tableHeader
            if header {
                steps.append(.markup("<thead>\n"))
            } else if !bodyOpen {
                steps.append(.markup("<tbody>\n"))
                bodyOpen = true
            }
            steps.append(.markup("<tr>"))
            for (index, cell) in row.children.enumerated() {
                let tag = header ? "th" : "td"
                var open = "<\(tag)"
                if index < alignments.count, let align = alignments[index] { open += " style=\"text-align: \(align)\"" }
                steps.append(.markup(open + ">"))
                steps += Self.inlines(of: cell)
                steps.append(.markup("</\(tag)>"))
            }
            steps.append(.markup("</tr>\n"))
            if header { steps.append(.markup("</thead>\n")) }
        }
        if bodyOpen { steps.append(.markup("</tbody>\n")) }
        steps.append(.markup("</table>\n"))
        return steps
    }

    private func footnote(_ node: Node, number: Int) -> [Step] {
        let id = "\(footnotePrefix)-\(number)"
        var steps: [Step] = [.markup("<aside epub:type=\"footnote\" class=\"footnote\" id=\"\(id)\">\n")]
        let blocks = node.children
        for (index, child) in blocks.enumerated() {
            if index == blocks.count - 1, child.kind == .paragraph, footnoteRefCounts[number] != nil {
                steps.append(.markup("<p>"))
                steps += Self.inlines(of: child)
                steps.append(.markup(" <a class=\"footnote-back\" href=\"#\(footnotePrefix)ref-\(number)-1\">↩</a></p>\n"))
            } else {
                steps.append(.block(child, tight: false))
            }
        }
        steps.append(.markup("</aside>\n"))
        return steps
    }

    // MARK: Inlines

    /// Writes what `node` opens; pushes its children and what closes it.
    private mutating func inline(_ node: Node, onto pending: inout [Step]) {
        guard node.mark != .headingAnchor else { return }
        if node.kind == .footnoteReference { footnoteReference(node); return }
        switch node.kind {
        case .text:
            writeEscapedLiteral(of: node)
        case .softBreak:
            output += "\n"
        case .lineBreak:
            output += "<br/>\n"
        case .code:
            output += "<code>"
            writeEscapedLiteral(of: node)
            output += "</code>"
        case .emphasis:
            wrap(node, "em", onto: &pending)
        case .strong:
            wrap(node, "strong", onto: &pending)
        case .strikethrough:
            wrap(node, "del", onto: &pending)
        case .link:
            guard let href = linkHref(node) else {
                Self.pushChildren(of: node, onto: &pending)
                return
            }
            output += "<a href=\"\(XML.escape(href))\""
            if let title = node.title, !title.isEmpty { output += " title=\"\(XML.escape(title))\"" }
            output += ">"
            Self.pushChildren(of: node, then: "</a>", onto: &pending)
        case .image:
            image(node, onto: &pending)
        case .htmlInline where node.mark == .htmlAnchor:
            anchors(node)
        case .htmlInline where node.mark == .cellBreak:
            output += "<br/>\n"
        case .htmlInline:
            // Raw inline HTML (tags, comments) is dropped; the text between tags is its own node.
            // Figures' spans are Syllabus's own, well-formed together.
            // A block-level tag (only left with `unsafe_html`) keeps the words around it apart;
            // a picture leaves its alt text (the parse warned about it).
            if node.mark == .figure {
                output += node.literal ?? ""
            } else if InlineHTML.separatesWords(node.literal ?? "") {
                output += " "
            } else if let literal = node.literal, literal.contains("<") {
                let text = InlineHTML.withPicturesAsAltText(literal)
                if text != literal { output += XML.escape(HTMLEntities.decode(text.trimmingCharacters(in: .whitespaces))) }
            }
        case .customInline:
            customInline(node, onto: &pending)
        default:
            if node.firstChild != nil {
                Self.pushChildren(of: node, onto: &pending)
                return
            }
            writeEscapedLiteral(of: node)
        }
    }

    /// A picture packaged in the book (its link pointed there by the link stage) is shown; a
    /// picture on the web becomes a link to it with its alt text, as a book may load nothing
    /// from elsewhere; any other (a `data:` URL) leaves its alt text.
    /// A bound picture this output has no place for shows its alt text's nodes.
    private mutating func image(_ node: Node, onto pending: inout [Step]) {
        let bound = internalHref(node)
        if let bound, bound == nil, node.firstChild != nil {
            Self.pushChildren(of: node, onto: &pending)
            return
        }
        if let bound, bound == nil, let name = links?.target(of: node).flatMap({ PointedLinks.shownName(of: node, $0) }) {
            output += XML.escape(name)
            return
        }
        let alt = node.plainText.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = bound.map { $0 ?? "" } ?? node.url ?? ""
        if bound != nil, !url.isEmpty {
            output += "<img src=\"\(XML.escape(url))\" alt=\"\(XML.escape(alt))\"/>"
        } else if ["http://", "https://"].contains(where: { url.lowercased().hasPrefix($0) }), !Self.isInLink(node) {
            let text = alt.isEmpty ? url : alt
            output += "<a class=\"image-link\" href=\"\(XML.escape(XML.encodeURL(url)))\">\(XML.escape(text))</a>"
        } else if !alt.isEmpty {
            output += "<span class=\"image-alt\">\(XML.escape(alt))</span>"
        }
    }

    /// For a link or picture the link stage bound: its href in the book (nil: none, it shows
    /// as its content). nil for any other node.
    private func internalHref(_ node: Node) -> String?? {
        guard node.mark == .internalLink || node.mark == .crossLink else { return nil }
        return .some(links?.href(of: node) ?? nil)
    }

    /// True inside a link (a badge, `[![alt](https://…/badge.svg)](https://…)`): a link there
    /// would nest one `<a>` in another, which XHTML forbids, so the picture leaves its alt text.
    private static func isInLink(_ node: Node) -> Bool {
        var current = node.parent
        while let ancestor = current {
            if ancestor.kind == .link { return true }
            current = ancestor.parent
        }
        return false
    }

    /// An anchor element as empty links carrying its ids in the chapter.
    private mutating func anchors(_ node: Node) {
        for id in anchorIDs[node] ?? [] { output += "<a id=\"\(XML.escape(id))\"></a>" }
    }

    private mutating func footnoteReference(_ node: Node) {
        let number = footnoteNumbers[Self.footnoteKey(node.literal ?? "")] ?? 0
        guard number > 0 else { output += "[\(XML.escape(node.literal ?? ""))]"; return }
        let count = (footnoteRefCounts[number] ?? 0) + 1
        footnoteRefCounts[number] = count
        output += "<sup><a epub:type=\"noteref\" id=\"\(footnotePrefix)ref-\(number)-\(count)\" href=\"#\(footnotePrefix)-\(number)\">\(number)</a></sup>"
    }

    private mutating func wrap(_ node: Node, _ tag: String, onto pending: inout [Step]) {
        output += "<\(tag)>"
        Self.pushChildren(of: node, then: "</\(tag)>", onto: &pending)
    }

    /// Inline cards (`Front :: Back`) are custom inline spans, marked by the card extractor;
    /// keep their arrow.
    private mutating func customInline(_ node: Node, onto pending: inout [Step]) {
        switch node.mark {
        case .cardFront:
            output += "<span class=\"card-front\">"
            Self.pushChildren(of: node, then: "</span>", onto: &pending)
        case .cardBack:
            output += " <span class=\"card-separator\">→</span> <span class=\"card-back\">"
            Self.pushChildren(of: node, then: "</span>", onto: &pending)
        default:
            Self.pushChildren(of: node, onto: &pending)
        }
    }

    /// Writes the literal of `node` (text, code) escaped as `XML.escape` does; nothing when it
    /// has none. ASCII, which nearly every text node of English notes is, is read from cmark's
    /// bytes as they are: making a String of each literal (its length, its validation, its
    /// copy) and scanning it again for markup was most of writing a chapter.
    private mutating func writeEscapedLiteral(of node: Node) {
        guard let literal = cmark_node_get_literal(node.raw) else { return }
        // One pass finds the end and what the text holds (a table in a static would be looked
        // up through its lazy initializer for every byte).
        let start = UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self)
        var count = 0, plain = true
        while true {
            let byte = start[count]
            if byte == 0 { break }
            if byte >= 0x80 {
                output += XML.escape(String(cString: literal))
                return
            }
            if Self.isChanged(byte) { plain = false }
            count += 1
        }
        let bytes = UnsafeBufferPointer(start: start, count: count)
        if plain {
            output.append(contentsOf: bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case 0x26: output += "&amp;"
            case 0x3C: output += "&lt;"
            case 0x3E: output += "&gt;"
            case 0x22: output += "&quot;"
            case 0x27: output += "&#39;"
            default: if !Self.isChanged(byte) { output.append(byte) }
            }
        }
    }

    /// Whether `XML.escape` changes an ASCII byte: markup characters become entities; C0
    /// controls other than tab, line feed and return, and DEL, are dropped.
    private static func isChanged(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0x7F: return true
        case 0x09, 0x0A, 0x0D: return false
        default: return byte < 0x20
        }
    }

    /// Where a link may point in the book: inside it (Syllabus's own links, pointed at their
    /// files by `links`) or to the web; nil for none.
    private func linkHref(_ node: Node) -> String? {
        if let bound = internalHref(node) { return bound.flatMap { $0.isEmpty ? nil : $0 } }
        guard let url = node.url, !url.isEmpty else { return nil }
        let lower = url.lowercased()
        guard ["http://", "https://", "mailto:", "ftp://"].contains(where: lower.hasPrefix) else { return nil }
        return XML.encodeURL(url)
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 of `text`: `XHTMLWriter` writes its XHTML as bytes.
    fileprivate static func += (bytes: inout [UInt8], text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}

/// Escaping for XML text and attributes.
enum XML {
    /// Escapes markup characters and drops characters XML 1.0 does not allow at all.
    static func escape(_ text: String) -> String { escapeHTML(text) }

    /// Percent-encodes what a URL may not hold literally (spaces, non-ASCII…), as cmark does.
    /// Byte by byte through a table: every card shows its note's source URLs, and a
    /// `String(format:)` per byte (with the allowed set built anew per URL) made a 5 KB URL on
    /// twenty cards two thirds of a build's time.
    static func encodeURL(_ url: String) -> String {
        guard url.utf8.contains(where: { !urlAllowed[Int($0)] }) else { return url }
        let hex = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(url.utf8.count + 16)
        for byte in url.utf8 {
            if urlAllowed[Int(byte)] {
                bytes.append(byte)
            } else {
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The bytes `encodeURL` keeps as they are, indexed by byte.
    private static let urlAllowed: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'()*+,;=%".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// An id that is valid in XHTML and as a URL fragment without encoding: ASCII letters,
    /// digits, `-` and `_` kept, space, `.` and `/` as `-`, any other ASCII dropped, and every
    /// other character as `u` and its code point in hex. Byte ranges, not `CharacterSet` (whose
    /// lookups were a third of laying out a 2,000-note book).
    static func id(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F: bytes.append(UInt8(scalar.value))
            case 0x20, 0x2E, 0x2F: bytes.append(UInt8(ascii: "-"))
            case 0x80...: bytes += [UInt8(ascii: "u")] + Array(String(scalar.value, radix: 16).utf8)
            default: break
            }
        }
        return bytes.isEmpty ? "x" : String(decoding: bytes, as: UTF8.self)
    }

    /// True if the tags of `fragment` (markup this writer made, so no comments or CDATA)
    /// nest properly; used before trusting string edits such as cloze blanks.
    static func isWellFormed(_ fragment: String) -> Bool {
        var stack: [Substring] = []
        var rest = Substring(fragment)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return false }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasSuffix("/") { continue }
            if tag.hasPrefix("/") {
                guard stack.popLast() == tag.dropFirst() else { return false }
            } else {
                stack.append(tag.prefix { !$0.isWhitespace })
            }
        }
        return stack.isEmpty && !rest.contains(">")
    }
}

/// Raw HTML, reduced to the text a browser would show.
enum RawHTML {
    /// The text of `html` outside its tags, comments and `<script>` or `<style>` elements
    /// (closed in any case), character references decoded and runs of white space made one
    /// space; each picture stands for its alt text when `picturesAsAltText`, else for nothing.
    static func visibleText(_ html: String, picturesAsAltText: Bool = true) -> String {
        var text = picturesAsAltText ? InlineHTML.withPicturesAsAltText(html) : html
        for pattern in ["<!--[\\s\\S]*?(-->|$)", "<(script|style)\\b[\\s\\S]*?(</\\1\\s*>|$)", "<![\\s\\S]*?>", "<\\?[\\s\\S]*?>", "</?[A-Za-z][^>]*>?"] {
            text = text.replacingOccurrences(of: pattern, with: " ", options: [.regularExpression, .caseInsensitive])
        }
        text = HTMLEntities.decode(text)
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
