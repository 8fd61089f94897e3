import Foundation

/// Classify stage: places each note in a service (by folder, front matter or mentions) and
/// gives it its output path; then, with every note known, checks what must be unique across
/// them (output paths, cards) and makes the study set.
struct Classifier {
    let config: ProjectConfig
    let catalog: ServiceCatalog
    let matcher: MentionMatcher
    let diagnostics: DiagnosticLog

    init(config: ProjectConfig, catalog: ServiceCatalog, matcher: MentionMatcher, diagnostics: DiagnosticLog) {
        self.config = config
        self.catalog = catalog
        self.matcher = matcher
        self.diagnostics = diagnostics
    }

    /// The study set of `pages` (classified one by one with `page`) and the exam `exam.yml`
    /// describes, after the checks that need all of them.
    /// What the checks report is kept in the set (`StudySet.checkDiagnostics`) as well.
    /// `knownClean` says of the set made whether the checks are known to report nothing for it
    /// (the build cache's `SetAnalysis` describes it): then they are not run.
    func studySet(_ pages: [Page], exam: ExamConfig? = nil, knownClean: (StudySet) -> Bool = { _ in false }) -> StudySet {
        var set = StudySet(config: config, catalog: catalog, pages: pages, exam: exam)
        if knownClean(set) { return set }
        let checks = Classifier(config: config, catalog: catalog, matcher: matcher, diagnostics: DiagnosticLog())
        checks.checkOutputPaths(set.pages)
        checks.checkCards(set.cards)
        ExamChecks.check(set.questions, exam: exam, diagnostics: checks.diagnostics)
        set.checkDiagnostics = checks.diagnostics.reported
        for diagnostic in set.checkDiagnostics { diagnostics.report(diagnostic) }
        return set
    }

    /// `previous` with the pages `replacements` names replaced (see `StudySet.replacing(_:)`),
    /// its checks' diagnostics reported again: what `studySet(_:exam:)` would make of the new
    /// pages, without the checks across all of them.
    func studySet(replacing replacements: [ObjectIdentifier: Page], in previous: StudySet) -> StudySet {
        for diagnostic in previous.checkDiagnostics { diagnostics.report(diagnostic) }
        return previous.replacing(replacements)
    }

    /// Where a note goes: its service, the others it lists, and its page's file name.
    struct Placement {
        var serviceID: String
        var extraServiceIDs: [String]
        var slug: String
    }

    /// Places one note: in its folder's service, else the one its front matter names, else the
    /// one its prose mentions most, else General. Nil (with an error) when it cannot be placed.
    func place(_ document: ParsedDocument) -> Placement? {
        let source = document.source
        let matter = document.frontMatter
        let extra = matter.services.filter { id in
            if catalog[id] != nil { return true }
            diagnostics.error("unknown service id '\(id)' in front matter 'services'",
                              at: source.location(line: matter.keyLines["services"] ?? 1))
            return false
        }
        var chosen = matter.service
        if let id = chosen, id != Service.general.id, catalog[id] == nil {
            diagnostics.error("unknown service id '\(id)' in front matter 'service' (use a service id of services.yml, or general)",
                              at: source.location(line: matter.keyLines["service"] ?? 1))
            chosen = nil
        }
        let serviceID: String
        if let folder = source.topFolder {
            guard catalog[folder] != nil else {
                // A service left out for its errors in services.yml: those errors say why, once.
                if catalog.mayHaveLeftOut(folder) { return nil }
                diagnostics.error("folder '\(folder)' is not a service id of services.yml", at: source.location())
                return nil
            }
            if let chosen, chosen != folder {
                diagnostics.warning("front matter 'service: \(chosen)' is ignored: a note in the folder '\(folder)' belongs to \(folder)",
                                    at: source.location(line: matter.keyLines["service"] ?? 1))
            }
            serviceID = folder
        } else {
            serviceID = chosen ?? extra.first ?? mostMentioned(in: document.tree) ?? Service.general.id
        }
        guard let slug = slug(for: source, matter: matter) else { return nil }
        return Placement(serviceID: serviceID, extraServiceIDs: extra, slug: slug)
    }

    /// The notes a landing text's lists of links name, in order, each with how deep its item
    /// is nested (0 for the outermost list). Only the first link of each item counts (the
    /// item's title); links that are not to notes, and repeats, are left out.
    static func outline(of tree: MarkdownTree, pageID: String) -> [OutlineEntry] {
        var entries: [OutlineEntry] = []
        var seen: Set<String> = []
        tree.document.walk { node in
            switch node.kind {
            case .item, .taskItem:
                guard let paragraph = node.firstChild, paragraph.kind == .paragraph,
                      let link = paragraph.descendants(.link).first, let url = link.url, !LinkURLs.hasScheme(url) else { return .visitChildren }
                let path = LinkURLs.split(url).path
                guard path.hasSuffix(".md"), !path.hasPrefix("/"),
                      let id = SourceFile.resolve(path.removingPercentEncoding ?? path, from: pageID), id != pageID,
                      seen.insert(id).inserted else { return .visitChildren }
                var depth = -1
                var ancestor: Node? = node
                while let current = ancestor {
                    if current.kind == .list { depth += 1 }
                    ancestor = current.parent
                }
                entries.append(OutlineEntry(pageID: id, depth: max(depth, 0)))
                return .visitChildren
            case .codeBlock, .htmlBlock, .heading, .table:
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        return entries
    }

    /// The front matter slug, checked, or one made from the path below the service folder.
    func slug(for source: SourceFile, matter: FrontMatter) -> String? {
        // The landing text is the service page.
        if source.isLanding { return "index" }
        if let slug = matter.slug {
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_"))
            guard !slug.isEmpty, slug.unicodeScalars.allSatisfy(allowed.contains) else {
                diagnostics.error("slug '\(slug)' must be a plain file name (letters, digits, '-' and '_')",
                                  at: source.location(line: matter.keyLines["slug"] ?? 1))
                return nil
            }
            return slug
        }
        var parts = source.relativePath.split(separator: "/").map(String.init)
        if parts.count > 1 { parts.removeFirst() }
        let name = parts.joined(separator: "-")
        return String(name.dropLast(3)).replacingOccurrences(of: ".", with: "-")
    }

    /// A note outside every service folder belongs to the service its prose names most.
    func mostMentioned(in tree: MarkdownTree) -> String? {
        var counts: [String: Int] = [:]
        // Sections do not matter here, only the prose.
        ProseWalker.visit(tree, headingIDs: [:]) { node, _ in
            for mention in matcher.mentions(in: node.literal ?? "") { counts[mention.serviceID, default: 0] += 1 }
        }
        let order = Dictionary(catalog.services.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        return counts.max { ($0.value, order[$1.key] ?? 0) < ($1.value, order[$0.key] ?? 0) }?.key
    }

    func checkOutputPaths(_ pages: [Page]) {
        var owners: [String: Page] = [:]
        for page in pages {
            if page.slug == "index" && !page.isLanding {
                diagnostics.error("a note may not be called 'index': the service page uses \(page.serviceID)/index.html",
                                  at: page.source.location())
            } else if let owner = owners[page.outputPath] {
                diagnostics.error("two pages have the output path \(page.outputPath): this one and \(owner.source.displayPath)",
                                  at: page.source.location())
            } else {
                owners[page.outputPath] = page
            }
        }
    }

    /// One deck asks each question once, and each card is its own Anki note. A front repeated
    /// in a deck (case and spacing ignored) is an error at the second card, naming the first,
    /// whatever ids the two have: Anki flags notes with the same first field as duplicates,
    /// and pinning ids (`cards --pin-ids`) must not turn the check off. Otherwise a GUID used
    /// twice (an id pinned twice, or pinned to another card's derived GUID) is an error, as
    /// the second card would overwrite the first in Anki.
    func checkCards(_ cards: [Card]) {
        // The first card of each front and id, by its index: every build checks every card,
        // and a card copied into a table is a dozen retains.
        var fronts: [String: Int] = [:], guids: [String: Int] = [:]
        fronts.reserveCapacity(cards.count)
        guids.reserveCapacity(cards.count)
        for (index, card) in cards.enumerated() {
            let front = Card.frontKey(serviceID: card.serviceID, frontText: card.frontText)
            if let first = fronts[front] {
                diagnostics.error("duplicate card front '\(card.frontText)' in deck \(card.serviceID) (first at \(cards[first].location))",
                                  at: card.location)
            } else if let first = guids[card.guid] {
                diagnostics.error("card id '\(card.guid)' is also used at \(cards[first].location)", at: card.location)
            }
            if fronts[front] == nil { fronts[front] = index }
            if guids[card.guid] == nil { guids[card.guid] = index }
        }
    }

    /// Anki tags cannot hold spaces.
    static func tag(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: "-")
    }
}
