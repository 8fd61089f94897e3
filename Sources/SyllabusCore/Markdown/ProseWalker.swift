import Foundation

/// Visits the text nodes a reader sees as running prose: not in code, links, images or
/// headings. Reports the id of the section each one is in (the last heading before it).
enum ProseWalker {
    static func visit(_ tree: MarkdownTree, headingIDs: [Node: String], _ body: (Node, _ section: String) -> Void) {
        var sections = SectionTracker(headingIDs: headingIDs)
        tree.document.walk { node in
            switch node.kind {
            case .heading:
                sections.pass(node)
                return .skipChildren
            case .link, .image, .code, .codeBlock, .htmlBlock, .htmlInline:
                return .skipChildren
            case .text:
                body(node, sections.sectionID ?? "top")
                return .skipChildren
            default:
                return .visitChildren
            }
        }
    }
}
