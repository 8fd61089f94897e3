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

    public func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        try output.write(files(for: set))
    }

    func files(for set: LinkedStudySet) throws -> [OutputFile] {
        let links = SiteLinks(set: set)
        let cards = set.studySet.cards
        // Anki has no copy of the site: links point at the published site, or become text.
        let html = CardHTML.all(cards, in: set, href: links.absoluteHref)
        let rows = zip(cards, html).map { row($0, html: $1, set: set) }
        var files = [OutputFile(path: "\(folder)/all.tsv", text: Self.header + rows.joined())]
        for service in set.studySet.servicesInUse {
            let serviceRows = zip(cards, rows).filter { $0.0.serviceID == service.id }.map(\.1)
            guard !serviceRows.isEmpty else { continue }
            files.append(OutputFile(path: "\(folder)/\(service.id).tsv", text: Self.header + serviceRows.joined()))
        }
        return files
    }

    private func row(_ card: Card, html: CardHTML, set: LinkedStudySet) -> String {
        let service = set.studySet.service(card.serviceID)
        let deck = "\(set.config.deck)::\(service.short)"
        let tags = [AnkiField.tag(service.category) + "::" + AnkiField.tag(service.id)] + card.tags.map(AnkiField.tag)
        let fields = [card.guid, card.kind == .cloze ? "Cloze" : "Basic", deck,
                      AnkiField.format(html.front), AnkiField.format(html.back), tags.joined(separator: " ")]
        return fields.map(AnkiField.quote).joined(separator: "\t") + "\n"
    }
}
