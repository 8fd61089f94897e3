import Foundation

/// Printable cheat sheets (`cheatsheets/<service-id>.html` and `all.html`): each card as
/// front → answer, condensed, plus the key numbers of the service's notes, in narrow
/// columns with a running header. Pages print on their own; links become text.
///
/// A sheet's PDF (`<name>.pdf`) is an output like the HTML: keyed by the sheet, it is carried
/// over by every build while the sheet is unchanged, printed again (with a `printer`) only when
/// the sheet changed, and left out when the sheet changed without a printer or went away.
struct CheatSheetRenderer: Renderer {
    /// The folder of the output folder it writes (`Output/cheatsheets`).
    let folder = "cheatsheets"
    /// One sheet per service, a few megabytes in all.
    let rendersBeside = true
    let templates: TemplateSet
    let css: String
    /// Prints the sheets whose PDF is missing or out of date; nil prints none.
    let printer: PDFPrinter?

    /// The theme's template for one sheet (`cheatsheet.mustache`).
    static let templateName = "cheatsheet"
    /// The theme's stylesheet, put inside every sheet so each is one self-contained file.
    static let stylesheetName = "cheatsheet.css"

    /// - Throws: `TemplateSet.Failure` when the theme has no cheat sheet template or
    ///   stylesheet (it is read as UTF-8, a bad byte becoming U+FFFD).
    init(templates: TemplateSet, printer: PDFPrinter? = nil) throws {
        self.printer = printer
        try templates.require([Self.templateName])
        let url = templates.folder.appendingPathComponent(Self.stylesheetName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TemplateSet.Failure.unreadable("\(url.path): the cheat sheet stylesheet is missing")
        }
        self.templates = templates
        self.css = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
    }

    /// Each sheet is keyed by its cards and the notes its key numbers come from: a rebuild
    /// makes only the sheets whose content changed.
    func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        defer { templates.reportUnknownVariables(into: diagnostics) }
        let (services, documents) = output.takePrepared(folder) as? ([Service], [Document]) ?? sheetFiles(set)
        let sheets = services.map { service in Lazy { Self.sheet(service, set: set) } }
        let made = parallelMap(documents.count) { index -> (html: OutputFile?, unprinted: OutputFile?, pdfKept: Bool) in
            let document = documents[index]
            let html = "\(folder)/\(document.name)"
            let make = { self.document(document.name, title: document.title, sheets: document.sheets.map { sheets[$0].value }, set: set, key: document.key) }
            let sheet = output.reuse(html, key: document.key) ? nil : make()
            let pdfKept = output.reuse(Self.pdfPath(of: html), key: Self.pdfKey(document.key))
            guard !pdfKept, printer != nil else { return (sheet, nil, pdfKept) }
            return (sheet, sheet ?? make(), false)
        }
        try output.write(made.compactMap(\.html))
        var pdfs: [String: Data] = [:]
        if let printer {
            let unprinted = made.compactMap(\.unprinted)
            // A few browsers at once: each spends most of its time starting up. Each sheet
            // printed is a safe point to stop (a print takes about a second).
            let printed = try parallelMap(unprinted.count, workers: min(4, ProcessInfo.processInfo.activeProcessorCount)) { index in
                Result { () throws -> OutputFile in
                    try output.checkpoint()
                    let sheet = unprinted[index]
                    return OutputFile(path: Self.pdfPath(of: sheet.path), contents: try printer.pdf(of: sheet.contents, named: sheet.path),
                                      key: Self.pdfKey(sheet.key ?? ""))
                }
            }.map { try $0.get() }
            for pdf in printed { pdfs[pdf.path] = try pdf.contents }
            try output.write(printed)
        }
        // Every service sheet in the output, printed now or kept, is checked (the warning must
        // not depend on which build printed it).
        for (index, service) in services.enumerated() {
            let path = Self.pdfPath(of: "\(folder)/\(documents[index].name)")
            guard let pdf = pdfs[path] ?? (made[index].pdfKept ? output.previous(path).flatMap { try? Data(contentsOf: $0.url) } : nil),
                  let pages = PDFPrinter.pageCount(of: pdf), pages > Self.pageLimit else { continue }
            Self.warnTooLong(service, pages: pages, path: path, parts: sheets[index].value["parts"] as? [SheetPart] ?? [], set: set,
                             diagnostics: diagnostics)
        }
    }

    /// A file of sheets: `<service>.html` holds its service's, `all.html` every one (by index
    /// into `sheetServices`).
    private typealias Document = (name: String, title: String, sheets: [Int], key: String)

    /// The services with a sheet and the files of their sheets: worked out once per build
    /// (`prepare` hands them to `render`, see `OutputSink.handOver`).
    private func sheetFiles(_ set: LinkedStudySet) -> ([Service], [Document]) {
        let services = Self.sheetServices(set)
        return (services, documents(set, services: services))
    }

    /// The service sheets' files in `services` order, then `all.html`.
    private func documents(_ set: LinkedStudySet, services: [Service]) -> [Document] {
        // Only what the sheets read from the theme: an edit of the site's layout leaves them.
        let base = OutputKey("cheatsheets", set.environmentKey, templates.key(of: [Self.templateName], files: [Self.stylesheetName]))
        let keys = services.map { sheetKey($0, set: set, base: base) }
        var documents: [Document] = zip(services, keys).enumerated().map { index, pair in
            ("\(pair.0.id).html", pair.0.name, [index], pair.1)
        }
        if !services.isEmpty {
            var all = base.adding("all")
            for key in keys { all.add(key) }
            documents.append(("all.html", set.config.title, Array(services.indices), all.hex))
        }
        return documents
    }

    /// A sheet made again (or printed, or measured for the warning about a long one) reads its
    /// service's cards' notes and the notes its key numbers come from.
    func prepare(_ set: LinkedStudySet, output: OutputSink) -> Set<String> {
        let (services, documents) = sheetFiles(set)
        output.handOver((services, documents), as: folder)
        var made = Set<Int>()
        for (index, document) in documents.enumerated() {
            let html = "\(folder)/\(document.name)"
            let pdfKept = output.reuse(Self.pdfPath(of: html), key: Self.pdfKey(document.key))
            if !output.reuse(html, key: document.key) || (!pdfKept && printer != nil) {
                made.formUnion(document.sheets)
            } else if pdfKept, index < services.count,
                      let pdf = output.previous(Self.pdfPath(of: html)).flatMap({ try? Data(contentsOf: $0.url) }),
                      let pages = PDFPrinter.pageCount(of: pdf), pages > Self.pageLimit {
                made.insert(index)
            }
        }
        var needed = Set<String>()
        for index in made {
            let service = services[index]
            needed.formUnion(set.studySet.cards(of: service.id).map(\.pageID))
            needed.formUnion(Self.keyNumberPages(set.studySet.pages(of: service.id), of: service).map(\.id))
        }
        return needed
    }

    /// The pages a service's sheet is meant to fit on.
    static let pageLimit = 2

    /// A part of a service's sheet (a card, a note's key numbers), measured to say why a sheet
    /// runs long.
    struct SheetPart {
        var label: String
        var location: SourceLocation
        var size: BlockSize
    }

    /// How much a block of a sheet holds, counted in its HTML.
    struct BlockSize {
        var codeLines = 0, rows = 0, items = 0, characters = 0

        /// Lines it takes in a column, roughly: a line of code, a row or an item each, and a
        /// line for every 60 characters of text.
        var lines: Int { codeLines + rows + items + characters / 60 }

        /// Its largest count, in words: "150 lines of code", "60 table rows"…
        var description: String {
            [(codeLines, "lines of code"), (rows, "table rows"), (items, "list items"), (characters, "characters of text")]
                .max { $0.0 < $1.0 }.map { "\($0.0) \($0.1)" } ?? ""
        }

        init(html: String) {
            // Text in tables counts as rows, in code as lines.
            var inTag = false, inCode = false, tables = 0
            var tag = ""
            for character in html {
                if inTag {
                    if character == ">" {
                        inTag = false
                        if tag.hasPrefix("pre") { inCode = true } else if tag.hasPrefix("/pre") { inCode = false }
                        if tag == "table" || tag.hasPrefix("table ") { tables += 1 } else if tag == "/table" { tables = max(0, tables - 1) }
                        if tag.hasPrefix("tr") && (tag.count == 2 || tag.dropFirst(2).first == " ") { rows += 1 }
                        if tag.hasPrefix("li") && (tag.count == 2 || tag.dropFirst(2).first == " ") { items += 1 }
                    } else {
                        tag.append(character)
                    }
                } else if character == "<" {
                    inTag = true
                    tag = ""
                } else if inCode {
                    if character == "\n" { codeLines += 1 }
                } else if tables == 0, !character.isNewline {
                    characters += 1
                }
            }
        }
    }

    /// Warns that `service`'s sheet prints on more pages than `pageLimit`, at its longest
    /// part, naming the longest parts and their sizes.
    static func warnTooLong(_ service: Service, pages: Int, path: String, parts: [SheetPart], set: LinkedStudySet,
                            diagnostics: DiagnosticLog) {
        // The longest first; of two as long, the one the sheet shows first.
        let longest = parts.enumerated().sorted { ($0.element.size.lines, $1.offset) > ($1.element.size.lines, $0.offset) }.prefix(2).map(\.element)
        guard let first = longest.first else { return }
        let reasons = longest.map { "\($0.label) (\($0.size.description))" }.joined(separator: ", ")
        diagnostics.warning("the \(service.name) cheat sheet (\(path)) prints on \(pages) \(set.config.paper.rawValue) pages, more than "
                            + "\(pageLimit); its longest parts: \(reasons)", at: first.location)
    }

    /// `cheatsheets/lambda.html` -> `cheatsheets/lambda.pdf`.
    static func pdfPath(of html: String) -> String { String(html.dropLast(".html".count)) + ".pdf" }

    /// A PDF shows exactly what its sheet shows.
    static func pdfKey(_ sheetKey: String) -> String { OutputKey("pdf", sheetKey).hex }

    private func sheetKey(_ service: Service, set: LinkedStudySet, base: OutputKey) -> String {
        var key = base.adding(service.id)
        let pages = set.studySet.pages(of: service.id)
        key.add(cards: set.studySet.cards(of: service.id), of: set)
        for page in Self.keyNumberPages(pages, of: service) { key.add(set.links(of: page).renderKey) }
        return key.hex
    }

    /// Without a sheet to make the build leaves the output out (no empty `cheatsheets` folder).
    func makesFiles(for set: LinkedStudySet, state: (String) -> Data?) -> Bool {
        !Self.sheetServices(set).isEmpty
    }

    /// The sheet file names `render` produces, for printing them.
    static func sheetNames(_ set: LinkedStudySet) -> [String] {
        let names = sheetServices(set).map(\.id)
        return names.isEmpty ? [] : names + ["all"]
    }

    /// Every service in use with cards or a note naming key numbers gets a sheet.
    static func sheetServices(_ set: LinkedStudySet) -> [Service] {
        // The services some card is about, gathered once: asked for every service, a search
        // of thousands of cards each time (and a build asks for the list more than once).
        let carded = Set(set.studySet.cards.map(\.serviceID))
        return set.studySet.servicesInUse.filter { service in
            carded.contains(service.id) || !keyNumberPages(set.studySet.pages(of: service.id), of: service).isEmpty
        }
    }

    private func document(_ name: String, title: String, sheets: [[String: Any]], set: LinkedStudySet, key: String) -> OutputFile {
        // A service's sheet is a named page whose running header is the service's name. In
        // `all.html` the services flow one after another on pages headed by the title: a
        // change of named page would force a page break before every service.
        let flows = name == "all.html"
        var sheets = sheets
        if flows { sheets = sheets.map { $0.merging(["pageName": "sheet-all"]) { $1 } } }
        let headers = flows ? [("sheet-all", set.config.title)] : sheets.map { ($0["pageName"] as! String, $0["headerName"] as! String) }
        let pageCSS = (["@page { size: \(set.config.paper.rawValue); }"] + headers.map { page, header in
            "@page \(page) { @top-left { content: \(Self.cssString(header)); font: 700 8pt/1 system-ui, \"DejaVu Sans\", Arial, sans-serif; } }"
        }).joined(separator: "\n")
        let context: [String: Any] = [
            "title": title, "language": set.config.language, "css": css, "pageCSS": pageCSS, "sheets": sheets,
            "flows": flows,
        ]
        return OutputFile(path: "\(folder)/\(name)", text: templates.render(Self.templateName, context), key: key)
    }

    static func sheet(_ service: Service, set: LinkedStudySet) -> [String: Any] {
        let pages = set.studySet.pages(of: service.id)
        let serviceCards = set.studySet.cards(of: service.id)
        var parts: [SheetPart] = []
        let cards = zip(serviceCards, CardHTML.all(serviceCards, in: set) { _ in nil }).map { card, html -> [String: Any] in
            parts.append(SheetPart(label: "card '\(card.frontText)'", location: card.location, size: BlockSize(html: html.front + html.back)))
            if card.kind == .cloze {
                let revealed = Cloze.revealed(html.front)
                let back = html.back.trimmingCharacters(in: .whitespacesAndNewlines)
                return ["cloze": true, "question": revealed, "answer": back, "hasAnswer": !back.isEmpty, "long": isLong(back)]
            }
            return ["cloze": false, "question": html.question, "answer": html.answer, "hasAnswer": true, "long": isLong(html.answer)]
        }
        var keyNumbers: [String] = []
        for page in keyNumberPages(pages, of: service) {
            for (html, line) in Self.keyNumbers(in: page, set: set) {
                keyNumbers.append(html)
                parts.append(SheetPart(label: "the key numbers of '\(page.title)'", location: page.source.location(line: line),
                                       size: BlockSize(html: html)))
            }
        }
        return [
            "parts": parts,
            "name": service.name, "headerName": service.name, "category": service.category,
            "pageName": "sheet-\(service.id)", "bookTitle": set.config.title,
            "cards": cards, "cardCount": cards.count,
            "keyNumbers": keyNumbers.map { ["html": $0] }, "hasKeyNumbers": !keyNumbers.isEmpty,
            "keyNumbersLong": isLong(keyNumbers.joined()),
        ]
    }

    /// A card (or a sheet's key numbers) too long to keep in one piece: past about half a
    /// column (40 lines of code, rows or items), it may break across columns, so it does not
    /// leave the rest of a page empty.
    static func isLong(_ html: String) -> Bool {
        var lines = 0, tags = 0, ascii = true
        // `<tr` and `<li` counted in the bytes: in ASCII each is three Characters wherever it
        // occurs, so the count is Foundation's (which took a tenth of the sheets' time).
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in html.utf8 {
            if byte == UInt8(ascii: "\n") { lines += 1 }
            if byte >= 0x80 { ascii = false }
            if beforePrevious == UInt8(ascii: "<"), previous == UInt8(ascii: "t") && byte == UInt8(ascii: "r")
                || previous == UInt8(ascii: "l") && byte == UInt8(ascii: "i") { tags += 1 }
            (beforePrevious, previous) = (previous, byte)
        }
        if !ascii { tags = html.components(separatedBy: "<tr").count + html.components(separatedBy: "<li").count - 2 }
        return lines + tags > 40
    }

    /// The service's notes with a heading that names key numbers (`NoteFacts.hasKeyNumbers`):
    /// told by their facts, so the others are not parsed again for a sheet.
    static func keyNumberPages(_ pages: [Page], of service: Service) -> [Page] {
        // Through `facts`: a dynamic member is a key path applied at run time.
        pages.filter { page in
            let facts = page.facts
            return facts.hasKeyNumbers && facts.serviceID == service.id && !facts.isCardsFile
        }
    }

    /// The blocks under each heading that names key numbers ("Key numbers and limits",
    /// "Cifras clave", `{#key-numbers}`: `NoteFacts.namesKeyNumbers`), up to the next heading
    /// of the same or a higher level, as HTML, each with its heading's line.
    static func keyNumbers(in page: Page, set: LinkedStudySet) -> [(html: String, line: Int)] {
        let content = set.content(of: page)
        let blocks = content.tree.document.children
        var tracker = SectionTracker(headingIDs: content.headingIDs)
        var sections: [(heading: Node, blocks: [Node])] = []
        for block in blocks {
            let isHeading = tracker.pass(block)
            // The outermost open heading that names key numbers, but for the block itself.
            guard let heading = tracker.open.dropLast(isHeading ? 1 : 0).first(where: { NoteFacts.namesKeyNumbers($0.node.plainText, id: $0.id) })?.node
            else { continue }
            if sections.last?.heading != heading { sections.append((heading, [])) }
            sections[sections.count - 1].blocks.append(block)
        }
        let links = set.pointedLinks(of: page) { _ in nil }
        return sections.map { section in (section.blocks.map(links.html).joined(), section.heading.line) }
    }

    /// A CSS string literal that holds any text: everything but letters, digits and spaces escaped.
    static func cssString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            // ASCII letters and digits (Foundation's `alphanumerics` made a new set per scalar).
            if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == " " {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\" + String(scalar.value, radix: 16) + " "
            }
        }
        return result + "\""
    }
}

extension OutputKind {
    /// `cheatsheets`: the printable cheat sheets, HTML and with `build --pdf` PDF (`cheatsheets/`).
    public static let cheatsheets = OutputKind(name: "cheatsheets") { try CheatSheetRenderer(templates: $0.templates, printer: $0.pdfPrinter) }
}
