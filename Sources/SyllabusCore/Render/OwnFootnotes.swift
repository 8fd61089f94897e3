import Foundation

/// The footnotes of a part of a page shown on its own, on the site and in Anki (a card on a
/// service page, a practice page or an Anki card; an exam question): its references numbered
/// from 1 and its definitions in a list of its own, with ids nothing else on the page has.
///
/// cmark-gfm writes a reference as `<sup class="footnote-ref"><a href="#fn-LABEL"
/// id="fnref-LABEL[-K]" data-footnote-ref>N</a></sup>`, N numbering the definitions of the
/// whole file; references are rewritten in that shape with the part's own numbers.
enum OwnFootnotes {
    /// `parts` (HTML, in reading order) with their references renumbered, and the list of
    /// `definitions` to show after them (empty when there are none). `definitions` are in the
    /// order of their first reference (see `Node.footnoteDefinitions(referencedBy:)`), the
    /// order the references appear in `parts`; `prefix` starts every id; `html` writes a node
    /// of the definitions (with the part's links pointed).
    static func apply(_ parts: [String], definitions: [Node], prefix: String, html: (Node) -> String) -> (parts: [String], section: String) {
        guard !definitions.isEmpty else { return (parts, "") }
        var numbers: [String: Int] = [:]
        var counts: [Int: Int] = [:]
        func renumber(_ html: String) -> String {
            var result = ""
            var rest = Substring(html)
            while let open = rest.range(of: "<sup class=\"footnote-ref\"><a href=\"#fn-"),
                  let close = rest[open.upperBound...].range(of: "</a></sup>"),
                  let numberStart = rest[open.upperBound..<close.lowerBound].range(of: "data-footnote-ref>") {
                let global = String(rest[numberStart.upperBound..<close.lowerBound])
                let number = numbers[global] ?? (numbers.count + 1)
                numbers[global] = number
                let count = (counts[number] ?? 0) + 1
                counts[number] = count
                result += rest[..<open.lowerBound]
                result += "<sup class=\"footnote-ref\"><a href=\"#\(prefix)-\(number)\" id=\"\(prefix)ref-\(number)-\(count)\">\(number)</a></sup>"
                rest = rest[close.upperBound...]
            }
            return result + rest
        }
        let renumbered = parts.map(renumber)
        var section = "<section class=\"footnotes\">\n<ol>\n"
        for (index, definition) in definitions.enumerated() {
            let number = index + 1
            var body = definition.children.map(html).joined()
            if counts[number] != nil {
                let backLink = " <a href=\"#\(prefix)ref-\(number)-1\" class=\"footnote-backref\" aria-label=\"Back to content\">↩</a>"
                if body.hasSuffix("</p>\n") {
                    var end = body.index(body.endIndex, offsetBy: -5)
                    while end > body.startIndex, body[body.index(before: end)] == " " { end = body.index(before: end) }
                    body.replaceSubrange(end..<body.index(body.endIndex, offsetBy: -5), with: backLink)
                } else {
                    body += "<p>\(backLink)</p>\n"
                }
            }
            section += "<li id=\"\(prefix)-\(number)\">\n\(body)</li>\n"
        }
        section += "</ol>\n</section>\n"
        return (renumbered, section)
    }

    /// The prefix of the footnote ids of the part with this stable id (a card's GUID, a
    /// question's id): letters and digits only, whatever the id holds.
    static func prefix(_ id: String) -> String { "n\(String(IdentifierHash.fnv1a64(id), radix: 36))-fn" }
}
