import CMarkGFM
import Foundation

/// Bold that published guides write with a space inside its opening `**`, as the term of a
/// definition on a line of its own: ``** `Iterator` \(Required\)**``, ``** `Branches` **``,
/// ` ** Architectures **` before an anchor. CommonMark opens no bold at a `**` that a space
/// follows, so the asterisks would show on the site, in search snippets, in Anki and in the
/// EPUB (the Step Functions developer guide: 66 lines on 11 pages). Right after parsing, such
/// a line's text becomes the bold its author meant, for every output alike, without a
/// warning (as `LinkURLs` reads a guide's escaped URLs).
///
/// The shape is strict: a line of a paragraph that starts with `**` and a space, and whose
/// text ends with `**` (spaces, and inline HTML such as an anchor, may follow), with
/// something other than spaces between. A lone `**`, `**` inside a line or in code, and
/// bold cmark already read are left as they are.
enum DefinitionTerms {
    /// Makes each such line of `tree`'s paragraphs bold.
    static func apply(to tree: MarkdownTree) {
        var paragraphs: [Node] = []
        tree.document.walk { node in
            switch node.kind {
            case .paragraph:
                paragraphs.append(node)
                return .skipChildren
            case .codeBlock, .htmlBlock, .heading, .table:
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        for paragraph in paragraphs {
            var lineStart = paragraph.firstChild
            while let first = lineStart {
                var end = first
                while let next = end.next, next.kind != .softBreak, next.kind != .lineBreak { end = next }
                // Read before the line changes: its nodes move into the bold.
                lineStart = end.next?.next
                embolden(from: first, through: end)
            }
        }
    }

    /// Puts the line `first` … `end` (siblings, no break between) in a strong node, its
    /// opening `** ` and closing `**` dropped, when it has the shape above.
    private static func embolden(from first: Node, through end: Node) {
        guard first.kind == .text, let opening = first.literal, opening.hasPrefix("** ") else { return }
        // The closing text: the line's last node but inline HTML and blank text after it.
        var last = end
        while last != first, last.kind == .htmlInline || (last.kind == .text && isBlank(last.literal ?? "")),
              let previous = last.previous {
            last = previous
        }
        guard last.kind == .text, let closing = last.literal?.trimmingTrailingBlanks, closing.hasSuffix("**") else { return }
        if last == first {
            let inner = closing.dropFirst(3).dropLast(2)
            guard !isBlank(inner) else { return }
            first.literal = String(inner).trimmingBlanks
        } else {
            first.literal = String(opening.dropFirst(3).drop { $0 == " " || $0 == "\t" })
            last.literal = String(closing.dropLast(2)).trimmingTrailingBlanks
        }
        let strong = first.makeNode(CMARK_NODE_STRONG)
        first.insertBefore(strong)
        var node: Node? = first
        while let moving = node {
            node = moving == last ? nil : moving.next
            if moving.kind == .text, moving.literal?.isEmpty == true {
                moving.remove()
            } else {
                strong.append(moving)
            }
        }
    }

    private static func isBlank<Text: StringProtocol>(_ text: Text) -> Bool {
        text.allSatisfy { $0 == " " || $0 == "\t" }
    }
}

private extension String {
    /// Without the spaces and tabs at its end.
    var trimmingTrailingBlanks: String {
        String(self[..<(lastIndex { $0 != " " && $0 != "\t" }.map(index(after:)) ?? startIndex)])
    }

    /// Without the spaces and tabs at either end.
    var trimmingBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }).trimmingTrailingBlanks
    }
}
