import Foundation

/// Applies the safety policy once, right after parsing: without `unsafe_html`, raw HTML is
/// dropped and `javascript:`-style URLs are emptied, as cmark-gfm's safe mode would do.
public enum Sanitizer {
    /// Drops raw HTML from `tree` and empties dangerous URLs, unless `allowRawHTML` (then it
    /// leaves the tree as it is). Raw HTML that `keepsHTML` accepts stays: comments that a later stage reads as its own syntax
    /// (the Cards stage's `SyntaxComments`); the Markdown stage does not know which they are.
    public static func apply(to tree: MarkdownTree, allowRawHTML: Bool, keepsHTML: (String) -> Bool) {
        guard !allowRawHTML else { return }
        tree.document.walk { node in
            switch node.kind {
            case .htmlBlock, .htmlInline:
                if node.mark == .htmlAnchor { return .skipChildren }
                if !keepsHTML(node.literal ?? "") { node.remove() }
                return .skipChildren
            case .link, .image:
                if let url = node.url, isDangerous(url, image: node.kind == .image) { node.url = "" }
                return .visitChildren
            default:
                return .visitChildren
            }
        }
    }

    /// cmark-gfm's rule: these schemes run code or read local files; `data:` only for images.
    static func isDangerous(_ url: String, image: Bool) -> Bool {
        // Most URLs start with none of d, j, v, f or a space: no need to trim and lowercase.
        guard let first = url.utf8.first, "djvfDJVF \t".utf8.contains(first) || first >= 0x80 else { return false }
        let lower = url.trimmingCharacters(in: .whitespaces).lowercased()
        if lower.hasPrefix("data:") {
            let safeImages = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            return !(image && safeImages.contains { lower.hasPrefix($0) })
        }
        return ["javascript:", "vbscript:", "file:"].contains { lower.hasPrefix($0) }
    }

    /// A URL from configuration (`docs:` in services.yml, `base_url:`), through the same rule
    /// as URLs in notes: a dangerous one is left out, with a warning at `location`, since
    /// configuration is never trusted to run code on a page.
    static func configurationURL(_ url: String?, key: String, at location: SourceLocation, diagnostics: DiagnosticLog) -> String? {
        guard let url, isDangerous(url, image: false) else { return url }
        diagnostics.warning("'\(key)' URL '\(url)' could run code or read local files; it is left out", at: location)
        return nil
    }
}
