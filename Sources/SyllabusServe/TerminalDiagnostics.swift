import Foundation
import SyllabusCore

/// What `serve` prints of each build's diagnostics. A study set with warnings it lives with
/// (a published guide's dead anchors) would otherwise print the same lines on every save, and
/// the one a save caused would be lost among them: a build prints its errors (what failed it:
/// the reason must stay in sight while it lasts) and only the warnings that the build before
/// did not report, each once, and then one line of counts (`counts`). A warning whose line or
/// text changed is a new one. The first build prints them all.
///
/// Called by one build at a time (`DevServer.runBuilds`), but from its tasks, hence the lock.
final class TerminalDiagnostics: @unchecked Sendable {
    private let lock = NSLock()
    /// The diagnostics of the last build that was summed up; nil before the first.
    private var previous: Set<Diagnostic>?
    /// The ones printed so far in the build under way.
    private var printed: Set<Diagnostic> = []
    /// The diagnostic line of the last build, when it stopped without a report.
    private var previousFailure: String?

    /// The diagnostics of `diagnostics` (in their order) that the terminal is to show now:
    /// errors, and warnings new since the last build, leaving out those shown earlier in the
    /// same build (the build's pages are told before its later outputs add their own).
    func toPrint(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        lock.withLock {
            diagnostics.filter { diagnostic in
                guard !printed.contains(diagnostic),
                      diagnostic.severity == .error || previous?.contains(diagnostic) != true else { return false }
                printed.insert(diagnostic)
                return true
            }
        }
    }

    /// Ends a build whose report holds `diagnostics`: "1 error, 49 warnings (2 new)", as
    /// `build` counts them, with how many the build before did not report (not after the
    /// first build, whose are all new). They are what the next build is compared with; when
    /// the build made only some outputs (`partial`: it failed, or left some for later), whose
    /// warnings it could not report again, those of the build before are kept too, so that
    /// the next full build does not print them as new.
    func counts(_ diagnostics: [Diagnostic], partial: Bool) -> String {
        lock.withLock {
            let errors = diagnostics.filter { $0.severity == .error }.count
            var line = "\(counted(errors, "error")), \(counted(diagnostics.count - errors, "warning"))"
            if let previous, !diagnostics.isEmpty {
                let new = diagnostics.filter { !previous.contains($0) }.count
                line += new == 0 ? " (none new)" : " (\(new) new)"
            }
            previous = Set(diagnostics).union(partial ? previous ?? [] : [])
            previousFailure = nil
            printed = []
            return line
        }
    }

    /// Ends a build that stopped without a report (a template that does not parse, whose
    /// diagnostic line is `failure`), in the form of `counts`: one error beside the warnings
    /// of the last build summed up. The stopped build read the notes (beside loading the
    /// theme) but its warnings went with it, unreported, so the last ones still stand; the error is new unless the build before stopped on the same line. The
    /// next build is compared with the last one summed up.
    func abandonBuild(failure: String) -> String {
        lock.withLock {
            printed = []
            let warnings = previous?.filter { $0.severity != .error }.count ?? 0
            var line = "1 error, \(counted(warnings, "warning"))"
            if previous != nil { line += failure == previousFailure ? " (none new)" : " (1 new)" }
            previousFailure = failure
            return line
        }
    }
}
