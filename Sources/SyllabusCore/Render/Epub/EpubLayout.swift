import Foundation

/// Where everything lives in the book: the files of each service's chapter (its opening with
/// the landing text, one file per note, a closing file with the review questions), the id of
/// each note's section and heading, the number of each card. Built once, before any file is
/// written, so every link can be pointed at its place.
struct EpubLayout {
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

    private(set) var chapters: [Chapter] = []
    /// Page id -> where its note starts.
    private(set) var pagePlaces: [String: Place] = [:]
    /// Page id -> heading id -> where that heading is.
    private(set) var headingPlaces: [String: [String: Place]] = [:]
    /// Page id -> its note's section id (used as its XHTML id prefix).
    private(set) var notePrefixes: [String: String] = [:]
    /// Page id -> heading or anchor id -> XHTML id.
    private(set) var headingIDs: [String: [String: String]] = [:]
    private(set) var chapterFiles: [String: String] = [:]
    /// Content-relative path of each picture the book shows -> the file it is packaged as
    /// (`images/flow-1a2b3c4d.png`: one flat folder, named by `LocalFile.flatName`).
    private(set) var images: [String: String] = [:]
    /// Where a link to any other file beside the notes goes: the copy on the published site
    /// (`base_url`); without one it is shown as text, as the book cannot hold it.
    private(set) var siteRoot: String?
    /// A hash of where every note, heading and card of the book is (the chapters, their files,
    /// notes, depths, "Also about" notes and numbered cards, and every place and XHTML id):
    /// equal keys point every link of the book at the same place. Made as the layout is: each
    /// chapter's from each value in the order it is set, which is the same for the same set
    /// (no sorting), and the book's from its chapters' in their order.
    private(set) var key = ""
    private var hasher = CacheKeyHasher()

    /// A layout with no chapters, for package metadata on its own.
    static let empty = EpubLayout()

    private init() { key = hasher.hex }

    /// The layout of `set`'s book. `checkpoint` is called before each chapter is laid out: a
    /// build that no longer wants the book (`OutputSink.checkpoint`) stops within a few
    /// chapters, not after the whole layout (tens of milliseconds of CPU for a large set,
    /// which a save in `serve` would wait for).
    ///
    /// Chapters are laid out on every core, `chaptersAtOnce` at a time (each is its own
    /// namespace of ids; only the cards' numbers run on across chapters, and they are counted
    /// first): the layout is most of what a one-note rebuild of the book costs.
    /// - Throws: what `checkpoint` throws.
    init(_ set: LinkedStudySet, checkpoint: () throws -> Void) rethrows {
        let services = set.studySet.servicesInUse
        // The number of each chapter's first card, less one.
        var numbers: [Int] = []
        var number = 0
        for service in services {
            numbers.append(number)
            for page in set.studySet.pages(of: service.id) { number += page.cards.lazy.filter { $0.serviceID == service.id }.count }
        }
        var laidOut: [EpubLayout] = []
        while laidOut.count < services.count {
            let start = laidOut.count, end = min(start + Self.chaptersAtOnce, services.count)
            for _ in start..<end { try checkpoint() }
            laidOut += parallelMap(end - start) { Self(chapter: services[start + $0], of: set, numberedAfter: numbers[start + $0]) }
        }
        // Sized once: thousands of notes, tens of thousands of headings.
        pagePlaces.reserveCapacity(laidOut.reduce(0) { $0 + $1.pagePlaces.count })
        headingPlaces.reserveCapacity(laidOut.reduce(0) { $0 + $1.headingPlaces.count })
        notePrefixes.reserveCapacity(laidOut.reduce(0) { $0 + $1.notePrefixes.count })
        headingIDs.reserveCapacity(laidOut.reduce(0) { $0 + $1.headingIDs.count })
        for part in laidOut { add(laidOut: part) }
        for page in set.studySet.allPages {
            for case let .file(path, true) in set.links(of: page).targets {
                if let file = set.localFiles[path], file.isImage { images[path] = "images/" + file.flatName }
            }
        }
        siteRoot = set.config.baseURL
        key = hasher.hex
    }

    /// How many chapters are laid out side by side between two safe points: enough to keep
    /// every core busy (chapters differ in size), few enough to stop soon.
    private static let chaptersAtOnce = 2 * ProcessInfo.processInfo.activeProcessorCount

    /// Adds the chapter `part` lays out (see `init(chapter:of:numberedAfter:)`) after the others.
    private mutating func add(laidOut part: EpubLayout) {
        chapters += part.chapters
        pagePlaces.merge(part.pagePlaces) { $1 }
        headingPlaces.merge(part.headingPlaces) { old, new in old.merging(new) { $1 } }
        notePrefixes.merge(part.notePrefixes) { $1 }
        headingIDs.merge(part.headingIDs) { old, new in old.merging(new) { $1 } }
        chapterFiles.merge(part.chapterFiles) { $1 }
        hasher.add(part.key)
    }

    /// A layout of `service`'s chapter alone, its cards numbered from `number` + 1, with the
    /// key of what it holds.
    private init(chapter service: Service, of set: LinkedStudySet, numberedAfter number: Int) {
        var number = number
        let file = "service-\(service.id).xhtml"
        chapterFiles[service.id] = file
        let pages = set.studySet.pages(of: service.id)
        let own = pages.filter { $0.serviceID == service.id }
        let seeAlso = pages.filter { $0.serviceID != service.id }
        let hasCards = pages.contains { page in page.cards.contains { $0.serviceID == service.id } }
        let closingFile = seeAlso.isEmpty && !hasCards ? nil : "service-\(service.id)--\(Self.reviewID).xhtml"
        var noteFiles: [String] = []
        var ids = UniqueIDs(reserved: [Self.reviewID])
        var notes: [Page] = []
        for page in own {
            let cardHeadings = Set(page.cards.filter { !$0.isInline }.map(\.anchor))
            if page.isCardsFile {
                // A cards file is its questions: they live in "Review questions" and "Answers".
                let review = Place(file: closingFile ?? file, id: Self.reviewID)
                place(page.id, review)
                for heading in page.headings where !cardHeadings.contains(heading.id) {
                    place(page.id, heading.id, review)
                }
                for anchor in page.anchors { place(page.id, anchor, review) }
            } else {
                notes.append(page)
                let prefix = ids.make("note-" + XML.id(page.slug))
                notePrefixes[page.id] = prefix
                // Ids stay unique across the whole chapter, so a note's file name can be
                // made from its section id.
                let noteFile = page.isLanding ? file : "service-\(service.id)--\(prefix).xhtml"
                noteFiles.append(noteFile)
                place(page.id, Place(file: noteFile, id: prefix))
                // Headings and HTML anchors share one namespace in a note. The note's ids and
                // places are gathered here and stored once (a note has tens of headings).
                var pageIDs: [String: String] = [:], places: [String: Place] = [:]
                for target in page.headings.map(\.id) + page.anchors {
                    let id = ids.make("\(prefix)--\(XML.id(target))")
                    pageIDs[target] = id
                    hasher.add(target)
                    hasher.add(id)
                    places[target] = Place(file: noteFile, id: id)
                    add(page.id, target, places[target]!)
                }
                if !pageIDs.isEmpty {
                    headingIDs[page.id, default: [:]].merge(pageIDs) { $1 }
                    headingPlaces[page.id, default: [:]].merge(places) { $1 }
                }
            }
        }
        var cards: [(Int, Card)] = []
        for page in pages {
            for card in page.cards where card.serviceID == service.id {
                number += 1
                cards.append((number, card))
                if page.isCardsFile, !card.isInline {
                    place(card.pageID, card.anchor, Place(file: Self.answersFile, id: Self.answerID(number)))
                }
            }
        }
        let chapter = Chapter(service: service, file: file, notes: notes, depths: notes.map { set.studySet.outlineDepth(of: $0.id) },
                              seeAlso: seeAlso, cards: cards, noteFiles: noteFiles, closingFile: closingFile,
                              files: [file] + noteFiles.filter { $0 != file } + [closingFile].compactMap { $0 })
        chapters.append(chapter)
        add(chapter)
        key = hasher.hex
    }

    /// Puts `page`'s note at `place` (see `key`).
    private mutating func place(_ page: String, _ place: Place) {
        pagePlaces[page] = place
        hasher.add(1)
        hasher.add(page)
        hasher.add(place.href)
    }

    /// Puts `page`'s heading or anchor `target` at `place` (see `key`).
    private mutating func place(_ page: String, _ target: String, _ place: Place) {
        headingPlaces[page, default: [:]][target] = place
        add(page, target, place)
    }

    /// Adds to `key` that `page`'s heading or anchor `target` is at `place`.
    private mutating func add(_ page: String, _ target: String, _ place: Place) {
        hasher.add(2)
        hasher.add(page)
        hasher.add(target)
        hasher.add(place.href)
    }

    /// Adds what `chapter` holds to `key`.
    private mutating func add(_ chapter: Chapter) {
        hasher.add(3)
        hasher.add(chapter.service.id)
        for file in chapter.files { hasher.add(file) }
        for (page, depth) in zip(chapter.notes, chapter.depths) {
            hasher.add(page.id)
            hasher.add(depth)
        }
        for page in chapter.seeAlso {
            hasher.add(page.id)
            hasher.add(page.title)
        }
        for (number, card) in chapter.cards {
            hasher.add(number)
            hasher.add(card.pageID)
            hasher.add(card.index)
        }
    }

    static func questionID(_ number: Int) -> String { "q-\(number)" }
    static func answerID(_ number: Int) -> String { "a-\(number)" }

    /// The book-internal href of a link target; nil when it resolves nowhere in the book.
    func href(_ target: LinkTarget) -> String? {
        switch target {
        case let .page(id, fragment):
            if let fragment, let place = headingPlaces[id]?[fragment] { return place.href }
            return pagePlaces[id]?.href
        case let .service(id):
            return chapterFiles[id]
        case let .file(path, embedded):
            if embedded, let image = images[path] { return image }
            return siteRoot.map { $0 + SiteLinks.encoded(path) }
        }
    }
}
