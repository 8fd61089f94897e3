import XCTest
@testable import SyllabusCore

/// `serve`'s builds (`BuildSession`): the site and decks go live first, the other outputs after,
/// each swapped in whole; the cache stays in memory between builds; the files are those of a
/// build from scratch.
final class BuildSessionTests: XCTestCase {
    private var fixture: Fixture!

    override func setUp() async throws {
        fixture = try Fixture(IncrementalBuildTests.files, config: IncrementalBuildTests.allOutputs)
    }

    override func tearDown() {
        if let fixture { try? FileManager.default.removeItem(at: fixture.root) }
    }

    private var book: URL { fixture.root.appendingPathComponent("Output/ebook/test.epub") }

    private func data(_ path: String) throws -> Data { try Data(contentsOf: fixture.root.appendingPathComponent(path)) }

    func testThePagesAreLiveBeforeTheBookAndSheetsAreBuiltAndEachIsSwappedInWhole() async throws {
        let session = BuildSession()
        _ = try await Pipeline(options: fixture.options).build(session: session)
        let oldBook = try Data(contentsOf: book), oldSheet = try data("Output/cheatsheets/all.html")
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore memory means fifteen times the CPU.\n")
        var calls = 0
        let report = try await Pipeline(options: fixture.options).build(session: session) { shown in
            calls += 1
            XCTAssertFalse(shown.failed)
            // The site is the new build's...
            XCTAssertTrue((try? self.fixture.read("Output/site/lambda/tuning.html"))?.contains("fifteen times") == true)
            // ...while the book and the sheets are still the last build's, complete.
            XCTAssertEqual(try? Data(contentsOf: self.book), oldBook)
            XCTAssertEqual(try? self.data("Output/cheatsheets/all.html"), oldSheet)
            return true
        }
        XCTAssertEqual(calls, 1)
        XCTAssertEqual(report.postponed, [])
        XCTAssertNotEqual(try Data(contentsOf: book), oldBook, "the book was built after")
        // Recorded as up to date only now that every output is made from the same input.
        let again = try await Pipeline(options: fixture.options).build(session: session)
        XCTAssertTrue(again.upToDate)
        _ = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
    }

    func testOutputsLeftForLaterKeepTheirLastFilesAndTheNextBuildMakesThem() async throws {
        let session = BuildSession()
        _ = try await Pipeline(options: fixture.options).build(session: session)
        let oldBook = try Data(contentsOf: book)
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore memory means fifteen times the CPU.\n")
        let report = try await Pipeline(options: fixture.options).build(session: session) { _ in false }
        XCTAssertEqual(report.postponed, ["ebook", "cheatsheets"])
        XCTAssertEqual(try Data(contentsOf: book), oldBook, "the book is left as it was")
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains("fifteen times"))
        // Not up to date: the next build (this session's, or another process's) makes the rest.
        let next = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
        XCTAssertFalse(next.upToDate)
        XCTAssertNotEqual(try Data(contentsOf: book), oldBook)

        // The same when a build without the session (another process) comes next.
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore memory means more CPU, and cost.\n")
        _ = try await Pipeline(options: fixture.options).build(session: session) { _ in false }
        let other = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertFalse(other.upToDate)
    }

    func testTheCacheStaysInMemoryUntilAnotherBuildReplacesItsFile() async throws {
        let session = BuildSession()
        // Files last changed over a second before a build are trusted by their stamp after it.
        try await Task.sleep(nanoseconds: 1_200_000_000)
        _ = try await Pipeline(options: fixture.options).build(session: session)
        // The records on disk are gone, but the session does not read them: one note is read.
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Output/\(RecordStore.fileName)"))
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore memory.\n")
        let kept = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
        XCTAssertEqual(kept.notesRead, 1)

        // Another process builds an edit of S3's note; the session then reads the cache it saved,
        // so only the note edited since is read (with its own stale copy, S3's would be too).
        try fixture.write("Content/s3/overview.md", "# S3\n\n## Classes\n\nStandard, Infrequent Access.\n")
        try await Task.sleep(nanoseconds: 1_200_000_000)
        _ = try await fixture.build()
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore memory, more CPU.\n")
        let reread = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
        XCTAssertEqual(reread.notesRead, 1)
    }
}
