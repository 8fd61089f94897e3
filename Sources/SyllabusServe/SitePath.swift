import Foundation

/// Which file of the site folder a request names. Refused outright, before any lookup: a
/// target that is not a plain path (`http://…`, `//host/…`, `*`), parent or current-folder
/// steps (`..`, `.`), percent-encoded dots, slashes or backslashes (`%2e`, `%2f`, `%5c`),
/// backslashes and NUL. What remains is looked up under the folder, and the file it resolves
/// to (every symlink followed) must still lie inside the folder.
public enum SitePath {
    /// The regular file under `root` that `target` names (the request target as sent, still
    /// percent-encoded, query allowed); a folder names its `index.html`. Nil when refused or
    /// missing.
    public static func file(for target: String, in root: URL) -> URL? {
        let path = target.prefix { $0 != "?" && $0 != "#" }
        guard path.hasPrefix("/"), !path.hasPrefix("//") else { return nil }
        let lowered = path.lowercased()
        guard !["%2e", "%2f", "%5c", "%00", "\\"].contains(where: lowered.contains),
              let decoded = String(path).removingPercentEncoding, !decoded.contains("\0") else { return nil }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard !segments.contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        guard let realRoot = realPath(root.path) else { return nil }
        var candidate = realRoot + decoded
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue {
            candidate += candidate.hasSuffix("/") ? "index.html" : "/index.html"
        }
        guard let real = realPath(candidate), real.hasPrefix(realRoot + "/"),
              FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        return URL(fileURLWithPath: real)
    }

    /// True when `path` (no query) asks for a page rather than a stylesheet, script or
    /// picture: it ends with `/`, `.html` or `.htm`, or its last segment has no extension.
    static func isPage(_ path: String) -> Bool {
        let last = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        let lowered = last.lowercased()
        return last.isEmpty || !last.contains(".") || lowered.hasSuffix(".html") || lowered.hasSuffix(".htm")
    }

    /// The path with every symlink resolved (`realpath(3)`), or nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The media type a browser needs for a file of the site, by its extension.
    public static func mediaType(of url: URL) -> String {
        switch url.pathExtension.lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "txt", "tsv": return "text/plain; charset=utf-8"
        case "pdf": return "application/pdf"
        case "epub": return "application/epub+zip"
        case "apkg", "zip": return "application/zip"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}
