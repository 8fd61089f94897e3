import CMarkGFM
import Foundation

/// A parsed Markdown document: owns the cmark tree and the parser whose extensions render it.
///
/// cmark trees are mutable C structures. Stages up to linking may change the tree; after that
/// it is read-only: renderers on many threads read it at once, and write what they show
/// differently (links, a card's footnotes) into their own output, never into the tree.
final class MarkdownTree: @unchecked Sendable {
    let root: OpaquePointer
    /// Lines before the Markdown text in its file (front matter), added to cmark's positions.
    let lineOffset: Int

    init(root: OpaquePointer, lineOffset: Int) {
        self.root = root
        self.lineOffset = lineOffset
    }

    deinit {
        cmark_node_free(root)
    }

    /// The root node (`.document`); valid as long as this tree is.
    var document: Node { Node(raw: root, tree: self) }

    var extensions: UnsafeMutablePointer<cmark_llist>? { MarkdownParser.extensions }
}

/// Parse stage: Markdown text to a cmark-gfm tree with the GitHub extensions.
enum MarkdownParser {
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// Registering the core extensions is not thread-safe in cmark-gfm, so it happens once,
    /// through Swift's thread-safe lazy global initialisation, before any parser runs.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    static let parseOptions = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES

    /// cmark-gfm keeps the inline parser's special characters in one global table (the static
    /// `SPECIAL_CHARS` and `SKIP_CHARS` of its `inlines.c`): `cmark_parser_finish` adds the
    /// attached extensions' characters (`~`, `w`, `:`…) before it parses inlines and removes them
    /// after. Two finishing parsers would drop each other's strikethroughs and autolinks at
    /// random, so one parser finishes at a time.
    private static let inlineLock = NSLock()

    /// Whether files may be fed (their block structure parsed) on many threads while another
    /// parser finishes. In cmark-gfm 0.29.0.gfm.6 (Debian's `libcmark-gfm`) feeding never
    /// touches the table: only `process_inlines`, which `cmark_parser_finish` calls, fills and
    /// empties it, and the extensions library imports neither `cmark_parse_inlines` nor
    /// `cmark_manage_extensions_special_characters`. Later releases' table extension parses a
    /// row's inlines while feeding, filling the table as it goes, so with any version not
    /// checked this way feeding is serialized as well (`ConcurrentParseTests` compares trees
    /// parsed on many threads with trees parsed alone).
    static let feedsConcurrently = ["0.29.0.gfm.6"].contains(String(cString: cmark_version_string()))

    /// The task list extension, which claims the list items written `[ ]` or `[x]`.
    static let tasklist: OpaquePointer? = {
        precondition(registered)
        return cmark_find_syntax_extension("tasklist")
    }()

    /// The extensions, as the list the HTML renderer takes; built once and shared, so a tree
    /// does not keep its parser alive just to render.
    static let extensions: UnsafeMutablePointer<cmark_llist>? = {
        precondition(registered)
        var list: UnsafeMutablePointer<cmark_llist>?
        for name in extensionNames {
            if let syntax = cmark_find_syntax_extension(name) {
                list = cmark_llist_append(cmark_get_default_mem_allocator(), list, UnsafeMutableRawPointer(syntax))
            }
        }
        return list
    }()

    /// Parses CommonMark with the GitHub extensions (tables, strikethrough, autolinks, tag filter,
    /// task lists) and footnotes, keeping source positions. Never fails: cmark-gfm accepts any text.
    /// - Parameter lineOffset: lines of the file before `text` (front matter), added to every node's line.
    static func parse(_ text: String, lineOffset: Int = 0) -> MarkdownTree {
        precondition(registered)
        let parser = cmark_parser_new(parseOptions)!
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let syntax = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntax)
            }
        }
        let feed = {
            text.utf8CString.withUnsafeBufferPointer { buffer in
                cmark_parser_feed(parser, buffer.baseAddress, buffer.count - 1)
            }
        }
        if feedsConcurrently { feed() } else { inlineLock.withLock(feed) }
        let root: OpaquePointer = inlineLock.withLock { cmark_parser_finish(parser)! }
        cmark_consolidate_text_nodes(root)
        return MarkdownTree(root: root, lineOffset: lineOffset)
    }
}
