import Foundation

/// The words of one page as full-text search reads them: every heading, paragraph, list item,
/// table cell, code block and card (front and back) of the note, in document order, with
/// cloze markup replaced by the text it hides and no raw HTML (card ids are HTML comments).
///
/// A fact of the page, found with its other facts and kept by the build cache, so a rebuild
/// makes the search index without parsing unchanged notes again. Shape: one string of lines;
/// a heading's line starts with `SearchText.headingMark` (U+0001, which no line otherwise
/// holds), every other line is body text.
struct SearchText: Sendable, Equatable, Encodable {
    /// Marks a line as a heading.
    static let headingMark: Character = "\u{1}"

    /// The lines, `\n`-separated, in the shape described above.
    var text: String

    /// Wraps text already in that shape (the build cache's copy).
    init(text: String) { self.text = text }

    /// Reads the text out of a parsed page. Cloze deletions (`{{c1::text::hint}}`, `==text==`)
    /// become their text, and an inline card's ` :: ` a dash, so card markup never reaches the
    /// index; a code block keeps its literal text.
    static func extract(_ tree: MarkdownTree) -> SearchText {
        var lines: [String] = []
        func add(_ text: String, heading: Bool, code: Bool = false) {
            let line = collapsed(code ? text : revealed(text))
            guard !line.isEmpty else { return }
            lines.append(heading ? String(headingMark) + line : line)
        }
        tree.document.walk { node in
            switch node.kind {
            case .heading:
                add(node.plainText, heading: true)
                return .skipChildren
            case .paragraph, .tableCell:
                add(readable(node), heading: false)
                return .skipChildren
            case .codeBlock:
                for line in (node.literal ?? "").split(separator: "\n") { add(String(line), heading: false, code: true) }
                return .skipChildren
            case .htmlBlock, .htmlInline:
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        return SearchText(text: lines.joined(separator: "\n"))
    }

    /// The text of a paragraph as a reader sees it: text and code, breaks as spaces, and a dash
    /// between an inline card's front and back (each in a span of its own, see `CardExtractor`).
    static func readable(_ paragraph: Node) -> String {
        var result = ""
        paragraph.walk { node in
            switch node.kind {
            case .text, .code: result += node.literal ?? ""
            case .softBreak, .lineBreak: result += " "
            case .htmlInline: return .skipChildren
            case .customInline: if let last = result.last, !last.isWhitespace { result += " – " }
            default: break
            }
            return .visitChildren
        }
        return result
    }

    /// `text` on one line, without runs of spaces (code indentation), the heading mark or
    /// leading and trailing space: the index stores this text for snippets.
    static func collapsed(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var space = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x01 {
                space = !bytes.isEmpty
            } else {
                if space { bytes.append(0x20) }
                space = false
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with cloze markup replaced by what it hides.
    static func revealed(_ text: String) -> String {
        // Looked for in one pass over the bytes: nearly no line holds any markup, and
        // Foundation's string search showed in the profile of a large build (Benchmarks/README.md).
        var separator = false, highlight = false, cloze = false
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0, third: UInt8 = 0
        for byte in text.utf8 {
            if byte == 0x3D, previous == 0x3D { highlight = true }
            if byte == 0x63, previous == 0x7B, beforePrevious == 0x7B { cloze = true }
            if byte == 0x20, previous == 0x3A, beforePrevious == 0x3A, third == 0x20 { separator = true }
            (third, beforePrevious, previous) = (beforePrevious, previous, byte)
        }
        guard separator || highlight || cloze else { return text }
        var text = text
        if separator { text = text.replacingOccurrences(of: " :: ", with: " – ") }
        if highlight { text = Cloze.expandHighlights(text, firstNumber: 1).text }
        if cloze { text = Cloze.render(text, reveal: true) }
        return text
    }
}
