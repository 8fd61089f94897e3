import Foundation

/// The cores this process may use, read once: Foundation's `activeProcessorCount` reads the
/// cgroup's CPU quota files on every call, and a one-note rebuild calls `parallelMap` some
/// seventy times (a few milliseconds of opening and reading them).
let processorCount = ProcessInfo.processInfo.activeProcessorCount

/// Runs `body` for every index in `0..<count` on up to `workers` threads (all cores by
/// default) and returns the results in index order. Every stage uses it.
func parallelMap<T>(_ count: Int, workers: Int = processorCount, _ body: (Int) -> T) -> [T] {
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deinitialize().deallocate() }
    if workers >= processorCount {
        // All cores: libdispatch spreads the indices itself, with no lock per item.
        DispatchQueue.concurrentPerform(iterations: count) { index in results[index] = body(index) }
        return results.map { $0! }
    }
    let lock = NSLock()
    var next = 0
    // Each worker takes the next index until none is left, so uneven items balance out.
    DispatchQueue.concurrentPerform(iterations: max(1, min(workers, count))) { _ in
        while true {
            let index: Int = lock.withLock {
                defer { next += 1 }
                return next
            }
            guard index < count else { return }
            results[index] = body(index)
        }
    }
    return results.map { $0! }
}

