import Foundation

/// One Markdown file of the content folder: where it is. Its text goes to the parser and is
/// not kept (the parsed tree is what later stages use).
public struct SourceFile: Sendable {
    /// Path relative to the content folder, with `/` separators (`lambda/overview.md`).
    public let relativePath: String
    /// Path as printed in diagnostics (relative to where the user ran the tool when possible).
    public let displayPath: String

    public init(relativePath: String, displayPath: String) {
        self.relativePath = relativePath
        self.displayPath = displayPath
    }

    /// First folder of the path, the service the file sits in if that folder is a service id.
    public var topFolder: String? {
        let parts = relativePath.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : nil
    }

    public var isCardsFile: Bool { relativePath.hasSuffix(".cards.md") }

    /// A file of exam questions (`*.exam.md`): not a page of its own, its questions go to the
    /// exam (site, book, decks).
    public var isExamFile: Bool { relativePath.hasSuffix(".exam.md") }

    /// `../s3/overview.md` seen from `lambda/overview.md` is `s3/overview.md`; nil if it leaves the content folder.
    public static func resolve(_ path: String, from pageID: String) -> String? {
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
    public var isLanding: Bool {
        let parts = relativePath.split(separator: "/")
        return parts.count == 2 && Self.landingNames.contains(parts[1].lowercased())
    }

    static let landingNames: Set<String> = ["index.md", "readme.md", "_index.md"]

    public func location(line: Int = 1, column: Int = 1) -> SourceLocation {
        SourceLocation(path: displayPath, line: line, column: column)
    }
}

/// A source file and its text, as the load stage hands them to the parse stage.
public struct LoadedFile: Sendable {
    public let source: SourceFile
    public let text: String
}

/// A source file as the load stage found it: its stamp, and its text unless the build cache
/// already knew it (then it is read only if a renderer needs its tree).
public struct FoundFile: Sendable {
    public let source: SourceFile
    public let stamp: FileStamp
    public let loaded: LoadedFile?
}

/// What a file's `stat` says about its bytes: size, modification and status-change times,
/// inode. Tools can set a file's modification time back, but not its status-change time, so
/// equal stamps mean the bytes were not rewritten.
public struct FileStamp: Equatable, Sendable {
    public var size: Int
    public var modified: Int
    public var changed: Int
    public var inode: Int

    init(size: Int, modified: Int, changed: Int, inode: Int) {
        self.size = size
        self.modified = modified
        self.changed = changed
        self.inode = inode
    }

    init?(_ path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        size = Int(status.st_size)
        modified = Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec)
        changed = Int(status.st_ctim.tv_sec) * 1_000_000_000 + Int(status.st_ctim.tv_nsec)
        inode = Int(status.st_ino)
    }
}

extension String {
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
