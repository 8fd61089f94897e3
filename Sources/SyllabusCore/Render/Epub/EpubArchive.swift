import Foundation

/// Zips a book the way EPUB requires: `mimetype` first and stored, then the container, then
/// the content under `OEBPS/`. Every entry carries the same fixed date and permissions, so
/// the same files always give the same bytes.
enum EpubArchive {
    /// Where the content files lie in the archive.
    static let contentFolder = "OEBPS/"

    /// The content file at `path` (relative to `contentFolder`), deflated.
    /// - Throws: ZIPFoundation's errors from deflating.
    static func entry(_ path: String, data: Data) throws -> ZipEntry {
        try ZipEntry(path: contentFolder + path, data: data, compressed: true)
    }

    /// The book: `mimetype`, the container, then `content` in its order (entries made by
    /// `entry`, or copied as they are from the previous book: deflate gives the same bytes for
    /// the same data, so the book is the same either way).
    /// - Throws: `ZipEntry.Failure.tooLarge` past 4 GiB; ZIPFoundation's errors from deflating.
    static func make(content: [ZipEntry], date: Date) throws -> Data {
        let mimetype = try ZipEntry(path: "mimetype", data: Data("application/epub+zip".utf8), compressed: false)
        let container = try ZipEntry(path: "META-INF/container.xml", data: Data(EpubPackage.container.utf8), compressed: true)
        return try ZipEntry.archive([mimetype, container] + content, date: date)
    }
}
