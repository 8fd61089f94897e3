import Foundation

/// Classify stage output: the catalog and every page in its service, cards extracted.
/// Cards, services in use and each service's pages are worked out once: every renderer asks.
public struct StudySet: Sendable {
    /// `syllabus.yml` as read, defaults for what it does not set.
    let config: ProjectConfig
    /// `services.yml`: every service, in the file's order.
    let catalog: ServiceCatalog
    /// The notes: every page but the exam files.
    private(set) var pages: [Page]
    /// Every card of `pages`, page by page in `pages` order, each page's in document order.
    public let cards: [Card]
    /// The exam files, which are not notes: no page, chapter or deck of their own.
    private(set) var examPages: [Page]
    /// Every question of `examPages`, in file order, and the exam they are for (`exam.yml`).
    let questions: [Question]
    /// `exam.yml`; nil when the content folder has none.
    let exam: ExamConfig?
    /// Services that have pages, in the one display order: `categoriesInUse` flattened (the
    /// home page's groups read top to bottom). Every output that lists services uses it (the
    /// practice page's deck picker, the decks, the book's chapters, the cheat sheets, the exam
    /// page's service filter), so none orders them in `services.yml`'s file order instead.
    let servicesInUse: [Service]
    /// The same services grouped as the catalog groups them (categories in first-seen order,
    /// each with its services in catalog order), General first as a group of its own.
    let categoriesInUse: [(name: String, services: [Service])]
    private var pagesByService: [String: [Page]]
    private let cardsByService: [String: [Card]]
    /// Page id -> how deep its service's landing text nests it (absent: 0).
    private let outlineDepths: [String: Int]
    /// Page id -> the id of the page whose item in its service's landing text holds the page's
    /// item, the nearest that names a note (absent: an outermost item, or a page the landing
    /// text does not name).
    private let outlineParents: [String: String]
    /// What the classify stage's checks across all notes reported (see `Classifier.studySet`):
    /// a set made again with `replacing(_:)` reports them again without checking.
    var checkDiagnostics: [Diagnostic] = []

    init(config: ProjectConfig, catalog: ServiceCatalog, pages allPages: [Page], exam: ExamConfig? = nil) {
        self.config = config
        self.catalog = catalog
        // Facts read through `facts`, not `Page`'s dynamic members: passed as functions
        // (`flatMap(\.cards)`), those are key paths applied at run time, note by note, every build.
        let pages = allPages.filter { !$0.facts.isExamFile }
        self.pages = pages
        cards = pages.flatMap { $0.facts.cards }
        examPages = allPages.filter { $0.facts.isExamFile }
        questions = examPages.flatMap { $0.facts.questions }
        self.exam = exam
        let used = Set(pages.flatMap { $0.facts.serviceIDs })
        var categories = catalog.categories.map { ($0.name, $0.services.filter { used.contains($0.id) }) }.filter { !$0.1.isEmpty }
        // General notes (the exam, study methods) come first: they frame the rest.
        if used.contains(Service.general.id) { categories.insert((Service.general.category, [.general]), at: 0) }
        categoriesInUse = categories
        servicesInUse = categories.flatMap(\.1)
        var own: [String: [Page]] = [:]
        var listed: [String: [Page]] = [:]
        for page in pages {
            own[page.serviceID, default: []].append(page)
            for id in Set(page.extraServiceIDs) where id != page.serviceID { listed[id, default: []].append(page) }
        }
        var depths: [String: Int] = [:], parents: [String: String] = [:]
        pagesByService = Dictionary(uniqueKeysWithValues: used.map { id in
            (id, Self.ordered(own[id] ?? [], depths: &depths, parents: &parents) + Self.sorted(listed[id] ?? []))
        })
        outlineDepths = depths
        outlineParents = parents
        // A card belongs to its own page's service, which lists that page among its own.
        cardsByService = Dictionary(uniqueKeysWithValues: pagesByService.map { id, pages in
            (id, pages.flatMap { $0.facts.cards }.filter { $0.serviceID == id })
        })
    }

    /// This set with some of its pages replaced by new versions (by the replaced page's
    /// identity), each of which shares its set facts with the page it replaces
    /// (`NoteFacts.sharesSetFacts(with:)`): every list and check is as it was, only the pages in
    /// them are the new ones. Linear in the pages, with no string compared or hashed.
    func replacing(_ replacements: [ObjectIdentifier: Page]) -> StudySet {
        func replaced(_ page: Page) -> Page { replacements[ObjectIdentifier(page)] ?? page }
        var set = self
        set.pages = pages.map(replaced)
        set.examPages = examPages.map(replaced)
        set.pagesByService = pagesByService.mapValues { $0.map(replaced) }
        return set
    }

    /// Notes and exam files: what the link stage resolves and the build cache keeps.
    var allPages: [Page] { pages + examPages }

    /// A service's own pages: its landing text first, then the notes its outline names in that
    /// order, then the others in the usual order. Sets each named note's depth in the outline
    /// in `depths` and, for a nested item, the note of the item holding it in `parents`.
    static func ordered(_ pages: [Page], depths: inout [String: Int], parents: inout [String: String]) -> [Page] {
        guard let landing = pages.first(where: \.isLanding) else { return sorted(pages) }
        let byID = Dictionary(pages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var named: [Page] = []
        var placed: Set<String> = [landing.id]
        // The notes of the items that hold the current one, outermost first, with their depths.
        var holders: [(id: String, depth: Int)] = []
        for entry in landing.outline {
            guard let page = byID[entry.pageID], placed.insert(page.id).inserted else { continue }
            named.append(page)
            depths[page.id] = entry.depth
            while let last = holders.last, last.depth >= entry.depth { holders.removeLast() }
            if let holder = holders.last { parents[page.id] = holder.id }
            holders.append((page.id, entry.depth))
        }
        return [landing] + named + sorted(pages.filter { !placed.contains($0.id) })
    }

    /// How deep the landing text of the page's service nests it (0 when it does not name it).
    func outlineDepth(of pageID: String) -> Int { outlineDepths[pageID] ?? 0 }

    /// The id of the note whose item in the landing text of the page's service holds the page's
    /// item ("Tutorial: …" for its "Step 2: …"); nil for an outermost item or a page the landing
    /// text does not name.
    func outlineParent(of pageID: String) -> String? { outlineParents[pageID] }

    /// The service with `id`; `Service.general` for `general` and for an id not in the catalog.
    func service(_ id: String) -> Service {
        id == Service.general.id ? .general : catalog[id] ?? .general
    }

    /// A service's pages: its own first (by order, then title), then those that list it.
    func pages(of serviceID: String) -> [Page] { pagesByService[serviceID] ?? [] }

    /// A service's cards (the cards of its own pages), in the order of `pages(of:)`: what its
    /// deck, practice page, service page and cheat sheet show.
    func cards(of serviceID: String) -> [Card] { cardsByService[serviceID] ?? [] }

    static func sorted(_ pages: [Page]) -> [Page] {
        pages.sorted { ($0.isCardsFile ? 1 : 0, $0.order, $0.title) < ($1.isCardsFile ? 1 : 0, $1.order, $1.title) }
    }
}
