import Foundation

/// One flashcard, as every stage after classifying sees it. Its Markdown (front and back
/// nodes) lives in its page's content, at `index`; a page restored from the build cache has
/// no tree until a renderer asks for it.
public struct Card: Sendable, Encodable, Equatable {
    /// Front and back, or a cloze card whose front holds the deletions (see `Cloze`).
    enum Kind: String, Sendable, Encodable { case basic, cloze }

    /// Basic or cloze.
    var kind: Kind
    /// True for a card written `Front :: Back` inside prose; false for a heading card (the
    /// heading is the front, the blocks under it the back).
    var isInline: Bool
    /// The id of the card's `<!-- id: … -->` comment, `%XX` decoded; nil when it has none
    /// (then `guid` is a hash of service and front).
    public var pinnedID: String?
    /// The `Service.id` the card's deck belongs to (its page's service).
    var serviceID: String
    /// The id of the page the card is on (its path relative to the content folder).
    var pageID: String
    /// Position among its page's cards.
    var index: Int
    /// Id of the page element the card sits under, for links to it.
    var anchor: String
    /// Where the front starts in its file (1-based line and UTF-8 byte column), for diagnostics.
    var location: SourceLocation
    /// The line a pinned id goes after: a heading card's last line, an inline card's own.
    var pinLine: Int
    /// The page's tags, then the card's own (`ownTags`).
    var tags: [String]
    /// The card's `<!-- tags: … -->` (space-separated), e.g. an imported Anki note's tags.
    var ownTags: [String] = []
    /// The card's own `<!-- source: … -->` and `<!-- checked: … -->` comments; empty when it
    /// has none (see `provenance(in:)`).
    var ownProvenance = Provenance()
    /// The front as plain text, trimmed.
    var frontText: String
    /// Stable Anki note id (see `Card.guid(…)`).
    var guid: String

    /// The pinned id when there is one, else derived from the service and the normalized
    /// front. Never from the back, so fixing an answer updates the note. `cards --pin-ids`
    /// pins the derived value itself, so pinning changes no GUID.
    static func guid(pinnedID: String?, serviceID: String, frontText: String) -> String {
        if let pinnedID { return pinnedID }
        return IdentifierHash.guid(frontKey(serviceID: serviceID, frontText: frontText))
    }

    /// The deck and the front with case and spacing ignored: what the derived GUID hashes, and
    /// what makes two cards the same question whatever their ids (`Classifier.checkCards`).
    static func frontKey(serviceID: String, frontText: String) -> String {
        serviceID + "\u{1F}" + normalizedFront(frontText)
    }

    /// `text` lowercased, with each run of whitespace made one space and none at either end.
    /// Byte by byte when the text is ASCII (most fronts): the same result as the Unicode way
    /// (ASCII's whitespace is U+0009–U+000D and the space), several times faster, and every
    /// build makes it for every card (`Classifier.checkCards`).
    static func normalizedFront(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else {
            return text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var spaceDue = false
        for byte in utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                spaceDue = !bytes.isEmpty
                continue
            }
            if spaceDue {
                bytes.append(0x20)
                spaceDue = false
            }
            bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Card {
    /// What the card's back cites: its own sources and date, each falling back to its file's.
    func provenance(in page: Page) -> Provenance {
        Provenance(sources: ownProvenance.sources.isEmpty ? page.provenance.sources : ownProvenance.sources,
                   checked: ownProvenance.checked ?? page.provenance.checked,
                   line: ownProvenance.isEmpty ? page.provenance.line : ownProvenance.line)
    }
}

/// A card's Markdown inside its page's tree.
struct CardNodes {
    /// The node whose children are the front: the card's heading, or for an inline card a
    /// span around the part of the line before `::`. Holding containers keeps the card valid
    /// when the link stage splits or unwraps inline nodes inside them.
    var front: Node
    /// Blocks under a heading card; for an inline card, one span holding the part after `::`.
    var back: [Node]
    /// The footnote definitions the card references, in the order of their first reference
    /// (they stay in the page's tree, at its end, where cmark-gfm puts them).
    var footnotes: [Node] = []
}

/// The comments a card may carry right after its heading (or at the end of an inline card's
/// line): `<!-- id: some-id -->`, `<!-- source: URL -->` (any number),
/// `<!-- checked: YYYY-MM-DD -->` and `<!-- tags: a b::c -->`. The values are checked where
/// the card is read.
enum CardComment: Equatable {
    case id(String)
    /// An `<!-- id: … -->` comment whose id cannot be an Anki GUID, and why: reported where
    /// the card is read, so a mistyped id is never silently replaced by a derived one.
    case invalidID(String)
    case source(String)
    case checked(String)
    /// Space-separated tags of this card alone.
    case tags([String])

    /// The comment `html` is, or nil when it is anything else. Apart from an id (see
    /// `CardID.read`), only a plain comment (no `--`, `<` or `>` inside) counts, so one the
    /// sanitizer keeps can never end early or hold markup.
    static func parse(_ html: String) -> CardComment? {
        switch CardID.read(html) {
        case let .id(id)?: return .id(id)
        case let .invalid(problem)?: return .invalidID(problem)
        case nil: break
        }
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), trimmed.count >= 7 else { return nil }
        let inner = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard !inner.contains("--"), !inner.contains(where: { $0 == "<" || $0 == ">" || $0.isNewline }) else { return nil }
        for (prefix, make) in [("source:", CardComment.source), ("checked:", CardComment.checked)] where inner.hasPrefix(prefix) {
            return make(inner.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces))
        }
        if inner.hasPrefix("tags:") { return .tags(inner.dropFirst(5).split(separator: " ").map(String.init)) }
        return nil
    }
}

/// `<!-- id: some-id -->`, the optional stable id of a card, which is its Anki GUID verbatim.
///
/// Any text Anki takes as a GUID works, punctuation included (Anki's own GUIDs are ten
/// characters of a 91-character alphabet with `/ > : # ` ; " '` and more: `<!-- id:
/// sqs:retention -->`, `<!-- id: Ab/c>d#e -->`). Written in the comment, `%XX` stands for
/// the byte XX of the id's UTF-8, so that every id fits a comment that Markdown, HTML and
/// XHTML all read whole, and is otherwise written as Anki shows it. `comment(_:)` writes
/// that way only what must be: the second `-` of any `--` (`--` is what ends a comment, as
/// `-->` or `--!>`, or breaks an XHTML one; every `<!--` and `-->` inside holds one, so a
/// lone `<` or `>` is harmless: the id is never the comment's first or last character),
/// whitespace and control characters (the comment is read as words), a `` ` `` (in an
/// inline card's line, it could close a code span opened before the comment) and a `%`
/// followed by two hex digits (else it would read as an escape). Any other `%` is itself,
/// and so, when read, is a `%` not followed by two hex digits; the escapes of earlier
/// versions (`%3E` for `>`, `%25` for every `%`) read as before.
enum CardID {
    /// What an `<!-- id: … -->` comment holds.
    enum Reading: Equatable {
        case id(String)
        /// Not a usable id; the text says why and how to write it.
        case invalid(String)
    }

    /// The id in `html` when it is an `<!-- id: … -->` comment (decoded), why it is not a
    /// usable id when it cannot be one, and nil when `html` is no id comment at all.
    static func read(_ html: String) -> Reading? {
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), trimmed.count >= 7 else { return nil }
        let inner = trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("id:") else { return nil }
        let written = inner.dropFirst(3).trimmingCharacters(in: .whitespaces)
        if written.isEmpty { return .invalid("card id is empty") }
        if written.contains(where: { $0.isWhitespace || $0.isNewline }) {
            return .invalid("card id '\(written)' holds a space or line break (write a space as %20)")
        }
        if written.contains("--") { return .invalid("card id '\(written)' holds '--', which ends an HTML comment (write '-%2D')") }
        let id = decode(written)
        if id.unicodeScalars.contains(where: { CharacterSet.whitespacesAndNewlines.contains($0) || CharacterSet.controlCharacters.contains($0) }) {
            return .invalid("card id '\(written)' holds a space or control character, which Anki does not keep in a GUID")
        }
        return .id(id)
    }

    /// The id in `html`, when it is an `<!-- id: … -->` comment with a usable id.
    static func parse(_ html: String) -> String? {
        if case let .id(id)? = read(html) { return id }
        return nil
    }

    /// The comment that pins `id` (any non-empty text), written so that `read` gives it back.
    static func comment(_ id: String) -> String { "<!-- id: \(encode(id)) -->" }

    /// `id` as written in a comment: see the type's documentation.
    static func encode(_ id: String) -> String {
        var result = ""
        let scalars = Array(id.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let next = scalars[(index + 1)...].prefix(2)
            let special = scalar == "`" || (scalar == "-" && index > 0 && scalars[index - 1] == "-")
                || (scalar == "%" && next.count == 2 && next.allSatisfy { $0.properties.isASCIIHexDigit })
                || CharacterSet.whitespacesAndNewlines.contains(scalar) || CharacterSet.controlCharacters.contains(scalar)
            if special {
                for byte in String(scalar).utf8 { result += String(format: "%%%02X", byte) }
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Undoes `encode`: each `%XX` becomes byte XX; a `%` without two hex digits stays.
    static func decode(_ written: String) -> String {
        guard written.contains("%") else { return written }
        var bytes: [UInt8] = []
        let utf8 = Array(written.utf8)
        var index = 0
        while index < utf8.count {
            let hex = index + 2 < utf8.count ? utf8[(index + 1)...(index + 2)] : []
            if utf8[index] == UInt8(ascii: "%"), hex.count == 2, hex.allSatisfy({ Character(Unicode.Scalar($0)).isHexDigit }),
               let value = UInt8(String(decoding: hex, as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
