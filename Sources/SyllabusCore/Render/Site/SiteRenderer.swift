import CMarkGFM
import Foundation

/// The study website: home, a page per service and per note, the term index, practice pages
/// and a search index. Every link is relative; nothing is loaded from elsewhere.
struct SiteRenderer: Renderer {
    /// Writes below `<output>/site/`.
    let folder = "site"
    let templates: TemplateSet
    /// Whether the build prints the cheat sheets' PDFs, which the home page then links.
    let printsPDFs: Bool
    /// Note pages' HTML and the exam page's data from earlier builds of this process (`serve`):
    /// a page made again whose note (or questions) render the same takes them instead of
    /// the trees.
    let keptHTML: KeptHTML?
    /// The body size (UTF-8 bytes) from which a page's body is put into the layout by hand
    /// (see `page`); tests lower it to check that the bytes are the template's.
    var splicedBodySize = 1 << 20
    /// Whether pages that differ only in their title and body share one rendering of the
    /// layout, and note pages of one shape one rendering of the note template (see
    /// `LayoutFrames`); tests turn it off to check that the bytes are the template's.
    var framesLayout = true
    /// The layout rendered once per kind of page, each page's title and body put in.
    private let layoutFrames: LayoutFrames
    /// The note template rendered once per shape of its context, each note's strings put in:
    /// its lookups of `Any` values took longer than the note's HTML.
    private let noteFrames: LayoutFrames
    /// Whether the term index's groups are put into its template by hand (see `splicing`);
    /// tests turn it off to check that the bytes are the template's.
    var splicesTermGroups = true
    /// See `BuildOptions.givesBackFreedMemory`.
    private let givesBackFreedMemory: Bool

    /// The Mustache templates the site needs (`<name>.mustache` in the template folder).
    static let templateNames = ["layout", "home", "service", "note", "terms", "practice", "search"]

    /// `printsPDFs`: the build prints the cheat sheets' PDFs (`--pdf`), so the home page's
    /// Downloads list links them. `keptHTML`: see there; nil keeps nothing.
    /// - Throws: `TemplateSet.Failure.missing` when `templates` lacks one of `templateNames`.
    init(templates: TemplateSet, printsPDFs: Bool = false, keptHTML: KeptHTML? = nil, givesBackFreedMemory: Bool = false) throws {
        try templates.require(Self.templateNames)
        self.templates = templates
        self.printsPDFs = printsPDFs
        self.keptHTML = keptHTML
        self.givesBackFreedMemory = givesBackFreedMemory
        self.layoutFrames = LayoutFrames(allowed: templates.templatesRead(by: ["layout"]) != nil)
        // A sorted list would be sorted by its markers, not by what it holds.
        self.noteFrames = LayoutFrames(allowed: templates.templatesRead(by: ["note"], lack: "sorted"))
    }

    /// Note pages are rendered and handed on in batches of this many.
    static let batchSize = 256

    /// Every page is keyed by what it shows (see `OutputSink.reuse`): a rebuild makes only the
    /// pages whose notes, cards or links changed, and all of them when a template did.
    func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into sink: OutputSink) throws {
        defer { templates.reportUnknownVariables(into: diagnostics) }
        // Remembers the paths the site makes, which a copied file must not take.
        let output = PathRecordingSink(sink)
        let prepared = output.takePrepared(folder) as? Prepared
        let keys = prepared?.keys ?? keys(set, output: output)
        let links = SiteLinks(set: set)
        let services = set.studySet.servicesInUse
        // A landing text is shown on its service page, not on a page of its own.
        let notes = set.pages.filter { !$0.isLanding }
        // The note pages `prepare` took back are not asked about again (it answers the same).
        var remade = notes
        if let prepared, prepared.noteCount == notes.count {
            remade = prepared.remade.map { notes[$0] }
            let kept = Set(prepared.remade)
            output.record(notes.indices.lazy.filter { !kept.contains($0) }.map { "\(folder)/\(notes[$0].outputPath)" })
        }
        // The search index needs none of the pages, and much of it runs on one core (merging
        // the words, cutting the shards): made beside them, it takes the time a core is left
        // idle (a batch being written, a page that takes longer than the rest) instead of
        // adding its own at the end.
        let searchIndex = set.config.search ? Background { try self.searchIndex(set, services: services, output: output) } : nil
        // An error of the pages must not leave it writing to the output.
        defer { searchIndex?.wait() }
        for start in stride(from: 0, to: remade.count, by: Self.batchSize) {
            let batch = Array(remade[start..<min(start + Self.batchSize, remade.count)])
            try output.write(parallelMap(batch.count) { index -> OutputFile? in
                let page = batch[index]
                let around = keys.neighbours[page.id] ?? (nil, nil)
                let key = keys.notes[page.id]!
                return output.reuse("\(folder)/\(page.outputPath)", key: key) ? nil
                    : notePage(page, set: set, links: links, around: around, key: key)
            }.compactMap { $0 })
        }
        // Every card page sits one folder down, so one rendering of each card serves all pages;
        // it is made only if a page that shows cards must be made.
        let cards = set.studySet.cards
        let cardViews = Lazy {
            zip(cards, CardHTML.all(cards, in: set) { links.href($0, root: SiteLinks.root(depth: 1)) }).map { cardView($0, html: $1, set: set) }
        }
        // Grouped once: each service page shows its own.
        let cardViewsByService = Lazy { Dictionary(grouping: cardViews.value) { $0["serviceID"] as! String } }
        var files = parallelMap(services.count) { index -> OutputFile? in
            let service = services[index]
            let key = keys.services[service.id]!
            return output.reuse("\(folder)/\(service.id)/index.html", key: key) ? nil
                : servicePage(service, set: set, cards: cardViewsByService.value[service.id] ?? [], key: key)
        }.compactMap { $0 }
        if let home = homePage(set, base: keys.base, output: output) { files.append(home) }
        if set.config.search { files.append(searchPage(set)) }
        // Written before the largest files are made: the service pages (megabytes for a large
        // set) are not held while they are.
        try output.write(files)
        // The exam page, the index and the practice pages need nothing from each other, and
        // each is one large file (the exam's data and the index are megabytes for a large set):
        // made side by side, and each written as soon as it is made (one at a time, as the sink
        // wants), not held until the last is: the end of the site is where a full build's
        // memory peaks.
        let writing = NSLock()
        // Each of them is megabytes, allocated anew (glibc maps a large allocation afresh
        // rather than reuse the pages freed since the build began): without those pages, the
        // build's peak is 10 to 15 MiB lower (Benchmarks/README.md).
        if givesBackFreedMemory { FreedMemory.giveBack() }
        for result in parallelMap(3, { part -> Result<Void, Error> in
            Result {
                let made: [OutputFile]
                switch part {
                case 0: made = try [examPage(set, links: links, key: keys.exam, output: output)].compactMap { $0 }
                case 1: made = [termsPage(set, links: links, base: keys.base, output: output)].compactMap { $0 }
                default: made = practicePages(set, services: services, cards: cardViews, keys: keys, output: output)
                }
                try writing.withLock { try output.write(made) }
            }
        }) {
            try result.get()
        }
        try output.write(try searchIndex?.value() ?? [])
        keptHTML?.keepOnly(Set(notes.map(\.id) + [ExamPage.keptID]))
        try output.write(try templates.assets(into: "\(folder)/assets"))
        try output.write(SiteFiles.copies(set, folder: folder, taken: output.paths, diagnostics: diagnostics, output: output))
    }

    /// Note pages read their note's tree (unless `keptHTML` holds their HTML); service pages
    /// their landing text's and, with the practice page, every card's (one rendering of all
    /// cards serves them); the exam page every exam file's (unless `keptHTML` holds its data).
    func prepare(_ set: LinkedStudySet, output: OutputSink) -> Set<String> {
        let keys = keys(set, output: output)
        let notes = set.pages.filter { !$0.isLanding }
        let reused = parallelMap(notes.count) { output.reuse("\(folder)/\(notes[$0].outputPath)", key: keys.notes[notes[$0].id]!) }
        let remade = notes.indices.filter { !reused[$0] }
        var needed = Set(remade.lazy.filter { keptHTML?.html(of: notes[$0].id, key: set.links(of: notes[$0]).renderKey) == nil }.map { notes[$0].id })
        var showsCards = false
        for service in set.studySet.servicesInUse where !output.reuse("\(folder)/\(service.id)/index.html", key: keys.services[service.id]!) {
            showsCards = true
            for page in set.studySet.pages(of: service.id) where page.isLanding && page.serviceID == service.id { needed.insert(page.id) }
        }
        if !set.studySet.cards.isEmpty, !output.reuse("\(folder)/practice/index.html", key: keys.practice) {
            showsCards = true
        }
        if showsCards { needed.formUnion(set.studySet.cards.map(\.pageID)) }
        if let exam = keys.exam, !output.reuse("\(folder)/\(ExamPage.path)", key: exam),
           keptHTML?.html(of: ExamPage.keptID,
                          key: ExamPage(set: set, templates: templates, links: SiteLinks(set: set)).dataKey(environment: set.environmentKey)) == nil {
            needed.formUnion(set.studySet.examPages.map(\.id))
        }
        output.handOver(Prepared(keys: keys, noteCount: notes.count, remade: remade), as: folder)
        return needed
    }

    /// What `prepare` hands to `render`: the pages' keys, and which note pages it did not take
    /// back from the last build (positions among the set's notes, landing texts left out, of
    /// `noteCount`), the only ones `render` makes or asks about.
    private struct Prepared {
        var keys: SiteKeys
        var noteCount: Int
        var remade: [Int]
    }

    /// The keys of every page of `set` (see `SiteKeys`), taking what the last build kept of its
    /// own and keeping them for the next; `prepare` hands them to `render`.
    private func keys(_ set: LinkedStudySet, output: OutputSink) -> SiteKeys {
        let keys = SiteKeys(set, templatesKey: templates.pagesKey, kept: SiteKeys.Kept(data: output.state(SiteKeys.Kept.stateName))) { base in
            set.studySet.questions.isEmpty ? nil : ExamPage(set: set, templates: templates, links: SiteLinks(set: set)).key(base: base)
        }
        output.keep(keys.kept.data, state: SiteKeys.Kept.stateName)
        return keys
    }

    // MARK: Pages

    private func page(_ path: String, title: String, depth: Int, body: String, set: LinkedStudySet, key: String? = nil,
                      extra: [String: Any] = [:]) -> OutputFile {
        var context = layoutContext(title: title, depth: depth, body: body, set: set)
        context.merge(extra) { _, new in new }
        // Pages told apart only by their title and body (every note page) share one rendering
        // of the layout; a page with values of its own (`extra`) is rendered whole.
        let own = ["title", "documentTitle", "content"]
        if framesLayout, extra.isEmpty, let shared = LayoutFrames.key(context, except: own),
           let data = layoutFrames.page(key: shared, values: own.map { context[$0] as! String }, render: { values in
               var markers = context
               for (name, value) in zip(own, values) { markers[name] = value }
               return templates.render("layout", markers)
           }) {
            return OutputFile(path: "\(folder)/\(path)", contents: data, key: key)
        }
        if body.utf8.count >= splicedBodySize {
            // The layout around a marker, split there: rendered through the template, a body of
            // megabytes (a large set's index) was copied into a string grown by doubling, which
            // held three times its size at once, the site's peak memory. A theme that does not
            // show the body exactly once, as it is (`{{{content}}}`), gets its own rendering.
            context["content"] = Self.bodyMarker
            let around = templates.render("layout", context).components(separatedBy: Self.bodyMarker)
            if around.count == 2 {
                var text = ""
                text.reserveCapacity(around[0].utf8.count + body.utf8.count + around[1].utf8.count)
                text += around[0]
                text += body
                text += around[1]
                return OutputFile(path: "\(folder)/\(path)", text: text, key: key)
            }
            context["content"] = body
        }
        return OutputFile(path: "\(folder)/\(path)", text: templates.render("layout", context), key: key)
    }

    /// What the layout is given for a page (before a page's own `extra` values).
    private func layoutContext(title: String, depth: Int, body: String, set: LinkedStudySet) -> [String: Any] {
        [
            // The home page's title is the site's: not "Site · Site".
            "title": title, "siteTitle": set.config.title,
            "documentTitle": title == set.config.title ? title : "\(title) · \(set.config.title)", "language": set.config.language,
            "root": SiteLinks.root(depth: depth), "content": body, "hasExam": !set.studySet.questions.isEmpty,
            "hasPractice": !set.studySet.cards.isEmpty, "hasSearch": set.config.search,
            "progressSet": set.config.deck,
        ]
    }

    /// Stands for the body in the layout; escaped (`{{content}}`) it is no longer found.
    static let bodyMarker = "<syllabus-page-body & marker>"

    /// The note before and after each note among its service's own notes, in the service's
    /// order (its landing text's outline first): the reading order of a guide.
    static func neighbours(_ set: LinkedStudySet) -> [String: (previous: Page?, next: Page?)] {
        var result: [String: (previous: Page?, next: Page?)] = [:]
        result.reserveCapacity(set.pages.count)
        for service in set.studySet.servicesInUse {
            let own = set.studySet.pages(of: service.id).filter { $0.serviceID == service.id && !$0.isLanding }
            for (index, page) in own.enumerated() {
                result[page.id] = (index > 0 ? own[index - 1] : nil, index + 1 < own.count ? own[index + 1] : nil)
            }
        }
        return result
    }

    private func notePage(_ note: Page, set: LinkedStudySet, links: SiteLinks, around: (previous: Page?, next: Page?),
                          key: String) -> OutputFile {
        let root = SiteLinks.root(depth: 1)
        let html = noteHTML(note, set: set, links: links)
        let toc = note.headings.filter { (2...3).contains($0.level) && !note.isCardsFile }
            .map { ["id": $0.id, "text": $0.text, "level": $0.level] as [String: Any] }
        let services = note.serviceIDs.map { id -> [String: Any] in
            let service = set.studySet.service(id)
            return ["name": service.short, "href": "\(root)\(id)/index.html"]
        }
        // The note's own <h1> goes before the table of contents, the rest after it.
        var titleHTML = "", bodyHTML = html
        if html.hasPrefix("<h1"), let end = html.range(of: "</h1>\n") {
            titleHTML = String(html[..<end.upperBound])
            bodyHTML = String(html[end.upperBound...])
        }
        var context: [String: Any] = [
            "root": root, "title": note.title, "titleHTML": titleHTML, "html": bodyHTML, "toc": toc, "hasToc": toc.count > 1,
            "hasOwnContents": note.facts.hasOwnContents,
            "services": services, "tags": note.tags, "hasCards": !note.cards.isEmpty,
            "practiceHref": "\(root)practice/index.html#\(note.serviceID)",
            "provenance": Self.provenanceContext(note.provenance),
            "hasNeighbours": around.previous != nil || around.next != nil,
        ]
        if let previous = around.previous { context["previous"] = ["title": previous.title, "href": "\(root)\(previous.outputPath)"] }
        if let next = around.next { context["next"] = ["title": next.title, "href": "\(root)\(next.outputPath)"] }
        return page(note.outputPath, title: note.title, depth: 1, body: noteBody(context), set: set, key: key)
    }

    /// The note template rendered with `context`, through `noteFrames` when it can be.
    private func noteBody(_ context: [String: Any]) -> String {
        if framesLayout, let shape = LayoutFrames.shape(of: context),
           let data = noteFrames.page(key: shape.key, values: shape.values, render: { templates.render("note", shape.marked($0)) }) {
            return String(decoding: data, as: UTF8.self)
        }
        return templates.render("note", context)
    }

    /// `html(of:content:links:)` for a note page, or what `keptHTML` holds of it: the same
    /// bytes, since the render key covers everything they are made from (the note's content,
    /// the tool and configuration, where its links go).
    private func noteHTML(_ note: Page, set: LinkedStudySet, links: SiteLinks) -> String {
        let key = set.links(of: note).renderKey
        if let kept = keptHTML?.html(of: note.id, key: key) { return kept }
        let root = SiteLinks.root(depth: 1)
        let html = Self.html(of: note, content: set.content(of: note), links: set.pointedLinks(of: note) { links.href($0, root: root) })
        keptHTML?.keep(html, of: note.id, key: key)
        return html
    }

    /// The note's HTML; a heading card with its own sources or date shows them after its back,
    /// and the footnotes it references (cmark-gfm lists them at the end of the file) right after
    /// its back, numbered and linked as on the rest of the page. Written beside the tree, which
    /// other outputs show their own way: the tree is not changed.
    private static func html(of note: Page, content: PageContent, links: PointedLinks) -> String {
        let document = content.tree.document
        // cmark-gfm puts the definitions at the end of the document, in the order of their first
        // reference, which numbers them.
        let definitions = document.children.filter { $0.kind == .footnoteDefinition }
        // What goes after a block, in order.
        var after: [Node: [String]] = [:]
        var moved: Set<Node> = []
        // A cloze card's heading shows its deletions filled in and marked, as the cheat sheets do.
        var revealed: Set<Node> = []
        for (card, nodes) in zip(note.cards, content.cards) where !card.isInline {
            if card.kind == .cloze { revealed.insert(nodes.front) }
            let last = nodes.back.last ?? nodes.front
            var items = ""
            for definition in nodes.footnotes where !moved.contains(definition) {
                guard let index = definitions.firstIndex(of: definition) else { continue }
                moved.insert(definition)
                items += Self.footnoteItem(definition, links: links, number: index + 1)
            }
            if !items.isEmpty { after[last, default: []].append("<section class=\"footnotes\" data-footnotes>\n<ol>\n\(items)</ol>\n</section>\n") }
            if !card.ownProvenance.isEmpty { after[last, default: []].append(ProvenanceHTML.paragraph(card.ownProvenance)) }
        }
        guard !after.isEmpty || !revealed.isEmpty else { return links.html(document) }
        return documentHTML(document.children.filter { !moved.contains($0) }, links: links, after: after, revealed: revealed)
    }

    /// What cmark-gfm writes for a document of `blocks` (top-level blocks of one tree, in
    /// order), with `after[block]` written after a block as HTML blocks: each block's HTML,
    /// then the footnote definitions among them in one list, as cmark-gfm ends a document.
    /// The blocks in `revealed` (cloze cards' fronts) are written with their deletions filled in
    /// (see `Cloze.revealed`).
    static func documentHTML(_ blocks: [Node], links: PointedLinks, after: [Node: [String]] = [:],
                             revealed: Set<Node> = []) -> String {
        var html = ""
        var items = ""
        for block in blocks {
            if block.kind == .footnoteDefinition {
                items += footnoteItem(block, links: links)
                continue
            }
            html += revealed.contains(block) ? Cloze.revealed(links.html(block)) : links.html(block)
            for literal in after[block] ?? [] { html += htmlBlock(literal, in: block) }
        }
        return items.isEmpty ? html : html + "<section class=\"footnotes\" data-footnotes>\n<ol>\n\(items)</ol>\n</section>\n"
    }

    /// `literal` as cmark-gfm writes an HTML block holding it (on lines of its own, through
    /// the tag filter), from a node of its own that is in no tree.
    private static func htmlBlock(_ literal: String, in tree: Node) -> String {
        let block = tree.makeNode(CMARK_NODE_HTML_BLOCK)
        defer { block.remove() }
        block.literal = literal
        return block.html()
    }

    /// One footnote definition as cmark-gfm writes it in the list at the end of a page (its
    /// `id`, its back link), as item `number` of that list when one is given.
    private static func footnoteItem(_ definition: Node, links: PointedLinks, number: Int? = nil) -> String {
        // Rendered alone, a definition comes in a list of its own: its item is the middle.
        let html = links.html(definition)
        guard let start = html.range(of: "<li "), let end = html.range(of: "</li>\n", options: .backwards) else { return "" }
        return "<li " + (number.map { "value=\"\($0)\" " } ?? "") + html[start.upperBound..<end.upperBound]
    }

    /// A note's sources and checked date for the `note` template: `checked` (`30 November
    /// 2026`), `checkedISO` (`2026-11-30`), `sources` (`url`, `label`, `separator` before the
    /// next one); false when there are none.
    static func provenanceContext(_ provenance: Provenance) -> Any {
        guard !provenance.isEmpty else { return false }
        let sources = provenance.sources.enumerated().map { index, url -> [String: Any] in
            ["url": XML.encodeURL(url), "label": ProvenanceHTML.label(url),
             "separator": index < provenance.sources.count - 1 ? ", " : ""]
        }
        var context: [String: Any] = ["sources": sources, "hasSources": !sources.isEmpty, "plural": sources.count > 1]
        if let checked = provenance.checked {
            context["checked"] = checked.spelled
            context["checkedISO"] = checked.description
        }
        return context
    }

    /// A card as the site's templates and practice script see it, from a page one folder down.
    /// A cloze card with several deletion numbers also has "gaps": for each number, the
    /// practice card Anki would make of it (its key, question and answer).
    private func cardView(_ card: Card, html: CardHTML, set: LinkedStudySet) -> [String: Any] {
        let root = SiteLinks.root(depth: 1)
        var view: [String: Any] = ["question": html.question, "answer": html.answer + html.provenance, "cloze": card.kind == .cloze,
                                   "serviceID": card.serviceID, "service": set.studySet.service(card.serviceID).short,
                                   "href": "\(root)\(set.page(card.pageID)!.outputPath)#\(card.anchor)"]
        if card.kind == .cloze {
            let numbers = Cloze.numbers(html.front)
            if numbers.count > 1 {
                view["gaps"] = numbers.map { number -> [String: String] in
                    ["key": Self.practiceKey(card.guid, number: number, first: numbers[0]),
                     "question": Cloze.question(html.front, number: number),
                     "answer": Cloze.revealed(html.front, number: number) + html.back + html.provenance]
                }
            }
        }
        return view
    }

    /// The key under which the practice page keeps the progress of a card, `guid` its note's
    /// GUID: the GUID itself for a card of one deletion number (and for the lowest number, so
    /// progress from when a cloze note was one practice card stays with its first gap); for
    /// each other number, the GUID followed by `::c` and the number.
    static func practiceKey(_ guid: String, number: Int, first: Int) -> String {
        number == first ? guid : "\(guid)::c\(number)"
    }

    /// The practice page's keys for `card` (see `practiceKey`): one per deletion number of a
    /// cloze card, read from its front's text (the home and service pages have no rendered
    /// front), else its GUID.
    static func practiceKeys(_ card: Card) -> [String] {
        // Every build asks this of every card (deck counts, home page); most cloze fronts hold
        // one deletion, and two numbers need two `{{c`, found without reading the markup.
        guard card.kind == .cloze, Self.opensTwoDeletions(card.frontText) else { return [card.guid] }
        let numbers = Set(Cloze.scan(card.frontText).deletions.map(\.number)).sorted()
        guard numbers.count > 1 else { return [card.guid] }
        return numbers.map { practiceKey(card.guid, number: $0, first: numbers[0]) }
    }

    /// `cards`: the views of the service's own cards (see `cardView`), in their order.
    private func servicePage(_ service: Service, set: LinkedStudySet, cards: [[String: Any]], key: String) -> OutputFile {
        let root = SiteLinks.root(depth: 1)
        let pages = set.studySet.pages(of: service.id)
        let landing = pages.first { $0.isLanding && $0.serviceID == service.id }
        let links = SiteLinks(set: set)
        // The landing text's title and emptied headings are left out (see `LandingText`); their ids stay, for links.
        let landingHTML = landing.map { page in
            let shown = LandingText.shownBlocks(of: page, in: set)
            return (anchor: shown.droppedHeadingIDs.map { "<a id=\"\(escapeHTML($0))\"></a>" }.joined(),
                    html: Self.documentHTML(shown.blocks, links: set.pointedLinks(of: page) { links.href($0, root: root) }))
        }
        let notes = pages.filter { !$0.isLanding }.map { page -> [String: Any] in
            ["title": page.title, "href": "\(root)\(page.outputPath)", "hasCards": !page.cards.isEmpty, "cards": counted(page.cards.count, "card"),
             "depth": min(set.studySet.outlineDepth(of: page.id), 5)]  // the stylesheet indents five levels
        }
        let related = set.related(to: service.id).map { relation -> [String: Any] in
            let other = set.studySet.service(relation.serviceID)
            return ["name": other.short, "href": "\(root)\(other.id)/index.html", "weight": relation.weight]
        }
        let mentioned = set.mentionedIn(service.id).map { ["title": $0.title, "href": "\(root)\($0.outputPath)"] }
        let context: [String: Any] = [
            "root": root, "name": service.name, "short": service.short, "category": service.category,
            // Mustache takes an empty string for true: what is not there is `false`.
            "docs": service.docs ?? false, "aliases": service.aliases.isEmpty ? false : service.aliases.joined(separator: ", "),
            "landing": landingHTML.flatMap { $0.html.contains(where: { !$0.isWhitespace }) ? $0.html : nil } ?? false,
            "landingAnchor": landingHTML?.anchor ?? "", "notes": notes, "hasNotes": !notes.isEmpty, "cards": cards, "cardCount": cards.count, "hasCards": !cards.isEmpty,
            "related": related, "hasRelated": !related.isEmpty, "mentioned": mentioned, "hasMentioned": !mentioned.isEmpty,
            "practiceHref": "\(root)practice/index.html#\(service.id)",
            "guids": set.studySet.cards(of: service.id).flatMap(Self.practiceKeys).joined(separator: " "),
        ]
        return page("\(service.id)/index.html", title: service.name, depth: 1, body: templates.render("service", context), set: set, key: key)
    }

    /// The home page, keyed by everything its template and the layout are given (see
    /// `LayoutFrames.shape(of:)`) over `base`: nil when the last build's is kept. Its values
    /// (every service's counts and cards) are worked out on every build, its rendering, the
    /// larger part, only when they changed; the templates' variables are checked either way,
    /// so a misspelled one is reported as when the page is rendered.
    private func homePage(_ set: LinkedStudySet, base: OutputKey, output: OutputSink) -> OutputFile? {
        // General notes (the exam, how to study) first: they frame the rest.
        let categories = set.studySet.categoriesInUse.map { category -> [String: Any] in
            let entries = category.services.map(serviceEntry(set))
            return ["name": category.name, "services": entries, "count": entries.count]
        }
        let downloads = SiteDownloads.entries(set, printsPDFs: printsPDFs, outputs: output.outputs)
        let serviceDownloads = SiteDownloads.services(set, printsPDFs: printsPDFs, outputs: output.outputs)
        let context: [String: Any] = [
            "title": set.config.title, "categories": categories,
            "stats": [counted(set.studySet.serviceCount, "service"),
                      nonZeroCounts([(set.studySet.noteCount, counted(set.studySet.noteCount, "note")),
                                     (set.studySet.cards.count, counted(set.studySet.cards.count, "flashcard"))])].joined(separator: " · "),
            "hasExam": !set.studySet.questions.isEmpty, "questionCount": set.studySet.questions.count,
            "questions": counted(set.studySet.questions.count, "question"),
            "hasPractice": !set.studySet.cards.isEmpty,
            "downloads": downloads, "hasDownloads": !downloads.isEmpty || !serviceDownloads.isEmpty,
            "serviceDownloads": serviceDownloads, "hasServiceDownloads": !serviceDownloads.isEmpty,
        ]
        let title = set.config.title
        guard let shape = LayoutFrames.shape(of: context) else {
            return page("index.html", title: title, depth: 0, body: templates.render("home", context), set: set)
        }
        var key = base.adding("home", shape.key)
        for value in shape.values { key.add(value) }
        if output.reuse("\(folder)/index.html", key: key.hex) {
            templates.check("home", context)
            templates.check("layout", layoutContext(title: title, depth: 0, body: "", set: set))
            return nil
        }
        return page("index.html", title: title, depth: 0, body: templates.render("home", context), set: set, key: key.hex)
    }

    private func serviceEntry(_ set: LinkedStudySet) -> (Service) -> [String: Any] {
        { service in
            let pages = set.studySet.pages(of: service.id)
            let cards = set.studySet.cards(of: service.id)
            let notes = pages.filter { !$0.isLanding && !$0.isCardsFile }.count
            // "General" has no longer name: its card says it once.
            return ["name": service.name, "short": service.short, "showsName": service.name != service.short,
                    "href": "\(service.id)/index.html",
                    "counts": nonZeroCounts([(notes, counted(notes, "note")), (cards.count, counted(cards.count, "card"))]),
                    "hasCards": !cards.isEmpty,
                    "guids": cards.flatMap(Self.practiceKeys).joined(separator: " ")]
        }
    }

    /// The mock exam, when the study set has questions (see `ExamPage`).
    /// `key`: the page's (`SiteKeys.exam`), nil when the set has no questions.
    private func examPage(_ set: LinkedStudySet, links: SiteLinks, key: String?, output: OutputSink) throws -> OutputFile? {
        guard let key else { return nil }
        try templates.require(["exam"])
        let exam = ExamPage(set: set, templates: templates, links: links)
        guard !output.reuse("\(folder)/\(ExamPage.path)", key: key) else { return nil }
        let dataKey = exam.dataKey(environment: set.environmentKey)
        var data = keptHTML?.html(of: ExamPage.keptID, key: dataKey)
        if data == nil {
            data = exam.data()
            keptHTML?.keep(data!, of: ExamPage.keptID, key: dataKey)
        }
        return page(ExamPage.path, title: set.studySet.exam?.name ?? "Practice exam", depth: 1,
                    body: templates.render("exam", exam.context(data: data!)), set: set, key: key)
    }

    private func termsPage(_ set: LinkedStudySet, links: SiteLinks, base: OutputKey, output: OutputSink) -> OutputFile? {
        let root = SiteLinks.root(depth: 1)
        let key = base.adding("terms", set.termsKey)
        let path = "terms/index.html"
        guard !output.reuse("\(folder)/\(path)", key: key.hex) else { return nil }
        let letters = Dictionary(grouping: set.terms, by: \.letter).sorted { $0.key < $1.key }
        let anchored = Term.anchored(set.terms)
        // A large study set has tens of thousands of entries: letters render in parallel.
        let groups = parallelMap(letters.count) { index -> [String: Any] in
            let (letter, terms) = letters[index]
            let group: [String: Any] = [
                "letter": letter, "id": letter == "#" ? "other" : letter.lowercased(),
                "terms": terms.map { term -> [String: Any] in
                    // Built here rather than as one template context per place: a large set's
                    // service names appear on thousands of pages.
                    // Appended piece by piece, not a string per link joined: tens of thousands of links.
                    var places = ""
                    for place in term.places {
                        guard let href = links.href(place.target, root: root) else { continue }
                        if !places.isEmpty { places += ", " }
                        places += "<a href=\""
                        places += escapeHTML(href)
                        places += "\">"
                        places += escapeHTML(place.label)
                        places += "</a>"
                    }
                    if let see = term.see {
                        // "see also" after the entry's own pages, as a printed index writes it.
                        places += places.isEmpty ? "see " : "; see also "
                        places += anchored.contains(see) ? "<a href=\"#\(escapeHTML(Term.anchorID(see)))\">\(escapeHTML(see))</a>" : escapeHTML(see)
                    }
                    let isTarget = anchored.contains(term.text)
                    return ["text": term.text, "placesHTML": places, "hasID": isTarget, "id": isTarget ? Term.anchorID(term.text) : ""]
                }]
            return ["letter": letter, "id": group["id"]!, "html": templates.render("partials/term-group", group)]
        }
        // Made in a closure of its own so that the groups' HTML is let go before the page is.
        let body = { () -> String in
            let context: [String: Any] = ["root": root, "groups": groups, "countText": counted(set.terms.count, "term")]
            guard splicesTermGroups else { return templates.render("terms", context) }
            let html = groups.map { $0["html"] as! String }
            return Self.splicing(html, into: { markers in
                var context = context
                context["groups"] = zip(groups, markers).map { group, marker in group.merging(["html": marker]) { _, new in new } }
                return templates.render("terms", context)
            }) ?? templates.render("terms", context)
        }()
        return page(path, title: "Index", depth: 1, body: body, set: set, key: key.hex)
    }

    /// What `render` makes when given a marker for each of `pieces`, with each marker replaced
    /// by its piece: the template is rendered around the pieces rather than through them,
    /// since swift-mustache grows a section's text by doubling, which for the index's
    /// megabytes of entries held several times their size at once, at the site's peak memory.
    /// Nil when the rendering does not show each marker once, in order and as it is, and
    /// nowhere else in any form (escaped, `{{html}}`, or changed by a function): the caller
    /// then renders the pieces themselves.
    static func splicing(_ pieces: [String], into render: ([String]) -> String) -> String? {
        let name = "syllabus-piece", prefix = "<syllabus-piece & "
        let markers = pieces.indices.map { "\(prefix)\($0)>" }
        let skeleton = render(markers)
        guard skeleton.components(separatedBy: prefix).count == pieces.count + 1,
              skeleton.lowercased().components(separatedBy: name).count == pieces.count + 1 else { return nil }
        var result = ""
        result.reserveCapacity(pieces.reduce(skeleton.utf8.count) { $0 + $1.utf8.count })
        var rest = skeleton[...]
        for (marker, piece) in zip(markers, pieces) {
            guard let found = rest.range(of: marker) else { return nil }
            result += rest[..<found.lowerBound]
            result += piece
            rest = rest[found.upperBound...]
        }
        result += rest
        return result
    }

    /// `practice/index.html`, every deck on one page (the URL hash picks one), so a browser that
    /// gives each `file://` page its own storage still keeps one progress; and for each deck the
    /// old address `practice/<deck>.html`, which now forwards to it. None for a set without
    /// cards, whose pages link no practice (`hasPractice`).
    private func practicePages(_ set: LinkedStudySet, services: [Service], cards: Lazy<[[String: Any]]>, keys: SiteKeys,
                               output: OutputSink) -> [OutputFile] {
        let all = set.studySet.cards
        guard !all.isEmpty else { return [] }
        let decks = Self.practiceDecks(set, services: services)
        var files: [OutputFile] = []
        for deck in decks {
            let path = "practice/\(deck.id).html"
            let key = keys.base.adding("practice-redirect", deck.id).hex
            guard !output.reuse("\(folder)/\(path)", key: key) else { continue }
            files.append(OutputFile(path: "\(folder)/\(path)", text: Self.redirect(to: "index.html#\(deck.id)", language: set.config.language), key: key))
        }
        let key = keys.practice
        let path = "practice/index.html"
        guard !output.reuse("\(folder)/\(path)", key: key) else { return files }
        let explainers = PracticeExplanations(notes: set.studySet.pages.filter { !$0.isCardsFile })
        // A cloze note with several deletion numbers is one practice card per number, as in Anki.
        let data = all.indices.flatMap { index -> [[String: String]] in
            let card = all[index], view = cards.value[index]
            let (href, title) = explanation(of: card, view: view, set: set, explainers: explainers)
            let shown = (view["gaps"] as? [[String: String]]) ?? [["key": card.guid, "question": view["question"] as! String,
                                                                    "answer": view["answer"] as! String]]
            return shown.map { gap in
                ["g": gap["key"]!, "d": card.serviceID, "q": gap["question"]!, "a": gap["answer"]!,
                 "s": view["service"] as! String, "n": href, "t": title]
            }
        }
        let deckRows = decks.map { ["id": $0.id, "title": $0.title, "short": $0.short] }
        let script = "{\"set\":\(Self.jsonString(set.config.deck)),\"newPerDay\":\(set.config.newCardsPerDay),"
            + "\"decks\":\(Self.scriptJSON(deckRows)),\"cards\":\(Self.scriptJSON(data))}"
        let pickerRows = decks.map { ["id": $0.id, "title": $0.short, "count": $0.count] as [String: Any] }
        let context: [String: Any] = ["root": SiteLinks.root(depth: 1), "decks": pickerRows, "dataJSON": script,
                                      "newPerDay": set.config.newCardsPerDay]
        files.append(page(path, title: "Practice", depth: 1, body: templates.render("practice", context), set: set, key: key,
                          extra: ["practice": true]))
        return files
    }

    /// True when `text` holds `{{c` twice or more.
    private static func opensTwoDeletions(_ text: String) -> Bool {
        var opened = 0
        var braces = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "c"), braces >= 2 {
                opened += 1
                if opened == 2 { return true }
            }
            braces = byte == UInt8(ascii: "{") ? braces + 1 : 0
        }
        return false
    }

    /// The practice page's decks: all cards, then each service with cards; `count` is of
    /// practice cards (one per deletion number of a cloze note, see `practiceKeys`).
    static func practiceDecks(_ set: LinkedStudySet, services: [Service]) -> [(id: String, title: String, short: String, count: Int)] {
        func practiceCount(_ cards: [Card]) -> Int { cards.reduce(0) { $0 + practiceKeys($1).count } }
        var decks: [(id: String, title: String, short: String, count: Int)] = [("all", "All cards", "All", practiceCount(set.studySet.cards))]
        for service in services {
            let count = practiceCount(set.studySet.cards(of: service.id))
            if count > 0 { decks.append((service.id, service.name, service.short, count)) }
        }
        return decks
    }

    /// The note that explains a card, as a link from `practice/` and that note's title: an inline
    /// card's own note; for a card in a flashcard file, the note of its service whose title and
    /// headings share the most words with the card (at the best heading, see
    /// `PracticeExplanations`), else its place in the flashcard file.
    private func explanation(of card: Card, view: [String: Any], set: LinkedStudySet,
                             explainers: PracticeExplanations) -> (String, String) {
        let own = set.page(card.pageID)!
        guard own.isCardsFile,
              let best = explainers.best(for: Self.words(card.frontText + " " + Self.plainText(view["answer"] as! String)),
                                         serviceID: card.serviceID)
        else { return (view["href"] as! String, own.title) }
        return ("../\(best.page.outputPath)" + (best.anchor.map { "#" + $0 } ?? ""), best.page.title)
    }

    /// Lowercased words of four letters or more that say something (not "what", "which"…): runs
    /// of letters and digits. Text in ASCII is read byte by byte; other text as Characters.
    static func words(_ text: String) -> Set<String> {
        asciiWords(text) ?? unicodeWords(text)
    }

    /// `words` for text in ASCII, where a letter is A–Z or a–z and a digit 0–9 exactly as
    /// `Character.isLetter`/`isNumber` say; nil when the text has a byte outside ASCII.
    static func asciiWords(_ text: String) -> Set<String>? {
        var text = text
        return text.withUTF8 { bytes -> Set<String>? in
            var words: Set<String> = []
            var word: [UInt8] = []
            func close() {
                if word.count >= 4 {
                    let string = String(decoding: word, as: UTF8.self)
                    if !stopWords.contains(string) { words.insert(string) }
                }
                word.removeAll(keepingCapacity: true)
            }
            for byte in bytes {
                switch byte {
                case 0x61...0x7A, 0x30...0x39: word.append(byte)
                case 0x41...0x5A: word.append(byte | 0x20)
                case 0x80...: return nil
                default: close()
                }
            }
            close()
            return words
        }
    }

    /// `words` for any text.
    static func unicodeWords(_ text: String) -> Set<String> {
        Set(text.lowercased().split { !$0.isLetter && !$0.isNumber }.filter { $0.count >= 4 && !stopWords.contains(String($0)) }.map(String.init))
    }

    static let stopWords: Set<String> = ["what", "which", "when", "where", "does", "that", "this", "with", "from", "into",
                                         "your", "have", "more", "most", "than", "then", "they", "them", "their", "there",
                                         "these", "those", "each", "only", "also", "used", "uses", "about", "after",
                                         "before", "should", "would", "could", "must", "will", "maximum", "minimum"]

    /// Text of an HTML fragment without its tags (entities left as they are: words only count).
    static func plainText(_ html: String) -> String {
        // In ASCII every byte is a Character (a CR LF pair is neither bracket): read as bytes.
        var html = html
        if let text = html.withUTF8({ bytes -> String? in
            var text: [UInt8] = [], inTag = false
            text.reserveCapacity(bytes.count)
            for byte in bytes {
                switch byte {
                case 0x3C: inTag = true; text.append(0x20)
                case 0x3E: inTag = false
                case 0x80...: return nil
                default: if !inTag { text.append(byte) }
                }
            }
            return String(decoding: text, as: UTF8.self)
        }) { return text }
        var text = "", inTag = false
        for character in html {
            if character == "<" { inTag = true; text.append(" ") } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        return text
    }

    /// A page that sends the browser to `target` (relative), with a link for when it does not.
    static func redirect(to target: String, language: String) -> String {
        let url = escapeHTML(target)
        return """
            <!DOCTYPE html>
            <html lang="\(escapeHTML(language))">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="0; url=\(url)">
            <title>Practice</title>
            <script>location.replace(\(jsonString(target)));</script>
            </head>
            <body><p>The practice page has moved: <a href="\(url)">practice</a>.</p></body>
            </html>

            """
    }

    /// The full-text search index (see `SearchIndex`). Every file is stamped with the key of
    /// what it holds, so a rebuild keeps the files that did not change, copies those that only
    /// moved to another number and compresses the rest; documents whose key did not change
    /// are not read again (their analyses are in the state the last build kept). When no
    /// document's key, title, path or service changed and every file is in place, nothing is
    /// made: `index.js` records the files and the inputs they were made from.
    private func searchIndex(_ set: LinkedStudySet, services: [Service], output: OutputSink) throws -> [OutputFile] {
        // Each service's short name looked up once, not its whole `Service` copied for every note.
        var shorts: [String: String] = [:]
        // A landing text is shown on its service's page, which is one result: the service's
        // names and the landing text in one document (two results opened the same page).
        let servicePaths = Set(services.map { "\($0.id)/index.html" })
        var landings: [String: Page] = [:]
        var documents: [SearchIndex.Document] = []
        documents.reserveCapacity(set.pages.count + services.count)
        for page in set.pages {
            if page.isLanding, servicePaths.contains(page.outputPath) {
                landings[page.outputPath] = landings[page.outputPath] ?? page
                continue
            }
            let short = shorts[page.serviceID] ?? {
                let short = set.studySet.service(page.serviceID).short
                shorts[page.serviceID] = short
                return short
            }()
            documents.append(SearchIndex.Document(title: page.title, path: page.outputPath, service: short, text: page.linkFacts.searchText,
                                                  key: page.contentKey))
        }
        for service in services {
            let title = service.name, path = "\(service.id)/index.html"
            var text = service.names.joined(separator: " · ") + "\n" + service.category
            var key = OutputKey("search service", title, text)
            if let landing = landings[path] {
                text += "\n" + landing.linkFacts.searchText.text
                key.add(landing.contentKey)
            }
            documents.append(SearchIndex.Document(title: title, path: path, service: service.short, text: text, key: key.hex))
        }
        var inputs = OutputKey("search", set.environmentKey)
        for doc in documents.indices { inputs.add(documents[doc].key, documents[doc].title, documents[doc].path, documents[doc].service) }
        let main = "\(folder)/\(SearchIndex.folder)/index.js"
        func path(_ name: String) -> String { "\(folder)/\(SearchIndex.folder)/\(name).js" }
        // A file's contents, made by this tool (the scripts' shape and the compression are its):
        // what its stamp says, and what index.js records of it, so that neither a kept file nor
        // a copied one comes from another version.
        func stamp(_ key: String) -> String { OutputKey("search", BuildFingerprint.tool, key).hex }
        var recorded = output.previous(main)?.parts ?? [:]
        if recorded.removeValue(forKey: "inputs") == inputs.hex, recorded["index"] != nil,
           recorded.keys.allSatisfy({ output.previous(path($0)) != nil }),
           recorded.allSatisfy({ output.reuse(path($0.key), key: $0.value) }) {
            return []
        }
        let named = Dictionary(recorded.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        let made = try SearchIndex.files(
            documents, services: set.studySet.catalog.services, environment: set.environmentKey,
            language: set.config.language,
            previous: SearchIndex.State(output.stateBytes(SearchIndex.stateName), environment: set.environmentKey),
            reuse: { name, key in output.reuse(path(name), key: stamp(key)) },
            copy: { name, key in
                guard let old = named[stamp(key)], old.first == name.first, let url = output.previous(path(old))?.url,
                      let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
                return SearchIndex.renamed(text, from: old, to: name)
            })
        if let state = made.state { output.keep(chunks: state.chunks, state: SearchIndex.stateName) }
        var parts = Dictionary(uniqueKeysWithValues: made.files.map { ($0.name, stamp($0.key)) })
        parts["inputs"] = inputs.hex
        return made.files.compactMap { file in
            guard let text = file.text else { return nil }
            var result = OutputFile(path: path(file.name), text: text, key: stamp(file.key))
            if file.name == "index" { result.parts = parts }
            return result
        }
    }

    /// The search results page, `search.html?q=…` at the site root; `search.js` fills it in.
    private func searchPage(_ set: LinkedStudySet) -> OutputFile {
        page("search.html", title: "Search", depth: 0, body: templates.render("search", ["root": ""]), set: set)
    }

    /// JSON safe inside a `<script>` element, for arrays of string dictionaries (written by
    /// hand: Foundation's serializer took a large share of a big site's build).
    static func scriptJSON(_ rows: [[String: String]]) -> String {
        var json = "["
        for (index, row) in rows.enumerated() {
            if index > 0 { json += "," }
            json += "{"
            for (position, key) in row.keys.sorted().enumerated() {
                if position > 0 { json += "," }
                json += jsonString(key) + ":" + jsonString(row[key]!)
            }
            json += "}"
        }
        return json + "]"
    }

    /// Serialized JSON made safe inside an HTML `<script>` element, as `jsonString` makes each
    /// string: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`, and U+2028/U+2029 become
    /// `\u2028`/`\u2029`. In valid JSON these characters occur only inside strings, where the
    /// escapes stand for the same characters, so the value JavaScript reads is unchanged.
    /// One pass over the UTF-8 bytes: the exam's data is megabytes for a large bank, and five
    /// Foundation replacements over it were most of the exam page's time.
    static func scriptSafe(json: Data) -> String {
        let text = String(decoding: json, as: UTF8.self)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 64)
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            if !appendScriptEscape(of: byte, rest: &utf8, to: &bytes) { bytes.append(byte) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the escape of `byte` when it starts a character no `<script>` element may hold
    /// as it is: `<`, `>`, `&` (no `<!--`, `<script` or entity reaches the HTML parser) and
    /// U+2028/U+2029 (E2 80 A8/A9, which end lines in older JavaScript), taking the scalar's
    /// other bytes from `rest`; a scalar that only starts like them is appended whole. False
    /// when `byte` needs no escape (nothing appended, nothing taken).
    private static func appendScriptEscape(of byte: UInt8, rest: inout String.UTF8View.Iterator, to bytes: inout [UInt8]) -> Bool {
        switch byte {
        case 0x3C: bytes += Array("\\u003c".utf8)
        case 0x3E: bytes += Array("\\u003e".utf8)
        case 0x26: bytes += Array("\\u0026".utf8)
        case 0xE2:
            let second = rest.next(), third = rest.next()
            if second == 0x80, let third, third == 0xA8 || third == 0xA9 {
                bytes += Array((third == 0xA8 ? "\\u2028" : "\\u2029").utf8)
            } else {
                bytes.append(byte)
                if let second { bytes.append(second) }
                if let third { bytes.append(third) }
            }
        default: return false
        }
        return true
    }

    /// `text` as a JSON string made safe inside a `<script>` element: `"` and `\` escaped,
    /// newline, return and tab as `\n`, `\r`, `\t`, other control characters as `\u00XX`,
    /// `/` as `\/` (no `</script>`), and the characters `appendScriptEscape` names.
    static func jsonString(_ text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(utf8.count + 16)
            appendJSONString(utf8, to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Appends `jsonString` of the UTF-8 `text` to `bytes`. Runs of bytes that need no escape
    /// (nearly all of a text) are copied whole: the search index's text shards are the whole
    /// site's text.
    static func appendJSONString(_ text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        var start = 0, index = 0
        while index < text.count {
            let byte = text[index]
            guard jsonEscapes[Int(byte)] else {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<index]))
            index += 1
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]  // \"
            case 0x5C: bytes += [0x5C, 0x5C]  // \\
            case 0x0A: bytes += [0x5C, 0x6E]  // \n
            case 0x0D: bytes += [0x5C, 0x72]  // \r
            case 0x09: bytes += [0x5C, 0x74]  // \t
            case 0x2F: bytes += [0x5C, 0x2F]  // \/ keeps `</script>` out of the script element
            case 0x3C: bytes += "\\u003c".utf8
            case 0x3E: bytes += "\\u003e".utf8
            case 0x26: bytes += "\\u0026".utf8
            case 0xE2:
                // U+2028 and U+2029 (E2 80 A8/A9); any other character starting so is copied.
                if index + 1 < text.count, text[index] == 0x80, text[index + 1] == 0xA8 || text[index + 1] == 0xA9 {
                    bytes += (text[index + 1] == 0xA8 ? "\\u2028" : "\\u2029").utf8
                    index += 2
                } else {
                    bytes.append(byte)
                }
            default:
                bytes += "\\u00".utf8
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
            start = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<index]))
        bytes.append(0x22)
    }

    /// The bytes `appendJSONString` does not copy as they are: control characters, `"`, `&`,
    /// `/`, `<`, `>`, `\`, and the first byte of U+2028/U+2029.
    private static let jsonEscapes: [Bool] = (0...255).map { $0 < 0x20 || [0x22, 0x26, 0x2F, 0x3C, 0x3E, 0x5C, 0xE2].contains($0) }
    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension OutputKind {
    /// `site`: the study website (`site/`).
    static let site = OutputKind(name: "site") {
        try SiteRenderer(templates: $0.templates, printsPDFs: $0.pdfPrinter != nil, keptHTML: $0.keptHTML("site"),
                         givesBackFreedMemory: $0.givesBackFreedMemory)
    }
}
