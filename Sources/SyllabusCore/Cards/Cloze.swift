import Foundation

/// Anki's cloze markup, `{{c1::text}}` and `{{c1::text::hint}}`, and Syllabus's `==text==`.
///
/// A deletion that opens outside code takes code inside it whole:
/// `{{c1::`{"key": {"inner": 1}}`}}` deletes the code span, whose `}}` and `::` are its
/// content. Elsewhere markup counts, in code too (`` `aws sts {{c1::decode}}` `` deletes a
/// word of the command), and a deletion ends at the first `}}` and its hint starts at the
/// first `::`, as Anki reads them (`rslib/src/cloze.rs`: a deletion opens at `{{c` with
/// digits and `::`, closes at the next `}}`; the first `::` of its text starts the hint).
/// Anki reads the field's HTML, code included, so `ankiField` writes the characters of code
/// taken whole that Anki would read as markup as character references.
enum Cloze {
    /// One deletion: `{{c2::Lambda::compute}}` is number 2, text "Lambda", hint "compute".
    struct Deletion: Equatable, Sendable {
        /// The `N` of `cN`; several deletions may share one (they are hidden together).
        var number: Int
        /// The hidden text, markup as written.
        var text: String
        /// The text after the deletion's first `::`, nil when there is none.
        var hint: String?
    }

    /// A problem with the markup, at `offset` UTF-8 bytes into the piece `piece` of the
    /// scanned text (see `scan(_:)`).
    struct Problem: Equatable, Sendable {
        /// One sentence for a diagnostic.
        var message: String
        /// Index into the scanned pieces (0 for `scan(_: String)`).
        var piece: Int
        /// UTF-8 byte offset into that piece's text.
        var offset: Int
    }

    /// What `scan` found.
    struct Scan: Equatable {
        /// Every deletion, in text order.
        var deletions: [Deletion] = []
        /// Markup Anki would not read as the author meant, in text order.
        var problems: [Problem] = []
    }

    /// A run of a front's text: markup counts in it, unless it is code.
    struct Piece: Equatable, Sendable {
        /// The run's characters (a code span's without its backticks).
        var text: String
        /// True for a code span: a deletion that opens outside code takes it whole.
        var isCode: Bool

        /// A piece of prose unless `isCode`.
        init(_ text: String, isCode: Bool = false) {
            self.text = text
            self.isCode = isCode
        }
    }

    /// What a front is made of: text outside deletions, and deletions.
    enum Part: Equatable {
        case text(String)
        /// `answer` and `hint` as written, code included.
        case deletion(number: Int, answer: String, hint: String?)
    }

    /// Finds every deletion in `text` (one piece, no code) and describes markup that Anki
    /// would not read.
    static func scan(_ text: String) -> Scan { scan([Piece(text)]) }

    /// Finds every deletion in `pieces` and describes markup that Anki would not read.
    static func scan(_ pieces: [Piece]) -> Scan {
        let parsed = parse(pieces)
        var scan = Scan(problems: parsed.problems)
        for case let .deletion(number, answer, hint) in parsed.parts {
            scan.deletions.append(Deletion(number: number, text: answer, hint: hint))
        }
        return scan
    }

    /// The pieces of a card's front, its text and its code spans in order, and the node each
    /// comes from.
    static func pieces(of front: Node) -> (pieces: [Piece], nodes: [Node]) {
        var pieces: [Piece] = []
        var nodes: [Node] = []
        front.walk { node in
            switch node.kind {
            case .text: pieces.append(Piece(node.literal ?? ""))
            case .code: pieces.append(Piece(node.literal ?? "", isCode: true))
            case .softBreak, .lineBreak: pieces.append(Piece(" "))
            default: return .visitChildren
            }
            nodes.append(node)
            return .visitChildren
        }
        return (pieces, nodes)
    }

    /// Turns each `==text==` into the next numbered deletion after `firstNumber - 1`.
    static func expandHighlights(_ text: String, firstNumber: Int) -> (text: String, count: Int) {
        var result = ""
        var rest = Substring(text)
        var number = firstNumber
        while let open = rest.range(of: "=="),
              let close = rest[open.upperBound...].range(of: "=="),
              !rest[open.upperBound..<close.lowerBound].isEmpty {
            result += rest[..<open.lowerBound]
            result += "{{c\(number)::\(rest[open.upperBound..<close.lowerBound])}}"
            number += 1
            rest = rest[close.upperBound...]
        }
        result += rest
        return (result, number - firstNumber)
    }

    /// A rendered front as a question: each deletion a `<span class="cloze">[…]</span>` blank;
    /// with `number`, only the deletions of that number (the card Anki makes of them).
    static func question(_ html: String, number: Int? = nil) -> String {
        render(html, reveal: false, number: number) { "<span class=\"cloze\">\($0)</span>" }
    }

    /// A rendered front with its deletions filled in, each marked `<mark class="cloze">`; with
    /// `number`, only the deletions of that number are marked.
    static func revealed(_ html: String, number: Int? = nil) -> String {
        render(html, reveal: true, number: number) { "<mark class=\"cloze\">\($0)</mark>" }
    }

    /// The distinct numbers of the deletions in a rendered front, ascending: Anki makes one
    /// card of each number, which hides that number's deletions and shows the others' text.
    static func numbers(_ html: String) -> [Int] {
        guard html.contains("{{c") else { return [] }
        var numbers = Set<Int>()
        for case let .deletion(number, _, _) in parse(htmlPieces(html)).parts { numbers.insert(number) }
        return numbers.sorted()
    }

    /// Replaces deletions in rendered HTML: with `[…]` (or `[hint]`) blanks when hidden, with
    /// the deleted text when revealed. `wrap` marks the replaced part up. Markup inside
    /// `<code>` elements is their content. With `number`, deletions of other numbers are
    /// their text, unmarked, as on the card Anki makes for `number`.
    static func render(_ html: String, reveal: Bool, number: Int? = nil, wrap: (String) -> String = { $0 }) -> String {
        guard html.contains("{{c") else { return html }
        var result = ""
        for part in parse(htmlPieces(html)).parts {
            switch part {
            case let .text(text): result += text
            case let .deletion(other, answer, _) where number != nil && other != number: result += answer
            case let .deletion(_, answer, hint): result += wrap(reveal ? answer : "[\(hint ?? "…")]")
            }
        }
        return result
    }

    /// A rendered cloze front as an Anki field: in `<code>` elements that a deletion takes
    /// whole, `{`, `}` and `:` are written as character references, so that Anki, which reads
    /// markup in the field's HTML code and all, ends and splits each deletion where Syllabus
    /// does; it shows the same characters.
    static func ankiField(_ html: String) -> String {
        guard html.contains("<code") else { return html }
        let pieces = htmlPieces(html)
        let whole = parse(pieces).wholeCode
        return pieces.indices.map { index in
            let piece = pieces[index]
            guard whole.contains(index) else { return piece.text }
            var text = ""
            for character in piece.text {
                switch character {
                case "{": text += "&#123;"
                case "}": text += "&#125;"
                case ":": text += "&#58;"
                default: text.append(character)
                }
            }
            return text
        }.joined()
    }

    /// `html` cut into text and the contents of `<code>` elements (whose `<` can only be the
    /// start of `</code>`: cmark-gfm escapes the rest).
    static func htmlPieces(_ html: String) -> [Piece] {
        var pieces: [Piece] = []
        var rest = Substring(html)
        while let open = rest.range(of: "<code"), let tagEnd = rest[open.upperBound...].firstIndex(of: ">"),
              let close = rest[rest.index(after: tagEnd)...].range(of: "</code>") {
            let contentStart = rest.index(after: tagEnd)
            pieces.append(Piece(String(rest[..<contentStart])))
            pieces.append(Piece(String(rest[contentStart..<close.lowerBound]), isCode: true))
            pieces.append(Piece("</code>"))
            rest = rest[close.upperBound...]
        }
        pieces.append(Piece(String(rest)))
        return pieces
    }

    /// Reads deletions as Anki does, except that a deletion opened outside code takes the
    /// code inside it whole; `wholeCode` are the indices of the code pieces taken so.
    static func parse(_ pieces: [Piece]) -> (parts: [Part], problems: [Problem], wholeCode: Set<Int>) {
        // Without `{{c` nothing opens, and the reading below only joins the pieces as text: it
        // goes Character by Character, which showed in the profile of a full build, and nearly
        // every card front, heading and bold term it is asked about holds no deletion.
        guard pieces.contains(where: { mayOpen($0.text) }) else {
            let text = pieces.map(\.text).joined()
            return (text.isEmpty ? [] : [.text(text)], [], [])
        }
        var parts: [Part] = []
        var problems: [Problem] = []
        var wholeCode: Set<Int> = []
        var outside = ""
        // The deletion being read: its number, answer, hint (once `::` was seen), where it
        // opened (piece and offset), its text as written.
        var open: (number: Int, answer: String, hint: String?, piece: Int, offset: Int, body: String)?
        // Where the last deletion closed, for a `}}` right after it.
        var justClosed: (answer: String, piece: Int, offset: Int)?

        func append(_ text: Substring) {
            guard !text.isEmpty else { return }
            if open == nil {
                outside += text
            } else if open!.hint == nil {
                open!.answer += text
            } else {
                open!.hint! += text
            }
            open?.body += text
        }

        for (pieceIndex, piece) in pieces.enumerated() {
            if piece.isCode, let deletion = open, !pieces[deletion.piece].isCode {
                if !piece.text.isEmpty { justClosed = nil }
                wholeCode.insert(pieceIndex)
                append(Substring(piece.text))
                continue
            }
            var rest = Substring(piece.text)
            while !rest.isEmpty {
                // Characters other than `{`, `}` and `:` start no markup: taken as one run, not
                // one Character (with its appends and prefix tests) at a time, which made these
                // readings a few per cent of a full build's time.
                let plainEnd = rest.firstIndex { $0 == "{" || $0 == "}" || $0 == ":" } ?? rest.endIndex
                if plainEnd != rest.startIndex {
                    let run = rest[..<plainEnd]
                    if justClosed != nil, run.contains(where: { !$0.isWhitespace }) { justClosed = nil }
                    append(run)
                    rest = rest[plainEnd...]
                    continue
                }
                let offset = piece.text.utf8.distance(from: piece.text.startIndex, to: rest.startIndex)
                if open == nil, rest.hasPrefix("{{c"), let (number, length) = opening(rest) {
                    if !outside.isEmpty { parts.append(.text(outside)); outside = "" }
                    open = (number, "", nil, pieceIndex, offset, "")
                    justClosed = nil
                    rest = rest.dropFirst(length)
                } else if open != nil, rest.hasPrefix("}}") {
                    let deletion = open!
                    open = nil
                    if deletion.hint?.contains("::") == true {
                        problems.append(Problem(message: "'{{c\(deletion.number)::\(deletion.body)}}' has more than one hint",
                                                piece: deletion.piece, offset: deletion.offset))
                    }
                    if deletion.answer.trimmingCharacters(in: .whitespaces).isEmpty {
                        problems.append(Problem(message: "'{{c\(deletion.number)::\(deletion.body)}}' deletes nothing",
                                                piece: deletion.piece, offset: deletion.offset))
                        parts.append(.text("{{c\(deletion.number)::\(deletion.body)}}"))
                    } else {
                        parts.append(.deletion(number: deletion.number, answer: deletion.answer, hint: deletion.hint))
                    }
                    justClosed = (deletion.answer, pieceIndex, offset)
                    rest = rest.dropFirst(2)
                    continue
                } else if open == nil, rest.hasPrefix("}}"), let closed = justClosed {
                    problems.append(Problem(
                        message: "the deletion '\(closed.answer)' ends at the first '}}', and this '}}' closes nothing; "
                            + "write code that holds '}}' in backticks",
                        piece: pieceIndex, offset: offset))
                    justClosed = nil
                    append(rest.prefix(2))
                    rest = rest.dropFirst(2)
                } else if open != nil, open!.hint == nil, rest.hasPrefix("::") {
                    open!.hint = ""
                    open!.body += "::"
                    rest = rest.dropFirst(2)
                } else if rest.hasPrefix("{{c"), open == nil {
                    let end = rest.range(of: "}}")?.upperBound ?? rest.endIndex
                    problems.append(Problem(message: "'\(rest[..<end])' is not a cloze deletion like {{c1::text}}", piece: pieceIndex, offset: offset))
                    append(rest.prefix(3))
                    rest = rest.dropFirst(3)
                } else {
                    if !rest.first!.isWhitespace { justClosed = nil }
                    append(rest.prefix(1))
                    rest = rest.dropFirst()
                }
            }
        }
        if let deletion = open {
            problems.append(Problem(message: "'{{c\(deletion.number)::' is never closed with '}}'", piece: deletion.piece, offset: deletion.offset))
            outside += "{{c\(deletion.number)::\(deletion.body)"
        }
        if !outside.isEmpty { parts.append(.text(outside)) }
        return (parts, problems, wholeCode)
    }

    /// Whether `text` holds `{{c` (its bytes: a Character `{` is that byte alone or with marks
    /// after it, so without the bytes there is no such Character either).
    private static func mayOpen(_ text: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            if byte == UInt8(ascii: "c"), previous == (UInt8(ascii: "{"), UInt8(ascii: "{")) { return true }
            previous = (previous.1, byte)
        }
        return false
    }

    /// `{{c` + a number greater than 0 + `::` at the start of `text`: the number and length.
    private static func opening(_ text: Substring) -> (Int, Int)? {
        let digits = text.dropFirst(3).prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let number = Int(digits), number > 0,
              text.dropFirst(3 + digits.count).hasPrefix("::") else { return nil }
        return (number, 3 + digits.count + 2)
    }
}
