import Foundation

/// The files beside the notes that notes show or link to, copied into the site at the same
/// path relative to its root as to the content folder (`lambda/img/flow.png`), so a link
/// written for the Markdown works on the site too. Only those files: the rest of the content
/// folder is never published.
enum SiteFiles {
    /// A copy of each published local file, keyed by its bytes. A file whose path is one the
    /// site makes itself (`taken`: a page, a theme asset) is not copied, with a warning at
    /// the file: the site's own file wins.
    static func copies(_ set: LinkedStudySet, folder: String, taken: Set<String>, diagnostics: DiagnosticLog,
                       output: OutputSink) -> [OutputFile] {
        guard let reader = set.fileReader else { return [] }
        let files = set.localFiles.values.sorted { $0.path < $1.path }
        return parallelMap(files.count) { index -> OutputFile? in
            let file = files[index]
            let path = "\(folder)/\(file.path)"
            if taken.contains(path) {
                diagnostics.warning("the site makes a file at \(file.path) itself, so this file is not copied into it",
                                    at: SourceLocation(path: file.path))
                return nil
            }
            let key = OutputKey("site-file", file.hash).hex
            guard !output.reuse(path, key: key), let data = reader.data(file) else { return nil }
            return OutputFile(path: path, contents: data, key: key)
        }.compactMap { $0 }
    }
}

/// An output sink that remembers every path written or reused through it.
final class PathRecordingSink: OutputSink, @unchecked Sendable {
    private let sink: OutputSink
    private let lock = NSLock()
    private var recorded: Set<String> = []

    init(_ sink: OutputSink) { self.sink = sink }

    /// Every path written or reused so far.
    var paths: Set<String> { lock.withLock { recorded } }

    func write(_ files: [OutputFile]) throws {
        lock.withLock { for file in files { recorded.insert(file.path) } }
        try sink.write(files)
    }

    /// Records `paths`, files the renderer took back from the last build when it prepared
    /// (`OutputSink.reuse` answered true for each), as `reuse` would if asked again.
    func record(_ paths: some Sequence<String>) {
        lock.withLock { for path in paths { recorded.insert(path) } }
    }

    func reuse(_ path: String, key: String) -> Bool {
        lock.withLock { _ = recorded.insert(path) }
        return sink.reuse(path, key: key)
    }

    func previous(_ path: String) -> PreviousOutput? { sink.previous(path) }
    func state(_ name: String) -> Data? { sink.state(name) }
    func stateBytes(_ name: String) -> [UInt8]? { sink.stateBytes(name) }
    func keep(_ data: Data, state name: String) { sink.keep(data, state: name) }
    func keep(chunks: [ArraySlice<UInt8>], state name: String) { sink.keep(chunks: chunks, state: name) }
    var outputs: Set<OutputKind> { sink.outputs }
    // Forwarded, not left to `OutputSink`'s defaults, which would hold nothing and never stop.
    func handOver(_ value: Any, as name: String) { sink.handOver(value, as: name) }
    func takePrepared(_ name: String) -> Any? { sink.takePrepared(name) }
    func checkpoint() throws { try sink.checkpoint() }
}
