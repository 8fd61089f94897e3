import Foundation

/// Gathers the back-of-book index: headings of notes, bold terms, cloze answers, service names.
struct TermCollector {
    private struct Entry {
        var text: String
        var places: [TermPlace] = []
        /// Pages (or service pages) already listed: an index names each page once, at the first place.
        var seen: Set<String> = []
    }

    private var entries: [String: Entry] = [:]
    /// Keys in first-seen order, so merging is deterministic.
    private var order: [String] = []
    private static let trimmed = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ":.,;"))

    mutating func add(_ text: String, _ place: TermPlace) {
        // Most terms need no trimming; Foundation's trimming is slow enough to show in a profile.
        let needsTrim = text.unicodeScalars.first.map(Self.trimmed.contains) ?? false
            || text.unicodeScalars.last.map(Self.trimmed.contains) ?? false
        let trimmed = needsTrim ? text.trimmingCharacters(in: Self.trimmed) : text
        guard trimmed.count >= 2, trimmed.count <= 80 else { return }
        let key = trimmed.lowercased()
        // Mutated in place: copying the entry out and back would copy its places each time.
        if entries[key] == nil {
            entries[key] = Entry(text: trimmed)
            order.append(key)
        }
        if entries[key]!.seen.insert(place.pageKey).inserted { entries[key]!.places.append(place) }
    }

    /// Adds another collector's places after this one's.
    mutating func merge(_ other: TermCollector) {
        for key in other.order {
            let incoming = other.entries[key]!
            guard entries[key] != nil else {
                entries[key] = incoming
                order.append(key)
                continue
            }
            for place in incoming.places where entries[key]!.seen.insert(place.pageKey).inserted {
                entries[key]!.places.append(place)
            }
        }
    }

    /// Headings (not card fronts, which are questions), bold text and cloze deletions.
    mutating func collect(_ page: Page) {
        var section: String?
        let cardFronts = Set(page.cards.map(\.front))
        page.tree.document.walk { node in
            switch node.kind {
            case .heading:
                section = page.headingIDs[node]
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
        entries.values.map { Term(text: $0.text, places: $0.places) }
            .sorted { $0.text.localizedCaseInsensitiveCompare($1.text) == .orderedAscending }
    }
}

extension TermPlace {
    var pageKey: String {
        switch target {
        case let .page(id, _): return id
        case let .service(id): return "service:" + id
        }
    }
}
