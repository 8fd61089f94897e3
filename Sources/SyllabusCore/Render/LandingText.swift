import Foundation

/// What of a landing text (`index.md` of a published guide) opens its service page and its
/// EPUB chapter. Such a text starts with its own title, which would be a second title under
/// the service's, and usually holds a contents list that repeats the notes' list (it already
/// set their order and nesting, see `StudySet.pages(of:)`): both are left out, the rest shown.
enum LandingText {
    /// The top-level blocks of `page` that are shown, in order: all but a heading that is the
    /// first block and lists whose every item is one link to a note of the page's own service
    /// (with, under it, only lists of the same kind); and the id on the page of the heading
    /// left out, if one was, so that links to it still land. The tree is not changed.
    static func shownBlocks(of page: Page, in set: LinkedStudySet) -> (blocks: [Node], droppedHeadingID: String?) {
        let content = set.content(of: page)
        var targets: [Node: LinkTarget] = [:]
        for (node, target) in content.links { targets[node] = target }
        func isOwnNote(_ link: Node) -> Bool {
            guard case let .page(id, _)? = targets[link], id != page.id, let target = set.page(id) else { return false }
            return target.serviceID == page.serviceID && !target.isLanding
        }
        var droppedHeadingID: String?
        var shown: [Node] = []
        for (index, block) in content.tree.document.children.enumerated() {
            if index == 0, block.kind == .heading {
                droppedHeadingID = content.headingIDs[block]
            } else if !(block.kind == .list && onlyLinksToOwnNotes(block, isOwnNote: isOwnNote)) {
                shown.append(block)
            }
        }
        return (shown, droppedHeadingID)
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
