import Foundation

/// Rendering nodes of the linked trees: renderers show the same tree with links pointed their
/// own way (the site's relative paths, the book's chapter files, Anki's absolute URLs).
extension LinkedStudySet {
    /// Runs `body` for every question and its nodes with the links of its file pointed by
    /// `href`, in question order.
    func renderQuestions<T>(href: @escaping (LinkTarget) -> String?, _ body: @escaping (Question, QuestionNodes) -> T) -> [T] {
        let pages = studySet.examPages
        return parallelMap(pages.count) { index -> [T] in
            let page = pages[index]
            let nodes = content(of: page).questions
            return render(page, href: href) { page.questions.map { body($0, nodes[$0.index]) } }
        }.flatMap { $0 }
    }

    /// Runs `body` for each card and its nodes with its page's links pointed by `href`, and
    /// returns the results in card order. A page's links are pointed once for all its cards
    /// (card files hold hundreds), pages in parallel.
    func renderCards<T>(_ cards: [Card], href: @escaping (LinkTarget) -> String?, _ body: @escaping (Card, CardNodes) -> T) -> [T] {
        var pageOrder: [String] = []
        var byPage: [String: [Int]] = [:]
        for (index, card) in cards.enumerated() {
            if byPage[card.pageID] == nil { pageOrder.append(card.pageID) }
            byPage[card.pageID, default: []].append(index)
        }
        let rendered = parallelMap(pageOrder.count) { pageIndex -> [T] in
            let indices = byPage[pageOrder[pageIndex]]!
            let page = page(pageOrder[pageIndex])!
            let nodes = content(of: page).cards
            return render(page, href: href) { indices.map { body(cards[$0], nodes[cards[$0].index]) } }
        }
        var result = [T?](repeating: nil, count: cards.count)
        for (pageID, outputs) in zip(pageOrder, rendered) {
            for (index, output) in zip(byPage[pageID]!, outputs) { result[index] = output }
        }
        return result.map { $0! }
    }

    /// Renders nodes of a page after pointing its internal links where `href` says; a link
    /// with no href is rendered as its text. Locked per page so renderers can run in parallel.
    func render<Output>(_ page: Page, href: (LinkTarget) -> String?, _ body: () -> Output) -> Output {
        let content = content(of: page)
        return content.tree.withLock {
            var unwrapped: [(link: Node, children: [Node])] = []
            var emptied: [(link: Node, url: String?)] = []
            for (node, target) in content.links {
                if let url = href(target) {
                    node.url = url
                } else {
                    let children = node.children
                    // A link or picture with no text has nothing to show as text: it points
                    // nowhere while `body` runs.
                    guard !children.isEmpty else {
                        emptied.append((node, node.url))
                        node.url = ""
                        continue
                    }
                    for child in children { node.insertBefore(child) }
                    node.unlink()
                    unwrapped.append((node, children))
                }
            }
            let output = body()
            for (link, url) in emptied { link.url = url }
            for (link, children) in unwrapped.reversed() {
                children[0].insertBefore(link)
                for child in children { link.append(child) }
            }
            return output
        }
    }
}
