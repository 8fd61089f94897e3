import Foundation

/// Where a build reads from and writes to.
public struct BuildOptions: Sendable {
    public var contentRoot: URL
    public var templatesRoot: URL
    public var outputRoot: URL
    public var configFile: URL
    /// Leaves the study set (and the cache and notes it was made from) in memory when the
    /// build returns. The command line sets it: the process exits right after, and freeing a
    /// large set's trees and strings one by one took a tenth of its build (compilers skip it
    /// for the same reason).
    public var keepsModelUntilExit = false

    public init(contentRoot: URL, templatesRoot: URL, outputRoot: URL, configFile: URL) {
        self.contentRoot = contentRoot
        self.templatesRoot = templatesRoot
        self.outputRoot = outputRoot
        self.configFile = configFile
    }
}

/// What a build did, for the one-line summary.
public struct BuildReport: Sendable {
    public var diagnostics: [Diagnostic]
    public var pages = 0
    public var services = 0
    public var cards = 0
    public var written: OutputWriter.Summary?
    /// True when nothing the build reads had changed since the last one, so it did nothing.
    public var upToDate = false
    public var seconds = 0.0

    public var failed: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Load → parse → classify → link → render → write. Each stage is its own type; this type
/// only runs them in order and carries the diagnostics between them.
public struct Pipeline {
    public let options: BuildOptions
    /// Told the name of each stage as it starts, for a progress line on a terminal.
    public var progress: @Sendable (String) -> Void

    public init(options: BuildOptions, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
    }

    /// What a build reads before parsing: configuration, catalog and every note's text, with
    /// the keys the cache and the fingerprint are made of.
    struct Input {
        var config: SiteConfig
        var catalog: ServiceCatalog
        /// Hash of the configuration, the catalog and the tool.
        var environmentKey: String
        var sources: [LoadedFile]
        var contentKeys: [String]
    }

    func load(_ diagnostics: DiagnosticLog) -> Input {
        let config = SiteConfig.load(from: options.configFile, diagnostics: diagnostics)
        let catalogURL = options.contentRoot.appendingPathComponent("services.yml")
        let loader = ContentLoader(contentRoot: options.contentRoot, diagnostics: diagnostics)
        let catalog = ServiceCatalog.load(from: catalogURL, displayPath: loader.displayPath("services.yml"), diagnostics: diagnostics)
        var environment = StableHasher()
        for url in [options.configFile, catalogURL] { environment.add(FileManager.default.contents(atPath: url.path) ?? Data()) }
        environment.add(BuildFingerprint.tool)
        let environmentKey = environment.hex
        progress("Loading \(options.contentRoot.lastPathComponent)")
        let sources = loader.load()
        let keys = parallelMap(sources.count) { PageAnalyzer.contentKey(sources[$0], environment: environmentKey) }
        return Input(config: config, catalog: catalog, environmentKey: environmentKey, sources: sources, contentKeys: keys)
    }

    /// Runs every stage up to linking; `check` stops here.
    public func analyze(_ diagnostics: DiagnosticLog) -> LinkedStudySet {
        analyze(load(diagnostics), cache: BuildCache(), diagnostics: diagnostics)
    }

    /// Files whose key is in `cache` are not parsed: their pages are made from the cached
    /// facts, and parsed again only if a renderer needs their tree.
    func analyze(_ input: Input, cache: BuildCache, diagnostics: DiagnosticLog) -> LinkedStudySet {
        let sources = input.sources
        let analyzer = PageAnalyzer(config: input.config, catalog: input.catalog, matcher: MentionMatcher(services: input.catalog.services))
        let fresh = sources.indices.filter { cache.pages[sources[$0].source.relativePath]?.contentKey != input.contentKeys[$0] }
        progress("Parsing \(fresh.count) of \(sources.count) files")
        // cmark-gfm parses on one thread, file after file; every core classifies and links
        // the files it has parsed.
        let analyzed = pipelinedMap(fresh.count, first: { ParsedDocument.markdown(of: sources[fresh[$0]]) }) { index, tree in
            analyzer.analyze(sources[fresh[index]], contentKey: input.contentKeys[fresh[index]], diagnostics: diagnostics, tree: tree)
        }
        var freshPages = Dictionary(uniqueKeysWithValues: zip(fresh, analyzed))
        let pages = sources.indices.compactMap { index -> Page? in
            if let page = freshPages.removeValue(forKey: index) { return page }
            let file = sources[index]
            let page = cache.pages[file.source.relativePath]!.page(source: file.source) { page in
                // The same text gave a page before, so it gives the same page again.
                let content = analyzer.analyze(file, contentKey: page.contentKey, diagnostics: DiagnosticLog())!.loadedContent!
                Linker.point(content, of: page)
                return content
            }
            for diagnostic in page.ownDiagnostics { diagnostics.report(diagnostic) }
            return page
        }
        progress("Linking")
        let studySet = Classifier(config: input.config, catalog: input.catalog, matcher: analyzer.matcher, diagnostics: diagnostics).studySet(pages)
        var set = Linker(matcher: analyzer.matcher, diagnostics: diagnostics).link(studySet, previousTargetsKey: cache.targetsKey)
        set.environmentKey = input.environmentKey
        return set
    }

    /// The renderers for the outputs `syllabus.yml` enables.
    public func renderers(for config: SiteConfig) async throws -> [any Renderer] {
        let templates = try await TemplateSet.load(from: options.templatesRoot)
        return try config.outputs.map { kind -> any Renderer in
            switch kind {
            case .site: return try SiteRenderer(templates: templates)
            case .anki: return AnkiRenderer()
            case .epub: return EpubRenderer()
            case .cheatsheets: return try CheatSheetRenderer(templates: templates)
            }
        }
    }

    /// Builds every enabled output. With any error in the input, nothing is written.
    public func build() async throws -> BuildReport {
        let start = Date()
        let diagnostics = DiagnosticLog()
        let input = load(diagnostics)
        let fingerprint = BuildFingerprint(input, templatesRoot: options.templatesRoot)
        let writer = OutputWriter(outputRoot: options.outputRoot)
        if let last = BuildFingerprint.recorded(in: options.outputRoot), last.fingerprint == fingerprint,
           writer.ownedFolders().allSatisfy({ FileManager.default.fileExists(atPath: options.outputRoot.appendingPathComponent($0).path) }) {
            var report = BuildReport(diagnostics: [], pages: last.pages, services: last.services, cards: last.cards)
            report.upToDate = true
            report.seconds = Date().timeIntervalSince(start)
            return report
        }
        progress("Reading the build cache")
        let previous = BuildCache.load(from: options.outputRoot, environmentKey: input.environmentKey)
        let set = analyze(input, cache: previous, diagnostics: diagnostics)
        var report = BuildReport(diagnostics: [])
        report.pages = set.pages.count
        report.services = set.studySet.servicesInUse.count
        report.cards = set.studySet.cards.count
        if !diagnostics.hasErrors {
            let renderers = try await renderers(for: set.config)
            let staging = try writer.begin(folders: renderers.map(\.folder), previous: previous.outputs)
            // Each renderer's files are staged as soon as it is done, so only one output is in
            // memory at a time; nothing goes live unless every renderer succeeded.
            for renderer in renderers {
                progress("Rendering \(renderer.folder)")
                try renderer.render(set, diagnostics: diagnostics, into: staging)
            }
            if !diagnostics.hasErrors {
                progress("Replacing the output folders")
                BuildFingerprint.forget(in: options.outputRoot)
                report.written = try staging.commit()
                try BuildCache(environmentKey: input.environmentKey, targetsKey: set.targetsKey, pages: set.pages,
                               previous: previous, outputs: staging.stamps).save(in: options.outputRoot)
                try fingerprint.record(in: options.outputRoot, pages: report.pages, services: report.services, cards: report.cards)
            }
        }
        report.diagnostics = diagnostics.all
        if options.keepsModelUntilExit { ModelsKeptUntilExit.keep([set, previous, input]) }
        progress("Done")
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}

/// See `BuildOptions.keepsModelUntilExit`.
private enum ModelsKeptUntilExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var models: [Any] = []

    static func keep(_ values: [Any]) { lock.withLock { models += values } }
}
