import Foundation

/// How every output shows where a note's or card's figures come from: one paragraph,
///
/// ```html
/// <p class="provenance">Checked on <time datetime="2026-11-30">30 November 2026</time>.
/// Sources: <a href="https://docs.aws.amazon.com/…">docs.aws.amazon.com/…</a>, …</p>
/// ```
///
/// (on one line), valid as HTML and as XHTML; empty when there is nothing to show.
enum ProvenanceHTML {
    static func paragraph(_ provenance: Provenance) -> String {
        var parts: [String] = []
        if let checked = provenance.checked {
            parts.append("Checked on <time datetime=\"\(checked)\">\(checked.spelled)</time>.")
        }
        if !provenance.sources.isEmpty {
            let links = provenance.sources.map(link)
            parts.append("Source\(links.count == 1 ? "" : "s"): \(links.joined(separator: ", "))")
        }
        return parts.isEmpty ? "" : "<p class=\"provenance\">\(parts.joined(separator: " "))</p>\n"
    }

    static func link(_ url: String) -> String {
        "<a href=\"\(escapeHTML(XML.encodeURL(url)))\">\(escapeHTML(label(url)))</a>"
    }

    /// What a reader sees of a source URL: without its scheme and a trailing `/`.
    static func label(_ url: String) -> String {
        var label = Substring(url)
        for scheme in ["https://", "http://"] where label.lowercased().hasPrefix(scheme) { label = label.dropFirst(scheme.count) }
        if label.hasSuffix("/") { label = label.dropLast() }
        return String(label)
    }
}
