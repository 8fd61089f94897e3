import Foundation

/// The per-note stages for one file on its own: Markdown (parse, sanitize, anchors), the
/// note's placement (Classify), Cards (or exam questions), and the facts its links and prose
/// give the link stage. What they find is the note's `NoteFacts`, which the build cache keeps;
/// the same steps parse a cached note again when an output made again shows it
/// (`Pipeline.parseCached`, before rendering), so both give the same tree.
///
/// Placement comes before cards: a card's deck and Anki GUID are its note's service.
struct NoteAnalyzer {
    let config: ProjectConfig
    let catalog: ServiceCatalog
    let matcher: MentionMatcher
    /// See `LinkFactsGatherer.NameTerms`: made with the analyzer, once per build.
    let nameTerms: LinkFactsGatherer.NameTerms

    init(config: ProjectConfig, catalog: ServiceCatalog, matcher: MentionMatcher) {
        (self.config, self.catalog, self.matcher) = (config, catalog, matcher)
        nameTerms = LinkFactsGatherer.NameTerms(catalog.services)
    }

    /// Whether the build makes the EPUB, which leaves raw HTML out: with `unsafe_html`, each
    /// picture in raw HTML is warned about. The configuration is in every note's content key.
    private var makesBook: Bool { config.outputs.contains(.epub) }

    /// A note's facts and its tree (its links not yet bound: see `Linker.bindTargets`).
    struct Analyzed {
        var facts: NoteFacts
        var content: PageContent
    }

    /// The key of everything a note's analysis reads: its path and bytes, and `environment`
    /// (configuration, catalog and tool).
    static func contentKey(_ file: LoadedFile, environment: String) -> String {
        var hasher = CacheKeyHasher()
        hasher.add(environment)
        hasher.add(file.source.relativePath)
        hasher.add(file.text)
        return hasher.hex
    }

    /// The note of `file`, or nil when it cannot be placed. Its own diagnostics go to
    /// `diagnostics` and into its facts.
    func analyze(_ file: LoadedFile, contentKey: String, diagnostics: DiagnosticLog) -> Analyzed? {
        let own = DiagnosticLog()
        defer { for diagnostic in own.all { diagnostics.report(diagnostic) } }
        let source = file.source
        let document = ParsedDocument.parse(file, allowRawHTML: config.unsafeHTML, makesBook: makesBook, keepsHTML: SyntaxComments.isSyntax,
                                            diagnostics: own)
        let matter = document.frontMatter
        let anchored = DocumentAnchors.apply(to: document, diagnostics: own)
        let content = anchored.content
        guard let place = Classifier(config: config, catalog: catalog, matcher: matcher, diagnostics: own).place(document) else { return nil }
        // Read before cards and links change the tree (a link to a file that is not a note
        // becomes text).
        let outline = source.isLanding ? Classifier.outline(of: document.tree, pageID: source.relativePath) : []
        let hasOwnContents = OwnContents.isListed(in: content.tree, ids: Set(anchored.headings.map(\.id) + anchored.anchors))
        let tags = matter.tags.map(Classifier.tag)
        let isCardsFile = source.isCardsFile || matter.cards == true
        let service = catalog[place.serviceID] ?? (place.serviceID == Service.general.id ? Service.general : nil)
        let title = DocumentAnchors.title(of: document, headings: anchored.headings, isCardsFile: isCardsFile,
                                          serviceID: place.serviceID, serviceName: service?.short ?? place.serviceID)
        var cards: [Card] = []
        var questions: [Question] = []
        if source.isExamFile {
            let fileDomain = matter.domain.map { ($0, matter.keyLines["domain"] ?? 1) }
            let found = QuestionExtractor(source: source, serviceID: place.serviceID, content: content, fileDomain: fileDomain,
                                          diagnostics: own).extract()
            questions = found.map(\.question)
            content.questions = found.map(\.nodes)
        } else {
            let found = CardExtractor(source: source, serviceID: place.serviceID, tags: tags, isCardsFile: isCardsFile,
                                      content: content, diagnostics: own).extract()
            cards = found.map(\.card)
            content.cards = found.map(\.nodes)
        }
        let docs = catalog[place.serviceID]?.docs.flatMap(LinkURLs.origin(of:)) ?? config.baseURL.flatMap(LinkURLs.origin(of:))
        let local = LocalNote(source: source, title: title, serviceIDs: [place.serviceID] + place.extraServiceIDs.filter { $0 != place.serviceID },
                              serviceNames: service?.names ?? [], cards: cards, isCardsFile: isCardsFile)
        var links = LinkFactsGatherer(matcher: matcher, nameTerms: nameTerms, diagnostics: own).gather(local, content: content, origin: docs)
        if config.search { links.searchText = SearchText.extract(content.tree) }
        let facts = NoteFacts(
            id: source.relativePath, contentKey: contentKey, title: title, serviceID: place.serviceID,
            extraServiceIDs: place.extraServiceIDs, tags: tags, order: matter.order ?? 0, slug: place.slug,
            headings: anchored.headings, hasKeyNumbers: anchored.headings.contains { NoteFacts.namesKeyNumbers($0.text, id: $0.id) },
            hasOwnContents: hasOwnContents,
            anchors: anchored.anchors, isLanding: source.isLanding,
            outline: outline,
            isCardsFile: isCardsFile, provenance: matter.provenance, cards: cards, questions: questions, linkFacts: links,
            diagnostics: own.all)
        return Analyzed(facts: facts, content: content)
    }
}
