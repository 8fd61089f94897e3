import Foundation

/// HTML one renderer made from notes' trees in earlier builds of the same process (`serve`),
/// by note id (or an id of the renderer's that no note has), each with the key it was made
/// from (for a note, its `NoteLinks.renderKey`). A build that must make a page again while its
/// note renders the same (a template changed, a neighbour's title) takes the HTML instead of
/// parsing the note for it: parsing every note again was over half of a template change's
/// time on the 2,000-note benchmark set.
/// `BuildSession` keeps one per output folder; a one-shot build has none. Safe from many
/// threads.
final class KeptHTML: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (key: String, html: String)] = [:]

    /// The HTML kept for note `id` if it was made from `key`; nil otherwise.
    func html(of id: String, key: String) -> String? {
        lock.withLock { entries[id].flatMap { $0.key == key ? $0.html : nil } }
    }

    /// Keeps `html`, made for note `id` from `key`, in place of what was kept for it.
    func keep(_ html: String, of id: String, key: String) {
        lock.withLock { entries[id] = (key, html) }
    }

    /// Forgets every id but `ids` (the notes of the last build, and the renderer's own), so a
    /// long session holds only what its study set has.
    func keepOnly(_ ids: Set<String>) {
        lock.withLock {
            guard entries.keys.contains(where: { !ids.contains($0) }) else { return }
            entries = entries.filter { ids.contains($0.key) }
        }
    }
}
