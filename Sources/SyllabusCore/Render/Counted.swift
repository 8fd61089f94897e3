/// "1 note", "2 notes", "0 cards": a count with its noun in the right number. `many` defaults
/// to `one` + "s".
public func counted(_ count: Int, _ one: String, _ many: String? = nil) -> String {
    "\(count) \(count == 1 ? one : many ?? one + "s")"
}

/// `counts` ("3 notes", from `counted`) joined by " · ", those of none left out: a set of
/// flashcards alone reads "2 flashcards", not "0 notes · 2 flashcards". All of them when every
/// count is none.
func nonZeroCounts(_ counts: [(count: Int, text: String)]) -> String {
    let some = counts.filter { $0.count > 0 }
    return (some.isEmpty ? counts : some).map(\.text).joined(separator: " · ")
}

extension StudySet {
    /// The notes a reader counts: pages that are not flashcard files, nor a service's landing
    /// text (a published guide's `index.md`, shown on its service's page and not a note of
    /// its own), as each service's card on the home page counts them.
    var noteCount: Int { pages.lazy.filter { !$0.isCardsFile && !$0.isLanding }.count }
    /// Services proper: the General group is not one.
    var serviceCount: Int { servicesInUse.lazy.filter { $0.id != Service.general.id }.count }
}
