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

    static let parseOptions = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES

    /// Whether this cmark-gfm was read for global state and found to keep none beyond the
    /// extension registry and the inline parser's special-character table, so that parsers may
    /// run side by side (see `parse`). In 0.29.0.gfm.6 (Debian's `libcmark-gfm`) the only other
    /// file-level variables are the registry and the default allocator, both set before any
    /// parser runs. Later releases change the table extension to parse a row's inlines while
    /// feeding; with any version not read this way, parsers run one at a time
    /// (`ConcurrentParseTests` compares trees parsed on many threads with trees parsed alone).
    static let parsesConcurrently = ["0.29.0.gfm.6"].contains(String(cString: cmark_version_string()))

    /// Registers the core extensions (not thread-safe in cmark-gfm, so once, through Swift's
    /// thread-safe lazy global initialisation, before any parser runs) and pins the autolink
    /// extension's special characters.
    ///
    /// cmark-gfm keeps the inline parser's special characters in one global table (the static
    /// `SPECIAL_CHARS` and `SKIP_CHARS` of its `inlines.c`). `cmark_parser_finish` adds the
    /// attached extensions' characters (`~`, `:`, `w`) to it before parsing inlines and takes
    /// them out after, so two finishing parsers would drop each other's strikethroughs and
    /// autolinks. The autolink extension is asked to match at every special character whatever
    /// its list says, so its `:` and `w` go into the table once, here, and its list is emptied:
    /// no finish adds or removes them again. Strikethrough's `~` cannot be pinned that way:
    /// the inline parser looks a delimiter's extension up in that same list.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        guard parsesConcurrently, let autolink = cmark_find_syntax_extension("autolink"),
              let pinning = cmark_parser_new(parseOptions) else { return true }
        defer { cmark_parser_free(pinning) }
        cmark_parser_attach_syntax_extension(pinning, autolink)
        cmark_manage_extensions_special_characters(pinning, 1)
        // The list is left allocated (a few bytes for the process's life): cmark-gfm has no
        // getter to free it through.
        cmark_syntax_extension_set_special_inline_chars(autolink, nil)
        return true
    }()

    /// Held by a parse that changes the special-character table: one with strikethrough
    /// attached, or any parse when `parsesConcurrently` is false.
    private static let tableLock = NSLock()

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
    ///
    /// Text without a `~` has no strikethrough to find, so its parser goes without that
    /// extension, never touches the special-character table, and runs beside any other parse;
    /// the table's `~` entries are only read at a `~` in the text. Parses of text with a `~`
    /// finish one at a time.
    /// - Parameter lineOffset: lines of the file before `text` (front matter), added to every node's line.
    static func parse(_ text: String, lineOffset: Int = 0) -> MarkdownTree {
        precondition(registered)
        let parser = cmark_parser_new(parseOptions)!
        defer { cmark_parser_free(parser) }
        let strikes = text.utf8.contains(UInt8(ascii: "~"))
        for name in extensionNames where strikes || name != "strikethrough" {
            if let syntax = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntax)
            }
        }
        let feed = {
            text.utf8CString.withUnsafeBufferPointer { buffer in
                cmark_parser_feed(parser, buffer.baseAddress, buffer.count - 1)
            }
        }
        let finish = { cmark_parser_finish(parser)! }
        let root: OpaquePointer
        if parsesConcurrently {
            // Feeding parses blocks only; the table is read and written while finishing.
            feed()
            root = strikes ? tableLock.withLock(finish) : finish()
        } else {
            root = tableLock.withLock { feed(); return finish() }
        }
        cmark_consolidate_text_nodes(root)
        return MarkdownTree(root: root, lineOffset: lineOffset)
    }
}
