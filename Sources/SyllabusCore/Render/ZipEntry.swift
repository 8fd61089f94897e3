import CLibDeflate
import Foundation

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
    /// Read from an archive in memory, a slice of the archive's bytes (its indices do not start
    /// at 0); listed from an archive file (`ZipSource`), empty: its bytes stay in the file.
    var bytes: Data
    /// Where an entry `ZipSource` listed lies in its file; nil for one whose `bytes` hold it.
    var location: Location?

    /// An entry of an archive file: its local header starts at `header` (a header of 30 bytes
    /// and the name, no extra field, as `archive` writes it), and `count` bytes follow it.
    struct Location: Equatable {
        var header: Int
        var count: Int
    }

    /// The size of the bytes as they lie in the archive.
    var compressedSize: Int { location?.count ?? bytes.count }

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

    init(path: String, method: Method, crc32: UInt32, uncompressedSize: Int, bytes: Data, location: Location? = nil) {
        (self.path, self.method, self.crc32, self.uncompressedSize, self.bytes) = (path, method, crc32, uncompressedSize, bytes)
        self.location = location
    }

    // MARK: Writing

    /// A zip archive of `entries` in their order (see `ZipArchive`), in memory.
    /// - Throws: `Failure.tooLarge` when the archive would need ZIP64.
    static func archive(_ entries: [ZipEntry], date: Date) throws -> Data {
        try ZipArchive(entries, date: date).data()
    }

    /// The entry's local header (APPNOTE 4.3.7) dated `time` and `day` (MS-DOS fields).
    func localHeader(time: UInt16, day: UInt16) throws -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(30 + path.utf8.count)
        header.append(le32: 0x0403_4b50)
        try shared(&header, time: time, day: day)
        header.append(le16: 0)  // extra field
        header += path.utf8
        return header
    }

    /// The entry's record in the central directory (APPNOTE 4.3.12), its local header at `offset`.
    func centralRecord(time: UInt16, day: UInt16, offset: UInt32, into header: inout [UInt8]) throws {
        header.append(le32: 0x0201_4b50)
        header.append(le16: 3 << 8 | 20)  // made by Unix, version 2.0
        try shared(&header, time: time, day: day)
        header.append(le16: 0)  // extra field
        header.append(le16: 0)  // comment
        header.append(le16: 0)  // disk
        header.append(le16: 0)  // internal attributes
        header.append(le32: UInt32(0o100644) << 16)  // a regular file, rw-r--r--
        header.append(le32: offset)
        header += path.utf8
    }

    /// The fields from "version needed" to the name's length, the same in the local header
    /// and the central directory's record.
    private func shared(_ data: inout [UInt8], time: UInt16, day: UInt16) throws {
        // Bit 11: the name is UTF-8 (only said when it is not ASCII, as zip tools do).
        // Read in place: a book's thousands of entries are each written twice.
        let ascii = path.utf8.withContiguousStorageIfAvailable { $0.allSatisfy { $0 < 0x80 } } ?? path.utf8.allSatisfy { $0 < 0x80 }
        let flags: UInt16 = ascii ? 0 : 0x0800
        data.append(le16: 20)  // version needed: 2.0 (deflate)
        data.append(le16: flags)
        data.append(le16: method.rawValue)
        data.append(le16: time)
        data.append(le16: day)
        data.append(le32: crc32)
        data.append(le32: try Self.fit(compressedSize, path))
        data.append(le32: try Self.fit(uncompressedSize, path))
        data.append(le16: UInt16(path.utf8.count))
    }

    static func fit(_ value: Int, _ what: String) throws -> UInt32 {
        guard let fitted = UInt32(exactly: value), fitted != .max else { throw Failure.tooLarge(what) }
        return fitted
    }

    /// MS-DOS time and date fields (APPNOTE 4.4.6) of `date` in UTC.
    /// From the C library's broken-down time: a `Calendar` and time zone made for each
    /// archive took longer than writing a one-note rebuild's book directory.
    static func dosDateTime(_ date: Date) -> (time: UInt16, date: UInt16) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var c = tm()
        gmtime_r(&seconds, &c)
        let year = min(max(Int(c.tm_year) + 1900 - 1980, 0), 127)
        return (UInt16(Int(c.tm_hour) << 11 | Int(c.tm_min) << 5 | Int(c.tm_sec) / 2), UInt16(year << 9 | Int(c.tm_mon + 1) << 5 | Int(c.tm_mday)))
    }

    // MARK: Reading

    /// What a record of the central directory says of an entry, and where its local header is.
    struct Record {
        var path: String
        var method: Method
        var crc32: UInt32
        var compressed: Int
        var size: Int
        var local: Int
    }

    /// The central directory's offset, size and number of records, from the end record in
    /// `tail` (the archive's last bytes); nil when there is none.
    static func endRecord(_ tail: UnsafeBufferPointer<UInt8>) -> (offset: Int, size: Int, count: Int)? {
        // The end record is the last 22 bytes unless the archive has a comment.
        var end = tail.count - 22
        while end >= 0, end >= tail.count - 22 - 0xFFFF, u32(tail, end) != 0x0605_4b50 { end -= 1 }
        guard end >= 0, u32(tail, end) == 0x0605_4b50, let count = u16(tail, end + 10), let size = u32(tail, end + 12),
              let offset = u32(tail, end + 16) else { return nil }
        return (offset, size, count)
    }

    /// The `count` records of the central directory `bytes`; nil when they do not fit in it
    /// or use a method other than stored or deflated.
    static func records(_ bytes: UnsafeBufferPointer<UInt8>, count: Int) -> [Record]? {
        var records: [Record] = []
        records.reserveCapacity(count)
        var at = 0
        for _ in 0..<count {
            guard u32(bytes, at) == 0x0201_4b50, let rawMethod = u16(bytes, at + 10), let method = Method(rawValue: UInt16(rawMethod)),
                  let crc = u32(bytes, at + 16), let compressed = u32(bytes, at + 20), let size = u32(bytes, at + 24),
                  let nameLength = u16(bytes, at + 28), let extra = u16(bytes, at + 30), let comment = u16(bytes, at + 32),
                  let local = u32(bytes, at + 42), at + 46 + nameLength <= bytes.count,
                  let path = String(validating: UnsafeBufferPointer(rebasing: bytes[(at + 46)..<(at + 46 + nameLength)]), as: UTF8.self)
            else { return nil }
            records.append(Record(path: path, method: method, crc32: UInt32(crc), compressed: compressed, size: size, local: local))
            at += 46 + nameLength + extra + comment
        }
        return records
    }

    /// The little-endian 16-bit field at `at`, nil out of bounds.
    static func u16(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        at >= 0 && at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil
    }

    /// The little-endian 32-bit field at `at`, nil out of bounds.
    static func u32(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        guard let low = u16(bytes, at), let high = u16(bytes, at + 2) else { return nil }
        return low | high << 16
    }
}

extension Array where Element == UInt8 {
    /// Appends `value` little-endian, as zip fields are.
    mutating func append(le16 value: UInt16) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
    }

    /// Appends `value` little-endian, as zip fields are.
    mutating func append(le32 value: UInt32) {
        append(le16: UInt16(truncatingIfNeeded: value))
        append(le16: UInt16(truncatingIfNeeded: value >> 16))
    }
}
