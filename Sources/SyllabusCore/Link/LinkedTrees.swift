import Foundation

/// The Markdown trees of the notes, each bound to its `NoteLinks` (see
/// `Linker.bindTargets`): what renderers render. Trees parsed in this build are bound when the
/// set is made; a note restored from the build cache has no tree until `load` makes one.
final class LinkedTrees: @unchecked Sendable {
    /// One note's tree, made once, whichever thread asks first.
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var content: PageContent?
    }

    private let slots: [String: Slot]
    private let links: [String: NoteLinks]
    private let load: (Page) -> PageContent

    /// `parsed`: the trees of the notes parsed in this build, by note id; `load` parses a
    /// note again (its tree not yet bound).
    init(parsed: [String: PageContent], pageIDs: [String], links: [String: NoteLinks], load: @escaping (Page) -> PageContent) {
        var slots: [String: Slot] = [:]
        for id in pageIDs { slots[id] = Slot() }
        let ids = Array(parsed.keys)
        _ = parallelMap(ids.count) { index in
            Linker.bindTargets(in: parsed[ids[index]]!, to: links[ids[index]] ?? .none)
        }
        for (id, content) in parsed { slots[id]?.content = content }
        self.slots = slots
        self.links = links
        self.load = load
    }

    /// No trees: a set that nothing renders.
    static let none = LinkedTrees(parsed: [:], pageIDs: [], links: [:]) { _ in PageContent(tree: MarkdownParser.parse(""), headingIDs: [:]) }

    /// The tree of `page`, bound to its links.
    func content(of page: Page) -> PageContent {
        guard let slot = slots[page.id] else { return bound(page) }
        return slot.lock.withLock {
            if let content = slot.content { return content }
            let content = bound(page)
            slot.content = content
            return content
        }
    }

    private func bound(_ page: Page) -> PageContent {
        let content = load(page)
        Linker.bindTargets(in: content, to: links[page.id] ?? .none)
        return content
    }
}
