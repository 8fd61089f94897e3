import Foundation

/// Parse stage output: a source file's front matter and its Markdown tree, parsed once.
public struct ParsedDocument: Sendable {
    public let source: SourceFile
    public let frontMatter: FrontMatter
    public let tree: MarkdownTree

    /// Parses one file. Safe to call from many threads at once, one file each. `tree` is the
    /// file's Markdown when it was already parsed with `markdown(of:)`.
    public static func parse(_ file: LoadedFile, allowRawHTML: Bool, diagnostics: DiagnosticLog, tree: MarkdownTree? = nil) -> ParsedDocument {
        let source = file.source
        let (yaml, body, offset) = FrontMatter.split(file.text)
        let matter = yaml.map { FrontMatter.parse($0, file: source, diagnostics: diagnostics) } ?? FrontMatter()
        let tree = tree ?? MarkdownParser.parse(body, lineOffset: offset)
        Sanitizer.apply(to: tree, allowRawHTML: allowRawHTML)
        if tree.document.firstChild == nil {
            diagnostics.error("file has front matter but no content", at: source.location(line: offset + 1))
        }
        return ParsedDocument(source: source, frontMatter: matter, tree: tree)
    }

    /// The Markdown below the front matter, parsed: the part of `parse` that cannot run on
    /// two threads at once.
    public static func markdown(of file: LoadedFile) -> MarkdownTree {
        let (_, body, offset) = FrontMatter.split(file.text)
        return MarkdownParser.parse(body, lineOffset: offset)
    }
}
