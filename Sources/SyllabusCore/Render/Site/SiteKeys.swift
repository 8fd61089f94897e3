import Foundation

/// The keys of the site's pages (see `OutputSink.reuse`) for one linked set, made once per
/// build: `SiteRenderer.prepare` makes them to take back the pages that did not change, and
/// hands them to `render` (`OutputSink.handOver`) for the pages it makes. On a one-note
/// rebuild nearly every page is taken back, so keying them is most of the site's work; the
/// services' keys and the parts of the practice page's key are made side by side, hashing
/// each value once per page that shows it.
struct SiteKeys: Sendable {
    /// What every page's key starts from: the tool, configuration and theme, and whether the
    /// header links the exam and the practice page.
    let base: OutputKey
    /// See `SiteRenderer.neighbours`.
    let neighbours: [String: (previous: Page?, next: Page?)]
    /// Each note page's key by page id: its note (by render key) and its neighbours' titles
    /// and paths. Landing texts have none (they are shown on their service's page).
    let notes: [String: String]
    /// Each service page's key by service id: its notes, its cards (by their page's render
    /// key), related services and the pages that mention it.
    let services: [String: String]
    /// The practice page's: its decks, every card, and the titles and headings of the notes
    /// that explain them.
    let practice: String
    /// The exam page's (see `ExamPage.key`), when the set has questions.
    let exam: String?

    /// The keys of `set`'s pages with the theme of `templatesKey` (`TemplateSet.pagesKey`).
    init(_ set: LinkedStudySet, templatesKey: String, exam: (OutputKey) -> String?) {
        let base = OutputKey("site", set.environmentKey, templatesKey, set.studySet.questions.isEmpty ? "" : "exam",
                             set.studySet.cards.isEmpty ? "" : "practice")
        self.base = base
        let baseHex = base.hex
        let neighbours = SiteRenderer.neighbours(set)
        self.neighbours = neighbours
        let notes = set.pages.filter { !$0.isLanding }
        let noteKeys = parallelMap(notes.count) { index -> String in
            let page = notes[index]
            let around = neighbours[page.id] ?? (nil, nil)
            var key = CacheKeyHasher()
            key.add(baseHex)
            key.add(set.links(of: page).renderKey)
            for neighbour in [around.previous, around.next] {
                key.add(neighbour?.title ?? "")
                key.add(neighbour?.outputPath ?? "")
            }
            return key.hex
        }
        self.notes = Dictionary(zip(notes.map(\.id), noteKeys), uniquingKeysWith: { first, _ in first })
        // Per service: its page's key and its part of the practice page's key.
        let services = set.studySet.servicesInUse
        let parts = parallelMap(services.count) { index -> (page: String, practice: CacheKeyHasher) in
            let service = services[index]
            var key = CacheKeyHasher(), practice = CacheKeyHasher()
            key.add(baseHex)
            key.add("service")
            key.add(service.id)
            let pages = set.studySet.pages(of: service.id)
            key.add(pages.count)
            for page in pages {
                key.add(page.title)
                key.add(page.outputPath)
                key.add(page.cards.count)
                key.add(set.studySet.outlineDepth(of: page.id))
                // The landing text is part of the page.
                let isOwnLanding = page.isLanding && page.serviceID == service.id
                key.add(isOwnLanding ? 1 : 0)
                if isOwnLanding { key.add(set.links(of: page).renderKey) }
                // Where each card's answer is explained depends on the notes' titles and headings.
                guard !page.isCardsFile else { continue }
                practice.add(page.outputPath)
                practice.add(page.title)
                practice.add(page.headings.count)
                for heading in page.headings {
                    practice.add(heading.id)
                    practice.add(heading.text)
                }
            }
            Self.add(set.studySet.cards(of: service.id), of: set, to: &key)
            let related = set.related(to: service.id)
            key.add(related.count)
            for relation in related {
                key.add(relation.serviceID)
                key.add(relation.weight)
            }
            for page in set.mentionedIn(service.id) {
                key.add(page.title)
                key.add(page.outputPath)
            }
            return (key.hex, practice)
        }
        self.services = Dictionary(zip(services.map(\.id), parts.map(\.page)), uniquingKeysWith: { first, _ in first })
        var practice = CacheKeyHasher()
        practice.add(baseHex)
        practice.add("practice")
        practice.add(set.config.deck)
        practice.add(set.config.newCardsPerDay)
        for deck in SiteRenderer.practiceDecks(set, services: services) {
            practice.add(deck.id)
            practice.add(deck.title)
            practice.add(deck.short)
            practice.add(deck.count)
        }
        Self.add(set.studySet.cards, of: set, to: &practice)
        for part in parts { practice.add(part.practice.hex) }
        self.practice = practice.hex
        self.exam = exam(base)
    }

    /// Cards by their page's render key (which covers their Markdown and where their links
    /// go) and their place on it; a page's cards are consecutive, so its key is looked up once.
    private static func add(_ cards: [Card], of set: LinkedStudySet, to key: inout CacheKeyHasher) {
        key.add(cards.count)
        var pageID = "", renderKey = ""
        for card in cards {
            if card.pageID != pageID {
                pageID = card.pageID
                renderKey = set.page(pageID).map { set.links(of: $0).renderKey } ?? ""
            }
            key.add(renderKey)
            key.add(card.index)
        }
    }
}
