import Foundation

/// Whether a note gives its own table of contents: a list at the top of the document, before
/// its first section (`##` or deeper; not inside a quote, card or table), of at least two items, each item nothing but a link to a
/// place on the same page (`[Step 1](#create-table)`, to one of its headings or anchors),
/// possibly with a nested list of the same. Published developer guides open most long pages
/// with such a "Topics" list; the site's "On this page" box would show the same links again
/// right above it on a phone.
enum OwnContents {
    /// - Parameters:
    ///   - tree: the note after `DocumentAnchors.apply` (HTML anchors are in place).
    ///   - ids: the note's heading ids and anchor ids.
    static func isListed(in tree: MarkdownTree, ids: Set<String>) -> Bool {
        // A list of the same links further down ("Jump to" in a section) leaves the box in place.
        tree.document.children.lazy.prefix { $0.kind != .heading || $0.headingLevel < 2 }
            .contains { $0.kind == .list && listsOnlyOwnPlaces($0, ids: ids, atLeast: 2) }
    }

    private static func listsOnlyOwnPlaces(_ list: Node, ids: Set<String>, atLeast minimum: Int) -> Bool {
        let items = list.children
        return items.count >= minimum && items.allSatisfy { item in
            guard let paragraph = item.firstChild, paragraph.kind == .paragraph, isOneOwnLink(paragraph, ids: ids) else { return false }
            return item.children.dropFirst().allSatisfy { $0.kind == .list && listsOnlyOwnPlaces($0, ids: ids, atLeast: 1) }
        }
    }

    /// A paragraph whose only content, besides blank text and HTML anchors, is one link to `#id`.
    private static func isOneOwnLink(_ paragraph: Node, ids: Set<String>) -> Bool {
        var links: [Node] = []
        for child in paragraph.children {
            switch child.kind {
            case .link: links.append(child)
            case .htmlInline, .softBreak: continue
            case .text where child.literal?.allSatisfy(\.isWhitespace) ?? true: continue
            default: return false
            }
        }
        guard links.count == 1, let url = links[0].url, url.first == "#" else { return false }
        let fragment = String(url.dropFirst())
        return ids.contains(fragment.removingPercentEncoding ?? fragment)
    }
}
