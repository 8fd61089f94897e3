import CMarkGFM
import Foundation

/// Raw inline HTML that has a Markdown equivalent, as published guides write it where
/// Markdown has no syntax of its own (a line break or code inside a GFM table cell): `<br>`
/// becomes a hard line break, and a bare `<b>`/`<strong>`, `<i>`/`<em>` or `<code>` (also
/// `<tt>`, `<kbd>`, `<samp>`) element whose tags are siblings becomes the emphasis or code
/// node cmark would have made; in a table cell, a bare `<pre>` of text and `<br>`s becomes
/// code, line by line (`readPreformatted`). Every renderer then writes them as its own markup (the site's
/// and Anki's HTML, the EPUB's XHTML, the cheat sheets), and search reads a break as a space,
/// so the words on either side of a `<br>` stay apart whatever `unsafe_html` says.
///
/// Without `unsafe_html` the rest of the raw HTML is dropped by `Sanitizer`; `apply` first
/// keeps words apart where a dropped block-level tag (`<p>`, `<li>`, `</div>`…) stood between
/// them, warns about a picture (`<img>`, `<video>`…), whose content would go without a word
/// (an element's text is its own node and stays), and removes a `<script>` or `<style>`
/// element with its content (code, not text), with a warning.
enum InlineHTML {
    /// Rewrites the inline HTML of `tree` as described above; with `allowRawHTML` false, also
    /// puts breaks where block-level tags will be dropped, and warns at the `file:line:column`
    /// in `file` of each picture or media element that will be dropped. Script and style
    /// elements go before, in `dropRawTextElements(in:file:diagnostics:)`.
    static func apply(to tree: MarkdownTree, allowRawHTML: Bool, file: SourceFile, diagnostics: DiagnosticLog) {
        // Most notes hold no raw HTML: one walk finds that out.
        let parents = parentsOfTags(in: tree)
        guard !parents.isEmpty else { return }
        for parent in parents {
            if parent.kind == .tableCell { readPreformatted(in: parent) }
            pairElements(in: parent)
        }
        // Read again: a tag may now sit inside an element made above (`<b>a<br>b</b>`).
        for parent in parentsOfTags(in: tree) {
            for node in parent.children where node.kind == .htmlInline && node.mark == nil {
                guard let tag = Tag(node.literal ?? "") else { continue }
                if tag.name == "br" || (!allowRawHTML && blockLevel.contains(tag.name)) {
                    replaceByBreak(node)
                } else if !allowRawHTML, !tag.closing, media.contains(tag.name) {
                    let alt = tag.attributes["alt"] ?? ""
                    diagnostics.warning(leftOut(tag, "", altKept: ""), at: Sanitizer.position(of: node, in: file))
                    if !alt.isEmpty { node.insertBefore(node.makeText(alt)) }
                    node.remove()
                }
            }
        }
    }

    /// With `unsafe_html` the site, Anki and the cheat sheets show raw HTML as written, and
    /// the EPUB leaves it out (XHTML is stricter than HTML, and the book loads nothing from
    /// elsewhere: see `XHTMLWriter`), keeping only its text. Warns at the `file:line:column` in
    /// `file` of each picture (`<img>`, `<video>`…, inline or in an HTML block) that some output
    /// would not show, and says how to write an `<img>` in Markdown, which every output shows:
    /// - one whose `src` names a file beside the notes (`img/flow.png`): only Markdown pictures
    ///   and links publish such files (and give each output its own path to them), so the
    ///   picture would be broken on the site, in Anki and on the cheat sheets;
    /// - when `makesBook`, any other (its content is no text: it would go from the book without
    ///   a word).
    static func warnOfPicturesNotShown(in tree: MarkdownTree, file: SourceFile, makesBook: Bool, diagnostics: DiagnosticLog) {
        tree.document.walk { node in
            switch node.kind {
            case .htmlInline, .htmlBlock:
                guard node.mark == nil, let html = node.literal, html.contains("<") else { return .skipChildren }
                for (tag, line, column, _) in mediaTags(in: html) {
                    let message: String
                    if let source = tag.attributes["src"], isLocalFile(source) {
                        message = "raw HTML <\(tag.name)> '\(source)' is broken in every output: only the files that Markdown "
                            + "pictures and links name are published"
                            + (tag.name == "img" ? "; write it as \(markdownImage(alt: tag.attributes["alt"] ?? "", source: source))" : "")
                    } else if makesBook {
                        message = leftOut(tag, " of the EPUB, which leaves raw HTML out", because: "", altKept: " there",
                                          inMarkdown: " to have it in the book too")
                    } else {
                        continue
                    }
                    diagnostics.warning(message, at: location(line: line, column: column, in: node, file: file))
                }
                return .skipChildren
            case .codeBlock:
                return .skipChildren
            default:
                return .visitChildren
            }
        }
    }

    /// Whether a `src` names a file beside the notes: a relative path, not a URL with a scheme
    /// (`https:`, `data:`), a root-absolute or network path, nor a fragment.
    private static func isLocalFile(_ source: String) -> Bool {
        guard let first = source.first else { return false }
        return first != "/" && first != "#" && first != "?" && !LinkURLs.hasScheme(source)
    }

    /// The opening tags of `media` elements (or of those `named`) in `html` (one tag, or an
    /// HTML block), each with its line within `html` (from 0) and its UTF-8 byte offset in
    /// that line, as cmark-gfm counts columns, and the UTF-8 bytes it spans in `html`.
    /// Comments are skipped.
    static func mediaTags(in html: String, named names: Set<String> = media) -> [(tag: Tag, line: Int, column: Int, bytes: Range<Int>)] {
        var found: [(Tag, Int, Int, Range<Int>)] = []
        let bytes = Array(html.utf8)
        var line = 0, lineStart = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            } else if byte == UInt8(ascii: "<") {
                if bytes[index...].starts(with: Array("<!--".utf8)) {
                    // To the comment's end, counting its lines.
                    var end = index + 4
                    while end < bytes.count, !bytes[end...].starts(with: Array("-->".utf8)) {
                        if bytes[end] == UInt8(ascii: "\n") { line += 1; lineStart = end + 1 }
                        end += 1
                    }
                    index = end
                    continue
                }
                // An opening tag starts with its name's letter ("a < b" is text); it ends at the
                // first `>` outside quotes, and may span lines.
                guard index + 1 < bytes.count, (bytes[index + 1] | 0x20) >= 0x61, (bytes[index + 1] | 0x20) <= 0x7A else {
                    index += 1
                    continue
                }
                let end = tagEnd(in: bytes, from: index + 1)
                guard end < bytes.count else { break }
                if let tag = Tag(String(decoding: bytes[index...end], as: UTF8.self)), names.contains(tag.name) {
                    found.append((tag, line, index - lineStart, index..<(end + 1)))
                }
                for position in index..<end where bytes[position] == UInt8(ascii: "\n") { line += 1; lineStart = position + 1 }
                index = end
            }
            index += 1
        }
        return found
    }

    /// The index of the `>` that ends the tag whose name starts at `start` in `bytes`: the
    /// first one outside quotes (a tag may span lines), or `bytes.count` when there is none.
    static func tagEnd(in bytes: [UInt8], from start: Int) -> Int {
        var end = start, quote: UInt8?
        while end < bytes.count, quote != nil || bytes[end] != UInt8(ascii: ">") {
            if let open = quote {
                if bytes[end] == open { quote = nil }
            } else if bytes[end] == UInt8(ascii: "\"") || bytes[end] == UInt8(ascii: "'") {
                quote = bytes[end]
            }
            end += 1
        }
        return end
    }

    /// Where in `file` the byte at `column` (from 0) of `line` (from 0) of `node`'s literal
    /// (raw HTML, inline or a block, as `mediaTags` counts them) stands. cmark-gfm leaves the
    /// container's prefix of each line (a block quote's `> `, a list item's indent) out of the
    /// literal: on the lines after the first (only an HTML block has them: an inline node is
    /// one tag), that prefix is as wide as the part of the first line before the block, whose
    /// literal keeps the spaces before its first tag where its column does not count them.
    static func location(line: Int, column: Int, in node: Node, file: SourceFile) -> SourceLocation {
        let start = Sanitizer.position(of: node, in: file)
        guard line > 0 else { return SourceLocation(path: start.path, line: start.line, column: start.column + column) }
        let indent = (node.literal ?? "").utf8.prefix { $0 == UInt8(ascii: " ") }.count
        return SourceLocation(path: start.path, line: start.line + line, column: max(0, start.column - 1 - indent) + column + 1)
    }

    /// The warning for the raw HTML element `tag` left out of an output, the one wording of
    /// every such warning (inline or in an HTML block, without `unsafe_html` or from the
    /// EPUB): "raw HTML <img> 'flow.png' is left out", `how` and `why` (by default
    /// `droppedUnlessUnsafe`; the EPUB's `how` says why itself), then, when `altKept` is given
    /// and the tag has alt text, "; its alt text is kept" and `altKept`, and for an `<img>`
    /// how to write it in Markdown (`markdownImage`), then `inMarkdown`.
    static func leftOut(_ tag: Tag, _ how: String, because why: String = droppedUnlessUnsafe,
                        altKept: String? = nil, inMarkdown: String = "") -> String {
        let alt = tag.attributes["alt"] ?? "", source = tag.attributes["src"]
        return "raw HTML <\(tag.name)> \(source.map { "'\($0)' " } ?? "")is left out\(how)\(why)"
            + (altKept.map { alt.isEmpty ? "" : "; its alt text is kept" + $0 } ?? "")
            + (tag.name == "img" ? "; write it as \(markdownImage(alt: alt, source: source ?? ""))" + inMarkdown : "")
    }

    /// Why raw HTML goes from every output, as the warnings say it.
    static let droppedUnlessUnsafe = " (raw HTML is dropped unless unsafe_html: true)"

    /// The Markdown image a warning suggests for an `<img>`: `![alt](source)`, the alt text's
    /// backslashes and brackets escaped, and the source in angle brackets
    /// (`![a](<my file.png>)`) when it holds a space, a parenthesis or an angle bracket, which
    /// would end or break a bare destination (CommonMark's link destination forms).
    static func markdownImage(alt: String, source: String) -> String {
        var text = ""
        for character in alt {
            if character == "\\" || character == "[" || character == "]" { text.append("\\") }
            text.append(character)
        }
        guard source.contains(where: { " ()<>\t".contains($0) }) else { return "![\(text)](\(source))" }
        let destination = source.replacingOccurrences(of: "<", with: "\\<").replacingOccurrences(of: ">", with: "\\>")
        return "![\(text)](<\(destination)>)"
    }

    /// `html` with each picture of it (`mediaTags`) replaced by its alt text between spaces
    /// (escaped as HTML text, so it is read back as it was written), for an output that leaves
    /// raw HTML out but keeps its text (the EPUB), as a picture dropped without `unsafe_html`
    /// keeps its alt text.
    static func withPicturesAsAltText(_ html: String) -> String {
        let tags = mediaTags(in: html)
        guard !tags.isEmpty else { return html }
        var bytes = Array(html.utf8)
        for (tag, _, _, range) in tags.reversed() {
            let alt = (tag.attributes["alt"] ?? "").replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            bytes.replaceSubrange(range, with: Array(" \(alt) ".utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The nodes that hold raw inline HTML of the author's (not Syllabus's marked nodes), in
    /// document order, each once; code and HTML blocks hold none.
    private static func parentsOfTags(in tree: MarkdownTree) -> [Node] {
        var parents: [Node] = []
        var seen: Set<Node> = []
        tree.document.walk { node in
            switch node.kind {
            case .htmlInline:
                if node.mark == nil, let parent = node.parent, seen.insert(parent).inserted { parents.append(parent) }
                return .skipChildren
            case .codeBlock, .htmlBlock:
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        return parents
    }

    /// Whether `html`, one raw inline HTML node, is a block-level tag: an output that leaves
    /// raw HTML out (the EPUB, search, with `unsafe_html`) writes a space for it instead.
    static func separatesWords(_ html: String) -> Bool {
        Tag(html).map { blockLevel.contains($0.name) } ?? false
    }

    /// Elements whose tags, dropped, would run the text on either side together.
    static let blockLevel: Set<String> = [
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    ]

    /// Elements that show something other than the text between their tags.
    static let media: Set<String> = ["img", "picture", "video", "audio", "iframe", "object", "embed", "svg", "canvas", "input"]

    /// What a bare element becomes.
    private static let equivalents: [String: cmark_node_type] = [
        "b": CMARK_NODE_STRONG, "strong": CMARK_NODE_STRONG, "i": CMARK_NODE_EMPH, "em": CMARK_NODE_EMPH,
        "code": CMARK_NODE_CODE, "tt": CMARK_NODE_CODE, "kbd": CMARK_NODE_CODE, "samp": CMARK_NODE_CODE,
    ]

    /// Replaces each bare element of `equivalents` among `parent`'s children by its node. Tags
    /// are matched as a browser nests them (a stack); a code element holding anything but text
    /// (a link, another tag) stays raw HTML, as code cannot hold markup.
    private static func pairElements(in parent: Node) {
        var open: [(name: String, node: Node)] = []
        var child = parent.firstChild
        while let node = child {
            child = node.next
            guard node.kind == .htmlInline, node.mark == nil, let tag = Tag(node.literal ?? ""),
                  tag.attributes.isEmpty, let type = equivalents[tag.name] else { continue }
            if !tag.closing {
                open.append((tag.name, node))
                continue
            }
            guard let index = open.lastIndex(where: { $0.name == tag.name }) else { continue }
            let opening = open[index].node
            open.removeSubrange(index...)
            var inner: [Node] = []
            var between = opening.next
            while let current = between, current != node { inner.append(current); between = current.next }
            if inner.isEmpty {
                // `<b></b>` shows nothing: no empty element.
                opening.remove()
                node.remove()
                continue
            }
            let element = node.makeNode(type)
            if type == CMARK_NODE_CODE {
                guard inner.allSatisfy({ $0.kind == .text || $0.kind == .softBreak }) else { continue }
                element.literal = inner.map { $0.kind == .text ? $0.literal ?? "" : " " }.joined()
                opening.insertBefore(element)
                for old in inner { old.remove() }
            } else {
                opening.insertBefore(element)
                for old in inner { element.append(old) }
            }
            opening.remove()
            node.remove()
        }
    }

    /// Replaces each bare `<pre>…</pre>` among a table cell's children that holds only text
    /// and `<br>` tags (a published guide's sample in a cell, as cmark-gfm lets a cell hold no
    /// code block) by one code node per line, with a cell break (`NodeMark.cellBreak`)
    /// between them, so every output shows it in the code font, line by line. A run of
    /// spaces keeps its width: each space after the line's start or another space is a
    /// no-break space (U+00A0), which no output collapses; spaces at the end of a line, and
    /// empty lines before the first line and after the last, are left out (guides pad the
    /// element so). Any other content (a link, another tag) leaves the element raw HTML.
    private static func readPreformatted(in cell: Node) {
        var child = cell.firstChild
        while let opening = child {
            child = opening.next
            guard opening.kind == .htmlInline, opening.mark == nil, let tag = Tag(opening.literal ?? ""),
                  tag.name == "pre", !tag.closing, tag.attributes.isEmpty else { continue }
            var inner: [Node] = []
            var lines: [String] = [""]
            var closing: Node?
            var current = opening.next
            while let node = current {
                if node.kind == .htmlInline, node.mark == nil, let inside = Tag(node.literal ?? "") {
                    if inside.name == "pre", inside.closing { closing = node; break }
                    guard inside.name == "br", !inside.closing else { break }
                    lines.append("")
                } else if node.kind == .text {
                    lines[lines.count - 1] += node.literal ?? ""
                } else {
                    break
                }
                inner.append(node)
                current = node.next
            }
            guard let closing else { continue }
            child = closing.next
            lines = lines.map { line in
                var kept = line
                while kept.last?.isWhitespace == true { kept.removeLast() }
                var previousIsSpace = true
                return String(kept.map { character -> Character in
                    defer { previousIsSpace = character == " " }
                    return character == " " && previousIsSpace ? "\u{A0}" : character
                })
            }
            while lines.first?.isEmpty == true { lines.removeFirst() }
            while lines.last?.isEmpty == true { lines.removeLast() }
            for (index, line) in lines.enumerated() {
                if index > 0 {
                    let mark = opening.makeNode(CMARK_NODE_HTML_INLINE)
                    mark.literal = "<br />"
                    mark.mark = .cellBreak
                    opening.insertBefore(mark)
                }
                guard !line.isEmpty else { continue }
                let code = opening.makeNode(CMARK_NODE_CODE)
                code.literal = line
                opening.insertBefore(code)
            }
            for old in inner { old.remove() }
            opening.remove()
            closing.remove()
        }
    }

    /// Elements whose content is code or style rules, not text (HTML's raw text elements).
    static let rawText: Set<String> = ["script", "style"]

    /// What a dropped HTML block is warned about: pictures, and scripts and styles.
    static let mediaAndRawText = media.union(rawText)

    /// Removes each inline `<script>` or `<style>` element of `tree` with its content, warning
    /// at its `file:line:column` in `file`: dropping only the tags, as with other raw HTML,
    /// would leave its code as text on the page, the cards and in search. An element not
    /// closed among its siblings runs to its parent's end, as a browser would read it.
    /// cmark-gfm gives such an element a node of its own (an HTML block, dropped whole by
    /// `Sanitizer`) only where it starts a line outside a paragraph. The build calls it
    /// first, before anything keeps a node of the tree (`HTMLAnchors` keeps the anchors it
    /// makes): what it removes is freed, and an anchor inside such an element names nothing.
    static func dropRawTextElements(in tree: MarkdownTree, file: SourceFile, diagnostics: DiagnosticLog) {
        let parents = parentsOfTags(in: tree)
        guard !parents.isEmpty else { return }
        // Nodes are only unlinked here and freed at the end: a later parent (emphasis holding a
        // tag) may sit inside an element removed from an earlier one, and is then skipped.
        var removed: [Node] = []
        for parent in parents where isInTree(parent, tree) {
            var child = parent.firstChild
            while let opening = child {
                child = opening.next
                guard opening.kind == .htmlInline, opening.mark == nil, let tag = Tag(opening.literal ?? ""),
                      !tag.closing, rawText.contains(tag.name) else { continue }
                diagnostics.warning(leftOut(tag, " with its content"), at: Sanitizer.position(of: opening, in: file))
                var current: Node? = opening
                while let node = current {
                    current = node.next
                    node.unlink()
                    removed.append(node)
                    if node != opening, node.kind == .htmlInline,
                       Tag(node.literal ?? "").map({ $0.closing && $0.name == tag.name }) == true { break }
                }
                child = current
            }
        }
        for node in removed { node.remove() }
    }

    /// Whether `node` still hangs from `tree`'s document (no ancestor of it was unlinked).
    private static func isInTree(_ node: Node, _ tree: MarkdownTree) -> Bool {
        var top = node
        while let parent = top.parent { top = parent }
        return top == tree.document
    }

    /// Replaces `node` by a hard line break where text stands before and after it in its
    /// parent, and removes it where it would only add an empty line (at either end, or after
    /// another break). A table cell may hold no break node (cmark-gfm refuses to insert one),
    /// so there the break is a marked `<br />` of Syllabus's own.
    private static func replaceByBreak(_ node: Node) {
        if hasContent(from: node, step: \.previous), hasContent(from: node, step: \.next) {
            if node.parent?.kind == .tableCell {
                let mark = node.makeNode(CMARK_NODE_HTML_INLINE)
                mark.literal = "<br />"
                mark.mark = .cellBreak
                node.insertBefore(mark)
            } else {
                node.insertBefore(node.makeNode(CMARK_NODE_LINEBREAK))
            }
        }
        node.remove()
    }

    /// Whether a sibling of `node`, going from it by `step` (`\.next` or `\.previous`), shows
    /// something before the nearest break: raw HTML tags and white space do not.
    private static func hasContent(from node: Node, step: KeyPath<Node, Node?>) -> Bool {
        var sibling = node[keyPath: step]
        while let current = sibling {
            if shows(current) { return true }
            if isBreak(current) { return false }
            sibling = current[keyPath: step]
        }
        return false
    }

    private static func isBreak(_ node: Node) -> Bool {
        node.kind == .lineBreak || node.kind == .softBreak || node.mark == .cellBreak
    }

    /// Whether a reader sees `node`: not a raw tag of the author's, a break or white space.
    private static func shows(_ node: Node) -> Bool {
        switch node.kind {
        case .htmlInline: return node.mark != nil && node.mark != .cellBreak
        case .softBreak, .lineBreak: return false
        case .text: return !(node.literal ?? "").allSatisfy(\.isWhitespace)
        default: return true
        }
    }

    /// One HTML tag as cmark-gfm gives an inline HTML node: `<name attr="v">`, `</name>` or
    /// `<name/>`. Names and attribute names are lowercased; values are taken as written,
    /// character references decoded. Comments, declarations and processing instructions are
    /// not tags (nil).
    struct Tag {
        var name: String
        var closing: Bool
        var attributes: [String: String] = [:]

        init?(_ text: String) {
            var rest = Substring(text.trimming(.whitespacesAndNewlines))
            guard rest.first == "<", rest.last == ">" else { return nil }
            rest = rest.dropFirst().dropLast()
            closing = rest.first == "/"
            if closing { rest = rest.dropFirst() }
            if rest.last == "/" { rest = rest.dropLast() }
            let nameEnd = rest.firstIndex { !($0.isLetter || $0.isNumber || $0 == "-") } ?? rest.endIndex
            guard nameEnd > rest.startIndex, rest.first?.isLetter == true else { return nil }
            name = rest[..<nameEnd].lowercased()
            rest = rest[nameEnd...]
            while true {
                rest = rest.drop { $0.isWhitespace || $0 == "/" }
                guard !rest.isEmpty else { break }
                let keyEnd = rest.firstIndex { $0.isWhitespace || $0 == "=" || $0 == "/" } ?? rest.endIndex
                let key = rest[..<keyEnd].lowercased()
                rest = rest[keyEnd...].drop(while: \.isWhitespace)
                var value = ""
                if rest.first == "=" {
                    rest = rest.dropFirst().drop(while: \.isWhitespace)
                    if let quote = rest.first, quote == "\"" || quote == "'" {
                        rest = rest.dropFirst()
                        let end = rest.firstIndex(of: quote) ?? rest.endIndex
                        value = String(rest[..<end])
                        rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
                    } else {
                        let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
                        value = String(rest[..<end])
                        rest = rest[end...]
                    }
                }
                if !key.isEmpty { attributes[key] = HTMLEntities.decode(value) }
            }
        }
    }
}
