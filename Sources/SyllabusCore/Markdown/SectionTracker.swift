import Foundation

/// Which section a walk over a document is in: the headings open at the node it is at, by
/// level, as an outline would nest them. A walk hands it every node it passes (or every
/// top-level block, for a walk over blocks only) and asks it where it is; the tracker walks
/// nothing itself, so the walks stay iterative (documents nest 100,000 deep).
struct SectionTracker {
    /// A heading whose section is open: it and every block after it up to the next heading of
    /// the same or a higher level.
    struct OpenHeading {
        let node: Node
        let level: Int
        /// The heading's anchor id (see `HeadingAnchors`), nil for a heading that has none.
        let id: String?
    }

    /// The ids `HeadingAnchors` gave the document's headings.
    let headingIDs: [Node: String]
    /// The open headings, outermost first; the last is the heading passed last.
    private(set) var open: [OpenHeading] = []

    init(headingIDs: [Node: String]) { self.headingIDs = headingIDs }

    /// Passes `node`: a heading closes the sections of its level and deeper and opens its
    /// own. Returns whether `node` is a heading.
    @discardableResult
    mutating func pass(_ node: Node) -> Bool {
        guard node.kind == .heading else { return false }
        let level = node.headingLevel
        while let last = open.last, last.level >= level { open.removeLast() }
        open.append(OpenHeading(node: node, level: level, id: headingIDs[node]))
        return true
    }

    /// The id of the section the walk is in: that of the heading passed last, nil before the
    /// first (the top of the page).
    var sectionID: String? { open.last?.id }
}
