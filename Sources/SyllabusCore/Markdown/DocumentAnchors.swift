import Foundation

/// The Markdown stage's last step for one note: every place a link may point at gets its id.
/// HTML anchor elements keep theirs (a repeated id is dropped, with a warning), and headings
/// get unique ids that none of those anchors use (see `HeadingAnchors`).
enum DocumentAnchors {
    /// The note's tree with its ids, and the ids as the note's facts list them.
    struct Anchored {
        var content: PageContent
        var headings: [Heading]
        /// Anchor ids in document order, each once.
        var anchors: [String]
    }

    static func apply(to document: ParsedDocument, diagnostics: DiagnosticLog) -> Anchored {
        let source = document.source
        // An id named twice is one place: the first anchor keeps it, a later one is dropped.
        var anchorIDs: [Node: [String]] = [:]
        var anchors: [String] = []
        var firstLines: [String: Int] = [:]
        for (anchor, node) in document.anchors {
            anchorIDs[node, default: []] += []
            if let first = firstLines[anchor.id] {
                diagnostics.warning("anchor id '\(anchor.id)' is also at line \(first); links go to the first",
                                    at: source.location(line: anchor.line, column: anchor.column))
                continue
            }
            firstLines[anchor.id] = anchor.line
            anchors.append(anchor.id)
            anchorIDs[node, default: []].append(anchor.id)
        }
        for (node, ids) in anchorIDs {
            node.literal = ids.map(HTMLAnchors.element).joined() + (node.kind == .htmlBlock ? "\n" : "")
        }
        var slugger = Slugger(reserved: Set(anchors))
        let headings = HeadingAnchors.apply(to: document.tree, slugger: &slugger, anchorIDs: anchorIDs.compactMapValues(\.first))
        let content = PageContent(tree: document.tree,
                                  headingIDs: Dictionary(headings.map { ($0.node, $0.heading.id) }, uniquingKeysWith: { first, _ in first }))
        content.anchorIDs = anchorIDs
        return Anchored(content: content, headings: headings.map(\.heading), anchors: anchors)
    }

    /// The note's title: its front matter's, else its first heading's text, else its file name
    /// without `.md`.
    static func title(of document: ParsedDocument, headings: [Heading]) -> String {
        let fileName = (document.source.relativePath as NSString).lastPathComponent
        return document.frontMatter.title ?? headings.first?.text ?? fileName.replacingOccurrences(of: ".md", with: "")
    }
}
