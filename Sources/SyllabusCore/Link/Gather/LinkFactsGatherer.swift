import CMarkGFM
import Foundation

/// The facts of a note that `LinkFactsGatherer.gather` reads, known before its link facts are.
struct LocalNote {
    var source: SourceFile
    var title: String
    /// Its own services, which its prose does not cross-link to.
    var serviceIDs: [String]
    /// Every name of its first service (`Service.names`); none for a service the catalog lacks.
    var serviceNames: [String] = []
    var cards: [Card]
    /// A `*.cards.md` file or one with `cards: true`: its title names a deck, not a subject.
    var isCardsFile: Bool

    var id: String { source.relativePath }
}

/// The per-note part of the link stage: runs on each note as soon as it is placed (see
/// `NoteAnalyzer`), before other notes are known, and what it finds (`NoteLinkFacts`) is kept
/// in the build cache with the note's facts. It also makes the note's tree what the linked
/// page shows: root-absolute links get their site, and the first mention of another service
/// in each section becomes a cross-link. `Linker` later resolves what it gathered against
/// every note.
struct LinkFactsGatherer {
    let matcher: MentionMatcher
    /// The index entry of each service's full name, by `Service.id`; none for a name the index
    /// leaves out (see `NameTerms`).
    let nameTerms: NameTerms
    let diagnostics: DiagnosticLog

    /// Gathers what one note's links and prose say: links to notes and to files beside the
    /// notes (pictures, samples) are recorded for `Linker.link`, the first mention of each
    /// other service in every section becomes a cross-link, and mentions, index terms and
    /// their sections are collected.
    /// Root-absolute links (`/kms/latest/…`, as guides published on one site write them) are
    /// resolved against `origin` (`https://host`), or shown as text when there is none.
    func gather(_ page: LocalNote, content: PageContent, origin: String? = nil) -> NoteLinkFacts {
        var facts = NoteLinkFacts()
        var names = LinkNames()
        var terms = TermCollector()
        terms.collect(page, content: content)
        var links: [Node] = []
        content.tree.document.walk { node in
            if node.kind == .link { links.append(node) }
            // An image's children are its alt text, which never links; an image unwrapped
            // below frees them, so none may be on the list (images nest: `![![x](a)](b)`).
            if node.kind == .image { links.append(node); return .skipChildren }
            return .visitChildren
        }
        for node in links {
            guard let url = node.url, !url.isEmpty, !LinkURLs.hasScheme(url) else { continue }
            if url.hasPrefix("//") {
                node.url = "https:" + url
                continue
            }
            if url.hasPrefix("/") {
                if let origin {
                    node.url = origin + url
                } else {
                    diagnostics.warning("link to '\(url)' is relative to the root of a site, and neither the service's docs URL nor base_url names one; it is shown as text",
                                        at: page.source.location(line: node.line, column: node.column))
                    node.unwrap(showingURL: true)
                }
                continue
            }
            names.references.append(Reference(url: url, line: node.line, column: node.column, isImage: node.kind == .image))
            content.referenceNodes.append(node)
        }
        let (crossLinks, counts) = crossLink(page, content: content, terms: &terms)
        names.crossLinks = crossLinks.map(\.serviceID)
        content.crossLinkNodes = crossLinks.map(\.node)
        names.mentions = counts
        facts.names = Deferred(names)
        facts.terms = terms.pageTerms
        return facts
    }

    // MARK: Cross-links

    /// The index entries of the services' full names (`TermCollector.indexed` of each, by
    /// `Service.id`), worked out once per build rather than for every note that mentions a
    /// service: the checks were the largest part of cross-linking in the profile of a full build.
    struct NameTerms: Sendable {
        let terms: [String: IndexedTerm]

        init(_ services: [Service]) {
            terms = Dictionary(services.compactMap { service in TermCollector.indexed(service.name).map { (service.id, $0) } },
                               uniquingKeysWith: { first, _ in first })
        }
    }

    /// Links the first mention of each other service in every section; counts all mentions
    /// and files the note under each other service's full name in the term index, once, at the
    /// first mention by any of its names, never under the name as written: the other names say
    /// "see" the full one, and filed under them the DynamoDB developer guide's "DynamoDB"
    /// listed 413 pages before its "see", an eighth of its index page. A note's own service is
    /// not indexed where the note merely names it: the service's entry links to its page,
    /// which lists its notes.
    private func crossLink(_ page: LocalNote, content: PageContent, terms: inout TermCollector) -> ([(node: Node, serviceID: String)], [String: Int]) {
        var added: [(node: Node, serviceID: String)] = []
        var counts: [String: Int] = [:]
        var linkedInSection: Set<String> = []
        var servicesAdded: Set<String> = []
        var currentSection = ""
        let own = Set(page.serviceIDs)
        ProseWalker.visit(content.tree, headingIDs: content.headingIDs) { node, section in
            if section != currentSection { currentSection = section; linkedInSection = [] }
            let found = node.withLiteralBytes { matcher.mentions(in: $0) }
            guard !found.isEmpty else { return }
            // A copy: setting the literal below frees the bytes cmark holds.
            let bytes = node.withLiteralBytes { Array($0) }
            let place = TermPlace(target: .page(id: page.id, fragment: section == "top" ? nil : section), label: page.title)
            for mention in found {
                counts[mention.serviceID, default: 0] += 1
                file(mention.serviceID, at: place, own: own, filed: &servicesAdded, terms: &terms)
            }
            let toLink = found.filter { mention in
                !own.contains(mention.serviceID) && linkedInSection.insert(mention.serviceID).inserted
            }
            guard !toLink.isEmpty else { return }
            var cursor = 0
            var anchor = node
            func appendText(_ range: Range<Int>) {
                guard !range.isEmpty else { return }
                let text = node.makeText(String(decoding: bytes[range], as: UTF8.self))
                anchor.insertAfter(text)
                anchor = text
            }
            node.literal = String(decoding: bytes[..<toLink[0].range.lowerBound], as: UTF8.self)
            cursor = toLink[0].range.lowerBound
            for mention in toLink {
                appendText(cursor..<mention.range.lowerBound)
                let link = node.makeNode(CMARK_NODE_LINK)
                link.url = ""
                link.mark = .crossLink
                link.append(node.makeText(String(decoding: bytes[mention.range], as: UTF8.self)))
                anchor.insertAfter(link)
                anchor = link
                added.append((link, mention.serviceID))
                cursor = mention.range.upperBound
            }
            appendText(cursor..<bytes.count)
        }
        indexMentionsInQuestions(page, content: content, own: own, added: &servicesAdded, terms: &terms)
        return (added, counts)
    }

    /// Files the note under each other service a card's question names, as prose naming it
    /// does (see `crossLink`), at the card: a question is a heading, which prose is not, so
    /// that a card file asking "When does Lambda poll an SQS queue?" is listed under both. The
    /// question gets no link (a heading links nowhere) and its mentions are not counted
    /// towards what the note is about, which its answers say.
    private func indexMentionsInQuestions(_ page: LocalNote, content: PageContent, own: Set<String>, added: inout Set<String>,
                                          terms: inout TermCollector) {
        for (card, nodes) in zip(page.cards, content.cards) where nodes.front.kind == .heading {
            let place = TermPlace(target: .page(id: page.id, fragment: card.anchor == "top" ? nil : card.anchor), label: page.title)
            nodes.front.walk { node in
                guard node.kind == .text else { return .visitChildren }
                for mention in node.withLiteralBytes({ matcher.mentions(in: $0) }) {
                    file(mention.serviceID, at: place, own: own, filed: &added, terms: &terms)
                }
                return .skipChildren
            }
        }
    }

    /// Files the note under the full name of the service `serviceID` at `place`, unless it is
    /// one of the note's `own` services or already `filed`: the index lists a term once per
    /// page, at its first place (and a service filed already would add nothing).
    private func file(_ serviceID: String, at place: TermPlace, own: Set<String>, filed: inout Set<String>, terms: inout TermCollector) {
        guard !own.contains(serviceID), filed.insert(serviceID).inserted, let term = nameTerms.terms[serviceID] else { return }
        terms.add(term, place)
    }
}
