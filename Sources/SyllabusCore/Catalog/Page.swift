import Foundation

/// A note, placed in a service: one page of the site, one section of the book.
/// A class: every stage and renderer passes pages around, and they are large.
///
/// A page is its facts (title, headings, cards, what its links and prose name) plus its
/// `content`, the Markdown tree. Facts are what the build cache keeps; a page restored from it
/// has no tree until a renderer asks for one, and then parses its source again.
public final class Page: @unchecked Sendable {
    /// The source path relative to the content folder; unique.
    public let id: String
    public let source: SourceFile
    public let title: String
    /// The service whose folder the page is in (or that it mentions most, or `general`).
    public let serviceID: String
    /// Further services from the `services:` front matter key.
    public let extraServiceIDs: [String]
    public let tags: [String]
    public let order: Int
    public let slug: String
    public let headings: [Heading]
    /// Ids the note names itself outside its headings (HTML anchor elements), in document
    /// order; links may point at them like at headings.
    public let anchors: [String]
    public let isCardsFile: Bool
    /// The front matter's `sources:` and `checked:`; each card may have its own as well.
    public let provenance: Provenance
    /// The landing text of its service folder (`index.md`, `README.md`, `_index.md`): shown at
    /// the top of the service page and the start of its book chapter, never as a page of its own.
    public let isLanding: Bool
    /// For a landing text: the notes its lists of links name, in order (see `Classifier.outline`).
    public let outline: [OutlineEntry]
    /// Hash of everything the page's own analysis read: its path and bytes, the configuration,
    /// the catalog and the tool. Equal keys give equal facts and an equal tree.
    public let contentKey: String
    /// Set once by the classify stage, before any other stage reads the page.
    public internal(set) var cards: [Card] = []
    /// The questions of an exam file (`source.isExamFile`), set once by the classify stage.
    public internal(set) var questions: [Question] = []
    /// What the page's links and prose name, found before other pages are known.
    var linkFacts = PageLinkFacts()
    /// Problems found in this page alone (front matter, cards, links to non-notes), which a
    /// build restoring the page from the cache reports again.
    var ownDiagnostics: [Diagnostic] = []
    /// Set by the link stage: where each internal link points (resolved `.md` links, then
    /// cross-links, in document order), and a key over the page's content and the output
    /// paths of those targets: equal keys render equal pages.
    public internal(set) var targets: [LinkTarget] = []
    /// Whether each of `linkFacts.references` resolved; the others are shown as text.
    var resolvedReferences: [Bool] = []
    public internal(set) var renderKey = ""
    /// What the link stage decided for this page in the build that cached it, valid while no
    /// note was added, removed, moved or had its headings changed (see `Linker.link`).
    var cachedLinks: (targets: [LinkTarget], resolved: [Bool], renderKey: String, warnings: [Diagnostic])?
    /// The link stage's warnings about this page's links (anchors that are not there).
    var linkWarnings: [Diagnostic] = []

    private var loaded: PageContent?
    /// Parses the page again for a page restored from the cache.
    private let reload: ((Page) -> PageContent)?
    private let lock = NSLock()

    init(id: String, source: SourceFile, title: String, serviceID: String, extraServiceIDs: [String], tags: [String],
         order: Int, slug: String, headings: [Heading], anchors: [String], isLanding: Bool = false, outline: [OutlineEntry] = [],
         isCardsFile: Bool, provenance: Provenance, contentKey: String,
         content: PageContent?, reload: ((Page) -> PageContent)?) {
        self.id = id
        self.source = source
        self.title = title
        self.serviceID = serviceID
        self.extraServiceIDs = extraServiceIDs
        self.tags = tags
        self.order = order
        self.slug = slug
        self.headings = headings
        self.anchors = anchors
        self.isLanding = isLanding
        self.outline = outline
        self.isCardsFile = isCardsFile
        self.provenance = provenance
        self.contentKey = contentKey
        self.outputPath = "\(serviceID)/\(slug).html"
        self.loaded = content
        self.reload = reload
    }

    /// The page's Markdown tree with its links pointed; parsed again on first use when the page
    /// came from the cache.
    public var content: PageContent {
        lock.withLock {
            if let loaded { return loaded }
            let content = reload!(self)
            loaded = content
            return content
        }
    }

    /// The content if it is in memory, without parsing it.
    var loadedContent: PageContent? { lock.withLock { loaded } }

    /// Path of the page in the site, relative to its root.
    public let outputPath: String

    public var serviceIDs: [String] { [serviceID] + extraServiceIDs.filter { $0 != serviceID } }

    public var isExamFile: Bool { source.isExamFile }

    /// Where a fragment points on this page.
    enum Place: Equatable {
        /// A heading or anchor, by its id as the page writes it.
        case id(String)
        /// The top of the page (`#top`, as browsers read it).
        case top
    }

    /// The place `fragment` names, matched the way a browser matches it: an id equal to the
    /// fragment, else to the fragment percent-decoded, else `top` (any case) for the top of the
    /// page (HTML Living Standard, "find a potential indicated element" and "scroll to the
    /// fragment"); nil when none.
    func place(named fragment: String) -> Place? {
        func find(_ id: String) -> String? {
            headings.contains { $0.id == id } || anchors.contains(id) ? id : nil
        }
        if let id = find(fragment) { return .id(id) }
        if let decoded = fragment.removingPercentEncoding, decoded != fragment, let id = find(decoded) { return .id(id) }
        return fragment.lowercased() == "top" || fragment.removingPercentEncoding?.lowercased() == "top" ? .top : nil
    }
}

/// A note named by a landing text's list of links, and how deep its item is nested.
public struct OutlineEntry: Sendable, Equatable {
    public var pageID: String
    public var depth: Int
}

/// A page's Markdown tree and the nodes later stages point into.
public final class PageContent: @unchecked Sendable {
    public let tree: MarkdownTree
    /// Heading node -> its id, for walks that track which section they are in.
    public let headingIDs: [Node: String]
    /// HTML anchor node -> the ids it carries (a block of anchors may carry several; a
    /// repeated id is left out).
    public internal(set) var anchorIDs: [Node: [String]] = [:]
    /// The cards' nodes, in the order of `Page.cards`.
    public internal(set) var cards: [CardNodes] = []
    /// The questions' nodes, in the order of `Page.questions`.
    public internal(set) var questions: [QuestionNodes] = []
    /// The link nodes behind `PageLinkFacts.references` and the cross-links made in the prose.
    var referenceNodes: [Node] = []
    var crossLinkNodes: [Node] = []
    /// Internal links with where each points, set by the link stage; renderers set their URLs.
    public internal(set) var links: [(node: Node, target: LinkTarget)] = []

    init(tree: MarkdownTree, headingIDs: [Node: String]) {
        self.tree = tree
        self.headingIDs = headingIDs
    }
}

/// A relative link as written in a note, before the notes it may point to are known.
public struct Reference: Sendable, Equatable {
    public var url: String
    public var line: Int
    public var column: Int
    /// Written as a picture (`![alt](url)`): it names a file beside the note to show.
    public var isImage = false

    public init(url: String, line: Int, column: Int, isImage: Bool = false) {
        (self.url, self.line, self.column, self.isImage) = (url, line, column, isImage)
    }

    /// True when it names a file beside the notes rather than a note: a picture, or a path
    /// that does not end in `.md`. Byte-wise, without copying: every build (an up-to-date one
    /// too) asks it of every reference of every note.
    var isLocalFile: Bool {
        if isImage { return true }
        let bytes = url.utf8
        let path = bytes[..<(bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex)]
        return !path.isEmpty && !path.reversed().starts(with: "dm.".utf8)
    }
}

/// What linking learns from one page on its own.
public struct PageLinkFacts: Sendable {
    /// Links to notes (`.md`, or `#anchor` on the same page) and to files beside the notes
    /// (pictures, samples), in document order.
    public var references: [Reference] = []
    /// Services the prose links to (first mention per section), in document order.
    public var crossLinks: [String] = []
    /// Prose mentions: service id -> count.
    public var mentions: [String: Int] = [:]
    /// Index terms of the page, each with the section it is in (nil: the top of the page).
    public var terms: [PageTerm] {
        get { termList.terms }
        set { termList = PageTermList(newValue) }
    }
    /// The terms as the cache holds them: a rebuild needs only their hash (see
    /// `LinkedStudySet.termsKey`), so a cached page's terms are decoded only if the index is
    /// made again.
    var termList = PageTermList([])
    /// The page's words for full-text search.
    public var searchText = SearchText(text: "")
}

/// A page's index terms, kept encoded and decoded on first use.
final class PageTermList: @unchecked Sendable {
    private let lock = NSLock()
    private var decoded: [PageTerm]?
    private let bytes: ArraySlice<UInt8>

    /// Encoded at once: pages are analysed in parallel, and every build hashes (and the cache
    /// keeps) the encoded form.
    init(_ terms: [PageTerm]) {
        decoded = terms
        var writer = ByteWriter()
        writer.int(terms.count)
        for term in terms {
            writer.string(term.text)
            writer.string(term.key)
            writer.optional(term.fragment)
        }
        bytes = writer.bytes[...]
    }

    init(encoded: ArraySlice<UInt8>) { bytes = encoded }

    var terms: [PageTerm] {
        lock.withLock {
            if let decoded { return decoded }
            var reader = ByteReader(bytes)
            let terms = (try? Self.decode(&reader)) ?? []
            decoded = terms
            return terms
        }
    }

    var encoded: ArraySlice<UInt8> { bytes }

    static func decode(_ reader: inout ByteReader) throws -> [PageTerm] {
        try (0..<reader.count()).map { _ in PageTerm(text: try reader.string(), key: try reader.string(), fragment: try reader.optional()) }
    }
}

public struct PageTerm: Sendable, Equatable {
    public var text: String
    /// The text lowercased: what the index files it under.
    public var key: String
    public var fragment: String?
}

/// Classify stage output: the catalog and every page in its service, cards extracted.
/// Cards, services in use and each service's pages are worked out once: every renderer asks.
public struct StudySet: Sendable {
    public let config: ProjectConfig
    public let catalog: ServiceCatalog
    /// The notes: every page but the exam files.
    public let pages: [Page]
    public let cards: [Card]
    /// The exam files, which are not notes: no page, chapter or deck of their own.
    public let examPages: [Page]
    /// Every question of `examPages`, in file order, and the exam they are for (`exam.yml`).
    public let questions: [Question]
    public let exam: ExamConfig?
    /// Services that have pages, in catalog order, then General if used.
    public let servicesInUse: [Service]
    private let pagesByService: [String: [Page]]
    private let cardsByService: [String: [Card]]
    /// Page id -> how deep its service's landing text nests it (absent: 0).
    private let outlineDepths: [String: Int]

    public init(config: ProjectConfig, catalog: ServiceCatalog, pages allPages: [Page], exam: ExamConfig? = nil) {
        self.config = config
        self.catalog = catalog
        let pages = allPages.filter { !$0.isExamFile }
        self.pages = pages
        cards = pages.flatMap(\.cards)
        examPages = allPages.filter(\.isExamFile)
        questions = examPages.flatMap(\.questions)
        self.exam = exam
        let used = Set(pages.flatMap(\.serviceIDs))
        var services = catalog.services.filter { used.contains($0.id) }
        // General notes (the exam, study methods) come first: they frame the rest.
        if used.contains(Service.general.id) { services.insert(.general, at: 0) }
        servicesInUse = services
        var own: [String: [Page]] = [:]
        var listed: [String: [Page]] = [:]
        for page in pages {
            own[page.serviceID, default: []].append(page)
            for id in Set(page.extraServiceIDs) where id != page.serviceID { listed[id, default: []].append(page) }
        }
        var depths: [String: Int] = [:]
        pagesByService = Dictionary(uniqueKeysWithValues: used.map { id in
            (id, Self.ordered(own[id] ?? [], depths: &depths) + Self.sorted(listed[id] ?? []))
        })
        outlineDepths = depths
        // A card belongs to its own page's service, which lists that page among its own.
        cardsByService = Dictionary(uniqueKeysWithValues: pagesByService.map { id, pages in
            (id, pages.flatMap(\.cards).filter { $0.serviceID == id })
        })
    }

    /// Notes and exam files: what the link stage resolves and the build cache keeps.
    public var allPages: [Page] { pages + examPages }

    /// A service's own pages: its landing text first, then the notes its outline names in that
    /// order, then the others in the usual order.
    static func ordered(_ pages: [Page], depths: inout [String: Int]) -> [Page] {
        guard let landing = pages.first(where: \.isLanding) else { return sorted(pages) }
        let byID = Dictionary(pages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var named: [Page] = []
        var placed: Set<String> = [landing.id]
        for entry in landing.outline {
            guard let page = byID[entry.pageID], placed.insert(page.id).inserted else { continue }
            named.append(page)
            depths[page.id] = entry.depth
        }
        return [landing] + named + sorted(pages.filter { !placed.contains($0.id) })
    }

    /// How deep the landing text of the page's service nests it (0 when it does not name it).
    public func outlineDepth(of pageID: String) -> Int { outlineDepths[pageID] ?? 0 }

    public func service(_ id: String) -> Service {
        id == Service.general.id ? .general : catalog[id] ?? .general
    }

    /// A service's pages: its own first (by order, then title), then those that list it.
    public func pages(of serviceID: String) -> [Page] { pagesByService[serviceID] ?? [] }

    /// A service's cards (the cards of its own pages), in the order of `pages(of:)`: what its
    /// deck, practice page, service page and cheat sheet show.
    public func cards(of serviceID: String) -> [Card] { cardsByService[serviceID] ?? [] }

    static func sorted(_ pages: [Page]) -> [Page] {
        pages.sorted { ($0.isCardsFile ? 1 : 0, $0.order, $0.title) < ($1.isCardsFile ? 1 : 0, $1.order, $1.title) }
    }
}
