import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Guards the output folder before a build writes into it: where it may be, what it may
/// hold, one build at a time, and what killed builds left behind.
public enum OutputFolder {
    /// Why a folder cannot be a build's output folder. Each is found before anything is written.
    public enum Refusal: Error, CustomStringConvertible, Equatable {
        case emptyPath
        case fileSystemRoot
        case sameAsContent(String)
        case insideContent(output: String, content: String)
        case holdsContent(output: String, content: String)
        case notAFolder(String)
        case sameAsTemplates(String)
        case holdsTemplates(output: String, templates: String)
        case insideTemplates(output: String, templates: String)
        case foreignEntries(output: String, names: [String])

        /// One line for the command line, naming the folder and what to use instead.
        public var description: String {
            switch self {
            case .emptyPath:
                return "the output folder is an empty path; name a folder, e.g. --output Output"
            case .fileSystemRoot:
                return "refusing to use / as the output folder"
            case .sameAsContent(let path):
                return "the output folder \(path) is the content folder; Syllabus replaces folders in its output, so they must be apart"
            case let .insideContent(output, content):
                return "the output folder \(output) is inside the content folder \(content); choose a folder outside it"
            case let .holdsContent(output, content):
                return "the content folder \(content) is inside the output folder \(output); choose an output folder that holds no content"
            case .sameAsTemplates(let path):
                return "the output folder \(path) is the templates folder; a build replaces what is there, so keep them apart"
            case let .holdsTemplates(output, templates):
                return "the templates folder \(templates) is inside the output folder \(output); a build replaces what is there, "
                    + "so keep the templates outside it"
            case let .insideTemplates(output, templates):
                return "the output folder \(output) is inside the templates folder \(templates); choose a folder outside it"
            case .notAFolder(let path):
                return "the output folder \(path) exists and is not a folder"
            case let .foreignEntries(output, names):
                let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
                return "the output folder \(output) holds things Syllabus did not make (\(shown)); "
                    + "use an empty or new folder, or one an earlier build made"
            }
        }
    }

    /// Names an output folder may hold besides Syllabus's own: what a repository keeps in an
    /// otherwise generated folder (this repository's `Output/README.md`, git's placeholders)
    /// and the file macOS's Finder leaves everywhere.
    static func isTolerated(_ name: String) -> Bool {
        name.hasPrefix("README") || [".gitignore", ".gitkeep", ".gitattributes", ".DS_Store"].contains(name)
    }

    /// The hidden names Syllabus makes in the output folder: its manifest, cache, records,
    /// fingerprint and lock (`.syllabus-…`, their `.next` copies), the kept previous builds
    /// (`.previous-<folder>`), and the staging and set-aside folders of a build
    /// (`.staging-<folder>-<pid>`, `.old-<folder>-<pid>`).
    static func isOwnHiddenName(_ name: String) -> Bool {
        name.hasPrefix(".syllabus-") || name.hasPrefix(".previous-") || processName(name) != nil
    }

    /// The process id in `.staging-<folder>-<pid>` or `.old-<folder>-<pid>`.
    static func processName(_ name: String) -> pid_t? {
        guard name.hasPrefix(".staging-") || name.hasPrefix(".old-"), let dash = name.lastIndex(of: "-"),
              let pid = pid_t(name[name.index(after: dash)...]), pid > 0 else { return nil }
        return pid
    }

    /// Refuses an output folder that is the file system's root, the content folder, inside it
    /// or around it, the templates folder (when given), inside it or around it, or that holds
    /// anything but Syllabus's own files, the folders its manifest lists and the tolerated
    /// names. Paths are compared with their links resolved.
    /// - Throws: `Refusal`.
    static func check(_ output: URL, content: URL, templates: URL? = nil) throws {
        let outputPath = resolved(output), contentPath = resolved(content)
        if outputPath == "/" { throw Refusal.fileSystemRoot }
        if outputPath == contentPath { throw Refusal.sameAsContent(output.path) }
        if outputPath.hasPrefix(contentPath + "/") { throw Refusal.insideContent(output: output.path, content: content.path) }
        if contentPath.hasPrefix(outputPath + "/") { throw Refusal.holdsContent(output: output.path, content: content.path) }
        // A theme inside an output folder Syllabus made would go with the next replacement of it.
        if let templates {
            let templatesPath = resolved(templates)
            if templatesPath == outputPath { throw Refusal.sameAsTemplates(output.path) }
            if templatesPath.hasPrefix(outputPath + "/") { throw Refusal.holdsTemplates(output: output.path, templates: templates.path) }
            if outputPath.hasPrefix(templatesPath + "/") { throw Refusal.insideTemplates(output: output.path, templates: templates.path) }
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: outputPath, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw Refusal.notAFolder(output.path) }
        let owned = OutputWriter(outputRoot: output).ownedFolders()
        let foreign = DirectoryWalker.entries(of: outputPath).map(\.name)
            .filter { !owned.contains($0) && !isOwnHiddenName($0) && !isTolerated($0) }
        if !foreign.isEmpty { throw Refusal.foreignEntries(output: output.path, names: foreign.sorted()) }
    }

    /// The path with every link resolved: `realpath` of the longest part that exists, the
    /// rest (not made yet) appended as written.
    static func resolved(_ url: URL) -> String {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while existing.path != "/", realpath(existing.path, nil) == nil {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        guard let real = realpath(existing.path, nil) else { return url.standardizedFileURL.path }
        defer { free(real) }
        let base = String(cString: real)
        return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.joined(separator: "/")
    }

    /// Removes what builds that were killed left in the output folder: staging and set-aside
    /// folders of processes that no longer run, and the `.next` files of the build's own
    /// files. Only Syllabus's own names; call it holding the `OutputLock`, so no running
    /// build is writing them.
    static func removeLeftovers(in output: URL) {
        for (name, _) in DirectoryWalker.entries(of: output.path) {
            let isLeftover: Bool
            if let pid = processName(name) {
                isLeftover = pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
            } else {
                isLeftover = name.hasPrefix(".syllabus-") && name.hasSuffix(".next")
            }
            if isLeftover { try? FileManager.default.removeItem(atPath: output.path + "/" + name) }
        }
    }
}

/// An advisory lock (`flock`) on the output folder, held for a whole build, so two builds
/// never write one output folder at once. The kernel releases it when the process ends,
/// however it ends, so a killed build never leaves the folder locked. The lock file holds
/// the holder's process id, for the message of the build that waits.
final class OutputLock {
    static let fileName = ".syllabus-lock"
    private let descriptor: Int32

    /// Takes the lock on `output` (which must exist), waiting for a build that holds it;
    /// `waiting` is told that build's process id (nil when unknown) before the wait.
    /// - Throws: `OutputWriter.Failure.io` when the lock file cannot be opened or locked.
    init(_ output: URL, waiting: (pid_t?) -> Void) throws {
        let path = output.appendingPathComponent(Self.fileName).path
        var toldWaiting = false
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw Self.failure("cannot open the lock file", path) }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK else { close(descriptor); throw Self.failure("cannot lock", path) }
                if !toldWaiting { waiting(Self.holder(path)); toldWaiting = true }
                while flock(descriptor, LOCK_EX) != 0 {
                    guard errno == EINTR else { close(descriptor); throw Self.failure("cannot lock", path) }
                }
            }
            // `clean` removes the lock file while holding it: a lock on a file no longer at
            // `path` excludes nobody, so take the one that is there now.
            guard isStill(descriptor, at: path) else {
                close(descriptor)
                continue
            }
            self.descriptor = descriptor
            break
        }
        // Under the lock: the file now names this process.
        _ = ftruncate(descriptor, 0)
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    private static func failure(_ what: String, _ path: String) -> OutputWriter.Failure {
        .io("\(what) \(path): \(String(cString: strerror(errno)))")
    }

    deinit { close(descriptor) }

    /// The process id a lock file names.
    static func holder(_ path: String) -> pid_t? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// The claim of one `serve` on an output folder, held for the whole life of the process: a
/// second `serve` on the same folder is refused (two would rebuild the same files on every
/// save, each serving the other's builds without telling its pages). An advisory lock
/// (`flock`) on `<output>/.syllabus-serve`, beside the build cache: the builds swap the folders
/// inside the output folder, never the output folder itself, so the file stays. The kernel
/// drops the lock when the process ends, however it ends, so a killed `serve` blocks nobody.
/// The file names the holder (`<pid> <url>`, the URL once it listens) for the refusal.
/// `build` does not take it: its builds and `serve`'s wait for each other on `OutputLock`.
/// Sendable: its one state, the descriptor, never changes, and each `record` writes the whole file.
public final class ServeLock: @unchecked Sendable {
    static let fileName = ".syllabus-serve"
    private let descriptor: Int32

    /// Another `serve` holds the output folder.
    public struct Held: Error, CustomStringConvertible {
        /// The output folder, as given.
        public let output: String
        /// The holder's process id, when its file names it.
        public let pid: pid_t?
        /// The URL the holder serves at, once it listens (`http://127.0.0.1:8000/`).
        public let url: String?

        /// One line for the command line: who holds the folder, and what to do.
        public var description: String {
            let who = "syllabus serve" + (pid.map { " (process \($0))" } ?? "")
            let place = url.map { " at \($0)" } ?? ""
            return "\(output) is already served by \(who)\(place); stop that one (Ctrl-C in its terminal) "
                + "or give this one another --output"
        }
    }

    /// Claims `options`' output folder (checked as a build checks it, and made if missing).
    /// - Throws: `Held` naming the `serve` that holds it; `OutputFolder.Refusal` for a folder no
    ///   build may write; `OutputWriter.Failure.io` when the file cannot be opened or locked.
    public init(_ options: BuildOptions) throws {
        let output = options.outputRoot
        try OutputFolder.check(output, content: options.contentRoot, templates: options.templatesRoot)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let path = output.appendingPathComponent(Self.fileName).path
        var attempts = 0
        while true {
            let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw Self.failure("cannot open", path, errno) }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let reason = errno
                close(descriptor)
                guard reason == EWOULDBLOCK else { throw Self.failure("cannot lock", path, reason) }
                // `clean` holds the file for an instant while it removes a file no serve holds.
                attempts += 1
                guard attempts < 5 else {
                    let holder = Self.holder(path)
                    throw Held(output: output.path, pid: holder.pid, url: holder.url)
                }
                usleep(20_000)
                continue
            }
            // A file `clean` removed while this process waited on it excludes nobody.
            guard isStill(descriptor, at: path) else {
                close(descriptor)
                continue
            }
            self.descriptor = descriptor
            break
        }
        record(url: nil)
    }

    deinit { close(descriptor) }

    /// Writes this process's id, and `url` (where it serves) once known, into the file:
    /// `4242 http://127.0.0.1:8000/`.
    public func record(url: URL?) {
        let line = Array((url.map { "\(getpid()) \($0.absoluteString)\n" } ?? "\(getpid())\n").utf8)
        _ = ftruncate(descriptor, 0)
        _ = line.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// The process id and URL the file at `path` names.
    static func holder(_ path: String) -> (pid: pid_t?, url: String?) {
        let words = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(whereSeparator: \.isWhitespace)
        return (words.first.flatMap { pid_t($0) }, words.dropFirst().first.map(String.init))
    }

    /// Removes the file of the output folder `output` when no `serve` holds it (for `clean`).
    static func removeUnheld(in output: URL) {
        let path = output.appendingPathComponent(fileName).path
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
    }

    private static func failure(_ what: String, _ path: String, _ code: Int32) -> OutputWriter.Failure {
        .io("\(what) \(path): \(String(cString: strerror(code)))")
    }
}

/// Whether the file open as `descriptor` is still the one at `path` (same inode and device): a
/// lock taken on a file that was removed or replaced meanwhile excludes nobody.
private func isStill(_ descriptor: Int32, at path: String) -> Bool {
    var held = stat(), current = stat()
    return fstat(descriptor, &held) == 0 && stat(path, &current) == 0 && held.st_ino == current.st_ino && held.st_dev == current.st_dev
}
