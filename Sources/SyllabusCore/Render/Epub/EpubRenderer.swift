import Foundation

/// The study set as an EPUB 3 book (`ebook/<title-slug>.epub`): a chapter per service in
/// category order (its opening, one file per note, then its review questions; see
/// `EpubLayout`), an answers appendix and an index.
/// The same content always gives the same bytes.
struct EpubRenderer: Renderer {
    /// Writes below `<output>/ebook/`.
    let folder = "ebook"
    /// Its layout and keys, handed from `prepare` to `render`, are megabytes for a large set.
    let holdsHandOver = true

    /// Needs no templates: the book's XHTML is written in code (see `XHTMLWriter`).
    init() {}

    /// One content file of the book (below `OEBPS/`): the key of what it shows, and what it
    /// shows, worked out only for a file made again (a file copied from the previous book
    /// needs its chapter laid out for neither).
    private struct Part {
        var path: String
        var key: String
        /// True when `key` is the previous book's for `path`, taken as it was (see `KnownParts`).
        var known = false
        var content: () -> PartContent
    }

    /// What a content file shows: its cards, the notes and exam files whose trees it shows (by
    /// id, cards' notes aside), and how to make it from the set `render` is given (with those
    /// trees) and its cards' XHTML (in the order of `cards`).
    private struct PartContent {
        var cards: [(number: Int, card: Card)] = []
        var notes: [String] = []
        var make: (_ set: LinkedStudySet, _ cards: [CardXHTML]) -> Data
    }

    /// What both `prepare` and `render` need, worked out once per build (`prepare` hands it to
    /// `render`, see `OutputSink.handOver`): the book's path, layout, package documents, content
    /// files and key (every file's). It holds no note's tree.
    private struct Book {
        var path: String
        var layout: EpubLayout
        var package: EpubPackage
        var parts: [Part]
        var key: String
        /// See `structureKey`.
        var structure: String
        /// Each chapter's review key (see `parts`), by chapter index.
        var reviews: [String]
        /// The previous book's entries `render` copies (see `kept(from:matching:)`): listed by
        /// `prepare` when the book is made again, nil until then.
        var kept: Kept?
    }

    /// The entries of the previous book whose part's key is unchanged, by the part's index
    /// among the book's parts (nil: made again), and the book they are copied from.
    private struct Kept {
        var source: ZipSource?
        var entries: [ZipEntry?]
    }

    /// A file made again reads the trees of its notes and of its cards' notes; the practice
    /// exam's, the exam files'. A file copied from the previous book reads none.
    func prepare(_ set: LinkedStudySet, output: OutputSink) -> Set<String> {
        // Abandoned (`OutputSink.checkpoint`): the build stops right after this returns.
        guard var book = try? self.book(set, output: output) else { return [] }
        defer { output.handOver(book, as: folder) }
        guard !output.reuse(book.path, key: book.key) else { return [] }
        let kept = Self.kept(from: output.previous(book.path), matching: book.parts)
        book.kept = kept
        var needed = Set<String>()
        for (index, part) in book.parts.enumerated() where kept.entries[index] == nil {
            let content = part.content()
            needed.formUnion(content.notes)
            needed.formUnion(content.cards.map(\.card.pageID))
        }
        return needed
    }

    /// The book's layout, package documents and content files, with its key.
    /// - Throws: `BuildAbandoned` (see `OutputSink.checkpoint`).
    private func book(_ set: LinkedStudySet, output: OutputSink) throws -> Book {
        let state = output.state(EpubState.name).flatMap(EpubState.init(data:))
        // The same set facts lay out the same chapters: their keys are the last book's.
        let sameSetFacts = state.map { !set.setFactsKey.isEmpty && $0.setFacts == set.setFactsKey } ?? false
        var layout = try EpubLayout(set, chaptersKey: sameSetFacts ? state?.chapters : nil, checkpoint: output.checkpoint)
        try output.checkpoint()
        let hasExam = !set.studySet.questions.isEmpty
        let path = "\(folder)/\(Self.fileName(set.config.title)).epub"
        let structure = Self.structureKey(set, layout: layout, hasExam: hasExam)
        let known = KnownParts(output.previous(path), state: state, structure: structure, set: set, chapters: layout.services.count)
        // The same structure lays out the same files: a chapter none of whose pages changed
        // need not be laid out. Without it every file is keyed, and every link looked up.
        if let known { layout.know(files: known.files) } else { layout = try layout.whole(checkpoint: output.checkpoint) }
        let package = Self.package(set, layout: layout, hasExam: hasExam)
        var reviews: [String] = []
        let parts = try self.parts(set, layout: layout, hasExam: hasExam, package: package, known: known, reviews: &reviews, output: output)
        var whole = OutputKey("epub", set.environmentKey)
        for part in parts { whole.add(part.path, part.key) }
        return Book(path: path, layout: layout, package: package, parts: parts, key: whole.hex, structure: structure, reviews: reviews)
    }

    /// A hash of everything a content file's key is made from beyond the notes it shows (see
    /// `parts`): the tool and configuration, the layout (`EpubLayout.key`), where links can
    /// go and the files beside the notes (`LinkedStudySet.targetsKey`), and every note's
    /// title and kind (which files that link to it or list it show). What a note says itself
    /// (its Markdown, sources, cards and where its links go) is in its render key: with the
    /// same structure, a file whose notes have the render keys they had shows what it showed.
    static func structureKey(_ set: LinkedStudySet, layout: EpubLayout, hasExam: Bool) -> String {
        var key = CacheKeyHasher()
        key.add(set.environmentKey)
        key.add(layout.key)
        key.add(set.targetsKey)
        key.add(hasExam ? 1 : 0)
        for page in set.studySet.allPages {
            key.add(page.id)
            key.add(page.title)
            key.add(page.isLanding ? 1 : 0)
        }
        return key.hex
    }

    /// The previous book's part keys this build can take as they are (see `EpubState`).
    private struct KnownParts {
        /// The previous book's key of each part, by path.
        var keys: [String: String]
        /// The notes and exam files whose render key is not the one the previous book was made from.
        var changed: Set<String>
        /// Each chapter's files in the previous book (see `EpubState.files`).
        var files: [[String]]
        /// Each chapter's review key in the previous book (see `EpubState.reviews`).
        var reviews: [String]
        /// The services whose chapters list a changed note (`StudySet.pages(of:)`: its own
        /// service and the others it is about): worked out from the few changed notes, not
        /// by looking every chapter's notes up in `changed`.
        var touchedServices: Set<String> = []
        /// The previous keys of the contents (`nav.xhtml`, `toc.ncx`) when the book is made from
        /// the set facts the previous one was (see `EpubState.setFacts`): the contents show the
        /// notes' titles and `##` headings, which are set facts, where the layout (part of the
        /// structure) places them. Taken, they spare reading every note's headings (a cached
        /// note's are decoded when first read, see `Deferred`).
        var contents: (nav: String, ncx: String)?

        /// Nil (every key made) unless the live book is the one `state` describes and was made
        /// from the structure `structure`, in `chapters` chapters.
        init?(_ previous: PreviousOutput?, state: EpubState?, structure: String, set: LinkedStudySet, chapters: Int) {
            guard let previous, let state, state.bookKey == previous.key, state.structure == structure,
                  state.files.count == chapters, state.reviews.count == chapters else { return nil }
            keys = previous.parts
            files = state.files
            reviews = state.reviews
            let pages = set.studySet.allPages, kept = state.renderKeys
            // The same notes in the same order (any edit that adds, moves or removes none):
            // compared in place, without a table of thousands of ids.
            if kept.count == pages.count, zip(kept, pages).allSatisfy({ $0.id == $1.id }) {
                changed = Set(zip(kept, pages).lazy.filter { $0.key != set.links(of: $1).renderKey }.map(\.1.id))
            } else {
                let keys = Dictionary(kept.map { ($0.id, $0.key) }, uniquingKeysWith: { first, _ in first })
                changed = Set(pages.filter { keys[$0.id] != set.links(of: $0).renderKey }.map(\.id))
            }
            // Exam files are in no chapter (`set.page` finds notes alone).
            for page in changed.compactMap(set.page) { touchedServices.formUnion(page.facts.serviceIDs) }
            if !set.setFactsKey.isEmpty, state.setFacts == set.setFactsKey, let nav = keys[EpubLayout.navFile], let ncx = keys["toc.ncx"] {
                contents = (nav, ncx)
            }
        }

        /// The previous key of the part at `path`, when the part shows only notes (by id) whose
        /// render key did not change; nil when its key must be made.
        func key(_ path: String, showing pages: [String]) -> String? {
            guard let key = keys[path], !pages.contains(where: changed.contains) else { return nil }
            return key
        }

        /// The previous keys of the files of `layout`'s chapter at `index`, when none of the
        /// pages it lists changed; nil when the chapter's keys must be made.
        func keys(ofChapter index: Int, in layout: EpubLayout) -> [(path: String, key: String)]? {
            guard !touchedServices.contains(layout.services[index].id) else { return nil }
            var result: [(String, String)] = []
            for file in layout.files(ofChapter: index) {
                guard let key = keys[file] else { return nil }
                result.append((file, key))
            }
            return result
        }
    }

    /// The package documents (contents, `package.opf`) of the book `layout` lays out.
    private static func package(_ set: LinkedStudySet, layout: EpubLayout, hasExam: Bool) -> EpubPackage {
        EpubPackage(config: set.config, layout: layout, hasExam: hasExam, notes: { page, set in
            // A landing text's headings left out of the book (its title, a guide's "Contents"
            // over the notes' list) keep their ids but have nothing to show.
            let dropped = page.isLanding ? Set(LandingText.shownBlocks(of: page, in: set).droppedHeadingIDs) : []
            return page.headings.filter { $0.level == 2 && !dropped.contains($0.id) }.compactMap { heading in
                layout.place(of: page.id, heading: heading.id).map { (heading.text, $0.href) }
            }
        })
    }

    /// Every content file is keyed by what it shows; a rebuild copies the unchanged ones'
    /// compressed entries from the previous book as they are and makes only the others (their
    /// notes' trees are read only then, their cards rendered only then). Unless nothing in
    /// it changed, the book is zipped anew.
    func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        let book = try output.takePrepared(folder) as? Book ?? self.book(set, output: output)
        let (layout, parts) = (book.layout, book.parts)
        guard !output.reuse(book.path, key: book.key) else { return }
        try output.checkpoint()
        let kept = book.kept ?? Self.kept(from: output.previous(book.path), matching: parts)

        // What each file made again shows (a kept file's is never worked out).
        var contents: [Int: PartContent] = [:]
        for index in parts.indices where kept.entries[index] == nil { contents[index] = parts[index].content() }
        // A card shows in its chapter's review file and in the answers: rendered once, and
        // only if a file made again shows it.
        var shown: [Int: Card] = [:]
        for content in contents.values {
            for (number, card) in content.cards { shown[number] = card }
        }
        let numbers = shown.keys.sorted()
        let rendered = Dictionary(uniqueKeysWithValues: zip(numbers, set.renderCards(numbers.map { shown[$0]! }, href: { layout.href($0) }, CardXHTML.init)))
        // The back matter and contents are the largest files (megabytes each for a large set):
        // made first, so that no core is left making one of them alone at the end.
        let large: Set<String> = [EpubLayout.indexFile, EpubLayout.navFile, "toc.ncx", EpubLayout.answersFile, EpubExam.answersFile, EpubExam.questionsFile]
        // Only the files made again are made here; a kept one is its entry in the previous book.
        let remade = contents.keys.sorted()
        let order = remade.filter { large.contains(parts[$0].path) } + remade.filter { !large.contains(parts[$0].path) }
        try output.checkpoint()
        let made = parallelMap(order.count) { index -> Result<ZipEntry, Error> in
            let part = parts[order[index]], content = contents[order[index]]!
            return Result {
                // A safe point per file made: the largest take a while.
                try output.checkpoint()
                // Every card of a part made here is in `rendered` (see above).
                return try EpubArchive.entry(part.path, data: content.make(set, content.cards.map { rendered[$0.number]! }))
            }
        }
        var placed = kept.entries
        // The first failure in the book's order is the one reported.
        for (index, result) in zip(order, made).sorted(by: { $0.0 < $1.0 }) { placed[index] = try result.get() }
        let entries = placed.map { $0! }
        try output.checkpoint()

        var package = book.package
        package.contentHash = Self.hash(entries)
        let opf = try EpubArchive.entry("package.opf", data: package.opf(items: parts.map(\.path)))
        // Written a piece at a time: the kept entries go from the previous book to the new one
        // through a small buffer, never read into memory whole.
        let archive = try EpubArchive.make(content: entries + [opf], date: package.modified, source: kept.source)
        var file = OutputFile(path: book.path, size: archive.size, key: book.key) { try archive.write(into: $0) }
        file.parts = Dictionary(uniqueKeysWithValues: parts.map { ($0.path, $0.key) })
        try output.write([file])
        let renderKeys = set.studySet.allPages.map { EpubState.RenderKey(id: $0.id, key: set.links(of: $0).renderKey) }
        output.keep(EpubState(bookKey: book.key, structure: book.structure, files: layout.chapterFileLists, reviews: book.reviews,
                              renderKeys: renderKeys, setFacts: set.setFactsKey, chapters: layout.chaptersKey).data, state: EpubState.name)
    }

    /// What the book's date is derived from: each content file's path, size and CRC-32 (a
    /// kept entry's are read from the previous book's directory, without inflating it).
    private static func hash(_ entries: [ZipEntry]) -> String {
        var hasher = CacheKeyHasher()
        for entry in entries {
            hasher.add(entry.path)
            hasher.add(entry.uncompressedSize)
            hasher.add(Int(entry.crc32))
        }
        return hasher.hex
    }

    /// The book's content files in manifest order, each with its key: the title page, each
    /// chapter's files, the practice exam, the answers, the index, the stylesheet, the pictures
    /// and the contents (`package.opf`, dated by the rest, is made on every build).
    ///
    /// A note's file is keyed by the note's Markdown and where each of its links goes in the
    /// book, not by the whole layout: an edit elsewhere that moves nothing it links to leaves
    /// it as it is. A review file is keyed by its cards (their notes' Markdown and links) and
    /// the "Also about" list; the chapter's last file also by the text of its sources. The
    /// contents (megabytes for a large set) by the layout and the notes' titles and headings,
    /// the small title page and stylesheet by their text.
    ///
    /// With `known`, a file that shows notes (its own, its cards', its sources') whose render
    /// keys did not change keeps its previous key without hashing anything (see `EpubState`).
    /// A chapter's closing file is keyed through its review key (`reviews`, by chapter: its
    /// "Also about" list and its cards, "" without a closing file), which with `known` is
    /// the previous one unless a note of its cards changed: the sources that close the chapter
    /// show every note of it, so an edit of any keys the file again, and the review part of
    /// its key would otherwise lay out the chapters of every note it lists and links to.
    /// - Throws: `BuildAbandoned` (see `OutputSink.checkpoint`).
    private func parts(_ set: LinkedStudySet, layout: EpubLayout, hasExam: Bool, package: EpubPackage, known: KnownParts?,
                       reviews: inout [String], output: OutputSink) throws -> [Part] {
        let base = OutputKey("epub", set.environmentKey)
        // The answers, index and exam link to every part of the book: keyed by the whole layout.
        let placed = base.adding(layout.key)
        // Where the links of every note and card file go, on every core: a large set's notes
        // hold tens of thousands of links.
        var linkKeys: [String: String] = [:]
        if known == nil {
            var linked: [Page] = []
            var seen = Set<String>()
            for chapter in layout.chapters {
                for page in chapter.notes where seen.insert(page.id).inserted { linked.append(page) }
                for (_, card) in chapter.cards where seen.insert(card.pageID).inserted {
                    if let page = set.page(card.pageID) { linked.append(page) }
                }
            }
            linkKeys = Dictionary(uniqueKeysWithValues: zip(linked.map(\.id), parallelMap(linked.count) { Self.linksKey(linked[$0], set: set, layout: layout) }))
        }
        try output.checkpoint()
        // With `known`, made only for the few files keyed again.
        func linkKey(_ id: String) -> String {
            if let key = linkKeys[id] { return key }
            let key = set.page(id).map { Self.linksKey($0, set: set, layout: layout) } ?? ""
            linkKeys[id] = key
            return key
        }
        func add(cards: [(number: Int, card: Card)], to key: inout OutputKey) {
            for (number, card) in cards {
                key.add(String(number), card.pageID, String(card.index), card.guid, linkKey(card.pageID))
            }
        }
        var parts = [Self.textPart(EpubLayout.titleFile, titlePage(set), base: base)]
        for index in layout.services.indices {
            if let known, let files = known.keys(ofChapter: index, in: layout) {
                // Nothing it shows changed: its files keep their keys, and the chapter is laid
                // out only if one of them must be made all the same (missing from the book).
                for (file, key) in files {
                    parts.append(Part(path: file, key: key, known: true) { chapterContent(file, of: layout.chapter(index), layout: layout) })
                }
                reviews.append(known.reviews[index])
                continue
            }
            let chapter = layout.chapter(index)
            let cardPages = chapter.cards.map(\.card.pageID)
            let review: String = chapter.closingFile == nil ? "" : known.flatMap { known in
                cardPages.contains(where: known.changed.contains) ? nil : known.reviews[index]
            } ?? {
                var key = OutputKey("review")
                for page in chapter.seeAlso { key.add(page.title, layout.place(of: page.id)?.href ?? "") }
                add(cards: chapter.cards, to: &key)
                return key.hex
            }()
            reviews.append(review)
            for file in chapter.files {
                let notes = zip(chapter.notes, chapter.noteFiles).filter { $0.1 == file }.map(\.0.id)
                let closes = file == chapter.closingFile
                let last = file == chapter.lastFile
                // The notes whose Markdown, cards or sources the file shows.
                let shown = notes + (closes ? cardPages : []) + (last ? chapter.notes.map(\.id) + cardPages : [])
                let key = known?.key(file, showing: shown) ?? {
                    var key = base.adding(file, chapter.service.name, chapter.service.short, chapter.service.category)
                    for (page, noteFile) in zip(chapter.notes, chapter.noteFiles) where noteFile == file {
                        key.add(page.id, page.title, page.isLanding ? "landing" : "note", layout.notePrefix(of: page.id) ?? "")
                        // In the note's order, which the layout's ids follow.
                        let ids = layout.headingIDs(of: page.id)
                        for target in page.headings.map(\.id) + page.anchors { key.add(target, ids[target] ?? "") }
                        key.add(linkKey(page.id))
                    }
                    if closes { key.add(review) }
                    if last { key.add(Self.sourcesSection(chapter, set: set)) }
                    return key.hex
                }()
                let content = chapterContent(file, of: chapter, layout: layout)
                parts.append(Part(path: file, key: key) { content })
            }
        }
        if hasExam {
            let files = set.studySet.examPages.map(\.id)
            let kept = [EpubExam.questionsFile, EpubExam.answersFile].map { known?.key($0, showing: files) }
            let key = kept.contains(nil) ? EpubExam(set: set, layout: layout).key(base: placed) : nil
            let documents = ExamDocuments(layout: layout)
            parts.append(Part(path: EpubExam.questionsFile, key: kept[0] ?? key!.adding(EpubExam.questionsFile).hex) {
                PartContent(notes: files) { set, _ in Data(documents.make(set).questions.utf8) }
            })
            parts.append(Part(path: EpubExam.answersFile, key: kept[1] ?? key!.adding(EpubExam.answersFile).hex) {
                PartContent(notes: files) { set, _ in Data(documents.make(set).answers.utf8) }
            })
        }
        // Every card of the book (the pages of cards no chapter numbers too, which only makes
        // the key again): with the same layout, the cards' numbers and places are the same.
        let answersKey = known?.key(EpubLayout.answersFile, showing: set.studySet.cards.map(\.pageID)) ?? {
            let chapters = layout.chapters
            var answers = base.adding(EpubLayout.answersFile)
            for chapter in chapters where !chapter.cards.isEmpty { answers.add(chapter.service.name, chapter.closingFile ?? chapter.file) }
            add(cards: chapters.flatMap(\.cards), to: &answers)
            return answers.hex
        }()
        if layout.hasCards {
            parts.append(Part(path: EpubLayout.answersFile, key: answersKey) {
                let numbered = layout.chapters.flatMap(\.cards)
                return PartContent(cards: numbered) { set, cards in
                    Data(answersDocument(set, layout: layout, cards: Dictionary(uniqueKeysWithValues: zip(numbered.map(\.number), cards))).utf8)
                }
            })
        }
        parts.append(Part(path: EpubLayout.indexFile, key: placed.adding(EpubLayout.indexFile, set.termsKey).hex) {
            PartContent { set, _ in Data(indexDocument(set, layout: layout).utf8) }
        })
        parts.append(Self.textPart("style.css", EpubPackage.stylesheet, base: base))
        // Each picture once, in name order; its name holds its hash.
        for (name, path) in Dictionary(layout.images.map { ($1, $0) }, uniquingKeysWith: { a, _ in a }).sorted(by: { $0.key < $1.key }) {
            guard let file = set.localFiles[path], let data = set.fileReader?.data(file) else { continue }
            parts.append(Part(path: name, key: base.adding(name).hex) { PartContent { _, _ in data } })
        }
        // The contents: where the layout puts each note and its `##` headings, with their text,
        // and which headings of a landing text the chapter leaves out (see `package`): read
        // from its tree, so keyed by what it says, which an edit can change without changing
        // the set facts.
        let landings = set.studySet.allPages.filter(\.isLanding).map(\.id)
        let landingChanged = known.map { known in landings.contains(where: known.changed.contains) } ?? true
        let contents = (landingChanged ? nil : known?.contents) ?? {
            var contents = placed.adding(hasExam ? "exam" : "")
            for page in layout.services.indices.flatMap(layout.notes(ofChapter:)) {
                contents.add(page.title)
                for heading in page.headings where heading.level == 2 { contents.add(heading.id, heading.text) }
                if page.isLanding { contents.add(set.links(of: page).renderKey) }
            }
            return (contents.adding(EpubLayout.navFile).hex, contents.adding("toc.ncx").hex)
        }()
        parts.append(Part(path: EpubLayout.navFile, key: contents.nav) { PartContent(notes: landings) { set, _ in Data(package.nav(set).utf8) } })
        parts.append(Part(path: "toc.ncx", key: contents.ncx) { PartContent(notes: landings) { set, _ in Data(package.ncx(set).utf8) } })
        return parts
    }

    /// A part made without any note's tree, keyed by its text.
    private static func textPart(_ path: String, _ text: String, base: OutputKey) -> Part {
        var hasher = CacheKeyHasher()
        hasher.add(text)
        let data = Data(text.utf8)
        return Part(path: path, key: base.adding(path, hasher.hex).hex) { PartContent { _, _ in data } }
    }

    /// What `file` of `chapter` shows (see `PartContent`).
    private func chapterContent(_ file: String, of chapter: EpubLayout.Chapter, layout: EpubLayout) -> PartContent {
        let notes = zip(chapter.notes, chapter.noteFiles).filter { $0.1 == file }.map(\.0.id)
        let closes = file == chapter.closingFile
        let last = file == chapter.lastFile
        return PartContent(cards: closes ? chapter.cards : [], notes: notes) { set, cards in
            Data(chapterDocument(file, of: chapter, set: set, layout: layout, cards: cards,
                                 sources: last ? Self.sourcesSection(chapter, set: set) : "").utf8)
        }
    }

    /// The practice exam's two files, made together the first time either is (each question's
    /// Markdown rendered once), from the set `render` is given: the exam files' trees are
    /// parsed by then, not when the book's parts are worked out.
    private final class ExamDocuments: @unchecked Sendable {
        private let lock = NSLock()
        private let layout: EpubLayout
        private var made: (questions: String, answers: String)?

        init(layout: EpubLayout) { self.layout = layout }

        func make(_ set: LinkedStudySet) -> (questions: String, answers: String) {
            lock.withLock {
                if let made { return made }
                let documents = EpubExam(set: set, layout: layout).documents()
                made = documents
                return documents
            }
        }
    }

    /// What `page`'s nodes show in the book beyond its own Markdown: where each of its links
    /// goes, and (for a landing text, which leaves out lists of links to its own service's
    /// notes) the service of each note it links to.
    private static func linksKey(_ page: Page, set: LinkedStudySet, layout: EpubLayout) -> String {
        var key = CacheKeyHasher()
        let links = set.links(of: page)
        key.add(links.renderKey)
        for target in links.targets {
            key.add(layout.href(target) ?? "\u{0}")
            if case let .page(id, _) = target, let linked = set.page(id) {
                key.add(linked.serviceID)
                key.add(linked.isLanding ? 1 : 0)
            }
        }
        return key.hex
    }

    /// The entries of the previous book whose part's key is unchanged: their compressed bytes
    /// are copied into the new book as they are, never inflated. Only the book's directory is
    /// read here.
    private static func kept(from previous: PreviousOutput?, matching parts: [Part]) -> Kept {
        var kept = Kept(source: nil, entries: Array(repeating: nil, count: parts.count))
        guard let previous, let book = ZipSource(path: previous.url.path) else { return kept }
        kept.source = book
        // The previous book lists its parts in about this one's order: each part's entry is
        // looked for a few entries after the last one found, and by name only when it is not
        // there (a book's thousands of names were each hashed twice to be looked up).
        let listed = book.listed
        let byPath = Lazy { Dictionary(listed.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last }) }
        var next = 0
        for (index, part) in parts.enumerated() where part.known || previous.parts[part.path] == part.key {
            if let found = listed.indices[next...].prefix(4).first(where: { EpubArchive.isEntry(listed[$0], of: part.path) }) {
                kept.entries[index] = listed[found]
                next = found + 1
            } else {
                kept.entries[index] = byPath.value[EpubArchive.contentFolder + part.path]
            }
        }
        return kept
    }

    /// The book's file name without `.epub`: the title lowercased, its letters, marks and digits
    /// of any script kept and every run of other characters one `-`, at most 200 bytes of UTF-8
    /// (a file name may have 255); `book` when none is left.
    /// `AWS Certified Developer – Associate` -> `aws-certified-developer-associate`,
    /// `Prüfung für AWS` -> `prüfung-für-aws`, `AWS認定 開発者` -> `aws認定-開発者`.
    /// Links to it percent-encode it (`href(of:)`).
    static func fileName(_ title: String) -> String {
        // Letters are kept as written rather than folded to ASCII: `ü` to `u` makes other words
        // (`für`, `fur`), `ue` is right for German alone, a title in another script has no ASCII
        // form, and the systems a book is downloaded to take Unicode file names. Composed
        // (NFC), so a title typed either way names the same file. ASCII needs neither step
        // (nor Foundation's character sets): a rebuild names the book every time.
        let isASCII = title.utf8.allSatisfy { $0 < 0x80 }
        let lowered = (isASCII ? title : title.precomposedStringWithCanonicalMapping).lowercased()
        var name = ""
        for character in lowered {
            let kept = character.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII ? ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) : CharacterSet.alphanumerics.contains(scalar)
            }
            guard kept || !(name.isEmpty || name.hasSuffix("-")) else { continue }
            guard name.utf8.count + character.utf8.count <= 200 else { break }
            name.append(kept ? character : "-")
        }
        while name.hasSuffix("-") { name.removeLast() }
        return name.isEmpty ? "book" : name
    }

    /// The percent-encoded path of the book named from `title` in the output folder, for a link:
    /// `ebook/pr%C3%BCfung.epub`.
    static func href(of title: String) -> String {
        let name = fileName(title) + ".epub"
        return "ebook/" + (name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name)
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
        let words = set.config.bookWords
        // A book without cards has no review questions to count, one of cards alone no notes.
        let stats = [words.counted(set.studySet.serviceCount, words.services),
                     nonZeroCounts([(set.studySet.noteCount, words.counted(set.studySet.noteCount, words.notes)),
                                    (set.studySet.cards.count, words.counted(set.studySet.cards.count, words.questions))])]
        let body = """
        <section class="titlepage" epub:type="titlepage">
        <h1 class="book-title">\(XML.escape(set.config.title))</h1>
        <p class="book-author">\(XML.escape(set.config.author))</p>
        <p class="book-stats">\(XML.escape(stats.joined(separator: " · ")))</p>
        </section>

        """
        return Self.document(title: set.config.title, language: set.config.language, body: body, bodyType: "frontmatter")
    }

    /// One file of a chapter: its opening (title, category, landing text), a note, or its
    /// closing ("Also about", review questions); the chapter's last file ends with its sources.
    /// `cards`: the chapter's cards' XHTML in its order (empty unless `file` closes the
    /// chapter); `sources`: its sources section (empty unless `file` is its last).
    private func chapterDocument(_ file: String, of chapter: EpubLayout.Chapter, set: LinkedStudySet, layout: EpubLayout,
                                 cards: [CardXHTML], sources: String) -> String {
        let words = set.config.bookWords
        var body = ""
        var title = chapter.service.name
        if file == chapter.file {
            body += "<section epub:type=\"chapter\" class=\"chapter\">\n"
            body += "<h1 class=\"chapter-title\">\(XML.escape(chapter.service.name))</h1>\n"
            body += "<p class=\"chapter-category\">\(XML.escape(chapter.service.category))</p>\n"
        } else {
            body += "<section class=\"chapter\">\n"
        }
        for (page, noteFile) in zip(chapter.notes, chapter.noteFiles) where noteFile == file {
            if file != chapter.file { title = page.title }
            body += noteSection(page, set: set, layout: layout)
        }
        if file == chapter.closingFile {
            if !chapter.seeAlso.isEmpty {
                body += "<section class=\"see-also\">\n<h2>\(XML.escape(BookWords.fill(words.alsoAbout, ["service": chapter.service.short])))</h2>\n<ul>\n"
                for page in chapter.seeAlso {
                    if let href = layout.place(of: page.id)?.href {
                        body += "<li><a href=\"\(XML.escape(href))\">\(XML.escape(page.title))</a></li>\n"
                    }
                }
                body += "</ul>\n</section>\n"
            }
            if !chapter.cards.isEmpty {
                body += "<section class=\"review\" id=\"\(EpubLayout.reviewID)\">\n<h2>\(XML.escape(words.reviewQuestions))</h2>\n<ol class=\"questions\">\n"
                for ((number, _), xhtml) in zip(chapter.cards, cards) {
                    body += "<li id=\"\(EpubLayout.questionID(number))\" value=\"\(number)\"><p>\(xhtml.question) "
                    body += "<a class=\"to-answer\" href=\"\(EpubLayout.answersFile)#\(EpubLayout.answerID(number))\">\(XML.escape(words.answer))</a></p></li>\n"
                }
                body += "</ol>\n</section>\n"
            }
        }
        body += sources
        body += "</section>\n"
        return Self.document(title: title, language: set.config.language, body: body, bodyType: "bodymatter")
    }

    private func noteSection(_ page: Page, set: LinkedStudySet, layout: EpubLayout) -> String {
        let prefix = layout.notePrefix(of: page.id) ?? "note"
        let content = set.content(of: page)
        let blocks = content.tree.document.children
        let titled = blocks.first { $0.kind == .heading }.map { $0.headingLevel == 1 && $0 == blocks.first } ?? false
        var html = "<section class=\"note\" id=\"\(prefix)\">\n"
        // A landing text opens its chapter, under the chapter's title (see `LandingText`).
        if !titled && !page.isLanding { html += "<h2>\(XML.escape(page.title))</h2>\n" }
        var writer = XHTMLWriter()
        let ids = layout.headingIDs(of: page.id)
        writer.headingIDs = content.headingIDs.compactMapValues { ids[$0] }
        writer.anchorIDs = content.anchorIDs.mapValues { $0.compactMap { ids[$0] } }
        writer.headingShift = 1
        writer.footnotePrefix = "\(prefix)-fn"
        writer.links = set.pointedLinks(of: page) { layout.href($0) }
        if page.isLanding {
            let shown = LandingText.shownBlocks(of: page, in: set)
            html += shown.droppedHeadingIDs.compactMap { ids[$0] }.map { "<a id=\"\(XML.escape($0))\"></a>\n" }.joined() + writer.blocks(shown.blocks)
        } else {
            html += writer.blocks([content.tree.document])
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
        return items.isEmpty ? "" : "<section class=\"sources\">\n<h2>\(XML.escape(set.config.bookWords.sources))</h2>\n<ul>\n\(items)</ul>\n</section>\n"
    }

    private func answersDocument(_ set: LinkedStudySet, layout: EpubLayout, cards: [Int: CardXHTML]) -> String {
        var body = "<section epub:type=\"appendix\" class=\"answers\">\n<h1>\(XML.escape(set.config.bookWords.answers))</h1>\n"
        for chapter in layout.chapters where !chapter.cards.isEmpty {
            body += "<section class=\"answers-service\">\n<h2>\(XML.escape(chapter.service.name))</h2>\n"
            for (number, _) in chapter.cards {
                let xhtml = cards[number]!
                body += "<div class=\"answer\" id=\"\(EpubLayout.answerID(number))\">\n"
                body += "<p class=\"answer-question\"><a href=\"\(chapter.closingFile ?? chapter.file)#\(EpubLayout.questionID(number))\">\(number).</a> \(xhtml.question)</p>\n"
                body += "<div class=\"answer-body\">\n\(xhtml.answer)</div>\n</div>\n"
            }
            body += "</section>\n"
        }
        body += "</section>\n"
        return Self.document(title: set.config.bookWords.answers, language: set.config.language, body: body, bodyType: "backmatter")
    }

    private func indexDocument(_ set: LinkedStudySet, layout: EpubLayout) -> String {
        let words = set.config.bookWords
        var body = "<section class=\"book-index\">\n<h1>\(XML.escape(words.index))</h1>\n"
        let letters = Dictionary(grouping: set.terms, by: \.letter).sorted { $0.key < $1.key }
        // A "see" links to its entry when the book lists that entry: one whose pages are all
        // outside the book is left out.
        let targets = Term.anchored(set.terms) { term in term.see != nil || term.places.contains { layout.href($0.target) != nil } }
        for (letter, terms) in letters {
            var entries = ""
            // Appended piece by piece: the index of a large set is megabytes of links (tens of
            // thousands), and a string made for each link and joined was most of its time.
            var refs = ""
            for term in terms {
                var seen = Set<String>(minimumCapacity: term.places.count)
                refs.removeAll(keepingCapacity: true)
                for place in term.places {
                    guard let href = layout.href(place.target), seen.insert(href).inserted else { continue }
                    if !refs.isEmpty { refs += ", " }
                    refs += "<a href=\""
                    refs += XML.escape(href)
                    refs += "\">"
                    refs += XML.escape(place.label)
                    refs += "</a>"
                }
                if let see = term.see {
                    refs += XML.escape(refs.isEmpty ? words.see : "; " + words.seeAlso)
                    refs += targets.contains(see) ? "<a href=\"#\(XML.escape(Term.anchorID(see)))\">\(XML.escape(see))</a>" : XML.escape(see)
                }
                guard !refs.isEmpty else { continue }
                entries += targets.contains(term.text) ? "<li id=\"\(XML.escape(Term.anchorID(term.text)))\">" : "<li>"
                entries += "<span class=\"term\">"
                entries += XML.escape(term.text)
                entries += "</span>: "
                entries += refs
                entries += "</li>\n"
            }
            guard !entries.isEmpty else { continue }
            body += "<section class=\"index-letter\">\n<h2>\(XML.escape(letter))</h2>\n<ul>\n\(entries)</ul>\n</section>\n"
        }
        body += "</section>\n"
        return Self.document(title: words.index, language: set.config.language, body: body, bodyType: "backmatter")
    }
}

/// A card's question and answer as XHTML fragments, with links pointed into the book.
struct CardXHTML {
    var question: String
    var answer: String

    /// Renders a card, its page's links pointed by `links` (see `LinkedStudySet.renderCards`).
    init(_ card: Card, nodes: CardNodes, links: PointedLinks) {
        // One writer numbers the card's footnotes from 1 across front and back; the prefix
        // keeps their ids apart from every other card's in the same file.
        var writer = XHTMLWriter()
        writer.links = links
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
    static let epub = OutputKind(name: "epub") { _ in EpubRenderer() }
}
