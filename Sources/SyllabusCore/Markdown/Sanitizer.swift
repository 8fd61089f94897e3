import Foundation

/// Applies the safety policy once, right after parsing: without `unsafe_html`, raw HTML is
/// dropped and a link or image with a `javascript:`-style URL becomes its text, with a warning.
enum Sanitizer {
    /// Drops raw HTML from `tree` and replaces every link or image whose URL is dangerous by
    /// its text (an image by its alt text), warning at its `file:line:column` in `source`,
    /// unless `allowRawHTML` (then it leaves the tree as it is). Raw HTML that `keepsHTML`
    /// accepts stays: comments that a later stage reads as its own syntax (the Cards stage's
    /// `SyntaxComments`); the Markdown stage does not know which they are.
    static func apply(to tree: MarkdownTree, allowRawHTML: Bool, keepsHTML: (String) -> Bool,
                             source: SourceFile, diagnostics: DiagnosticLog) {
        guard !allowRawHTML else { return }
        // cmark-gfm's safe mode would render such a link as a live `<a href="">`, silently:
        // the learner sees the text and a warning says why it is no longer a link.
        var dangerous: [Node] = []
        tree.document.walk { node in
            switch node.kind {
            case .htmlBlock, .htmlInline:
                if node.mark == .htmlAnchor || node.mark == .cellBreak { return .skipChildren }
                if !keepsHTML(node.literal ?? "") {
                    // `InlineHTML.apply` warned about an inline picture; one in a block goes with
                    // the whole block.
                    if node.kind == .htmlBlock {
                        warnOfText(inBlock: node, source: source, diagnostics: diagnostics)
                        warnOfPictures(inBlock: node, source: source, diagnostics: diagnostics)
                    }
                    node.remove()
                }
                return .skipChildren
            case .link, .image:
                if let url = node.url, isDangerous(url, image: node.kind == .image) { dangerous.append(node) }
                return .visitChildren
            default:
                return .visitChildren
            }
        }
        // Innermost first (the walk met them outermost first), so an image inside a link is
        // replaced before the link's children move.
        for node in dangerous.reversed() {
            let what = node.kind == .image ? "image" : "link"
            diagnostics.warning("\(what) URL '\(node.url ?? "")' could run code or read local files; the \(what) is left out, its text kept",
                                at: position(of: node, in: source))
            node.unwrap()
        }
    }

    /// Warns at its `file:line:column` of each picture (`<img>`, `<video>`…) in the HTML block
    /// `node`, which is dropped whole, saying how to write an `<img>` in Markdown, and of each
    /// script or style element, as an inline one is warned about (`InlineHTML.apply`).
    private static func warnOfPictures(inBlock node: Node, source: SourceFile, diagnostics: DiagnosticLog) {
        guard let html = node.literal, html.contains("<") else { return }
        for (tag, line, column, _) in InlineHTML.mediaTags(in: html, named: InlineHTML.mediaAndRawText) {
            let what = InlineHTML.rawText.contains(tag.name) ? " with its content and its HTML block" : " with its HTML block"
            diagnostics.warning(InlineHTML.leftOut(tag, what), at: InlineHTML.location(line: line, column: column, in: node, file: source))
        }
    }

    /// Warns at the `file:line:column` of the HTML block `node`, which is dropped whole, when
    /// it holds text a reader would have seen, quoting its first words: a sentence in a `<div>`
    /// or `<p>` that opens a line must not go missing unsaid.
    private static func warnOfText(inBlock node: Node, source: SourceFile, diagnostics: DiagnosticLog) {
        guard let html = node.literal, let text = shownText(of: html) else { return }
        diagnostics.warning("raw HTML block is left out with its text '\(text)'\(InlineHTML.droppedUnlessUnsafe); write the text in Markdown to keep it",
                            at: position(of: node, in: source))
    }

    /// The text of `html` a reader would lose with its block (`RawHTML.visibleText`, pictures
    /// left to their own warning), cut after 60 characters with "…"; nil when it shows none.
    static func shownText(of html: String) -> String? {
        let words = RawHTML.visibleText(html, picturesAsAltText: false)
        guard !words.isEmpty else { return nil }
        return words.count > 60 ? String(words.prefix(60)) + "…" : words
    }

    /// Where `node` starts in `source`, or where its nearest positioned ancestor does (cmark
    /// gives some inline nodes no position).
    static func position(of node: Node, in source: SourceFile) -> SourceLocation {
        var current: Node? = node
        while let candidate = current {
            if candidate.hasPosition { return source.location(line: candidate.line, column: candidate.column) }
            current = candidate.parent
        }
        return source.location()
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
