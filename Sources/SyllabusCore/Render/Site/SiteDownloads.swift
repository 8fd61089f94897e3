import Foundation

/// The home page's Downloads list: the whole-set files of the other outputs this build makes
/// (`outputs:` in `syllabus.yml`), so a reader of the site, or an author on `serve`, reaches
/// every output from it. Links are relative to `site/index.html` (`../ebook/…`): they work
/// from `file://` in the output folder, and `serve` answers them from the output folders.
/// The names come from the renderers that make the files; no file is read.
enum SiteDownloads {
    /// One row per file: `label` (plain text) and `href` (relative to the home page).
    static func entries(_ set: LinkedStudySet) -> [[String: String]] {
        let outputs = set.config.outputs
        var rows: [[String: String]] = []
        if outputs.contains(.epub) {
            rows.append(["label": "EPUB book", "href": "../ebook/\(EpubRenderer.fileName(set.config.title)).epub"])
        }
        if outputs.contains(.anki), !set.studySet.cards.isEmpty {
            rows.append(["label": "Anki deck of every card (.apkg)", "href": "../anki/all.apkg"])
            rows.append(["label": "Anki deck of every card (TSV)", "href": "../anki/all.tsv"])
        }
        if outputs.contains(.cheatsheets), !CheatSheetRenderer.sheetNames(set).isEmpty {
            rows.append(["label": "Cheat sheets of every service (printable HTML)", "href": "../cheatsheets/all.html"])
        }
        return rows
    }
}
