import Foundation

/// A place in a source file, 1-based like a compiler's `file:line:column`.
struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The file as the user should see it: relative to the working directory when it lies
    /// inside it (`Content/lambda/overview.md`), else absolute.
    var path: String
    /// 1-based line number.
    var line: Int
    /// 1-based column, counted as the parser that found the problem counts: UTF-8 bytes in
    /// Markdown (cmark-gfm), characters in YAML (libyaml).
    var column: Int

    /// A location; without `line` and `column`, the start of the file.
    init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// File order: by path, then line, then column.
    static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }

    /// `path:line:column`, as compilers and editors write it.
    var description: String { "\(path):\(line):\(column)" }

    /// How the file at the absolute `path` is shown in diagnostics: relative to
    /// `workingDirectory` when it lies inside it, else absolute (as content files are shown).
    static func displayPath(_ path: String, workingDirectory: String = FileManager.default.currentDirectoryPath) -> String {
        path.hasPrefix(workingDirectory + "/") ? String(path.dropFirst(workingDirectory.count + 1)) : path
    }
}

/// As the build cache keeps it, inside the facts of one note: line and column only (the path
/// is the note's file as the reading build names it, see `RecordNote`).
extension SourceLocation: Encodable {
    /// Writes the line and column.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
    }

    private enum CodingKeys: CodingKey { case line, column }
}

/// How bad a diagnostic is: an error fails the build (nothing is written, exit status 1); a
/// warning does not, unless the build is strict.
public enum Severity: String, Sendable, Encodable {
    case warning, error
}

/// One problem found in the input. Stages collect these; nothing prints or exits mid-build.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Encodable {
    /// Where the problem is.
    var location: SourceLocation
    /// Error or warning, as reported (`DiagnosticLog.all` turns warnings into errors when strict).
    public var severity: Severity
    /// What is wrong, in one line without the location (`link to 'x.md': no such note`).
    var message: String

    /// A diagnostic of `severity` saying `message` about `location`.
    init(_ severity: Severity, _ message: String, at location: SourceLocation) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// The compiler-style line: `path:line:column: error: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// Thread-safe collector shared by every stage of one build.
public final class DiagnosticLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Diagnostic] = []
    private var treatsWarningsAsErrors = false

    /// An empty log that keeps warnings as warnings.
    public init() {}

    /// With `strict` (`strict: true` in syllabus.yml, `build --strict`), every warning is
    /// reported as an error, so a build with any warning fails and writes nothing.
    var strict: Bool {
        get { lock.withLock { treatsWarningsAsErrors } }
        set { lock.withLock { treatsWarningsAsErrors = newValue } }
    }

    /// Adds `diagnostic`; any thread may call it.
    func report(_ diagnostic: Diagnostic) {
        lock.lock(); defer { lock.unlock() }
        items.append(diagnostic)
    }

    /// Adds an error at `location`.
    func error(_ message: String, at location: SourceLocation) {
        report(Diagnostic(.error, message, at: location))
    }

    /// Adds a warning at `location` (an error when the log is `strict`).
    func warning(_ message: String, at location: SourceLocation) {
        report(Diagnostic(.warning, message, at: location))
    }

    /// Every diagnostic as reported, in the order reported, severities as given (`strict`
    /// applies to `all`): for passing on to another log.
    var reported: [Diagnostic] { lock.withLock { items } }

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

    /// True when the build must fail: any error, or under `strict` any diagnostic at all.
    public var hasErrors: Bool {
        lock.lock(); defer { lock.unlock() }
        return treatsWarningsAsErrors ? !items.isEmpty : items.contains { $0.severity == .error }
    }
}
