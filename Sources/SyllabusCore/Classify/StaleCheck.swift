import Foundation

/// `syllabus check --stale N` (or `stale_months: N` in `syllabus.yml`): warns about every
/// note and card file that names no sources, has no checked date, or was last checked more
/// than `months` calendar months before `today`, and about cards whose own checked date is.
/// A file's cards are covered by the file; a card file whose every card names its own
/// sources (or date) needs none of its own.
struct StaleCheck {
    /// Calendar months after its checked date that content counts as stale.
    let months: Int
    /// The day the check compares with (the build's date, or a fixed one in tests).
    let today: CheckedDate

    /// A check for content older than `months` months before `today`.
    init(months: Int, today: CheckedDate) {
        self.months = months
        self.today = today
    }

    /// Reports each warning at the file's `checked:` line (else `sources:`, else line 1), or
    /// at a card's own `<!-- checked: … -->` comment. Never an error: stale content still builds.
    func report(_ pages: [Page], diagnostics: DiagnosticLog) {
        let oldest = today.adding(months: -months)
        func check(_ date: CheckedDate, at location: SourceLocation) {
            if date > today {
                diagnostics.warning("checked date \(date) is in the future", at: location)
            } else if date < oldest {
                diagnostics.warning("last checked \(date), more than \(months) month\(months == 1 ? "" : "s") ago: check its figures against its sources, then update 'checked'",
                                    at: location)
            }
        }
        for page in pages {
            let location = page.source.location(line: page.provenance.line)
            let cards = page.cards
            let cardsCite = page.isCardsFile && !cards.isEmpty && cards.allSatisfy { !$0.ownProvenance.sources.isEmpty }
            let cardsDated = page.isCardsFile && !cards.isEmpty && cards.allSatisfy { $0.ownProvenance.checked != nil }
            if page.provenance.sources.isEmpty && !cardsCite {
                diagnostics.warning("names no sources: add 'sources:' (the URLs its figures come from) to its front matter", at: location)
            }
            if let checked = page.provenance.checked {
                check(checked, at: location)
            } else if !cardsDated {
                diagnostics.warning("has no checked date: add 'checked: YYYY-MM-DD' to its front matter", at: location)
            }
            for card in cards {
                if let checked = card.ownProvenance.checked { check(checked, at: page.source.location(line: card.ownProvenance.line)) }
            }
        }
    }
}
