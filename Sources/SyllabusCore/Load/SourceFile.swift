import Foundation

/// One Markdown file of the content folder: where it is. Its text goes to the parser and is
/// not kept (the parsed tree is what later stages use).
struct SourceFile: Sendable {
    /// Path relative to the content folder, with `/` separators (`lambda/overview.md`).
    let relativePath: String
    /// Path as printed in diagnostics (relative to where the user ran the tool when possible).
    let displayPath: String

    /// - Parameters: `relativePath` with `/` separators; `displayPath` as diagnostics print it.
    init(relativePath: String, displayPath: String) {
        self.relativePath = relativePath
        self.displayPath = displayPath
    }

    /// First folder of the path, the service the file sits in if that folder is a service id.
    var topFolder: String? {
        let parts = relativePath.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : nil
    }

    /// True for a `*.cards.md` file (front matter `cards: true` is checked by the classifier, not here).
    var isCardsFile: Bool { relativePath.hasSuffix(".cards.md") }

    /// A file of exam questions (`*.exam.md`): not a page of its own, its questions go to the
    /// exam (site, book, decks).
    var isExamFile: Bool { relativePath.hasSuffix(".exam.md") }

    /// `../s3/overview.md` seen from `lambda/overview.md` is `s3/overview.md`; nil if it leaves the content folder.
    static func resolve(_ path: String, from pageID: String) -> String? {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        func dropLastComponent(_ bytes: inout [UInt8]) {
            if let last = bytes.lastIndex(of: slash) { bytes.removeSubrange(last...) } else { bytes.removeAll() }
        }
        var result = Array(pageID.utf8)
        dropLastComponent(&result)
        for component in path.utf8.split(separator: slash) {
            if component.count == 1, component.first == dot { continue }
            if component.count == 2, component.allSatisfy({ $0 == dot }) {
                guard !result.isEmpty else { return nil }
                dropLastComponent(&result)
                continue
            }
            if !result.isEmpty { result.append(slash) }
            result += component
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// True for the landing text of a service folder: `index.md`, `README.md` or `_index.md`
    /// (any case) directly in it, as published guides, mdBook, GitHub and Hugo name it.
    var isLanding: Bool {
        let parts = relativePath.split(separator: "/")
        return parts.count == 2 && Self.landingNames.contains(parts[1].lowercased())
    }

    static let landingNames: Set<String> = ["index.md", "readme.md", "_index.md"]

    /// A place in this file for a diagnostic: 1-based line (front matter included) and 1-based column.
    func location(line: Int = 1, column: Int = 1) -> SourceLocation {
        SourceLocation(path: displayPath, line: line, column: column)
    }
}

/// A source file and its text, as the load stage hands them to the parse stage.
struct LoadedFile: Sendable {
    /// Where the text came from.
    let source: SourceFile
    /// The file's whole text, front matter included, decoded as UTF-8.
    let text: String
}

/// A source file as the load stage found it: its stamp, and its text unless the build cache
/// already knew it (then it is read only if a renderer needs its tree).
struct FoundFile: Sendable {
    /// Where the file is.
    let source: SourceFile
    /// Its `stat` when found, which the build cache compares with the stamp it stored.
    let stamp: FileStamp
    /// Its text; nil when the build cache's stamp matched, so the text was not read.
    let loaded: LoadedFile?
}

/// What a file's `stat` says about its bytes: size, modification and status-change times,
/// inode. Tools can set a file's modification time back, but not its status-change time, so
/// equal stamps mean the bytes were not rewritten.
struct FileStamp: Equatable, Sendable {
    /// In bytes.
    var size: Int
    /// The modification time, in nanoseconds since 1970 (UTC).
    var modified: Int
    /// The status-change time (`ctime`), in nanoseconds since 1970 (UTC).
    var changed: Int
    /// The file's inode number: a file replaced by another (an editor's save by rename) has a new one.
    var inode: Int

    init(size: Int, modified: Int, changed: Int, inode: Int) {
        self.size = size
        self.modified = modified
        self.changed = changed
        self.inode = inode
    }

    /// The stamp of the file at `path` (links followed), or nil when `stat` fails.
    init?(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        self.init(status)
    }

    /// The stamp of the file `name` in the folder open as `folder` (links followed), or nil
    /// when `fstatat` fails.
    init?(_ name: String, in folder: Int32) {
        var status = stat()
        guard fstatat(folder, name, &status, 0) == 0 else { return nil }
        self.init(status)
    }

    private init(_ status: stat) {
        size = Int(status.st_size)
        // The same times under other names: Linux's `st_mtim`, the BSDs' and macOS's `st_mtimespec`.
        #if canImport(Darwin)
        let modification = status.st_mtimespec, statusChange = status.st_ctimespec
        #else
        let modification = status.st_mtim, statusChange = status.st_ctim
        #endif
        modified = Int(modification.tv_sec) * 1_000_000_000 + Int(modification.tv_nsec)
        changed = Int(statusChange.tv_sec) * 1_000_000_000 + Int(statusChange.tv_nsec)
        inode = Int(truncatingIfNeeded: status.st_ino)
    }
}

extension String {
    /// `bytes` as text when they are valid UTF-8; nil when they are not. The standard library's
    /// `String(validating:as:)` needs macOS 15: before it, the bytes are decoded with repair
    /// and compared with the result's own UTF-8, which differs exactly when a sequence was
    /// invalid (repair puts U+FFFD in its place).
    init?(validUTF8 bytes: some Collection<UInt8>) {
        if #available(macOS 15, *) {
            guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
            self = text
        } else {
            let text = String(decoding: bytes, as: UTF8.self)
            guard text.utf8.elementsEqual(bytes) else { return nil }
            self = text
        }
    }

    /// The text without a leading UTF-8 byte-order mark (U+FEFF), which editors on Windows
    /// write and which would otherwise hide front matter and YAML keys. Every file Syllabus
    /// reads goes through this.
    var droppingByteOrderMark: String {
        unicodeScalars.first == "\u{FEFF}" ? String(unicodeScalars.dropFirst()) : self
    }

    /// Lines split at each `\n` byte, a `\r` before it kept. (Swift treats `\r\n` as one
    /// Character, so splitting on the Character "\n" would miss Windows line ends.)
    func rawLines() -> [String] {
        utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(Substring($0)) }
    }
}
