import Foundation

/// Parse stage output: a source file's front matter and its Markdown tree, parsed once.
public struct ParsedDocument: Sendable {
    public let source: SourceFile
    public let frontMatter: FrontMatter
    public let tree: MarkdownTree

    /// Parses one file. Safe to call from many threads at once, one file each.
    public static func parse(_ file: LoadedFile, allowRawHTML: Bool, diagnostics: DiagnosticLog) -> ParsedDocument {
        let source = file.source
        let (yaml, body, offset) = FrontMatter.split(file.text)
        let matter = yaml.map { FrontMatter.parse($0, file: source, diagnostics: diagnostics) } ?? FrontMatter()
        let tree = MarkdownParser.parse(body, lineOffset: offset)
        Sanitizer.apply(to: tree, allowRawHTML: allowRawHTML)
        if tree.document.firstChild == nil {
            diagnostics.error("file has front matter but no content", at: source.location(line: offset + 1))
        }
        return ParsedDocument(source: source, frontMatter: matter, tree: tree)
    }
}
