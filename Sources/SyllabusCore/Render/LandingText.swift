import Foundation

/// What of a landing text (`index.md` of a published guide) opens its service page and its
/// EPUB chapter. Such a text starts with its own title, which would be a second title under
/// the service's, and usually holds a contents list that repeats the notes' list (it already
/// set their order and nesting, see `StudySet.pages(of:)`): both are left out, the rest shown.
enum LandingText {
    /// Runs `body` with the blocks of `page` that are not shown taken out of its tree (and
    /// puts them back after): a heading that is the first block, and lists whose every item is
    /// one link to a note of the page's own service (with, under it, only lists of the same
    /// kind). `body` gets the heading's id on the page, if one was taken out, so that links to
    /// it still land. Call inside `LinkedStudySet.render`, which holds the tree's lock.
    static func withShownBlocks<T>(of page: Page, in set: LinkedStudySet, _ body: (_ droppedHeadingID: String?) -> T) -> T {
        let content = set.content(of: page)
        let document = content.tree.document
        let blocks = document.children
        var targets: [Node: LinkTarget] = [:]
        for (node, target) in content.links { targets[node] = target }
        func isOwnNote(_ link: Node) -> Bool {
            guard case let .page(id, _)? = targets[link], id != page.id, let target = set.page(id) else { return false }
            return target.serviceID == page.serviceID && !target.isLanding
        }
        var droppedHeadingID: String?
        // Each with the block before it, back in place by the time it is put back.
        var dropped: [(node: Node, after: Node?)] = []
        for (index, block) in blocks.enumerated() {
            if index == 0, block.kind == .heading {
                droppedHeadingID = content.headingIDs[block]
                dropped.append((block, nil))
            } else if block.kind == .list, onlyLinksToOwnNotes(block, isOwnNote: isOwnNote) {
                dropped.append((block, index > 0 ? blocks[index - 1] : nil))
            }
        }
        for (node, _) in dropped { node.unlink() }
        defer {
            for (node, after) in dropped {
                if let after { after.insertAfter(node) } else { document.prepend(node) }
            }
        }
        return body(droppedHeadingID)
    }

    /// Whether every item of `list`, however deep, is one link for which `isOwnNote` holds
    /// (spaces and line breaks aside), followed only by nested lists. Iterative, as every walk.
    private static func onlyLinksToOwnNotes(_ list: Node, isOwnNote: (Node) -> Bool) -> Bool {
        var holds = true
        list.walk { node in
            guard holds else { return .skipChildren }
            switch node.kind {
            case .list:
                holds = node.firstChild != nil
            case .item:
                let children = node.children
                holds = children.first?.kind == .paragraph && children.dropFirst().allSatisfy { $0.kind == .list }
            case .paragraph:
                let parts = node.children.filter { child in
                    !(child.kind == .softBreak || child.kind == .lineBreak
                      || (child.kind == .text && (child.literal ?? "").allSatisfy(\.isWhitespace)))
                }
                holds = parts.count == 1 && parts[0].kind == .link && isOwnNote(parts[0])
                return .skipChildren
            default:
                holds = false
            }
            return .visitChildren
        }
        return holds
    }
}
