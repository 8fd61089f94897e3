import Foundation

/// What of a landing text (`index.md` of a published guide) opens its service page and its
/// EPUB chapter. Such a text starts with its own title, which would be a second title under
/// the service's, and usually holds a contents list that repeats the notes' list (it already
/// set their order and nesting, see `StudySet.pages(of:)`): both are left out, with a heading
/// left over them, the rest shown.
enum LandingText {
    /// The top-level blocks of `page` that are shown, in order: all but a heading that is the
    /// first block, lists whose every item is one link to a note of the page's own service
    /// (with, under it, only lists of the same kind), and a heading whose section held nothing
    /// but such lists (a guide's "Contents" heading, which would stand empty); and the ids on
    /// the page of the headings left out, in order, so that links to them still land. The tree
    /// is not changed.
    static func shownBlocks(of page: Page, in set: LinkedStudySet) -> (blocks: [Node], droppedHeadingIDs: [String]) {
        let content = set.content(of: page)
        var targets: [Node: LinkTarget] = [:]
        for (node, target) in content.links { targets[node] = target }
        func isOwnNote(_ link: Node) -> Bool {
            guard case let .page(id, _)? = targets[link], id != page.id, let target = set.page(id) else { return false }
            return target.serviceID == page.serviceID && !target.isLanding
        }
        let blocks = content.tree.document.children
        var kept = blocks.enumerated().map { index, block in
            !(index == 0 && block.kind == .heading) && !(block.kind == .list && onlyLinksToOwnNotes(block, isOwnNote: isOwnNote))
        }
        // From the last heading up, so that a section whose subsections all went goes too.
        for index in blocks.indices.reversed() where index > 0 && blocks[index].kind == .heading {
            let level = blocks[index].headingLevel
            let end = blocks[(index + 1)...].firstIndex { $0.kind == .heading && $0.headingLevel <= level } ?? blocks.endIndex
            let section = (index + 1)..<end
            if !section.isEmpty, section.allSatisfy({ !kept[$0] }) { kept[index] = false }
        }
        let dropped = blocks.indices.filter { !kept[$0] && blocks[$0].kind == .heading }.compactMap { content.headingIDs[blocks[$0]] }
        return (blocks.indices.filter { kept[$0] }.map { blocks[$0] }, dropped)
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
