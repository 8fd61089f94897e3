import Foundation
import ZIPFoundation

/// Zips a book the way EPUB requires: `mimetype` first and stored, then the container, then
/// the content under `OEBPS/`. Every entry carries the same fixed date and permissions, so
/// the same files always give the same bytes.
enum EpubArchive {
    static func make(content: [(path: String, data: Data)], date: Date) throws -> Data {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ data: Data, compressed: Bool) throws {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                 permissions: 0o644, compressionMethod: compressed ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        try add("mimetype", Data("application/epub+zip".utf8), compressed: false)
        try add("META-INF/container.xml", Data(EpubPackage.container.utf8), compressed: true)
        for (path, data) in content {
            try add("OEBPS/\(path)", data, compressed: true)
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }
}
