import Foundation

/// Load stage: finds every Markdown file below the content folder and reads it (unless the
/// build cache knows it unchanged, see `find`).
/// Unreadable, non-UTF-8 and empty files become diagnostics and are left out.
public struct ContentLoader {
    public let contentRoot: URL
    public let diagnostics: DiagnosticLog

    /// The folder diagnostics' paths are relative to.
    private let workingDirectory = FileManager.default.currentDirectoryPath

    public init(contentRoot: URL, diagnostics: DiagnosticLog) {
        self.contentRoot = contentRoot.standardizedFileURL
        self.diagnostics = diagnostics
    }

    /// Every Markdown file with its stamp; the ones `isKnown` accepts by path and stamp (the
    /// build cache knows them unchanged) are not read.
    func find(skipping isKnown: (String, FileStamp) -> Bool) -> [FoundFile] {
        let paths = markdownPaths()
        return parallelMap(paths.count) { index -> FoundFile? in
            let path = paths[index]
            guard let stamp = FileStamp(contentRoot.path + "/" + path) else {
                diagnostics.error("cannot read file", at: SourceLocation(path: displayPath(path)))
                return nil
            }
            if isKnown(path, stamp) { return FoundFile(source: source(path), stamp: stamp, loaded: nil) }
            return read(path).map { FoundFile(source: $0.source, stamp: stamp, loaded: $0) }
        }.compactMap { $0 }
    }

    func source(_ relativePath: String) -> SourceFile {
        SourceFile(relativePath: relativePath, displayPath: displayPath(relativePath))
    }

    /// Relative paths of all `.md` files, sorted so every build sees the same order.
    func markdownPaths() -> [String] {
        DirectoryWalker.files(under: contentRoot.path, includeHidden: false).filter { $0.hasSuffix(".md") }
    }

    func read(_ relativePath: String) -> LoadedFile? {
        let display = displayPath(relativePath)
        let location = SourceLocation(path: display)
        guard let data = FileManager.default.contents(atPath: contentRoot.path + "/" + relativePath) else {
            diagnostics.error("cannot read file", at: location)
            return nil
        }
        guard let text = String(validating: data, as: UTF8.self)?.droppingByteOrderMark else {
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
        let cwd = workingDirectory
        let full = contentRoot.path + "/" + relativePath
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
                && String(validating: bytes[index..<end], as: UTF8.self) != nil
            if !valid { return (line, index - lineStart + 1) }
            if byte == 0x0A { line += 1; lineStart = end }
            index = end
        }
        return (line, 1)
    }
}
