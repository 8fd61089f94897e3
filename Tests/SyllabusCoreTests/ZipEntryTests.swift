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
}
