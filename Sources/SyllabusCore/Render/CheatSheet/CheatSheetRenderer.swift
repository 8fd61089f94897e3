import Foundation

/// Printable cheat sheets (`cheatsheets/<service-id>.html` and `all.html`): each card as
/// front → answer, condensed, plus the key numbers of the service's notes, in narrow
/// columns with a running header. Pages print on their own; links become text.
///
/// A sheet's PDF (`<name>.pdf`) is an output like the HTML: keyed by the sheet, it is carried
/// over by every build while the sheet is unchanged, printed again (with a `printer`) only when
/// the sheet changed, and left out when the sheet changed without a printer or went away.
public struct CheatSheetRenderer: Renderer {
    /// The folder of the output folder it writes (`Output/cheatsheets`).
    public let folder = "cheatsheets"
    let templates: TemplateSet
    let css: String
    /// Prints the sheets whose PDF is missing or out of date; nil prints none.
    let printer: PDFPrinter?

    /// The theme's template for one sheet (`cheatsheet.mustache`).
    public static let templateName = "cheatsheet"
    /// The theme's stylesheet, put inside every sheet so each is one self-contained file.
    public static let stylesheetName = "cheatsheet.css"

    /// - Throws: `TemplateSet.Failure` when the theme has no cheat sheet template or
    ///   stylesheet (it is read as UTF-8, a bad byte becoming U+FFFD).
    public init(templates: TemplateSet, printer: PDFPrinter? = nil) throws {
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
    public func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        defer { templates.reportUnknownVariables(into: diagnostics) }
        let services = Self.sheetServices(set)
        let base = OutputKey("cheatsheets", set.environmentKey, templates.key)
        let keys = services.map { sheetKey($0, set: set, base: base) }
        let sheets = services.map { service in Lazy { Self.sheet(service, set: set) } }
        var documents: [(name: String, title: String, sheets: [Int], key: String)] = zip(services, keys).enumerated().map { index, pair in
            ("\(pair.0.id).html", pair.0.name, [index], pair.1)
        }
        if !services.isEmpty {
            var all = base.adding("all")
            for key in keys { all.add(key) }
            documents.append(("all.html", set.config.title, Array(services.indices), all.hex))
        }
        let made = parallelMap(documents.count) { index -> (html: OutputFile?, unprinted: OutputFile?) in
            let document = documents[index]
            let html = "\(folder)/\(document.name)"
            let make = { self.document(document.name, title: document.title, sheets: document.sheets.map { sheets[$0].value }, set: set, key: document.key) }
            let sheet = output.reuse(html, key: document.key) ? nil : make()
            guard !output.reuse(Self.pdfPath(of: html), key: Self.pdfKey(document.key)), printer != nil else { return (sheet, nil) }
            return (sheet, sheet ?? make())
        }
        try output.write(made.compactMap(\.html))
        if let printer {
            let unprinted = made.compactMap(\.unprinted)
            // A few browsers at once: each spends most of its time starting up.
            let printed = parallelMap(unprinted.count, workers: min(4, ProcessInfo.processInfo.activeProcessorCount)) { index in
                Result { () throws -> OutputFile in
                    let sheet = unprinted[index]
                    return OutputFile(path: Self.pdfPath(of: sheet.path), contents: try printer.pdf(of: sheet.contents, named: sheet.path),
                                      key: Self.pdfKey(sheet.key ?? ""))
                }
            }
            try output.write(printed.map { try $0.get() })
        }
    }

    /// `cheatsheets/lambda.html` -> `cheatsheets/lambda.pdf`.
    static func pdfPath(of html: String) -> String { String(html.dropLast(".html".count)) + ".pdf" }

    /// A PDF shows exactly what its sheet shows.
    static func pdfKey(_ sheetKey: String) -> String { OutputKey("pdf", sheetKey).hex }

    private func sheetKey(_ service: Service, set: LinkedStudySet, base: OutputKey) -> String {
        var key = base.adding(service.id)
        let pages = set.studySet.pages(of: service.id)
        key.add(cards: set.studySet.cards(of: service.id), of: set)
        for page in Self.keyNumberPages(pages, of: service) { key.add(page.renderKey) }
        return key.hex
    }

    /// The sheet file names `render` produces, for printing them.
    public static func sheetNames(_ set: LinkedStudySet) -> [String] {
        let names = sheetServices(set).map(\.id)
        return names.isEmpty ? [] : names + ["all"]
    }

    /// Every service in use with cards or a note naming key numbers gets a sheet.
    static func sheetServices(_ set: LinkedStudySet) -> [Service] {
        set.studySet.servicesInUse.filter { service in
            set.studySet.cards.contains { $0.serviceID == service.id }
                || !keyNumberPages(set.studySet.pages(of: service.id), of: service).isEmpty
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
        let cards = zip(serviceCards, CardHTML.all(serviceCards, in: set) { _ in nil }).map { card, html -> [String: Any] in
            if card.kind == .cloze {
                let revealed = Cloze.revealed(html.front)
                let back = html.back.trimmingCharacters(in: .whitespacesAndNewlines)
                return ["cloze": true, "question": revealed, "answer": back, "hasAnswer": !back.isEmpty, "long": isLong(back)]
            }
            return ["cloze": false, "question": html.question, "answer": html.answer, "hasAnswer": true, "long": isLong(html.answer)]
        }
        let keyNumbers = keyNumberPages(pages, of: service).flatMap { Self.keyNumbers(in: $0, set: set) }
        return [
            "name": service.name, "headerName": service.name, "category": service.category,
            "pageName": "sheet-\(service.id)", "bookTitle": set.config.title,
            "cards": cards, "cardCount": cards.count,
            "keyNumbers": keyNumbers.map { ["html": $0] }, "hasKeyNumbers": !keyNumbers.isEmpty,
        ]
    }

    /// A card too long to keep in one piece: past about half a column (40 lines of code, rows
    /// or items), it may break across columns, so it does not leave the rest of a page empty.
    static func isLong(_ html: String) -> Bool {
        var lines = 0
        for byte in html.utf8 where byte == UInt8(ascii: "\n") { lines += 1 }
        return lines + html.components(separatedBy: "<tr").count + html.components(separatedBy: "<li").count - 2 > 40
    }

    /// "Key numbers and limits", "Capacity and key numbers"…
    static func namesKeyNumbers(_ heading: String) -> Bool { heading.lowercased().contains("key numbers") }

    /// The service's notes with a heading that names key numbers: told by their headings, so
    /// the others are not parsed again for a sheet.
    static func keyNumberPages(_ pages: [Page], of service: Service) -> [Page] {
        pages.filter { page in
            page.serviceID == service.id && !page.isCardsFile && page.headings.contains { namesKeyNumbers($0.text) }
        }
    }

    /// The blocks under each heading that names key numbers ("Key numbers and limits",
    /// "Capacity and key numbers"…), up to the next heading of the same or a higher level.
    static func keyNumbers(in page: Page, set: LinkedStudySet) -> [String] {
        let blocks = page.content.tree.document.children
        var sections: [[Node]] = []
        var index = 0
        while index < blocks.count {
            let block = blocks[index]
            index += 1
            guard block.kind == .heading, namesKeyNumbers(block.plainText) else { continue }
            var section: [Node] = []
            while index < blocks.count, !(blocks[index].kind == .heading && blocks[index].headingLevel <= block.headingLevel) {
                section.append(blocks[index])
                index += 1
            }
            sections.append(section)
        }
        return sections.filter { !$0.isEmpty }.map { section in
            set.render(page, href: { _ in nil }) { section.map { $0.html() }.joined() }
        }
    }

    /// A CSS string literal that holds any text: everything but letters, digits and spaces escaped.
    static func cssString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) || scalar == " " {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\" + String(scalar.value, radix: 16) + " "
            }
        }
        return result + "\""
    }
}
