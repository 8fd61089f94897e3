import Foundation

/// A value made on a thread of its own, started at once, while the caller goes on with other
/// work: for a step that needs nothing from the work beside it and would otherwise run alone
/// at its end, on one core while the others wait (the site's search index beside its pages).
/// The thread is not one of libdispatch's workers, so a `parallelMap` the caller runs in the
/// meantime keeps every core it asks for, and one the step itself runs is not nested in it
/// (a nested `concurrentPerform` runs on its caller's thread alone).
final class Background<Value>: @unchecked Sendable {
    private let finished = DispatchGroup()
    /// Written once by the thread before it leaves `finished`; read only after waiting on it.
    private var result: Result<Value, Error>?

    /// Starts `make` on a new thread.
    init(_ make: @escaping () throws -> Value) {
        finished.enter()
        Thread.detachNewThread { [self] in
            result = Result { try make() }
            finished.leave()
        }
    }

    /// Waits for the thread to finish (at once if it has), as often as asked.
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
