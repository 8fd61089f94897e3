import Foundation

/// How the term index names the notes it points to (`TermPlace.label`): each by its title, and
/// a note whose title another note shares (ignoring case) by its title and, in brackets, what
/// tells it from the others, as a printed index adds a qualifier to a heading it lists twice.
/// Published guides repeat titles across tutorials ("Step 2: Create an IAM Policy and User" in
/// the KCL 1.x and the KCL 2.x tutorial; "Prerequisites"), which would otherwise be two links
/// with the same text. The qualifier is the first of these that tells every note of the title
/// apart:
/// 1. the title of the note holding it in its service's contents (`StudySet.outlineParent`):
///    "Step 2: Create an IAM Policy and User (Tutorial: … KCL 1.x)";
/// 2. its service's short name: "Overview (Lambda)", "Overview (S3)";
/// 3. its file in the content folder, which no two notes share: "Limits (lambda/limits.md)".
/// Every place of such a note gets the qualifier, in every entry, so that a reader meets one
/// name for it throughout the index.
struct LocatorLabels {
    /// The labels of the notes whose title another note shares, by page id.
    private(set) var qualified: [String: String] = [:]

    init(_ studySet: StudySet) {
        let pages = studySet.pages
        // Most titles are unique: grouped by position, and only the groups of two or more kept.
        var byTitle: [String: [Int]] = [:]
        for (index, page) in pages.enumerated() { byTitle[page.title.lowercased(), default: []].append(index) }
        let groups = byTitle.values.filter { $0.count > 1 }
        guard !groups.isEmpty else { return }
        let titles = Dictionary(pages.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
        let qualifiers: [(Page) -> String?] = [
            { studySet.outlineParent(of: $0.id).flatMap { titles[$0] } },
            { studySet.service($0.serviceID).short },
        ]
        for group in groups {
            let shared = group.map { pages[$0] }
            let labels = qualifiers.lazy.compactMap { qualifier -> [String]? in
                let labels = shared.compactMap { page in qualifier(page).map { "\(page.title) (\($0))" } }
                return labels.count == shared.count && Set(labels.map { $0.lowercased() }).count == shared.count ? labels : nil
            }.first ?? shared.map { "\($0.title) (\($0.id))" }
            for (page, label) in zip(shared, labels) { qualified[page.id] = label }
        }
    }

    /// The text of a link to `page` in the index.
    func label(of page: Page) -> String { qualified[page.id] ?? page.title }
}
