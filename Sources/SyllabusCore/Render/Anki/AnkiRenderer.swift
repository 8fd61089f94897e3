import Foundation

/// Anki decks as TSV files Anki (2.1.55+) imports with its own header lines: one file per
/// service and `all.tsv`. Every row carries a stable GUID, so a re-import updates notes in
/// place and never duplicates them, and review history survives every rebuild.
public struct AnkiRenderer: Renderer {
    public let folder = "anki"

    public init() {}

    static let header = """
        #separator:tab
        #html:true
        #guid column:1
        #notetype column:2
        #deck column:3
        #tags column:6
        #columns:GUID\tNotetype\tDeck\tFront\tBack\tTags

        """

    /// Each deck file is keyed by its cards: a rebuild makes only the decks whose cards changed.
    public func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        let cards = set.studySet.cards
        var decks: [(path: String, cards: [Int])] = [("\(folder)/all.tsv", Array(cards.indices))]
        for service in set.studySet.servicesInUse {
            let indices = cards.indices.filter { cards[$0].serviceID == service.id }
            if !indices.isEmpty { decks.append(("\(folder)/\(service.id).tsv", indices)) }
        }
        let links = SiteLinks(set: set)
        // Anki has no copy of the site: links point at the published site, or become text.
        let rows = Lazy {
            let html = CardHTML.all(cards, in: set, href: links.absoluteHref)
            return parallelMap(cards.count) { row(cards[$0], html: html[$0], set: set) }
        }
        try output.write(decks.compactMap { deck in
            var key = OutputKey("anki", set.environmentKey)
            key.add(cards: deck.cards.map { cards[$0] }, of: set)
            guard !output.reuse(deck.path, key: key.hex) else { return nil }
            return OutputFile(path: deck.path, text: Self.header + deck.cards.map { rows.value[$0] }.joined(), key: key.hex)
        })
    }

    private func row(_ card: Card, html: CardHTML, set: LinkedStudySet) -> String {
        let service = set.studySet.service(card.serviceID)
        let deck = "\(set.config.deck)::\(service.short)"
        let tags = [AnkiField.tag(service.category) + "::" + AnkiField.tag(service.id)] + card.tags.map(AnkiField.tag)
        let fields = [card.guid, card.kind == .cloze ? "Cloze" : "Basic", deck,
                      AnkiField.format(html.front), AnkiField.format(html.back + html.provenance), tags.joined(separator: " ")]
        return fields.map(AnkiField.quote).joined(separator: "\t") + "\n"
    }
}
