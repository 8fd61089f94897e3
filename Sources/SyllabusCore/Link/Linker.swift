import Foundation

/// Link stage, the part that needs every note: resolves each note's links to notes, anchors
/// and files beside the notes (`NoteLinks`), and makes the back-links, related services and
/// term index (`LinkedStudySet`). Links that resolve nowhere are reported and become plain
/// text.
///
/// What one note's links and prose say on their own (`NoteLinkFacts`) is gathered per note,
/// before the others are known, by `LinkFactsGatherer` (`Link/Gather/`), and cached with the
/// note's facts.
struct Linker {
    /// Where dead links (errors) and links to missing anchors or files (warnings) are reported.
    let diagnostics: DiagnosticLog
    /// Where links to files beside the notes are looked up; without it every such file counts
    /// as missing.
    let files: LocalFiles?

    init(diagnostics: DiagnosticLog, files: LocalFiles? = nil) {
        self.diagnostics = diagnostics
        self.files = files
    }

    /// Resolves every note's links to notes against all notes (`NoteLinks` by note id).
    ///
    /// Where a link goes depends only on which notes exist, their output paths and their
    /// headings: `targetsKey` hashes exactly that. When it equals `previousTargetsKey`, a note
    /// whose links `cached` holds keeps them (a build with a dead link caches nothing, so none
    /// of them can be dead); `cached` must hold only links made from the note's present facts.
    ///
    /// With `previous`, `studySet` was made from `previous.studySet` by `StudySet.replacing(_:)`:
    /// what depends on the set facts alone (the notes' part of `targetsKey`, the term index,
    /// the service graph) is taken from it instead of being made again. With `analysis`, which
    /// describes `studySet` (`SetAnalysis.describes`), the same is taken from that (the term
    /// index itself is made from `studySet` if a renderer asks for it).
    func link(_ studySet: StudySet, cached: [String: NoteLinks] = [:], previousTargetsKey: String? = nil,
              reusing previous: LinkedStudySet? = nil, analysis: SetAnalysis? = nil) -> LinkedStudySet {
        // Made on another core while the links are resolved and the keys hashed: it goes over
        // every note's mentions, every build (about 7 ms of CPU for 2,000 notes).
        let graph = previous == nil && analysis == nil ? Background { ServiceGraph(of: studySet) } : nil
        let pagesByID = Dictionary(studySet.pages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Exam files link to notes like notes do, but nothing links to them.
        let pages = studySet.allPages
        let filePaths = pages.flatMap(\.localFilePaths)
        // Where a link to a file goes, and the keys of the pages that show it, depend on the
        // file's bytes: a changed picture re-renders exactly the pages that show it.
        let pagesKey = previous?.pagesTargetsKey ?? analysis?.pagesTargetsKey ?? Self.targetsKey(studySet.pages)
        let targetsKey = pagesKey + (filePaths.isEmpty ? "" : " " + (files?.key(of: filePaths) ?? "no files"))
        let unchanged = targetsKey == previousTargetsKey
        let servicesInUse = Set(studySet.servicesInUse.map(\.id))
        let examFiles = Set(studySet.examPages.map(\.id))
        let links = parallelMap(pages.count) { index -> NoteLinks in
            let page = pages[index]
            if unchanged, let cached = cached[page.id] {
                for warning in cached.warnings { diagnostics.report(warning) }
                return cached
            }
            return resolve(page, pages: pagesByID, examFiles: examFiles, servicesInUse: servicesInUse)
        }
        var byID: [String: NoteLinks] = [:]
        byID.reserveCapacity(pages.count)
        for (page, links) in zip(pages, links) where byID[page.id] == nil { byID[page.id] = links }
        // `try!`: making a graph throws nothing.
        var set = previous.map { LinkedStudySet(studySet: studySet, links: byID, reusing: $0) }
            ?? analysis.map { LinkedStudySet(studySet: studySet, links: byID, analysis: $0) }
            ?? LinkedStudySet(studySet: studySet, links: byID, graph: try! graph!.value())
        set.targetsKey = targetsKey
        set.pagesTargetsKey = pagesKey
        set.fileReader = files
        for page in pages {
            for (path, _) in set.fileTargets(of: page) {
                if case let .file(file) = files?.lookup(path) { set.localFiles[path] = file }
            }
        }
        return set
    }

    /// Every note's id, output path and heading ids: all that decides where a link goes.
    static func targetsKey(_ pages: [Page]) -> String {
        var key = CacheKeyHasher()
        for page in pages {
            key.add(page.id)
            key.add(page.outputPath)
            key.add(page.headings.count)
            for heading in page.headings { key.add(heading.id) }
            // Which services have pages decides whether a cross-link to one is a link.
            for service in page.serviceIDs { key.add(service) }
            key.add(page.anchors.count)
            for anchor in page.anchors { key.add(anchor) }
        }
        return key.hex
    }

    // MARK: .md links

    /// Decides where each of the page's references points. A link to a note that does not
    /// exist is an error; one to a missing anchor of an existing note is a warning (published
    /// guides hold many, and a reader cannot fix them) and goes to the note.
    /// A link to a question file (`examFiles`, by id) is an error that says what it is.
    private func resolve(_ page: Page, pages: [String: Page], examFiles: Set<String>, servicesInUse: Set<String>) -> NoteLinks {
        var targets: [LinkTarget] = []
        var resolved: [Bool] = []
        var warnings: [Diagnostic] = []
        for reference in page.linkFacts.references {
            var location: SourceLocation { page.source.location(line: reference.line, column: reference.column) }
            let (path, fragment) = LinkURLs.split(reference.url)
            let decoded = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncoding ?? path : path
            var targetID = path.isEmpty ? page.id : Self.resolve(decoded, from: page.id)
            if reference.isLocalFile {
                guard let note = noteLinked(asPublished: decoded, by: reference, of: page, among: pages) else {
                    let file = resolveFile(reference, of: page, at: location)
                    if let warning = file.warning { warnings.append(warning) }
                    resolved.append(file.target != nil)
                    if let target = file.target { targets.append(target) }
                    continue
                }
                targetID = note
            }
            guard let target = targetID.flatMap({ pages[$0] }) else {
                if let targetID, examFiles.contains(targetID) {
                    diagnostics.error("link to '\(reference.url)': that file is a question bank (an exam file), not a note, and has no page; "
                                      + "its questions are in the site's mock exam (exam/index.html) and the book's, which a note cannot link to: "
                                      + "link to the note that covers them instead", at: location)
                } else {
                    diagnostics.error("link to '\(reference.url)': no such note" + Self.suggestion(for: targetID, from: page.id, among: pages), at: location)
                }
                resolved.append(false)
                continue
            }
            resolved.append(true)
            var id: String?
            if let fragment, !fragment.isEmpty {
                switch Self.place(named: fragment, in: target) {
                case let .id(found): id = found
                case .top: id = nil
                case .none:
                    warnings.append(Diagnostic(.warning, "link to '\(reference.url)': \(target.source.relativePath) has no heading or anchor with id '\(fragment)'; it goes to the note", at: location))
                }
            }
            targets.append(.page(id: target.id, fragment: id))
        }
        for warning in warnings { diagnostics.report(warning) }
        targets += page.linkFacts.crossLinks.map { .service(id: $0) }
        var key = CacheKeyHasher()
        key.add(page.contentKey)
        for target in targets {
            switch target {
            case let .page(id, fragment):
                key.add(pages[id]!.outputPath)
                key.add(fragment ?? "")
            case let .service(id):
                key.add(servicesInUse.contains(id) ? 1 : 2)
                key.add(id)
            case let .file(path, embedded):
                key.add(embedded ? 3 : 4)
                key.add(path)
                if case let .file(file) = files?.lookup(path) { key.add(file.hash) }
            }
        }
        return NoteLinks(targets: targets, resolved: resolved, renderKey: key.hex, warnings: warnings)
    }

    /// "; did you mean 'overview.md'?" for a link to a note that does not exist when a note's
    /// path is a couple of edits from it (`Suggestion`), written as the link would be:
    /// relative to the linking note. Only broken links pay for the search.
    private static func suggestion(for missing: String?, from pageID: String, among pages: [String: Page]) -> String {
        guard let missing, let close = Suggestion.closest(to: missing, among: pages.keys.sorted()) else { return "" }
        var from = pageID.split(separator: "/").dropLast().map(String.init)
        var to = close.split(separator: "/").map(String.init)
        while let first = from.first, to.count > 1, first == to[0] {
            from.removeFirst()
            to.removeFirst()
        }
        return "; did you mean '\((Array(repeating: "..", count: from.count) + to).joined(separator: "/"))'?"
    }

    /// The note a link by its published page's name stands for (`LSI.html` for `LSI.md`, as
    /// guides written for their HTML site link to each other), when no file of that name is
    /// in the content folder; nil otherwise (the link is to a file).
    private func noteLinked(asPublished path: String, by reference: Reference, of page: Page, among pages: [String: Page]) -> String? {
        guard !reference.isImage, path.hasSuffix(".html"),
              let id = Self.resolve(String(path.dropLast(".html".count)) + ".md", from: page.id), pages[id] != nil,
              let file = LocalFiles.path(of: reference.url, from: page.id),
              case .missing = files?.lookup(file) ?? .missing else { return nil }
        return id
    }

    /// Where a link to a file beside the notes goes: a file inside the content folder is
    /// published (a picture shown where the note shows it); a missing one is a warning, as
    /// published guides link to samples they do not ship; one outside the content folder is an
    /// error, so nothing from elsewhere is ever copied. Those not published are shown as text.
    private func resolveFile(_ reference: Reference, of page: Page, at location: SourceLocation) -> (target: LinkTarget?, warning: Diagnostic?) {
        func warning(_ message: String) -> (LinkTarget?, Diagnostic?) {
            (nil, Diagnostic(.warning, "\(reference.isImage ? "picture" : "link to") '\(reference.url)': \(message); it is shown as text", at: location))
        }
        guard let path = LocalFiles.path(of: reference.url, from: page.id) else {
            diagnostics.error("\(reference.isImage ? "picture" : "link to") '\(reference.url)' leads outside the content folder; only files inside it are published",
                              at: location)
            return (nil, nil)
        }
        // `note.md?x`: a note is never published as a file.
        if path.hasSuffix(".md") { return warning("\(path) is a note; link to a note by its path alone (note.md#anchor)") }
        switch files?.lookup(path) ?? .missing {
        case let .file(file):
            if reference.isImage, !file.isImage {
                return warning("\(path) is not a picture (png, jpg, jpeg, gif, svg or webp)")
            }
            return (.file(path: path, embedded: reference.isImage), nil)
        case .missing:
            // A picture named by its bare file name is most often one of a card imported from
            // an Anki text export, which carries no pictures: the decks still show it (Anki
            // finds it in the collection's media folder, see `AnkiMedia.href`), so updating
            // the learner's notes in place keeps their picture; the site and book show its name.
            if reference.isImage, Self.isAnkiMediaName(reference.url) {
                return (.file(path: path, embedded: true),
                        Diagnostic(.warning, "picture '\(reference.url)': no such file (\(path)); the site and book show its name, the decks show it from Anki's media folder. Copy it into the content folder from the Anki profile's collection.media folder, or, for a card imported from a text export, import the deck's .apkg export, which carries pictures",
                                   at: location))
            }
            return warning("no such file (\(path))")
        case let .notPublishable(why):
            return warning("\(path) is not published: \(why)")
        case let .unsafeSVG(why):
            return warning("\(path) is not published: \(why), which a site or book must not run or load")
        case let .outside(real):
            diagnostics.error("\(reference.isImage ? "picture" : "link to") '\(reference.url)' leads outside the content folder (to \(real)); only files inside it are published",
                              at: location)
            return (nil, nil)
        }
    }

    /// True for a name Anki looks up in its collection's media folder as it is: a plain file
    /// name, with nothing that would make it a path or a URL (a scheme, a query, a fragment)
    /// or be read as a percent escape, and nothing a URL must percent-encode but a space.
    static func isAnkiMediaName(_ url: String) -> Bool {
        CardImporter.isPlainFileName(url) && !url.contains(where: { ":?#%<>\"\\".contains($0) || $0.isWhitespace && $0 != " " })
    }

    /// Binds a note's tree to what the link stage decided for it: marks the links that
    /// resolved and turns the others into text, then pairs every internal link node with its
    /// target (`PageContent.links`) and writes its token (`LinkToken`) as its URL, which each
    /// renderer points its own way as it writes (`PointedLinks`). Once per tree, before any
    /// renderer runs: the last change made to the tree.
    static func bindTargets(in content: PageContent, to links: NoteLinks) {
        var pointed: [Node] = []
        for (node, resolved) in zip(content.referenceNodes, links.resolved) {
            if resolved {
                node.mark = .internalLink
                pointed.append(node)
            } else {
                node.unwrap(showingURL: true)
            }
        }
        content.links = Array(zip(pointed + content.crossLinkNodes, links.targets))
        for (index, (node, _)) in content.links.enumerated() { node.url = LinkToken.token(index) }
    }

    /// The place of `target` that `fragment` names (`Page.place(named:)`); failing that, for
    /// a fragment `<id>.title`, the place `<id>` names. AWS's published guides link to a page
    /// or section by the id their HTML gives its title element (`TTL.md#TTL.title`), which
    /// their Markdown does not carry: 5 of the DynamoDB guide's 19 warnings were such links.
    static func place(named fragment: String, in target: Page) -> Page.Place? {
        if let place = target.place(named: fragment) { return place }
        let suffix = ".title"
        guard fragment.count > suffix.count, fragment.hasSuffix(suffix) else { return nil }
        return target.place(named: String(fragment.dropLast(suffix.count)))
    }

    /// See `SourceFile.resolve(_:from:)`.
    static func resolve(_ path: String, from pageID: String) -> String? { SourceFile.resolve(path, from: pageID) }
}
