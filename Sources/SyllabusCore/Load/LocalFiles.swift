import Foundation

/// A file beside the notes that a note shows (`![alt](img/flow.png)`) or links to
/// (`[sample](samples/app.zip)`), found inside the content folder.
struct LocalFile: Sendable, Equatable {
    /// Path relative to the content folder, with `/` between folders (`lambda/img/flow.png`).
    var path: String
    /// `CacheKeyHasher` of the file's bytes, 32 hex digits: what output keys and the names of
    /// packaged copies are made from, so a changed file reaches every output that shows it.
    var hash: String

    /// True for the picture formats every output can show (`.png .jpg .jpeg .gif .svg .webp`).
    var isImage: Bool { LocalFiles.mediaType(of: path) != nil }

    /// A name without folders that no other file's can equal, for outputs that keep files in one
    /// flat folder (Anki's media, the book's `images/`): the file's own name, cut to letters,
    /// digits, `-` and `_`, then the first 8 hex digits of its hash (`flow-1a2b3c4d.png`). Two
    /// different `flow.png` in two folders get two names; one picture shown twice is one file.
    var flatName: String {
        let name = (path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension
        let stem = String((name as NSString).deletingPathExtension.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_") ? character : "-"
        }.prefix(60))
        let safeExt = ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? ext.lowercased() : ""
        return "\(stem.isEmpty ? "file" : stem)-\(hash.prefix(8))" + (safeExt.isEmpty ? "" : "." + safeExt)
    }
}

/// Load stage for the files notes link to: looks each up in the content folder once per build,
/// reads and hashes it, and decides whether it may be published. Nothing outside the content
/// folder is ever read: a path that leads out (by `..`, or a symbolic link) is refused before
/// the file is opened. Safe from many threads.
///
/// Every referenced file is read and hashed on every build (`CacheKeyHasher` runs at several
/// GB/s, so a set with 50 MB of pictures pays a few hundredths of a second), which keeps output
/// keys on the bytes, not on modification times that can repeat within a clock tick.
final class LocalFiles: @unchecked Sendable {
    /// What a relative path names.
    enum Lookup: Sendable, Equatable {
        case file(LocalFile)
        /// Nothing there (or unreadable).
        case missing
        /// A folder, or a hidden file or folder (a name starting with `.`), never published.
        case notPublishable(String)
        /// A symbolic link (or a path) that leads outside the content folder, to this real path.
        case outside(String)
        /// An SVG picture (or XML file) that could run code or load something from elsewhere
        /// (see `SVGCheck`).
        case unsafeSVG(String)
    }

    /// The content folder, standardized; relative paths are looked up below it.
    let contentRoot: URL
    private let realRoot: String?
    private let lock = NSLock()
    private var lookups: [String: Lookup] = [:]

    /// Resolves the content folder's real path once (symbolic links followed), so links that leave it are recognised.
    init(contentRoot: URL) {
        self.contentRoot = contentRoot.standardizedFileURL
        realRoot = realpath(self.contentRoot.path, nil).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        }
    }

    /// `relativePath` (relative to the content folder, already resolved: no `..` leads above it)
    /// looked up, read and hashed once per build.
    func lookup(_ relativePath: String) -> Lookup {
        if let known = lock.withLock({ lookups[relativePath] }) { return known }
        let found = find(relativePath)
        lock.withLock { lookups[relativePath] = found }
        return found
    }

    /// The bytes of a file `lookup` found, for the outputs that copy it; an unsafe SVG is never
    /// returned.
    func data(_ file: LocalFile) -> Data? {
        guard case .file = lookup(file.path) else { return nil }
        return FileManager.default.contents(atPath: contentRoot.path + "/" + file.path)
    }

    private func find(_ relativePath: String) -> Lookup {
        let components = relativePath.split(separator: "/")
        if components.contains(where: { $0.hasPrefix(".") }) { return .notPublishable("hidden files are never published") }
        guard let realRoot else { return .missing }
        let full = contentRoot.path + "/" + relativePath
        var status = stat()
        guard lstat(full, &status) == 0 else { return .missing }
        guard let real = realpath(full, nil) else { return .missing }
        let target = String(cString: real)
        free(real)
        guard target.hasPrefix(realRoot == "/" ? "/" : realRoot + "/") else { return .outside(target) }
        guard stat(target, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            return .notPublishable("it is a folder, not a file")
        }
        let ext = (relativePath as NSString).pathExtension.lowercased()
        // A browser opens these as pages of the site, scripts and all: notes are the only pages.
        if ["html", "htm", "xhtml", "xht", "shtml", "mht", "mhtml"].contains(ext) {
            return .notPublishable("a browser would open it as a page of the site, scripts and all; only notes are published as pages")
        }
        guard let data = FileManager.default.contents(atPath: target) else { return .missing }
        // A browser shows XML (an XHTML document, say) as a page too: the same check as SVG.
        if ext == "svg" || ext == "xml", let problem = SVGCheck.problem(in: data) { return .unsafeSVG(problem) }
        var hasher = CacheKeyHasher()
        hasher.add(data)
        return .file(LocalFile(path: relativePath, hash: hasher.hex))
    }

    /// A key of what each path names now (its bytes, or why it is not published), for keys
    /// that must change when a file a note shows changes.
    func key(of paths: some Sequence<String>) -> String {
        var hasher = CacheKeyHasher()
        for path in Set(paths).sorted() {
            hasher.add(path)
            switch lookup(path) {
            case let .file(file): hasher.add(file.hash)
            case .missing: hasher.add("missing")
            case let .notPublishable(why): hasher.add("not published " + why)
            case let .outside(real): hasher.add("outside " + real)
            case let .unsafeSVG(why): hasher.add("unsafe " + why)
            }
        }
        return hasher.hex
    }

    /// The media type of a picture every output can show, by its extension (any case); nil
    /// for any other file.
    static func mediaType(of path: String) -> String? {
        switch (path as NSString).pathExtension.lowercased() {
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "svg": "image/svg+xml"
        case "webp": "image/webp"
        default: nil
        }
    }

    /// The path of a local file a note's link names, relative to the content folder: `url`'s
    /// path (query and fragment dropped, percent-escapes decoded) resolved against the note's
    /// folder; nil when `..` leads above the content folder.
    static func path(of url: String, from pageID: String) -> String? {
        var path = LinkURLs.split(url).path
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        let decoded = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncoding ?? path : path
        return SourceFile.resolve(decoded, from: pageID)
    }
}

/// Decides whether an SVG picture (or an XML file, which browsers also show as a document)
/// is safe to publish. SVG is XML that may hold scripts, event
/// handler attributes (`onload=`), HTML (`<foreignObject>`) and references to other files or
/// sites (`href`, `url(…)`, `@import`, entities); a site that serves it runs its scripts when
/// it is opened, and an EPUB may load nothing from elsewhere. Syllabus **rejects** such a
/// picture rather than rewriting it: a rewritten drawing may silently lose its look, while a
/// rejected one is reported and shown as its alt text. The check reads the text and errs on
/// the side of rejecting (a match inside a text element counts too).
enum SVGCheck {
    /// Why `data` is not a safe SVG picture, or nil when it is.
    static func problem(in data: Data) -> String? {
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else { return "it is not text" }
        let rules: [(pattern: String, why: String)] = [
            (#"<\s*([A-Za-z_][\w.-]*:)?script\b"#, "it holds a script"),
            (#"<\s*([A-Za-z_][\w.-]*:)?foreignObject\b"#, "it holds HTML (foreignObject)"),
            (#"\son[A-Za-z]+\s*="#, "it has an event handler attribute"),
            (#"<!ENTITY"#, "it declares entities"),
            (#"<\?xml-stylesheet"#, "it loads a style sheet"),
            (#"@import"#, "its style imports another file"),
            (#"(^|[\s:])href\s*=\s*(["'])\s*[^#"'\s]"#, "it refers to another file or site (href)"),
            (#"url\(\s*["']?\s*[^#"'\s)]"#, "it refers to another file or site (url())"),
            (#"attributeName\s*=\s*["']\s*([\w-]+:)?(href|on)"#, "it animates a link or an event handler"),
        ]
        for rule in rules where text.range(of: rule.pattern, options: [.regularExpression, .caseInsensitive]) != nil {
            return rule.why
        }
        return nil
    }
}
