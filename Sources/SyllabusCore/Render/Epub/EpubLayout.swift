import Foundation

/// Where everything lives in the book: the files of each service's chapter (its opening with
/// the landing text, one file per note, a closing file with the review questions), the id of
/// each note's section and heading, the number of each card, so that every link can be
/// pointed at its place. Keyed whole when made (`key`), but each chapter is laid out only
/// when first asked for, once, from whichever thread asks: a rebuild that makes a few files
/// lays out their chapters and those they link into, not the book.
final class EpubLayout: @unchecked Sendable {
    struct Chapter {
        var service: Service
        /// The chapter's opening file (`service-<id>.xhtml`): its title and its landing text.
        var file: String
        /// The service's own notes, written in this chapter (cards files excepted).
        var notes: [Page]
        /// How deep its service's landing text nests each note (`StudySet.outlineDepth`), for
        /// the book's table of contents.
        var depths: [Int]
        /// Notes of other services that also list this one.
        var seeAlso: [Page]
        /// The service's cards with their book-wide numbers.
        var cards: [(number: Int, card: Card)]
        /// The file each of `notes` is written in: the opening file for a landing text, its
        /// own file (`service-<id>--<note id>.xhtml`) for every other note, so that no content
        /// file grows with the size of its service (readers page slowly through big files).
        var noteFiles: [String]
        /// The file after the notes with "Also about" and the review questions; nil when the
        /// chapter has neither.
        var closingFile: String?

        /// Every file of the chapter in reading order (never empty: the opening comes first).
        var files: [String] = []

        /// The file the chapter's sources close: its last.
        var lastFile: String { files[files.count - 1] }
    }

    /// A place in the book: a file, or an id in a file.
    struct Place: Hashable {
        /// `file#id` (`file` without an id): made once, as every link to the place asks for it.
        let href: String

        init(file: String, id: String?) {
            href = id.map { "\(file)#\($0)" } ?? file
        }
    }

    static let titleFile = "title.xhtml"
    static let navFile = "nav.xhtml"
    static let answersFile = "answers.xhtml"
    static let indexFile = "index.xhtml"
    static let reviewID = "review"

    /// The services whose chapters the book holds, in reading order.
    let services: [Service]
    /// Content-relative path of each picture the book shows -> the file it is packaged as
    /// (`images/flow-1a2b3c4d.png`: one flat folder, named by `LocalFile.flatName`).
    private(set) var images: [String: String] = [:]
    /// Where a link to any other file beside the notes goes: the copy on the published site
    /// (`base_url`); without one it is shown as text, as the book cannot hold it.
    private(set) var siteRoot: String?
    /// A hash of everything the layout is made from, without laying it out: for each chapter
    /// in order its service, the number its cards start after and, for each page it lists
    /// (`StudySet.pages(of:)`), what laying out reads of it (id, service, slug, title, kind,
    /// outline depth, heading and anchor ids, cards); then the pictures and `base_url`. Equal
    /// keys lay out the same book, so they point every link at the same place. Made on every
    /// build (hashing, a few milliseconds for 2,000 notes) where laying every chapter out
    /// costs ten times that: a rebuild lays out only the chapters it makes files of or links
    /// into (see `chapter(_:)`).
    private(set) var key = ""
    /// The chapters' part of `key`: a hash of every chapter's `chapterKey`, in order. Those
    /// read only set facts (`NoteFacts.sharesSetFacts(with:)`), so a build of a set with the
    /// same `LinkedStudySet.setFactsKey` may take it from the last one (see `init`).
    private(set) var chaptersKey = ""

    /// The set the chapters are laid out from, without trees.
    private let set: LinkedStudySet?
    /// The number each chapter's first card follows (the cards before it), by chapter.
    private let numbers: [Int]
    /// Service id -> its chapter's index in `services`.
    private let chapterIndex: [String: Int]
    /// Guards `laidOut` and `knownFiles`: chapters are laid out from many threads.
    private let lock = NSLock()
    /// Each chapter's layout, once asked for, by chapter index.
    private var laidOut: [ChapterLayout?]
    /// Each chapter's files as the book this layout's key last made laid them out (see
    /// `know(files:)`), by chapter index; nil: not known.
    private var knownFiles: [[String]]?
    /// True for a layout made by `whole()`, whose every chapter's tables are merged, chapter
    /// after chapter, into the four below (empty otherwise): read without the lock (they never
    /// change) and in one lookup, as every link of a book made whole asks for one. Stored
    /// properties each, so that a lookup copies (and retains) none of them.
    private let isWhole: Bool
    private let allPagePlaces: [String: Place]
    private let allHeadingPlaces: [String: [String: Place]]
    private let allNotePrefixes: [String: String]
    private let allHeadingIDs: [String: [String: String]]

    /// A layout with no chapters, for package metadata on its own.
    static let empty = EpubLayout()

    private init() {
        services = []
        set = nil
        numbers = []
        hasCards = false
        chapterIndex = [:]
        laidOut = []
        (isWhole, allPagePlaces, allHeadingPlaces, allNotePrefixes, allHeadingIDs) = (false, [:], [:], [:], [:])
        key = CacheKeyHasher().hex
    }

    /// This layout with every chapter laid out (on every core) and their places merged: for a
    /// build that makes or keys every file, whose links would otherwise each find their
    /// target's chapter first. `checkpoint` is called before each chapter is laid out, as in
    /// `init`: laying a large book out takes tens of milliseconds, which a save in `serve`
    /// would wait for.
    /// - Throws: what `checkpoint` throws.
    func whole(checkpoint: () throws -> Void) rethrows -> EpubLayout {
        var start = 0
        while start < services.count {
            let end = min(start + Self.chaptersAtOnce, services.count)
            for _ in start..<end { try checkpoint() }
            _ = parallelMap(end - start) { layout(start + $0) }
            start = end
        }
        return EpubLayout(whole: self)
    }

    private init(whole lazy: EpubLayout) {
        services = lazy.services
        images = lazy.images
        siteRoot = lazy.siteRoot
        key = lazy.key
        chaptersKey = lazy.chaptersKey
        set = lazy.set
        numbers = lazy.numbers
        hasCards = lazy.hasCards
        chapterIndex = lazy.chapterIndex
        let chapters = lazy.chapterLayouts
        laidOut = chapters
        var pagePlaces: [String: Place] = [:], headingPlaces: [String: [String: Place]] = [:]
        var notePrefixes: [String: String] = [:], headingIDs: [String: [String: String]] = [:]
        // Sized once: thousands of notes, tens of thousands of headings.
        pagePlaces.reserveCapacity(chapters.reduce(0) { $0 + $1.pagePlaces.count })
        headingPlaces.reserveCapacity(chapters.reduce(0) { $0 + $1.headingPlaces.count })
        notePrefixes.reserveCapacity(chapters.reduce(0) { $0 + $1.notePrefixes.count })
        headingIDs.reserveCapacity(chapters.reduce(0) { $0 + $1.headingIDs.count })
        // In chapter order, a later chapter's place winning (see `place(of:heading:)`).
        for chapter in chapters {
            pagePlaces.merge(chapter.pagePlaces) { $1 }
            headingPlaces.merge(chapter.headingPlaces) { old, new in old.merging(new) { $1 } }
            notePrefixes.merge(chapter.notePrefixes) { $1 }
            headingIDs.merge(chapter.headingIDs) { old, new in old.merging(new) { $1 } }
        }
        (isWhole, allPagePlaces, allHeadingPlaces, allNotePrefixes, allHeadingIDs) = (true, pagePlaces, headingPlaces, notePrefixes, headingIDs)
    }

    /// The layout of `set`'s book, its chapters not yet laid out (see `chapter(_:)`).
    /// `checkpoint` is called before each chapter's part of `key` is made: a build that no
    /// longer wants the book (`OutputSink.checkpoint`) stops within a few chapters.
    /// `chaptersKey`, when given, must be the `chaptersKey` of a layout of a set with the
    /// same set facts (see `LinkedStudySet.setFactsKey`): then no chapter is hashed (for
    /// 2,000 notes, the layout of a one-note rebuild took 1.1 ms of CPU instead of 2.6 ms).
    /// - Throws: what `checkpoint` throws.
    init(_ set: LinkedStudySet, chaptersKey known: String? = nil, checkpoint: () throws -> Void) rethrows {
        var bare = set
        bare.trees = .none
        self.set = bare
        let services = set.studySet.servicesInUse
        self.services = services
        chapterIndex = Dictionary(services.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        // The number of each chapter's first card, less one.
        var numbers: [Int] = []
        var number = 0
        for service in services {
            numbers.append(number)
            for page in set.studySet.pages(of: service.id) { number += page.cards.lazy.filter { $0.serviceID == service.id }.count }
        }
        self.numbers = numbers
        hasCards = number > 0
        laidOut = Array(repeating: nil, count: services.count)
        (isWhole, allPagePlaces, allHeadingPlaces, allNotePrefixes, allHeadingIDs) = (false, [:], [:], [:], [:])
        if let known {
            try checkpoint()
            chaptersKey = known
        } else {
            var keys: [String] = []
            while keys.count < services.count {
                let start = keys.count, end = min(start + Self.chaptersAtOnce, services.count)
                for _ in start..<end { try checkpoint() }
                keys += parallelMap(end - start) { Self.chapterKey(services[start + $0], of: set.studySet, numberedAfter: numbers[start + $0]) }
            }
            var chapters = CacheKeyHasher()
            for key in keys { chapters.add(key) }
            chaptersKey = chapters.hex
        }
        for page in set.studySet.allPages {
            for (path, embedded) in set.fileTargets(of: page) where embedded {
                if let file = set.localFiles[path], file.isImage { images[path] = "images/" + file.flatName }
            }
        }
        siteRoot = set.config.baseURL
        var hasher = CacheKeyHasher()
        hasher.add(chaptersKey)
        for (path, name) in images.sorted(by: { $0.key < $1.key }) {
            hasher.add(path)
            hasher.add(name)
        }
        hasher.add(siteRoot ?? "\u{0}")
        key = hasher.hex
    }

    /// How many chapters are keyed side by side between two safe points: enough to keep
    /// every core busy (chapters differ in size), few enough to stop soon.
    private static let chaptersAtOnce = 2 * ProcessInfo.processInfo.activeProcessorCount

    /// A hash of what laying out `service`'s chapter reads (see `key`); `init(chapter:of:numberedAfter:)`
    /// must read nothing else.
    static func chapterKey(_ service: Service, of studySet: StudySet, numberedAfter number: Int) -> String {
        var hasher = CacheKeyHasher()
        hasher.add(service.id)
        hasher.add(number)
        let pages = studySet.pages(of: service.id)
        hasher.add(pages.count)
        for page in pages {
            hasher.add(page.id)
            hasher.add(page.serviceID)
            hasher.add(page.slug)
            hasher.add(page.title)
            hasher.add((page.isCardsFile ? 1 : 0) + (page.isLanding ? 2 : 0))
            hasher.add(studySet.outlineDepth(of: page.id))
            hasher.add(page.headings.count)
            for heading in page.headings { hasher.add(heading.id) }
            hasher.add(page.anchors.count)
            for anchor in page.anchors { hasher.add(anchor) }
            hasher.add(page.cards.count)
            for card in page.cards {
                hasher.add(card.serviceID)
                hasher.add(card.pageID)
                hasher.add(card.index)
                hasher.add(card.anchor)
                hasher.add(card.isInline ? 1 : 0)
            }
        }
        return hasher.hex
    }

    /// Every chapter, laid out (those not yet on every core).
    var chapters: [Chapter] { chapterLayouts.map(\.chapter) }

    /// Whether a chapter has cards: without, the book has no answers appendix. Counted with
    /// the chapters' numbers, so that asking lays no chapter out (a one-note rebuild lays out
    /// only the chapters it makes files of).
    let hasCards: Bool

    /// Every chapter's layout, those not yet laid out laid out now on every core.
    private var chapterLayouts: [ChapterLayout] {
        let missing = lock.withLock { laidOut.indices.filter { laidOut[$0] == nil } }
        if !missing.isEmpty {
            let made = parallelMap(missing.count) { layOut(missing[$0]) }
            lock.withLock {
                for (index, chapter) in zip(missing, made) where laidOut[index] == nil { laidOut[index] = chapter }
            }
        }
        return lock.withLock { laidOut.map { $0! } }
    }

    /// The chapter at `index` of `services`, laid out the first time it is asked for.
    func chapter(_ index: Int) -> Chapter { layout(index).chapter }

    /// The files of the chapter at `index`, in reading order: as the last book laid them out
    /// when `know(files:)` was told them, without laying the chapter out.
    func files(ofChapter index: Int) -> [String] {
        if let files = lock.withLock({ laidOut[index] == nil ? knownFiles?[index] : nil }) { return files }
        return chapter(index).files
    }

    /// Every file of every chapter, chapter by chapter (see `files(ofChapter:)`).
    var chapterFileLists: [[String]] { services.indices.map(files(ofChapter:)) }

    /// Takes each chapter's files (by chapter index) from the book a layout with this layout's
    /// `key` made: the same key lays them out the same (see `key`). Ignored unless there is a
    /// list per chapter.
    func know(files: [[String]]) {
        guard files.count == services.count else { return }
        lock.withLock { knownFiles = files }
    }

    /// The notes the chapter at `index` writes (`Chapter.notes`), without laying it out.
    func notes(ofChapter index: Int) -> [Page] {
        let id = services[index].id
        return set?.studySet.pages(of: id).filter { $0.serviceID == id && !$0.isCardsFile } ?? []
    }

    /// The chapter at `index`'s layout, laid out now if no thread has yet.
    private func layout(_ index: Int) -> ChapterLayout {
        if let made = lock.withLock({ laidOut[index] }) { return made }
        let made = layOut(index)
        return lock.withLock {
            if let other = laidOut[index] { return other }
            laidOut[index] = made
            return made
        }
    }

    private func layOut(_ index: Int) -> ChapterLayout {
        ChapterLayout(chapter: services[index], of: set!.studySet, numberedAfter: numbers[index])
    }

    /// Where `page`'s note starts (nil for a page the book does not place).
    func place(of page: String) -> Place? {
        if isWhole { return allPagePlaces[page] }
        guard let own = set?.page(page), let index = chapterIndex[own.serviceID] else { return nil }
        return layout(index).pagePlaces[page]
    }

    /// Where `page`'s heading or anchor `target` is. Its own chapter places a note's headings;
    /// a cards file's cards are placed (in the answers) by each chapter they are numbered in,
    /// one of the services that list the file, the last such chapter winning, as when every
    /// chapter's places were merged in order.
    func place(of page: String, heading target: String) -> Place? {
        if isWhole { return allHeadingPlaces[page]?[target] }
        guard let own = set?.page(page) else { return nil }
        let ownIndex = chapterIndex[own.serviceID]
        guard own.isCardsFile, !own.extraServiceIDs.isEmpty else {
            return ownIndex.flatMap { layout($0).headingPlaces[page]?[target] }
        }
        var indices = own.extraServiceIDs.compactMap { chapterIndex[$0] }
        if let ownIndex { indices.append(ownIndex) }
        for index in indices.sorted(by: >) {
            if let place = layout(index).headingPlaces[page]?[target] { return place }
        }
        return nil
    }

    /// `page`'s note's section id (its XHTML id prefix), when the book writes the note.
    func notePrefix(of page: String) -> String? {
        if isWhole { return allNotePrefixes[page] }
        guard let own = set?.page(page), let index = chapterIndex[own.serviceID] else { return nil }
        return layout(index).notePrefixes[page]
    }

    /// `page`'s heading and anchor ids -> their XHTML ids.
    func headingIDs(of page: String) -> [String: String] {
        if isWhole { return allHeadingIDs[page] ?? [:] }
        guard let own = set?.page(page), let index = chapterIndex[own.serviceID] else { return [:] }
        return layout(index).headingIDs[page] ?? [:]
    }

    static func questionID(_ number: Int) -> String { "q-\(number)" }
    static func answerID(_ number: Int) -> String { "a-\(number)" }

    /// The book-internal href of a link target; nil when it resolves nowhere in the book.
    func href(_ target: LinkTarget) -> String? {
        switch target {
        case let .page(id, fragment):
            if let fragment, let place = place(of: id, heading: fragment) { return place.href }
            return place(of: id)?.href
        case let .service(id):
            return chapterIndex[id] == nil ? nil : "service-\(id).xhtml"
        case let .file(path, embedded):
            // Every picture the content folder has is packaged; one it lacks is shown as text.
            if embedded { return images[path] }
            return siteRoot.map { $0 + SiteLinks.encoded(path) }
        }
    }
}

/// One chapter laid out: where its notes, headings and cards are. A class: every link of the
/// book looks its target's place up in one, from many threads, and a struct's copy would
/// retain each of its tables.
private final class ChapterLayout: @unchecked Sendable {
    let chapter: EpubLayout.Chapter
    /// Page id -> where its note starts.
    private(set) var pagePlaces: [String: EpubLayout.Place] = [:]
    /// Page id -> heading id -> where that heading is.
    private(set) var headingPlaces: [String: [String: EpubLayout.Place]] = [:]
    /// Page id -> its note's section id (used as its XHTML id prefix).
    private(set) var notePrefixes: [String: String] = [:]
    /// Page id -> heading or anchor id -> XHTML id.
    private(set) var headingIDs: [String: [String: String]] = [:]

    /// A layout of `service`'s chapter alone, its cards numbered from `number` + 1. Reads only
    /// what `EpubLayout.chapterKey` hashes.
    init(chapter service: Service, of studySet: StudySet, numberedAfter number: Int) {
        typealias Place = EpubLayout.Place
        var number = number
        let file = "service-\(service.id).xhtml"
        let pages = studySet.pages(of: service.id)
        let own = pages.filter { $0.serviceID == service.id }
        let seeAlso = pages.filter { $0.serviceID != service.id }
        let hasCards = pages.contains { page in page.cards.contains { $0.serviceID == service.id } }
        let closingFile = seeAlso.isEmpty && !hasCards ? nil : "service-\(service.id)--\(EpubLayout.reviewID).xhtml"
        var noteFiles: [String] = []
        var ids = UniqueIDs(reserved: [EpubLayout.reviewID])
        var notes: [Page] = []
        // Sized once: a chapter's notes have hundreds of headings, each a place and an id.
        pagePlaces.reserveCapacity(own.count)
        headingPlaces.reserveCapacity(own.count)
        notePrefixes.reserveCapacity(own.count)
        headingIDs.reserveCapacity(own.count)
        for page in own {
            if page.isCardsFile {
                let cardHeadings = Set(page.cards.filter { !$0.isInline }.map(\.anchor))
                // A cards file is its questions: they live in "Review questions" and "Answers".
                let review = Place(file: closingFile ?? file, id: EpubLayout.reviewID)
                pagePlaces[page.id] = review
                for heading in page.headings where !cardHeadings.contains(heading.id) {
                    headingPlaces[page.id, default: [:]][heading.id] = review
                }
                for anchor in page.anchors { headingPlaces[page.id, default: [:]][anchor] = review }
            } else {
                notes.append(page)
                let prefix = ids.make("note-" + XML.id(page.slug))
                notePrefixes[page.id] = prefix
                // Ids stay unique across the whole chapter, so a note's file name can be
                // made from its section id.
                let noteFile = page.isLanding ? file : "service-\(service.id)--\(prefix).xhtml"
                noteFiles.append(noteFile)
                pagePlaces[page.id] = Place(file: noteFile, id: prefix)
                // Headings and HTML anchors share one namespace in a note. The note's ids and
                // places are gathered here and stored once (a note has tens of headings).
                var pageIDs: [String: String] = [:], places: [String: Place] = [:]
                pageIDs.reserveCapacity(page.headings.count + page.anchors.count)
                places.reserveCapacity(page.headings.count + page.anchors.count)
                func add(_ target: String) {
                    let id = ids.make("\(prefix)--\(XML.id(target))")
                    pageIDs[target] = id
                    places[target] = Place(file: noteFile, id: id)
                }
                for heading in page.headings { add(heading.id) }
                for anchor in page.anchors { add(anchor) }
                // A note is laid out once in its chapter: nothing is there yet to merge with.
                if !pageIDs.isEmpty {
                    headingIDs[page.id] = pageIDs
                    headingPlaces[page.id] = places
                }
            }
        }
        var cards: [(Int, Card)] = []
        for page in pages {
            for card in page.cards where card.serviceID == service.id {
                number += 1
                cards.append((number, card))
                if page.isCardsFile, !card.isInline {
                    headingPlaces[card.pageID, default: [:]][card.anchor] = Place(file: EpubLayout.answersFile, id: EpubLayout.answerID(number))
                }
            }
        }
        chapter = EpubLayout.Chapter(service: service, file: file, notes: notes, depths: notes.map { studySet.outlineDepth(of: $0.id) },
                                     seeAlso: seeAlso, cards: cards, noteFiles: noteFiles, closingFile: closingFile,
                                     files: [file] + noteFiles.filter { $0 != file } + [closingFile].compactMap { $0 })
    }
}
