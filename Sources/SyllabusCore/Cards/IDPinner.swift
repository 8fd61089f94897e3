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
            for card in unpinned.sorted(by: { line(of: $0) > line(of: $1) }) {
                let index = line(of: card) - 1
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

    /// The line the id goes after: a heading's last line (setext headings have two), or the
    /// inline card's own line (its container is made by Syllabus and has no position).
    private static func line(of card: Card) -> Int {
        card.isInline ? card.location.line : card.front.endLine
    }
}
