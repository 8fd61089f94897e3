import Foundation

/// The study set as an EPUB 3 book (`ebook/<title-slug>.epub`): a chapter per service in
/// category order (its notes, then its review questions), an answers appendix and an index.
/// The same content always gives the same bytes.
public struct EpubRenderer: Renderer {
    /// Writes below `<output>/ebook/`.
    public let folder = "ebook"

    /// Needs no templates: the book's XHTML is written in code (see `XHTMLWriter`).
    public init() {}

    /// Every chapter, the answers and the index are keyed by what they show; a rebuild takes
    /// the unchanged ones back from the previous book and writes only the others (their notes
    /// are parsed again only then). Unless nothing in it changed, the book is zipped anew,
    /// the unchanged parts' compressed bytes copied from the previous book as they are.
    public func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        let layout = EpubLayout(set)
        let path = "\(folder)/\(Self.fileName(set.config.title)).epub"
        let exam = set.studySet.questions.isEmpty ? nil : EpubExam(set: set, layout: layout)
        let keys = partKeys(set, layout: layout, exam: exam)
        var whole = OutputKey("epub", set.environmentKey)
        for (name, key) in keys.sorted(by: { $0.key < $1.key }) { whole.add(name, key) }
        guard !output.reuse(path, key: whole.hex) else { return }
        let (kept, keptEntries) = Self.parts(of: output.previous(path), matching: keys)

        // Each card appears twice (question, answer): render it once, if a part made again
        // shows it (the answers show every card; a chapter its own).
        let numbered = kept[EpubLayout.answersFile] == nil ? layout.chapters.flatMap(\.cards)
            : layout.chapters.filter { kept[$0.file] == nil }.flatMap(\.cards)
        let cards = Lazy {
            Dictionary(uniqueKeysWithValues: zip(numbered.map(\.number),
                                                 set.renderCards(numbered.map(\.card), href: { layout.href($0) }, CardXHTML.init)))
        }
        let chapters = parallelMap(layout.chapters.count) { index -> Data in
            let chapter = layout.chapters[index]
            return kept[chapter.file] ?? Data(chapterDocument(chapter, set: set, layout: layout, cards: chapter.cards.isEmpty ? [:] : cards.value).utf8)
        }
        var content: [(path: String, data: Data)] = []
        content.append((EpubLayout.titleFile, Data(titlePage(set).utf8)))
        for (chapter, data) in zip(layout.chapters, chapters) { content.append((chapter.file, data)) }
        if let exam {
            let documents = Lazy { exam.documents() }
            content.append((EpubExam.questionsFile, kept[EpubExam.questionsFile] ?? Data(documents.value.questions.utf8)))
            content.append((EpubExam.answersFile, kept[EpubExam.answersFile] ?? Data(documents.value.answers.utf8)))
        }
        content.append((EpubLayout.answersFile, kept[EpubLayout.answersFile] ?? Data(answersDocument(set, layout: layout, cards: cards.value).utf8)))
        content.append((EpubLayout.indexFile, kept[EpubLayout.indexFile] ?? Data(indexDocument(set, layout: layout).utf8)))
        content.append(("style.css", Data(EpubPackage.stylesheet.utf8)))
        // Each picture once, in name order; its name holds its hash, so chapter keys cover it.
        for (name, path) in Dictionary(layout.images.map { ($1, $0) }, uniquingKeysWith: { a, _ in a }).sorted(by: { $0.key < $1.key }) {
            guard let file = set.localFiles[path], let data = set.fileReader?.data(file) else { continue }
            content.append((name, data))
        }

        let package = EpubPackage(config: set.config, layout: layout, hasExam: exam != nil, notes: { page in
            page.headings.filter { $0.level == 2 }.compactMap { heading in
                layout.headingPlaces[page.id]?[heading.id].map { (heading.text, $0.href) }
            }
        }, contentHash: Self.hash(content))
        content.append((EpubLayout.navFile, Data(package.nav().utf8)))
        content.append(("toc.ncx", Data(package.ncx().utf8)))
        content.append(("package.opf", Data(package.opf(items: content.map(\.path)).utf8)))

        var book = OutputFile(path: path, contents: try EpubArchive.make(content: content, date: package.modified, reusing: keptEntries), key: whole.hex)
        book.parts = keys
        try output.write([book])
    }

    /// What the book's date is derived from.
    private static func hash(_ content: [(path: String, data: Data)]) -> String {
        var hasher = CacheKeyHasher()
        for (path, data) in content {
            hasher.add(path)
            hasher.add(data)
        }
        return hasher.hex
    }

    /// The key of each chapter, the answers and the index: the book's layout (where every
    /// note, heading and card is) and what the part shows.
    private func partKeys(_ set: LinkedStudySet, layout: EpubLayout, exam: EpubExam?) -> [String: String] {
        let base = OutputKey("epub", set.environmentKey, layout.key)
        var keys: [String: String] = [:]
        for chapter in layout.chapters {
            var key = base.adding(chapter.file)
            for page in chapter.notes { key.add(set.links(of: page).renderKey) }
            key.add(cards: chapter.cards.map(\.card), of: set)
            keys[chapter.file] = key.hex
        }
        var answers = base.adding(EpubLayout.answersFile)
        answers.add(cards: layout.chapters.flatMap(\.cards).map(\.card), of: set)
        keys[EpubLayout.answersFile] = answers.hex
        keys[EpubLayout.indexFile] = base.adding(EpubLayout.indexFile, set.termsKey).hex
        if let exam {
            let key = exam.key(base: base)
            keys[EpubExam.questionsFile] = key.adding(EpubExam.questionsFile).hex
            keys[EpubExam.answersFile] = key.adding(EpubExam.answersFile).hex
        }
        return keys
    }

    /// The parts of the previous book whose key is unchanged, read back from it: their data
    /// by part name, and their compressed entries by path in the archive (copied into the new
    /// book as they are).
    private static func parts(of previous: PreviousOutput?, matching keys: [String: String]) -> (data: [String: Data], entries: [String: ZipEntry]) {
        guard let previous, let book = try? Data(contentsOf: previous.url), let archive = ZipEntry.entries(of: book) else { return ([:], [:]) }
        var parts: [String: Data] = [:]
        var entries: [String: ZipEntry] = [:]
        for (name, key) in keys where previous.parts[name] == key {
            guard let entry = archive["OEBPS/" + name], let data = entry.data() else { continue }
            parts[name] = data
            entries[entry.path] = entry
        }
        return (parts, entries)
    }

    /// `AWS Certified Developer – Associate` -> `aws-certified-developer-associate`.
    static func fileName(_ title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        let slug = Slugger.slug(folded).unicodeScalars.filter { $0.isASCII }.map(String.init).joined()
        let collapsed = slug.split(separator: "-").joined(separator: "-")
        return collapsed.isEmpty ? "book" : collapsed
    }

    // MARK: Documents

    static func document(title: String, language: String, body: String, bodyType: String? = nil) -> String {
        let lang = XML.escape(language)
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="\(lang)" lang="\(lang)">
        <head>
        <meta charset="UTF-8"/>
        <title>\(XML.escape(title))</title>
        <link rel="stylesheet" type="text/css" href="style.css"/>
        </head>
        <body\(bodyType.map { " epub:type=\"\($0)\"" } ?? "")>
        \(body)</body>
        </html>

        """
    }

    private func titlePage(_ set: LinkedStudySet) -> String {
        let body = """
        <section class="titlepage" epub:type="titlepage">
        <h1 class="book-title">\(XML.escape(set.config.title))</h1>
        <p class="book-author">\(XML.escape(set.config.author))</p>
        <p class="book-stats">\(counted(set.studySet.serviceCount, "service")) · \(counted(set.studySet.noteCount, "note")) · \(counted(set.studySet.cards.count, "review question"))</p>
        </section>

        """
        return Self.document(title: set.config.title, language: set.config.language, body: body, bodyType: "frontmatter")
    }

    private func chapterDocument(_ chapter: EpubLayout.Chapter, set: LinkedStudySet, layout: EpubLayout, cards: [Int: CardXHTML]) -> String {
        var body = "<section epub:type=\"chapter\" class=\"chapter\">\n"
        body += "<h1 class=\"chapter-title\">\(XML.escape(chapter.service.name))</h1>\n"
        body += "<p class=\"chapter-category\">\(XML.escape(chapter.service.category))</p>\n"
        for page in chapter.notes {
            body += noteSection(page, set: set, layout: layout)
        }
        if !chapter.seeAlso.isEmpty {
            body += "<section class=\"see-also\">\n<h2>Also about \(XML.escape(chapter.service.short))</h2>\n<ul>\n"
            for page in chapter.seeAlso {
                if let href = layout.pagePlaces[page.id]?.href {
                    body += "<li><a href=\"\(XML.escape(href))\">\(XML.escape(page.title))</a></li>\n"
                }
            }
            body += "</ul>\n</section>\n"
        }
        if !chapter.cards.isEmpty {
            body += "<section class=\"review\" id=\"\(EpubLayout.reviewID)\">\n<h2>Review questions</h2>\n<ol class=\"questions\">\n"
            for (number, _) in chapter.cards {
                let xhtml = cards[number]!
                body += "<li id=\"\(EpubLayout.questionID(number))\" value=\"\(number)\"><p>\(xhtml.question) "
                body += "<a class=\"to-answer\" href=\"\(EpubLayout.answersFile)#\(EpubLayout.answerID(number))\">Answer</a></p></li>\n"
            }
            body += "</ol>\n</section>\n"
        }
        body += Self.sourcesSection(chapter, set: set)
        body += "</section>\n"
        return Self.document(title: chapter.service.name, language: set.config.language, body: body, bodyType: "bodymatter")
    }

    private func noteSection(_ page: Page, set: LinkedStudySet, layout: EpubLayout) -> String {
        let prefix = layout.notePrefixes[page.id] ?? "note"
        let content = set.content(of: page)
        let blocks = content.tree.document.children
        let titled = blocks.first { $0.kind == .heading }.map { $0.headingLevel == 1 && $0 == blocks.first } ?? false
        var html = "<section class=\"note\" id=\"\(prefix)\">\n"
        // A landing text opens its chapter, under the chapter's title (see `LandingText`).
        if !titled && !page.isLanding { html += "<h2>\(XML.escape(page.title))</h2>\n" }
        html += set.render(page, href: { layout.href($0) }) {
            var writer = XHTMLWriter()
            let ids = layout.headingIDs[page.id] ?? [:]
            writer.headingIDs = content.headingIDs.compactMapValues { ids[$0] }
            writer.anchorIDs = content.anchorIDs.mapValues { $0.compactMap { ids[$0] } }
            writer.headingShift = 1
            writer.footnotePrefix = "\(prefix)-fn"
            guard page.isLanding else { return writer.blocks([content.tree.document]) }
            return LandingText.withShownBlocks(of: page, in: set) { headingID in
                (headingID.flatMap { ids[$0] }.map { "<a id=\"\(XML.escape($0))\"></a>\n" } ?? "") + writer.blocks([content.tree.document])
            }
        }
        html += "</section>\n"
        return html
    }

    /// The chapter's sources, one item per note or card file it draws on (its notes, then the
    /// files of its cards): the file's checked date and its sources and its cards' own. Keyed
    /// with the chapter: both come from those files' bytes.
    static func sourcesSection(_ chapter: EpubLayout.Chapter, set: LinkedStudySet) -> String {
        var order: [Page] = chapter.notes
        var seen = Set(order.map(\.id))
        for (_, card) in chapter.cards where seen.insert(card.pageID).inserted {
            if let page = set.page(card.pageID) { order.append(page) }
        }
        var items = ""
        for page in order {
            var provenance = page.provenance
            for (_, card) in chapter.cards where card.pageID == page.id {
                for url in card.ownProvenance.sources where !provenance.sources.contains(url) { provenance.sources.append(url) }
            }
            let paragraph = ProvenanceHTML.paragraph(provenance)
            if !paragraph.isEmpty { items += "<li><p class=\"sources-note\">\(XML.escape(page.title))</p>\n\(paragraph)</li>\n" }
        }
        return items.isEmpty ? "" : "<section class=\"sources\">\n<h2>Sources</h2>\n<ul>\n\(items)</ul>\n</section>\n"
    }

    private func answersDocument(_ set: LinkedStudySet, layout: EpubLayout, cards: [Int: CardXHTML]) -> String {
        var body = "<section epub:type=\"appendix\" class=\"answers\">\n<h1>Answers</h1>\n"
        for chapter in layout.chapters where !chapter.cards.isEmpty {
            body += "<section class=\"answers-service\">\n<h2>\(XML.escape(chapter.service.name))</h2>\n"
            for (number, _) in chapter.cards {
                let xhtml = cards[number]!
                body += "<div class=\"answer\" id=\"\(EpubLayout.answerID(number))\">\n"
                body += "<p class=\"answer-question\"><a href=\"\(chapter.file)#\(EpubLayout.questionID(number))\">\(number).</a> \(xhtml.question)</p>\n"
                body += "<div class=\"answer-body\">\n\(xhtml.answer)</div>\n</div>\n"
            }
            body += "</section>\n"
        }
        body += "</section>\n"
        return Self.document(title: "Answers", language: set.config.language, body: body, bodyType: "backmatter")
    }

    private func indexDocument(_ set: LinkedStudySet, layout: EpubLayout) -> String {
        var body = "<section class=\"book-index\">\n<h1>Index</h1>\n"
        let letters = Dictionary(grouping: set.terms, by: \.letter).sorted { $0.key < $1.key }
        for (letter, terms) in letters {
            var entries = ""
            for term in terms {
                var seen = Set<String>()
                let places = term.places.compactMap { place -> String? in
                    guard let href = layout.href(place.target), seen.insert(href).inserted else { return nil }
                    return "<a href=\"\(XML.escape(href))\">\(XML.escape(place.label))</a>"
                }
                var refs = places.joined(separator: ", ")
                if let see = term.see { refs += (refs.isEmpty ? "" : "; ") + "see \(XML.escape(see))" }
                guard !refs.isEmpty else { continue }
                entries += "<li><span class=\"term\">\(XML.escape(term.text))</span>: \(refs)</li>\n"
            }
            guard !entries.isEmpty else { continue }
            body += "<section class=\"index-letter\">\n<h2>\(XML.escape(letter))</h2>\n<ul>\n\(entries)</ul>\n</section>\n"
        }
        body += "</section>\n"
        return Self.document(title: "Index", language: set.config.language, body: body, bodyType: "backmatter")
    }
}

/// A card's question and answer as XHTML fragments, with links pointed into the book.
struct CardXHTML {
    var question: String
    var answer: String

    /// Renders a card whose page's links are already pointed (see `LinkedStudySet.renderCards`).
    init(_ card: Card, nodes: CardNodes) {
        // One writer numbers the card's footnotes from 1 across front and back; the prefix
        // keeps their ids apart from every other card's in the same file.
        var writer = XHTMLWriter()
        writer.footnotePrefix = OwnFootnotes.prefix(card.guid)
        writer.numberFootnotes([nodes.front] + nodes.back)
        let front = writer.inlines(nodes.front.children)
        let back = card.isInline ? "<p>\(writer.inlines(nodes.back.flatMap(\.children)))</p>\n" + writer.footnotes(nodes.footnotes)
            : writer.blocks(nodes.back + nodes.footnotes)
        if card.kind == .cloze {
            var question = Cloze.question(front)
            var revealed = Cloze.revealed(front)
            // A deletion that spans markup would unbalance it: fall back to the plain text.
            if !XML.isWellFormed(question) || !XML.isWellFormed(revealed) {
                let plain = XML.escape(card.frontText)
                question = Cloze.question(plain)
                revealed = Cloze.revealed(plain)
            }
            self.question = question
            self.answer = "<p>\(revealed)</p>\n" + back
        } else {
            self.question = front
            self.answer = back
        }
    }
}

extension OutputKind {
    /// `epub`: the EPUB 3 book (`ebook/`).
    public static let epub = OutputKind(name: "epub") { _ in EpubRenderer() }
}
