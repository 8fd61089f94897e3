import Foundation

/// Wall-clock and CPU seconds per build stage, for `syllabus build --timings` and the
/// benchmark's per-stage split. CPU seconds are the whole process's (every thread, user and
/// system) while the stage ran: twice its wall seconds on two busy cores, about its wall
/// seconds where one core works alone.
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
        /// The process's CPU seconds (all threads, user and system) over the same time.
        var cpuSeconds: Double = 0
    }

    private let lock = NSLock()
    private var current: (name: String, start: Date, cpu: Double)
    private var done: [Stage] = []

    /// Starts timing the `Starting` stage now.
    public init() { current = ("Starting", Date(), Self.processCPU()) }

    /// Ends the current stage and starts `stage`; pass it as (or call it from) `Pipeline.progress`.
    public func mark(_ stage: String) {
        lock.withLock {
            let now = Date(), cpu = Self.processCPU()
            done.append(Stage(name: current.name, seconds: now.timeIntervalSince(current.start), cpuSeconds: cpu - current.cpu))
            current = (stage, now, cpu)
        }
    }

    /// CPU seconds the process has used so far, every thread's (`CLOCK_PROCESS_CPUTIME_ID`).
    static func processCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Ends the current stage, unless it is the pipeline's `Done`: a build that finds nothing
    /// changed returns without naming `Done`, and its last stage still counts.
    public func finish() {
        lock.withLock {
            guard current.name != "Done" else { return }
            let now = Date(), cpu = Self.processCPU()
            done.append(Stage(name: current.name, seconds: now.timeIntervalSince(current.start), cpuSeconds: cpu - current.cpu))
            current = ("Done", now, cpu)
        }
    }

    /// The stages ended so far, in order. The pipeline's last name, `Done`, never ends, so it is
    /// not among them.
    var stages: [Stage] { lock.withLock { done } }

    /// Two lines per stage: `timing: <seconds> <stage>` (wall seconds with three decimals),
    /// the format `Benchmarks/run.py` reads, then `cpu: <seconds> <stage>`.
    public var lines: [String] {
        stages.flatMap { [String(format: "timing: %.3f %@", $0.seconds, $0.name), String(format: "cpu: %.3f %@", $0.cpuSeconds, $0.name)] }
    }
}
