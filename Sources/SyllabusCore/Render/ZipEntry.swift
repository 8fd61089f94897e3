import CLibDeflate
import Foundation
import ZIPFoundation

/// One member of a zip archive as it lies in the archive: its bytes already deflated (or
/// stored), with the CRC-32 and size of what they hold. The EPUB and the Anki packages are
/// zipped with it; an EPUB rebuild copies the entries of unchanged chapters from the previous
/// book this way instead of compressing them again.
///
/// The layout written and read is the zip format of PKWARE's APPNOTE.TXT (local file headers,
/// central directory, end of central directory record), without ZIP64: every size and offset
/// must fit in 32 bits.
struct ZipEntry: Equatable {
    /// How `bytes` hold the data: APPNOTE's compression method numbers.
    enum Method: UInt16 {
        case stored = 0
        case deflated = 8
    }

    enum Failure: Error, Equatable {
        /// A size or offset beyond 4 GiB, which needs ZIP64.
        case tooLarge(String)
    }

    var path: String
    var method: Method
    /// CRC-32 (zip's polynomial) of the uncompressed data.
    var crc32: UInt32
    var uncompressedSize: Int
    /// The data as it lies in the archive: raw deflate (no zlib header) or the data itself.
    /// Read from an archive, a slice of the archive's bytes (its indices do not start at 0).
    var bytes: Data

    /// `data` deflated at libdeflate's `level` (0-12; see `Deflate`), or stored when `level` is
    /// nil.
    /// - Throws: `Failure.tooLarge` past 4 GiB; `Deflate.Failure` when libdeflate fails.
    init(path: String, data: Data, level: Int32?) throws {
        self.path = path
        uncompressedSize = data.count
        guard data.count < Int(UInt32.max) else { throw Failure.tooLarge(path) }
        crc32 = data.withUnsafeBytes { UInt32(libdeflate_crc32(0, $0.baseAddress, $0.count)) }
        if let level {
            method = .deflated
            bytes = try data.withUnsafeBytes { try Deflate.compress($0, level: level) }
        } else {
            method = .stored
            bytes = data
        }
    }

    init(path: String, method: Method, crc32: UInt32, uncompressedSize: Int, bytes: Data) {
        (self.path, self.method, self.crc32, self.uncompressedSize, self.bytes) = (path, method, crc32, uncompressedSize, bytes)
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

    // MARK: Writing

    /// A zip archive of `entries` in their order, every one dated `date` (in UTC, at the two
    /// seconds' resolution of MS-DOS dates) with Unix permissions 0644.
    /// - Throws: `Failure.tooLarge` when the archive would need ZIP64.
    static func archive(_ entries: [ZipEntry], date: Date) throws -> Data {
        let (time, day) = dosDateTime(date)
        var out = Data()
        // Its size is known (local header 30 bytes, central entry 46, end record 22): reserved
        // once, where growing it by doubling would hold up to twice the book.
        out.reserveCapacity(entries.reduce(22) { $0 + 76 + 2 * $1.path.utf8.count + $1.bytes.count })
        var central = Data()
        // Each header is put together here and appended at once: a book has thousands of
        // entries, and appending to `Data` costs the same for two bytes as for a hundred.
        var header: [UInt8] = []
        for entry in entries {
            let name = Array(entry.path.utf8)
            // Bit 11: the name is UTF-8 (only said when it is not ASCII, as zip tools do).
            let flags: UInt16 = name.allSatisfy { $0 < 0x80 } ? 0 : 0x0800
            let offset = try fit(out.count, "offset of \(entry.path)")
            let sizes = [try fit(entry.bytes.count, entry.path), try fit(entry.uncompressedSize, entry.path)]
            // The fields from "version needed" to the name's length are the same in the local
            // header and the central directory's entry (APPNOTE 4.3.7 and 4.3.12).
            func shared(_ data: inout [UInt8]) {
                data.append(le16: 20)  // version needed: 2.0 (deflate)
                data.append(le16: flags)
                data.append(le16: entry.method.rawValue)
                data.append(le16: time)
                data.append(le16: day)
                data.append(le32: entry.crc32)
                data.append(le32: sizes[0])
                data.append(le32: sizes[1])
                data.append(le16: UInt16(name.count))
            }
            header.removeAll(keepingCapacity: true)
            header.append(le32: 0x0403_4b50)
            shared(&header)
            header.append(le16: 0)  // extra field
            header += name
            out.append(contentsOf: header)
            out.append(entry.bytes)

            header.removeAll(keepingCapacity: true)
            header.append(le32: 0x0201_4b50)
            header.append(le16: 3 << 8 | 20)  // made by Unix, version 2.0
            shared(&header)
            header.append(le16: 0)  // extra field
            header.append(le16: 0)  // comment
            header.append(le16: 0)  // disk
            header.append(le16: 0)  // internal attributes
            header.append(le32: UInt32(0o100644) << 16)  // a regular file, rw-r--r--
            header.append(le32: offset)
            header += name
            central.append(contentsOf: header)
        }
        let centralOffset = try fit(out.count, "central directory")
        let count = UInt16(clamping: entries.count)
        out.append(central)
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: count)
        out.append(le16: count)
        out.append(le32: try fit(central.count, "central directory"))
        out.append(le32: centralOffset)
        out.append(le16: 0)
        return out
    }

    private static func fit(_ value: Int, _ what: String) throws -> UInt32 {
        guard let fitted = UInt32(exactly: value), fitted != .max else { throw Failure.tooLarge(what) }
        return fitted
    }

    /// MS-DOS time and date fields (APPNOTE 4.4.6) of `date` in UTC.
    private static func dosDateTime(_ date: Date) -> (time: UInt16, date: UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = min(max(c.year! - 1980, 0), 127)
        return (UInt16(c.hour! << 11 | c.minute! << 5 | c.second! / 2), UInt16(year << 9 | c.month! << 5 | c.day!))
    }

    // MARK: Reading

    /// The entries of the zip archive `data` by path, their bytes as they lie in it; nil when
    /// it is not an archive this type can read (ZIP64, multiple disks, a method other than
    /// stored or deflated, anything out of bounds).
    static func entries(of data: Data) -> [String: ZipEntry]? {
        // Read in place, each entry's bytes a slice of `data` (sharing its storage): a large
        // book is megabytes, copied once more only into the next book.
        let archive = data.startIndex == 0 ? data : Data(data)
        return archive.withUnsafeBytes { entries(in: $0.bindMemory(to: UInt8.self), of: archive) }
    }

    private static func entries(in bytes: UnsafeBufferPointer<UInt8>, of data: Data) -> [String: ZipEntry]? {
        func u16(_ at: Int) -> Int? { at >= 0 && at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? { guard let low = u16(at), let high = u16(at + 2) else { return nil }; return low | high << 16 }
        // The end record is the last 22 bytes unless the archive has a comment.
        var end = bytes.count - 22
        while end >= 0, end >= bytes.count - 22 - 0xFFFF, u32(end) != 0x0605_4b50 { end -= 1 }
        guard end >= 0, u32(end) == 0x0605_4b50, let count = u16(end + 10), var at = u32(end + 16) else { return nil }
        var entries: [String: ZipEntry] = [:]
        for _ in 0..<count {
            guard u32(at) == 0x0201_4b50, let rawMethod = u16(at + 10), let method = Method(rawValue: UInt16(rawMethod)),
                  let crc = u32(at + 16), let compressed = u32(at + 20), let size = u32(at + 24), let nameLength = u16(at + 28),
                  let extra = u16(at + 30), let comment = u16(at + 32), let local = u32(at + 42),
                  at + 46 + nameLength <= bytes.count,
                  u32(local) == 0x0403_4b50, let localName = u16(local + 26), let localExtra = u16(local + 28),
                  case let start = local + 30 + localName + localExtra, start + compressed <= bytes.count,
                  let path = String(bytes: bytes[(at + 46)..<(at + 46 + nameLength)], encoding: .utf8)
            else { return nil }
            entries[path] = ZipEntry(path: path, method: method, crc32: UInt32(crc), uncompressedSize: size,
                                     bytes: data[start..<(start + compressed)])
            at += 46 + nameLength + extra + comment
        }
        return entries
    }
}

private extension Data {
    mutating func append(le16 value: UInt16) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append(le32 value: UInt32) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
}

private extension Array where Element == UInt8 {
    mutating func append(le16 value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    mutating func append(le32 value: UInt32) {
        append(le16: UInt16(truncatingIfNeeded: value))
        append(le16: UInt16(truncatingIfNeeded: value >> 16))
    }
}
