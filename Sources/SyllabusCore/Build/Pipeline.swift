import Foundation

/// Where a build reads from and writes to.
public struct BuildOptions: Sendable {
    /// The content folder: the notes, `services.yml` and, if any, `exam.yml`.
    public var contentRoot: URL
    /// The theme folder with the Mustache templates (`Templates/` or `--templates`).
    public var templatesRoot: URL
    /// The folder the outputs' folders (`site/`, `anki/`…) and the build cache go in.
    public var outputRoot: URL
    /// `syllabus.yml`; when it is missing, defaults apply unless `configRequired`.
    public var configFile: URL
    /// Leaves the study set (and the cache and notes it was made from) in memory when the
    /// build returns. The command line sets it: the process exits right after, and freeing a
    /// large set's trees and strings one by one is a noticeable part of its build (compilers
    /// skip it for the same reason; Benchmarks/README.md has the figure).
    public var keepsModelUntilExit = false
    /// Months after which content counts as stale (`check --stale`); overrides `stale_months`.
    public var staleMonths: Int?
    /// The day the stale check counts from; nil is today (UTC).
    var today: CheckedDate?
    /// Every warning is an error, as with `strict: true` in the configuration.
    public var strict = false
    /// Prints the cheat sheets whose PDF is missing or out of date (`build --pdf`); without
    /// it, PDFs of unchanged sheets are kept and the others left out.
    public var pdfPrinter: PDFPrinter?
    /// Makes a missing `configFile` an error; otherwise (the default path) it means defaults.
    public var configRequired = false
    /// Gives the memory freed so far back to the system before each output after the first
    /// is made, and before the site makes its largest files (see `FreedMemory`): a full
    /// build's memory peaks there; such a build also has malloc map its large blocks again
    /// before rendering (`FreedMemory.mapLargeBlocks`: the command line keeps them in the
    /// heaps for a rebuild that makes few files). The command line sets it; a process that
    /// builds again and again gives it back after builds instead.
    public var givesBackFreedMemory = false

    /// Options with every flag at its default; nothing is read until the build runs.
    public init(contentRoot: URL, templatesRoot: URL, outputRoot: URL, configFile: URL) {
        self.contentRoot = contentRoot
        self.templatesRoot = templatesRoot
        self.outputRoot = outputRoot
        self.configFile = configFile
    }
}

/// What a build did, for the one-line summary.
public struct BuildReport: Sendable {
    /// Everything reported, errors and warnings, in the order reported.
    public var diagnostics: [Diagnostic]
    /// Notes in the study set as the home page counts them: not card files, a service's
    /// landing text (`index.md`) or exam files.
    public var pages = 0
    /// Services with notes, counted as the home page shows them.
    public var services = 0
    /// Cards over all notes.
    public var cards = 0
    /// What the output writer did; nil when nothing was written (an error, or up to date).
    public var written: OutputWriter.Summary?
    /// Notes the load stage read; the others the build cache knew unchanged by their stamps.
    public var notesRead = 0
    /// The content folder's files the build took (notes, card files, question banks).
    public var filesFound = 0
    /// Notes made from the build cache whose trees were parsed again, before rendering,
    /// because an output makes again a file that shows them (see `Renderer.prepare`).
    var notesReparsed = 0
    /// True when the classify and link stages took the set a session kept from the last build,
    /// with the changed notes put in (see `Pipeline.analyze`), instead of going over every note.
    var keptSetReused = false
    /// True when, without such a set, they took what the build cache kept of the last build's
    /// analysis (`SetAnalysis`) instead of checking and ranking every note again.
    var cachedAnalysisReused = false
    /// True when nothing the build reads had changed since the last one, so it did nothing.
    public var upToDate = false
    /// The output folders a build with a session left for a later build (see
    /// `Pipeline.build(session:pagesLive:)`): they still hold what an earlier build made.
    public var postponed: [String] = []
    /// Wall-clock seconds the build took.
    public var seconds = 0.0
    /// What the user may not expect and is no problem of the input (so no diagnostic): the
    /// study set has no cards, so the build made no Anki deck of cards (see `noCardsNote`).
    public var notes: [String] = []

    /// " (3 files changed)" for a build that read only some of the files, which the summary
    /// line puts after the counts, so that a rebuild does not read as a full build; "" for a
    /// build that read them all.
    public var changedFiles: String {
        notesRead < filesFound ? " (\(counted(notesRead, "file")) changed)" : ""
    }

    /// True when any diagnostic is an error (with `strict`, warnings are reported as errors).
    public var failed: Bool { diagnostics.contains { $0.severity == .error } }
}

/// Load → parse → classify → link → render → write. Each stage is its own type; this type
/// only runs them in order and carries the diagnostics between them.
public struct Pipeline {
    /// Where the build reads and writes, and its flags.
    let options: BuildOptions
    /// Told the name of each stage as it starts, for a progress line on a terminal.
    var progress: @Sendable (String) -> Void
    /// Told what the user should know even in a log: that the build waits for another one.
    var notice: @Sendable (String) -> Void

    /// A pipeline for `options`; `progress` and `notice` default to saying nothing.
    public init(options: BuildOptions, progress: @escaping @Sendable (String) -> Void = { _ in },
                notice: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
        self.notice = notice
    }

    /// What a build reads before parsing: configuration, catalog and every note (its text,
    /// unless the build cache knows it unchanged), with the keys the cache and the
    /// fingerprint are made of.
    struct Input {
        var config: ProjectConfig
        var catalog: ServiceCatalog
        /// `exam.yml`, when the content folder has one.
        var exam: ExamConfig?
        /// Hash of the configuration, the catalog and the tool.
        var environmentKey: String
        var files: [FoundFile]
        var contentKeys: [String]
        var loader: ContentLoader
        /// The files beside the notes, looked up once per build.
        var localFiles: LocalFiles
        /// What the files the previous build's notes show or link to hold now (see
        /// `LocalFiles.key`): a changed picture makes the build not up to date.
        var localFilesKey = ""
        /// Finds the services notes mention; made from the catalog.
        var matcher: MentionMatcher
        /// What a session kept of the analysis of the build that saved the cache this build
        /// starts from (see `BuildSession`); nil without a session.
        var kept: KeptAnalysis?
    }

    /// `cache` is asked for the previous build's cache (and what a session kept of that build's
    /// analysis) once the environment key is known (the loader names the notes' files as
    /// diagnostics print them); the cache's index is all this reads of it (see
    /// `BuildCache.readRecords`).
    func load(_ diagnostics: DiagnosticLog,
              cache: (String, ContentLoader) -> (BuildCache, KeptAnalysis?) = { _, _ in (BuildCache(), nil) }) -> (Input, BuildCache) {
        let config = ProjectConfig.load(from: options.configFile, required: options.configRequired, diagnostics: diagnostics)
        diagnostics.strict = config.strict || options.strict
        let catalogURL = options.contentRoot.appendingPathComponent("services.yml")
        let loader = ContentLoader(contentRoot: options.contentRoot, diagnostics: diagnostics)
        let catalog = ServiceCatalog.load(from: catalogURL, displayPath: loader.displayPath("services.yml"), diagnostics: diagnostics)
        let examURL = options.contentRoot.appendingPathComponent(ExamConfig.fileName)
        let exam = ExamConfig.load(from: examURL, displayPath: loader.displayPath(ExamConfig.fileName), diagnostics: diagnostics)
        var environment = CacheKeyHasher()
        for url in [options.configFile, catalogURL, examURL] { environment.add(FileManager.default.contents(atPath: url.path) ?? Data()) }
        environment.add(BuildFingerprint.tool)
        let environmentKey = environment.hex
        // The content folder is walked and its notes' stamps taken beside reading the cache's
        // index, which the stamps are then checked against.
        let found = Background { loader.stampedPaths() }
        let (previous, kept) = cache(environmentKey, loader)
        progress("Loading \(options.contentRoot.lastPathComponent)")
        // The walk throws nothing: `try!` cannot stop here.
        let files = loader.find(try! found.value(), skipping: previous.knows)
        let keys = parallelMap(files.count) { index in
            files[index].loaded.map { NoteAnalyzer.contentKey($0, environment: environmentKey) }
                ?? previous.entries[files[index].source.relativePath]!.contentKey
        }
        let localFiles = LocalFiles(contentRoot: options.contentRoot)
        return (Input(config: config, catalog: catalog, exam: exam, environmentKey: environmentKey, files: files, contentKeys: keys, loader: loader,
                      localFiles: localFiles, localFilesKey: Self.key(of: previous.entries.values.flatMap(\.localFiles), in: localFiles),
                      matcher: kept?.matcher ?? MentionMatcher(services: catalog.services), kept: kept),
                previous)
    }

    /// `Input.localFilesKey` of the files at `paths`.
    private static func key(of paths: [String], in files: LocalFiles) -> String {
        paths.isEmpty ? "" : files.key(of: paths)
    }

    /// `input` with the notes the load stage took as the cache knew them read now, as a build
    /// without a cache reads them (one it cannot read is left out, with its diagnostic), and
    /// every content key made from the text read.
    private func readingEveryNote(_ input: Input) -> Input {
        var input = input
        let files = parallelMap(input.files.count) { index -> FoundFile? in
            let file = input.files[index]
            guard file.loaded == nil else { return file }
            return input.loader.read(file.source.relativePath).map { FoundFile(source: file.source, stamp: file.stamp, loaded: $0) }
        }
        input.files = files.compactMap { $0 }
        input.contentKeys = parallelMap(input.files.count) { NoteAnalyzer.contentKey(input.files[$0].loaded!, environment: input.environmentKey) }
        return input
    }

    /// Runs every stage up to linking; `check` stops here.
    public func analyze(_ diagnostics: DiagnosticLog) -> LinkedStudySet {
        analyze(load(diagnostics).0, cache: BuildCache(), diagnostics: diagnostics)
    }

    /// Files whose key is in `cache` are not parsed: their notes are made from the cached
    /// facts, without a tree (see `parseCached`). The set holds the trees of the others.
    ///
    /// With what a session kept of the build that saved `cache` (`Input.kept`), an unchanged
    /// note is the kept page itself, and when every changed note shares its set facts with its
    /// kept version (`NoteFacts.sharesSetFacts(with:)`) and none came or went, the classify and
    /// link stages take the kept set's lists, checks, term index and service graph, and resolve
    /// the links of the changed notes alone (all of them when a note's place changed: see
    /// `Linker.link`). The result is the set a build without a session makes.
    ///
    /// Without such a set, when every changed note shares its set facts with its record in
    /// `cache` and the notes are those of the build that saved it, in the same order, the
    /// checks across all notes, the service graph and the keys made from set facts alone are
    /// taken from the analysis that build kept in the cache (`SetAnalysis`).
    func analyze(_ input: Input, cache: BuildCache, diagnostics: DiagnosticLog) -> LinkedStudySet {
        let files = input.files
        let kept = input.kept
        let analyzer = NoteAnalyzer(config: input.config, catalog: input.catalog, matcher: input.matcher)
        // A file the load stage did not read has its cached key, so it is never fresh.
        let fresh = files.indices.filter { index in
            let path = files[index].source.relativePath
            let known = kept == nil ? cache.pages[path]?.facts.contentKey : kept?.pages[path]?.contentKey
            return known != input.contentKeys[index]
        }
        progress("Parsing \(fresh.count) of \(files.count) files")
        // Every core parses and analyses files (with another cmark-gfm than the one
        // `MarkdownParser.parsesConcurrently` names, one parse at a time).
        let analyzed = parallelMap(fresh.count) { index in
            analyzer.analyze(files[fresh[index]].loaded!, contentKey: input.contentKeys[fresh[index]], diagnostics: diagnostics)
        }
        var freshNotes = Dictionary(uniqueKeysWithValues: zip(fresh, analyzed))
        var parsed: [String: PageContent] = [:]
        var cachedLinks: [String: NoteLinks] = [:]
        // Kept pages replaced by a version that shares their set facts, and whether every page
        // is a kept page or such a version.
        var replacements: [ObjectIdentifier: Page] = [:]
        var sameSetFacts = kept != nil
        // Without a kept set: whether every changed note shares its set facts with its record.
        var sameAsCached = kept == nil && cache.analysis != nil
        var notKept: [String] = []
        let pages = files.indices.compactMap { index -> Page? in
            let file = files[index]
            let old = kept?.pages[file.source.relativePath]
            if let note = freshNotes.removeValue(forKey: index) {
                guard let note else { return nil }
                parsed[note.facts.id] = note.content
                let page = Page(facts: note.facts, source: file.source)
                if sameAsCached, cache.pages[file.source.relativePath].map({ note.facts.sharesSetFacts(with: $0.facts) }) != true {
                    sameAsCached = false
                }
                if let old, old.source.displayPath == file.source.displayPath, note.facts.sharesSetFacts(with: old.facts) {
                    replacements[ObjectIdentifier(old)] = page
                } else {
                    sameSetFacts = false
                }
                notKept.append(page.id)
                return page
            }
            if let old, old.contentKey == input.contentKeys[index], old.source.displayPath == file.source.displayPath {
                for diagnostic in old.diagnostics { diagnostics.report(diagnostic) }
                return old
            }
            let record = cache.pages[file.source.relativePath]!
            for diagnostic in record.facts.diagnostics { diagnostics.report(diagnostic) }
            cachedLinks[record.facts.id] = record.links
            sameSetFacts = false
            notKept.append(record.facts.id)
            // The index's list of the files beside it, written with the record.
            return Page(facts: record.facts, source: file.source, localFilePaths: cache.entries[file.source.relativePath]?.localFiles)
        }
        if let kept {
            // A kept page's links are the kept set's, made from the same facts.
            var links = kept.set.links
            for id in notKept { links[id] = cachedLinks[id] }
            cachedLinks = links
        }
        // Every kept page is here once more (none went): the kept set's order is this one.
        let reusing = sameSetFacts && pages.count == kept?.set.studySet.allPages.count ? kept?.set : nil
        progress("Classifying")
        let classifier = Classifier(config: input.config, catalog: input.catalog, matcher: analyzer.matcher, diagnostics: diagnostics)
        var analysis = sameAsCached ? cache.analysis : nil
        let studySet = reusing.map { classifier.studySet(replacing: replacements, in: $0.studySet) }
            ?? classifier.studySet(pages, exam: input.exam) { set in
                // Same set facts in the same notes: the checks find what they found then, nothing.
                if analysis?.describes(set) != true { analysis = nil }
                return analysis != nil
            }
        progress("Linking")
        var set = Linker(diagnostics: diagnostics, files: input.localFiles).link(studySet, cached: cachedLinks, previousTargetsKey: cache.targetsKey,
                                                                                reusing: reusing, analysis: analysis)
        set.reusedKeptSet = reusing != nil
        set.reusedCachedAnalysis = analysis != nil
        // Random, not a hash of every note's set facts: only equal sets may share a name, and a
        // build that goes over every note has no earlier name to check its facts against.
        set.setFactsKey = reusing?.setFactsKey ?? analysis?.setFactsKey ?? UUID().uuidString
        set.trees = LinkedTrees.none.adding(binding: parsed, to: set.links)
        set.environmentKey = input.environmentKey
        // Depends on the day, so never kept with a page's own diagnostics in the cache.
        if let months = options.staleMonths ?? input.config.staleMonths {
            StaleCheck(months: months, today: options.today ?? CheckedDate(Date())).report(set.pages, diagnostics: diagnostics)
        }
        set.sourceModified = Dictionary(uniqueKeysWithValues: files.map { ($0.source.relativePath, Int64($0.stamp.modified / 1_000_000_000)) })
        return set
    }

    /// A study set without cards gets no Anki deck of cards (only the exam's deck when there
    /// are questions, and `removed.txt` when there are decks or notes to delete in Anki; see
    /// `AnkiRenderer.makesFiles`) and cheat sheets only for notes with key numbers
    /// (none at all: no `cheatsheets` folder, see `Renderer.makesFiles`). A set of notes
    /// alone is valid input, so this is a note beside the build's summary, not a warning
    /// (which `--strict` would make an error); none when there are cards or neither output.
    static func noCardsNote(_ config: ProjectConfig, cards: Int, writer: OutputWriter) -> [String] {
        guard cards == 0, config.outputs.contains(.anki) || config.outputs.contains(.cheatsheets) else { return [] }
        var missing: [String] = []
        if config.outputs.contains(.anki) { missing.append("no Anki deck of cards") }
        if config.outputs.contains(.cheatsheets), !writer.ownedFolders().contains("cheatsheets") { missing.append("no cheat sheets") }
        let made = missing.isEmpty ? "cheat sheets of key numbers only" : missing.joined(separator: " and ")
        return ["the study set has no cards, so the build made \(made); a card is a '##' heading in a *.cards.md file"]
    }

    /// Parse stage, for the notes made from the build cache whose trees a renderer named
    /// (`Renderer.prepare`, among `ids`): each file is read and parsed again as a changed file
    /// is, and its tree bound to its links, before any renderer runs. The same bytes give the
    /// same tree; a file whose bytes no longer give its cached content key changed while the
    /// build ran, which is an error at the file (nothing is written).
    /// - Returns: how many notes it parsed.
    func parseCached(_ ids: Set<String>, into set: inout LinkedStudySet, input: Input, diagnostics: DiagnosticLog) -> Int {
        let trees = set.trees
        let pages = (set.pages + set.studySet.examPages).filter { ids.contains($0.id) && !trees.contains($0.id) }
        guard !pages.isEmpty else { return 0 }
        progress("Reparsing \(pages.count) cached notes")
        let analyzer = NoteAnalyzer(config: input.config, catalog: input.catalog, matcher: input.matcher)
        let files = parallelMap(pages.count) { index -> LoadedFile? in
            guard let file = input.loader.read(pages[index].id),
                  NoteAnalyzer.contentKey(file, environment: input.environmentKey) == pages[index].contentKey else { return nil }
            return file
        }
        // As in `analyze`: every core parses and analyses.
        let contents = parallelMap(pages.count) { index -> PageContent? in
            guard let file = files[index] else { return nil }
            return analyzer.analyze(file, contentKey: pages[index].contentKey, diagnostics: DiagnosticLog())?.content
        }
        var parsed: [String: PageContent] = [:]
        for (page, content) in zip(pages, contents) {
            guard let content else {
                diagnostics.error("file changed while the build ran; build again", at: page.source.location())
                continue
            }
            parsed[page.id] = content
        }
        set.trees = trees.adding(binding: parsed, to: set.links)
        return pages.count
    }

    /// Asks `renderers` to take back from the previous build what did not change and to name
    /// the trees they will read (`Renderer.prepare`), and parses those of notes made from the
    /// cache (`parseCached`), so no renderer parses anything. Returns how many it parsed.
    /// The renderers' `prepare`s run side by side: each keys its own files and reads its own
    /// state, and most of a one-note rebuild's keying runs on one core (the book's chapter
    /// layout, the Anki notes' keys), so one after another they left the other core idle.
    private func prepare(_ renderers: [any Renderer], set: inout LinkedStudySet, output: OutputSink, input: Input,
                         diagnostics: DiagnosticLog) -> Int {
        // Timed apart from linking: keying every output file is a large part of a small rebuild.
        progress("Preparing \(renderers.map(\.folder).joined(separator: ", "))")
        let prepared = set
        let needed = Self.sideBySide(renderers.count) { renderers[$0].prepare(prepared, output: output) }
        return parseCached(needed.reduce(into: Set<String>()) { $0.formUnion($1) }, into: &set, input: input, diagnostics: diagnostics)
    }

    /// `renderers` in the order a build without a session makes them: those that hold much of
    /// what their `prepare` handed over (`Renderer.holdsHandOver`, the book's layout and keys,
    /// about 12 MB for the 2,000-note benchmark corpus) first, then the others in their order.
    /// Each renderer's `prepare` runs before any renders, so made first, the book lets go of
    /// them before the site makes its last files (the search index, the term index, the exam
    /// and practice pages), the largest memory of any step, which with the book after it held
    /// them too: the build's peak was 12 to 20 MiB higher (Benchmarks/README.md). The outputs
    /// are the same bytes in either order.
    static func inMemoryOrder(_ renderers: [any Renderer]) -> [any Renderer] {
        renderers.filter(\.holdsHandOver) + renderers.filter { !$0.holdsHandOver }
    }

    /// True when the renderers read the trees of at most one note in `lightShare` (those
    /// parsed by this build and those their `prepare` named, see `LinkedTrees`) of a set of
    /// at least `lightShare` notes: a rebuild that makes few files, each renderer's taking
    /// little memory and, on its own, leaving cores idle (a one-note edit's book is mostly
    /// copying the previous book, its site mostly the search index, on one core).
    static func makesFewFiles(_ set: LinkedStudySet) -> Bool {
        let trees = set.trees
        let parsed = set.pages.lazy.filter { trees.contains($0.id) }.count
        return set.pages.count >= lightShare && parsed * lightShare <= set.pages.count
    }

    /// See `makesFewFiles`.
    static let lightShare = 20

    /// Renders each of `renderers` on a thread of its own, at once (see `sideBySide`), and
    /// throws the first error in their order.
    static func renderSideBySide(_ renderers: [any Renderer], set: LinkedStudySet, diagnostics: DiagnosticLog,
                                 into output: OutputSink) throws {
        let results = sideBySide(renderers.count) { index in
            Result { try renderers[index].render(set, diagnostics: diagnostics, into: output) }
        }
        for result in results { try result.get() }
    }

    /// `body` of every index in `0..<count`, each on a thread of its own (index 0 on the
    /// caller's), at once, in index order. Plain threads, not `parallelMap`: a `parallelMap`
    /// inside another runs on its caller's thread alone, and each renderer spreads its own work
    /// on all cores.
    static func sideBySide<T>(_ count: Int, _ body: @escaping (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        // Each thread writes only its own slot; they are read after `wait`.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deinitialize().deallocate() }
        let done = DispatchGroup()
        for index in 1..<count {
            done.enter()
            Thread {
                results[index] = body(index)
                done.leave()
            }.start()
        }
        results[0] = body(0)
        done.wait()
        return results.map { $0! }
    }

    /// The renderers for the outputs `syllabus.yml` enables, in its order (see `OutputKind.all`),
    /// with `theme` (the templates folder, loaded). With a `session`, they keep what they made
    /// for its next builds (see `KeptHTML`).
    /// - Throws: `TemplateSet.Failure` when the theme lacks a template a renderer needs.
    func renderers(for config: ProjectConfig, theme: TemplateSet, session: BuildSession? = nil) throws -> [any Renderer] {
        let context = RendererContext(templates: theme, pdfPrinter: options.pdfPrinter,
                                      keptHTML: { session?.keptHTML(for: $0) }, givesBackFreedMemory: options.givesBackFreedMemory)
        return try config.outputs.map { try $0.makeRenderer(context) }
    }

    /// Builds every enabled output. With any error in the input, nothing is written.
    /// - Throws: `OutputFolder.Refusal` for an output folder that must not be written (before
    ///   anything is), I/O and template failures.
    public func build() async throws -> BuildReport {
        try await build(session: nil)
    }

    /// Builds every enabled output, as `build()` does, for a process that builds again and
    /// again: `session` keeps what the next build needs (see `BuildSession`), and the outputs
    /// of its `firstFolders` are built and swapped in before the others. Then `pagesLive` is
    /// called with the report so far (the diagnostics of the analysis and of those outputs),
    /// before the others are made and before the build cache and fingerprint are saved; when
    /// it returns false the others are left as the last build that
    /// made them left them (each still whole: a folder is only ever swapped in complete), and a
    /// later build makes them. `abandons` is asked before each of the others and at its
    /// renderer's safe points (`OutputSink.checkpoint`) while it is made: once it returns true,
    /// that output's staged files are discarded and it and the ones after it are left for a
    /// later build in the same way, so a new change need not wait for them (once true, it
    /// must stay true for the rest of the build). With any error in
    /// the input or in the first outputs, nothing is written; an error in a later output
    /// leaves that output and the ones after it as they were. Until every output is made from
    /// the same input the build is not recorded as up to date, so the next build (this
    /// process's or another's) makes the missing ones.
    ///
    /// When `abandons` holds at the end, the build cache is kept in `session` only, not
    /// saved: the build `abandons` announces follows at once and saves it. The files on disk
    /// stay those of an earlier build, which a later build reads correctly (a note changed
    /// since has another stamp and is read again; an output file made since has another size
    /// or time than the cache recorded and is made again).
    ///
    /// A part of a cache record that does not decode although its checksum matched (see
    /// `Deferred`) has been read as empty: before anything goes live, and at the end, such a
    /// build gives up what it made and builds again without the cache, as a first build does.
    /// - Throws: as `build()`.
    public func build(session: BuildSession?, pagesLive: (BuildReport) async -> Bool = { _ in true },
                      abandons: @escaping @Sendable () -> Bool = { false }) async throws -> BuildReport {
        do {
            return try await build(session: session, readsCache: true, pagesLive: pagesLive, abandons: abandons)
        } catch is UndecodableCacheRecord {
            notice("the build cache holds a record that does not decode; building everything again")
            return try await build(session: session, readsCache: false, pagesLive: pagesLive, abandons: abandons)
        }
    }

    /// `build(session:pagesLive:abandons:)`, with the build cache (the session's or the output
    /// folder's) when `readsCache`, else as a first build.
    /// - Throws: as `build()`; `UndecodableCacheRecord` when a cache record read as empty.
    private func build(session: BuildSession?, readsCache: Bool, pagesLive: (BuildReport) async -> Bool,
                       abandons: @escaping @Sendable () -> Bool) async throws -> BuildReport {
        let start = Date()
        let undecodable = UndecodableRecords.seen
        let checkRecords = { if UndecodableRecords.seen != undecodable { throw UndecodableCacheRecord() } }
        try OutputFolder.check(options.outputRoot, content: options.contentRoot, templates: options.templatesRoot)
        try FileManager.default.createDirectory(at: options.outputRoot, withIntermediateDirectories: true)
        // Held until the build returns: a second build into the same folder waits for it.
        let lock = try OutputLock(options.outputRoot) { holder in
            notice("waiting for the build \(holder.map { "by process \($0) " } ?? "")that is writing \(options.outputRoot.path)")
        }
        defer { withExtendedLifetime(lock) {} }
        OutputFolder.removeLeftovers(in: options.outputRoot)
        let diagnostics = DiagnosticLog()
        let startedAt = Int(start.timeIntervalSince1970 * 1_000_000_000)
        var (input, previous) = load(diagnostics) { environmentKey, _ in
            guard readsCache else { return (BuildCache(), nil) }
            if let kept = session?.cache(environmentKey: environmentKey, outputRoot: options.outputRoot) { return kept }
            progress("Reading the build cache")
            return (BuildCache.load(from: options.outputRoot, environmentKey: environmentKey), nil)
        }
        let fingerprint = BuildFingerprint(input, templatesRoot: options.templatesRoot, strict: options.strict,
                                           printsPDFs: options.pdfPrinter != nil)
        let writer = OutputWriter(outputRoot: options.outputRoot)
        if let last = BuildFingerprint.recorded(in: options.outputRoot, loader: input.loader), last.fingerprint == fingerprint,
           writer.ownedFolders().allSatisfy({ FileManager.default.fileExists(atPath: options.outputRoot.appendingPathComponent($0).path) }) {
            // The skipped build's warnings: its inputs were the same, so they still hold.
            for diagnostic in last.diagnostics { diagnostics.report(diagnostic) }
            var report = BuildReport(diagnostics: diagnostics.all, pages: last.pages, services: last.services, cards: last.cards)
            report.upToDate = true
            report.notes = Self.noCardsNote(input.config, cards: report.cards, writer: writer)
            report.seconds = Date().timeIntervalSince(start)
            return report
        }
        if previous.hasUnreadRecords { progress("Reading the cache records") }
        // A session keeps the records for its later builds: read, not mapped (see `StoredBytes`).
        if !previous.readRecords(in: options.outputRoot, mapping: session == nil, displayPath: input.loader.displayPath) {
            // Unreadable: as without a cache, every note is read, and nothing taken from the index.
            input = readingEveryNote(input)
        }
        // The theme is read and parsed beside the analysis, whose classify and link stages run
        // on one core: a rebuild's other core idled there while the theme waited for them.
        async let theme = TemplateSet.load(from: options.templatesRoot)
        var set = analyze(input, cache: previous, diagnostics: diagnostics)
        // Recorded with the files beside the notes that this build's notes use, which the next
        // build's check reads from the cache's index (this build's check had the last build's):
        // a build after one that added a picture to a note is up to date too.
        input.localFilesKey = Self.key(of: set.studySet.allPages.flatMap(\.localFilePaths), in: input.localFiles)
        let recorded = BuildFingerprint(input, templatesRoot: options.templatesRoot, strict: options.strict,
                                        printsPDFs: options.pdfPrinter != nil)
        let notesRead = input.files.filter { $0.loaded != nil }.count
        // Parsed notes' texts are not needed again (their trees are kept): dropped before
        // rendering, where the build's memory peaks. A cached note a renderer needs is read again.
        input.files = input.files.map { FoundFile(source: $0.source, stamp: $0.stamp, loaded: nil) }
        // The build cache of this build's set, with the stamps of its output files.
        let cache = { [input, previous, startedAt] (set: LinkedStudySet, outputs: [String: BuildCache.OutputStamp]) in
            BuildCache(environmentKey: input.environmentKey, targetsKey: set.targetsKey, startedAt: startedAt, files: input.files,
                       set: set, previous: previous, kept: input.kept, outputs: outputs)
        }
        // A rebuild that makes few files, without a session, makes its build cache from what
        // the analysis found beside the renderers (which prepare and render on one core for
        // most of its time), stores its records and encodes the index's pages there
        // (`BuildCache.savingRecords`), not after them, where the swap waited for it; only the
        // output files' stamps, known once the renderers are done, are added at the end. The
        // renderers change only the set's trees (`parseCached`), which the cache does not
        // hold. Any other build makes its cache at the end, when the renderers' memory is free
        // again (made beside them, a full build's peak was up to 6 MiB higher).
        let cacheBeforeOutputs = session == nil && !diagnostics.hasErrors && Self.makesFewFiles(set) ? Background { [set, options] in
            let made = cache(set, [:])
            return (cache: made, records: try made.savingRecords(in: options.outputRoot))
        } : nil
        // Done before the build returns, as it fails too: it writes in the output folder, which
        // the next build may then lock.
        defer { cacheBeforeOutputs?.wait() }
        var report = BuildReport(diagnostics: [])
        // As the home page counts notes, so the two numbers agree.
        report.pages = set.studySet.noteCount
        // The General group is not a service: the summary counts as the home page does.
        report.services = set.studySet.serviceCount
        report.cards = set.studySet.cards.count
        report.notesRead = notesRead
        report.filesFound = input.files.count
        report.keptSetReused = set.reusedKeptSet
        report.cachedAnalysisReused = set.reusedCachedAnalysis
        if !diagnostics.hasErrors {
            // An output with nothing to hold (cheat sheets without cards) is left out; every
            // renderer is told which are made (`OutputSink.outputs`).
            let made = zip(set.config.outputs, try renderers(for: set.config, theme: try await theme, session: session))
                .filter { $0.1.makesFiles(for: set, state: writer.state) }
            let renderers = made.map(\.1), madeOutputs = Set(made.map(\.0))
            // Without a session every output is in the first (and only) step.
            let (first, rest) = session?.phases(of: renderers) ?? (Self.inMemoryOrder(renderers), [])
            let staging = try writer.begin(folders: first.map(\.folder), previous: previous.outputs, outputs: madeOutputs)
            report.notesReparsed = prepare(first, set: &set, output: staging, input: input, diagnostics: diagnostics)
            // Each renderer's files are staged as soon as it is done, so only one large output
            // is in memory at a time (the small ones are made side by side, after the others);
            // nothing goes live unless every renderer succeeded.
            let prepared = !diagnostics.hasErrors
            // A rebuild that makes few files holds little of any output in memory: its
            // renderers all go side by side, as the small ones always do.
            let light = Self.makesFewFiles(set)
            // Any other build maps its large blocks again before the renderers, where its memory
            // peaks (see `FreedMemory.keepLargeBlocks`, which the command line sets).
            if !light && options.givesBackFreedMemory { FreedMemory.mapLargeBlocks() }
            let alone = light ? [] : first.filter { !$0.rendersBeside }, beside = light ? first : first.filter(\.rendersBeside)
            // A process that exits after a rebuild that makes few files does not free what the
            // renderers' prepares handed over (the book's layout and parts, the site's keys:
            // about 2 ms of CPU of a one-note rebuild of the benchmark corpus, on the renderers'
            // threads); a large build frees it as each renderer ends, where its memory peaks.
            staging.keepsTaken = light && options.keepsModelUntilExit
            for (index, renderer) in alone.enumerated() where prepared {
                // What the outputs before it freed is given back before the next allocates its own.
                if index > 0 && options.givesBackFreedMemory { FreedMemory.giveBack() }
                progress("Rendering \(renderer.folder)")
                try renderer.render(set, diagnostics: diagnostics, into: staging)
            }
            if prepared && !beside.isEmpty {
                if !alone.isEmpty && options.givesBackFreedMemory { FreedMemory.giveBack() }
                progress("Rendering \(beside.map(\.folder).joined(separator: ", "))")
                try Self.renderSideBySide(beside, set: set, diagnostics: diagnostics, into: staging)
            }
            if !diagnostics.hasErrors {
                progress("Replacing the output folders")
                BuildFingerprint.forget(in: options.outputRoot)
                var outputs = staging.stamps
                // Without a session every output is made in this one step, and the stamps of
                // its files are final once the renderers are done: the build cache is made and
                // saved on another core while the staged folders are swapped in (both were this
                // build's last steps, on one core). Saved before the swap it is as sound as
                // after: a file it names that did not go live has another stamp in the live
                // folder, so the next build makes it again, as it does when the cache is older
                // than the files.
                let savedEarly = session == nil ? Background { [set, outputs, options, cacheBeforeOutputs] in
                    if let made = try cacheBeforeOutputs?.value() {
                        var early = made.cache
                        early.outputs = outputs
                        try early.save(in: options.outputRoot, after: made.records)
                    } else {
                        try cache(set, outputs).save(in: options.outputRoot)
                    }
                } : nil
                // Waited for on every way out, a thrown error's too: the output folder's lock
                // goes when the build returns, and the cache would still be being written.
                defer { savedEarly?.wait() }
                try checkRecords()
                var written = try staging.commit()
                if staging.keepsTaken { ModelsKeptUntilExit.keep([staging]) }
                var complete = true
                report.written = written
                report.diagnostics = diagnostics.all
                // Told before the rest: the build's cache and fingerprint are no part of the pages.
                var building = await pagesLive(report)
                for renderer in rest {
                    if building && abandons() { building = false }
                    if building {
                        let staging = try writer.begin(folders: [renderer.folder], previous: previous.outputs, outputs: madeOutputs, abandons: abandons)
                        do {
                            report.notesReparsed += prepare([renderer], set: &set, output: staging, input: input, diagnostics: diagnostics)
                            try staging.checkpoint()
                            if !diagnostics.hasErrors {
                                progress("Rendering \(renderer.folder)")
                                try renderer.render(set, diagnostics: diagnostics, into: staging)
                            }
                            building = !diagnostics.hasErrors
                        } catch is BuildAbandoned {
                            // The staging goes with `staging`, uncommitted.
                            building = false
                        }
                        if building {
                            try checkRecords()
                            progress("Replacing \(renderer.folder)")
                            let summary = try staging.commit()
                            (written.written, written.unchanged) = (written.written + summary.written, written.unchanged + summary.unchanged)
                            outputs.merge(staging.stamps) { _, new in new }
                            continue
                        }
                    }
                    // Left as the last build made it: its files keep the keys they were made from.
                    complete = false
                    if !diagnostics.hasErrors { report.postponed.append(renderer.folder) }
                    outputs.merge(previous.outputs.filter { $0.key.hasPrefix(renderer.folder + "/") }) { old, _ in old }
                }
                report.written = written
                // An output no longer enabled goes, as it would be absent from a fresh build.
                try writer.retire(keeping: renderers.map(\.folder))
                if let savedEarly {
                    _ = try savedEarly.value()
                    // The output files' stamps, as the cache (`cacheBeforeOutputs`, kept below).
                    if options.keepsModelUntilExit { ModelsKeptUntilExit.keep([outputs]) }
                } else if let session {
                    // Only a build with a session has no `savedEarly`: its cache is made here.
                    let cache = cache(set, outputs)
                    if abandons() {
                        session.keep(cache, unsavedIn: options.outputRoot, analysis: KeptAnalysis(set, matcher: input.matcher))
                    } else {
                        session.keep(try cache.saveForSession(in: options.outputRoot), savedIn: options.outputRoot,
                                     analysis: KeptAnalysis(set, matcher: input.matcher))
                    }
                }
                if complete {
                    try recorded.record(in: options.outputRoot, pages: report.pages, services: report.services, cards: report.cards,
                                           diagnostics: diagnostics.all, loader: input.loader)
                }
            }
        }
        // A failed build's diagnostics may come of a record read as empty.
        try checkRecords()
        report.diagnostics = diagnostics.all
        if !report.failed { report.notes = Self.noCardsNote(set.config, cards: report.cards, writer: writer) }
        if options.keepsModelUntilExit { ModelsKeptUntilExit.keep([set, previous, input, cacheBeforeOutputs as Any]) }
        progress("Done")
        report.seconds = Date().timeIntervalSince(start)
        return report
    }
}

/// A build read a part of a cache record as empty (see `UndecodableRecords`).
private struct UndecodableCacheRecord: Error {}

/// See `BuildOptions.keepsModelUntilExit`.
private enum ModelsKeptUntilExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var models: [Any] = []

    static func keep(_ values: [Any]) { lock.withLock { models += values } }
}
