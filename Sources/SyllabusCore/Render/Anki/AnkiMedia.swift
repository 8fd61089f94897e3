import Foundation

/// Pictures in Anki fields. Anki keeps media in one flat folder per collection and a field
/// names a file by its bare name, so a picture next to a note (`<img src="diagram.png">`)
/// goes into the package under a name made from its own name and a hash of its bytes
/// (`diagram-1a2b3c4d.png`): two different pictures with one name in different folders get
/// different names, and the same picture used twice is packaged once.
enum AnkiMedia {
    struct File: Equatable {
        /// The name in the package and in the field.
        var name: String
        /// Path relative to the content folder.
        var source: String
        var data: Data
    }

    /// `html` with the `src` of every `<img>` that names a file beside the note (relative,
    /// inside the content folder) replaced by its media name, and those files. Other sources
    /// (web addresses, `data:`, missing files) stay as they are.
    static func localize(_ html: String, pageID: String, contentRoot: URL?) -> (html: String, files: [File]) {
        guard let contentRoot, html.contains("<img ") else { return (html, []) }
        let folder = (pageID as NSString).deletingLastPathComponent
        var files: [File] = []
        var result = ""
        var rest = Substring(html)
        while let tag = rest.range(of: "<img "), let source = rest[tag.upperBound...].range(of: "src=\""),
              let end = rest[source.upperBound...].firstIndex(of: "\"") {
            result += rest[..<source.upperBound]
            let value = String(rest[source.upperBound..<end])
            rest = rest[end...]
            guard let file = file(value, folder: folder, contentRoot: contentRoot) else {
                result += value
                continue
            }
            files.append(file)
            result += file.name
        }
        result += rest
        return (result, files)
    }

    private static func file(_ escapedSource: String, folder: String, contentRoot: URL) -> File? {
        let source = AnkiPackage.plainText(escapedSource)
        guard !source.isEmpty, !source.hasPrefix("/"), !source.contains(":"), !source.hasPrefix("#"),
              let decoded = source.split(separator: "#")[0].split(separator: "?").first?.removingPercentEncoding else { return nil }
        let relative = ((folder.isEmpty ? decoded : folder + "/" + decoded) as NSString).standardizingPath
        guard !relative.hasPrefix(".."), !relative.hasPrefix("/"),
              let data = FileManager.default.contents(atPath: contentRoot.path + "/" + relative) else { return nil }
        let name = (relative as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension
        let stem = String((name as NSString).deletingPathExtension.map { character -> Character in
            character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_") ? character : "-"
        }.prefix(60))
        let hash = String(StableHash.hex128(data).prefix(8))
        let safeExt = ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } ? ext.lowercased() : ""
        return File(name: "\(stem.isEmpty ? "image" : stem)-\(hash)" + (safeExt.isEmpty ? "" : "." + safeExt), source: relative, data: data)
    }

    /// A file's size and modification time, for output keys.
    static func stamp(_ relative: String, contentRoot: URL?) -> String {
        guard let contentRoot, let stamp = FileStamp(contentRoot.path + "/" + relative) else { return "missing" }
        return "\(stamp.size) \(stamp.modified)"
    }
}
