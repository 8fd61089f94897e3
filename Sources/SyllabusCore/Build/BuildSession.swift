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
/// - With it, the analysis of that build (`KeptAnalysis`): its pages, which the next build takes
///   for every note whose content key is unchanged, and the linked set, whose lists, checks,
///   term index and service graph a build whose changed notes keep their set facts takes as
///   they are (see `Pipeline.analyze`). So a one-note edit costs little more than that note.
/// - `Pipeline.build(session:pagesLive:)` builds the outputs named by `firstFolders` first
///   and swaps them in alone, so open pages can be told before the others are built.
/// - Renderers keep the HTML they made from notes' trees (`KeptHTML`, one per output folder),
///   so a template change renders pages without parsing their notes again.
public final class BuildSession: @unchecked Sendable {
    /// The output folders built and swapped in first: what an open page shows (`site`) and the
    /// decks (`anki`), which the practice page's cards and the author's imports follow.
    let firstFolders: Set<String>
    private let lock = NSLock()
    /// The cache of the last build, the stamp of the index file on disk when it was kept (nil:
    /// there was none), and that build's analysis.
    private var kept: (cache: BuildCache, index: FileStamp?, analysis: KeptAnalysis?)?
    /// Each output folder's `KeptHTML`, made when a renderer first asks.
    private var html: [String: KeptHTML] = [:]

    /// A session that has built nothing yet; `firstFolders` as described there.
    public init(firstFolders: Set<String> = ["site", "anki"]) {
        self.firstFolders = firstFolders
    }

    /// The cache kept from the last build when it was made under `environmentKey` and the
    /// index file in `outputRoot` is still the one saved with it, with the analysis of the
    /// build that made it; nil otherwise.
    func cache(environmentKey: String, outputRoot: URL) -> (cache: BuildCache, analysis: KeptAnalysis?)? {
        lock.withLock {
            guard let kept, kept.cache.environmentKey == environmentKey,
                  FileStamp(outputRoot.appendingPathComponent(BuildCache.fileName).path) == kept.index else { return nil }
            return (kept.cache, kept.analysis?.set.environmentKey == environmentKey ? kept.analysis : nil)
        }
    }

    /// Keeps `cache`, just saved in `outputRoot` (see `BuildCache.saveForSession(in:)`), and the
    /// analysis of the build that made it: its records are that analysis's pages and links.
    func keep(_ cache: BuildCache, savedIn outputRoot: URL, analysis: KeptAnalysis?) {
        let index = FileStamp(outputRoot.appendingPathComponent(BuildCache.fileName).path)
        lock.withLock { kept = index.map { (cache, $0, analysis) } }
    }

    /// Keeps `cache`, which was not saved, with the analysis of the build that made it: the next
    /// build of this session takes them while the index file in `outputRoot` is still the one
    /// there now (a build by another process reads the older cache on disk, which stays valid:
    /// see `Pipeline.build(session:pagesLive:abandons:)`).
    func keep(_ cache: BuildCache, unsavedIn outputRoot: URL, analysis: KeptAnalysis?) {
        let index = FileStamp(outputRoot.appendingPathComponent(BuildCache.fileName).path)
        lock.withLock { kept = (cache, index, analysis) }
    }

    /// The HTML the renderer of `folder` kept in this session's builds (see `KeptHTML`).
    func keptHTML(for folder: String) -> KeptHTML {
        lock.withLock {
            if let kept = html[folder] { return kept }
            let kept = KeptHTML()
            html[folder] = kept
            return kept
        }
    }

    /// `renderers` split into those of `firstFolders` and the others, each in the given order.
    func phases(of renderers: [any Renderer]) -> (first: [any Renderer], rest: [any Renderer]) {
        (renderers.filter { firstFolders.contains($0.folder) }, renderers.filter { !firstFolders.contains($0.folder) })
    }
}

/// What a session keeps of a build's analysis for the next build (see `BuildSession`).
struct KeptAnalysis: Sendable {
    /// The linked set, without trees (renderers of the next build read that build's trees).
    let set: LinkedStudySet
    /// The set's notes and exam files by id.
    let pages: [String: Page]
    /// Made from the catalog, which the environment key covers.
    let matcher: MentionMatcher

    /// What `set` (trees dropped) and `matcher` leave for the next build.
    init(_ set: LinkedStudySet, matcher: MentionMatcher) {
        var set = set
        set.trees = .none
        self.set = set
        pages = Dictionary(set.studySet.allPages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.matcher = matcher
    }
}
