import Foundation

/// A generated file, with its path relative to the output folder (`site/index.html`).
struct OutputFile: Sendable {
    /// Relative to the output folder, `/`-separated, beginning with the renderer's folder.
    var path: String
    /// The file's bytes (for a file written in pieces, put together here).
    /// - Throws: what making a piece throws.
    var contents: Data {
        get throws {
            switch body {
            case .bytes(let data): return data
            case .pieces(let size, let write):
                var data = Data()
                data.reserveCapacity(size)
                try write { data.append(contentsOf: $0) }
                return data
            }
        }
    }
    /// How the bytes are held.
    let body: Body
    /// The key of everything the file was made from, when the renderer knows it: a later
    /// build whose key for the path is the same reuses the file without making it.
    var key: String?
    /// Keys of the parts a renderer may take back from this file in a later build (the
    /// chapters of a book), by part name.
    var parts: [String: String] = [:]

    /// A file of `contents`; `key` as described at `key` (nil: made again on every build).
    init(path: String, contents: Data, key: String? = nil) {
        self.path = path
        body = .bytes(contents)
        self.key = key
    }

    /// A file of `size` bytes that `write` hands to the function it is given, in order, a
    /// piece at a time (and again if asked again): a large file made mostly of another file's
    /// bytes (a book copying the previous book's entries) is never held whole in memory.
    init(path: String, size: Int, key: String? = nil, pieces write: @escaping Body.Writer) {
        self.path = path
        body = .pieces(size: size, write: write)
        self.key = key
    }

    /// A file's bytes: in memory, or written out a piece at a time.
    enum Body: Sendable {
        /// Hands every piece of the file to its argument in order; throws what it throws, or
        /// when a piece cannot be made.
        typealias Writer = @Sendable (_ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Void
        case bytes(Data)
        case pieces(size: Int, write: Writer)

        /// The file's size in bytes.
        var size: Int {
            switch self {
            case .bytes(let data): return data.count
            case .pieces(let size, _): return size
            }
        }
    }

    /// A text file, stored as UTF-8 without a byte order mark.
    init(path: String, text: String, key: String? = nil) {
        self.init(path: path, contents: Data(text.utf8), key: key)
    }
}

/// Where a renderer puts its files as it makes them.
protocol OutputSink: Sendable {
    /// Stores `files` for this build (`OutputWriter` stages them; the output goes live when
    /// every renderer has finished). Called from one thread at a time.
    /// - Throws: when a file or its folder cannot be written; the error names the path.
    func write(_ files: [OutputFile]) throws
    /// Keeps the previous build's file at `path` when it was made from the same `key` and is
    /// untouched since; false means the renderer must make it. Safe from many threads. Asked
    /// again in the same build for the same path and key, it answers the same: a renderer's
    /// `prepare` and `render` may both ask.
    func reuse(_ path: String, key: String) -> Bool
    /// The previous build's file at `path` and the keys of its parts, when it is there and
    /// untouched since, for renderers that take parts of it back.
    func previous(_ path: String) -> PreviousOutput?
    /// What the renderer kept under `name` (see `keep`) when the last build went live, or nil.
    /// Unlike output keys it survives a new tool or configuration: it records history the
    /// output depends on (when each Anki note last changed), or a cache the renderer checks
    /// itself (the search index's analyses, stored with the environment they were made in).
    func state(_ name: String) -> Data?
    /// See `stateBytes` in the extension below.
    func stateBytes(_ name: String) -> [UInt8]?
    /// Keeps `data` under `name` for the next build; saved only if this build goes live.
    func keep(_ data: Data, state name: String)
    /// See `keep(chunks:state:)` in the extension below.
    func keep(chunks: [ArraySlice<UInt8>], state name: String)
    /// The outputs this build makes, this one among them: those `outputs:` lists that have
    /// files to make (`Renderer.makesFiles`), as the pipeline found before any was made. What
    /// an output may link to in another (the site's Downloads), so that no renderer asks another.
    var outputs: Set<OutputKind> { get }
    /// Holds `value` under `name` until `takePrepared` takes it, never saved: what a renderer's
    /// `prepare` worked out that its `render` in the same build needs again (the book's layout
    /// and keys), so that it is worked out once. `render` is given the set `prepare` was given
    /// with the trees `prepare` named parsed, so a value handed over must not hold trees.
    func handOver(_ value: Any, as name: String)
    /// What `handOver` holds under `name`, removed from the sink; nil when nothing is held
    /// (a sink no `prepare` wrote to: the renderer works it out again).
    func takePrepared(_ name: String) -> Any?
    /// A safe point to stop: throws `BuildAbandoned` when the build no longer wants this
    /// output (`serve` got another change while making an output after the pages were told;
    /// see `Pipeline.build(session:pagesLive:abandons:)`). Renderers call it between their
    /// costly steps (not after the last: a made file is worth writing); safe from many threads.
    /// A `prepare`, which cannot throw, returns at once when it hits one (what it returns
    /// then does not matter): the build asks again right after it, and a build once
    /// abandoned stays so.
    func checkpoint() throws
}

extension OutputSink {
    /// `state(name)`'s bytes as an array, for a renderer that reads its state byte by byte
    /// (the search index's, megabytes): a sink that reads a file may read it straight into
    /// one instead of copying it out of `Data`.
    func stateBytes(_ name: String) -> [UInt8]? { state(name).map { [UInt8]($0) } }

    /// Keeps the bytes of `chunks`, one after another, under `name`, as `keep(_:state:)`
    /// does: a state of megabytes made mostly of runs of the one it was read from (the search
    /// index's) is written out from them, never copied into one buffer. A sink that does not
    /// say keeps them joined.
    func keep(chunks: [ArraySlice<UInt8>], state name: String) { keep(Data(chunks.joined()), state: name) }

    /// A sink that holds nothing: `render` works out again what `prepare` did.
    func handOver(_ value: Any, as name: String) {}

    func takePrepared(_ name: String) -> Any? { nil }

    /// A sink whose build is never abandoned.
    func checkpoint() throws {}
}

/// Thrown by `OutputSink.checkpoint`: the output being made is no longer wanted. Its staged
/// files are discarded and the output stays as the last build that made it left it.
struct BuildAbandoned: Error {}

/// A file of the previous build that a renderer may take parts back from (see `OutputSink.previous`).
struct PreviousOutput: Sendable {
    /// Where the live file is, to read it.
    var url: URL
    /// The key it was made from (see `OutputFile.key`).
    var key: String
    /// The key of each part it holds, by part name (see `OutputFile.parts`).
    var parts: [String: String]
}

/// A renderer turns the linked study set into files. Renderers are peers: each reads the same
/// model, none reads another's files or asks another what it will make, and adding an output
/// means adding one. Which other outputs the build makes, a renderer learns from the pipeline
/// (`OutputSink.outputs`); the site's Downloads name their files by the static rules the
/// other renderers name them by (`EpubRenderer.fileName`, `CheatSheetRenderer.sheetNames`).
protocol Renderer: Sendable {
    /// The folder of the output folder this renderer owns (`site`, `anki`…).
    var folder: String { get }
    /// Takes back from the previous build what `render` would reuse (`output.reuse`, with the
    /// keys `render` computes) and names the notes and exam files whose trees `render` will
    /// then read: those of the files it makes again. The build parses those of them that it
    /// made from its cache before any renderer runs; `render` reading any other tree is a
    /// programming error. A page reused by its key needs no tree. What both need (keys, a
    /// layout) it may hand to `render` through `output.handOver`.
    /// - Returns: note ids (`Page.id`); naming too many costs only parse time.
    func prepare(_ set: LinkedStudySet, output: OutputSink) -> Set<String>
    /// Writes the output's files to `output`, in batches if it is large, so a build does not
    /// hold a whole site in memory. Reads only the trees `prepare` named.
    func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws
    /// See the default in the extension below.
    func makesFiles(for set: LinkedStudySet, state: (String) -> Data?) -> Bool
    /// See the default in the extension below.
    var holdsHandOver: Bool { get }
    /// See the default in the extension below.
    var rendersBeside: Bool { get }
}

extension Renderer {
    /// Whether the output has anything to hold for `set`; a build leaves out (and removes the
    /// folder of) one that has not, as it does an output `outputs:` no longer lists, rather
    /// than make an empty folder. `state` reads what an output kept (`OutputSink.state`) when
    /// the last build went live. True unless the renderer says.
    func makesFiles(for set: LinkedStudySet, state: (String) -> Data?) -> Bool { true }

    /// Whether what `prepare` hands to `render` (`OutputSink.handOver`) is large enough that
    /// holding it while the other outputs are made raises a build's peak memory: such an
    /// output is made first (see `Pipeline.inMemoryOrder`). False unless the renderer says.
    var holdsHandOver: Bool { false }

    /// Whether the output is small (megabytes) and its `render` leaves a core idle part of the
    /// time, so that it is made side by side with the other such outputs, after the rest (see
    /// `Pipeline.renderSideBySide`). False unless the renderer says.
    var rendersBeside: Bool { false }

    /// Every note and exam file: what a renderer that does not say needs.
    func prepare(_ set: LinkedStudySet, output: OutputSink) -> Set<String> {
        Set(set.pages.map(\.id) + set.studySet.examPages.map(\.id))
    }
}

extension Renderer {
    /// Every file at once, for tests and tools that look at the output in memory, as if the
    /// build made every output `outputs:` lists.
    func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog) throws -> [OutputFile] {
        let collector = FileCollector(outputs: Set(set.config.outputs))
        try render(set, diagnostics: diagnostics, into: collector)
        return collector.files
    }
}

final class FileCollector: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private(set) var files: [OutputFile] = []
    let outputs: Set<OutputKind>

    /// A sink for a build that makes `outputs`.
    init(outputs: Set<OutputKind> = []) {
        self.outputs = outputs
    }

    func write(_ files: [OutputFile]) throws {
        lock.withLock { self.files += files }
    }

    func reuse(_ path: String, key: String) -> Bool { false }

    func previous(_ path: String) -> PreviousOutput? { nil }

    func state(_ name: String) -> Data? { nil }

    func keep(_ data: Data, state name: String) {}
}
