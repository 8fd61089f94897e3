import Foundation

/// Parse stage output: a source file's front matter and its Markdown tree, parsed once.
struct ParsedDocument: Sendable {
    /// The file this was parsed from.
    let source: SourceFile
    /// The front matter read as YAML; empty (`FrontMatter()`) when the file has none.
    let frontMatter: FrontMatter
    /// The body's tree, sanitized, figures made and link URLs repaired; lines count the front matter.
    let tree: MarkdownTree
    /// The file's HTML anchor elements (see `HTMLAnchors`), in document order.
    let anchors: [(anchor: ExplicitAnchor, node: Node)]

    /// Parses one file. Safe to call from many threads at once, one file each. `markdown` is
    /// the file's Markdown when it was parsed ahead with `markdown(of:)`. Raw HTML goes unless
    /// `allowRawHTML`, but for what `keepsHTML` accepts (see `Sanitizer.apply`). Problems go to
    /// `diagnostics`; it never fails.
    static func parse(_ file: LoadedFile, allowRawHTML: Bool, keepsHTML: (String) -> Bool, diagnostics: DiagnosticLog,
                             markdown: ParsedMarkdown? = nil) -> ParsedDocument {
        let source = file.source
        let markdown = markdown ?? Self.markdown(of: file)
        let matter = markdown.frontMatter.map { FrontMatter.parse($0, file: source, diagnostics: diagnostics) } ?? FrontMatter()
        let tree = markdown.tree
        let anchors = HTMLAnchors.apply(to: tree)
        Sanitizer.apply(to: tree, allowRawHTML: allowRawHTML, keepsHTML: keepsHTML, source: source, diagnostics: diagnostics)
        FigureMarkup.apply(to: tree, file: source, diagnostics: diagnostics)
        LinkURLs.repair(tree, source: source, diagnostics: diagnostics)
        if tree.document.firstChild == nil {
            diagnostics.error("file has front matter but no content", at: source.location(line: tree.lineOffset + 1))
        }
        return ParsedDocument(source: source, frontMatter: matter, tree: tree, anchors: anchors)
    }

    /// The file split once into front matter text and body, the body parsed: the part of
    /// `parse` that cannot run on two threads at once.
    static func markdown(of file: LoadedFile) -> ParsedMarkdown {
        let (yaml, body, offset) = FrontMatter.split(file.text)
        return ParsedMarkdown(frontMatter: yaml, tree: MarkdownParser.parse(body, lineOffset: offset))
    }
}

/// A file's Markdown tree and its front matter, not yet read as YAML.
struct ParsedMarkdown: Sendable {
    /// The YAML between the `---` lines, without them; nil when the file has no front matter.
    let frontMatter: String?
    /// The body parsed as is (not yet sanitized); line numbers count the front matter lines.
    let tree: MarkdownTree
}
