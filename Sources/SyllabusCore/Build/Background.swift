import Foundation

/// A value made beside the caller's other work, started at once: for a step that needs
/// nothing from the work beside it and would otherwise run alone at its end, on one core while
/// the others wait (the site's search index beside its pages). It runs on one of libdispatch's
/// workers, the threads `parallelMap` runs on, not nested in the caller's `parallelMap` (a
/// nested `concurrentPerform` runs on its caller's thread alone), and what it frees is left in
/// those threads' heaps for the steps after it (a thread of its own left its memory in a heap
/// of its own: the build's peak grew by about 10 MiB).
final class Background<Value>: @unchecked Sendable {
    private let finished = DispatchGroup()
    /// Written once by the work before it leaves `finished`; read only after waiting on it.
    private var result: Result<Value, Error>?

    /// Starts `make` on a worker.
    init(_ make: @escaping () throws -> Value) {
        DispatchQueue.global().async(group: finished) { [self] in
            result = Result { try make() }
        }
    }

    /// Waits for the work to finish (at once if it has), as often as asked.
    func wait() {
        finished.wait()
    }

    /// What `make` returned, once it has.
    /// - Throws: what `make` threw.
    func value() throws -> Value {
        finished.wait()
        return try result!.get()
    }
}
