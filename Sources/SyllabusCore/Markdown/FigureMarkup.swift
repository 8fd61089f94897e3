import CMarkGFM
import Foundation

/// `{now: 1 MiB; exam: 256 KB}`: a figure that AWS has changed since the exam material was
/// written, with today's value and the one the exam may still use. Read once after parsing
/// and turned into spans, so every output (site, EPUB, Anki, cheat sheets) shows
/// `1 MiB (exam: 256 KB)` the same way:
///
/// ```html
/// <span class="figure"><span class="figure-now">1 MiB</span> <span class="figure-exam">(exam: 256 KB)</span></span>
/// ```
///
/// The spans are inline HTML nodes marked `.figure` around text nodes (table cells may hold
/// no custom nodes), so the reader-visible text is `1 MiB (exam: 256 KB)` everywhere.
/// Both values are plain text (no Markdown inside); the markup is not read in code.
enum FigureMarkup {
    static let open = "<span class=\"figure\"><span class=\"figure-now\">"
    static let close = "</span></span>"

    private static let start = "{now:"

    /// Rewrites every figure of `tree`; a `{now:` that does not read as the markup is left as
    /// text with a warning at its line.
    static func apply(to tree: MarkdownTree, file: SourceFile, diagnostics: DiagnosticLog) {
        var containers: [Node] = []
        var seen = Set<Node>()
        tree.document.walk { node in
            switch node.kind {
            case .codeBlock, .htmlBlock, .code, .htmlInline: return .skipChildren
            case .text:
                // cmark may split text where markup could start (`:` and `w` start autolinks), so
                // `{now:` can span text nodes: any `{` marks the container for a closer look.
                if node.withLiteralBytes({ $0.contains(UInt8(ascii: "{")) }), let parent = node.parent, seen.insert(parent).inserted {
                    containers.append(parent)
                }
                return .skipChildren
            default: return .visitChildren
            }
        }
        for container in containers { rewrite(container, file: file, diagnostics: diagnostics) }
    }

    /// Joins each run of adjacent text nodes that holds `{now:` into one node and splits it
    /// around its figures; other runs stay as they are.
    private static func rewrite(_ container: Node, file: SourceFile, diagnostics: DiagnosticLog) {
        var child = container.firstChild
        while let node = child {
            guard node.kind == .text else { child = node.next; continue }
            var run = [node]
            while let next = run.last!.next, next.kind == .text { run.append(next) }
            child = run.last!.next
            let text = run.map { $0.literal ?? "" }.joined()
            guard text.contains(start) else { continue }
            for extra in run.dropFirst() { extra.remove() }
            node.literal = text
            split(node, text: text, file: file, diagnostics: diagnostics)
        }
    }

    private static func split(_ node: Node, text: String, file: SourceFile, diagnostics: DiagnosticLog) {
        var rest = Substring(text)
        var pieces: [Node] = []
        var plain = ""
        while let open = rest.range(of: start) {
            plain += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let closing = after.firstIndex(of: "}"), let figure = parse(after[..<closing]) else {
                // A text node holds no line break, so the markup is on the node's line.
                let column = max(node.column, 1) + text.utf8.distance(from: text.startIndex, to: open.lowerBound)
                diagnostics.warning("'{now:' starts no figure: write {now: today's value; exam: the exam's value}",
                                    at: file.location(line: node.line, column: column))
                plain += rest[open]
                rest = after
                continue
            }
            if !plain.isEmpty { pieces.append(node.makeText(plain)) }
            plain = ""
            pieces += make(now: figure.now, exam: figure.exam, near: node)
            rest = after[after.index(after: closing)...]
        }
        plain += rest
        guard !pieces.isEmpty else { return }
        if !plain.isEmpty { pieces.append(node.makeText(plain)) }
        // Every container of text may hold text and inline HTML, so each insert succeeds.
        if pieces[0].kind == .text {
            // Text before the first figure stays in `node`, which keeps its place in the source.
            node.literal = pieces[0].literal
            pieces.removeFirst().remove()
            var previous = node
            for piece in pieces {
                previous.insertAfter(piece)
                previous = piece
            }
        } else {
            for piece in pieces { node.insertBefore(piece) }
            node.remove()
        }
    }

    /// ` 1 MiB; exam: 256 KB` -> ("1 MiB", "256 KB").
    static func parse(_ inner: Substring) -> (now: String, exam: String)? {
        let parts = inner.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let now = parts[0].trimmingCharacters(in: .whitespaces)
        let second = parts[1].trimmingCharacters(in: .whitespaces)
        guard second.hasPrefix("exam:") else { return nil }
        let exam = second.dropFirst(5).trimmingCharacters(in: .whitespaces)
        guard !now.isEmpty, !exam.isEmpty, !now.contains("{"), !exam.contains("{") else { return nil }
        return (now, exam)
    }

    private static func make(now: String, exam: String, near node: Node) -> [Node] {
        func html(_ literal: String) -> Node {
            let tag = node.makeNode(CMARK_NODE_HTML_INLINE)
            tag.literal = literal
            tag.mark = .figure
            return tag
        }
        // The space is text of its own, outside both spans, so plain text reads "1 MiB (exam: …)".
        return [html(open), node.makeText(now), html("</span>"), node.makeText(" "), html("<span class=\"figure-exam\">"),
                node.makeText("(exam: \(exam))"), html(close)]
    }
}
