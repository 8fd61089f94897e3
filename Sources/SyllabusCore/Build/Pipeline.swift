import Foundation

/// Where a build reads from and writes to.
public struct BuildOptions: Sendable {
    public var contentRoot: URL
    public var templatesRoot: URL
    public var outputRoot: URL
    public var configFile: URL

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

    /// Runs every stage up to linking; `check` stops here.
    public func analyze(_ diagnostics: DiagnosticLog) -> LinkedStudySet {
        let config = SiteConfig.load(from: options.configFile, diagnostics: diagnostics)
        let catalogURL = options.contentRoot.appendingPathComponent("services.yml")
        let loader = ContentLoader(contentRoot: options.contentRoot, diagnostics: diagnostics)
        let catalog = ServiceCatalog.load(from: catalogURL, displayPath: loader.displayPath("services.yml"), diagnostics: diagnostics)
        progress("Loading \(options.contentRoot.lastPathComponent)")
        let sources = loader.load()
        progress("Parsing \(sources.count) files")
        let documents = parallelMap(sources.count) {
            ParsedDocument.parse(sources[$0], allowRawHTML: config.unsafeHTML, diagnostics: diagnostics)
        }
        let matcher = MentionMatcher(services: catalog.services)
        progress("Classifying")
        let studySet = Classifier(config: config, catalog: catalog, matcher: matcher, diagnostics: diagnostics).classify(documents)
        progress("Linking")
        return Linker(matcher: matcher, diagnostics: diagnostics).link(studySet)
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
        let fingerprint = BuildFingerprint(options: options)
        let writer = OutputWriter(outputRoot: options.outputRoot)
        if let last = BuildFingerprint.recorded(in: options.outputRoot), last.fingerprint == fingerprint,
           writer.ownedFolders().allSatisfy({ FileManager.default.fileExists(atPath: options.outputRoot.appendingPathComponent($0).path) }) {
            var report = BuildReport(diagnostics: [], pages: last.pages, services: last.services, cards: last.cards)
            report.upToDate = true
            report.seconds = Date().timeIntervalSince(start)
            return report
        }
        let diagnostics = DiagnosticLog()
        let set = analyze(diagnostics)
        var report = BuildReport(diagnostics: [])
        report.pages = set.pages.count
        report.services = set.studySet.servicesInUse.count
        report.cards = set.studySet.cards.count
        if !diagnostics.hasErrors {
            let renderers = try await renderers(for: set.config)
            let staging = try writer.begin(folders: renderers.map(\.folder))
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
                try fingerprint.record(in: options.outputRoot, pages: report.pages, services: report.services, cards: report.cards)
            }
        }
        report.diagnostics = diagnostics.all
        progress("Done")
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}
