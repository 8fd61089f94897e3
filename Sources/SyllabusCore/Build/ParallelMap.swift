import Foundation

/// Runs `body` for every index in `0..<count` on up to `workers` threads (all cores by
/// default) and returns the results in index order. Every stage after parsing uses it.
func parallelMap<T>(_ count: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount, _ body: (Int) -> T) -> [T] {
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer { results.deinitialize().deallocate() }
    if workers >= ProcessInfo.processInfo.activeProcessorCount {
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

/// Like `parallelMap`, for work whose first step cannot run on two threads at once (cmark-gfm's
/// parser): `first` runs for every index in order on a thread of its own, and `rest` runs on
/// all cores for each index as soon as its first step is done. With a lock around the first
/// step instead, the cores queued at the lock and were idle a third of the time.
func pipelinedMap<Step, T>(_ count: Int, first: @escaping (Int) -> Step, _ rest: (Int, Step) -> T) -> [T] {
    let steps = Slots<Step>(count)
    let done = (0..<count).map { _ in DispatchSemaphore(value: 0) }
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
        for index in 0..<count {
            steps.put(first(index), at: index)
            done[index].signal()
        }
        finished.signal()
    }
    thread.start()
    let results = parallelMap(count) { index -> T in
        done[index].wait()
        return rest(index, steps.take(index))
    }
    finished.wait()
    return results
}

/// One value per index, handed from one thread to another (a semaphore per index orders
/// the two accesses).
private final class Slots<Value>: @unchecked Sendable {
    private let values: UnsafeMutableBufferPointer<Value?>

    init(_ count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: nil)
    }

    deinit { values.deinitialize().deallocate() }

    func put(_ value: Value, at index: Int) { values[index] = value }

    func take(_ index: Int) -> Value {
        defer { values[index] = nil }
        return values[index]!
    }
}
