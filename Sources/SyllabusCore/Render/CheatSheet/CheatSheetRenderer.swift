import Foundation

/// Printable cheat sheets (`cheatsheets/<service-id>.html` and `all.html`): each card as
/// front → answer, condensed, plus the key numbers of the service's notes, in narrow
/// columns with a running header. Pages print on their own; links become text.
public struct CheatSheetRenderer: Renderer {
    public let folder = "cheatsheets"
    let templates: TemplateSet
    let css: String

    public static let templateName = "cheatsheet"
    public static let stylesheetName = "cheatsheet.css"

    public init(templates: TemplateSet) throws {
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
        let services = set.studySet.servicesInUse.filter { service in
            set.studySet.cards.contains { $0.serviceID == service.id }
        }
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
        let files = parallelMap(documents.count) { index -> OutputFile? in
            let document = documents[index]
            guard !output.reuse("\(folder)/\(document.name)", key: document.key) else { return nil }
            return self.document(document.name, title: document.title, sheets: document.sheets.map { sheets[$0].value }, set: set, key: document.key)
        }
        try output.write(files.compactMap { $0 })
    }

    private func sheetKey(_ service: Service, set: LinkedStudySet, base: OutputKey) -> String {
        var key = base.adding(service.id)
        let pages = set.studySet.pages(of: service.id)
        key.add(cards: pages.flatMap(\.cards).filter { $0.serviceID == service.id }, of: set)
        for page in Self.keyNumberPages(pages, of: service) { key.add(page.renderKey) }
        return key.hex
    }

    /// The sheet file names `render` produces, for printing them.
    public static func sheetNames(_ set: LinkedStudySet) -> [String] {
        let names = set.studySet.servicesInUse.filter { service in set.studySet.cards.contains { $0.serviceID == service.id } }.map(\.id)
        return names.isEmpty ? [] : names + ["all"]
    }

    private func document(_ name: String, title: String, sheets: [[String: Any]], set: LinkedStudySet, key: String) -> OutputFile {
        // Each sheet is a named page whose running header is the service's name.
        let pageCSS = sheets.map { sheet in
            "@page \(sheet["pageName"]!) { @top-left { content: \(Self.cssString(sheet["headerName"] as! String)); font: 700 8pt/1 system-ui, \"DejaVu Sans\", Arial, sans-serif; } }"
        }.joined(separator: "\n")
        let context: [String: Any] = [
            "title": title, "language": set.config.language, "css": css, "pageCSS": pageCSS, "sheets": sheets,
        ]
        return OutputFile(path: "\(folder)/\(name)", text: templates.render(Self.templateName, context), key: key)
    }

    static func sheet(_ service: Service, set: LinkedStudySet) -> [String: Any] {
        let pages = set.studySet.pages(of: service.id)
        let serviceCards = pages.flatMap(\.cards).filter { $0.serviceID == service.id }
        let cards = zip(serviceCards, CardHTML.all(serviceCards, in: set) { _ in nil }).map { card, html -> [String: Any] in
            if card.kind == .cloze {
                let revealed = Cloze.revealed(html.front)
                let back = html.back.trimmingCharacters(in: .whitespacesAndNewlines)
                return ["cloze": true, "question": revealed, "answer": back, "hasAnswer": !back.isEmpty]
            }
            return ["cloze": false, "question": html.question, "answer": html.answer, "hasAnswer": true]
        }
        let keyNumbers = keyNumberPages(pages, of: service).flatMap { Self.keyNumbers(in: $0, set: set) }
        return [
            "name": service.name, "headerName": service.name, "category": service.category,
            "pageName": "sheet-\(service.id)", "bookTitle": set.config.title,
            "cards": cards, "cardCount": cards.count,
            "keyNumbers": keyNumbers.map { ["html": $0] }, "hasKeyNumbers": !keyNumbers.isEmpty,
        ]
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
