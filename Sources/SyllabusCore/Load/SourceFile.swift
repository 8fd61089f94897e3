import Foundation

/// One Markdown file of the content folder, read and checked as UTF-8.
public struct SourceFile: Sendable {
    /// Path relative to the content folder, with `/` separators (`lambda/overview.md`).
    public let relativePath: String
    /// Path as printed in diagnostics (relative to where the user ran the tool when possible).
    public let displayPath: String
    public let text: String

    public init(relativePath: String, displayPath: String, text: String) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.text = text
    }

    /// First folder of the path, the service the file sits in if that folder is a service id.
    public var topFolder: String? {
        let parts = relativePath.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : nil
    }

    public var isCardsFile: Bool { relativePath.hasSuffix(".cards.md") }

    public func location(line: Int = 1, column: Int = 1) -> SourceLocation {
        SourceLocation(path: displayPath, line: line, column: column)
    }
}

extension String {
    /// Lines split at each `\n` byte, a `\r` before it kept. (Swift treats `\r\n` as one
    /// Character, so splitting on the Character "\n" would miss Windows line ends.)
    func rawLines() -> [String] {
        utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(Substring($0)) }
    }
}
