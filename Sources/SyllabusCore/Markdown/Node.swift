import CMarkGFM
import Foundation

/// A value over one cmark node. Valid while its `MarkdownTree` lives: pages, cards and
/// headings hold their tree. The reference here is unowned because walks create millions of
/// these values, and retaining the tree for each one was the largest cost of a build.
struct Node: Hashable, @unchecked Sendable {
    let raw: OpaquePointer
    unowned(unsafe) let tree: MarkdownTree

    /// cmark-gfm's node types, core and extension; `.other` carries the type string of one this enum does not name.
    enum Kind: Equatable, Sendable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, paragraph, heading, thematicBreak
        case footnoteDefinition, text, softBreak, lineBreak, code, htmlInline, emphasis, strong
        case link, image, footnoteReference, table, tableHeader, tableRow, tableCell, strikethrough, taskItem
        case customBlock, customInline
        case other(String)

        /// Extension nodes, which have no exported type constants in Debian's build.
        init(extensionType typeString: String) {
            switch typeString {
            case "table": self = .table
            case "table_header": self = .tableHeader
            case "table_row": self = .tableRow
            case "table_cell": self = .tableCell
            case "strikethrough": self = .strikethrough
            default: self = .other(typeString)
            }
        }
    }

    /// Identity: the same cmark node, not equal content.
    static func == (a: Node, b: Node) -> Bool { a.raw == b.raw }
    /// Hashes the node's address, matching `==`.
    func hash(into hasher: inout Hasher) { hasher.combine(raw) }

    /// The node's type; task list items are `.taskItem`, other list items `.item`.
    var kind: Kind {
        switch cmark_node_get_type(raw) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_ITEM:
            // Task list items are items the tasklist extension claimed (a pointer comparison:
            // making a String of the type name for every item was about 1 % of a full build).
            return cmark_node_get_syntax_extension(raw) == MarkdownParser.tasklist ? .taskItem : .item
        // Debian's cmark-gfm gives footnotes no type string ("<unknown>"); their types are exported.
        case CMARK_NODE_FOOTNOTE_DEFINITION: return .footnoteDefinition
        case CMARK_NODE_FOOTNOTE_REFERENCE: return .footnoteReference
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_THEMATIC_BREAK: return .thematicBreak
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_IMAGE: return .image
        case CMARK_NODE_CUSTOM_BLOCK: return .customBlock
        case CMARK_NODE_CUSTOM_INLINE: return .customInline
        default:
            return Kind(extensionType: String(cString: cmark_node_get_type_string(raw)))
        }
    }

    /// nil for the document node and for nodes not (or no longer) in a tree.
    var parent: Node? { cmark_node_parent(raw).map { Node(raw: $0, tree: tree) } }
    /// nil for a leaf.
    var firstChild: Node? { cmark_node_first_child(raw).map { Node(raw: $0, tree: tree) } }
    /// The following sibling, nil for the last child.
    var next: Node? { cmark_node_next(raw).map { Node(raw: $0, tree: tree) } }
    /// The preceding sibling, nil for the first child.
    var previous: Node? { cmark_node_previous(raw).map { Node(raw: $0, tree: tree) } }

    /// Direct children in document order (a fresh array; safe to edit the tree while iterating it).
    var children: [Node] {
        var result: [Node] = []
        var child = cmark_node_first_child(raw)
        while let node = child {
            result.append(Node(raw: node, tree: tree))
            child = cmark_node_next(node)
        }
        return result
    }

    /// The text of text, code, code block and HTML nodes (nil for containers); setting it rewrites the node.
    var literal: String? {
        get { cmark_node_get_literal(raw).map { String(cString: $0) } }
        nonmutating set { cmark_node_set_literal(raw, newValue) }
    }

    /// The literal's UTF-8 bytes, without making a String, for scans of every text node.
    func withLiteralBytes<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        guard let literal = cmark_node_get_literal(raw) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return literal.withMemoryRebound(to: UInt8.self, capacity: strlen(literal)) { body(UnsafeBufferPointer(start: $0, count: strlen(literal))) }
    }

    /// Destination of a link or image, as written (not resolved); setting nil stores "".
    var url: String? {
        get { cmark_node_get_url(raw).map { String(cString: $0) } }
        nonmutating set { cmark_node_set_url(raw, newValue ?? "") }
    }

    /// Title of a link or image (`[a](url "title")`), nil when absent.
    var title: String? { cmark_node_get_title(raw).map { String(cString: $0) } }
    /// 1 to 6 for a heading, 0 for any other node.
    var headingLevel: Int { Int(cmark_node_get_heading_level(raw)) }
    /// Info string of a fenced code block (`swift` in ```` ```swift ````), "" for indented code.
    var fenceInfo: String? { cmark_node_get_fence_info(raw).map { String(cString: $0) } }
    /// True for a `1.` list, false for a bullet list (and for nodes that are not lists).
    var isOrderedList: Bool { cmark_node_get_list_type(raw) == CMARK_ORDERED_LIST }
    /// First number of an ordered list (`3.` starts at 3); 0 for bullet lists.
    var listStart: Int { Int(cmark_node_get_list_start(raw)) }
    /// True for a task item written `[x]`.
    var isTaskChecked: Bool { cmark_gfm_extensions_get_tasklist_item_checked(raw) }

    /// 1-based line in the source file (front matter lines included).
    var line: Int { Int(cmark_node_get_start_line(raw)) + tree.lineOffset }
    /// 1-based column of the node's first character, counted in UTF-8 bytes (cmark's unit), not characters.
    var column: Int { Int(cmark_node_get_start_column(raw)) }
    /// Line of the node's last character, in the same numbering as `line`.
    var endLine: Int { Int(cmark_node_get_end_line(raw)) + tree.lineOffset }
    /// False for a node Syllabus made, which has no place in the source.
    var hasPosition: Bool { cmark_node_get_start_line(raw) > 0 }

    /// Marks set by Syllabus on nodes it inserted (see `NodeMark`).
    var mark: NodeMark? {
        get { NodeMark(rawValue: Int(bitPattern: cmark_node_get_user_data(raw))) }
        nonmutating set { cmark_node_set_user_data(raw, UnsafeMutableRawPointer(bitPattern: newValue?.rawValue ?? 0)) }
    }

    /// The text a reader sees: text and code literals of the subtree, breaks as spaces.
    var plainText: String {
        var result = ""
        walk { node in
            switch node.kind {
            case .text, .code: result += node.literal ?? ""
            case .softBreak, .lineBreak: result += " "
            case .htmlInline where node.mark == .cellBreak: result += " "
            default: break
            }
            return .visitChildren
        }
        return result
    }

    /// What `walk` does after visiting a node: descend into its children, or go on to its next sibling.
    enum WalkAction { case visitChildren, skipChildren }

    /// Depth-first, pre-order walk of this node and its descendants. The visitor may
    /// replace the node it is given (the walk continues after it) but nothing else.
    ///
    /// Iterative, with the pending siblings on a heap-allocated stack: cmark-gfm accepts
    /// nesting hundreds of thousands deep (`> > > …`, `- - - …`, `*a *a …`), which a recursive
    /// walk turns into a stack overflow, on a worker thread's small stack first.
    func walk(_ visit: (Node) -> WalkAction) {
        guard visit(self) == .visitChildren else { return }
        // The next sibling of every node being walked above the current one; captured before
        // the visit, because the visitor may remove the node it is given.
        var pending: [OpaquePointer?] = []
        var current = cmark_node_first_child(raw)
        while true {
            guard let node = current else {
                guard let resumed = pending.popLast() else { return }
                current = resumed
                continue
            }
            let following = cmark_node_next(node)
            if visit(Node(raw: node, tree: tree)) == .visitChildren, let child = cmark_node_first_child(node) {
                pending.append(following)
                current = child
            } else {
                current = following
            }
        }
    }

    /// Descendants (not self) of a kind, in document order.
    func descendants(_ kind: Kind) -> [Node] {
        var found: [Node] = []
        walk { node in
            if node != self, node.kind == kind { found.append(node) }
            return .visitChildren
        }
        return found
    }

    // MARK: Tree edits

    /// A new node of a cmark type, not yet in any tree; insert it, or it leaks.
    func makeNode(_ type: cmark_node_type) -> Node {
        Node(raw: cmark_node_new(type), tree: tree)
    }

    /// A new text node holding `text`, not yet in any tree.
    func makeText(_ text: String) -> Node {
        let node = makeNode(CMARK_NODE_TEXT)
        node.literal = text
        return node
    }

    /// Inserts `sibling` (a new or unlinked node) just before this node.
    func insertBefore(_ sibling: Node) { cmark_node_insert_before(raw, sibling.raw) }
    /// Adds `child` as this node's last child.
    func append(_ child: Node) { cmark_node_append_child(raw, child.raw) }
    /// Adds `child` as this node's first child.
    func prepend(_ child: Node) { cmark_node_prepend_child(raw, child.raw) }

    /// Takes the node out of the tree without freeing it.
    func unlink() { cmark_node_unlink(raw) }

    /// Takes the node out of the tree and frees it; the value must not be used afterwards.
    func remove() { cmark_node_free(raw) }

    /// Replaces a link or image by its content (an image by its alt text), for targets that
    /// do not exist. With `showingURL`, one without text of its own (`![](missing.png)`,
    /// `[](gone.zip)`) becomes its URL as written instead: the warnings that say a link is
    /// "shown as text" promise something the reader can see. Permanent.
    func unwrap(showingURL: Bool = false) {
        if showingURL, let url, !url.isEmpty, plainText.allSatisfy(\.isWhitespace) {
            insertBefore(makeText(url))
        } else if kind == .image {
            insertBefore(makeText(plainText))
        } else {
            for child in children { insertBefore(child) }
        }
        remove()
    }
}

/// Tags Syllabus keeps in a node's user data (the only per-node storage cmark offers).
enum NodeMark: Int {
    case headingAnchor = 1
    case internalLink = 2
    case crossLink = 3
    /// Markup `FigureMarkup` inserted, kept by every renderer.
    case figure = 4
    /// An HTML anchor element, written by `HTMLAnchors` (kept in safe mode).
    case htmlAnchor = 5
    /// The span around an inline card's front (`Front :: Back`), made by the card extractor;
    /// renderers that write their own markup (the EPUB's XHTML) recognise the card by it.
    case cardFront = 6
    /// The span around an inline card's back, with the arrow before it.
    case cardBack = 7
    /// A line break in a table cell (`<br />`), written by `InlineHTML` where cmark-gfm lets
    /// a cell hold no break node; every renderer writes it as a break, search as a space.
    case cellBreak = 8
}

extension Node {
    /// Inserts `sibling` (a new or unlinked node) just after this node.
    func insertAfter(_ sibling: Node) { cmark_node_insert_after(raw, sibling.raw) }
}
