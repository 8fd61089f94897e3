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

    public func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        try output.write(files(for: set))
    }

    func files(for set: LinkedStudySet) throws -> [OutputFile] {
        let services = set.studySet.servicesInUse.filter { service in
            set.studySet.cards.contains { $0.serviceID == service.id }
        }
        let sheets = parallelMap(services.count) { Self.sheet(services[$0], set: set) }
        var files: [OutputFile] = []
        for (service, sheet) in zip(services, sheets) {
            files.append(document("\(service.id).html", title: service.name, sheets: [sheet], set: set))
        }
        if !sheets.isEmpty {
            files.append(document("all.html", title: set.config.title, sheets: sheets, set: set))
        }
        return files
    }

    /// The sheet file names `render` produces, for printing them.
    public static func sheetNames(_ set: LinkedStudySet) -> [String] {
        let names = set.studySet.servicesInUse.filter { service in set.studySet.cards.contains { $0.serviceID == service.id } }.map(\.id)
        return names.isEmpty ? [] : names + ["all"]
    }

    private func document(_ name: String, title: String, sheets: [[String: Any]], set: LinkedStudySet) -> OutputFile {
        // Each sheet is a named page whose running header is the service's name.
        let pageCSS = sheets.map { sheet in
            "@page \(sheet["pageName"]!) { @top-left { content: \(Self.cssString(sheet["headerName"] as! String)); font: 700 8pt/1 system-ui, \"DejaVu Sans\", Arial, sans-serif; } }"
        }.joined(separator: "\n")
        let context: [String: Any] = [
            "title": title, "language": set.config.language, "css": css, "pageCSS": pageCSS, "sheets": sheets,
        ]
        return OutputFile(path: "\(folder)/\(name)", text: templates.render(Self.templateName, context))
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
        let keyNumbers = pages.filter { $0.serviceID == service.id && !$0.isCardsFile }.flatMap { Self.keyNumbers(in: $0, set: set) }
        return [
            "name": service.name, "headerName": service.name, "category": service.category,
            "pageName": "sheet-\(service.id)", "bookTitle": set.config.title,
            "cards": cards, "cardCount": cards.count,
            "keyNumbers": keyNumbers.map { ["html": $0] }, "hasKeyNumbers": !keyNumbers.isEmpty,
        ]
    }

    /// The blocks under each heading that names key numbers ("Key numbers and limits",
    /// "Capacity and key numbers"…), up to the next heading of the same or a higher level.
    static func keyNumbers(in page: Page, set: LinkedStudySet) -> [String] {
        let blocks = page.tree.document.children
        var sections: [[Node]] = []
        var index = 0
        while index < blocks.count {
            let block = blocks[index]
            index += 1
            guard block.kind == .heading, block.plainText.lowercased().contains("key numbers") else { continue }
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
