import Foundation

/// A note, placed in a service: one page of the site, one section of the book. Its facts
/// (`NoteFacts`) are read through it as its own properties (`page.title` is
/// `page.facts.title`); what the link stage decides about it, and its Markdown tree, are in
/// `LinkedStudySet` (`links(of:)`, `content(of:)`).
/// A class: every stage and renderer passes pages around, and they are large.
@dynamicMemberLookup
final class Page: Sendable {
    /// What the note says on its own; never changes.
    let facts: NoteFacts
    /// Where the note's file is, as this build found it.
    let source: SourceFile
    /// The source path relative to the content folder; unique.
    var id: String { facts.id }
    /// Path of the page in the site, relative to its root (`NoteFacts.outputPath`), made once:
    /// every build hashes it for every link.
    let outputPath: String
    /// The files beside the notes that the note shows or links to, relative to the content
    /// folder (`LocalFiles.path(of:from:)` of each reference to one), made once per page: the
    /// load and link stages of every build read them for every page.
    let localFilePaths: [String]

    /// `localFilePaths`, when given, must be what the facts give (the build cache's index
    /// holds them for every note, written with its record: see `BuildCache.PageEntry`), so a
    /// rebuild does not make them again for every note.
    init(facts: NoteFacts, source: SourceFile, localFilePaths: [String]? = nil) {
        self.facts = facts
        self.source = source
        outputPath = facts.outputPath
        self.localFilePaths = localFilePaths
            ?? facts.linkFacts.references.filter(\.isLocalFile).compactMap { LocalFiles.path(of: $0.url, from: facts.id) }
    }

    /// A fact of the note: `page.title` reads `page.facts.title`.
    subscript<Value>(dynamicMember fact: KeyPath<NoteFacts, Value>) -> Value { facts[keyPath: fact] }

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
            facts.headings.contains { $0.id == id } || facts.anchors.contains(id) ? id : nil
        }
        if let id = find(fragment) { return .id(id) }
        if let decoded = fragment.removingPercentEncoding, decoded != fragment, let id = find(decoded) { return .id(id) }
        return fragment.lowercased() == "top" || fragment.removingPercentEncoding?.lowercased() == "top" ? .top : nil
    }
}

/// A page's Markdown tree and the nodes later stages point into.
final class PageContent: @unchecked Sendable {
    /// The note's parsed Markdown (front matter lines counted in its positions).
    let tree: MarkdownTree
    /// Heading node -> its id, for walks that track which section they are in.
    let headingIDs: [Node: String]
    /// HTML anchor node -> the ids it carries (a block of anchors may carry several; a
    /// repeated id is left out).
    var anchorIDs: [Node: [String]] = [:]
    /// The cards' nodes, in the order of `NoteFacts.cards`.
    var cards: [CardNodes] = []
    /// The questions' nodes, in the order of `NoteFacts.questions`.
    var questions: [QuestionNodes] = []
    /// The link nodes behind `NoteLinkFacts.references` and the cross-links made in the prose.
    var referenceNodes: [Node] = []
    var crossLinkNodes: [Node] = []
    /// Internal links with where each points, set by the link stage; each node's URL is its
    /// index here as a `LinkToken`.
    var links: [(node: Node, target: LinkTarget)] = []

    init(tree: MarkdownTree, headingIDs: [Node: String]) {
        self.tree = tree
        self.headingIDs = headingIDs
    }
}
