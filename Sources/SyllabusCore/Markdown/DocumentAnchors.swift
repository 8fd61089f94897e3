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
        // An anchor in a link's text is a Topics list's copy of the id its heading names
        // further down: it gives way to that one, without a warning.
        var anchorIDs: [Node: [String]] = [:]
        var anchors: [String] = []
        var firstLines: [String: Int] = [:]
        let namedOutsideLinks = Set(document.anchors.lazy.filter { !$0.anchor.inLinkText }.map(\.anchor.id))
        for (anchor, node) in document.anchors {
            anchorIDs[node, default: []] += []
            if anchor.inLinkText && namedOutsideLinks.contains(anchor.id) { continue }
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
        let headings = HeadingAnchors.apply(to: document.tree, slugger: &slugger, anchorIDs: anchorIDs.compactMapValues(\.first),
                                             clozeCards: source.isCardsFile || document.frontMatter.cards == true)
        let content = PageContent(tree: document.tree,
                                  headingIDs: Dictionary(headings.map { ($0.node, $0.heading.id) }, uniquingKeysWith: { first, _ in first }))
        content.anchorIDs = anchorIDs
        return Anchored(content: content, headings: headings.map(\.heading), anchors: anchors)
    }

    /// The note's title: its front matter's, else its first heading's text, else its file name
    /// without `.md`. A card file's `##` headings are cards, not titles: without a title in its
    /// front matter or a `#` heading it is "<service> cards" when its file is named after its
    /// service (`dynamodb.cards.md`), else "<file name> cards" (`limits.cards.md`: "Limits cards").
    static func title(of document: ParsedDocument, headings: [Heading], isCardsFile: Bool,
                      serviceID: String, serviceName: String) -> String {
        let fileName = (document.source.relativePath as NSString).lastPathComponent
        if let title = document.frontMatter.title { return title }
        guard isCardsFile else { return headings.first?.text ?? fileName.replacingOccurrences(of: ".md", with: "") }
        if let first = headings.first, first.level == 1 { return first.text }
        let stem = fileName.hasSuffix(".cards.md") ? String(fileName.dropLast(".cards.md".count)) : String(fileName.dropLast(".md".count))
        guard stem != serviceID, !stem.isEmpty else { return "\(serviceName) cards" }
        let words = HeadingAnchors.readable(stem)
        return words.prefix(1).uppercased() + words.dropFirst() + " cards"
    }
}
