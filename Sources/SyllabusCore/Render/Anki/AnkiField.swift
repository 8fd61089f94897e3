import Foundation

/// Anki's import format for one field and one row.
enum AnkiField {
    /// Makes cmark's HTML fit one field: newlines inside `<pre>` become `<br>` (Anki shows a
    /// raw newline as a space, which would flatten code), other newlines become spaces.
    static func format(_ html: String) -> String {
        var result = ""
        var rest = Substring(html)
        while let open = rest.range(of: "<pre") {
            result += flatten(rest[..<open.lowerBound])
            let close = rest[open.lowerBound...].range(of: "</pre>")?.upperBound ?? rest.endIndex
            result += rest[open.lowerBound..<close].replacingOccurrences(of: "\n", with: "<br>")
            rest = rest[close...]
        }
        result += flatten(rest)
        return result.trimmingCharacters(in: .whitespaces)
    }

    private static func flatten(_ html: Substring) -> String {
        html.replacingOccurrences(of: "\n", with: " ")
    }

    /// RFC 4180 quoting for a tab-separated field: a field holding a tab, a newline or a
    /// quote, or starting with `#` (Anki skips an unquoted line starting with `#`), is quoted.
    static func quote(_ field: String) -> String {
        let needsQuotes = field.hasPrefix("#") || field.contains { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\"" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// An Anki tag: no spaces; `::` separates levels.
    static func tag(_ text: String) -> String {
        let lowered = text.lowercased()
        var tag = ""
        for scalar in lowered.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) || "-_:".unicodeScalars.contains(scalar) {
                tag.unicodeScalars.append(scalar)
            } else if !tag.hasSuffix("-") {
                tag += "-"
            }
        }
        return tag.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }
}
