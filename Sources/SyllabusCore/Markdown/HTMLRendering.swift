import CMarkGFM
import Foundation

extension Node {
    /// HTML of this node and its subtree, by cmark-gfm's renderer.
    ///
    /// Rendering is always "unsafe" in cmark's terms: `Sanitizer` has already removed the raw
    /// HTML and dangerous URLs the configuration does not allow, so what remains is either
    /// trusted content or markup Syllabus inserted itself (heading anchors).
    public func html() -> String {
        guard let buffer = cmark_render_html(raw, CMARK_OPT_UNSAFE, tree.extensions) else { return "" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// HTML of the children only, leaving out anchors Syllabus added (card fronts, titles).
    public func innerHTML() -> String {
        children.filter { $0.mark != .headingAnchor }.map { $0.html() }.joined()
    }
}

/// Escapes text for HTML and XML content and attribute values, and drops the control
/// characters XML 1.0 does not allow at all (so the same text is safe in the EPUB).
public func escapeHTML(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&#39;"
        case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
        default:
            let value = scalar.value
            if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF { continue }
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}
