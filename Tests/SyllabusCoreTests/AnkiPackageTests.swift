import Foundation
import XCTest
@testable import SyllabusCore

/// End-to-end: the built `syllabus` executable writes `.apkg` packages and the real Anki
/// library imports them (Tests/anki_roundtrip.py, `ANKI_PYTHON`) with the import dialog's
/// default options, unless a test says otherwise.
final class AnkiPackageTests: XCTestCase {
    static let fixture: [String: String] = [
        "Content/services.yml": Fixture.plainServices,
        "syllabus.yml": "title: Fixture\ndeck: Fixture Deck\nbase_url: https://example.org/study/\noutputs: [site, anki]\n",
        "Content/lambda/lambda.cards.md": """
            ---
            tags: [exam]
            ---
            # Lambda cards

            ## What is the maximum timeout of a Lambda function?

            **15 minutes** (900 seconds).

            ## The default Lambda timeout is {{c1::3 seconds}}.

            It can be raised up to 15 minutes.

            ## Lambda keeps temporary files in ==/tmp==, up to ==10 GB==.

            ## Which setting gives a function more CPU?
            <!-- id: lambda-memory-cpu -->

            Its **memory** setting.

            ## What does the ARN of a function version end with?

            Its version number, `:3`.

            """,
        "Content/s3/s3.cards.md": """
            # S3 cards

            ## Which storage class archives data?

            | Class | Use |
            |---|---|
            | Glacier | archives |

            """,
        "Content/s3/overview.cards.md": "# S3 overview\n\nLargest object S3 stores :: 5 TB\n",
    ]

    /// The fixture, built; `age` sets its files' modification times that far back first.
    private func setUp(_ name: String, age: TimeInterval = 0) throws -> (python: String, work: URL) {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder(name)
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }
        try EndToEndSupport.writeFixture(Self.fixture, in: work)
        let past = Date().addingTimeInterval(-age)
        for path in Self.fixture.keys where age > 0 {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: work.appendingPathComponent(path).path)
        }
        try EndToEndSupport.build(in: work)
        return (python, work)
    }

    private func edit(_ path: String, in work: URL, _ old: String, _ new: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let url = work.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "\(path) lacks \(old)", file: file, line: line)
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// GUIDs of a TSV deck (`all.tsv` unless `deck` names another), by front.
    private func tsvGUIDs(_ work: URL, deck: String = "all") throws -> [String: String] {
        let text = try String(contentsOf: work.appendingPathComponent("Output/anki/\(deck).tsv"), encoding: .utf8)
        var guids: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guids[String(fields[3])] = String(fields[0])
        }
        return guids
    }

    func testPackageImportsIntoFreshAndGermanCollectionsWithTheTSVsGUIDs() throws {
        let (python, work) = try setUp("apkg-fresh")
        let package = work.appendingPathComponent("Output/anki/all.apkg")
        for options in [[], ["--german"]] {
            let report = try AnkiImport.run(python, package, into: work.appendingPathComponent("anki\(options.count)/collection.anki2"), options: options)
            XCTAssertEqual(report.import.added, 7, "\(options)")
            XCTAssertEqual(report.import.conflicting, 0)
            XCTAssertEqual(report.import.rejected, 0)
            let collection = report.collection
            XCTAssertEqual(collection.notes, 7)
            XCTAssertEqual(collection.cards, 8, "the ==highlight== card has two deletions")
            XCTAssertEqual(collection.notesPerNotetype, ["Syllabus Basic": 5, "Syllabus Cloze": 2])
            XCTAssertEqual(collection.clozeNotes, 2)
            XCTAssertEqual(collection.notesPerDeck, ["Fixture Deck::Lambda": 5, "Fixture Deck::S3": 2])
            XCTAssertEqual(collection.tags, ["compute::lambda", "exam", "storage::s3"])
            if options == ["--german"] {
                XCTAssertTrue(collection.notetypes.contains("Einfach") && !collection.notetypes.contains("Basic"), "\(collection.notetypes)")
            }
            // The same GUIDs, fronts and backs as the TSV rows.
            let byFront = Dictionary(uniqueKeysWithValues: collection.notesByGuid.map { ($0.value.fields[0], $0.key) })
            XCTAssertEqual(byFront, try tsvGUIDs(work))

            let timeout = try XCTUnwrap(collection.notesByGuid.values.first { $0.fields[0] == "What is the maximum timeout of a Lambda function?" })
            XCTAssertEqual(timeout.fields, ["What is the maximum timeout of a Lambda function?", "<p><strong>15 minutes</strong> (900 seconds).</p>",
                                            "https://example.org/study/lambda/lambda-cards.html#what-is-the-maximum-timeout-of-a-lambda-function",
                                            try XCTUnwrap(byFront[timeout.fields[0]])])
            let highlight = try XCTUnwrap(collection.notesByGuid.values.first { $0.fields[0].hasPrefix("Lambda keeps temporary files") })
            XCTAssertEqual(highlight.notetype, "Syllabus Cloze")
            XCTAssertEqual(highlight.schedule.map(\.ord), [0, 1])
            XCTAssertEqual(collection.notesByGuid["lambda-memory-cpu"]?.fields[0], "Which setting gives a function more CPU?")

            let table = try XCTUnwrap(collection.notesByGuid.values.first { $0.fields[0] == "Which storage class archives data?" })
            XCTAssertTrue(table.fields[1].hasPrefix("<table>"), table.fields[1])
        }

        // A service's package holds that service's notes only.
        let s3 = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/s3.apkg"), into: work.appendingPathComponent("s3/collection.anki2"))
        XCTAssertEqual(s3.collection.notesPerDeck, ["Fixture Deck::S3": 2])
    }

    /// The update story under default options, on a collection with reviews and a card the
    /// learner moved: an edited answer, then a reworded front with a pinned id.
    func testReviewedNotesAreUpdatedInPlaceUnderDefaultOptions() throws {
        let (python, work) = try setUp("apkg-update")
        let package = work.appendingPathComponent("Output/anki/all.apkg")
        let collection = work.appendingPathComponent("anki/collection.anki2")
        let guids = try tsvGUIDs(work)
        let timeoutGUID = try XCTUnwrap(guids["What is the maximum timeout of a Lambda function?"])
        let first = try AnkiImport.run(python, package, into: collection, options: ["--review", "--move", timeoutGUID, "My Own Deck"])
        XCTAssertEqual(first.collection.reviewed, 8)
        XCTAssertEqual(first.collection.revlog, 8)
        let reviewed = first.collection.notesByGuid
        XCTAssertEqual(reviewed[timeoutGUID]?.schedule.map(\.deck), ["My Own Deck"])
        // Every card once: an empty schedule would pass an `allSatisfy`.
        XCTAssertEqual(reviewed.values.flatMap(\.schedule).map(\.reps), Array(repeating: 1, count: 8), "every card answered once")

        let again = try AnkiImport.run(python, package, into: collection)
        XCTAssertEqual([again.import.added, again.import.updated, again.import.duplicates], [0, 0, 7], "the same package changes nothing")

        func assertUpdated(_ guid: String, fields expected: [String], after previous: [String: AnkiImport.Note],
                           file: StaticString = #filePath, line: UInt = #line) throws -> [String: AnkiImport.Note] {
            try EndToEndSupport.build(in: work)
            let report = try AnkiImport.run(python, package, into: collection)
            XCTAssertEqual(report.import.added, 0, "no new note", file: file, line: line)
            XCTAssertEqual(report.import.updated, 1, "the edited note is updated", file: file, line: line)
            XCTAssertEqual(report.import.conflicting, 0, file: file, line: line)
            XCTAssertEqual(report.collection.revlog, 8, "review history kept", file: file, line: line)
            let notes = report.collection.notesByGuid
            XCTAssertEqual(notes.mapValues(\.id), reviewed.mapValues(\.id), "same notes", file: file, line: line)
            XCTAssertEqual(notes.mapValues(\.schedule), reviewed.mapValues(\.schedule), "every card's schedule and deck kept", file: file, line: line)
            XCTAssertEqual(Array(notes.filter { previous[$0.key]?.fields != $0.value.fields }.keys), [guid], file: file, line: line)
            XCTAssertEqual(notes[guid]?.fields, expected, file: file, line: line)
            XCTAssertGreaterThan(notes[guid]?.mod ?? 0, previous[guid]?.mod ?? .max, "the edited note is newer", file: file, line: line)
            XCTAssertEqual(notes.filter { $0.key != guid }.mapValues(\.mod), previous.filter { $0.key != guid }.mapValues(\.mod),
                           "unchanged notes keep their time", file: file, line: line)
            return notes
        }
        try edit("Content/lambda/lambda.cards.md", in: work, "(900 seconds)", "(900 s, the hard limit)")
        let edited = try assertUpdated(timeoutGUID, fields: [
            "What is the maximum timeout of a Lambda function?", "<p><strong>15 minutes</strong> (900 s, the hard limit).</p>",
            "https://example.org/study/lambda/lambda-cards.html#what-is-the-maximum-timeout-of-a-lambda-function", timeoutGUID,
        ], after: reviewed)

        try edit("Content/lambda/lambda.cards.md", in: work, "## Which setting gives a function more CPU?", "## Which setting raises a function's CPU share?")
        _ = try assertUpdated("lambda-memory-cpu", fields: [
            "Which setting raises a function's CPU share?", "<p>Its <strong>memory</strong> setting.</p>",
            "https://example.org/study/lambda/lambda-cards.html#which-setting-raises-a-functions-cpu-share", "lambda-memory-cpu",
        ], after: edited)
    }

    /// A build from a fresh clone (no output folder, every file newer than the last build) must
    /// not make Anki skip an edit: every note's time moves forward to its file's.
    func testBuildFromAFreshCloneDoesNotSkipAnEdit() throws {
        let (python, work) = try setUp("apkg-clone")
        let collection = work.appendingPathComponent("anki/collection.anki2")
        let first = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.apkg"), into: collection, options: ["--review"])

        let clone = try EndToEndSupport.temporaryFolder("apkg-clone-copy")
        addTeardownBlock { try? FileManager.default.removeItem(at: clone) }
        try EndToEndSupport.writeFixture(Self.fixture, in: clone)
        try edit("Content/lambda/lambda.cards.md", in: clone, "(900 seconds)", "(900 s)")
        // A checkout writes every file at checkout time, later than the first build.
        let later = Date().addingTimeInterval(120)
        for path in Self.fixture.keys {
            try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: clone.appendingPathComponent(path).path)
        }
        try EndToEndSupport.build(in: clone)
        let report = try AnkiImport.run(python, clone.appendingPathComponent("Output/anki/all.apkg"), into: collection)
        XCTAssertEqual(report.import.added, 0)
        XCTAssertEqual(report.import.updated, 7, "without history every note is newer: updated, the same content but one")
        XCTAssertEqual(report.collection.revlog, first.collection.revlog)
        XCTAssertEqual(report.collection.notesByGuid.mapValues(\.schedule), first.collection.notesByGuid.mapValues(\.schedule))
        XCTAssertTrue(report.collection.notesByGuid.values.contains { $0.fields[1] == "<p><strong>15 minutes</strong> (900 s).</p>" })
    }

    /// Notes imported from the TSVs have the stock note types: a default package import skips
    /// them as conflicting (nothing duplicated, nothing lost); "Merge note types" with
    /// "Update notes: Always" moves them to Syllabus's types once, keeping their reviews.
    func testNotesImportedFromTheTSVsMoveToSyllabusNoteTypesWithMerge() throws {
        // Notes written an hour before the TSV import: "Always" updates a note whose time
        // differs from the collection's, and a note written in the second of the import would not.
        let (python, work) = try setUp("apkg-from-tsv", age: 3600)
        let collection = work.appendingPathComponent("anki/collection.anki2")
        let tsv = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.tsv"), into: collection, options: ["--review"])
        XCTAssertEqual(tsv.collection.notesPerNotetype, ["Basic": 5, "Cloze": 2])
        let package = work.appendingPathComponent("Output/anki/all.apkg")

        let skipped = try AnkiImport.run(python, package, into: collection)
        XCTAssertEqual([skipped.import.added, skipped.import.updated, skipped.import.conflicting], [0, 0, 7])
        XCTAssertEqual(skipped.collection.notesPerNotetype, ["Basic": 5, "Cloze": 2])

        let merged = try AnkiImport.run(python, package, into: collection, options: ["--merge-notetypes", "--update-notes", "always"])
        XCTAssertEqual([merged.import.added, merged.import.updated, merged.import.conflicting], [0, 7, 0])
        XCTAssertEqual(merged.collection.notesPerNotetype, ["Syllabus Basic": 5, "Syllabus Cloze": 2])
        XCTAssertEqual(merged.collection.revlog, tsv.collection.revlog)
        XCTAssertEqual(merged.collection.notesByGuid.mapValues(\.id), tsv.collection.notesByGuid.mapValues(\.id))
        XCTAssertEqual(merged.collection.notesByGuid.mapValues(\.schedule), tsv.collection.notesByGuid.mapValues(\.schedule))
        XCTAssertTrue(merged.collection.notesByGuid.allSatisfy { $0.value.fields[3] == $0.key }, "the Syllabus ID field is filled")

        let after = try AnkiImport.run(python, package, into: collection)
        XCTAssertEqual([after.import.added, after.import.updated, after.import.conflicting], [0, 0, 0], "later imports use the defaults")
    }

    /// The search at the end of `removed.txt`, pasted into Anki's browser, finds exactly the
    /// notes removed from the source; the import itself deleted nothing.
    func testRemovedListSearchFindsTheRemovedNotesInAnki() throws {
        let (python, work) = try setUp("apkg-removed")
        let package = work.appendingPathComponent("Output/anki/all.apkg")
        let collection = work.appendingPathComponent("anki/collection.anki2")
        _ = try AnkiImport.run(python, package, into: collection)
        let guids = try tsvGUIDs(work)
        try edit("Content/lambda/lambda.cards.md", in: work, "## What is the maximum timeout of a Lambda function?\n\n**15 minutes** (900 seconds).\n", "")
        try edit("Content/s3/overview.cards.md", in: work, "Largest object S3 stores :: 5 TB\n", "")
        try EndToEndSupport.build(in: work)
        let removed = try String(contentsOf: work.appendingPathComponent("Output/anki/removed.txt"), encoding: .utf8)
        let search = try XCTUnwrap(removed.split(separator: "\n").last { $0.hasPrefix("\"Syllabus ID:") }, removed)
        let result = try EndToEndSupport.run(python, [AnkiImport.script.path, package.path, "--collection", collection.path, "--search", String(search)], timeout: 60)
        XCTAssertEqual(result.status, 0, result.err)
        struct Found: Decodable {
            struct Collection: Decodable {
                var notes: Int
                var foundBySearch: [String]
                enum CodingKeys: String, CodingKey { case notes, foundBySearch = "found_by_search" }
            }
            var collection: Collection
        }
        let found = try JSONDecoder().decode(Found.self, from: Data(result.out.utf8)).collection
        XCTAssertEqual(found.notes, 7, "an import deletes nothing")
        XCTAssertEqual(found.foundBySearch, [guids["What is the maximum timeout of a Lambda function?"], guids["Largest object S3 stores"]].compactMap { $0 }.sorted())
    }

    /// Exam questions are notes of Syllabus's multiple-choice type in `exam.apkg` and
    /// `all.apkg`: stem, lettered options, answer, explanation with the notes that cover it;
    /// an edited option updates the reviewed note in place under default options.
    func testExamQuestionsImportAsMultipleChoiceNotesAndUpdateInPlace() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("apkg-exam")
        defer { try? FileManager.default.removeItem(at: work) }
        try EndToEndSupport.writeFixture(ExamOutputTests.files(outputs: "anki", baseURL: "base_url: https://notes.example.org/\n"), in: work)
        try EndToEndSupport.build(in: work)
        let collection = work.appendingPathComponent("anki/collection.anki2")
        let package = work.appendingPathComponent("Output/anki/exam.apkg")

        let first = try AnkiImport.run(python, package, into: collection, options: ["--review"])
        XCTAssertEqual(first.import.added, 8)
        XCTAssertEqual(first.collection.notesPerNotetype, ["Syllabus Multiple Choice": 8])
        XCTAssertEqual(first.collection.notesPerDeck, ["Fixture::Practice exam": 8])
        XCTAssertEqual(first.collection.revlog, 8)
        let notes = first.collection.notesByGuid
        XCTAssertEqual(Set(notes.keys), Set(try tsvGUIDs(work, deck: "exam").values), "the same GUIDs as exam.tsv")
        XCTAssertEqual(notes.values.filter { $0.tags.contains("exam::security") }.count, 2)
        let (guid, twoRight) = try XCTUnwrap(notes.first { $0.value.fields[0].contains("Stem of Sec two?") })
        XCTAssertEqual(twoRight.fields[1], "<ol type=\"A\"><li>Right S2a</li><li>Right S2b</li><li>Wrong S2</li></ol><p><i>Choose 2.</i></p>")
        XCTAssertEqual(twoRight.fields[2], "<p><b>Answer:</b> A. Right S2a; B. Right S2b</p>")
        XCTAssertTrue(twoRight.fields[3].contains("Explained for Sec two"), twoRight.fields[3])
        XCTAssertTrue(twoRight.fields[3].contains("<a href=\"https://notes.example.org/s3/overview.html\">S3 overview</a>"), twoRight.fields[3])
        XCTAssertEqual(twoRight.fields[5], guid)
        XCTAssertTrue(twoRight.tags.contains("storage::s3"), "\(twoRight.tags)")

        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("Output/anki/all.apkg").path),
                       "without cards there is no all deck: it would hold exam.apkg's notes again")

        let path = work.appendingPathComponent("Content/s3/s3.exam.md")
        try String(contentsOf: path, encoding: .utf8).replacingOccurrences(of: "- [ ] Wrong S1", with: "- [ ] Wrong S1, corrected")
            .write(to: path, atomically: true, encoding: .utf8)
        try EndToEndSupport.build(in: work)
        let edited = try AnkiImport.run(python, package, into: collection)
        XCTAssertEqual([edited.import.added, edited.import.updated], [0, 1], "the edited question is updated in place")
        XCTAssertEqual(edited.collection.revlog, 8)
        XCTAssertEqual(edited.collection.notesByGuid.mapValues(\.id), notes.mapValues(\.id))
        XCTAssertEqual(edited.collection.notesByGuid.mapValues(\.schedule), notes.mapValues(\.schedule))
    }

    /// `removed.txt` lists every note an earlier build exported that the source no longer has,
    /// build after build, until it comes back.
    func testRemovedCardsAreListedUntilTheyComeBack() async throws {
        let cards = "# Cards\n\n## What is the maximum timeout?\n\n15 minutes.\n\n## Default memory?\n\n128 MB.\n"
        let fixture = try Fixture(["lambda/lambda.cards.md": cards])
        _ = try await fixture.build()
        XCTAssertTrue(try fixture.read("Output/anki/removed.txt").contains("# None."))
        let guid = Card.guid(pinnedID: nil, serviceID: "lambda", frontText: "Default memory?")

        try fixture.write("Content/lambda/lambda.cards.md", "# Cards\n\n## What is the maximum timeout?\n\n15 minutes.\n")
        _ = try await fixture.build()
        let removed = try fixture.read("Output/anki/removed.txt")
        XCTAssertTrue(removed.contains("\n\(guid)\tTest::Lambda\tDefault memory?\n"), removed)
        // The search is a line of its own, pasteable whole (no `# ` before it).
        XCTAssertTrue(removed.hasSuffix("\n\"Syllabus ID:\(guid)\"\n"), removed)

        try fixture.write("Content/lambda/lambda.cards.md", "# Cards\n\n## What is the maximum timeout?\n\n15 minutes, the limit.\n")
        _ = try await fixture.build()
        XCTAssertEqual(try fixture.read("Output/anki/removed.txt"), removed, "still listed a build later")

        try fixture.write("Content/lambda/lambda.cards.md", cards)
        _ = try await fixture.build()
        XCTAssertTrue(try fixture.read("Output/anki/removed.txt").contains("# None."))
    }
}
