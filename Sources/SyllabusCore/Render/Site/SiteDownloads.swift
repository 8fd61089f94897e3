import Foundation

/// The home page's Downloads list: every file of the other outputs this build makes
/// (`outputs:` in `syllabus.yml`), so a reader of the site, or an author on `serve`, reaches
/// every output from it: first the whole-set files (the EPUB, the `all` and `exam` decks, the
/// list of notes the decks no longer have, the cheat sheets of every service), then one row
/// per service with its deck and its sheet. A sheet's PDF is listed when the build prints PDFs (`build --pdf`, `serve --pdf`): a build
/// without a printer keeps only some of them (those of unchanged sheets), and a page must not
/// depend on what an earlier build left. Links are relative to `site/index.html` (`../ebook/…`):
/// they work from `file://` in the output folder, and `serve` answers them from the output
/// folders. The names come from the renderers that make the files; only the outputs the build
/// makes are linked (`outputs`, as the pipeline tells the site: `OutputSink.outputs`), so an
/// output left out for having nothing to hold (`Renderer.makesFiles`) is not; no file is read.
enum SiteDownloads {
    /// The whole-set rows: `label` (plain text) and `href` (relative to the home page).
    static func entries(_ set: LinkedStudySet, printsPDFs: Bool, outputs: Set<OutputKind>) -> [[String: String]] {
        var rows: [[String: String]] = []
        if outputs.contains(.epub) {
            rows.append(["label": "EPUB book", "href": "../" + EpubRenderer.href(of: set.config.title)])
        }
        if outputs.contains(.anki), !set.studySet.cards.isEmpty {
            rows.append(["label": "Anki deck of every card (.apkg)", "href": "../anki/all.apkg"])
            rows.append(["label": "Anki deck of every card (TSV)", "href": "../anki/all.tsv"])
        }
        if outputs.contains(.anki), !set.studySet.questions.isEmpty {
            rows.append(["label": "Anki deck of the exam's questions (.apkg)", "href": "../anki/exam.apkg"])
            rows.append(["label": "Anki deck of the exam's questions (TSV)", "href": "../anki/exam.tsv"])
        }
        if outputs.contains(.anki) {
            rows.append(["label": "Notes earlier decks had and these no longer do, to delete in Anki (text)", "href": "../anki/removed.txt"])
        }
        if outputs.contains(.cheatsheets), !CheatSheetRenderer.sheetNames(set).isEmpty {
            rows.append(["label": "Cheat sheets of every service (printable HTML)", "href": "../cheatsheets/all.html"])
            if printsPDFs { rows.append(["label": "Cheat sheets of every service (PDF)", "href": "../cheatsheets/all.pdf"]) }
        }
        return rows
    }

    /// One row per service with a deck or a sheet, in the services' order: `name`, and `files`
    /// (`label`, `href`, `separator` before the next one).
    static func services(_ set: LinkedStudySet, printsPDFs: Bool, outputs: Set<OutputKind>) -> [[String: Any]] {
        let decks = outputs.contains(.anki) ? Set(set.studySet.cards.map(\.serviceID)) : []
        let sheets = outputs.contains(.cheatsheets) ? Set(CheatSheetRenderer.sheetServices(set).map(\.id)) : []
        return set.studySet.servicesInUse.compactMap { service -> [String: Any]? in
            var files: [(label: String, href: String)] = []
            if decks.contains(service.id) {
                files += [("deck (.apkg)", "../anki/\(service.id).apkg"), ("deck (TSV)", "../anki/\(service.id).tsv")]
            }
            if sheets.contains(service.id) {
                files.append(("cheat sheet", "../cheatsheets/\(service.id).html"))
                if printsPDFs { files.append(("cheat sheet (PDF)", "../cheatsheets/\(service.id).pdf")) }
            }
            guard !files.isEmpty else { return nil }
            let rows = files.enumerated().map { index, file -> [String: String] in
                ["label": file.label, "href": file.href, "separator": index < files.count - 1 ? " · " : ""]
            }
            return ["name": service.name, "files": rows]
        }
    }
}
