@testable import SyllabusCore
import Foundation
import ZIPFoundation

/// Reading a zip archive held in memory, for tests: the build reads the previous book from
/// its file (`ZipSource`) and never inflates an entry.
extension ZipEntry {
    /// The entries of the zip archive `data` by path, their bytes as they lie in it; nil when
    /// it is not an archive this type can read (ZIP64, multiple disks, a method other than
    /// stored or deflated, anything out of bounds).
    static func entries(of data: Data) -> [String: ZipEntry]? {
        // Read in place, each entry's bytes a slice of `data` (sharing its storage).
        let archive = data.startIndex == 0 ? data : Data(data)
        return archive.withUnsafeBytes { raw -> [String: ZipEntry]? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard let directory = ZipEntry.endRecord(bytes), directory.offset + directory.size <= bytes.count,
                  let records = records(UnsafeBufferPointer(rebasing: bytes[directory.offset..<(directory.offset + directory.size)]),
                                        count: directory.count) else { return nil }
            var entries: [String: ZipEntry] = [:]
            for record in records {
                guard let localName = u16(bytes, record.local + 26), let localExtra = u16(bytes, record.local + 28),
                      u32(bytes, record.local) == 0x0403_4b50,
                      case let start = record.local + 30 + localName + localExtra, start + record.compressed <= bytes.count else { return nil }
                entries[record.path] = ZipEntry(path: record.path, method: record.method, crc32: record.crc32,
                                                uncompressedSize: record.size, bytes: archive[start..<(start + record.compressed)])
            }
            return entries
        }
    }

    /// The buffer size for inflating with ZIPFoundation.
    private static let bufferSize = 1 << 16

    /// The data the entry holds, or nil when its bytes do not inflate to data of its size and CRC.
    func data() -> Data? {
        switch method {
        case .stored:
            return bytes.count == uncompressedSize && bytes.crc32(checksum: 0) == crc32 ? bytes : nil
        case .deflated:
            var data = Data()
            // ZIPFoundation asks for a whole buffer each time, past the end too.
            guard let checksum = try? Data.decompress(size: Int64(bytes.count), bufferSize: Self.bufferSize, skipCRC32: false, provider: { position, size in
                bytes.subdata(in: bytes.startIndex + min(Int(position), bytes.count)..<bytes.startIndex + min(Int(position) + size, bytes.count))
            }, consumer: { data.append($0) }) else { return nil }
            return checksum == crc32 && data.count == uncompressedSize ? data : nil
        }
    }
}
