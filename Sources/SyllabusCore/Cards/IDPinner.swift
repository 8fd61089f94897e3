import Foundation

/// `syllabus cards --pin-ids`: writes each card's current GUID into its source as
/// `<!-- id: … -->`, so later edits of a front keep the same Anki note. Only inserts; every
/// other byte of the file stays as it was.
public enum IDPinner {
    /// The new text of each page that has unpinned cards, keyed by page id; the files are
    /// read again from `contentRoot`.
    public static func pin(_ set: StudySet, contentRoot: URL) throws -> [String: String] {
        var changed: [String: String] = [:]
        for page in set.pages {
            let unpinned = page.cards.filter { $0.pinnedID == nil }
            guard !unpinned.isEmpty else { continue }
            let url = contentRoot.appendingPathComponent(page.id)
            var lines = try String(contentsOf: url, encoding: .utf8).rawLines()
            // Bottom-up, so earlier line numbers stay valid while lines are inserted.
            for card in unpinned.sorted(by: { $0.pinLine > $1.pinLine }) {
                let index = card.pinLine - 1
                guard lines.indices.contains(index) else { continue }
                let comment = CardID.comment(card.guid)
                if card.isInline {
                    let line = lines[index]
                    let carriageReturn = line.hasSuffix("\r")
                    lines[index] = (carriageReturn ? String(line.dropLast()) : line) + " " + comment + (carriageReturn ? "\r" : "")
                } else {
                    lines.insert(comment + (lines[index].hasSuffix("\r") ? "\r" : ""), at: index + 1)
                }
            }
            changed[page.id] = lines.joined(separator: "\n")
        }
        return changed
    }

    /// What `cards --pin-ids` says when it pinned `cards` ids in `files` files, of a set whose
    /// other diagnostics (`warnings`) have nothing to do with pinning: their count and where
    /// to read them, not every line of them. "Pinned 1 card id in 1 file".
    public static func summary(cards: Int, files: Int, warnings: Int) -> String {
        (cards == 0 ? "Every card has an id: nothing to pin" : "Pinned \(counted(cards, "card id")) in \(counted(files, "file"))")
            + (warnings == 0 ? "" : " (the study set has \(counted(warnings, "warning")): `syllabus check` lists them)")
    }
}
