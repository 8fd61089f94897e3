import Foundation

/// The study website: home, a page per service and per note, the term index, practice pages
/// and a search index. Every link is relative; nothing is loaded from elsewhere.
public struct SiteRenderer: Renderer {
    public let folder = "site"
    let templates: TemplateSet

    public static let templateNames = ["layout", "home", "service", "note", "terms", "practice"]

    public init(templates: TemplateSet) throws {
        try templates.require(Self.templateNames)
        self.templates = templates
    }

    /// Note pages are rendered and handed on in batches of this many.
    static let batchSize = 256

    public func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        let links = SiteLinks(set: set)
        let services = set.studySet.servicesInUse
        for start in stride(from: 0, to: set.pages.count, by: Self.batchSize) {
            let batch = Array(set.pages[start..<min(start + Self.batchSize, set.pages.count)])
            try output.write(parallelMap(batch.count) { notePage(batch[$0], set: set, links: links) })
        }
        // Every card page sits one folder down, so one rendering of each card serves all pages.
        let cards = set.studySet.cards
        let cardHTML = CardHTML.all(cards, in: set) { links.href($0, root: SiteLinks.root(depth: 1)) }
        let cardViews = zip(cards, cardHTML).map { cardView($0, html: $1, set: set) }
        let servicePages = parallelMap(services.count) { servicePage(services[$0], set: set, cards: cardViews) }
        var files = servicePages
        files.append(homePage(set, services: services))
        files.append(termsPage(set, links: links))
        files.append(contentsOf: practicePages(set, services: services, cards: cardViews))
        files.append(searchIndex(set))
        files += try templates.assets(into: "\(folder)/assets")
        try output.write(files)
    }

    // MARK: Pages

    private func page(_ path: String, title: String, depth: Int, body: String, set: LinkedStudySet, extra: [String: Any] = [:]) -> OutputFile {
        var context: [String: Any] = [
            "title": title, "siteTitle": set.config.title, "language": set.config.language,
            "root": SiteLinks.root(depth: depth), "content": body,
        ]
        context.merge(extra) { _, new in new }
        return OutputFile(path: "\(folder)/\(path)", text: templates.render("layout", context))
    }

    private func notePage(_ note: Page, set: LinkedStudySet, links: SiteLinks) -> OutputFile {
        let root = SiteLinks.root(depth: 1)
        let html = set.render(note, href: { links.href($0, root: root) }) { note.tree.document.html() }
        let toc = note.headings.filter { (2...3).contains($0.level) && !note.isCardsFile }
            .map { ["id": $0.id, "text": $0.text, "level": $0.level] as [String: Any] }
        let services = note.serviceIDs.map { id -> [String: Any] in
            let service = set.studySet.service(id)
            return ["name": service.short, "href": "\(root)\(id)/index.html"]
        }
        let context: [String: Any] = [
            "root": root, "title": note.title, "html": html, "toc": toc, "hasToc": toc.count > 1,
            "services": services, "tags": note.tags, "hasCards": !note.cards.isEmpty,
            "practiceHref": "\(root)practice/\(note.serviceID).html",
        ]
        return page(note.outputPath, title: note.title, depth: 1, body: templates.render("note", context), set: set)
    }

    /// A card as the site's templates and practice script see it, from a page one folder down.
    private func cardView(_ card: Card, html: CardHTML, set: LinkedStudySet) -> [String: Any] {
        let root = SiteLinks.root(depth: 1)
        return ["question": html.question, "answer": html.answer, "cloze": card.kind == .cloze,
                "serviceID": card.serviceID, "service": set.studySet.service(card.serviceID).short,
                "href": "\(root)\(set.page(card.pageID)!.outputPath)#\(card.anchor)"]
    }

    private func servicePage(_ service: Service, set: LinkedStudySet, cards allCards: [[String: Any]]) -> OutputFile {
        let root = SiteLinks.root(depth: 1)
        let pages = set.studySet.pages(of: service.id)
        let notes = pages.map { page -> [String: Any] in
            ["title": page.title, "href": "\(root)\(page.outputPath)", "hasCards": !page.cards.isEmpty, "cards": page.cards.count]
        }
        let cards = allCards.filter { $0["serviceID"] as? String == service.id }
        let related = set.related(to: service.id).map { relation -> [String: Any] in
            let other = set.studySet.service(relation.serviceID)
            return ["name": other.short, "href": "\(root)\(other.id)/index.html", "weight": relation.weight]
        }
        let mentioned = set.mentionedIn(service.id).map { ["title": $0.title, "href": "\(root)\($0.outputPath)"] }
        let context: [String: Any] = [
            "root": root, "name": service.name, "short": service.short, "category": service.category,
            "docs": service.docs ?? "", "aliases": service.aliases.joined(separator: ", "),
            "notes": notes, "cards": cards, "cardCount": cards.count, "hasCards": !cards.isEmpty,
            "related": related, "hasRelated": !related.isEmpty, "mentioned": mentioned, "hasMentioned": !mentioned.isEmpty,
            "practiceHref": "\(root)practice/\(service.id).html",
        ]
        return page("\(service.id)/index.html", title: service.name, depth: 1, body: templates.render("service", context), set: set)
    }

    private func homePage(_ set: LinkedStudySet, services: [Service]) -> OutputFile {
        let used = Set(services.map(\.id))
        var categories = set.studySet.catalog.categories.map { category -> [String: Any] in
            let entries = category.services.filter { used.contains($0.id) }.map(serviceEntry(set))
            return ["name": category.name, "services": entries, "count": entries.count]
        }.filter { ($0["count"] as! Int) > 0 }
        if used.contains(Service.general.id) {
            categories.append(["name": "General", "services": [serviceEntry(set)(.general)], "count": 1])
        }
        let context: [String: Any] = [
            "title": set.config.title, "categories": categories, "serviceCount": services.count,
            "noteCount": set.pages.count, "cardCount": set.studySet.cards.count,
        ]
        return page("index.html", title: set.config.title, depth: 0, body: templates.render("home", context), set: set)
    }

    private func serviceEntry(_ set: LinkedStudySet) -> (Service) -> [String: Any] {
        { service in
            let pages = set.studySet.pages(of: service.id)
            return ["name": service.name, "short": service.short, "href": "\(service.id)/index.html",
                    "notes": pages.count, "cards": pages.flatMap(\.cards).filter { $0.serviceID == service.id }.count]
        }
    }

    private func termsPage(_ set: LinkedStudySet, links: SiteLinks) -> OutputFile {
        let root = SiteLinks.root(depth: 1)
        let letters = Dictionary(grouping: set.terms, by: \.letter).sorted { $0.key < $1.key }
        // A large study set has tens of thousands of entries: letters render in parallel.
        let groups = parallelMap(letters.count) { index -> [String: Any] in
            let (letter, terms) = letters[index]
            let group: [String: Any] = [
                "letter": letter, "id": letter == "#" ? "other" : letter.lowercased(),
                "terms": terms.map { term -> [String: Any] in
                    // Built here rather than as one template context per place: a large set's
                    // service names appear on thousands of pages.
                    let places = term.places.compactMap { place in
                        links.href(place.target, root: root).map { "<a href=\"\(escapeHTML($0))\">\(escapeHTML(place.label))</a>" }
                    }
                    return ["text": term.text, "placesHTML": places.joined(separator: ", ")]
                }]
            return ["letter": letter, "id": group["id"]!, "html": templates.render("partials/term-group", group)]
        }
        let context: [String: Any] = ["root": root, "groups": groups, "count": set.terms.count]
        return page("terms/index.html", title: "Index", depth: 1, body: templates.render("terms", context), set: set)
    }

    private func practicePages(_ set: LinkedStudySet, services: [Service], cards: [[String: Any]]) -> [OutputFile] {
        let root = SiteLinks.root(depth: 1)
        var decks: [(id: String, title: String, short: String, cards: [[String: Any]])] = [("all", "All cards", "All", cards)]
        for service in services {
            let serviceCards = cards.filter { $0["serviceID"] as? String == service.id }
            if !serviceCards.isEmpty { decks.append((service.id, service.name, service.short, serviceCards)) }
        }
        return decks.map { deck in
            let data = deck.cards.map { card -> [String: String] in
                ["q": card["question"] as! String, "a": card["answer"] as! String,
                 "service": card["service"] as! String, "href": card["href"] as! String]
            }
            let others = decks.map { ["title": $0.short, "href": "\($0.id).html", "current": $0.id == deck.id] as [String: Any] }
            let context: [String: Any] = ["root": root, "deckTitle": deck.title, "count": deck.cards.count,
                                          "cardsJSON": Self.scriptJSON(data), "decks": others]
            return page("practice/\(deck.id).html", title: "Practice: \(deck.title)", depth: 1,
                        body: templates.render("practice", context), set: set, extra: ["practice": true])
        }
    }

    /// Titles, headings and services of every page, as a script that sets a global, so search
    /// works from `file://` where `fetch` of a JSON file does not.
    private func searchIndex(_ set: LinkedStudySet) -> OutputFile {
        let entries = set.pages.map { page -> [String: String] in
            ["t": page.title, "u": page.outputPath, "s": set.studySet.service(page.serviceID).short,
             "h": page.headings.map(\.text).joined(separator: " · ")]
        }
        return OutputFile(path: "\(folder)/assets/searchindex.js", text: "window.SYLLABUS_SEARCH = \(Self.scriptJSON(entries));\n")
    }

    /// JSON safe inside a `<script>` element, for arrays of string dictionaries (written by
    /// hand: Foundation's serializer took a large share of a big site's build).
    static func scriptJSON(_ rows: [[String: String]]) -> String {
        var json = "["
        for (index, row) in rows.enumerated() {
            if index > 0 { json += "," }
            json += "{"
            for (position, key) in row.keys.sorted().enumerated() {
                if position > 0 { json += "," }
                json += jsonString(key) + ":" + jsonString(row[key]!)
            }
            json += "}"
        }
        return json + "]"
    }

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "/": result += "\\/"  // keeps `</script>` out of the script element
            case "\u{2028}", "\u{2029}": result += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
