import XCTest
@testable import SyllabusCore

final class OutputWriterTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func inode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(path).path)[.systemFileNumber] as! NSNumber).intValue
    }

    func testRewritesOnlyChangedFilesAndDropsStaleOnes() throws {
        let writer = OutputWriter(outputRoot: root)
        var summary = try writer.write([OutputFile(path: "site/a.html", text: "A"), OutputFile(path: "site/b.html", text: "B"),
                                        OutputFile(path: "site/old.html", text: "old")], folders: ["site"])
        XCTAssertEqual(summary, .init(written: 3, unchanged: 0))
        let before = try inode("site/a.html")
        XCTAssertEqual(try inode(".previous-site/a.html"), before, "a new folder leaves a kept copy of itself to stage over")
        summary = try writer.write([OutputFile(path: "site/a.html", text: "A"), OutputFile(path: "site/b.html", text: "B2")], folders: ["site"])
        XCTAssertEqual(summary, .init(written: 1, unchanged: 1))
        XCTAssertEqual(try inode("site/a.html"), before, "an unchanged file is the same file")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("site/b.html"), encoding: .utf8), "B2")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("site/old.html").path))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted(), [".previous-site", ".syllabus-manifest", "site"],
                       "no staging folder is left behind; the previous build is kept to stage the next one over")

        // The third build is staged over the first: what that one had and this one has not goes.
        summary = try writer.write([OutputFile(path: "site/a.html", text: "A"), OutputFile(path: "site/sub/c.html", text: "C")],
                                   folders: ["site"])
        XCTAssertEqual(summary, .init(written: 1, unchanged: 1))
        XCTAssertEqual(try inode("site/a.html"), before)
        XCTAssertEqual(DirectoryWalker.files(under: root.appendingPathComponent("site").path), ["a.html", "sub/c.html"])
        XCTAssertEqual(DirectoryWalker.files(under: root.appendingPathComponent(".previous-site").path), ["a.html", "b.html"])
        _ = try writer.clean()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), [])
    }

    /// What a renderer's `prepare` hands over is taken once by its `render`, and never saved.
    /// A file written in pieces (the book) is compared with the previous one as it is made, a
    /// part of a piece at a time: the same bytes keep the file; a difference far into a large
    /// piece, or in the last byte of a later one, writes it.
    func testAFileWrittenInPiecesIsComparedToItsLastByte() throws {
        let writer = OutputWriter(outputRoot: root)
        func file(_ pieces: [[UInt8]]) -> OutputFile {
            OutputFile(path: "ebook/book.epub", size: pieces.reduce(0) { $0 + $1.count }) { consume in
                for piece in pieces { try piece.withUnsafeBytes { try consume($0) } }
            }
        }
        let large = [UInt8](repeating: 7, count: 200_000), small = [UInt8](repeating: 9, count: 1_000)
        XCTAssertEqual(try writer.write([file([large, small])], folders: ["ebook"]), .init(written: 1, unchanged: 0))
        XCTAssertEqual(try writer.write([file([large, small])], folders: ["ebook"]), .init(written: 0, unchanged: 1))
        var late = large
        late[150_000] = 8
        XCTAssertEqual(try writer.write([file([late, small])], folders: ["ebook"]), .init(written: 1, unchanged: 0))
        var last = small
        last[999] = 8
        XCTAssertEqual(try writer.write([file([late, last])], folders: ["ebook"]), .init(written: 1, unchanged: 0))
        XCTAssertEqual(try Data(contentsOf: root.appendingPathComponent("ebook/book.epub")), Data(late + last))
        XCTAssertEqual(try writer.write([file([late, last])], folders: ["ebook"]), .init(written: 0, unchanged: 1))
    }

    func testWhatPrepareHandsOverIsTakenOnceAndNeverSaved() throws {
        let staging = try OutputWriter(outputRoot: root).begin(folders: ["ebook"], previous: [:], outputs: [.epub])
        staging.handOver(["layout"], as: "ebook")
        XCTAssertNil(staging.takePrepared("anki"))
        XCTAssertEqual(staging.takePrepared("ebook") as? [String], ["layout"])
        XCTAssertNil(staging.takePrepared("ebook"), "taken once")
        staging.handOver(["left"], as: "ebook")
        _ = try staging.commit()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path).sorted(), [".previous-ebook", ".syllabus-manifest", "ebook"])
        XCTAssertNil(FileCollector().takePrepared("ebook"), "a sink no prepare wrote to holds nothing")
    }

    /// A changed file is written over the kept copy of the build before last when that copy is
    /// the staging folder's own (no link to the live folder): no new inode. A copy the live
    /// folder shares is never written: a reader of the live build keeps its bytes.
    func testAChangedFileIsWrittenOverAKeptCopyOnlyWhenTheLiveFolderDoesNotShareIt() throws {
        let writer = OutputWriter(outputRoot: root)
        _ = try writer.write([OutputFile(path: "site/a.html", text: "the first build's longer text")], folders: ["site"])
        let first = try inode("site/a.html")
        // Open like a reader of the live site; it also keeps the inode's number from being
        // given to a new file.
        let reader = try FileHandle(forReadingFrom: root.appendingPathComponent("site/a.html"))
        defer { try? reader.close() }
        XCTAssertEqual(try writer.write([OutputFile(path: "site/a.html", text: "second")], folders: ["site"]), .init(written: 1, unchanged: 0))
        XCTAssertNotEqual(try inode("site/a.html"), first, "the kept copy was the live file: a new one is made")
        XCTAssertEqual(String(decoding: try reader.readToEnd() ?? Data(), as: UTF8.self), "the first build's longer text",
                       "the file the live folder held is unchanged")
        XCTAssertEqual(try inode(".previous-site/a.html"), first)

        XCTAssertEqual(try writer.write([OutputFile(path: "site/a.html", text: "3")], folders: ["site"]), .init(written: 1, unchanged: 0))
        XCTAssertEqual(try inode("site/a.html"), first, "the first build's copy, no longer linked anywhere else, is written over")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("site/a.html"), encoding: .utf8), "3", "cut to its new length")
    }

    /// `reuse` stages the live file over the build before last: where that build's file is
    /// the same file it is kept, where it is an older file (changed since), a file of another
    /// kind or missing, the live one takes its place; a file changed by hand is not reused.
    func testReuseStagesTheLiveFileOverWhateverTheBuildBeforeLastLeft() throws {
        let writer = OutputWriter(outputRoot: root)
        var stamps: [String: BuildCache.OutputStamp] = [:]
        func build(_ files: [OutputFile], reusing: [String: String], expect: [String: Bool] = [:]) throws -> OutputWriter.Summary {
            let staging = try writer.begin(folders: ["site"], previous: stamps, outputs: [.site])
            for (path, key) in reusing.sorted(by: { $0.key < $1.key }) {
                XCTAssertEqual(staging.reuse(path, key: key), expect[path] ?? true, path)
            }
            try staging.write(files)
            let summary = try staging.commit()
            stamps = staging.stamps
            return summary
        }
        _ = try build([OutputFile(path: "site/a.html", text: "A", key: "a"), OutputFile(path: "site/sub/b.html", text: "B", key: "b"),
                       OutputFile(path: "site/sub/c.html", text: "C", key: "c")], reusing: [:])
        // b changes: the kept folder (the first build) now holds an older b.
        _ = try build([OutputFile(path: "site/sub/b.html", text: "B2", key: "b2")], reusing: ["site/a.html": "a", "site/sub/c.html": "c"])
        let b2 = try inode("site/sub/b.html")
        // Where the kept folder has nothing for c; a folder where a was is not a file to keep.
        try FileManager.default.removeItem(at: root.appendingPathComponent(".previous-site/sub/c.html"))
        try FileManager.default.removeItem(at: root.appendingPathComponent(".previous-site/a.html"))
        try FileManager.default.createDirectory(at: root.appendingPathComponent(".previous-site/a.html/x"), withIntermediateDirectories: true)
        var summary = try build([OutputFile(path: "site/a.html", text: "A", key: "a")],
                                reusing: ["site/a.html": "a", "site/sub/b.html": "b2", "site/sub/c.html": "c"], expect: ["site/a.html": false])
        XCTAssertEqual(summary, .init(written: 1, unchanged: 2))
        XCTAssertEqual(try inode("site/sub/b.html"), b2, "the live file, not the older one the kept folder had")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("site/sub/b.html"), encoding: .utf8), "B2")
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("site/sub/c.html"), encoding: .utf8), "C")
        // Once more, now staged over the second build, whose files are the live ones.
        let a = try inode("site/a.html")
        summary = try build([], reusing: ["site/a.html": "a", "site/sub/b.html": "b2", "site/sub/c.html": "c"])
        XCTAssertEqual(summary, .init(written: 0, unchanged: 3))
        XCTAssertEqual(try inode("site/a.html"), a)
        XCTAssertEqual(try inode("site/sub/b.html"), b2)
        XCTAssertEqual(DirectoryWalker.files(under: root.appendingPathComponent("site").path), ["a.html", "sub/b.html", "sub/c.html"])
        // A file edited by hand is made again, not reused.
        try Data("edited".utf8).write(to: root.appendingPathComponent("site/sub/c.html"))
        _ = try build([OutputFile(path: "site/sub/c.html", text: "C", key: "c")], reusing: ["site/sub/c.html": "c"],
                      expect: ["site/sub/c.html": false])
        XCTAssertEqual(try String(contentsOf: root.appendingPathComponent("site/sub/c.html"), encoding: .utf8), "C")
    }

    func testNeverReplacesAFolderItDidNotCreate() throws {
        let mine = root.appendingPathComponent("site/mine.txt")
        try FileManager.default.createDirectory(at: mine.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: mine)
        XCTAssertThrowsError(try OutputWriter(outputRoot: root).write([OutputFile(path: "site/a.html", text: "A")], folders: ["site"]))
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "keep")
    }

    func testCleanRemovesOnlyWhatItGenerated() throws {
        let writer = OutputWriter(outputRoot: root)
        _ = try writer.write([OutputFile(path: "anki/all.tsv", text: "x")], folders: ["anki"])
        try Data("placeholder".utf8).write(to: root.appendingPathComponent("README.md"))
        XCTAssertEqual(try writer.clean(), ["anki"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: root.path), ["README.md"])
    }

    /// A running `serve`'s claim on the folder stays through `clean`; once it ends, `clean`
    /// removes the file it leaves, and a new claim after that is a claim again.
    func testCleanLeavesTheClaimOfARunningServeOnly() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let writer = OutputWriter(outputRoot: fixture.options.outputRoot)
        let claim = fixture.options.outputRoot.appendingPathComponent(".syllabus-serve").path
        var serving: ServeLock? = try ServeLock(fixture.options)
        _ = try writer.clean()
        XCTAssertTrue(FileManager.default.fileExists(atPath: claim))
        XCTAssertThrowsError(try ServeLock(fixture.options)) { XCTAssertTrue($0 is ServeLock.Held, "\($0)") }
        withExtendedLifetime(serving) {}
        serving = nil
        _ = try writer.clean()
        XCTAssertFalse(FileManager.default.fileExists(atPath: claim))
        serving = try ServeLock(fixture.options)
        XCTAssertThrowsError(try ServeLock(fixture.options)) { XCTAssertTrue($0 is ServeLock.Held, "\($0)") }
    }
}
