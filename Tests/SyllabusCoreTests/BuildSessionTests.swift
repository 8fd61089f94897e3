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

    /// A build told to stop while it makes the book (as `serve` is by a new save) drops the book
    /// it was making and leaves the book and the sheets whole as they were; it does not save
    /// the build cache (the build of the new save does). Whatever builds next, this session or
    /// another process (after `serve` was killed, say), makes the same files as a fresh build.
    func testAnOutputAbandonedWhileItIsMadeIsLeftWholeAndTheNextBuildOfAnyProcessMakesIt() async throws {
        let session = BuildSession()
        _ = try await Pipeline(options: fixture.options).build(session: session)
        try await abandonTheBook(session, at: "Preparing ebook", saying: "twice the CPU")
        let next = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
        XCTAssertFalse(next.upToDate, "the book and the sheets are made")

        try await abandonTheBook(session, at: "Rendering ebook", saying: "three times the CPU")
        let other = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertFalse(other.upToDate, "the book and the sheets are made")
    }

    /// The book's layout, the step a save in `serve` waits for when it comes as the book is
    /// begun, stops at the chapter it is asked to, not after the whole book.
    func testTheBooksLayoutStopsAtTheChapterItIsAskedTo() throws {
        let (set, _) = fixture.analyze()
        var asked = 0
        XCTAssertEqual(EpubLayout(set) { asked += 1 }.chapters.count, asked, "asked once per chapter")
        XCTAssertGreaterThan(asked, 1)
        var laidOut = 0
        XCTAssertThrowsError(try EpubLayout(set) {
            laidOut += 1
            if laidOut == 2 { throw BuildAbandoned() }
        })
        XCTAssertEqual(laidOut, 2, "no chapter after the one it stopped at")
    }

    /// Edits a note and builds it through `session`, told to stop once the build is at `stage`.
    private func abandonTheBook(_ session: BuildSession, at stage: String, saying words: String, line: UInt = #line) async throws {
        let oldBook = try Data(contentsOf: book), oldSheet = try data("Output/cheatsheets/all.html")
        let cacheFile = fixture.root.appendingPathComponent("Output/\(BuildCache.fileName)").path
        let savedCache = try XCTUnwrap(FileStamp(cacheFile), line: line)
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore memory means \(words).\n")
        let makingTheBook = Locked(false)
        let report = try await Pipeline(options: fixture.options, progress: { if $0 == stage { makingTheBook.value = true } })
            .build(session: session, abandons: { makingTheBook.value })
        XCTAssertTrue(makingTheBook.value, "the book was being made", line: line)
        XCTAssertEqual(report.postponed, ["ebook", "cheatsheets"], line: line)
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains(words), line: line)
        XCTAssertEqual(try Data(contentsOf: book), oldBook, "the book is the last one made, whole", line: line)
        XCTAssertEqual(try data("Output/cheatsheets/all.html"), oldSheet, line: line)
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output").path)
            .contains { $0.hasPrefix(".staging-") }, "the staging of the book is gone", line: line)
        XCTAssertEqual(FileStamp(cacheFile), savedCache, "the cache on disk is the one saved before", line: line)
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

    /// A session that read the cache from disk keeps the records' search texts where the
    /// records file holds them (`StoredBytes`): after its builds append to that file and then
    /// write it anew under the same name, each build still makes what a build from scratch
    /// makes, search index included.
    func testASessionKeepsTheRecordsItReadWhileTheirFileIsWrittenAnew() async throws {
        // Files last changed over a second before a build are trusted by their stamp after it.
        try await Task.sleep(nanoseconds: 1_200_000_000)
        _ = try await fixture.build()
        let records = fixture.root.appendingPathComponent("Output/\(RecordStore.fileName)").path
        let first = try XCTUnwrap(FileStamp(records))
        let session = BuildSession()
        var rewritten = false
        for round in 1...12 where !rewritten {
            try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\n" + String(repeating: "More memory, more CPU, round \(round). ", count: 40) + "\n")
            let report = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
            XCTAssertEqual(report.notesRead, 1, "round \(round)")
            rewritten = FileStamp(records)?.inode != first.inode
        }
        XCTAssertTrue(rewritten, "the records file was written anew")
        // The texts of the notes not edited, still those read at the start, go into the index again.
        try fixture.write("Content/s3/overview.md", IncrementalBuildTests.files["s3/overview.md"]! + "\nMore classes.\n")
        _ = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
    }

    /// A session reads the records into memory rather than mapping them: a tool that writes
    /// over the records file in place (`cp`, a restore of `Output/`) while `serve` runs cuts
    /// the file short, and a mapping's pages past the new end would end the process when the
    /// search index next reads a kept note's text.
    func testASessionOutlivesItsRecordsFileCutShortInPlace() async throws {
        // Files last changed over a second before a build are trusted by their stamp after it.
        try await Task.sleep(nanoseconds: 1_200_000_000)
        _ = try await fixture.build()
        let session = BuildSession()
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore memory, more CPU.\n")
        _ = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
        let records = try XCTUnwrap(FileHandle(forWritingAtPath: fixture.root.appendingPathComponent("Output/\(RecordStore.fileName)").path))
        try records.truncate(atOffset: 0)
        try records.close()
        try fixture.write("Content/s3/overview.md", IncrementalBuildTests.files["s3/overview.md"]! + "\nMore classes.\n")
        _ = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session)
    }

    /// Each build of a session over many edits makes what a build from scratch makes. An edit
    /// that changes nothing other notes read (prose, a link, a card's answer) takes the set the
    /// session kept with the note put in; one that does (a title, an index term, a mention, a
    /// heading, a note added or deleted) goes over every note again, and the next prose edit
    /// takes the set that build kept.
    func testEachBuildOfASessionOverManyEditsIsAFreshBuild() async throws {
        let session = BuildSession()
        _ = try await Pipeline(options: fixture.options).build(session: session)
        func edit(_ path: String, _ text: String?, keepsSet: Bool, line: UInt = #line) async throws {
            try fixture.write("Content/" + path, orRemove: text)
            let report = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture, session: session, line: line)
            XCTAssertEqual(report.keptSetReused, keepsSet, "kept set taken", line: line)
        }
        let tuning = "---\ntitle: Tuning\n---\n# Tuning Lambda\n\n"
        try await edit("lambda/tuning.md", tuning + "More **memory** means more CPU, and cost.\n", keepsSet: true)
        // A new link: where it goes is decided for this note alone.
        try await edit("lambda/tuning.md", tuning + "More **memory** means more CPU; see [classes](../s3/overview.md#classes).\n", keepsSet: true)
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains("href=\"../s3/overview.html#classes\""))
        // A card's answer: the decks change, the cards' list does not.
        try await edit("lambda.cards.md", IncrementalBuildTests.files["lambda.cards.md"]!.replacingOccurrences(of: "15 minutes.", with: "Fifteen minutes."),
                       keepsSet: true)
        try await edit("lambda/tuning.md", tuning + "More **memory** and **CPU**.\n", keepsSet: false)
        try await edit("lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory** and **CPU**.\n", keepsSet: false)
        try await edit("lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory** and **CPU**, in Amazon S3.\n", keepsSet: false)
        try await edit("lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory** and **CPU**, in Amazon S3 too.\n", keepsSet: true)
        // A renamed heading that a kept note links to: its link now warns.
        try await edit("s3/overview.md", "# S3\n\n## Storage classes\n\nStandard, **Glacier**.\n", keepsSet: false)
        try await edit("s3/overview.md", "# S3\n\n## Storage classes\n\nStandard, **Glacier**, Deep Archive.\n", keepsSet: true)
        try await edit("lambda/layers.md", "# Layers\n\nShared code for functions.\n", keepsSet: false)
        try await edit("lambda/layers.md", "# Layers\n\nShared code for many functions.\n", keepsSet: true)
        try await edit("lambda/tuning.md", nil, keepsSet: false)
        try await edit("lambda/layers.md", "# Layers\n\nShared code and runtimes for many functions.\n", keepsSet: true)
    }
}
