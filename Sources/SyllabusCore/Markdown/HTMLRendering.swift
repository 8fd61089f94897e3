import CMarkGFM
import Foundation

extension Node {
    /// HTML of this node and its subtree, by cmark-gfm's renderer.
    ///
    /// Rendering is always "unsafe" in cmark's terms: `Sanitizer` has already removed the raw
    /// HTML and dangerous URLs the configuration does not allow, so what remains is either
    /// trusted content or markup Syllabus inserted itself (heading anchors).
    func html() -> String {
        guard let buffer = cmark_render_html(raw, CMARK_OPT_UNSAFE, tree.extensions) else { return "" }
        defer { free(buffer) }
        return String(cString: buffer)
    }

    /// HTML of the children only, leaving out anchors Syllabus added (card fronts, titles).
    func innerHTML() -> String {
        children.filter { $0.mark != .headingAnchor }.map { $0.html() }.joined()
    }
}

/// Escapes text for HTML and XML content and attribute values, and drops the control
/// characters XML 1.0 does not allow at all (so the same text is safe in the EPUB).
func escapeHTML(_ text: String) -> String {
    // Most text needs nothing: one pass over the bytes finds out.
    guard needsEscape(text) else { return text }
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

/// Whether a byte of `text` may need escaping or dropping (see `needsEscapeCheck`), read from
/// its contiguous UTF-8 where it has it (a native string does): the common answer is no.
private func needsEscape(_ text: String) -> Bool {
    text.utf8.withContiguousStorageIfAvailable { $0.contains(where: needsEscapeCheck) } ?? text.utf8.contains(where: needsEscapeCheck)
}

/// True for bytes that may need escaping or dropping: markup characters, C0 controls, and
/// the lead bytes of C1 controls (0xC2) and of U+FFFE/U+FFFF (0xEF).
private func needsEscapeCheck(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x7F, 0xC2, 0xEF: return true
    case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): return false
    default: return byte < 0x20
    }
}
