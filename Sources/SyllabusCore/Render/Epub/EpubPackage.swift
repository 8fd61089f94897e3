import Foundation

/// The package files of the book: `package.opf`, `nav.xhtml`, `toc.ncx`, the container and
/// the stylesheet. Identifier and dates come from the content, never from the clock.
struct EpubPackage {
    let config: ProjectConfig
    let layout: EpubLayout
    /// Whether the book has the practice exam and its answers (see `EpubExam`).
    var hasExam = false
    /// A note's level-2 headings as (text, href), for the table of contents, from the set the
    /// contents are made from (which holds the trees of the landing texts).
    let notes: (Page, LinkedStudySet) -> [(String, String)]
    /// A hash of the content files, set once they are made: it dates the book (`modified`).
    var contentHash = ""
    /// `entries`, made the first time the contents or the NCX asks and shared by this
    /// package's copies: each walks every note and its headings (the package's layout, notes
    /// and `hasExam` never change once it is made).
    private let made = MadeEntries()

    private final class MadeEntries: @unchecked Sendable {
        let lock = NSLock()
        var entries: [Entry]?
    }

    /// `urn:uuid:` from the title and author: the same book keeps its identifier across builds,
    /// so readers update it instead of adding a copy. (An RFC 9562 version 8 UUID over FNV-1a.)
    var identifier: String {
        var hex = Array(IdentifierHash.hex128(Array("syllabus-epub\u{1F}\(config.title)\u{1F}\(config.author)".utf8)))
        hex[12] = "8"
        let variant = Int(String(hex[16]), radix: 16)! & 0x3 | 0x8
        hex[16] = Character(String(variant, radix: 16))
        let text = String(hex)
        let parts = [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)]
        return "urn:uuid:" + parts.joined(separator: "-")
    }

    /// `dcterms:modified` and the zip entries' date: derived from a hash of the content, so it
    /// changes when the content does and never otherwise. A date between 2001 and 2021.
    var modified: Date {
        let seconds = IdentifierHash.fnv1a64(contentHash) % (20 * 365 * 86_400)
        // Whole minutes: zip stores time in 2-second steps; keep both representations equal.
        return Date(timeIntervalSince1970: 978_307_200 + Double(seconds - seconds % 60))
    }

    /// `modified` as `yyyy-MM-ddTHH:mm:ssZ` in UTC. From the C library's broken-down time:
    /// made on every build of the book, where a `DateFormatter` cost a millisecond to set up.
    var modifiedText: String {
        var seconds = time_t(modified.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    static let container = """
    <?xml version="1.0" encoding="UTF-8"?>
    <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
    <rootfiles>
    <rootfile full-path="OEBPS/package.opf" media-type="application/oebps-package+xml"/>
    </rootfiles>
    </container>

    """

    /// `package.opf` listing `items` (content paths, in manifest order), as UTF-8.
    func opf(items: [String]) -> Data {
        // Written as bytes into room reserved at once: a string made for each of a large book's
        // thousands of items, and the lists grown by doubling, took most of its time.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(items.reduce(1024) { $0 + $1.utf8.count * 2 + 112 })
        func add(_ text: String) { bytes.append(contentsOf: text.utf8) }
        func addItemID(_ index: Int) {
            add("item")
            add(String(index))
        }
        let lang = XML.escape(config.language)
        add("""
        <?xml version="1.0" encoding="UTF-8"?>
        <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="\(lang)">
        <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
        <dc:identifier id="book-id">\(identifier)</dc:identifier>
        <dc:title>\(XML.escape(config.title))</dc:title>
        <dc:creator>\(XML.escape(config.author))</dc:creator>
        <dc:language>\(lang)</dc:language>
        <meta property="dcterms:modified">\(modifiedText)</meta>
        </metadata>
        <manifest>

        """)
        for (index, path) in items.enumerated() {
            add("<item id=\"")
            switch path {
            case EpubLayout.navFile: add("nav")
            case "toc.ncx": add("ncx")
            case "style.css": add("css")
            default: addItemID(index)
            }
            add("\" href=\"")
            add(XML.escape(path))
            add("\" media-type=\"")
            switch path {
            case EpubLayout.navFile: add("application/xhtml+xml\" properties=\"nav")
            case "toc.ncx": add("application/x-dtbncx+xml")
            case "style.css": add("text/css")
            case _ where path.hasPrefix("images/"): add(LocalFiles.mediaType(of: path) ?? "application/octet-stream")
            default: add("application/xhtml+xml")
            }
            add("\"/>\n")
        }
        add("</manifest>\n<spine toc=\"ncx\">\n")
        let order = [EpubLayout.titleFile, EpubLayout.navFile] + layout.chapterFileLists.flatMap { $0 } + [EpubExam.questionsFile, EpubLayout.answersFile]
            + [EpubExam.answersFile, EpubLayout.indexFile]
        // Each path's first place in `items`, found once: a large book has thousands of files.
        let indices = Dictionary(items.enumerated().map { ($1, $0) }) { first, _ in first }
        for path in order {
            guard let index = indices[path] else { continue }
            add("<itemref idref=\"")
            if path == EpubLayout.navFile { add("nav") } else { addItemID(index) }
            add("\"/>\n")
        }
        add("</spine>\n</package>\n")
        return Data(bytes)
    }

    /// The table of contents as a tree: chapters, their notes, the notes' `##` headings.
    struct Entry {
        var label: String
        var href: String
        var children: [Entry] = []
    }

    /// The table of contents: the title page, each chapter with its notes (and theirs nested
    /// under them) and their `##` headings, the exam, the answers (when there are cards) and
    /// the index; made from `set` the first time it is asked.
    func entries(_ set: LinkedStudySet) -> [Entry] {
        made.lock.withLock {
            if let entries = made.entries { return entries }
            let entries = makeEntries(set)
            made.entries = entries
            return entries
        }
    }

    private func makeEntries(_ set: LinkedStudySet) -> [Entry] {
        let words = config.bookWords
        var result = [Entry(label: config.title, href: EpubLayout.titleFile)]
        // A note nested by the landing text's outline goes under the note before it one level
        // up, after that note's own headings.
        struct Nested {
            var entry: Entry
            var notes: [Nested] = []
            var flattened: Entry { Entry(label: entry.label, href: entry.href, children: entry.children + notes.map(\.flattened)) }
        }
        func insert(_ note: Nested, depth: Int, into list: inout [Nested]) {
            if depth > 0, !list.isEmpty { insert(note, depth: depth - 1, into: &list[list.count - 1].notes) } else { list.append(note) }
        }
        for chapter in layout.chapters {
            var children: [Entry] = []
            var nested: [Nested] = []
            for (page, depth) in zip(chapter.notes, chapter.depths) {
                guard let place = layout.place(of: page.id) else { continue }
                let headings = notes(page, set).map { Entry(label: $0.0, href: $0.1) }
                // The landing text opens the chapter under the chapter's title: its headings
                // are the chapter's.
                if page.isLanding {
                    children += headings
                    continue
                }
                insert(Nested(entry: Entry(label: page.title, href: place.href, children: headings)), depth: depth, into: &nested)
            }
            children += nested.map(\.flattened)
            if !chapter.cards.isEmpty {
                children.append(Entry(label: words.reviewQuestions, href: "\(chapter.closingFile ?? chapter.file)#\(EpubLayout.reviewID)"))
            }
            result.append(Entry(label: chapter.service.name, href: chapter.file, children: children))
        }
        if hasExam { result.append(Entry(label: words.practiceExam, href: EpubExam.questionsFile)) }
        if layout.hasCards { result.append(Entry(label: words.answers, href: EpubLayout.answersFile)) }
        if hasExam { result.append(Entry(label: words.examAnswers, href: EpubExam.answersFile)) }
        result.append(Entry(label: words.index, href: EpubLayout.indexFile))
        return result
    }

    func nav(_ set: LinkedStudySet) -> String {
        let words = config.bookWords
        // Written into one string: a list returned to its parent was copied once per level.
        func list(_ entries: [Entry], depth: Int, into text: inout String) {
            let indent = String(repeating: "  ", count: depth)
            text += "\(indent)<ol>\n"
            for entry in entries {
                text += "\(indent)<li><a href=\"\(XML.escape(entry.href))\">\(XML.escape(entry.label))</a>"
                if !entry.children.isEmpty {
                    text += "\n"
                    list(entry.children, depth: depth + 1, into: &text)
                    text += indent
                }
                text += "</li>\n"
            }
            text += "\(indent)</ol>\n"
        }
        var contents = ""
        list(entries(set), depth: 0, into: &contents)
        let firstChapter = layout.chapters.first?.file ?? EpubLayout.titleFile
        let answers = layout.hasCards ? "<li><a epub:type=\"appendix\" href=\"\(EpubLayout.answersFile)\">\(XML.escape(words.answers))</a></li>\n" : ""
        let body = """
        <nav epub:type="toc" id="toc">
        <h1>\(XML.escape(words.contents))</h1>
        \(contents)</nav>
        <nav epub:type="landmarks" id="landmarks" hidden="hidden">
        <h2>\(XML.escape(words.landmarks))</h2>
        <ol>
        <li><a epub:type="toc" href="\(EpubLayout.navFile)#toc">\(XML.escape(words.contents))</a></li>
        <li><a epub:type="bodymatter" href="\(firstChapter)">\(XML.escape(layout.chapters.first?.service.name ?? "Start"))</a></li>
        \(answers)<li><a epub:type="index" href="\(EpubLayout.indexFile)">\(XML.escape(words.index))</a></li>
        </ol>
        </nav>

        """
        return EpubRenderer.document(title: words.contents, language: config.language, body: body)
    }

    func ncx(_ set: LinkedStudySet) -> String {
        var order = 0
        var maxDepth = 1
        // Written into one string, as `nav`'s list is.
        func points(_ entries: [Entry], depth: Int, into text: inout String) {
            maxDepth = max(maxDepth, depth)
            for entry in entries {
                order += 1
                text += "<navPoint id=\"np-\(order)\" playOrder=\"\(order)\">"
                text += "<navLabel><text>\(XML.escape(entry.label))</text></navLabel><content src=\"\(XML.escape(entry.href))\"/>\n"
                points(entry.children, depth: depth + 1, into: &text)
                text += "</navPoint>\n"
            }
        }
        var map = ""
        points(entries(set), depth: 1, into: &map)
        return """
        <?xml version="1.0" encoding="UTF-8"?>
        <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="\(XML.escape(config.language))">
        <head>
        <meta name="dtb:uid" content="\(identifier)"/>
        <meta name="dtb:depth" content="\(maxDepth)"/>
        <meta name="dtb:totalPageCount" content="0"/>
        <meta name="dtb:maxPageNumber" content="0"/>
        </head>
        <docTitle><text>\(XML.escape(config.title))</text></docTitle>
        <navMap>
        \(map)</navMap>
        </ncx>

        """
    }

    /// For e-readers: relative sizes only, the reader's own font and margins win.
    static let stylesheet = """
    body { margin: 0 0.5em; line-height: 1.45; }
    h1, h2, h3, h4, h5, h6 { line-height: 1.2; page-break-after: avoid; break-after: avoid; }
    h1.chapter-title { margin-top: 0; }
    .chapter-category { font-variant: small-caps; color: #555; margin-top: -0.5em; }
    section.note { margin-bottom: 2em; }
    pre { white-space: pre-wrap; word-wrap: break-word; font-size: 0.85em; background: #f4f4f4; padding: 0.5em; }
    code { font-family: monospace; font-size: 0.9em; }
    pre code { font-size: 1em; }
    table { border-collapse: collapse; margin: 1em 0; max-width: 100%; }
    th, td { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; text-align: left; }
    th { background: #eee; }
    blockquote { margin: 1em 1.5em; font-style: italic; }
    .image-alt { font-style: italic; }
    .image-alt::before { content: "["; }
    .image-alt::after { content: "]"; }
    .task { font-family: sans-serif; }
    .footnotes { margin-top: 1.5em; border-top: 1px solid #999; font-size: 0.9em; }
    aside.footnote p { margin: 0.3em 0; }
    ol.questions li { margin-bottom: 0.6em; }
    ol.questions p { margin: 0; }
    a.to-answer, a.footnote-back { font-size: 0.85em; }
    .cloze { font-weight: bold; }
    mark.cloze { background: #fff3a0; }
    .answer { margin-bottom: 1.2em; }
    .answer-question { font-weight: bold; }
    .card-separator { color: #555; }
    .titlepage { text-align: center; margin-top: 20%; }
    .book-author { font-size: 1.2em; }
    .book-stats { color: #555; }
    .book-index ul { list-style: none; padding-left: 0; }
    .book-index li { margin: 0.2em 0; }
    .term { font-weight: bold; }
    .figure-now { font-weight: bold; }
    .figure-exam { color: #555; }
    .provenance, section.sources { color: #555; font-size: 0.9em; }
    ol.options { margin: 0.3em 0; }
    .choose, .correct { font-style: italic; }
    .exam-notes { font-size: 0.9em; }

    """
}
