import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// The zip writer and reader behind the EPUB and the Anki packages: what it writes opens in ZIPFoundation with the
/// same files, and entries read back are copied into a new archive byte for byte.
final class ZipEntryTests: XCTestCase {
    private let date = Date(timeIntervalSince1970: 1_700_000_000)
    private let files: [(String, Data)] = [
        ("mimetype", Data("application/epub+zip".utf8)),
        ("OEBPS/chapter-1.xhtml", Data(String(repeating: "<p>Lambda runs code.</p>\n", count: 400).utf8)),
        ("OEBPS/empty.css", Data()),
        ("OEBPS/Ünïcode name.xhtml", Data("<p>é</p>".utf8)),
    ]

    private func entries() throws -> [ZipEntry] {
        try files.map { try ZipEntry(path: $0.0, data: $0.1, level: $0.0 == "mimetype" ? nil : 1) }
    }

    func testAnArchiveOpensInZIPFoundationWithTheSameFiles() throws {
        let archive = try Archive(data: try ZipEntry.archive(try entries(), date: date), accessMode: .read)
        XCTAssertEqual(Array(archive).map(\.path), files.map(\.0))
        for (path, data) in files {
            var read = Data()
            _ = try archive.extract(try XCTUnwrap(archive[path]), consumer: { read.append($0) })
            XCTAssertEqual(read, data, path)
        }
        XCTAssertEqual(Array(archive).first?.isCompressed, false, "mimetype is stored")
    }

    func testMimetypeIsTheFirstBytesStoredAsEPUBRequires() throws {
        let data = try ZipEntry.archive(try entries(), date: date)
        // Local header (30 bytes), the name, then the data uncompressed: readers sniff it there.
        XCTAssertEqual(String(decoding: data[30..<38], as: UTF8.self), "mimetype")
        XCTAssertEqual(String(decoding: data[38..<58], as: UTF8.self), "application/epub+zip")
    }

    func testEntriesReadBackMakeTheSameArchiveByteForByte() throws {
        let written = try ZipEntry.archive(try entries(), date: date)
        let read = try XCTUnwrap(ZipEntry.entries(of: written))
        XCTAssertEqual(Set(read.keys), Set(files.map(\.0)))
        XCTAssertEqual(try ZipEntry.archive(files.map { read[$0.0]! }, date: date), written)
        for (path, data) in files { XCTAssertEqual(read[path]?.data(), data, path) }
    }

    /// One libdeflate call per entry writes a raw deflate stream that ZIPFoundation inflates back
    /// to the data, size and CRC-32 checked (`data()`), for text (compressed to well under its
    /// size), bytes that do not compress (stored blocks), one byte and none; the same data gives
    /// the same bytes.
    func testDeflatedBytesInflateBackToTheData() throws {
        var text = ""
        for number in 0..<20_000 { text += "<p id=\"q-\(number)\">Queue \(number * 7919 % 1_000)</p>\n" }
        var state: UInt32 = 1
        let noise = Data((0..<100_000).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        })
        // The levels in use (libdeflate finds matches differently at level 1 and from level 2).
        for level in Set([EpubArchive.deflateLevel, SearchIndex.deflateLevel, AnkiPackage.deflateLevel]) {
            for data in [Data(text.utf8), noise, Data("x".utf8), Data()] {
                let entry = try ZipEntry(path: "a.xhtml", data: data, level: level)
                XCTAssertEqual(entry.method, .deflated)
                XCTAssertEqual(entry.data(), data, "\(data.count) bytes at level \(level)")
                XCTAssertEqual(entry.crc32, data.crc32(checksum: 0))
                XCTAssertEqual(try ZipEntry(path: "a.xhtml", data: data, level: level).bytes, entry.bytes)
            }
            XCTAssertLessThan(try ZipEntry(path: "a.xhtml", data: Data(text.utf8), level: level).bytes.count, text.utf8.count / 5)
        }
    }

    /// CRC-32's check value (the CRC of the ASCII digits 1-9), as zip readers and the build
    /// cache's checksums compute it.
    func testTheCRCIsZipsCRC32() throws {
        let digits = Data("123456789".utf8)
        XCTAssertEqual(try ZipEntry(path: "a.txt", data: digits, level: nil).crc32, 0xCBF4_3926)
        XCTAssertEqual(digits.withUnsafeBytes { Checksum.of($0) }, 0xCBF4_3926)
    }

    func testAnArchiveWrittenByZIPFoundationIsReadToo() throws {
        let archive = try Archive(accessMode: .create)
        let data = Data(String(repeating: "queue ", count: 1000).utf8)
        try archive.addEntry(with: "a.txt", type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<(Int(position) + size))
        }
        let read = try XCTUnwrap(ZipEntry.entries(of: try XCTUnwrap(archive.data)))
        XCTAssertEqual(read["a.txt"]?.data(), data)
    }

    func testDamagedBytesAreNotTakenForTheData() throws {
        var entry = try ZipEntry(path: "a.txt", data: Data(String(repeating: "x", count: 500).utf8), level: 1)
        entry.crc32 ^= 1
        XCTAssertNil(entry.data())
        XCTAssertNil(ZipEntry.entries(of: Data("not a zip".utf8)))
        let written = try ZipEntry.archive(try entries(), date: date)
        XCTAssertNil(ZipEntry.entries(of: written.prefix(written.count - 30)), "a cut archive")
    }

    // MARK: Copying from an archive file

    /// Writes `entries` as an archive file dated `date` in a new folder; returns its path.
    private func archiveFile(_ entries: [ZipEntry], date: Date) throws -> String {
        let folder = try EndToEndSupport.temporaryFolder("zip")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("book.zip").path
        try ZipEntry.archive(entries, date: date).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Entries listed from a file (its directory only) and copied from it, in runs and one
    /// larger than the copy buffer, beside entries made anew, give the bytes of the archive
    /// made wholly in memory with the new date.
    func testEntriesCopiedFromAnArchiveFileMakeTheSameBytesAsEntriesInMemory() throws {
        var random = SystemRandomNumberGenerator()
        let large = Data((0..<1_500_000).map { _ in UInt8.random(in: 0...255, using: &random) })
        let made = try entries() + [try ZipEntry(path: "OEBPS/large.bin", data: large, level: nil),
                                    try ZipEntry(path: "OEBPS/after.xhtml", data: Data("<p>after</p>".utf8), level: 1)]
        let source = try XCTUnwrap(ZipSource(path: try archiveFile(made, date: date)))
        let later = date.addingTimeInterval(86_400 * 3 + 7)
        // Copied except the second, made again (as a rebuild makes a changed chapter).
        let mixed = made.enumerated().map { $0.offset == 1 ? $0.element : source.entries[$0.element.path]! }
        XCTAssertTrue(mixed.enumerated().allSatisfy { ($0.offset == 1) == ($0.element.location == nil) })
        let copied = try ZipArchive(mixed, date: later, source: source)
        XCTAssertEqual(copied.size, try ZipEntry.archive(made, date: later).count)
        XCTAssertEqual(try copied.data(), try ZipEntry.archive(made, date: later))
    }

    /// An entry made anew between two that follow one another in the source (a chapter's new
    /// review file) is written between them, and the copies around it stay whole.
    func testAnEntryAddedBetweenTwoCopiedOnesKeepsThemApart() throws {
        let made = try entries()
        let source = try XCTUnwrap(ZipSource(path: try archiveFile(made, date: date)))
        let added = try ZipEntry(path: "OEBPS/added.xhtml", data: Data("<p>new</p>".utf8), level: 1)
        let copied = [source.entries[made[0].path]!, source.entries[made[1].path]!, added] + made.dropFirst(2).map { source.entries[$0.path]! }
        let expected = try ZipEntry.archive(Array(made.prefix(2)) + [added] + made.dropFirst(2), date: date)
        XCTAssertEqual(try ZipArchive(copied, date: date, source: source).data(), expected)
    }

    /// A file that is not what its directory said when it was listed is never copied from:
    /// changed since (its time moved), or with a local header that is not the entry's.
    func testAnArchiveFileThatChangedIsNotCopiedFrom() throws {
        let path = try archiveFile(try entries(), date: date)
        let source = try XCTUnwrap(ZipSource(path: path))
        let listed = files.map { source.entries[$0.0]! }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: Data("P".utf8))
        try handle.close()
        XCTAssertThrowsError(try ZipArchive(listed, date: date, source: source).data())

        // The second entry's local header says another CRC than the directory does.
        let other = try archiveFile(try entries(), date: date)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: other))
        let header = try XCTUnwrap(ZipSource(path: other)?.entries[files[1].0]?.location?.header)
        bytes[header + 14] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: other))
        let damaged = try XCTUnwrap(ZipSource(path: other))
        XCTAssertThrowsError(try ZipArchive(files.map { damaged.entries[$0.0]! }, date: date, source: damaged).data()) { error in
            XCTAssertEqual("\(error)", "\(other) changed while the build copied from it; build again")
        }
        XCTAssertNil(ZipSource(path: other + ".missing"))
    }
}
