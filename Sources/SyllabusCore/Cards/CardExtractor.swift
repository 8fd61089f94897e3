import CMarkGFM
import Foundation

/// Finds the cards of one page: `##` heading cards in card files, `Front :: Back` lines
/// anywhere. Reads (and removes) the cards' comments (`<!-- id: … -->`, `<!-- source: … -->`,
/// `<!-- checked: … -->`) and expands `==cloze==`.
struct CardExtractor {
    let source: SourceFile
    /// The note's service and tags, which its cards take (the deck, the Anki GUID).
    let serviceID: String
    let tags: [String]
    /// Whether `##` headings are cards (a card file) or only `Front :: Back` lines are.
    let isCardsFile: Bool
    let content: PageContent
    let diagnostics: DiagnosticLog

    func extract() -> [(card: Card, nodes: CardNodes)] {
        var cards: [(card: Card, nodes: CardNodes)] = []
        var sections = SectionTracker(headingIDs: content.headingIDs)
        var index = 0
        let blocks = content.tree.document.children
        while index < blocks.count {
            let block = blocks[index]
            // Top-level headings only: a card's back (below) may hold headings of its own.
            sections.pass(block)
            let anchor = sections.sectionID ?? "top"
            if isCardsFile, block.kind == .heading, block.headingLevel == 2 {
                var end = index + 1
                while end < blocks.count, !(blocks[end].kind == .heading && blocks[end].headingLevel <= 2) { end += 1 }
                // cmark-gfm moves footnote definitions to the end of the document: they belong
                // to the cards that reference them, not to the last card's back.
                let back = blocks[(index + 1)..<end].filter { $0.kind != .footnoteDefinition }
                if let card = headingCard(block, back: back, anchor: anchor, index: cards.count) {
                    cards.append(card)
                }
                index = end
                continue
            }
            block.walk { node in
                guard node.kind == .paragraph else { return .visitChildren }
                if isCardsFile {
                    if Self.holdsSeparator(node) { cards += inlineCards(in: node, anchor: anchor, firstIndex: cards.count) }
                    reportHalfCards(in: node)
                }
                return .skipChildren
            }
            index += 1
        }
        return cards
    }

    private func headingCard(_ heading: Node, back: [Node], anchor: String, index: Int) -> (card: Card, nodes: CardNodes)? {
        var back = back
        var comments = Comments()
        while let first = back.first, first.kind == .htmlBlock, let comment = CardComment.parse(first.literal ?? "") {
            comments.read(comment, line: first.line, in: source, diagnostics: diagnostics)
            back.removeFirst()
            first.remove()
        }
        reportInlineCards(in: back)
        var made = makeCard(front: heading, back: back, pinnedID: comments.id, anchor: anchor,
                            at: source.location(line: heading.line, column: max(heading.column, 1)), inline: false, index: index)
        made?.card.ownProvenance = comments.provenance
        made?.card.ownTags = comments.tags
        made?.card.tags += comments.tags
        return made
    }

    /// A card's comments as they are read, in any order.
    struct Comments {
        var id: String?
        var tags: [String] = []
        var provenance = Provenance()

        mutating func read(_ comment: CardComment, line: Int, in source: SourceFile, diagnostics: DiagnosticLog) {
            if provenance.isEmpty { provenance.line = line }
            switch comment {
            case let .id(value):
                id = value
            case let .tags(values):
                tags += values
            case let .invalidID(problem):
                diagnostics.error(problem, at: source.location(line: line))
            case let .source(url):
                if let problem = Provenance.problem(with: url) {
                    diagnostics.error(problem, at: source.location(line: line))
                } else {
                    provenance.sources.append(url)
                }
            case let .checked(text):
                if let date = CheckedDate(text) {
                    provenance.checked = date
                } else {
                    diagnostics.error(CheckedDate.problem(with: text), at: source.location(line: line))
                }
            }
        }
    }

    /// Each line of a paragraph that holds ` :: ` outside code is one card.
    private func inlineCards(in paragraph: Node, anchor: String, firstIndex: Int) -> [(card: Card, nodes: CardNodes)] {
        var lines: [[Node]] = [[]]
        for child in paragraph.children {
            if child.kind == .softBreak || child.kind == .lineBreak { lines.append([]) } else { lines[lines.count - 1].append(child) }
        }
        var cards: [(card: Card, nodes: CardNodes)] = []
        for (lineIndex, var line) in lines.enumerated() {
            guard let splitIndex = line.firstIndex(where: { node in
                // Most text has no " :: ": checked on the bytes before making a String.
                guard node.kind == .text, node.withLiteralBytes({ Self.containsSeparator($0) }), let text = node.literal else { return false }
                return separatorRange(in: text) != nil
            }) else { continue }
            // Comments at the end of the line, and the spaces between them.
            var comments: [(CardComment, Int)] = []
            while let last = line.last {
                if last.kind == .htmlInline, let comment = CardComment.parse(last.literal ?? "") {
                    comments.insert((comment, last.line), at: 0)
                } else if last.kind == .text, line.count > 1, !comments.isEmpty,
                          (last.literal ?? "").allSatisfy({ $0 == " " || $0 == "\t" }), line[line.count - 2].kind == .htmlInline {
                    // The space between two comments.
                } else {
                    break
                }
                line.removeLast()
                last.remove()
            }
            var read = Comments()
            for (comment, line) in comments { read.read(comment, line: line, in: source, diagnostics: diagnostics) }
            let pinned = read.id
            let node = line[splitIndex]
            let literal = node.literal ?? ""
            let range = separatorRange(in: literal)!
            let frontPart = String(literal[..<range.lowerBound])
            let backPart = String(literal[range.upperBound...])
            node.literal = frontPart
            let backText = node.makeText(backPart)
            node.insertAfter(backText)
            var front = Array(line[..<splitIndex]) + [node]
            var back = [backText] + Array(line[(splitIndex + 1)...])
            trimTrailingSpace(&back)
            trimTrailingSpace(&front)
            let frontSpan = span(front, before: front[0], mark: .cardFront, open: "<span class=\"card-front\">", close: "</span>")
            let backSpan = span(back, before: back[0], mark: .cardBack, open: " <span class=\"card-separator\">→</span> <span class=\"card-back\">", close: "</span>")
            // A text node Syllabus made (around a figure, see `FigureMarkup`) has no position:
            // the card's line is then counted from its paragraph's.
            let location = node.hasPosition ? source.location(line: node.line, column: max(node.column, 1))
                : source.location(line: paragraph.line + lineIndex)
            if var card = makeCard(front: frontSpan, back: [backSpan], pinnedID: pinned, anchor: anchor, at: location, inline: true,
                                   index: firstIndex + cards.count) {
                card.card.ownProvenance = read.provenance
                card.card.ownTags = read.tags
                card.card.tags += read.tags
                cards.append(card)
            }
        }
        return cards
    }

    /// A line of a card file that starts or ends with `::` is an inline card with one side
    /// missing (Markdown drops the space that would have made it ` :: `): an error, so the
    /// card is not lost as prose without a word.
    private func reportHalfCards(in paragraph: Node) {
        var lines: [[Node]] = [[]]
        for child in paragraph.children {
            if child.kind == .softBreak || child.kind == .lineBreak { lines.append([]) } else { lines[lines.count - 1].append(child) }
        }
        for line in lines {
            guard let first = line.first, let last = line.last else { continue }
            let starts = first.kind == .text && (first.literal ?? "").hasPrefix("::")
            let ends = last.kind == .text && ((last.literal ?? "") == "::" || (last.literal ?? "").hasSuffix(" ::"))
            guard starts || ends else { continue }
            let side = starts ? "front" : "back"
            let location = first.hasPosition ? source.location(line: first.line, column: max(first.column, 1))
                : source.location(line: paragraph.line)
            diagnostics.error("inline card has an empty \(side) (write 'Front :: Back' on one line)", at: location)
        }
    }

    /// A `Front :: Back` line in a `##` card's back is part of that back, not a card of its
    /// own (a back may hold anything a note may): a warning, so that an inline card written
    /// below a heading card's table or list does not vanish into its back without a word.
    private func reportInlineCards(in back: [Node]) {
        for block in back {
            block.walk { node in
                guard node.kind == .paragraph else { return .visitChildren }
                guard Self.holdsSeparator(node) else { return .skipChildren }
                var lineIndex = 0
                var lineStart: Node?
                var child = node.firstChild
                while let current = child {
                    if current.kind == .softBreak || current.kind == .lineBreak {
                        lineIndex += 1
                        lineStart = nil
                    } else {
                        if lineStart == nil { lineStart = current }
                        if current.kind == .text, let text = current.literal, separatorRange(in: text) != nil, let start = lineStart {
                            let location = start.hasPosition ? source.location(line: start.line, column: max(start.column, 1))
                                : source.location(line: node.line + lineIndex)
                            diagnostics.warning("this 'Front :: Back' line is part of the back of the card above it, not a card of its "
                                                + "own (an inline card is read only outside a '##' card: put it before the first '##' "
                                                + "heading, or give it a '##' heading of its own)", at: location)
                            lineStart = nil
                        }
                    }
                    child = current.next
                }
                return .skipChildren
            }
        }
    }

    /// Whether a text child of `paragraph` holds ` :: `: most paragraphs hold no card, and
    /// this walks every paragraph of every note.
    private static func holdsSeparator(_ paragraph: Node) -> Bool {
        var child = paragraph.firstChild
        while let node = child {
            if node.kind == .text, node.withLiteralBytes(containsSeparator) { return true }
            child = node.next
        }
        return false
    }

    private static func containsSeparator(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 4 else { return false }
        for index in 0...(bytes.count - 4) where bytes[index] == 0x20 && bytes[index + 1] == 0x3A && bytes[index + 2] == 0x3A && bytes[index + 3] == 0x20 {
            return true
        }
        return false
    }

    /// ` :: ` that is not inside a cloze deletion.
    private func separatorRange(in text: String) -> Range<String.Index>? {
        var searchStart = text.startIndex
        while let range = text.range(of: " :: ", range: searchStart..<text.endIndex) {
            let before = text[..<range.lowerBound]
            let opened = before.components(separatedBy: "{{").count - 1
            let closed = before.components(separatedBy: "}}").count - 1
            if opened == closed { return range }
            searchStart = range.upperBound
        }
        return nil
    }

    /// Moves `nodes` into a new custom inline node, which renders its children between
    /// `open` and `close` on the page and gives the card one stable container, tagged with
    /// `mark` for renderers that write their own markup (see `NodeMark.cardFront`).
    private func span(_ nodes: [Node], before first: Node, mark: NodeMark, open: String, close: String) -> Node {
        let container = first.makeNode(CMARK_NODE_CUSTOM_INLINE)
        cmark_node_set_on_enter(container.raw, open)
        cmark_node_set_on_exit(container.raw, close)
        container.mark = mark
        first.insertBefore(container)
        for node in nodes { container.append(node) }
        return container
    }

    /// Trims the last node's trailing spaces, and its leading ones only when it is the only
    /// node: after a figure or `**bold**`, the space before the next word is text.
    private func trimTrailingSpace(_ nodes: inout [Node]) {
        if let last = nodes.last, last.kind == .text, let text = last.literal {
            last.literal = nodes.count == 1 ? text.trimmingCharacters(in: .whitespaces)
                : String(text.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
    }

    private func makeCard(front: Node, back: [Node], pinnedID: String?, anchor: String, at location: SourceLocation, inline: Bool,
                          index: Int) -> (card: Card, nodes: CardNodes)? {
        let isCloze = expandHighlights(in: front)
        let frontText = front.plainText
        let (pieces, pieceNodes) = Cloze.pieces(of: front)
        let scan = Cloze.scan(pieces)
        for problem in scan.problems {
            // At the markup itself when its node has a place in the file (a node Syllabus made
            // has none), counted in bytes as cmark-gfm counts columns.
            let node = pieceNodes[problem.piece]
            let at = node.hasPosition ? source.location(line: node.line, column: max(node.column, 1) + problem.offset) : location
            diagnostics.error("malformed cloze: \(problem.message)", at: at)
        }
        if frontText.trimming(.whitespaces).isEmpty {
            diagnostics.error("card has an empty front", at: location)
            return nil
        }
        let kind: Card.Kind = (isCloze || frontText.contains("{{c")) ? .cloze : .basic
        if kind == .cloze, scan.deletions.isEmpty {
            diagnostics.error("cloze card has no deletion like {{c1::text}}", at: location)
        }
        var card = Card(kind: kind, isInline: inline, pinnedID: pinnedID, serviceID: serviceID, pageID: source.relativePath,
                        index: index, anchor: anchor, location: location, pinLine: inline ? location.line : front.endLine,
                        tags: tags, frontText: frontText.trimming(.whitespacesAndNewlines), guid: "")
        card.guid = Card.guid(pinnedID: pinnedID, serviceID: serviceID, frontText: card.frontText)
        if kind == .basic, !back.contains(where: Self.showsSomething) {
            diagnostics.error("card '\(card.frontText)' has an empty back", at: location)
        }
        return (card, CardNodes(front: front, back: back, footnotes: content.tree.document.footnoteDefinitions(referencedBy: [front] + back)))
    }

    /// Whether a block of a card's back shows anything: text, code (a back may be one code
    /// block, fenced or indented, and nothing else) or an image.
    private static func showsSomething(_ block: Node) -> Bool {
        var found = false
        block.walk { node in
            guard !found else { return .skipChildren }
            switch node.kind {
            case .text, .code, .codeBlock:
                found = !(node.literal ?? "").trimming(.whitespacesAndNewlines).isEmpty
            case .image: found = true
            default: break
            }
            return .visitChildren
        }
        return found
    }

    /// Rewrites `==text==` in the front's text nodes as numbered deletions; true if any.
    private func expandHighlights(in front: Node) -> Bool {
        let texts = front.descendants(.text)
        var next = (Cloze.scan(Cloze.pieces(of: front).pieces).deletions.map(\.number).max() ?? 0) + 1
        var any = false
        for node in texts {
            let (text, count) = Cloze.expandHighlights(node.literal ?? "", firstNumber: next)
            if count > 0 {
                node.literal = text
                next += count
                any = true
            }
        }
        return any
    }
}
