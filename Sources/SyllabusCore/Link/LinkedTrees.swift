import Foundation

/// The Markdown trees renderers read, by note id, each bound to its `NoteLinks` (see
/// `Linker.bindTargets`). Made before rendering starts and never changed after: the trees of
/// the notes parsed in this build, and of the notes made from the build cache that a renderer
/// named in `Renderer.prepare` (parsed again by the build, not by the renderer).
struct LinkedTrees: Sendable {
    private let contents: [String: PageContent]

    /// No trees: a set that nothing renders.
    static let none = LinkedTrees(contents: [:])

    private init(contents: [String: PageContent]) {
        self.contents = contents
    }

    /// `trees` (note id -> tree, not yet bound) bound to `links` (every core at once), added
    /// to these.
    func adding(binding trees: [String: PageContent], to links: [String: NoteLinks]) -> LinkedTrees {
        let ids = Array(trees.keys)
        _ = parallelMap(ids.count) { index in
            Linker.bindTargets(in: trees[ids[index]]!, to: links[ids[index]] ?? .none)
        }
        return LinkedTrees(contents: contents.merging(trees) { _, new in new })
    }

    /// True when the tree of the note with this id is here.
    func contains(_ id: String) -> Bool { contents[id] != nil }

    /// The tree of `page`, bound to its links. A tree that is not here is a renderer reading a
    /// note its `prepare` did not name: a programming error, not a reason to parse it now.
    func content(of page: Page) -> PageContent {
        guard let content = contents[page.id] else {
            preconditionFailure("no tree for \(page.id): a renderer read a note its prepare(_:output:) did not name")
        }
        return content
    }
}
