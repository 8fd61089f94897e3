import Foundation

/// What a process that builds one project again and again (`syllabus serve`) keeps from one
/// build for the next, and the order it wants the outputs in. A one-shot `build` has none.
///
/// - The build cache the last build saved stays in memory: the next build takes it instead of
///   reading and decoding `.syllabus-cache` and its records (megabytes for a large study set)
///   when the index file on disk is still the one this session wrote. Another process's build
///   into the same folder replaces that file, and the next build reads it again. What is kept
///   is what `BuildCache.load` would read back, so the files written are those of a build
///   without a session.
/// - `Pipeline.build(session:pagesLive:)` builds the outputs named by `firstFolders` first
///   and swaps them in alone, so open pages can be told before the others are built.
public final class BuildSession: @unchecked Sendable {
    /// The output folders built and swapped in first: what an open page shows (`site`) and the
    /// decks (`anki`), which the practice page's cards and the author's imports follow.
    let firstFolders: Set<String>
    private let lock = NSLock()
    /// The cache the last build saved, and the stamp of the index file it saved it to.
    private var kept: (cache: BuildCache, index: FileStamp)?

    /// A session that has built nothing yet; `firstFolders` as described there.
    public init(firstFolders: Set<String> = ["site", "anki"]) {
        self.firstFolders = firstFolders
    }

    /// The cache kept from the last build when it was made under `environmentKey` and the
    /// index file in `outputRoot` is still the one saved with it; nil otherwise.
    func cache(environmentKey: String, outputRoot: URL) -> BuildCache? {
        lock.withLock {
            guard let kept, kept.cache.environmentKey == environmentKey,
                  FileStamp(outputRoot.appendingPathComponent(BuildCache.fileName).path) == kept.index else { return nil }
            return kept.cache
        }
    }

    /// Keeps `cache`, just saved in `outputRoot` (see `BuildCache.save(in:keeping:)`).
    func keep(_ cache: BuildCache, savedIn outputRoot: URL) {
        let index = FileStamp(outputRoot.appendingPathComponent(BuildCache.fileName).path)
        lock.withLock { kept = index.map { (cache, $0) } }
    }

    /// Forgets the kept cache, so the next build reads the one on disk.
    func forget() {
        lock.withLock { kept = nil }
    }

    /// `renderers` split into those of `firstFolders` and the others, each in the given order.
    func phases(of renderers: [any Renderer]) -> (first: [any Renderer], rest: [any Renderer]) {
        (renderers.filter { firstFolders.contains($0.folder) }, renderers.filter { !firstFolders.contains($0.folder) })
    }
}
