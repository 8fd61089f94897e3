import Foundation

/// Load stage: finds every Markdown file below the content folder and reads it (unless the
/// build cache knows it unchanged, see `find`).
/// Unreadable, non-UTF-8 and empty files become diagnostics and are left out.
struct ContentLoader {
    /// The content folder, standardized (no `.` or `..` components).
    let contentRoot: URL
    /// Where unreadable, non-UTF-8 and empty files are reported.
    let diagnostics: DiagnosticLog

    /// The folder diagnostics' paths are relative to.
    let workingDirectory = FileManager.default.currentDirectoryPath
    /// `contentRoot`'s path, made once: `URL.path` makes a new string on every call, and the
    /// load stage asks for it for every note.
    private let rootPath: String
    /// What `displayPath` puts before a note's relative path when the content folder is in the
    /// working directory (the common case), so the prefix is not compared for every note.
    private let displayPrefix: String?

    /// Only stores its arguments; nothing is read until `find` runs.
    init(contentRoot: URL, diagnostics: DiagnosticLog) {
        self.contentRoot = contentRoot.standardizedFileURL
        self.diagnostics = diagnostics
        rootPath = self.contentRoot.path
        let folder = rootPath + "/", cwd = workingDirectory + "/"
        displayPrefix = folder.hasPrefix(cwd) ? String(folder.dropFirst(cwd.count)) : nil
    }

    /// Every Markdown file, by its path relative to the content folder (sorted), with its
    /// stamp (nil where `stat` failed): what `find` reads the notes by.
    func stampedPaths() -> (paths: [String], stamps: [FileStamp?]) {
        let paths = markdownPaths()
        return (paths, stamps(of: paths))
    }

    /// Every Markdown file `stampedPaths` found, with its stamp; the ones `isKnown` accepts by
    /// path and stamp (the build cache knows them unchanged) are not read.
    func find(_ found: (paths: [String], stamps: [FileStamp?]), skipping isKnown: (String, FileStamp) -> Bool) -> [FoundFile] {
        let (paths, stamps) = found
        return parallelMap(paths.count) { index -> FoundFile? in
            let path = paths[index]
            guard let stamp = stamps[index] else {
                diagnostics.error("cannot read file", at: SourceLocation(path: displayPath(path)))
                return nil
            }
            if isKnown(path, stamp) { return FoundFile(source: source(path), stamp: stamp, loaded: nil) }
            return read(path).map { FoundFile(source: $0.source, stamp: stamp, loaded: $0) }
        }.compactMap { $0 }
    }

    /// The stamp of each file at `paths` (relative, sorted), nil where `stat` fails. The files
    /// of one folder lie together: each folder is opened once and its files are looked up in
    /// it, which spares the kernel walking the content folder's path again for every note
    /// (most of the cost of a stat).
    private func stamps(of paths: [String]) -> [FileStamp?] {
        func folder(_ path: String) -> Substring { path[..<(path.utf8.lastIndex(of: UInt8(ascii: "/")) ?? path.startIndex)] }
        var runs: [Range<Int>] = []
        var start = 0
        for index in paths.indices where index == paths.count - 1 || folder(paths[index + 1]) != folder(paths[index]) {
            runs.append(start..<(index + 1))
            start = index + 1
        }
        return parallelMap(runs.count) { run -> [FileStamp?] in
            let members = runs[run], name = folder(paths[members.lowerBound])
            let descriptor = open(name.isEmpty ? rootPath : rootPath + "/" + name, O_RDONLY | O_DIRECTORY)
            defer { if descriptor >= 0 { close(descriptor) } }
            return members.map { index in
                let path = paths[index]
                guard descriptor >= 0 else { return FileStamp(rootPath + "/" + path) }
                return FileStamp(name.isEmpty ? path : String(path[path.utf8.index(after: name.endIndex)...]), in: descriptor)
            }
        }.flatMap { $0 }
    }

    func source(_ relativePath: String) -> SourceFile {
        SourceFile(relativePath: relativePath, displayPath: displayPath(relativePath))
    }

    /// Relative paths of all `.md` files (hidden ones left out), sorted so every build sees
    /// the same order. A symbolic link to a note or a folder inside the content folder is read
    /// as if it were there; one that leads outside it, to nothing or round in a loop is an
    /// error naming the link, so no note is published from elsewhere or silently missing.
    func markdownPaths() -> [String] {
        guard let real = realpath(rootPath, nil) else { return [] }
        defer { free(real) }
        let root = String(cString: real)
        var paths: [String] = []
        collectMarkdown(in: rootPath, prefix: "", root: root, walking: [root], into: &paths)
        return paths.sorted()
    }

    /// `walking` holds the real paths of the folders from the content folder down to this
    /// one: a link back to one of them would make the walk endless.
    private func collectMarkdown(in folder: String, prefix: String, root: String, walking: Set<String>, into paths: inout [String]) {
        for (name, type) in DirectoryWalker.typedEntries(of: folder) where !name.hasPrefix(".") {
            let path = folder + "/" + name, relative = prefix + name
            if type == Int32(DT_REG) {  // most entries: no further call
                if relative.hasSuffix(".md") {
                    paths.append(relative)
                } else if name.hasSuffix(".MD") || name.hasSuffix(".Md") || name.hasSuffix(".mD") {
                    // Not read (a link to it as `README.md` would not find it either), but not silently.
                    let renamed = name.dropLast(3) + ".md"
                    diagnostics.warning("'\(name)' is not read: notes end in '.md' in lower case; rename it '\(renamed)'", at: location(relative))
                }
                continue
            }
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            var isFolder = status.st_mode & S_IFMT == S_IFDIR
            var real = path
            if status.st_mode & S_IFMT == S_IFLNK {
                guard let target = realpath(path, nil) else {
                    let loops = errno == ELOOP
                    // A link to something that is not a note is none of the build's business.
                    if relative.hasSuffix(".md") || loops {
                        diagnostics.error(loops ? "symbolic link loops" : "symbolic link points to nothing", at: location(relative))
                    }
                    continue
                }
                real = String(cString: target)
                free(target)
                guard stat(path, &status) == 0 else { continue }
                isFolder = status.st_mode & S_IFMT == S_IFDIR
                guard isFolder || relative.hasSuffix(".md") else { continue }
                guard real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else {
                    diagnostics.error("symbolic link leads outside the content folder (to \(real)); only notes inside it are published",
                                      at: location(relative))
                    continue
                }
                if isFolder, walking.contains(real) {
                    diagnostics.error("symbolic link loops: it leads to a folder that holds it (\(real))", at: location(relative))
                    continue
                }
            } else if isFolder, let target = realpath(path, nil) {
                real = String(cString: target)
                free(target)
            }
            if isFolder {
                collectMarkdown(in: path, prefix: relative + "/", root: root, walking: walking.union([real]), into: &paths)
            } else if status.st_mode & S_IFMT == S_IFREG, relative.hasSuffix(".md") {
                paths.append(relative)
            }
        }
    }

    private func location(_ relativePath: String) -> SourceLocation {
        SourceLocation(path: displayPath(relativePath))
    }

    func read(_ relativePath: String) -> LoadedFile? {
        let display = displayPath(relativePath)
        let location = SourceLocation(path: display)
        guard let data = FileManager.default.contents(atPath: rootPath + "/" + relativePath) else {
            diagnostics.error("cannot read file", at: location)
            return nil
        }
        guard let text = String(validUTF8: data)?.droppingByteOrderMark else {
            let (line, column) = Self.firstInvalidUTF8(in: data)
            diagnostics.error("file is not valid UTF-8", at: SourceLocation(path: display, line: line, column: column))
            return nil
        }
        if text.allSatisfy(\.isWhitespace) {
            diagnostics.error("file is empty", at: location)
            return nil
        }
        return LoadedFile(source: source(relativePath), text: text)
    }

    func displayPath(_ relativePath: String) -> String {
        if let displayPrefix { return displayPrefix + relativePath }
        let cwd = workingDirectory
        let full = rootPath + "/" + relativePath
        return full.hasPrefix(cwd + "/") ? String(full.dropFirst(cwd.count + 1)) : full
    }

    /// Line and column (in bytes) of the first byte sequence that is not UTF-8.
    static func firstInvalidUTF8(in data: Data) -> (Int, Int) {
        var line = 1, lineStart = 0
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            let end = index + length
            let valid = length > 0 && end <= bytes.count
                && String(validUTF8: bytes[index..<end]) != nil
            if !valid { return (line, index - lineStart + 1) }
            if byte == 0x0A { line += 1; lineStart = end }
            index = end
        }
        return (line, 1)
    }
}
