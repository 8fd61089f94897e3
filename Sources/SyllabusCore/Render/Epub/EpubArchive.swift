import Foundation

/// Zips a book the way EPUB requires: `mimetype` first and stored, then the container, then
/// the content under `OEBPS/`. Every entry carries the same fixed date and permissions, so
/// the same files always give the same bytes.
enum EpubArchive {
    /// Where the content files lie in the archive.
    static let contentFolder = "OEBPS/"

    /// libdeflate's level 1 (of 0-12), its fastest, which still beats what zlib's level 3 gave
    /// before: over the 35 MB of XHTML of the 2,075-note benchmark book (one call per file, one
    /// thread), libdeflate's level 1 took 0.10 s of CPU for 7.26 MB, level 2 0.14 s for 7.07 MB,
    /// level 3 0.15 s for 6.90 MB and level 6 0.21 s for 6.60 MB, where zlib's level 3 took
    /// 0.22 s for 7.35 MB. Deflating the book was the largest single cost of a full build with
    /// every output; a reader does not notice the 10 % that level 6 would save.
    static let deflateLevel: Int32 = 1

    /// The content file at `path` (relative to `contentFolder`), deflated.
    /// - Throws: `ZipEntry.Failure.tooLarge` past 4 GiB; `Deflate.Failure` when libdeflate fails.
    static func entry(_ path: String, data: Data) throws -> ZipEntry {
        try ZipEntry(path: contentFolder + path, data: data, level: deflateLevel)
    }

    /// Whether `entry` is the content file at `path` (relative to `contentFolder`), compared
    /// byte by byte, without making the entry's path.
    static func isEntry(_ entry: ZipEntry, of path: String) -> Bool {
        let name = entry.path.utf8, folder = contentFolder.utf8
        return name.count == folder.count + path.utf8.count && name.starts(with: folder) && name.dropFirst(folder.count).elementsEqual(path.utf8)
    }

    /// The book: `mimetype`, the container, then `content` in its order (entries made by
    /// `entry`, or listed by `source`, the previous book, and copied from it as they are:
    /// deflate gives the same bytes for the same data, so the book is the same either way).
    /// - Throws: `ZipEntry.Failure.tooLarge` past 4 GiB; `Deflate.Failure` when libdeflate fails.
    static func make(content: [ZipEntry], date: Date, source: ZipSource? = nil) throws -> ZipArchive {
        let mimetype = try ZipEntry(path: "mimetype", data: Data("application/epub+zip".utf8), level: nil)
        let container = try ZipEntry(path: "META-INF/container.xml", data: Data(EpubPackage.container.utf8), level: deflateLevel)
        return try ZipArchive([mimetype, container] + content, date: date, source: source)
    }
}
