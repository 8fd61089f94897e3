import Foundation

/// Finds the questions of a `*.exam.md` file: each `##` heading starts one; the blocks under
/// it up to the first task list are the stem, the task list's items the options (`- [x]`
/// correct, `- [ ]` wrong), and what follows the list the explanation. Reads (and removes)
/// `<!-- id: … -->` and `<!-- domain: … -->` comments and options' `<!-- pin -->`, and
/// reports every problem a question has on its own; domains are checked against `exam.yml`
/// later (`ExamChecks`).
struct QuestionExtractor {
    let source: SourceFile
    /// The note's service, which its questions take.
    let serviceID: String
    let content: PageContent
    /// The file's `domain:` front matter and its line.
    let fileDomain: (id: String, line: Int)?
    let diagnostics: DiagnosticLog

    func extract() -> [(question: Question, nodes: QuestionNodes)] {
        var questions: [(question: Question, nodes: QuestionNodes)] = []
        let blocks = content.tree.document.children
        var index = 0
        while index < blocks.count {
            let block = blocks[index]
            guard block.kind == .heading, block.headingLevel == 2 else {
                index += 1
                continue
            }
            var end = index + 1
            while end < blocks.count, !(blocks[end].kind == .heading && blocks[end].headingLevel <= 2) { end += 1 }
            let lastLine = end < blocks.count ? blocks[end].line - 1 : blocks[end - 1].endLine
            questions.append(question(block, body: Array(blocks[(index + 1)..<end]), lastLine: lastLine, index: questions.count))
            index = end
        }
        return questions
    }

    private func question(_ heading: Node, body: [Node], lastLine: Int, index: Int) -> (question: Question, nodes: QuestionNodes) {
        let location = source.location(line: heading.line, column: max(heading.column, 1))
        let title = heading.plainText.trimmingCharacters(in: .whitespacesAndNewlines)
        var blocks: [Node] = []
        var pinned: String?
        var domain = fileDomain.map { ($0.id, source.location(line: $0.line)) }
        // cmark-gfm moves footnote definitions to the end of the file: each question shows
        // the ones it references (`QuestionNodes`), not the last question.
        for block in body where block.kind != .footnoteDefinition {
            if block.kind == .htmlBlock, let literal = block.literal {
                switch CardID.read(literal) {
                case let .id(id)?:
                    pinned = id
                    block.remove()
                    continue
                case let .invalid(problem)?:
                    diagnostics.error(problem, at: source.location(line: block.line))
                    block.remove()
                    continue
                case nil:
                    break
                }
                if let id = QuestionDomain.parse(literal) {
                    domain = (id, source.location(line: block.line, column: max(block.column, 1)))
                    block.remove()
                    continue
                }
            }
            blocks.append(block)
        }
        let listIndex = blocks.firstIndex { $0.kind == .list && $0.firstChild?.kind == .taskItem }
        let stem = listIndex.map { Array(blocks[..<$0]) } ?? blocks
        let explanation = listIndex.map { Array(blocks[($0 + 1)...]) } ?? []
        var optionNodes: [Node] = []
        var options: [QuestionOption] = []
        var seen: [String: Int] = [:]
        for item in listIndex.map({ blocks[$0].children }) ?? [] {
            let optionLocation = source.location(line: item.line, column: max(item.column, 1))
            guard item.kind == .taskItem else {
                diagnostics.error("option of question '\(title)' is not a task list item ('- [x]' correct, '- [ ]' wrong)", at: optionLocation)
                continue
            }
            // The marker is read here and shows in no output; on a line of its own under the
            // option's text it is an HTML block.
            let markers = (item.descendants(.htmlInline) + item.descendants(.htmlBlock)).filter { PinnedOption.isMarker($0.literal ?? "") }
            markers.forEach { $0.remove() }
            let text = item.plainText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            let normalized = text.lowercased()
            if let first = seen[normalized] {
                diagnostics.error("option '\(text)' appears twice in question '\(title)' (first at line \(first))", at: optionLocation)
            } else {
                seen[normalized] = item.line
            }
            optionNodes.append(item)
            options.append(QuestionOption(text: text, isCorrect: item.isTaskChecked,
                                          isPinned: !markers.isEmpty || PinnedOption.refersToOthers(text)))
        }
        let correct = options.filter(\.isCorrect).count
        if options.count < 2 {
            diagnostics.error("question '\(title)' has \(options.count == 0 ? "no options" : "one option"); it needs at least two "
                              + "(a task list: '- [x]' correct, '- [ ]' wrong)", at: location)
        } else if correct == 0 {
            diagnostics.error("question '\(title)' has no correct option (mark one '- [x]')", at: location)
        } else if correct == options.count {
            diagnostics.error("every option of question '\(title)' is marked correct", at: location)
        }
        let explanationText = explanation.map(\.plainText).joined().trimmingCharacters(in: .whitespacesAndNewlines)
        if !options.isEmpty, explanationText.isEmpty {
            diagnostics.warning("question '\(title)' has no explanation (text after the options)", at: location)
        }
        if domain == nil {
            diagnostics.error("question '\(title)' has no domain (front matter 'domain:' or '<!-- domain: … -->')", at: location)
        }
        // Code blocks count: two questions may differ only in the code they show.
        var stemText = stem.map { $0.kind == .codeBlock ? $0.literal ?? "" : $0.plainText }.joined(separator: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if stemText.isEmpty { stemText = title }
        let question = Question(
            pinnedID: pinned, id: Question.id(pinnedID: pinned, title: title, stem: stemText), serviceID: serviceID,
            pageID: source.relativePath, index: index, title: title, anchor: content.headingIDs[heading] ?? "top", location: location,
            lastLine: lastLine, domain: domain?.0, domainLocation: domain?.1 ?? location,
            stemText: stemText, options: options, hasExplanation: !explanationText.isEmpty)
        let document = content.tree.document
        return (question, QuestionNodes(heading: heading, stem: stem, options: optionNodes, explanation: explanation,
                                        askedFootnotes: document.footnoteDefinitions(referencedBy: [heading] + stem + optionNodes),
                                        explanationFootnotes: document.footnoteDefinitions(referencedBy: explanation)))
    }
}
