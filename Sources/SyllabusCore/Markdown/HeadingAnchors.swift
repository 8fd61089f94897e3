import CMarkGFM
import Foundation

/// A heading of a page, with the id its anchor carries.
public struct Heading: Sendable, Equatable {
    public var level: Int
    public var text: String
    public var id: String
    public var line: Int
}

/// Hands out ids that are unique within one document: a repeated base gets `-1`, `-2`…,
/// the way GitHub numbers repeated headings.
struct UniqueIDs {
    private var used: Set<String>
    private var counters: [String: Int] = [:]

    init(reserved: Set<String> = []) { used = reserved }

    mutating func make(_ base: String) -> String {
        var candidate = base
        while used.contains(candidate) {
            let number = (counters[base] ?? 0) + 1
            counters[base] = number
            candidate = "\(base)-\(number)"
        }
        used.insert(candidate)
        return candidate
    }
}

/// GitHub-style heading slugs: lowercase, punctuation dropped, spaces to hyphens,
/// repeated slugs numbered `-1`, `-2`…
public struct Slugger {
    private var ids = UniqueIDs()

    public init() {}

    public static func slug(_ text: String) -> String {
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {
                // Foundation's CharacterSet lookup is slow enough to show for every heading.
                let value = scalar.value
                if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) || scalar == "-" || scalar == "_" {
                    slug.unicodeScalars.append(scalar)
                } else if scalar == " " {
                    slug += "-"
                }
            } else if CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if scalar == " " {
                slug += "-"
            }
        }
        return slug
    }

    public mutating func unique(_ text: String) -> String {
        let slug = Self.slug(text)
        return ids.make(slug.isEmpty ? "section" : slug)
    }
}

public enum HeadingAnchors {
    /// Gives each heading a unique id and an anchor element carrying it; returns the headings
    /// with their nodes.
    public static func apply(to tree: MarkdownTree, slugger: inout Slugger) -> [(heading: Heading, node: Node)] {
        var headings: [(heading: Heading, node: Node)] = []
        var nodes: [Node] = []
        tree.document.walk { node in
            switch node.kind {
            case .heading:
                nodes.append(node)
                return .skipChildren
            case .paragraph, .codeBlock, .htmlBlock, .table:
                return .skipChildren  // no headings inside; skipping their inlines saves the walk
            default:
                return .visitChildren
            }
        }
        for node in nodes {
            let text = node.plainText.trimmingCharacters(in: .whitespaces)
            let id = slugger.unique(text)
            headings.append((Heading(level: node.headingLevel, text: text, id: id, line: node.line), node))
            let anchor = node.makeNode(CMARK_NODE_HTML_INLINE)
            anchor.literal = "<a class=\"anchor\" id=\"\(escapeHTML(id))\" href=\"#\(escapeHTML(id))\" aria-label=\"Link to this section\"></a>"
            anchor.mark = .headingAnchor
            node.prepend(anchor)
        }
        return headings
    }
}
