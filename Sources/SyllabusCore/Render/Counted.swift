/// "1 note", "2 notes", "0 cards": a count with its noun in the right number. `many` defaults
/// to `one` + "s".
public func counted(_ count: Int, _ one: String, _ many: String? = nil) -> String {
    "\(count) \(count == 1 ? one : many ?? one + "s")"
}

extension StudySet {
    /// The notes a reader counts: pages that are not flashcard files.
    var noteCount: Int { pages.lazy.filter { !$0.isCardsFile }.count }
    /// Services proper: the General group is not one.
    var serviceCount: Int { servicesInUse.lazy.filter { $0.id != Service.general.id }.count }
}
