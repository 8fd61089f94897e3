import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A zip archive of entries in their order, every one dated `date` (in UTC, at the two
/// seconds' resolution of MS-DOS dates) with Unix permissions 0644, written out a piece at a
/// time (`write(into:)`) rather than put together in memory: an EPUB rebuild's book is
/// megabytes, nearly all of it entries copied from the previous book (`ZipSource`), which go
/// from that file to the new one through a buffer of a megabyte.
/// The layout is the zip format of PKWARE's APPNOTE.TXT (local file headers, central
/// directory, end of central directory record), without ZIP64.
struct ZipArchive: @unchecked Sendable {
    let entries: [ZipEntry]
    /// Where the entries with a `location` are read from.
    let source: ZipSource?
    /// The MS-DOS time and date fields of every entry.
    private let time: UInt16, day: UInt16
    /// The archive's size in bytes.
    let size: Int

    /// An archive of `entries`; those with a `location` are copied from `source`.
    /// - Throws: `ZipEntry.Failure.tooLarge` when the archive would need ZIP64.
    init(_ entries: [ZipEntry], date: Date, source: ZipSource? = nil) throws {
        self.entries = entries
        self.source = source
        (time, day) = ZipEntry.dosDateTime(date)
        // Local header 30 bytes, central record 46, both with the name; the end record 22.
        var size = 22
        for entry in entries {
            _ = try ZipEntry.fit(size, "offset of \(entry.path)")
            size += 76 + 2 * entry.path.utf8.count + entry.compressedSize
        }
        _ = try ZipEntry.fit(size, "central directory")
        guard entries.count <= Int(UInt16.max) else { throw ZipEntry.Failure.tooLarge("number of entries") }
        self.size = size
    }

    /// The archive in memory.
    /// - Throws: as `write(into:)`.
    func data() throws -> Data {
        var data = Data()
        data.reserveCapacity(size)
        try write { data.append(contentsOf: $0) }
        return data
    }

    /// The bytes of a buffer being filled.
    private static let bufferSize = 1 << 20

    /// Hands the archive's bytes to `consume` in order, in pieces of up to a megabyte. The
    /// entries copied from the source are read in runs (the entries that lie one after another
    /// there, with their headers, in one read), and each header is then written over with its
    /// new date, after checking that the rest of it is what this entry's header says: a source
    /// that is not the archive its directory described fails, it is never copied.
    /// - Throws: `ZipSource.Failure` when the source cannot be read or changed since it was
    ///   opened; what `consume` throws.
    func write(into consume: (UnsafeRawBufferPointer) throws -> Void) throws {
        try source?.checkUnchanged()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var used = 0
        /// Source bytes still to read into the buffer at `at`, and the headers to write over them.
        var run: (start: Int, end: Int, at: Int, headers: [(at: Int, header: [UInt8])])?

        func readRun() throws {
            guard let pending = run, let source else { return }
            run = nil
            try source.read(pending.start..<pending.end, into: UnsafeMutableRawBufferPointer(rebasing: buffer[pending.at...]))
            for (at, header) in pending.headers {
                // Bytes 10-13 are the time and date; the rest must be this entry's.
                let old = UnsafeRawBufferPointer(rebasing: buffer[at..<(at + header.count)])
                guard header.withUnsafeBytes({ memcmp($0.baseAddress!, old.baseAddress!, 10) == 0
                    && memcmp($0.baseAddress! + 14, old.baseAddress! + 14, header.count - 14) == 0 }) else {
                    throw ZipSource.Failure.changed(source.path)
                }
                header.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[at...]).copyMemory(from: $0) }
            }
        }
        func flush() throws {
            try readRun()
            if used > 0 { try consume(UnsafeRawBufferPointer(rebasing: buffer[..<used])) }
            used = 0
        }
        func put(_ bytes: UnsafeRawBufferPointer) throws {
            if used + bytes.count > buffer.count { try flush() }
            if bytes.count > buffer.count { return try consume(bytes) }
            UnsafeMutableRawBufferPointer(rebasing: buffer[used...]).copyMemory(from: bytes)
            used += bytes.count
        }

        var central: [UInt8] = []
        central.reserveCapacity(entries.reduce(0) { $0 + 46 + $1.path.utf8.count })
        var offset = 0
        for entry in entries {
            let header = try entry.localHeader(time: time, day: day)
            try entry.centralRecord(time: time, day: day, offset: UInt32(offset), into: &central)
            let total = header.count + entry.compressedSize
            offset += total
            guard let location = entry.location, let source else {
                try header.withUnsafeBytes(put)
                try entry.bytes.withUnsafeBytes(put)
                continue
            }
            let start = location.header, end = location.header + total
            // A run goes on while the entries follow one another both there and here (no
            // entry made anew was put between them).
            if let pending = run, pending.end == start, pending.at + pending.end - pending.start == used, used + total <= buffer.count {
                run!.end = end
                run!.headers.append((used, header))
                used += total
                continue
            }
            try readRun()
            if used + total > buffer.count { try flush() }
            if total <= buffer.count {
                run = (start, end, used, [(used, header)])
                used += total
                continue
            }
            // Larger than the buffer: its header read and checked like a run's, then its bytes
            // a buffer at a time.
            run = (start, start + header.count, used, [(used, header)])
            used += header.count
            try flush()
            var next = start + header.count
            while next < end {
                let count = min(buffer.count, end - next)
                try source.read(next..<(next + count), into: buffer)
                try consume(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
                next += count
            }
        }
        let centralOffset = UInt32(offset)
        try central.withUnsafeBytes(put)
        var end: [UInt8] = []
        end.append(le32: 0x0605_4b50)
        end.append(le16: 0)
        end.append(le16: 0)
        end.append(le16: UInt16(entries.count))
        end.append(le16: UInt16(entries.count))
        end.append(le32: UInt32(central.count))
        end.append(le32: centralOffset)
        end.append(le16: 0)
        try end.withUnsafeBytes(put)
        try flush()
        // Read through: the bytes copied are those of the file the directory was read from.
        try source?.checkUnchanged()
    }
}

/// An archive file opened to copy entries from (the previous build's book): its entries as
/// its central directory lists them, read without reading their bytes, which `ZipArchive`
/// copies when it writes. The file stays open until the value goes; it must not change
/// meanwhile (its size and modification time are checked before and after a copy).
final class ZipSource: @unchecked Sendable {
    /// Why entries could not be copied.
    enum Failure: Error, CustomStringConvertible {
        /// The file (its path) changed since it was opened, or is not what its directory says.
        case changed(String)
        /// Reading the file (its path) failed; `strerror`'s reason.
        case unreadable(String, String)

        var description: String {
            switch self {
            case .changed(let path): return "\(path) changed while the build copied from it; build again"
            case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
            }
        }
    }

    let path: String
    /// The entries in the order the central directory lists them, each with its `location`.
    private(set) var listed: [ZipEntry] = []
    /// The entries by path.
    var entries: [String: ZipEntry] { Dictionary(listed.map { ($0.path, $0) }, uniquingKeysWith: { _, last in last }) }
    private let descriptor: Int32
    /// The size and modification time (seconds, nanoseconds) when it was opened.
    private let opened: (size: Int, seconds: Int, nanoseconds: Int)

    /// The archive at `path` with its central directory read; nil when it cannot be opened or
    /// is not an archive `ZipArchive` wrote (ZIP64, multiple disks, a method other than stored
    /// or deflated, anything out of bounds).
    init?(path: String) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { close(descriptor); return nil }
        opened = Self.identity(status)
        // From here on a failure runs `deinit`, which closes the descriptor: closing it here too
        // could close a file another thread opened in between under the same number.
        guard let listed = readDirectory() else { return nil }
        self.listed = listed
    }

    deinit { close(descriptor) }

    private static func identity(_ status: stat) -> (size: Int, seconds: Int, nanoseconds: Int) {
        #if canImport(Darwin)
        let modified = status.st_mtimespec
        #else
        let modified = status.st_mtim
        #endif
        return (Int(status.st_size), Int(modified.tv_sec), Int(modified.tv_nsec))
    }

    /// The end record and the central directory, read from the end of the file.
    private func readDirectory() -> [ZipEntry]? {
        let tailSize = min(opened.size, 22 + 0xFFFF)
        var tail = [UInt8](repeating: 0, count: tailSize)
        guard (try? tail.withUnsafeMutableBytes { try read((opened.size - tailSize)..<opened.size, into: $0) }) != nil,
              let end = tail.withUnsafeBufferPointer(ZipEntry.endRecord), end.offset + end.size <= opened.size else { return nil }
        var directory = [UInt8](repeating: 0, count: end.size)
        guard (try? directory.withUnsafeMutableBytes { try read(end.offset..<(end.offset + end.size), into: $0) }) != nil,
              let records = directory.withUnsafeBufferPointer({ ZipEntry.records($0, count: end.count) }) else { return nil }
        var entries: [ZipEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            // `ZipArchive` writes no extra field: the bytes follow the header and the name.
            guard record.local + 30 + record.path.utf8.count + record.compressed <= end.offset else { return nil }
            entries.append(ZipEntry(path: record.path, method: record.method, crc32: record.crc32, uncompressedSize: record.size,
                                    bytes: Data(), location: ZipEntry.Location(header: record.local, count: record.compressed)))
        }
        return entries
    }

    /// Reads the bytes at `range` into the start of `buffer` (which must hold them).
    /// - Throws: `Failure.unreadable`; `Failure.changed` when the file ends before the range does.
    func read(_ range: Range<Int>, into buffer: UnsafeMutableRawBufferPointer) throws {
        guard let count = readAll(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<range.count]), at: range.lowerBound) else {
            throw Failure.unreadable(path, String(cString: strerror(errno)))
        }
        guard count == range.count else { throw Failure.changed(path) }
    }

    /// - Throws: `Failure.changed` unless the file has the size and modification time it had
    ///   when it was opened.
    func checkUnchanged() throws {
        var status = stat()
        guard fstat(descriptor, &status) == 0, Self.identity(status) == opened else { throw Failure.changed(path) }
    }
}
