import Foundation

/// Turns the HTML of an imported field (Anki stores fields as HTML) into Markdown that
/// Syllabus reads back as the same text.
///
/// Bold, italic, code, `<pre>` blocks, line breaks (`<br>`, `<div>`, `<p>`), lists, links and
/// images become Markdown, and so does a table of one-line cells without spans (a GFM
/// table). Formatting Markdown cannot express (underline, colour, sub- and superscript,
/// headings, other tables, fonts) is left out but its text is kept, and `lost` names
/// each such tag, so the import report can say so; `<script>` and `<style>` are left out
/// with their content (and named too). Text is escaped so that none of it turns into
/// Markdown syntax; Anki's cloze markup `{{c1::…}}` passes through as it is.
struct HTMLToMarkdown {
    /// The Markdown, without a trailing newline.
    private(set) var markdown = ""
    /// Tags whose formatting was left out (their text is kept), by name, each once.
    private(set) var lost: [String] = []
    /// Image sources (`src`), in order, as the HTML names them.
    private(set) var images: [String] = []

    /// Converts `html`. With `isHTML` false (Anki's `#html:false`, Quizlet) the field is plain
    /// text: only escaped, its newlines kept as line breaks.
    init(_ html: String, isHTML: Bool = true) {
        var writer = Writer()
        if isHTML {
            writer.convert(Array(html.unicodeScalars))
        } else {
            for (index, line) in html.components(separatedBy: "\n").enumerated() {
                if index > 0 { writer.pending = max(writer.pending, .line) }
                writer.text(line.replacingOccurrences(of: "\r", with: ""), collapse: false)
            }
        }
        markdown = writer.out
        lost = writer.lost
        images = writer.images
    }

    /// `text` escaped so that Markdown shows it as it is, on one line.
    static func escape(_ text: String) -> String {
        var writer = Writer()
        writer.text(text, collapse: true)
        return writer.out
    }

    /// A picture's or link's source as the Markdown writes it between `(` and `)`, for finding
    /// it in a card file.
    static func destination(_ url: String) -> String { Writer.destination(url) }
}

private struct Writer {
    enum Break: Int, Comparable {
        case none, space, line, paragraph
        static func < (a: Break, b: Break) -> Bool { a.rawValue < b.rawValue }
    }

    var out = ""
    var lost: [String] = []
    var images: [String] = []
    var pending = Break.none
    /// Open lists: ordered or not, and the next item number.
    var lists: [(ordered: Bool, next: Int)] = []
    /// A list item was opened and its marker is still to be written.
    var pendingItem: String?
    /// Open inline formatting: the delimiter and where its content starts in `out`.
    var inline: [(tag: String, delimiter: String, start: String.Index, href: String?)] = []
    var atLineStart: Bool { out.isEmpty || out.hasSuffix("\n") || out.hasSuffix(indent) && out.dropLast(indent.count).hasSuffix("\n") }
    var indent: String { String(repeating: "   ", count: lists.count) }

    mutating func note(_ tag: String) {
        if !lost.contains(tag) { lost.append(tag) }
    }

    /// Writes what a break or a list item waiting to be written needs, before new content.
    mutating func flush() {
        if let marker = pendingItem {
            // A top-level list starts a block of its own; its later items and nested lists follow on the next line.
            if !out.isEmpty { out += pending == .paragraph || (lists.count == 1 && isFirstItem) ? "\n\n" : "\n" }
            out += String(repeating: "   ", count: max(lists.count - 1, 0)) + marker
            pendingItem = nil
            pending = .none
            isFirstItem = false
            return
        }
        guard !out.isEmpty else { pending = .none; return }
        switch pending {
        case .none: break
        case .space: if !out.hasSuffix(" ") && !atLineStart { out += " " }
        case .line: out += "\\\n" + indent
        case .paragraph: out += "\n\n" + indent
        }
        pending = .none
    }

    var isFirstItem = false

    mutating func text(_ raw: String, collapse: Bool) {
        var text = raw
        if collapse {
            text = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
                .joined(separator: " ")
            while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
            if text.isEmpty { return }
            if text == " " { pending = max(pending, .space); return }
            if text.hasPrefix(" ") { pending = max(pending, .space); text.removeFirst() }
            let trailing = text.hasSuffix(" ")
            if trailing { text.removeLast() }
            write(text)
            if trailing { pending = max(pending, .space) }
        } else {
            write(text)
        }
    }

    private mutating func write(_ text: String) {
        guard !text.isEmpty else { return }
        flush()
        var escaped = ""
        let lineStart = atLineStart
        for character in text {
            if "\\`*_[]<>#|~&".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        if lineStart { escaped = Self.escapeLineStart(escaped) }
        out += escaped
    }

    /// A line that would start a list, quote, heading or thematic break stays text.
    static func escapeLineStart(_ line: String) -> String {
        guard let first = line.first else { return line }
        if "-+=".contains(first) { return "\\" + line }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let after = line.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        return line
    }

    mutating func convert(_ scalars: [Unicode.Scalar]) {
        var index = 0
        var text = ""
        func flushText(_ writer: inout Writer) {
            if !text.isEmpty { writer.text(HTMLEntities.decode(text), collapse: true); text = "" }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "<", let tag = Tag.parse(scalars, at: index) else {
                text.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            flushText(&self)
            index = tag.end
            switch tag.name {
            case "!--":
                note("comment")
            case "script", "style", "title", "head":
                note(tag.name)
                if !tag.closing { index = Self.skip(past: tag.name, in: scalars, from: index).end }
            case "pre":
                if tag.closing { break }
                let (content, end) = Self.skip(past: "pre", in: scalars, from: index)
                index = end
                codeBlock(Self.plainText(content))
            case "code", "tt", "kbd", "samp":
                if tag.closing { break }
                let (content, end) = Self.skip(past: tag.name, in: scalars, from: index)
                index = end
                codeSpan(Self.plainText(content))
            case "br":
                pending = max(pending, .line)
            case "table" where !tag.closing:
                let (content, end) = Self.skip(past: "table", in: scalars, from: index)
                guard let rows = Self.simpleTable(content) else { fallthrough }
                index = end
                table(rows)
            case "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section", "article", "header", "footer":
                if tag.name.hasPrefix("h") && tag.name.count == 2 || ["blockquote", "table", "tr"].contains(tag.name) { note(tag.name) }
                pending = max(pending, tag.name == "div" || tag.name == "tr" ? .line : .paragraph)
            case "td", "th":
                if !tag.closing { pending = max(pending, .space); if !atLineStart, !out.isEmpty { flush(); write("|"); pending = .space } }
            case "ul", "ol":
                if tag.closing {
                    if !lists.isEmpty { lists.removeLast() }
                    pendingItem = nil
                    pending = lists.isEmpty ? .paragraph : .line
                } else {
                    lists.append((tag.name == "ol", Int(tag.attributes["start"] ?? "") ?? 1))
                    isFirstItem = lists.count == 1
                }
            case "li":
                guard !tag.closing else { break }
                if lists.isEmpty { lists.append((false, 1)); isFirstItem = true }
                let list = lists[lists.count - 1]
                pendingItem = list.ordered ? "\(list.next). " : "- "
                lists[lists.count - 1].next += 1
            case "b", "strong":
                emphasis(tag, delimiter: "**")
            case "i", "em":
                emphasis(tag, delimiter: "*")
            case "s", "del", "strike":
                emphasis(tag, delimiter: "~~")
            case "a":
                if tag.closing {
                    closeInline("a")
                } else {
                    flush()
                    inline.append(("a", "", out.endIndex, tag.attributes["href"] ?? ""))
                }
            case "img":
                guard let source = tag.attributes["src"], !source.isEmpty else { note("img"); break }
                images.append(source)
                flush()
                out += "![" + Self.escapeInline(tag.attributes["alt"] ?? "") + "](" + Self.destination(source) + ")"
            case "hr":
                pending = .paragraph
                flush()
                out += "* * *"
                pending = .paragraph
            default:
                note(tag.name)
            }
        }
        flushText(&self)
        while let open = inline.last { closeInline(open.tag) }
    }

    /// The rows of a table GFM can write: rows of `th`/`td` cells (in `thead`, `tbody` or
    /// `tfoot` or not), no `colspan` or `rowspan`, nothing else between them, each cell's
    /// content one line of inline Markdown. Each row's cells as Markdown, with what they lost
    /// and their images; nil when the table is not that simple.
    static func simpleTable(_ scalars: [Unicode.Scalar]) -> [[Writer]]? {
        var rows: [[Writer]] = []
        var index = 0
        while index < scalars.count {
            if scalars[index].properties.isWhitespace { index += 1; continue }
            guard scalars[index] == "<", let tag = Tag.parse(scalars, at: index) else { return nil }
            index = tag.end
            switch tag.name {
            case "thead", "tbody", "tfoot":
                break
            case "tr":
                if !tag.closing { rows.append([]) }
            case "th", "td":
                guard !tag.closing, !rows.isEmpty, tag.attributes["colspan"] == nil, tag.attributes["rowspan"] == nil else { return nil }
                let (content, end) = skip(past: tag.name, in: scalars, from: index)
                index = end
                var position = 0
                while position < content.count {
                    if content[position] == "<", let inner = Tag.parse(content, at: position) {
                        // A cell closed only by the next one, or a table in a cell, is no simple cell.
                        if ["table", "tr", "td", "th", "thead", "tbody", "tfoot"].contains(inner.name) { return nil }
                        position = inner.end
                    } else {
                        position += 1
                    }
                }
                var cell = Writer()
                cell.convert(content)
                guard !cell.out.contains("\n") else { return nil }
                rows[rows.count - 1].append(cell)
            default:
                return nil
            }
        }
        guard !rows.isEmpty, rows.contains(where: { !$0.isEmpty }) else { return nil }
        return rows
    }

    /// Writes `rows` as a GFM table, the first row its header (GFM has no table without one),
    /// every row as wide as the widest so that no cell is dropped.
    mutating func table(_ rows: [[Writer]]) {
        let width = rows.map(\.count).max() ?? 0
        pending = .paragraph
        flush()
        var lines: [String] = []
        for (number, row) in rows.enumerated() {
            let cells = row.map { Self.escapePipes($0.out) } + Array(repeating: "", count: width - row.count)
            lines.append("| " + cells.joined(separator: " | ") + " |")
            if number == 0 { lines.append("|" + Array(repeating: " --- |", count: width).joined()) }
            for cell in row {
                for tag in cell.lost { note(tag) }
                images += cell.images
            }
        }
        out += lines.joined(separator: "\n" + indent)
        pending = .paragraph
    }

    /// A cell's Markdown with every `|` escaped (the text's already are; a code span's or a
    /// link's are not), since GFM splits a row at any unescaped one, even in a code span.
    static func escapePipes(_ markdown: String) -> String {
        var escaped = ""
        var afterBackslash = false
        for character in markdown {
            if character == "|" && !afterBackslash { escaped += "\\" }
            escaped.append(character)
            afterBackslash = character == "\\" && !afterBackslash
        }
        return escaped
    }

    mutating func emphasis(_ tag: Tag, delimiter: String) {
        if tag.closing {
            closeInline(tag.name)
        } else {
            flush()
            inline.append((tag.name, delimiter, out.endIndex, nil))
        }
    }

    /// Wraps what was written since the tag opened; spaces at its edges stay outside, as
    /// Markdown needs them (`** x **` is no emphasis), and each line is wrapped on its own.
    mutating func closeInline(_ name: String) {
        let synonyms: [String: Set<String>] = ["b": ["b", "strong"], "strong": ["b", "strong"], "i": ["i", "em"], "em": ["i", "em"],
                                               "s": ["s", "del", "strike"], "del": ["s", "del", "strike"], "strike": ["s", "del", "strike"]]
        guard let position = inline.lastIndex(where: { (synonyms[name] ?? [name]).contains($0.tag) }) else { return }
        while inline.count > position + 1 { closeInline(inline[inline.count - 1].tag) }
        let open = inline.removeLast()
        let content = String(out[open.start...])
        out.removeSubrange(open.start...)
        if open.tag == "a" {
            let href = open.href ?? ""
            let label = content.replacingOccurrences(of: "\\\n", with: " ").replacingOccurrences(of: "\n", with: " ")
            if href.isEmpty || Sanitizer.isDangerous(href, image: false) {
                out += label
            } else {
                out += "[" + (label.isEmpty ? Self.escapeInline(href) : label) + "](" + Self.destination(href) + ")"
            }
            return
        }
        out += content.components(separatedBy: "\n").map { line -> String in
            let body = line.drop { $0 == " " }
            var trimmed = Substring(body)
            var tail = ""
            if trimmed.hasSuffix("\\") { trimmed = trimmed.dropLast(); tail = "\\" }
            let leading = line.prefix(line.count - body.count)
            let core = trimmed.trimmingCharacters(in: .whitespaces)
            guard !core.isEmpty else { return line }
            let after = trimmed.hasSuffix(" ") ? " " : ""
            return leading + open.delimiter + core + open.delimiter + after + tail
        }.joined(separator: "\n")
    }

    mutating func codeSpan(_ code: String) {
        let code = code.replacingOccurrences(of: "\n", with: " ")
        guard !code.isEmpty else { return }
        flush()
        let longest = code.split(omittingEmptySubsequences: true, whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        let fence = String(repeating: "`", count: longest + 1)
        let pad = code.hasPrefix("`") || code.hasSuffix("`") || (code.hasPrefix(" ") && code.hasSuffix(" ")) ? " " : ""
        out += fence + pad + code + pad + fence
    }

    mutating func codeBlock(_ code: String) {
        var code = code
        while code.hasSuffix("\n") { code.removeLast() }
        while code.hasPrefix("\n") { code.removeFirst() }
        guard !code.isEmpty else { return }
        pending = .paragraph
        flush()
        let longest = code.split(omittingEmptySubsequences: true, whereSeparator: { $0 != "`" }).map(\.count).max() ?? 0
        let fence = String(repeating: "`", count: max(3, longest + 1))
        out += fence + "\n" + code.components(separatedBy: "\n").map { indent + $0 }.joined(separator: "\n") + "\n" + indent + fence
        pending = .paragraph
    }

    /// The scalars up to the matching close tag (nesting counted), and the index after it.
    static func skip(past name: String, in scalars: [Unicode.Scalar], from start: Int) -> (content: [Unicode.Scalar], end: Int) {
        var index = start
        var depth = 1
        while index < scalars.count {
            if scalars[index] == "<", let tag = Tag.parse(scalars, at: index), tag.name == name {
                depth += tag.closing ? -1 : 1
                if depth == 0 { return (Array(scalars[start..<index]), tag.end) }
                index = tag.end
                continue
            }
            index += 1
        }
        return (Array(scalars[start...]), scalars.count)
    }

    /// The text of an HTML fragment inside code: `<br>` and `<div>` are line breaks, other tags
    /// go, entities are decoded; whitespace stays as it is.
    static func plainText(_ scalars: [Unicode.Scalar]) -> String {
        var text = ""
        var index = 0
        while index < scalars.count {
            if scalars[index] == "<", let tag = Tag.parse(scalars, at: index) {
                if tag.name == "br" || (tag.name == "div" && !tag.closing && !text.isEmpty && !text.hasSuffix("\n")) { text += "\n" }
                index = tag.end
                continue
            }
            text.unicodeScalars.append(scalars[index])
            index += 1
        }
        return HTMLEntities.decode(text)
    }

    static func escapeInline(_ text: String) -> String {
        var writer = Writer()
        writer.text(text, collapse: true)
        return writer.out
    }

    /// A link or image destination: `<…>` when it has spaces, with `<`, `>` and line breaks
    /// percent-encoded, so it can never end early.
    static func destination(_ url: String) -> String {
        var encoded = ""
        for scalar in HTMLEntities.decode(url).unicodeScalars {
            switch scalar {
            case "<": encoded += "%3C"
            case ">": encoded += "%3E"
            case "\n", "\r": encoded += "%0A"
            case "\\": encoded += "%5C"
            default: encoded.unicodeScalars.append(scalar)
            }
        }
        return encoded.contains(where: { $0 == " " || $0 == "(" || $0 == ")" }) ? "<" + encoded + ">" : encoded
    }
}

/// One HTML tag: its lowercased name (`!--` for a comment), whether it closes, its attributes.
private struct Tag {
    var name: String
    var closing: Bool
    var attributes: [String: String]
    /// The index after the tag's `>`.
    var end: Int

    static func parse(_ scalars: [Unicode.Scalar], at start: Int) -> Tag? {
        var index = start + 1
        guard index < scalars.count else { return nil }
        if scalars[index...].starts(with: "!--".unicodeScalars) {
            var end = index + 3
            while end + 2 < scalars.count, !(scalars[end] == "-" && scalars[end + 1] == "-" && scalars[end + 2] == ">") { end += 1 }
            return Tag(name: "!--", closing: false, attributes: [:], end: min(end + 3, scalars.count))
        }
        var closing = false
        if scalars[index] == "/" { closing = true; index += 1 }
        guard index < scalars.count, scalars[index].properties.isAlphabetic else { return nil }
        var name = ""
        while index < scalars.count, scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]) {
            name.unicodeScalars.append(scalars[index])
            index += 1
        }
        var attributes: [String: String] = [:]
        while index < scalars.count, scalars[index] != ">" {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar == "/" { index += 1; continue }
            var key = ""
            while index < scalars.count, !" \t\n\r=>/".unicodeScalars.contains(scalars[index]) {
                key.unicodeScalars.append(scalars[index])
                index += 1
            }
            if key.isEmpty { index += 1; continue }
            var value = ""
            if index < scalars.count, scalars[index] == "=" {
                index += 1
                if index < scalars.count, scalars[index] == "\"" || scalars[index] == "'" {
                    let quote = scalars[index]
                    index += 1
                    while index < scalars.count, scalars[index] != quote { value.unicodeScalars.append(scalars[index]); index += 1 }
                    index += 1
                } else {
                    while index < scalars.count, !" \t\n\r>".unicodeScalars.contains(scalars[index]) {
                        value.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                }
            }
            attributes[key.lowercased()] = HTMLEntities.decode(value)
        }
        guard index < scalars.count else { return nil }
        return Tag(name: name.lowercased(), closing: closing, attributes: attributes, end: index + 1)
    }
}
