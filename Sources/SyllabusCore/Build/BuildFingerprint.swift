import Foundation

/// A hash of everything a build reads: the configuration, the catalog, every note (path and
/// bytes), the files beside the notes they show or link to, every file of the templates
/// folder, and the syllabus executable itself. When it matches
/// the last successful build's, and that build's folders are all there, the build has
/// nothing to do; hashing every input costs far less than any build (Benchmarks/README.md).
struct BuildFingerprint: Equatable {
    let value: String

    static let fileName = ".syllabus-fingerprint"

    init(value: String) { self.value = value }

    /// Made from what the build loaded: the configuration, catalog and tool (the input's
    /// environment key), every note's key, and every file of the templates folder; and
    /// whether the build prints PDFs, so `build --pdf` after `build` prints the missing ones.
    init(_ input: Pipeline.Input, templatesRoot: URL, strict: Bool, printsPDFs: Bool = false) {
        var hasher = CacheKeyHasher()
        if printsPDFs { hasher.add("pdf") }
        hasher.add(input.environmentKey)
        // A build with warnings is up to date, but not for a strict build, which must fail.
        hasher.add(strict ? "strict" : "")
        for (file, key) in zip(input.files, input.contentKeys) {
            hasher.add(file.source.relativePath)
            hasher.add(key)
        }
        hasher.add(input.localFilesKey)
        hasher.add("templates " + templatesRoot.standardizedFileURL.path)
        hasher.add(TemplateSet.key(of: templatesRoot))
        value = hasher.hex
    }

    /// The syllabus executable's size, modification time (nanoseconds) and inode: a rebuilt or
    /// upgraded syllabus may render differently, so every key includes it. On Linux the
    /// executable is `stat`ed through `/proc/self/exe`: `Bundle.main` lists the executable's
    /// folder first (a build folder holds hundreds of files: 50 ms), and Foundation's
    /// attributes look up the file's owner and group in the user database.
    static let tool: String = {
        #if os(Linux)
        let path = "/proc/self/exe"
        #else
        guard let path = Bundle.main.executablePath else { return "tool" }
        #endif
        guard let stamp = FileStamp(path) else { return "tool" }
        return "tool \(stamp.size) \(stamp.modified) \(stamp.inode)" + libraries
    }()

    /// The stamps of the shared libraries whose output a build keeps (cmark-gfm's HTML, the
    /// deflated bytes of the book, the packages and the search parts), as the process loaded
    /// them, each by its real path (symbolic links followed, as `/proc/self/maps` names them;
    /// nothing elsewhere): an upgrade of either leaves the executable as it was, yet a fresh
    /// build would render or compress with the new one, so what a rebuild keeps must not count
    /// as current. The dynamic linker lists the loaded objects (`dl_iterate_phdr`): reading
    /// `/proc/self/maps` instead, whose text the kernel makes for each of the process's some
    /// 290 mappings at that point, then splitting it into lines, was 1.7 ms of a one-note
    /// rebuild's CPU in a profile, on the path before the first stage.
    private static var libraries: String {
        #if os(Linux)
        // Looked up at run time, as `mallopt` and `renameat2` are: Swift's Glibc module does
        // not include <link.h>. The callback gets each object's `dl_phdr_info`, whose second
        // field (after the 8-byte load address) is the path the object was loaded from.
        typealias Visit = @convention(c) (UnsafeRawPointer?, Int, UnsafeMutableRawPointer?) -> Int32
        typealias Iterate = @convention(c) (Visit, UnsafeMutableRawPointer?) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "dl_iterate_phdr") else { return "" }
        var names: [String] = []
        _ = withUnsafeMutablePointer(to: &names) { names in
            unsafeBitCast(symbol, to: Iterate.self)({ info, _, names in
                guard let name = info?.load(fromByteOffset: MemoryLayout<UInt>.size, as: UnsafePointer<CChar>?.self),
                      name.pointee != 0 else { return 0 }
                let path = String(cString: name)
                let file = path.split(separator: "/").last ?? ""
                if file.hasPrefix("libdeflate.") || file.hasPrefix("libcmark-gfm") {
                    names!.assumingMemoryBound(to: [String].self).pointee.append(path)
                }
                return 0
            }, names)
        }
        let paths = Set(names.map { name in
            guard let resolved = realpath(name, nil) else { return name }
            defer { free(resolved) }
            return String(cString: resolved)
        })
        return paths.sorted().map { path in
            FileStamp(path).map { " \(path) \($0.size) \($0.modified) \($0.inode)" } ?? " \(path)"
        }.joined()
        #else
        return ""
        #endif
    }

    /// The fingerprint recorded in `outputRoot` with the counts and the diagnostics
    /// (warnings) of that build, which an up-to-date build reports again, their paths as
    /// `loader` shows them (relative to today's working directory, as a fresh build would).
    static func recorded(in outputRoot: URL, loader: ContentLoader) -> (fingerprint: BuildFingerprint, pages: Int, services: Int, cards: Int, diagnostics: [Diagnostic])? {
        guard let text = try? String(contentsOf: outputRoot.appendingPathComponent(fileName), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let fields = lines[0].split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 4, let pages = Int(fields[1]), let services = Int(fields[2]), let cards = Int(fields[3]),
              lines.count == 2, let kept = try? JSONDecoder().decode([KeptDiagnostic].self, from: Data(lines[1].utf8)) else { return nil }
        return (BuildFingerprint(value: fields[0]), pages, services, cards, kept.map { $0.diagnostic(loader) })
    }

    /// Records the fingerprint with the build's counts and diagnostics; `loader` made the
    /// diagnostics' paths.
    /// - Throws: `OutputWriter.Failure.io` when the file cannot be written.
    func record(in outputRoot: URL, pages: Int, services: Int, cards: Int, diagnostics: [Diagnostic], loader: ContentLoader) throws {
        let kept = try JSONEncoder().encode(diagnostics.map { KeptDiagnostic($0, loader) })
        try writeReplacing(outputRoot.appendingPathComponent(Self.fileName), Array("\(value) \(pages) \(services) \(cards)\n".utf8) + Array(kept) + [0x0A])
    }

    /// A diagnostic as the fingerprint file keeps it. A path in the content folder is kept
    /// relative to it (`content`), any other made absolute (`path`): the working directory
    /// a diagnostic's path is relative to may differ in the build that reports it again, and
    /// the project may have moved.
    private struct KeptDiagnostic: Codable {
        var path: String?, content: String?, line: Int, column: Int, severity: String, message: String

        init(_ diagnostic: Diagnostic, _ loader: ContentLoader) {
            let shown = diagnostic.location.path
            let absolute = shown.hasPrefix("/") ? shown : loader.workingDirectory + "/" + shown
            let root = loader.contentRoot.path + "/"
            if absolute.hasPrefix(root) { content = String(absolute.dropFirst(root.count)) } else { path = absolute }
            (line, column) = (diagnostic.location.line, diagnostic.location.column)
            (severity, message) = (diagnostic.severity.rawValue, diagnostic.message)
        }

        func diagnostic(_ loader: ContentLoader) -> Diagnostic {
            let shown = content.map(loader.displayPath) ?? path ?? ""
            return Diagnostic(Severity(rawValue: severity) ?? .warning, message, at: SourceLocation(path: shown, line: line, column: column))
        }
    }

    /// Empties the recorded fingerprint (in place: see `writeReplacing`) before the output
    /// changes, so a build stopped halfway is never taken as up to date.
    static func forget(in outputRoot: URL) {
        let descriptor = open(outputRoot.appendingPathComponent(fileName).path, O_WRONLY | O_TRUNC)
        if descriptor >= 0 { close(descriptor) }
    }
}
