import Foundation

/// What one note says on its own, found by the per-note stages (Markdown, Cards, the note's
/// placement and the facts its links and prose give the link stage) and never changed after:
/// equal `contentKey`s give equal facts. The build cache stores exactly this value: a fact
/// added here is added to its `RecordCoded` conformance too (`RecordCodingTests` fails until
/// it is), and `BuildCache.magic` bumped.
///
/// What depends on other notes (where links go, back-links, related services) is not here:
/// the link stage makes it each build (`NoteLinks`, `LinkedStudySet`).
struct NoteFacts: Sendable, Encodable {
    /// The source path relative to the content folder (`lambda/overview.md`); unique.
    let id: String
    /// Hash of everything the note's analysis read: its path and bytes, the configuration,
    /// the catalog and the tool (see `NoteAnalyzer.contentKey`).
    let contentKey: String
    /// The front matter's `title`, else the first heading's text, else the file name.
    let title: String
    /// The service whose folder the note is in (or that its front matter names, or that it
    /// mentions most, or `general`).
    let serviceID: String
    /// Further services from the `services:` front matter key.
    let extraServiceIDs: [String]
    /// Front matter tags, spaces replaced by `-` (Anki tags hold none).
    let tags: [String]
    /// Front matter `order` (0 when absent): notes of a service sort by it, then by title.
    let order: Int
    /// The file name of its page in its service's folder, without `.html`.
    let slug: String
    /// Every heading in document order, with the unique id the Markdown stage gave it.
    var headings: [Heading] { places.value.headings }
    /// The headings and anchors, which a cached note keeps undecoded until they are read
    /// (see `Deferred`).
    let places: Deferred<NotePlaces>
    /// True when one of `headings` names key numbers (`namesKeyNumbers(_:id:)`): the note's
    /// service's cheat sheet shows those sections. Found when the note is analysed and kept
    /// with it, since every build with cheat sheets asks it of every note (scanning every
    /// heading again took a one-note rebuild of 2,000 notes 3 ms).
    let hasKeyNumbers: Bool
    /// True when the note gives its own table of contents (see `OwnContents`): the site's
    /// "On this page" box is then left out where it would stand right above it (on a phone).
    let hasOwnContents: Bool
    /// Ids the note names itself outside its headings (HTML anchor elements), in document
    /// order; links may point at them like at headings.
    var anchors: [String] { places.value.anchors }
    /// The landing text of its service folder (`index.md`, `README.md`, `_index.md`): shown at
    /// the top of the service page and the start of its book chapter, never as a page of its own.
    let isLanding: Bool
    /// For a landing text: the notes its lists of links name, in order (see `Classifier.outline`).
    let outline: [OutlineEntry]
    /// A flashcard file (`*.cards.md`, or `cards: true`): its `##` headings are cards.
    let isCardsFile: Bool
    /// The front matter's `sources:` and `checked:`; each card may have its own as well.
    let provenance: Provenance
    /// The note's cards, in document order (`Card.index` is the position here).
    let cards: [Card]
    /// The questions of an exam file (`*.exam.md`), in document order.
    let questions: [Question]
    /// What the note's links and prose name, found before other notes are known.
    let linkFacts: NoteLinkFacts
    /// Problems found in this note alone (front matter, cards, links to non-notes), which a
    /// build restoring the note from the cache reports again.
    let diagnostics: [Diagnostic]

    init(id: String, contentKey: String, title: String, serviceID: String, extraServiceIDs: [String], tags: [String], order: Int,
         slug: String, headings: [Heading], hasKeyNumbers: Bool, hasOwnContents: Bool, anchors: [String], isLanding: Bool, outline: [OutlineEntry],
         isCardsFile: Bool, provenance: Provenance, cards: [Card], questions: [Question], linkFacts: NoteLinkFacts,
         diagnostics: [Diagnostic]) {
        self.init(id: id, contentKey: contentKey, title: title, serviceID: serviceID, extraServiceIDs: extraServiceIDs, tags: tags,
                  order: order, slug: slug, places: Deferred(NotePlaces(headings: headings, anchors: anchors)), hasKeyNumbers: hasKeyNumbers,
                  hasOwnContents: hasOwnContents,
                  isLanding: isLanding, outline: outline, isCardsFile: isCardsFile, provenance: provenance, cards: cards,
                  questions: questions, linkFacts: linkFacts, diagnostics: diagnostics)
    }

    /// The facts with their headings and anchors as they are (decoded or not).
    init(id: String, contentKey: String, title: String, serviceID: String, extraServiceIDs: [String], tags: [String], order: Int,
         slug: String, places: Deferred<NotePlaces>, hasKeyNumbers: Bool, hasOwnContents: Bool, isLanding: Bool, outline: [OutlineEntry],
         isCardsFile: Bool, provenance: Provenance, cards: [Card], questions: [Question], linkFacts: NoteLinkFacts,
         diagnostics: [Diagnostic]) {
        (self.id, self.contentKey, self.title, self.serviceID, self.extraServiceIDs, self.tags, self.order, self.slug) =
            (id, contentKey, title, serviceID, extraServiceIDs, tags, order, slug)
        (self.places, self.hasKeyNumbers, self.hasOwnContents, self.isLanding, self.outline, self.isCardsFile, self.provenance) =
            (places, hasKeyNumbers, hasOwnContents, isLanding, outline, isCardsFile, provenance)
        (self.cards, self.questions, self.linkFacts, self.diagnostics) = (cards, questions, linkFacts, diagnostics)
    }

    /// The note's page in the site, relative to the site's root: `<service>/<slug>.html`.
    var outputPath: String { "\(serviceID)/\(slug).html" }
    /// Its own service first, then the others it lists.
    var serviceIDs: [String] { [serviceID] + extraServiceIDs.filter { $0 != serviceID } }
    /// An exam file: its questions go to the exam, it is no page of its own.
    var isExamFile: Bool { id.hasSuffix(".exam.md") }

    /// True when `other` (the same note's facts in another build) agrees on everything the
    /// stages that need every note read of this one: its place and order (classify, the
    /// services' page lists), its cards (the decks and their checks), its headings and anchors
    /// (where links go), its mentions (back-links, related services) and its index terms.
    /// What differs may only be what its own page shows (prose, links, search words, sources)
    /// or its own diagnostics: the link stage makes its links again, the rest is the same.
    /// Exam files never agree: their questions feed the exam checks.
    func sharesSetFacts(with other: NoteFacts) -> Bool {
        id == other.id && !isExamFile && serviceID == other.serviceID && extraServiceIDs == other.extraServiceIDs
            && slug == other.slug && order == other.order && title == other.title && isLanding == other.isLanding
            && outline == other.outline && isCardsFile == other.isCardsFile && headings == other.headings
            && anchors == other.anchors && cards == other.cards && linkFacts.mentions == other.linkFacts.mentions
            && linkFacts.termList.hasBytes(of: other.linkFacts.termList)
    }
}

extension NoteFacts {
    /// Whether a heading names key numbers: its id is `key-numbers` (`## Cifras clave
    /// {#key-numbers}`, in any language), or its text lowercased holds one of
    /// `keyNumbersPhrases` ("Key numbers and limits", "Capacity and key numbers", "Cifras
    /// clave"…). An ASCII heading is searched byte by byte, ignoring case; only a heading with
    /// other characters is lowercased first (some lowercase to ASCII letters: KELVIN SIGN to `k`).
    static func namesKeyNumbers(_ heading: String, id: String?) -> Bool {
        if id == "key-numbers" { return true }
        let bytes = heading.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }),
              let found = bytes.withContiguousStorageIfAvailable({ buffer in asciiPhrases.contains { contains(buffer, $0) } })
        else {
            let lowercased = heading.lowercased()
            return keyNumbersPhrases.contains { lowercased.contains($0) }
        }
        return found
    }

    /// "Key numbers" in English and the other languages the book knows (`BookWords`), lowercase.
    static let keyNumbersPhrases = ["key numbers", "cifras clave", "números clave", "wichtige zahlen", "kennzahlen",
                                    "chiffres clés", "numeri chiave", "números-chave", "主な数値", "주요 수치", "关键数字", "關鍵數字"]

    private static let asciiPhrases = keyNumbersPhrases.map { Array($0.utf8) }.filter { $0.allSatisfy { $0 < 0x80 } }

    /// Whether the ASCII `buffer` holds the lowercase ASCII `phrase`, ignoring the buffer's case.
    private static func contains(_ buffer: UnsafeBufferPointer<UInt8>, _ phrase: [UInt8]) -> Bool {
        guard buffer.count >= phrase.count else { return false }
        for start in 0...(buffer.count - phrase.count) {
            var index = 0
            // ASCII letters lowercase by setting bit 5; the phrase's spaces match as they are.
            while index < phrase.count, buffer[start + index] | (phrase[index] >= 0x61 ? 0x20 : 0) == phrase[index] { index += 1 }
            if index == phrase.count { return true }
        }
        return false
    }
}

/// A note named by a landing text's list of links, and how deep its item is nested (0 for
/// the outermost list).
struct OutlineEntry: Sendable, Equatable, Encodable {
    /// The note's id (its path in the content folder).
    var pageID: String
    /// 0 for an item of the outermost list, 1 for one nested in it, and so on.
    var depth: Int
}

/// A relative link as written in a note, before the notes it may point to are known; `line`
/// and `column` (bytes, 1-based) are where the link starts in the note's file.
struct Reference: Sendable, Equatable, Encodable {
    /// The destination as written (`../s3/overview.md#classes`).
    var url: String
    /// 1-based line in the note's file, front matter included.
    var line: Int
    /// 1-based column, in UTF-8 bytes.
    var column: Int
    /// Written as a picture (`![alt](url)`): it names a file beside the note to show.
    var isImage = false

    /// A link to `url` written at `line` and `column` of its note.
    init(url: String, line: Int, column: Int, isImage: Bool = false) {
        (self.url, self.line, self.column, self.isImage) = (url, line, column, isImage)
    }

    /// True when it names a file beside the notes rather than a note: a picture, or a path
    /// that does not end in `.md`. Byte-wise, without copying: every build (an up-to-date one
    /// too) asks it of every reference of every note.
    var isLocalFile: Bool {
        if isImage { return true }
        let bytes = url.utf8
        let path = bytes[..<(bytes.firstIndex(of: UInt8(ascii: "#")) ?? bytes.endIndex)]
        return !path.isEmpty && !path.reversed().starts(with: "dm.".utf8)
    }
}

/// A note's headings and anchors: where links into it can go.
struct NotePlaces: DeferredValue {
    /// See `NoteFacts.headings`.
    var headings: [Heading] = []
    /// See `NoteFacts.anchors`.
    var anchors: [String] = []
}

/// What linking learns from one note on its own (see `LinkFactsGatherer`).
struct NoteLinkFacts: Sendable, Encodable {
    /// The references, cross-links and mentions, which a cached note keeps undecoded until
    /// they are read (see `Deferred`).
    var names: Deferred<LinkNames>
    /// Links to notes (`.md`, or `#anchor` on the same page) and to files beside the notes
    /// (pictures, samples), in document order.
    var references: [Reference] { names.value.references }
    /// Services the prose links to (first mention per section), in document order.
    var crossLinks: [String] { names.value.crossLinks }
    /// Prose mentions: service id -> count.
    var mentions: [String: Int] { names.value.mentions }
    /// Index terms of the note, each with the section it is in (nil: the top of the page).
    var terms: [PageTerm] {
        get { termList.terms }
        set { termList = PageTermList(newValue) }
    }
    /// The terms as the cache holds them: a rebuild needs only their hash (see
    /// `LinkedStudySet.termsKey`), so a cached note's terms are decoded only if the index is
    /// made again.
    var termList: PageTermList
    /// The note's words for full-text search (empty when `search: false`).
    var searchText: SearchText

    /// No links, mentions, terms or search text.
    init() {
        self.init(names: Deferred(LinkNames()), termList: PageTermList([]), searchText: SearchText(text: ""))
    }

    /// The parts as they are (decoded or not).
    init(names: Deferred<LinkNames>, termList: PageTermList, searchText: SearchText) {
        (self.names, self.termList, self.searchText) = (names, termList, searchText)
    }
}

/// What a note's links and prose name (see `NoteLinkFacts`).
struct LinkNames: DeferredValue {
    var references: [Reference] = []
    var crossLinks: [String] = []
    var mentions: [String: Int] = [:]
}

/// A note's index terms, kept encoded and decoded on first use. A cached note's are the
/// record's bytes where they lie (in the mapped records file: see `StoredBytes`).
final class PageTermList: @unchecked Sendable, BinaryBlob {
    /// Set at once for terms made by this build; set under `DeferredLocks` on first use otherwise.
    private var decoded: [PageTerm]?
    private let bytes: StoredSlice

    /// Encoded at once: notes are analysed in parallel, and every build hashes (and the cache
    /// keeps) the encoded form.
    init(_ terms: [PageTerm]) {
        decoded = terms
        var writer = ByteWriter()
        writer.records(terms)
        bytes = StoredSlice(storage: StoredBytes(copying: writer.bytes[...]), range: 0..<writer.bytes.count)
    }

    /// The terms `bytes` encode, decoded on first use.
    init(stored bytes: StoredSlice) { self.bytes = bytes }

    /// Calls `body` with the encoded terms, which are valid until it returns.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try bytes.withBytes(body)
    }

    /// True when `other` holds the same encoded terms.
    func hasBytes(of other: PageTermList) -> Bool {
        withBytes { mine in other.withBytes { theirs in mine.elementsEqual(theirs) } }
    }

    var binaryBytes: ArraySlice<UInt8> { withBytes { Array($0)[...] } }

    var terms: [PageTerm] {
        DeferredLocks.lock(for: self).withLock {
            if let decoded { return decoded }
            var reader = ByteReader(bytes.storage, bytes.range)
            let terms: [PageTerm]
            do {
                terms = try reader.records(PageTerm.self, in: RecordNote(displayPath: ""))
            } catch {
                // As a `Deferred` value that does not decode: the build starts again without the cache.
                UndecodableRecords.count()
                terms = []
            }
            decoded = terms
            return terms
        }
    }

    /// For coders other than the cache's: the terms themselves.
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(terms)
    }
}

/// One term of a note's back-of-book index entries.
struct PageTerm: Sendable, Equatable, Encodable {
    /// The term as written in the note.
    var text: String
    /// The text lowercased: what the index files it under.
    var key: String
    /// The id of the section it is in; nil at the top of the page.
    var fragment: String?
}
