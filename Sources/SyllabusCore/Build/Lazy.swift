import Foundation

/// A value made on first use, once, whichever thread asks first.
final class Lazy<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var made: Value?
    private let make: () -> Value

    init(_ make: @escaping () -> Value) { self.make = make }

    var value: Value {
        lock.withLock {
            if let made { return made }
            let value = make()
            made = value
            return value
        }
    }
}
