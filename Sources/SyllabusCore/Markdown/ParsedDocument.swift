import CMarkTreeMemory
import Foundation

/// Parse stage output: a source file's front matter and its Markdown tree, parsed once.
struct ParsedDocument: Sendable {
    /// The file this was parsed from.
    let source: SourceFile
    /// The front matter read as YAML; empty (`FrontMatter()`) when the file has none.
    let frontMatter: FrontMatter
    /// The body's tree, sanitized, a guide's definition terms made bold, figures made and link
    /// URLs repaired; lines count the front matter.
    let tree: MarkdownTree
    /// The file's HTML anchor elements (see `HTMLAnchors`), in document order.
    let anchors: [(anchor: ExplicitAnchor, node: Node)]

    /// Parses one file. Safe to call from many threads at once, one file each (see
    /// `MarkdownParser.parse`). Raw HTML goes unless `allowRawHTML`, but for what `keepsHTML`
    /// accepts (see `Sanitizer.apply`); when it stays, each picture in it that an output would
    /// not show is warned about (`InlineHTML.warnOfPicturesNotShown`; `makesBook`: the build
    /// makes the EPUB, which leaves raw HTML out). Problems go to `diagnostics`; it never fails.
    static func parse(_ file: LoadedFile, allowRawHTML: Bool, makesBook: Bool = false, keepsHTML: (String) -> Bool,
                      diagnostics: DiagnosticLog) -> ParsedDocument {
        let source = file.source
        let (yaml, body, offset) = FrontMatter.split(file.text)
        let matter = yaml.map { FrontMatter.parse($0, file: source, diagnostics: diagnostics) } ?? FrontMatter()
        if yaml == nil, let last = FrontMatter.unclosedLastLine(file.text) {
            diagnostics.error("front matter is not closed: add a '---' line after its last key (line \(last))", at: source.location(line: 1))
        }
        let tree = MarkdownParser.parse(body, lineOffset: offset)
        // Every note's tree is kept until its outputs are made: without the text cmark-gfm
        // leaves in its blocks, the trees of the 2,000-note benchmark corpus take about 25 MiB
        // less, a tenth of a full build's peak memory.
        syllabus_cmark_release_block_text(tree.root)
        // First, while no node of the tree is kept anywhere: it frees what it removes, an
        // anchor inside a script among it.
        if !allowRawHTML { InlineHTML.dropRawTextElements(in: tree, file: source, diagnostics: diagnostics) }
        let anchors = HTMLAnchors.apply(to: tree)
        InlineHTML.apply(to: tree, allowRawHTML: allowRawHTML, file: source, diagnostics: diagnostics)
        Sanitizer.apply(to: tree, allowRawHTML: allowRawHTML, keepsHTML: keepsHTML, source: source, diagnostics: diagnostics)
        DefinitionTerms.apply(to: tree)
        if allowRawHTML { InlineHTML.warnOfPicturesNotShown(in: tree, file: source, makesBook: makesBook, diagnostics: diagnostics) }
        FigureMarkup.apply(to: tree, file: source, diagnostics: diagnostics)
        LinkURLs.repair(tree, source: source, diagnostics: diagnostics)
        if tree.document.firstChild == nil {
            diagnostics.error("file has front matter but no content", at: source.location(line: tree.lineOffset + 1))
        }
        return ParsedDocument(source: source, frontMatter: matter, tree: tree, anchors: anchors)
    }
}
