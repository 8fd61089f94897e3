import Foundation

/// The words of one page as full-text search reads them: every heading, paragraph, list item,
/// table cell, code block and card (front and back) of the note, in document order, with
/// cloze markup replaced by the text it hides and no raw HTML (card ids are HTML comments).
///
/// A fact of the page, found with its other facts and kept by the build cache, so a rebuild
/// makes the search index without parsing unchanged notes again. Shape: one string of lines;
/// a heading's line starts with `SearchText.headingMark` (U+0001), a code block's with
/// `SearchText.codeMark` (U+0002; no line otherwise holds either), every other line is prose.
///
/// The build cache's copy stays the UTF-8 bytes it was read as until something asks for the
/// text: a rebuild's search index reads only the texts of the shards that changed, and
/// decoding every note's text (half the cache's bytes) was most of reading the cache.
struct SearchText: Sendable, Equatable, Encodable {
    /// Marks a line as a heading.
    static let headingMark: Character = "\u{1}"
    /// Marks a line of a code block: search weighs its words less than prose.
    static let codeMark: Character = "\u{2}"

    private enum Storage: Sendable {
        case text(String)
        /// UTF-8 not yet checked (decoding repairs what is malformed, as reading a string does),
        /// where the build cache's file holds it.
        case stored(StoredSlice)
    }

    private let storage: Storage

    /// The lines, `\n`-separated, in the shape described above (decoded on each call when the
    /// text came from the cache).
    var text: String {
        switch storage {
        case let .text(text): return text
        case let .stored(bytes): return bytes.withBytes { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Wraps text already in that shape.
    init(text: String) { storage = .text(text) }

    /// Wraps the UTF-8 of text in that shape (the build cache's copy), decoded when first used.
    init(utf8: StoredSlice) { storage = .stored(utf8) }

    /// Wraps a copy of the UTF-8 of text in that shape, as `init(utf8:)` the cache's.
    init(utf8: ArraySlice<UInt8>) { self.init(utf8: StoredSlice(storage: StoredBytes(copying: utf8), range: 0..<utf8.count)) }

    /// Writes the text as `ByteWriter.string` does, without decoding bytes read from the cache.
    func write(to writer: inout ByteWriter) {
        switch storage {
        case let .text(text):
            writer.string(text)
        case let .stored(bytes):
            writer.int(bytes.range.count)
            bytes.withBytes { writer.raw($0) }
        }
    }

    /// Equal when the texts are the same UTF-8 (what the index is made of).
    static func == (lhs: SearchText, rhs: SearchText) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case let (.stored(left), .stored(right)):
            return left.withBytes { left in right.withBytes { left.elementsEqual($0) } }
        case let (.text(left), .text(right)): return left.utf8.elementsEqual(right.utf8)
        default: return lhs.text.utf8.elementsEqual(rhs.text.utf8)
        }
    }

    private enum CodingKeys: String, CodingKey { case text }

    /// As a struct of the one field `text` (the shape `BinaryCoder` defines the record by).
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
    }

    /// Reads the text out of a parsed page. Cloze deletions (`{{c1::text::hint}}`, `==text==`)
    /// become their text, and an inline card's ` :: ` a dash, so card markup never reaches the
    /// index; a code block keeps its literal text, each line after the code mark.
    ///
    /// Every note's text is read so at parse time: a block's text is gathered as bytes straight
    /// from the tree's literals and collapsed into the result as it is, and only a block that
    /// holds card markup goes through strings (`revealed`).
    static func extract(_ tree: MarkdownTree) -> SearchText {
        var text: [UInt8] = []
        var block: [UInt8] = []
        func add(_ block: [UInt8], heading: Bool) {
            guard !block.withUnsafeBufferPointer({ appendCollapsed($0, to: &text, mark: heading ? 0x01 : nil, unlessMarkup: true) }) else { return }
            let line = collapsed(revealed(String(decoding: block, as: UTF8.self)))
            guard !line.isEmpty else { return }
            if !text.isEmpty { text.append(0x0A) }
            if heading { text.append(0x01) }
            text += line.utf8
        }
        tree.document.walk { node in
            switch node.kind {
            case .heading:
                block.removeAll(keepingCapacity: true)
                appendPlainText(of: node, to: &block)
                add(block, heading: true)
                return .skipChildren
            case .paragraph, .tableCell:
                block.removeAll(keepingCapacity: true)
                appendReadable(node, to: &block)
                add(block, heading: false)
                return .skipChildren
            case .codeBlock:
                node.withLiteralBytes { literal in
                    var start = 0
                    while start < literal.count {
                        // Lines as Characters split them: a CR LF pair is one Character, not a
                        // line end (collapsed to a space in the line).
                        var end = start
                        while end < literal.count, literal[end] != 0x0A || (end > 0 && literal[end - 1] == 0x0D) { end += 1 }
                        _ = appendCollapsed(UnsafeBufferPointer(rebasing: literal[start..<end]), to: &text, mark: 0x02)
                        start = end + 1
                    }
                }
                return .skipChildren
            case .htmlBlock, .htmlInline:
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        return SearchText(text: String(decoding: text, as: UTF8.self))
    }

    /// Appends `Node.plainText` of `node` (text and code, breaks as spaces) as UTF-8.
    private static func appendPlainText(of node: Node, to bytes: inout [UInt8]) {
        node.walk { node in
            switch node.kind {
            case .text, .code: node.withLiteralBytes { bytes += $0 }
            case .softBreak, .lineBreak: bytes.append(0x20)
            default: break
            }
            return .visitChildren
        }
    }

    /// Appends the text of a paragraph as a reader sees it, as UTF-8: text and code, breaks as
    /// spaces, and a dash between an inline card's front and back (each in a span of its own,
    /// see `CardExtractor`).
    private static func appendReadable(_ paragraph: Node, to bytes: inout [UInt8]) {
        paragraph.walk { node in
            switch node.kind {
            case .text, .code: node.withLiteralBytes { bytes += $0 }
            case .softBreak, .lineBreak: bytes.append(0x20)
            case .htmlInline:
                if node.mark == .cellBreak || InlineHTML.separatesWords(node.literal ?? "") { bytes.append(0x20) }
                return .skipChildren
            case .customInline: if endsInVisibleCharacter(bytes) { bytes += " – ".utf8 }
            default: break
            }
            return .visitChildren
        }
    }

    /// Whether UTF-8 `bytes` end in a character that is not whitespace (a dash goes only after
    /// a visible Character): an ASCII last byte says it alone; otherwise the text is
    /// read as a String, as rarely as an inline card follows such a character.
    private static func endsInVisibleCharacter(_ bytes: [UInt8]) -> Bool {
        guard let last = bytes.last else { return false }
        if last < 0x80 { return !(last == 0x20 || (0x09...0x0D).contains(last)) }
        return String(decoding: bytes, as: UTF8.self).last.map { !$0.isWhitespace } ?? false
    }

    /// Appends `collapsed(line)` to `text` as a line of its own (after a newline unless `text`
    /// is empty, after `mark`, the heading or code mark, if any), or nothing when it is empty; true. When
    /// `unlessMarkup` and the line may hold card markup `revealed` replaces (the bytes of
    /// ` :: `, `==` or `{{c`, the test `revealed` makes), it appends nothing and returns false.
    /// The bytes are written through a pointer into room made first: appended one at a time,
    /// each checked the array's capacity and uniqueness, most of the time of reading a note's text.
    private static func appendCollapsed(_ line: UnsafeBufferPointer<UInt8>, to text: inout [UInt8], mark: UInt8?,
                                        unlessMarkup: Bool = false) -> Bool {
        let start = text.count
        // A newline, the mark and the line at most.
        text.append(contentsOf: repeatElement(0, count: line.count + 2))
        let end = text.withUnsafeMutableBufferPointer { out -> Int in
            var written = start, started = false, space = false
            var previous: UInt8 = 0, beforePrevious: UInt8 = 0, third: UInt8 = 0
            for byte in line {
                if unlessMarkup {
                    if (byte == 0x3D && previous == 0x3D) || (byte == 0x63 && previous == 0x7B && beforePrevious == 0x7B)
                        || (byte == 0x20 && previous == 0x3A && beforePrevious == 0x3A && third == 0x20) { return -1 }
                    (third, beforePrevious, previous) = (beforePrevious, previous, byte)
                }
                if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x01 || byte == 0x02 {
                    space = started
                    continue
                }
                if !started {
                    started = true
                    if start > 0 {
                        out[written] = 0x0A
                        written += 1
                    }
                    if let mark {
                        out[written] = mark
                        written += 1
                    }
                } else if space {
                    out[written] = 0x20
                    written += 1
                }
                space = false
                out[written] = byte
                written += 1
            }
            return written
        }
        text.removeLast(text.count - max(end, start))
        return end >= 0
    }

    /// `text` on one line, without runs of spaces (code indentation), the heading and code marks
    /// or leading and trailing space: the index stores this text for snippets.
    static func collapsed(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var space = false
        for byte in text.utf8 {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x01 || byte == 0x02 {
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
        if highlight {
            // Each `==text==` becomes a deletion, revealed below like one written as such.
            let expanded = Cloze.expandHighlights(text, firstNumber: 1)
            text = expanded.text
            cloze = cloze || expanded.count > 0
        }
        if cloze { text = Cloze.render(text, reveal: true) }
        return text
    }
}
