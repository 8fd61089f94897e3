import Foundation
import ZIPFoundation

/// Zips a book the way EPUB requires: `mimetype` first and stored, then the container, then
/// the content under `OEBPS/`. Every entry carries the same fixed date and permissions, so
/// the same files always give the same bytes.
enum EpubArchive {
    /// `reusing` holds entries of the previous book (by their path in the archive) whose bytes
    /// are copied as they are when they hold the same data, instead of being compressed again:
    /// deflate gives the same bytes for the same data, so the book is the same either way. The
    /// other entries are compressed on every core.
    /// - Throws: `ZipEntry.Failure.tooLarge` past 4 GiB; ZIPFoundation's errors from deflating.
    static func make(content: [(path: String, data: Data)], date: Date, reusing: [String: ZipEntry] = [:]) throws -> Data {
        let files = [("META-INF/container.xml", Data(EpubPackage.container.utf8))] + content.map { ("OEBPS/\($0.path)", $0.data) }
        let entries = try parallelMap(files.count) { index -> Result<ZipEntry, Error> in
            let (path, data) = files[index]
            if let kept = reusing[path], kept.method == .deflated, kept.uncompressedSize == data.count,
               kept.crc32 == data.crc32(checksum: 0) {
                return .success(kept)
            }
            return Result { try ZipEntry(path: path, data: data, compressed: true) }
        }.map { try $0.get() }
        let mimetype = try ZipEntry(path: "mimetype", data: Data("application/epub+zip".utf8), compressed: false)
        return try ZipEntry.archive([mimetype] + entries, date: date)
    }
}
