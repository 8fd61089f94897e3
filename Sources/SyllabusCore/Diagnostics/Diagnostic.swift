import Foundation

/// A place in a source file, 1-based like a compiler's `file:line:column`.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }

    public var description: String { "\(path):\(line):\(column)" }
}

public enum Severity: String, Sendable {
    case warning, error
}

/// One problem found in the input. Stages collect these; nothing prints or exits mid-build.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Thread-safe collector shared by every stage of one build.
public final class DiagnosticLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Diagnostic] = []
    private var treatsWarningsAsErrors = false

    public init() {}

    /// With `strict` (`strict: true` in syllabus.yml, `build --strict`), every warning is
    /// reported as an error, so a build with any warning fails and writes nothing.
    public var strict: Bool {
        get { lock.withLock { treatsWarningsAsErrors } }
        set { lock.withLock { treatsWarningsAsErrors = newValue } }
    }

    public func report(_ diagnostic: Diagnostic) {
        lock.lock(); defer { lock.unlock() }
        items.append(diagnostic)
    }

    public func error(_ message: String, at location: SourceLocation) {
        report(Diagnostic(.error, message, at: location))
    }

    public func warning(_ message: String, at location: SourceLocation) {
        report(Diagnostic(.warning, message, at: location))
    }

    /// Every diagnostic in file order, duplicates removed.
    public var all: [Diagnostic] {
        lock.lock(); defer { lock.unlock() }
        var seen = Set<Diagnostic>()
        return items.map { item in
            var item = item
            if treatsWarningsAsErrors { item.severity = .error }
            return item
        }.filter { seen.insert($0).inserted }
            .sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var hasErrors: Bool {
        lock.lock(); defer { lock.unlock() }
        return treatsWarningsAsErrors ? !items.isEmpty : items.contains { $0.severity == .error }
    }
}
