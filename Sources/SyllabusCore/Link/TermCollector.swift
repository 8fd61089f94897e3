import Foundation

/// Gathers the back-of-book index: headings of notes, bold terms, cloze answers, service names.
struct TermCollector {
    private var places: [String: (text: String, places: [TermPlace])] = [:]

    mutating func add(_ text: String, _ place: TermPlace) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: ":.,;")))
        guard trimmed.count >= 2, trimmed.count <= 80 else { return }
        let key = trimmed.lowercased()
        var entry = places[key] ?? (trimmed, [])
        if !entry.places.contains(place) { entry.places.append(place) }
        places[key] = entry
    }

    /// Headings (not card fronts, which are questions), bold text and cloze deletions.
    mutating func collect(_ page: Page) {
        var section: String?
        var headingIDs: [Node: String] = [:]
        for heading in page.headings { headingIDs[heading.node] = heading.id }
        let cardFronts = Set(page.cards.map(\.front))
        page.tree.document.walk { node in
            switch node.kind {
            case .heading:
                section = headingIDs[node]
                if !cardFronts.contains(node), node.headingLevel > 1 {
                    add(node.plainText, TermPlace(target: .page(id: page.id, fragment: section), label: page.title))
                }
                return .skipChildren
            case .strong:
                add(node.plainText, TermPlace(target: .page(id: page.id, fragment: section), label: page.title))
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        for card in page.cards {
            for deletion in Cloze.scan(card.front.plainText).deletions {
                add(deletion.text, TermPlace(target: .page(id: page.id, fragment: card.anchor == "top" ? nil : card.anchor), label: page.title))
            }
        }
    }

    func sorted() -> [Term] {
        places.values.map { Term(text: $0.text, places: $0.places) }
            .sorted { $0.text.localizedCaseInsensitiveCompare($1.text) == .orderedAscending }
    }
}
