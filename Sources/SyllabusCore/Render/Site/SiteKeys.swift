import Foundation

/// The keys of the site's pages (see `OutputSink.reuse`) for one linked set, made once per
/// build: `SiteRenderer.prepare` makes them to take back the pages that did not change, and
/// hands them to `render` (`OutputSink.handOver`) for the pages it makes. On a one-note
/// rebuild nearly every page is taken back, so keying them is most of the site's work; the
/// services' keys and the parts of the practice page's key are made side by side, hashing
/// each value once per page that shows it. A service page's key and the practice page's are
/// taken from the last build's (`Kept`) when nothing they are made from changed.
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
    /// What the next build may take of these keys.
    let kept: Kept

    /// The service pages' and the practice page's keys of a build, each with a key of the
    /// render keys of the notes it reads (the notes of the service, the notes with cards),
    /// kept for the next build as the renderer state `stateName`. Everything else these keys
    /// are made from is the set facts of every note (titles, paths, cards, headings, the
    /// services' graph: `LinkedStudySet.setFactsKey`) and `base` (tool, configuration,
    /// theme): a build with the same set facts key and base whose notes for a page have the
    /// same render keys would make the same key for it, and takes it. A one-note prose edit
    /// so keys its own service page (and the practice page, if it has cards) alone.
    struct Kept: Sendable {
        static let stateName = "site-keys"
        static let magic = "syllabus-site-keys 1"
        var setFactsKey = ""
        /// `SiteKeys.base`'s hex.
        var base = ""
        /// In `StudySet.servicesInUse` order: the service's id, the key of its notes' render
        /// keys, and its page's key.
        var services: [(id: String, inputs: String, key: String)] = []
        /// The key of the render keys of the notes with cards, and the practice page's key.
        var practice = (inputs: "", key: "")

        init() {}

        /// The kept keys in `data`; nil when it holds none (or something else).
        init?(data: Data?) {
            guard let data else { return nil }
            var reader = ByteReader([UInt8](data)[...])
            guard let kept = try? Kept(reading: &reader), reader.isAtEnd else { return nil }
            self = kept
        }

        private init(reading reader: inout ByteReader) throws {
            guard try reader.string() == Self.magic else { throw ByteReader.Malformed() }
            setFactsKey = try reader.string()
            base = try reader.string()
            services = try (0..<(try reader.count())).map { _ in (try reader.string(), try reader.string(), try reader.string()) }
            practice = (try reader.string(), try reader.string())
        }

        /// What `init(data:)` reads back.
        var data: Data {
            var writer = ByteWriter()
            writer.string(Self.magic)
            writer.string(setFactsKey)
            writer.string(base)
            writer.int(services.count)
            for service in services {
                writer.string(service.id)
                writer.string(service.inputs)
                writer.string(service.key)
            }
            writer.string(practice.inputs)
            writer.string(practice.key)
            return Data(writer.bytes)
        }
    }

    /// The keys of `set`'s pages with the theme of `templatesKey` (`TemplateSet.pagesKey`);
    /// `kept` is what the last build kept of its keys (see `Kept`).
    init(_ set: LinkedStudySet, templatesKey: String, kept: Kept? = nil, exam: (OutputKey) -> String?) {
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
        let kept = kept.flatMap { kept in
            !set.setFactsKey.isEmpty && kept.setFactsKey == set.setFactsKey && kept.base == baseHex
                && kept.services.map(\.id) == services.map(\.id) ? kept : nil
        }
        let practiceInputs = Self.renderKeys(of: set.pages.lazy.filter { !$0.facts.cards.isEmpty }, in: set)
        // Without it, every service's part of it is needed.
        let keepsPractice = kept?.practice.inputs == practiceInputs
        let parts = parallelMap(services.count) { index -> (page: String, inputs: String, practice: CacheKeyHasher) in
            let service = services[index]
            let inputs = Self.renderKeys(of: set.studySet.pages(of: service.id), in: set)
            if keepsPractice, let kept, kept.services[index].inputs == inputs { return (kept.services[index].key, inputs, CacheKeyHasher()) }
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
            return (key.hex, inputs, practice)
        }
        self.services = Dictionary(zip(services.map(\.id), parts.map(\.page)), uniquingKeysWith: { first, _ in first })
        var next = Kept()
        (next.setFactsKey, next.base) = (set.setFactsKey, baseHex)
        next.services = zip(services, parts).map { ($0.id, $1.inputs, $1.page) }
        self.exam = exam(base)
        if keepsPractice, let kept {
            self.practice = kept.practice.key
            next.practice = kept.practice
            self.kept = next
            return
        }
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
        next.practice = (practiceInputs, self.practice)
        self.kept = next
    }

    /// A key of the render keys of `pages` (`NoteLinks.renderKey`), in order.
    private static func renderKeys(of pages: some Sequence<Page>, in set: LinkedStudySet) -> String {
        var key = CacheKeyHasher()
        for page in pages { key.add(set.links(of: page).renderKey) }
        return key.hex
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
