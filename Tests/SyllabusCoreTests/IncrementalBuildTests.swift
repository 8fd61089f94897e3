import XCTest
@testable import SyllabusCore

/// A rebuild reuses cached pages and outputs; after every kind of edit its output must be
/// byte-for-byte what a build from scratch makes, and it must redo only what the edit touched.
final class IncrementalBuildTests: XCTestCase {
    static let files = [
        "lambda/overview.md": """
            # Lambda

            ## Limits

            Functions run for up to 15 minutes. They often read from Amazon S3.

            See [the storage note](../s3/overview.md#classes) and a [diagram](diagram.png).
            """,
        "lambda/tuning.md": "---\ntitle: Tuning\n---\n# Tuning Lambda\n\nMore **memory** means more CPU.\n",
        "s3/overview.md": "# S3\n\n## Classes\n\nStandard, **Glacier**.\n",
        "lambda.cards.md": "# Lambda cards\n\n## What is the maximum timeout?\n\n15 minutes.\n\n## Default memory?\n\n128 MB.\n",
        "s3.cards.md": "# S3 cards\n\n## The {{c1::Glacier}} classes archive data\n",
    ]
    static let allOutputs = "title: Test\ndeck: Test\noutputs: [site, anki, epub, cheatsheets]\n"

    /// Builds `fixture` again (incrementally; through `session`, as `serve` does, when one is
    /// given) and a copy of its input from scratch, and compares every generated file.
    @discardableResult
    static func assertRebuildMatchesFreshBuild(_ fixture: Fixture, session: BuildSession? = nil, file: StaticString = #filePath,
                                               line: UInt = #line) async throws -> BuildReport {
        let report = try await Pipeline(options: fixture.options).build(session: session)
        XCTAssertFalse(report.failed, "\(report.diagnostics)", file: file, line: line)
        let fresh = Fixture(root: FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-fresh-\(UUID().uuidString)"))
        for folder in ["Content", "syllabus.yml"] {
            try FileManager.default.copyItem(at: fixture.root.appendingPathComponent(folder), to: fresh.root.appendingPathComponent(folder))
        }
        // The Anki notes' modification times are history, not content (see `AnkiHistory`): the
        // build from scratch starts from the history the rebuild kept, as a fresh clone with
        // a kept output folder would. A set that never had a card has none.
        let history = "Output/" + ".syllabus-state-\(AnkiHistory.stateName)"
        try FileManager.default.createDirectory(at: fresh.root.appendingPathComponent("Output"), withIntermediateDirectories: true)
        if FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent(history).path) {
            try FileManager.default.copyItem(at: fixture.root.appendingPathComponent(history), to: fresh.root.appendingPathComponent(history))
        }
        var options = fresh.options
        options.templatesRoot = fixture.options.templatesRoot
        let freshReport = try await Pipeline(options: options).build()
        XCTAssertEqual(report.diagnostics, freshReport.diagnostics.map { diagnostic in
            var moved = diagnostic
            moved.location.path = diagnostic.location.path.replacingOccurrences(of: fresh.root.path, with: fixture.root.path)
            return moved
        }, file: file, line: line)
        let incremental = fixture.root.appendingPathComponent("Output")
        let scratch = fresh.root.appendingPathComponent("Output")
        let paths = DirectoryWalker.files(under: incremental.path, includeHidden: false)
        XCTAssertEqual(paths, DirectoryWalker.files(under: scratch.path, includeHidden: false), file: file, line: line)
        for path in paths {
            let ours = try Data(contentsOf: incremental.appendingPathComponent(path))
            let theirs = try Data(contentsOf: scratch.appendingPathComponent(path))
            XCTAssertTrue(ours == theirs, "\(path) differs from a build from scratch", file: file, line: line)
        }
        return report
    }

    /// Every key includes the shared libraries whose output a rebuild keeps (cmark-gfm's HTML,
    /// libdeflate's bytes), so that upgrading one makes the next build a fresh one, as the
    /// executable itself does.
    func testTheToolKeyNamesTheLibrariesWhoseOutputIsKept() throws {
        #if os(Linux)
        let tool = BuildFingerprint.tool
        XCTAssertTrue(tool.contains("/libdeflate.so"), tool)
        XCTAssertTrue(tool.contains("/libcmark-gfm.so"), tool)
        XCTAssertTrue(tool.contains("/libcmark-gfm-extensions.so"), tool)
        #endif
    }

    /// `build` saves the build cache while it swaps the new folders in, so a build killed in
    /// between leaves a cache naming files that never went live. The next build finds the live
    /// files with other stamps than the cache's and must make what a build from scratch makes.
    func testACacheSavedWhoseFoldersNeverWentLiveRebuildsLikeAFreshBuild() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let first = try await Pipeline(options: fixture.options).build()
        XCTAssertEqual(first.filesFound, Self.files.filter { $0.key.hasSuffix(".md") }.count)
        XCTAssertEqual(first.changedFiles, "", "a build that read every file is no rebuild")
        // A file changed in the second before the last build started is read again anyway (its
        // stamp may not tell a later change), so the edit below reads all: the line, as it reads.
        var rebuild = first
        rebuild.notesRead = 2
        XCTAssertEqual(rebuild.changedFiles, " (2 files changed)", "the summary line says what a rebuild read")
        let manager = FileManager.default
        let output = fixture.root.appendingPathComponent("Output"), before = fixture.root.appendingPathComponent("before")
        let folders = ["site", "anki", "ebook", "cheatsheets"]
        // The first build's folders, as hard links (the files keep their stamps), and its states.
        for folder in folders {
            for path in DirectoryWalker.files(under: output.appendingPathComponent(folder).path) {
                let copy = before.appendingPathComponent(folder).appendingPathComponent(path)
                try manager.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
                try manager.linkItem(at: output.appendingPathComponent(folder).appendingPathComponent(path), to: copy)
            }
        }
        let states = try manager.contentsOfDirectory(atPath: output.path).filter { $0.hasPrefix(".syllabus-state-") }
        for name in states { try manager.copyItem(at: output.appendingPathComponent(name), to: before.appendingPathComponent(name)) }
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\n## Limits\n\nFunctions run for up to 15 minutes, edited.\n")
        try fixture.write("Content/s3.cards.md", "# S3 cards\n\n## The {{c1::Standard}} class is the default\n")
        let edit = try await Pipeline(options: fixture.options).build()
        XCTAssertFalse(edit.failed, "\(edit.diagnostics)")
        // As if the process had been killed after saving its cache, before the swap: the first
        // build's folders and states are live, and no fingerprint says the build is done.
        for folder in folders {
            try manager.removeItem(at: output.appendingPathComponent(folder))
            try manager.moveItem(at: before.appendingPathComponent(folder), to: output.appendingPathComponent(folder))
        }
        for name in states {
            try manager.removeItem(at: output.appendingPathComponent(name))
            try manager.moveItem(at: before.appendingPathComponent(name), to: output.appendingPathComponent(name))
        }
        try manager.removeItem(at: output.appendingPathComponent(BuildFingerprint.fileName))
        let page = try String(contentsOf: output.appendingPathComponent("site/lambda/overview.html"), encoding: .utf8)
        XCTAssertFalse(page.contains("edited"), "the first build's page is live")
        let report = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertGreaterThan(report.written?.written ?? 0, 0, "the edit's files are made again")
    }

    func testEveryKindOfEditRebuildsLikeAFreshBuild() async throws {
        try await everyKindOfEdit(session: nil)
    }

    /// `serve`'s builds: the cache kept in memory between builds, the site and decks swapped
    /// in before the other outputs are built.
    func testEveryKindOfEditRebuildsLikeAFreshBuildWithTheCacheKeptInMemory() async throws {
        try await everyKindOfEdit(session: BuildSession())
    }

    private func everyKindOfEdit(session: BuildSession?) async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        _ = try await Pipeline(options: fixture.options).build(session: session)
        func assertRebuildMatchesFreshBuild(_ fixture: Fixture, line: UInt = #line) async throws -> BuildReport {
            try await Self.assertRebuildMatchesFreshBuild(fixture, session: session, line: line)
        }

        // Prose only: the note's page, the book (one file) and the search index (its word
        // list, postings and texts) are all that change.
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Tuning\n---\n# Tuning Lambda\n\nMore **memory** means more CPU, and cost.\n")
        var report = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(report.written?.written, 5, "the note's page, the EPUB and the search index's three files")

        // A new title shows on the service page, the search index and the term index.
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory** means more CPU.\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)

        // A new mention of S3 changes S3's "Mentioned in" and related services.
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nResults go to Amazon S3.\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)

        // A card added to a deck: decks, practice pages, cheat sheets, service page.
        try fixture.write("Content/lambda.cards.md", Self.files["lambda.cards.md"]! + "\n## Max deployment package?\n\n250 MB unzipped.\n")
        report = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(report.cards, 4)

        // A renamed heading moves the anchor another (unchanged, cached) note links to: a warning.
        try fixture.write("Content/s3/overview.md", "# S3\n\n## Storage classes\n\nStandard, **Glacier**.\n")
        let warned = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(warned.diagnostics.contains { $0.location.path.hasSuffix("lambda/overview.md") && $0.message.contains("no heading or anchor with id 'classes'") },
                      "\(warned.diagnostics)")
        // The warning of a note whose links the cache keeps is reported again.
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nResults go to Amazon S3, quickly.\n")
        let again = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(again.diagnostics.contains { $0.message.contains("no heading or anchor with id 'classes'") }, "\(again.diagnostics)")
        try fixture.write("Content/lambda/overview.md", Self.files["lambda/overview.md"]!.replacingOccurrences(of: "#classes", with: "#storage-classes"))
        report = try await assertRebuildMatchesFreshBuild(fixture)
        // The cached note's warning (a link to a picture) is reported by every build.
        XCTAssertTrue(report.diagnostics.contains { $0.severity == .warning && $0.message.contains("diagram.png") })

        // A new slug moves a note: the cached note that links to it must point at its new path.
        try fixture.write("Content/s3/overview.md", "---\nslug: storage\n---\n# S3\n\n## Storage classes\n\nStandard, **Glacier**.\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/site/lambda/overview.html").contains("href=\"../s3/storage.html#storage-classes\""))

        // A landing text with an outline orders the service's notes; a new anchor is a target.
        try fixture.write("Content/lambda/index.md", "# Lambda guide\n\n- [Tuning](tuning.md)\n  - [Overview](overview.md)\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)
        try fixture.write("Content/lambda/index.md", "# Lambda guide<a name=\"guide\"></a>\n\n- [Overview](overview.md)\n- [Tuning](tuning.md)\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nSee [the guide](index.md#guide).\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains("href=\"../lambda/index.html#guide\""))

        // Two notes share a title: the term index tells them apart by their parents in the
        // landing text's outline, so nesting one under another note renames its links there.
        try fixture.write("Content/lambda/advanced.md", "# Advanced\n\nMore.\n")
        try fixture.write("Content/lambda/more-tuning.md", "# Tuning Lambda\n\nMore **memory**.\n")
        try fixture.write("Content/lambda/index.md", "# Lambda guide\n\n- [Overview](overview.md)\n  - [Tuning](tuning.md)\n- [Advanced](advanced.md)\n- [More](more-tuning.md)\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)
        try fixture.write("Content/lambda/index.md", "# Lambda guide\n\n- [Overview](overview.md)\n  - [Tuning](tuning.md)\n- [Advanced](advanced.md)\n  - [More](more-tuning.md)\n")
        _ = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/site/terms/index.html").contains(">Tuning Lambda (Advanced)</a>"))

        // The catalog changes what every note links and counts.
        try fixture.write("Content/services.yml", Fixture.twoServices.replacingOccurrences(of: "[Lambda function]", with: "[Lambda function, Functions]"))
        _ = try await assertRebuildMatchesFreshBuild(fixture)

        // The file a cached note links to appears, changes and goes, with no note edited.
        try fixture.write("Content/lambda/diagram.png", Data([0x89, 0x50, 0x4E, 0x47, 1]))
        report = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertFalse(report.diagnostics.contains { $0.message.contains("diagram.png") })
        XCTAssertTrue(try fixture.read("Output/site/lambda/overview.html").contains("<a href=\"../lambda/diagram.png\">diagram</a>"))
        try fixture.write("Content/lambda/diagram.png", Data([0x89, 0x50, 0x4E, 0x47, 2]))
        report = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(report.written?.written, 1, "the copy of the file alone: \(String(describing: report.written))")
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/lambda/diagram.png"))
        report = try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(report.diagnostics.contains { $0.message.contains("no such file (lambda/diagram.png)") })
    }

    /// A chapter's review file is made again while its notes' files are kept from the previous
    /// book (new sources in one note: the chapter's sources end its review file): it renders
    /// its own cards, which no kept file asked for. Then a card edit remakes it with the answers.
    func testAReviewFileMadeAgainBesideKeptNotesRendersItsCards() async throws {
        var files = Self.files
        files["lambda/lambda.cards.md"] = files.removeValue(forKey: "lambda.cards.md")
        let fixture = try Fixture(files, config: Self.allOutputs)
        _ = try await fixture.build()
        let source = "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html"
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Tuning\nsources: \(source)\nchecked: 2026-11-30\n---\n# Tuning Lambda\n\nMore **memory** means more CPU.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        var review = try Self.bookFile("service-lambda--review.xhtml", in: fixture)
        XCTAssertTrue(review.contains(source), review)
        XCTAssertTrue(review.contains("<p>What is the maximum timeout? <a class=\"to-answer\""), review)

        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Tuning\nsources: \(source)\nchecked: 2026-11-30\n---\n# Tuning Lambda\n\nMore **memory** means more CPU, and cost.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        try fixture.write("Content/lambda/lambda.cards.md", Self.files["lambda.cards.md"]!.replacingOccurrences(of: "Default memory?", with: "Default memory of a function?"))
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        review = try Self.bookFile("service-lambda--review.xhtml", in: fixture)
        XCTAssertTrue(review.contains("<p>Default memory of a function? "), review)
    }

    /// A rebuild takes the keys of the book's unchanged files from what the last book was made
    /// from (`EpubState`, kept beside the output). A prose edit leaves the book's structure;
    /// a state that does not describe the live book is not used, even when a note's render
    /// key is the one it holds (here the state of a book with an edit that the live book, made
    /// after the edit was undone, does not show; the edit made again must show).
    func testTheBooksKeptStateIsUsedOnlyForTheBookItDescribes() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        _ = try await fixture.build()
        let first = try Self.bookState(in: fixture)
        XCTAssertEqual(first.renderKeys.count, Self.files.count, "every note's render key")

        let original = Self.files["lambda/tuning.md"]!
        let edited = original.replacingOccurrences(of: "more CPU.", with: "more CPU, and cost.")
        try fixture.write("Content/lambda/tuning.md", edited)
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        let afterEdit = try Self.bookState(in: fixture)
        XCTAssertNotEqual(afterEdit.bookKey, first.bookKey)
        XCTAssertEqual(afterEdit.structure, first.structure, "prose alone leaves the structure")
        func tuning(_ state: EpubState) -> String? { state.renderKeys.first { $0.id == "lambda/tuning.md" }?.key }
        XCTAssertNotNil(tuning(first))
        XCTAssertNotEqual(tuning(afterEdit), tuning(first))

        try fixture.write("Content/lambda/tuning.md", original)
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        try fixture.write(Self.bookStateFile, afterEdit.data)
        try fixture.write("Content/lambda/tuning.md", edited)
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try Self.bookFile("service-lambda--note-tuning.xhtml", in: fixture).contains("and cost."))

        try fixture.write(Self.bookStateFile, "not a state")
        try fixture.write("Content/lambda/tuning.md", original)
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(try Self.bookState(in: fixture).renderKeys, first.renderKeys, "written again for the new book")
    }

    /// The layout's chapter keys (`EpubLayout.chaptersKey`) read only set facts: a rebuild
    /// whose notes keep theirs (a prose edit) takes them from the state instead of hashing
    /// every chapter, and a rebuild of other set facts (a new heading) makes them again, even
    /// when the state holds other keys under another name.
    func testTheBooksChapterKeysAreTakenOnlyForTheSameSetFacts() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        _ = try await fixture.build()
        let first = try Self.bookState(in: fixture)
        XCTAssertFalse(first.setFacts.isEmpty)

        let original = Self.files["lambda/tuning.md"]!
        try fixture.write("Content/lambda/tuning.md", original.replacingOccurrences(of: "more CPU.", with: "more CPU, and cost."))
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        var planted = try Self.bookState(in: fixture)
        XCTAssertEqual(planted.setFacts, first.setFacts, "prose alone keeps the set facts")
        XCTAssertEqual(planted.chapters, first.chapters)

        // Kept under the set facts' name, a key is taken as it is.
        planted.chapters = "planted"
        try fixture.write(Self.bookStateFile, planted.data)
        try fixture.write("Content/lambda/tuning.md", original.replacingOccurrences(of: "more CPU.", with: "more CPU, and time."))
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(try Self.bookState(in: fixture).chapters, "planted")

        try fixture.write("Content/lambda/tuning.md", original + "\n## Cost\n\nBy the millisecond.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        let afterHeading = try Self.bookState(in: fixture)
        XCTAssertNotEqual(afterHeading.setFacts, first.setFacts, "a new heading is a new set fact")
        XCTAssertNotEqual(afterHeading.chapters, "planted")
        XCTAssertNotEqual(afterHeading.chapters, first.chapters, "the chapter lists the new heading")
        XCTAssertTrue(try Self.bookFile("service-lambda--note-tuning.xhtml", in: fixture).contains("By the millisecond."))
    }

    /// The book's contents list every note's `##` headings: kept when a prose edit keeps the
    /// set facts, made again when a heading's text changes though its id (and so where links
    /// go, and the book's structure) stays.
    func testTheBooksContentsAreMadeAgainWhenAHeadingsTextChanges() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        let original = Self.files["lambda/tuning.md"]!
        try fixture.write("Content/lambda/tuning.md", original + "\n## Cost {#cost}\n\nBy the millisecond.\n")
        _ = try await fixture.build()
        XCTAssertTrue(try Self.bookFile(EpubLayout.navFile, in: fixture).contains(">Cost</a>"))

        try fixture.write("Content/lambda/tuning.md", original + "\n## Cost {#cost}\n\nBy the millisecond, rounded up.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        let kept = try Self.bookState(in: fixture)

        try fixture.write("Content/lambda/tuning.md", original + "\n## Price {#cost}\n\nBy the millisecond, rounded up.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(try Self.bookState(in: fixture).structure, kept.structure, "the same ids, titles and layout")
        XCTAssertNotEqual(try Self.bookState(in: fixture).setFacts, kept.setFacts)
        let nav = try Self.bookFile(EpubLayout.navFile, in: fixture)
        XCTAssertTrue(nav.contains(">Price</a>") && !nav.contains(">Cost</a>"), nav)
    }

    /// Where a build keeps what the book was made from (`EpubState`), in the fixture.
    static let bookStateFile = "Output/.syllabus-state-\(EpubState.name)"

    /// The fixture's `EpubState`, as the last build left it.
    static func bookState(in fixture: Fixture) throws -> EpubState {
        try XCTUnwrap(EpubState(data: try Data(contentsOf: fixture.root.appendingPathComponent(bookStateFile))))
    }

    /// A content file of the fixture's book, as text.
    static func bookFile(_ path: String, in fixture: Fixture) throws -> String {
        let book = try Data(contentsOf: fixture.root.appendingPathComponent("Output/ebook/test.epub"))
        let entries = try XCTUnwrap(ZipEntry.entries(of: book))
        let entry = try XCTUnwrap(entries["OEBPS/" + path], "\(path) is not among \(entries.keys.sorted())")
        return String(decoding: try XCTUnwrap(entry.data()), as: UTF8.self)
    }

    func testAnOutputTakenOutOfTheConfigurationGoesAsInAFreshBuild() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        _ = try await fixture.build()
        try fixture.write("syllabus.yml", "title: Test\ndeck: Test\noutputs: [site, epub]\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        let output = fixture.root.appendingPathComponent("Output")
        for gone in ["anki", "cheatsheets", ".previous-anki", ".previous-cheatsheets"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent(gone).path), gone)
        }
        XCTAssertEqual(OutputWriter(outputRoot: output).ownedFolders(), ["site", "ebook"])
    }

    func testNotesKnownByTheirStampAreNotReadAgain() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        // Files last changed over a second before a build are trusted by their stamp after it.
        try await Task.sleep(nanoseconds: 1_200_000_000)
        let first = try await fixture.build()
        XCTAssertEqual(first.notesRead, Self.files.count)
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nChanged.\n")
        // The notes the outputs made again show are read and parsed again, before rendering.
        let report = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(report.notesRead, 1)
    }

    func testARebuildParsesOnlyTheCachedNotesWhoseOutputsAreMadeAgain() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        _ = try await fixture.build()
        // A prose edit remakes the note's page and its book file, from its new tree: no note
        // made from the cache is parsed.
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Tuning\n---\n# Tuning Lambda\n\nMore **memory**, more CPU.\n")
        let prose = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(prose.notesReparsed, 0)
        // A changed card remakes the decks, which hold every card: the other card file is parsed.
        try fixture.write("Content/lambda.cards.md", "# Lambda cards\n\n## What is the maximum timeout?\n\n900 seconds.\n\n## Default memory?\n\n128 MB.\n")
        let card = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(card.notesReparsed, 1)
        // A new title remakes the page of the note beside it (its "next" link) and the service
        // page, which shows the service's cards: that note and both card files.
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory**, more CPU.\n")
        let title = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(title.notesReparsed, 3)
    }

    /// Builds of separate processes (no session): an edit that changes nothing other notes read
    /// (prose, a link, a card's answer) takes the analysis the cache kept of the last build
    /// (`SetAnalysis`: service graph, checks, keys); one that does (a title, a mention, a
    /// heading, a card's question, a note added or deleted) goes over every note, and the
    /// output is a fresh build's after each.
    func testEachCommandLineBuildTakesTheCachedAnalysisOnlyWhenTheSetFactsAreUnchanged() async throws {
        let fixture = try Fixture(Self.files, config: Self.allOutputs)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        func edit(_ path: String, _ text: String?, takesAnalysis: Bool, line: UInt = #line) async throws {
            try fixture.write("Content/" + path, orRemove: text)
            let report = try await Self.assertRebuildMatchesFreshBuild(fixture, line: line)
            XCTAssertEqual(report.cachedAnalysisReused, takesAnalysis, "cached analysis taken", line: line)
            XCTAssertFalse(report.keptSetReused, line: line)
        }
        let tuning = "---\ntitle: Tuning\n---\n# Tuning Lambda\n\n"
        try await edit("lambda/tuning.md", tuning + "More **memory** means more CPU, and cost.\n", takesAnalysis: true)
        try await edit("lambda/tuning.md", tuning + "More **memory** means more CPU; see [classes](../s3/overview.md#classes).\n", takesAnalysis: true)
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains("href=\"../s3/overview.html#classes\""))
        // A card's answer shows on its service's page (General: the card file is in no service's
        // folder) and the practice page, whose kept keys (`SiteKeys.Kept`) are not taken.
        try await edit("lambda.cards.md", Self.files["lambda.cards.md"]!.replacingOccurrences(of: "15 minutes.", with: "Fifteen minutes."),
                       takesAnalysis: true)
        for page in ["general/index.html", "practice/index.html"] {
            XCTAssertTrue(try fixture.read("Output/site/" + page).contains("Fifteen minutes."), page)
        }
        // A landing text's prose shows on its service's page.
        try await edit("lambda/index.md", "# Lambda guide\n\nStart with the overview.\n", takesAnalysis: false)
        try await edit("lambda/index.md", "# Lambda guide\n\nStart with the limits.\n", takesAnalysis: true)
        XCTAssertTrue(try fixture.read("Output/site/lambda/index.html").contains("Start with the limits."))
        // A card's question is a set fact: the checks across all cards run again.
        try await edit("lambda.cards.md", Self.files["lambda.cards.md"]!.replacingOccurrences(of: "Default memory?", with: "Default memory size?"),
                       takesAnalysis: false)
        try await edit("lambda/tuning.md", tuning + "More **memory** and **CPU**.\n", takesAnalysis: false)
        // A new title reaches the service page, the neighbours' pages and the term index.
        try await edit("lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory** and **CPU**.\n", takesAnalysis: false)
        XCTAssertTrue(try fixture.read("Output/site/lambda/index.html").contains("Memory tuning"))
        // A new mention of S3 changes S3's "Mentioned in" and the related services.
        try await edit("lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory** and **CPU**, in Amazon S3.\n", takesAnalysis: false)
        XCTAssertTrue(try fixture.read("Output/site/s3/index.html").contains("Memory tuning"))
        try await edit("lambda/tuning.md", "---\ntitle: Memory tuning\n---\n# Tuning Lambda\n\nMore **memory** and **CPU**, in Amazon S3 too.\n", takesAnalysis: true)
        // A renamed heading that a cached note links to: its link now warns.
        try await edit("s3/overview.md", "# S3\n\n## Storage classes\n\nStandard, **Glacier**.\n", takesAnalysis: false)
        try await edit("s3/overview.md", "# S3\n\n## Storage classes\n\nStandard, **Glacier**, Deep Archive.\n", takesAnalysis: true)
        try await edit("lambda/layers.md", "# Layers\n\nShared code for functions.\n", takesAnalysis: false)
        try await edit("lambda/layers.md", "# Layers\n\nShared code for many functions.\n", takesAnalysis: true)
        try await edit("lambda/tuning.md", nil, takesAnalysis: false)
        try await edit("lambda/layers.md", "# Layers\n\nShared code and runtimes for many functions.\n", takesAnalysis: true)
        // Another service for a note (front matter): its old and new services' pages change.
        try await edit("lambda/layers.md", "---\nservices: [s3]\n---\n# Layers\n\nShared code and runtimes for many functions.\n",
                       takesAnalysis: false)
        XCTAssertTrue(try fixture.read("Output/site/s3/index.html").contains("Layers"))
    }

    /// The home page is keyed by everything it shows: a prose edit keeps the last build's
    /// (its key, in the build cache, is the same), a new note shows in its counts, and a
    /// misspelt variable of its template is reported by every build, kept page or not.
    func testTheHomePageIsKeptWhileWhatItShowsIsTheSame() async throws {
        var fixture = try Fixture(Self.files)
        let theme = fixture.root.appendingPathComponent("Theme")
        try FileManager.default.copyItem(at: fixture.templatesRoot, to: theme)
        let home = theme.appendingPathComponent("home.mustache")
        try (try String(contentsOf: home, encoding: .utf8) + "{{stast}}\n").write(to: home, atomically: true, encoding: .utf8)
        fixture.templatesRoot = theme
        func homeKey() throws -> String? {
            let output = fixture.root.appendingPathComponent("Output")
            var reader = ByteReader([UInt8](try Data(contentsOf: output.appendingPathComponent(BuildCache.fileName)))[...])
            _ = try reader.string()
            return BuildCache.load(from: output, environmentKey: try reader.string()).outputs["site/index.html"]?.key
        }
        func warnsOfTheMisspelling(_ report: BuildReport) -> Bool { report.diagnostics.contains { $0.message.contains("'stast'") } }
        let first = try await fixture.build()
        XCTAssertTrue(warnsOfTheMisspelling(first))
        let key = try XCTUnwrap(try homeKey(), "the home page has a key")

        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Tuning\n---\n# Tuning Lambda\n\nMore **memory** means more CPU, and cost.\n")
        let prose = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(warnsOfTheMisspelling(prose), "checked though kept")
        XCTAssertEqual(try homeKey(), key, "kept")

        try fixture.write("Content/lambda/cold-starts.md", "# Cold starts\n\nThe first call of a new environment waits.\n")
        let added = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(warnsOfTheMisspelling(added))
        XCTAssertNotEqual(try homeKey(), key, "a new note changes the counts it shows")
    }

    func testNoteEditRewritesOnlyItsPageAndReusesTheRest() async throws {
        let fixture = try Fixture(Self.files)
        let first = try await fixture.build()
        try fixture.write("Content/s3/overview.md", "# S3\n\n## Classes\n\nStandard, **Glacier**. Also Intelligent-Tiering.\n")
        let report = try await Self.assertRebuildMatchesFreshBuild(fixture)
        // The page, and the search index's word list, postings and texts.
        XCTAssertEqual(report.written?.written, 4)
        XCTAssertEqual(report.written?.unchanged, (first.written?.written ?? 0) - 4)
    }

    /// A prose edit of one note in a set of many makes few files: the outputs render side by
    /// side (`Pipeline.makesFewFiles`), a full build one after another, and the rebuild is
    /// what a fresh build makes.
    func testAOneNoteEditOfALargerSetRendersItsOutputsSideBySide() async throws {
        var files = Self.files
        for number in 0..<(Pipeline.lightShare + 4) {
            files["lambda/note-\(number).md"] = "# Note \(number)\n\nA function runs for \(number) seconds.\n"
        }
        let fixture = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [site, anki, epub]\n")
        let stages = Locked<[String]>([])
        func build() async throws {
            stages.value = []
            _ = try await Pipeline(options: fixture.options, progress: { stages.value.append($0) }).build()
        }
        try await build()
        XCTAssertEqual(stages.value.filter { $0.hasPrefix("Rendering") }, ["Rendering ebook", "Rendering site", "Rendering anki"])
        try fixture.write("Content/lambda/note-3.md", "# Note 3\n\nA function runs for three seconds, then stops.\n")
        try await build()
        XCTAssertEqual(stages.value.filter { $0.hasPrefix("Rendering") }, ["Rendering ebook, site, anki"])
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
    }

    /// A one-note rebuild stores its records beside the renderers, before it knows whether it
    /// succeeds: a build that fails after that leaves records no index names, and the next
    /// build still matches a fresh one.
    func testRecordsStoredByARebuildThatThenFailsAreNeverRead() async throws {
        var files = Self.files
        for number in 0..<(Pipeline.lightShare + 4) {
            files["lambda/note-\(number).md"] = "# Note \(number)\n\nA function runs for \(number) seconds.\n"
        }
        var fixture = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [site, anki, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await Pipeline(options: fixture.options).build()
        let records = fixture.root.appendingPathComponent("Output/\(RecordStore.fileName)")
        let before = try Data(contentsOf: records)
        try fixture.write("Content/lambda/note-3.md", "# Note 3\n\nA function runs for three seconds, then stops.\n")
        let theme = fixture.templatesRoot
        // A theme without its templates: the build fails after the analysis, as it loads them.
        fixture.templatesRoot = fixture.root.appendingPathComponent("NoTemplates")
        try FileManager.default.createDirectory(at: fixture.templatesRoot, withIntermediateDirectories: true)
        do {
            _ = try await Pipeline(options: fixture.options).build()
            XCTFail("a theme without templates fails the build")
        } catch {}
        let after = try Data(contentsOf: records)
        XCTAssertGreaterThan(after.count, before.count, "the edited note's record was stored")
        XCTAssertEqual(after.prefix(before.count), before, "appended, not written anew")
        fixture.templatesRoot = theme
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
    }

    /// The search index of a larger set: a prose edit makes `index.js`, the edited note's text
    /// shard and the postings shards of the words it changed; every other file stays (the same
    /// file, linked), and removing a note still rebuilds like a fresh build.
    func testProseEditRemakesOnlyTheSearchFilesItChanges() async throws {
        var files: [String: String] = [:]
        for (number, document) in SearchTests.proseDocuments(400).enumerated() {
            let body = document.text.text.split(separator: "\n").map { line in
                line.hasPrefix("\u{1}") ? "## " + line.dropFirst() : String(line)
            }
            files["\(number % 2 == 0 ? "lambda" : "s3")/note\(number).md"] = "# Note \(number)\n\n" + body.joined(separator: "\n\n") + "\n"
        }
        let fixture = try Fixture(files)
        _ = try await fixture.build()
        let folder = fixture.root.appendingPathComponent("Output/site/assets/search")
        func inodes() throws -> [String: Int] {
            var result: [String: Int] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                result[name] = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.systemFileNumber] as? Int
            }
            return result
        }
        let before = try inodes()
        XCTAssertGreaterThan(before.keys.filter { $0.hasPrefix("t") }.count, 3, "\(before.keys.sorted())")
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/.syllabus-state-search").path))

        try fixture.write("Content/s3/note77.md", files["s3/note77.md"]! + "\nThe benchmark edit keeps its settings.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        let after = try inodes()
        let remade = Set(after.keys.filter { before[$0] != after[$0] })
        XCTAssertTrue(remade.contains("index.js"))
        XCTAssertEqual(remade.filter { $0.hasPrefix("t") }.count, 1, "\(remade)")
        XCTAssertLessThan(remade.count, after.count / 2, "\(remade.sorted()) of \(after.count)")

        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/lambda/note40.md"))
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
    }

    func testTemplateChangeRerendersTheSiteOnly() async throws {
        var fixture = try Fixture(Self.files)
        let theme = fixture.root.appendingPathComponent("Theme")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: theme)
        fixture.templatesRoot = theme
        _ = try await fixture.build()
        let layout = theme.appendingPathComponent("layout.mustache")
        try (String(contentsOf: layout, encoding: .utf8).replacingOccurrences(of: "<body>", with: "<body class=\"themed\">"))
            .write(to: layout, atomically: true, encoding: .utf8)
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains("<body class=\"themed\">"))
    }

    /// The files of the theme's `assets/` are copied as they are and read by no template: a
    /// save of a stylesheet or script copies that file and makes no page again, in a build or
    /// in a session (`serve`), and the output is still a fresh build's.
    func testAnAssetEditCopiesTheAssetAndMakesNoPageAgain() async throws {
        for session in [nil, BuildSession()] {
            var fixture = try Fixture(Self.files)
            defer { try? FileManager.default.removeItem(at: fixture.root) }
            let theme = fixture.root.appendingPathComponent("Theme")
            try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: theme)
            fixture.templatesRoot = theme
            _ = try await Pipeline(options: fixture.options).build(session: session)
            let stylesheet = theme.appendingPathComponent("assets/style.css")
            try (String(contentsOf: stylesheet, encoding: .utf8) + "\n.themed { color: teal; }\n").write(to: stylesheet, atomically: true, encoding: .utf8)
            let report = try await Self.assertRebuildMatchesFreshBuild(fixture, session: session)
            XCTAssertEqual(report.notesReparsed, 0, "no page is made again, so no note is parsed for one")
            XCTAssertEqual(report.written?.written, 1, "the stylesheet alone: \(String(describing: report.written))")
            XCTAssertTrue(try fixture.read("Output/site/assets/style.css").contains(".themed { color: teal; }"))
        }
    }

    /// A template change makes every page again; in a session (`serve`) a note page takes the
    /// HTML its note rendered to in an earlier build of the session instead of the note's tree,
    /// and the exam page its questions' data, so only the two card files, whose cards the
    /// service and practice pages show, are parsed.
    func testATemplateChangeInASessionParsesNoNoteForItsOwnPage() async throws {
        var files = Self.files
        files["exam.yml"] = ExamQuestionTests.examYAML
        files["lambda/lambda.exam.md"] = "## Storage\n<!-- domain: build -->\n\nWhere do archives go?\n\n- [x] Glacier\n- [ ] Lambda\n\nSee [classes](../s3/overview.md#classes).\n"
        var fixture = try Fixture(files)
        let theme = fixture.root.appendingPathComponent("Theme")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: theme)
        fixture.templatesRoot = theme
        let session = BuildSession()
        _ = try await Pipeline(options: fixture.options).build(session: session)
        let layout = theme.appendingPathComponent("layout.mustache")
        let text = try String(contentsOf: layout, encoding: .utf8)
        func changeTemplate(_ mark: String) throws {
            try text.replacingOccurrences(of: "<body>", with: "<body class=\"\(mark)\">").write(to: layout, atomically: true, encoding: .utf8)
        }
        try changeTemplate("first")
        var report = try await Self.assertRebuildMatchesFreshBuild(fixture, session: session)
        XCTAssertEqual(report.notesReparsed, 2, "the card files alone")
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains("<body class=\"first\">"))
        XCTAssertTrue(try fixture.read("Output/site/exam/index.html").contains("Where do archives go?"))

        // An edited note's new HTML is the one kept; a build by another process in between
        // changes nothing (what is kept goes by the note's render key).
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Tuning\n---\n# Tuning Lambda\n\nMore **memory**, more CPU, more cost.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture, session: session)
        try fixture.write("Content/s3/overview.md", "# S3\n\n## Classes\n\nStandard, **Glacier**, Intelligent-Tiering.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        try changeTemplate("second")
        report = try await Self.assertRebuildMatchesFreshBuild(fixture, session: session)
        XCTAssertEqual(report.notesReparsed, 3, "the card files, and the note another process changed")
        let page = try fixture.read("Output/site/lambda/tuning.html")
        XCTAssertTrue(page.contains("<body class=\"second\">") && page.contains("more cost"))
    }

    /// The cheat sheets read their own template, the partials it includes and their stylesheet
    /// from the theme: an edit of the site's layout leaves them as they were; an edit of any of
    /// those makes them again.
    func testTheCheatSheetsAreMadeAgainOnlyForAnEditOfWhatTheyReadFromTheTheme() async throws {
        var fixture = try Fixture(Self.files, config: "title: Test\ndeck: Test\noutputs: [site, anki, cheatsheets]\n")
        let theme = fixture.root.appendingPathComponent("Theme")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: theme)
        fixture.templatesRoot = theme
        func edit(_ name: String, _ change: (String) -> String) throws {
            let url = theme.appendingPathComponent(name)
            try change(String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }
        try edit("cheatsheet.mustache") { $0.replacingOccurrences(of: "</body>", with: "{{> partials/sheet-note}}</body>") }
        try fixture.write("Theme/partials/sheet-note.mustache", "<p>Printed from the notes.</p>")
        _ = try await fixture.build()
        let set = Pipeline(options: fixture.options).analyze(DiagnosticLog())
        // The key each sheet is asked for by (a sheet made again with the same bytes keeps its file).
        func keys() async throws -> [String: String] {
            let recorder = ReuseRecorder()
            _ = try CheatSheetRenderer(templates: try await TemplateSet.load(from: theme)).prepare(set, output: recorder)
            return recorder.keys
        }
        let first = try await keys()
        XCTAssertNotNil(first["cheatsheets/all.html"])
        try edit("layout.mustache") { $0.replacingOccurrences(of: "<body>", with: "<body class=\"themed\">") }
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/site/lambda/tuning.html").contains("<body class=\"themed\">"))
        let afterLayout = try await keys()
        XCTAssertEqual(afterLayout, first, "the layout is not the sheets'")

        try fixture.write("Theme/partials/sheet-note.mustache", "<p>Printed from the study notes.</p>")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/cheatsheets/all.html").contains("from the study notes"), "a partial the sheet includes")
        let afterPartial = try await keys()
        XCTAssertNotEqual(afterPartial["cheatsheets/all.html"], first["cheatsheets/all.html"])
        try edit("cheatsheet.css") { $0 + "\n.sheet-test { color: black; }\n" }
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/cheatsheets/all.html").contains(".sheet-test"))
        let afterStylesheet = try await keys()
        XCTAssertNotEqual(afterStylesheet["cheatsheets/all.html"], afterPartial["cheatsheets/all.html"])
    }

    func testAnOutputFileChangedByHandIsMadeAgain() async throws {
        let fixture = try Fixture(Self.files)
        _ = try await fixture.build()
        try fixture.write("Output/site/s3/overview.html", "edited by hand")
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nChanged.\n")
        _ = try await Self.assertRebuildMatchesFreshBuild(fixture)
    }

    /// A cache file cut short, overwritten or with a single byte changed is no cache: the
    /// rebuild reads every note and makes what a fresh build makes, never from damaged facts.
    func testCorruptCacheMeansAFullBuild() async throws {
        let corruptions: [(String, (Data) -> Data)] = [
            (BuildCache.fileName, { _ in Data([1, 2, 3]) }),
            (RecordStore.fileName, { $0.prefix($0.count - 10) }),  // the last record cut short
            (RecordStore.fileName, { data in
                // The first record's first bytes overwritten (past the header: magic, then id).
                var reader = ByteReader(Array(data)[...])
                _ = try? reader.string()
                let start = 2 + RecordStore.magic.utf8.count + ((try? reader.string()) ?? "").utf8.count
                var damaged = data
                damaged.replaceSubrange(start..<(start + 12), with: [UInt8](repeating: 0xFF, count: 12))
                return damaged
            }),
            // Damage that still decodes, caught only by the checksums: a letter of an unchanged
            // note's title in its record, and a digit of the last output key in the index.
            (RecordStore.fileName, { data in
                var damaged = data
                let title = Data("Lambda cards".utf8)
                guard let found = damaged.range(of: title) else {
                    XCTFail("no record holds the title")
                    return damaged
                }
                damaged[found.upperBound - 1] = UInt8(ascii: "z")
                return damaged
            }),
            (BuildCache.fileName, { data in
                var damaged = data
                damaged[damaged.endIndex - 9] ^= 1
                return damaged
            }),
        ]
        for (name, corrupt) in corruptions {
            let fixture = try Fixture(Self.files)
            // Old enough to be trusted by stamp, so only a cache that cannot be read makes the
            // rebuild read every note.
            try await Task.sleep(nanoseconds: 1_200_000_000)
            _ = try await fixture.build()
            let path = fixture.root.appendingPathComponent("Output/\(name)")
            try corrupt(Data(contentsOf: path)).write(to: path)
            try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nChanged.\n")
            let report = try await Self.assertRebuildMatchesFreshBuild(fixture)
            XCTAssertEqual(report.notesRead, Self.files.count, name)
        }
    }

    /// A part of a record that passed its checksum but does not decode (as a build whose
    /// format changed without a new `BuildCache.magic` would write it) never stops the build:
    /// the rebuild starts again without the cache and makes what a fresh build makes, with
    /// the cache in memory too, and leaves a cache the next build reads whole.
    func testARecordThatDoesNotDecodeMeansAFullBuild() async throws {
        for session in [nil, BuildSession()] {
            let fixture = try Fixture(Self.files)
            _ = try await Pipeline(options: fixture.options).build(session: session)
            let output = fixture.root.appendingPathComponent("Output")
            var reader = ByteReader([UInt8](try Data(contentsOf: output.appendingPathComponent(BuildCache.fileName)))[...])
            _ = try reader.string()
            var cache = BuildCache.load(from: output, environmentKey: try reader.string(), displayPath: { $0 })
            XCTAssertEqual(cache.pages.count, Self.files.count)
            // Each note's headings and anchors, the names of its links and prose, and where its
            // links went: a count of one, then nothing. The saved records' checksums are those
            // of these bytes.
            func undecodable<Value>() -> Deferred<Value> { Deferred(stored: StoredSlice(storage: StoredBytes(copying: [2]), range: 0..<1)) }
            for (id, record) in cache.pages {
                let f = record.facts, linkFacts = record.facts.linkFacts
                let facts = NoteFacts(id: f.id, contentKey: f.contentKey, title: f.title, serviceID: f.serviceID,
                                      extraServiceIDs: f.extraServiceIDs, tags: f.tags, order: f.order, slug: f.slug, places: undecodable(),
                                      hasKeyNumbers: f.hasKeyNumbers, hasOwnContents: f.hasOwnContents, isLanding: f.isLanding, outline: f.outline, isCardsFile: f.isCardsFile,
                                      provenance: f.provenance, cards: f.cards, questions: f.questions,
                                      linkFacts: NoteLinkFacts(names: undecodable(), termList: linkFacts.termList, searchText: linkFacts.searchText),
                                      diagnostics: f.diagnostics)
                let links = NoteLinks(resolution: undecodable(), renderKey: record.links.renderKey, warnings: record.links.warnings)
                cache.pages[id] = BuildCache.NoteRecord(facts: facts, links: links)
            }
            try cache.save(in: output)

            let before = UndecodableRecords.seen
            try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nChanged.\n")
            try await Self.assertRebuildMatchesFreshBuild(fixture, session: session)
            let after = UndecodableRecords.seen
            XCTAssertGreaterThan(after, before, "a damaged record was read")
            try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nChanged again.\n")
            try await Self.assertRebuildMatchesFreshBuild(fixture, session: session)
            XCTAssertEqual(UndecodableRecords.seen, after)
        }
    }

    /// The up-to-date check needs the cache's index alone (each note's stamp, content key and
    /// the files beside it that it uses): a build that finds nothing changed reads no record, so
    /// with the records file gone it is still up to date (a note here links to a file beside
    /// it, which the first build's check could not know of). The first build with a change
    /// finds the records missing and reads every note, as without a cache.
    func testUpToDateCheckReadsOnlyTheCacheIndex() async throws {
        let fixture = try Fixture(Self.files)
        // Old enough to be trusted by stamp (see `testCorruptCacheMeansAFullBuild`).
        try await Task.sleep(nanoseconds: 1_200_000_000)
        _ = try await fixture.build()
        let output = fixture.root.appendingPathComponent("Output")
        var reader = ByteReader([UInt8](try Data(contentsOf: output.appendingPathComponent(BuildCache.fileName)))[...])
        _ = try reader.string()
        let environmentKey = try reader.string()
        try FileManager.default.removeItem(at: output.appendingPathComponent(RecordStore.fileName))

        var index = BuildCache.load(from: output, environmentKey: environmentKey)
        XCTAssertEqual(Set(index.entries.keys), Set(Self.files.keys))
        XCTAssertTrue(index.pages.isEmpty)
        XCTAssertEqual(index.entries["lambda/overview.md"]?.localFiles, ["lambda/diagram.png"])
        XCTAssertFalse(index.readRecords(in: output) { $0 })
        XCTAssertTrue(index.entries.isEmpty)

        let upToDate = try await Pipeline(options: fixture.options).build()
        XCTAssertTrue(upToDate.upToDate)
        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nChanged.\n")
        let report = try await Self.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(report.notesRead, Self.files.count)
    }

    /// A rebuild appends the records of the notes it parsed and leaves the others in place;
    /// once the records no note uses are half the file, it is written anew without them.
    func testCacheRecordsAreAppendedThenCompacted() async throws {
        try await recordsAreAppendedThenCompacted(session: nil)
    }

    /// The same through a session, which keeps no copy of the records' bytes: compacting
    /// encodes the kept records again.
    func testCacheRecordsAreAppendedThenCompactedWithTheCacheKeptInMemory() async throws {
        try await recordsAreAppendedThenCompacted(session: BuildSession())
    }

    private func recordsAreAppendedThenCompacted(session: BuildSession?) async throws {
        let fixture = try Fixture(Self.files)
        _ = try await Pipeline(options: fixture.options).build(session: session)
        let records = fixture.root.appendingPathComponent("Output/\(RecordStore.fileName)")
        let first = try Data(contentsOf: records)
        var sizes: [Int] = []
        for edit in 1...12 {
            try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nEdit \(edit).\n")
            let report = edit == 12 ? try await Self.assertRebuildMatchesFreshBuild(fixture, session: session)
                : try await Pipeline(options: fixture.options).build(session: session)
            XCTAssertFalse(report.failed)
            let now = try Data(contentsOf: records)
            if edit == 1 { XCTAssertEqual(now.prefix(first.count), first, "the first rebuild only appends") }
            sizes.append(now.count)
        }
        XCTAssertGreaterThan(sizes[0], first.count)
        XCTAssertTrue(zip(sizes, sizes.dropFirst()).contains { $0.1 < $0.0 }, "compacted at some point: \(sizes)")
        XCTAssertLessThanOrEqual(sizes.max()!, 2 * first.count + 100, "\(sizes)")
        // What the session wrote is what another build reads: every record, each whole.
        var reader = ByteReader([UInt8](try Data(contentsOf: fixture.root.appendingPathComponent("Output/\(BuildCache.fileName)")))[...])
        _ = try reader.string()
        let loaded = BuildCache.load(from: fixture.root.appendingPathComponent("Output"), environmentKey: try reader.string()) { $0 }
        XCTAssertEqual(loaded.pages.count, Self.files.count)
        XCTAssertEqual(loaded.pages["lambda/tuning.md"]?.facts.title, "Tuning Lambda")
    }

    /// Exam questions are facts like cards: editing, adding and removing them, renaming a note
    /// they cover and changing exam.yml all rebuild like a fresh build.
    func testExamEditsRebuildLikeAFreshBuild() async throws {
        try await examEdits(session: nil)
    }

    /// As `serve` builds, the exam page's data kept between builds (see `KeptHTML`).
    func testExamEditsRebuildLikeAFreshBuildInASession() async throws {
        try await examEdits(session: BuildSession())
    }

    private func examEdits(session: BuildSession?) async throws {
        func assertRebuildMatchesFreshBuild(_ fixture: Fixture, line: UInt = #line) async throws {
            try await Self.assertRebuildMatchesFreshBuild(fixture, session: session, line: line)
        }
        var files = Self.files
        files["exam.yml"] = ExamQuestionTests.examYAML
        let question = "## Storage\n<!-- domain: build -->\n\nWhere do archives go?\n\n- [x] Glacier\n- [ ] Lambda\n\nSee [classes](../s3/overview.md#classes).\n"
        files["lambda/lambda.exam.md"] = question
        let fixture = try Fixture(files, config: Self.allOutputs)
        _ = try await Pipeline(options: fixture.options).build(session: session)
        XCTAssertTrue(try fixture.read("Output/site/exam/index.html").contains("Where do archives go?"))

        try fixture.write("Content/lambda/lambda.exam.md", question.replacingOccurrences(of: "Lambda\n", with: "AWS Lambda\n"))
        try await assertRebuildMatchesFreshBuild(fixture)
        try fixture.write("Content/lambda/lambda.exam.md", question + "\n## Second\n<!-- domain: secure -->\n\n- [x] A\n- [ ] B\n\nWhy.\n")
        try await assertRebuildMatchesFreshBuild(fixture)
        // The report names the notes a question covers.
        try fixture.write("Content/s3/overview.md", "---\ntitle: Storage classes\n---\n# S3\n\n## Classes\n\nStandard, **Glacier**.\n")
        try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertTrue(try fixture.read("Output/site/exam/index.html").contains("Storage classes"))
        try fixture.write("Content/exam.yml", ExamQuestionTests.examYAML.replacingOccurrences(of: "minutes: 10", with: "minutes: 20"))
        try await assertRebuildMatchesFreshBuild(fixture)
        // Without questions there is no exam page, and no page links to one.
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/lambda/lambda.exam.md"))
        try await assertRebuildMatchesFreshBuild(fixture)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/exam").path))
        XCTAssertFalse(try fixture.read("Output/site/lambda/overview.html").contains("exam/index.html"))
    }

    /// The site's page keys follow what each page shows: an edited note's page changes key
    /// and an untouched note's does not; a new title changes its service page's key. A renderer
    /// asked about another set keys that set's pages, as a new renderer would.
    func testTheSiteKeysThePagesOfTheSetItIsAskedAbout() async throws {
        let fixture = try Fixture(Self.files)
        let renderer = try SiteRenderer(templates: try await TemplateSet.load(from: fixture.templatesRoot))
        func keys(_ set: LinkedStudySet, by renderer: SiteRenderer) -> [String: String] {
            let recorder = ReuseRecorder()
            _ = renderer.prepare(set, output: recorder)
            return recorder.keys
        }
        let (first, _) = fixture.analyze()
        let before = keys(first, by: renderer)
        XCTAssertNotNil(before["site/lambda/tuning.html"])
        XCTAssertEqual(keys(first, by: renderer), before)
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Tuning\n---\n# Tuning Lambda\n\nMore memory.\n")
        let (edited, _) = fixture.analyze()
        let after = keys(edited, by: renderer)
        XCTAssertEqual(after, keys(edited, by: try SiteRenderer(templates: renderer.templates)))
        XCTAssertNotEqual(after["site/lambda/tuning.html"], before["site/lambda/tuning.html"])
        XCTAssertEqual(after["site/s3/overview.html"], before["site/s3/overview.html"])
        // A new title changes the page's neighbours and its service's page.
        try fixture.write("Content/lambda/tuning.md", "---\ntitle: Memory\n---\n# Tuning Lambda\n\nMore memory.\n")
        let (renamed, _) = fixture.analyze()
        let third = keys(renamed, by: renderer)
        XCTAssertEqual(third, keys(renamed, by: try SiteRenderer(templates: renderer.templates)))
        XCTAssertNotEqual(third["site/lambda/index.html"], after["site/lambda/index.html"])
        XCTAssertEqual(keys(first, by: renderer), before)
    }
}

/// Takes nothing back; records the key each path was asked about with.
private final class ReuseRecorder: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var asked: [String: String] = [:]
    var keys: [String: String] { lock.withLock { asked } }
    func write(_ files: [OutputFile]) throws {}
    func reuse(_ path: String, key: String) -> Bool {
        lock.withLock { asked[path] = key }
        return false
    }
    func previous(_ path: String) -> PreviousOutput? { nil }
    func state(_ name: String) -> Data? { nil }
    func keep(_ data: Data, state name: String) {}
    let outputs: Set<OutputKind> = [.site]
}

