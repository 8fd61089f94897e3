import Foundation

/// Anki's import format for one field and one row.
enum AnkiField {
    /// Makes cmark's HTML fit one field: newlines inside `<pre>` become `<br>` (Anki shows a
    /// raw newline as a space, which would flatten code), other newlines become spaces. One
    /// pass over the bytes (Foundation's searching was a large share of the decks' time; see
    /// Benchmarks/README.md).
    static func format(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        var inPre = false
        var index = 0
        func starts(with tag: StaticString) -> Bool {
            let count = tag.utf8CodeUnitCount
            guard index + count <= bytes.count else { return false }
            return (0..<count).allSatisfy { bytes[index + $0] == tag.utf8Start[$0] }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<") {
                if !inPre, starts(with: "<pre") {
                    inPre = true
                } else if inPre, starts(with: "</pre>") {
                    inPre = false
                }
            }
            if byte == UInt8(ascii: "\n") {
                result += inPre ? Array("<br>".utf8) : [UInt8(ascii: " ")]
            } else {
                result.append(byte)
            }
            index += 1
        }
        let text = String(decoding: result, as: UTF8.self)
        return trimmingWhitespace(text)
    }

    /// `text` without the scalars of `CharacterSet.whitespaces` at either end, as
    /// `trimmingCharacters(in: .whitespaces)` gives it, read as scalars: Foundation's copied a
    /// field to UTF-16 first, a large share of the decks' time (most fields end in a space, a
    /// newline written as one).
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, whitespaces.contains(scalars[start]) { scalars.formIndex(after: &start) }
        while end > start, whitespaces.contains(scalars[scalars.index(before: end)]) { scalars.formIndex(before: &end) }
        return start == scalars.startIndex && end == scalars.endIndex ? text : String(scalars[start..<end])
    }

    /// RFC 4180 quoting for a tab-separated field: a field holding a tab, a newline or a
    /// quote, or starting with `#` (Anki skips an unquoted line starting with `#`), is quoted.
    /// Byte-wise: it runs on every field of every card (walking Characters took longer than
    /// making the field).
    static func quote(_ field: String) -> String {
        let quote = UInt8(ascii: "\"")
        let needsQuotes = field.utf8.first == UInt8(ascii: "#") || field.utf8.contains { byte in
            byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == quote
        }
        guard needsQuotes else { return field }
        var quoted: [UInt8] = [quote]
        quoted.reserveCapacity(field.utf8.count + 8)
        for byte in field.utf8 {
            quoted.append(byte)
            if byte == quote { quoted.append(quote) }
        }
        quoted.append(quote)
        return String(decoding: quoted, as: UTF8.self)
    }

    /// The tag every note of `service` carries, `<category>::<service-id>` (lower case, as
    /// `tag` makes it): how `syllabus import` knows a note of a deck Syllabus built.
    static func serviceTag(_ service: Service) -> String {
        tag(service.category) + "::" + tag(service.id)
    }

    /// An Anki tag: no spaces; `::` separates levels.
    static func tag(_ text: String) -> String {
        let lowered = text.lowercased()
        var tag = ""
        for scalar in lowered.unicodeScalars {
            if isTagScalar(scalar) {
                tag.unicodeScalars.append(scalar)
            } else if !tag.hasSuffix("-") {
                tag += "-"
            }
        }
        // `-` is one byte: trimmed as bytes (Foundation's trimming copied every tag to UTF-16).
        let utf8 = tag.utf8
        guard let first = utf8.firstIndex(where: { $0 != UInt8(ascii: "-") }),
              let last = utf8.lastIndex(where: { $0 != UInt8(ascii: "-") }) else { return "" }
        return first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) ? tag : String(tag[first...last])
    }

    /// Whether a tag keeps `scalar`: a letter or digit of `CharacterSet.alphanumerics`, or
    /// `-`, `_`, `:`. ASCII is answered without Foundation, whose `alphanumerics` made a new
    /// set on every use: 4 % of the decks' time, for every tag of every card.
    private static func isTagScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x5F, 0x3A: return true
        case 0..<0x80: return false
        default: return alphanumerics.contains(scalar)
        }
    }

    private static let alphanumerics = CharacterSet.alphanumerics
    /// Made once: Foundation makes a new set on every use of `CharacterSet.whitespaces`.
    private static let whitespaces = CharacterSet.whitespaces
}
