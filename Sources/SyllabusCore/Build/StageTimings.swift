import Foundation

/// Wall-clock seconds per build stage, for `syllabus build --timings` and the benchmark's
/// per-stage split.
///
/// It rides on `Pipeline.progress`, which is told each stage's name as it starts: a stage lasts
/// from its name until the next one (or `finish()`), so the pipeline needs no hook of its own.
/// The first stage, `Starting`, is what runs before the pipeline names any stage (output
/// folder checks, its lock, reading `syllabus.yml`).
public final class StageTimings: @unchecked Sendable {
    /// One stage: its name as the pipeline reports it and its wall-clock duration in seconds.
    struct Stage: Equatable, Sendable {
        /// The name `Pipeline.progress` was told, e.g. `Rendering epub`.
        var name: String
        /// Wall-clock seconds from this stage's start to the next stage's.
        var seconds: Double
    }

    private let lock = NSLock()
    private var current: (name: String, start: Date)
    private var done: [Stage] = []

    /// Starts timing the `Starting` stage now.
    public init() { current = ("Starting", Date()) }

    /// Ends the current stage and starts `stage`; pass it as (or call it from) `Pipeline.progress`.
    public func mark(_ stage: String) {
        lock.withLock {
            let now = Date()
            done.append(Stage(name: current.name, seconds: now.timeIntervalSince(current.start)))
            current = (stage, now)
        }
    }

    /// Ends the current stage, unless it is the pipeline's `Done`: a build that finds nothing
    /// changed returns without naming `Done`, and its last stage still counts.
    public func finish() {
        lock.withLock {
            guard current.name != "Done" else { return }
            let now = Date()
            done.append(Stage(name: current.name, seconds: now.timeIntervalSince(current.start)))
            current = ("Done", now)
        }
    }

    /// The stages ended so far, in order. The pipeline's last name, `Done`, never ends, so it is
    /// not among them.
    var stages: [Stage] { lock.withLock { done } }

    /// One line per stage, `timing: <seconds> <stage>` (seconds with three decimals), the
    /// format `Benchmarks/run.py` reads.
    public var lines: [String] {
        stages.map { String(format: "timing: %.3f %@", $0.seconds, $0.name) }
    }
}
