import Foundation

/// A note, placed in a service: one page of the site, one section of the book.
/// A class: every stage and renderer passes pages around, and they are large.
public final class Page: @unchecked Sendable {
    /// The source path relative to the content folder; unique.
    public let id: String
    public let source: SourceFile
    public let tree: MarkdownTree
    public let title: String
    /// The service whose folder the page is in (or that it mentions most, or `general`).
    public let serviceID: String
    /// Further services from the `services:` front matter key.
    public let extraServiceIDs: [String]
    public let tags: [String]
    public let order: Int
    public let slug: String
    public let headings: [Heading]
    /// Heading node -> its id, for walks that track which section they are in.
    public let headingIDs: [Node: String]
    public let isCardsFile: Bool
    /// Set once by the classify stage, before any other stage reads the page.
    public internal(set) var cards: [Card] = []

    init(id: String, source: SourceFile, tree: MarkdownTree, title: String, serviceID: String, extraServiceIDs: [String],
         tags: [String], order: Int, slug: String, headings: [Heading], isCardsFile: Bool) {
        self.id = id
        self.source = source
        self.tree = tree
        self.title = title
        self.serviceID = serviceID
        self.extraServiceIDs = extraServiceIDs
        self.tags = tags
        self.order = order
        self.slug = slug
        self.headings = headings
        self.headingIDs = Dictionary(headings.map { ($0.node, $0.id) }, uniquingKeysWith: { first, _ in first })
        self.isCardsFile = isCardsFile
    }

    /// Path of the page in the site, relative to its root.
    public var outputPath: String { "\(serviceID)/\(slug).html" }

    public var serviceIDs: [String] { [serviceID] + extraServiceIDs.filter { $0 != serviceID } }
}

/// Classify stage output: the catalog and every page in its service, cards extracted.
public struct StudySet: Sendable {
    public var config: SiteConfig
    public var catalog: ServiceCatalog
    public var pages: [Page]

    public var cards: [Card] { pages.flatMap(\.cards) }

    /// Services that have pages, in catalog order, then General if used.
    public var servicesInUse: [Service] {
        let used = Set(pages.flatMap(\.serviceIDs))
        var result = catalog.services.filter { used.contains($0.id) }
        if used.contains(Service.general.id) { result.append(.general) }
        return result
    }

    public func service(_ id: String) -> Service {
        id == Service.general.id ? .general : catalog[id] ?? .general
    }

    /// A service's pages: its own first (by order, then title), then those that list it.
    public func pages(of serviceID: String) -> [Page] {
        let own = pages.filter { $0.serviceID == serviceID }
        let listed = pages.filter { $0.serviceID != serviceID && $0.extraServiceIDs.contains(serviceID) }
        return Self.sorted(own) + Self.sorted(listed)
    }

    static func sorted(_ pages: [Page]) -> [Page] {
        pages.sorted { ($0.isCardsFile ? 1 : 0, $0.order, $0.title) < ($1.isCardsFile ? 1 : 0, $1.order, $1.title) }
    }
}
