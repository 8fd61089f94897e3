import Foundation

/// The key of an output file: a hash of everything the file shows, started from the
/// renderer's environment (configuration, catalog, tool, templates). See `OutputSink.reuse`.
struct OutputKey {
    private var hasher = CacheKeyHasher()

    init(_ parts: String...) {
        for part in parts { hasher.add(part) }
    }

    mutating func add(_ parts: String...) {
        for part in parts { hasher.add(part) }
    }

    // One and two parts without the array a variadic call makes: the renderers' keys add
    // thousands of parts in a one-note rebuild, mostly one or two at a time.
    mutating func add(_ part: String) { hasher.add(part) }

    mutating func add(_ part: String, _ other: String) {
        hasher.add(part)
        hasher.add(other)
    }

    func adding(_ parts: String...) -> OutputKey {
        var copy = self
        for part in parts { copy.hasher.add(part) }
        return copy
    }

    /// Cards by their page's render key, which covers their Markdown and where their links go.
    mutating func add(cards: [Card], of set: LinkedStudySet) {
        for card in cards {
            hasher.add(set.page(card.pageID).map { set.links(of: $0).renderKey } ?? "")
            hasher.add(card.index)
        }
    }

    var hex: String { hasher.hex }
}
