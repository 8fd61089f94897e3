import Foundation
import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// `syllabus import` as a learner uses it: a real Anki collection (made and reviewed with the
/// `anki` library, Tests/anki_make_collection.py) exported as Notes in Plain Text, imported,
/// built, and Syllabus's TSV imported back into that collection with Anki's defaults.
final class ImportRoundTripTests: XCTestCase {
    /// Reviewed Basic and Cloze notes with HTML fields, tags and GUIDs full of punctuation:
    /// the first build's TSV adds no note, updates every one in place, and keeps the review log,
    /// every card's schedule and deck, and the notes' tags. The same from an `.apkg` export of
    /// that collection (current layout, zstd), whose picture is copied next to its card. A
    /// note's deck is kept as a tag, but not Anki's catch-all Default deck.
    func testAnkiExportRoundTripKeepsReviews() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-roundtrip")
        defer { try? FileManager.default.removeItem(at: work) }
        let notes: [[String: Any]] = [
            ["guid": "a/b>c:d#e", "notetype": "Basic", "deck": "AWS::SQS", "tags": ["aws", "sqs::basics"],
             "fields": ["What is the <b>Amazon SQS</b> visibility timeout?",
                        "<div>30 seconds by default;</div><div>at most <i>12 hours</i>.</div><ul><li>per queue</li><li><code>ChangeMessageVisibility</code></li></ul><img src=\"timeout.png\">"]],
            ["guid": "x\"y'z;`w", "notetype": "Cloze", "deck": "AWS::SQS", "tags": ["retention"],
             "fields": ["Amazon SQS keeps messages {{c1::4 days}} by default, up to {{c2::14 days}}.",
                        "See <a href=\"https://docs.aws.amazon.com/sqs/\">the guide</a>."]],
            ["guid": "p--q>r", "notetype": "Basic", "deck": "AWS::Lambda", "fields": ["Max timeout of AWS Lambda?", "15 minutes<br>(900 s)"]],
            ["guid": "#Hm9%20K-->", "notetype": "Basic", "deck": "Default", "tags": ["theory"],
             "fields": ["What does CAP stand for?", "Consistency, availability, partition tolerance"]],
        ]
        let spec = work.appendingPathComponent("spec.json")
        let picture = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        try JSONSerialization.data(withJSONObject: ["notes": notes, "media": ["timeout.png": picture.base64EncodedString()]]).write(to: spec)
        let collection = work.appendingPathComponent("collection.anki2")
        let export = work.appendingPathComponent("My Deck.txt"), package = work.appendingPathComponent("My Deck.apkg")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    spec.path, collection.path, export.path, "--package", package.path], timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        let before = try JSONDecoder().decode([String: AnkiImport.Collection].self, from: Data(made.out.utf8))["collection"]!
        XCTAssertEqual(before.revlog, 5, "every card answered once")
        let pristine = work.appendingPathComponent("pristine.anki2")
        try FileManager.default.copyItem(at: collection, to: pristine)

        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"],
                                         in: work)
        let imported = try CLI.run(["import", export.path, "--content", work.appendingPathComponent("Content").path], in: work)
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.out.hasPrefix("Imported 4 notes (1 cloze, 5 Anki cards) from My Deck.txt (anki):"), imported.out)
        XCTAssertTrue(imported.out.contains("Content/imported-my-deck.cards.md"), imported.out)
        let general = try String(contentsOf: work.appendingPathComponent("Content/imported-my-deck.cards.md"), encoding: .utf8)
        XCTAssertTrue(general.contains("<!-- tags: theory -->\n"), "no deck::default tag: \(general)")
        try EndToEndSupport.backdateContent(in: work)
        try EndToEndSupport.build(in: work)

        // The package brings Syllabus's note types: a default import leaves the stock-type notes
        // alone (conflicting), and one with Merge note types moves them over, reviews kept.
        let copy = work.appendingPathComponent("copy.anki2")
        try FileManager.default.copyItem(at: collection, to: copy)
        let syllabusPackage = work.appendingPathComponent("Output/anki/all.apkg")
        let byDefault = try AnkiImport.run(python, syllabusPackage, into: copy)
        XCTAssertEqual([byDefault.import.added, byDefault.import.updated, byDefault.import.conflicting], [0, 0, 4])
        // The import's report says so, once, and points to the README's merge steps below.
        XCTAssertEqual(imported.out.components(separatedBy: CardImporter.intoAnkiAdvice(notes: 4)).count, 2, imported.out)
        let mergeCopy = work.appendingPathComponent("merge.anki2")
        try FileManager.default.copyItem(at: collection, to: mergeCopy)
        let merged = try AnkiImport.run(python, syllabusPackage, into: mergeCopy, options: ["--merge-notetypes", "--update-notes", "always"])
        // Anki counts a converted note whose time equals the package's as a duplicate rather
        // than updated.
        XCTAssertEqual([merged.import.added, merged.import.updated + merged.import.duplicates], [0, 4])
        XCTAssertEqual(merged.collection.revlog, before.revlog)
        XCTAssertEqual(merged.collection.notesPerNotetype, ["Syllabus Basic": 3, "Syllabus Cloze": 1])
        // The README's second import with the same options: a note the merge left with empty
        // Syllabus fields (one it counted as a duplicate) gets them.
        let secondMerge = try AnkiImport.run(python, syllabusPackage, into: mergeCopy, options: ["--merge-notetypes", "--update-notes", "always"])
        XCTAssertEqual([secondMerge.import.added, secondMerge.import.conflicting], [0, 0])
        XCTAssertEqual(secondMerge.collection.revlog, before.revlog)
        for (guid, note) in secondMerge.collection.notesByGuid {
            XCTAssertFalse(note.fields.last?.isEmpty ?? true, "\(guid): its Syllabus ID: \(note.fields)")
        }

        let after = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.tsv"), into: collection)
        XCTAssertEqual(after.import.added, 0, "no note is duplicated")
        XCTAssertEqual(after.import.updated, 4, "every note takes Syllabus's HTML")
        XCTAssertEqual(after.import.rejected, 0)
        XCTAssertEqual(after.collection.notes, 4)
        XCTAssertEqual(after.collection.revlog, before.revlog, "the review log is kept")
        XCTAssertEqual(Set(after.collection.notesByGuid.keys), Set(notes.map { $0["guid"] as! String }), "GUIDs verbatim")
        for (guid, note) in before.notesByGuid {
            let now = try XCTUnwrap(after.collection.notesByGuid[guid])
            XCTAssertEqual(now.id, note.id, guid)
            XCTAssertEqual(now.schedule, note.schedule, "\(guid): schedule and deck kept")
            XCTAssertTrue(Set(note.tags).isSubset(of: Set(now.tags)), "\(guid): \(note.tags) kept in \(now.tags)")
        }
        XCTAssertTrue(try XCTUnwrap(after.collection.notesByGuid["a/b>c:d#e"]).tags.contains("deck::aws::sqs"), "the deck, kept as a tag")
        XCTAssertFalse(try XCTUnwrap(after.collection.notesByGuid["#Hm9%20K-->"]).tags.contains { $0.hasPrefix("deck::") }, "Default is no tag")
        let cloze = try XCTUnwrap(after.collection.notesByGuid["x\"y'z;`w"])
        XCTAssertEqual(cloze.notetype, "Cloze")
        XCTAssertEqual(cloze.fields[0], "Amazon SQS keeps messages {{c1::4 days}} by default, up to {{c2::14 days}}.")
        let basic = try XCTUnwrap(after.collection.notesByGuid["a/b>c:d#e"])
        XCTAssertEqual(basic.fields[0], "What is the <strong>Amazon SQS</strong> visibility timeout?")
        XCTAssertTrue(basic.fields[1].contains("<em>12 hours</em>") && basic.fields[1].contains("<code>ChangeMessageVisibility</code>"), basic.fields[1])

        // A second import of the same export changes nothing; the rebuilt TSV updates nothing.
        let again = try CLI.run(["import", export.path, "--content", work.appendingPathComponent("Content").path], in: work)
        XCTAssertEqual(again.status, 0, again.err)
        XCTAssertEqual(again.out.components(separatedBy: "(0 new, 0 updated)").count - 1, 3, again.out)
        try EndToEndSupport.build(in: work)
        let third = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.tsv"), into: collection)
        XCTAssertEqual([third.import.added, third.import.updated], [0, 0])
        XCTAssertEqual(third.collection.revlog, before.revlog)

        // From the package instead of the text export, into the collection as it was.
        let fromPackage = work.appendingPathComponent("package")
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"],
                                         in: fromPackage)
        let unpacked = try CLI.run(["import", package.path, "--content", fromPackage.appendingPathComponent("Content").path], in: work)
        XCTAssertEqual(unpacked.status, 0, unpacked.err)
        XCTAssertTrue(unpacked.out.hasPrefix("Imported 4 notes (1 cloze, 5 Anki cards) from My Deck.apkg (apkg):"), unpacked.out)
        XCTAssertEqual(FileManager.default.contents(atPath: fromPackage.appendingPathComponent("Content/sqs/timeout.png").path), picture)
        XCTAssertTrue(try String(contentsOf: fromPackage.appendingPathComponent("Content/sqs/imported-my-deck.cards.md"), encoding: .utf8)
            .contains("![](timeout.png)"))
        let generalFromPackage = try String(contentsOf: fromPackage.appendingPathComponent("Content/imported-my-deck.cards.md"), encoding: .utf8)
        XCTAssertTrue(generalFromPackage.contains("<!-- tags: theory -->\n"), "no deck::default tag: \(generalFromPackage)")
        try EndToEndSupport.build(in: fromPackage)
        let packageRoundTrip = try AnkiImport.run(python, fromPackage.appendingPathComponent("Output/anki/all.tsv"), into: pristine)
        XCTAssertEqual([packageRoundTrip.import.added, packageRoundTrip.import.updated, packageRoundTrip.import.rejected], [0, 4, 0])
        XCTAssertEqual(packageRoundTrip.collection.revlog, before.revlog)
        for (guid, note) in before.notesByGuid {
            XCTAssertEqual(packageRoundTrip.collection.notesByGuid[guid]?.schedule, note.schedule, guid)
        }
    }

    /// The README's one-time path for notes `syllabus import` took from a stock note type, in a
    /// collection that already holds the set's notes: a learner imports `all.apkg`, adds a note
    /// of their own on stock Basic, exports the collection, imports the export and rebuilds.
    /// Merging that note into Syllabus Basic makes Anki empty the Link and Syllabus ID fields
    /// of every note already on Syllabus Basic (and date them to the import), so the README
    /// prescribes the same import a second time. After both, every note holds the
    /// package's fields and time, reviews are kept, and the next build's edit (a `base_url`, so
    /// every Link changes) arrives with the default options.
    func testMergeImportOfTakenOverNotesKeepsEveryFieldAndLaterEdits() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-merge")
        defer { try? FileManager.default.removeItem(at: work) }
        let set = work.appendingPathComponent("set")
        let cards = """
            # Functions

            ## How long can one invocation run at most?
            <!-- id: lambda-longest -->

            Fifteen minutes.

            ## Where should a function open its database connection?

            Outside the handler.

            ## Lambda gives CPU in proportion to ==memory==.

            """
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "Content/lambda/functions.cards.md": cards,
                                          "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"], in: set)
        try EndToEndSupport.backdateContent(in: set)
        try EndToEndSupport.build(in: set)
        let spec = work.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: [["guid": "own:1", "notetype": "Basic", "deck": "Mine",
                                                     "fields": ["What does SQS stand for?", "Simple Queue Service"]]]).write(to: spec)
        let collection = work.appendingPathComponent("collection.anki2")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    spec.path, collection.path, work.appendingPathComponent("unused.txt").path], timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        let export = work.appendingPathComponent("export.apkg")
        let first = try AnkiImport.run(python, set.appendingPathComponent("Output/anki/all.apkg"), into: collection,
                                       options: ["--export-package", export.path])
        XCTAssertEqual([first.import.added, first.collection.notes], [3, 4])
        let imported = try CLI.run(["import", export.path, "--content", set.appendingPathComponent("Content").path], in: set)
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.out.hasPrefix("Imported 1 note "), imported.out)
        try EndToEndSupport.backdateContent(in: set)
        try EndToEndSupport.build(in: set)
        let package = set.appendingPathComponent("Output/anki/all.apkg")
        // What the package holds, as a collection that never saw the set gets it.
        let fresh = try AnkiImport.run(python, package, into: work.appendingPathComponent("fresh.anki2"))
        XCTAssertEqual(fresh.collection.notes, 4)

        // Twice with the same options, as Anki's import dialog offers them the second time.
        // Once is not enough (the README's "Why twice" cites these figures): the notes that
        // did not change since the collection had them keep empty Link and Syllabus ID fields,
        // and a later edit reaches only the others. A copy keeps that state for the edit below.
        let once = try AnkiImport.run(python, package, into: collection, options: ["--merge-notetypes", "--update-notes", "always"])
        XCTAssertEqual(once.collection.notesByGuid.values.filter { $0.fields.last?.isEmpty ?? true }.count, 2,
                       "one merge import empties the unchanged notes' fields: \(once.collection.notesByGuid)")
        let importedOnce = work.appendingPathComponent("imported-once.anki2")
        try FileManager.default.copyItem(at: collection, to: importedOnce)
        let second = try AnkiImport.run(python, package, into: collection, options: ["--merge-notetypes", "--update-notes", "always"])
        XCTAssertEqual([second.import.added, second.import.conflicting], [0, 0])
        XCTAssertEqual(second.collection.notesPerNotetype, ["Syllabus Basic": 3, "Syllabus Cloze": 1])
        XCTAssertEqual(second.collection.revlog, first.collection.revlog, "reviews kept")
        for (guid, expected) in fresh.collection.notesByGuid {
            let note = try XCTUnwrap(second.collection.notesByGuid[guid], guid)
            XCTAssertEqual(note.fields, expected.fields, "\(guid): every field, the Syllabus ID too")
            XCTAssertFalse(note.fields.last?.isEmpty ?? true, guid)
            XCTAssertEqual(note.mod, expected.mod, "\(guid): the package's time, so the next newer one updates it")
        }
        XCTAssertEqual(second.collection.notesByGuid["own:1"]?.id, first.collection.notesByGuid["own:1"]?.id, "the own note kept its id")

        try "title: T\ndeck: Syllabus\nbase_url: https://study.example.com/\noutputs: [anki]\n"
            .write(to: set.appendingPathComponent("syllabus.yml"), atomically: true, encoding: .utf8)
        try EndToEndSupport.build(in: set)
        let later = try AnkiImport.run(python, package, into: collection)
        XCTAssertEqual([later.import.added, later.import.updated, later.import.conflicting], [0, 4, 0], "the default import takes the edit")
        let laterAfterOnce = try AnkiImport.run(python, package, into: importedOnce)
        XCTAssertEqual(laterAfterOnce.import.updated, 2, "after one merge import the edit reaches 2 of the 4 notes")
        for (guid, note) in later.collection.notesByGuid {
            XCTAssertTrue(note.fields[2].contains("https://study.example.com/"), "\(guid): \(note.fields)")
        }
    }

    /// Notes of stock note types that make a reverse card or ask for a typed answer become one
    /// card each: `syllabus import` says what they lose and to change them to Basic before the
    /// merge import, from the package and the text export alike. Without that, merging all.apkg
    /// adds the type's "Card 2" to Syllabus Basic and every Syllabus Basic note gains a reverse
    /// card; changed to Basic first, the two merge imports leave one card per note and keep the
    /// reviews.
    func testNotesThatMakeMoreCardsAreWarnedAndMergeCleanlyOnceBasic() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-extra-cards")
        defer { try? FileManager.default.removeItem(at: work) }
        let (set, collection, text, export, first) = try learnersNotesBesideASet([
            ["guid": "own:rev", "notetype": "Basic (and reversed card)", "deck": "Mine", "fields": ["SQS", "Simple Queue Service"]],
            ["guid": "own:typed", "notetype": "Basic (type in the answer)", "deck": "Mine", "fields": ["Lambda's longest timeout in seconds?", "900"]],
        ], python: python, in: work)
        XCTAssertEqual([first.import.added, first.collection.notes, first.collection.cards], [1, 3, 4])

        let advice = CardImporter.changeToBasicAdvice(["Basic (and reversed card)", "Basic (type in the answer)"])
        let fromText = try CLI.run(["import", text.path, "--dry-run", "--content", set.appendingPathComponent("Content").path], in: set)
        XCTAssertEqual(fromText.status, 0, fromText.err)
        let imported = try CLI.run(["import", export.path, "--content", set.appendingPathComponent("Content").path], in: set)
        XCTAssertEqual(imported.status, 0, imported.err)
        for output in [fromText.out + fromText.err, imported.out + imported.err] {
            XCTAssertTrue(output.contains("note type \"Basic (and reversed card)\": 1 note ("), output)
            XCTAssertTrue(output.contains("imported as one card each, without its card \"Card 2\" (the reverse card)\n"), output)
            XCTAssertTrue(output.contains("note type \"Basic (type in the answer)\": 1 note ("), output)
            XCTAssertTrue(output.contains("without the typed answer (the card shows its back instead)\n"), output)
            XCTAssertEqual(output.components(separatedBy: advice).count, 2, "the advice, once: \(output)")
        }
        try EndToEndSupport.backdateContent(in: set)
        try EndToEndSupport.build(in: set)
        let package = set.appendingPathComponent("Output/anki/all.apkg")

        // Not following the advice: Syllabus Basic takes the reversed type's second template.
        let ignored = work.appendingPathComponent("ignored.anki2")
        try FileManager.default.copyItem(at: collection, to: ignored)
        _ = try AnkiImport.run(python, package, into: ignored, options: ["--merge-notetypes", "--update-notes", "always"])
        let ignoredTwice = try AnkiImport.run(python, package, into: ignored, options: ["--merge-notetypes", "--update-notes", "always"])
        XCTAssertGreaterThan(ignoredTwice.collection.cards, ignoredTwice.collection.notes, "what the warning prevents")

        // Following it: changed to Basic, then the two merge imports.
        _ = try AnkiImport.run(python, package, into: collection, options: ["--merge-notetypes", "--update-notes", "always",
                                                                             "--change-to-basic", "Basic (and reversed card)",
                                                                             "--change-to-basic", "Basic (type in the answer)"])
        let second = try AnkiImport.run(python, package, into: collection, options: ["--merge-notetypes", "--update-notes", "always"])
        XCTAssertEqual([second.import.added, second.import.conflicting], [0, 0])
        XCTAssertEqual([second.collection.notes, second.collection.cards], [3, 3], "one card per note")
        XCTAssertEqual(second.collection.notesPerNotetype, ["Syllabus Basic": 3])
        XCTAssertEqual(second.collection.revlog, first.collection.revlog, "reviews kept")
        for guid in ["own:rev", "own:typed"] {
            XCTAssertEqual(second.collection.notesByGuid[guid]?.id, first.collection.notesByGuid[guid]?.id, guid)
            XCTAssertEqual(second.collection.notesByGuid[guid]?.schedule.first?.reps, 1, "\(guid): its review kept")
        }
    }

    /// Notes of Basic (optional reversed card) whose Add Reverse is empty have one card, so
    /// nothing of theirs is lost, and `syllabus import` says so; but it still advises changing
    /// them to Basic first, from the package and the text export alike, because their note type
    /// differs from Syllabus Basic all the same. Merged as they are, Syllabus Basic takes "Add
    /// Reverse" and "Card 2", and the next build's default import conflicts on every note and
    /// never arrives; changed to Basic first, that import updates every note in place.
    func testOptionalReversedNotesWithoutTheirReverseCardStillNeedBasicBeforeTheMerge() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-optional-reversed")
        defer { try? FileManager.default.removeItem(at: work) }
        let (set, collection, text, export, first) = try learnersNotesBesideASet([
            ["guid": "own:opt1", "notetype": "Basic (optional reversed card)", "deck": "Mine", "fields": ["SQS", "Simple Queue Service", ""]],
            ["guid": "own:opt2", "notetype": "Basic (optional reversed card)", "deck": "Mine", "fields": ["SNS", "Simple Notification Service", ""]],
        ], python: python, in: work)
        XCTAssertEqual([first.collection.notes, first.collection.cards], [3, 3], "no reverse card")

        let fromText = try CLI.run(["import", text.path, "--dry-run", "--content", set.appendingPathComponent("Content").path], in: set)
        XCTAssertEqual(fromText.status, 0, fromText.err)
        let imported = try CLI.run(["import", export.path, "--content", set.appendingPathComponent("Content").path], in: set)
        XCTAssertEqual(imported.status, 0, imported.err)
        for output in [fromText.out + fromText.err, imported.out + imported.err] {
            XCTAssertTrue(output.contains("note type \"Basic (optional reversed card)\": 2 notes"), output)
            XCTAssertTrue(output.contains("have only their first card and import whole, but the note type also has the template \"Card 2\"\n"), output)
            XCTAssertTrue(output.contains(CardImporter.changeToBasicAdvice(["Basic (optional reversed card)"])), output)
            XCTAssertFalse(output.contains("(the reverse card)"), "nothing is lost: \(output)")
        }
        try EndToEndSupport.backdateContent(in: set)
        try EndToEndSupport.build(in: set)
        let package = set.appendingPathComponent("Output/anki/all.apkg")
        let ignored = work.appendingPathComponent("ignored.anki2")
        try FileManager.default.copyItem(at: collection, to: ignored)
        for target in [ignored, collection] {
            let change = target == collection ? ["--change-to-basic", "Basic (optional reversed card)"] : []
            _ = try AnkiImport.run(python, package, into: target, options: ["--merge-notetypes", "--update-notes", "always"] + change)
            _ = try AnkiImport.run(python, package, into: target, options: ["--merge-notetypes", "--update-notes", "always"])
        }
        // The next build's edit, imported with Anki's defaults.
        try "title: T\ndeck: Syllabus\nbase_url: https://study.example.com/\noutputs: [anki]\n"
            .write(to: set.appendingPathComponent("syllabus.yml"), atomically: true, encoding: .utf8)
        try EndToEndSupport.build(in: set)
        let afterIgnoring = try AnkiImport.run(python, package, into: ignored)
        XCTAssertEqual([afterIgnoring.import.updated, afterIgnoring.import.conflicting], [0, 3], "what the warning prevents")
        let afterBasic = try AnkiImport.run(python, package, into: collection)
        XCTAssertEqual([afterBasic.import.added, afterBasic.import.updated, afterBasic.import.conflicting], [0, 3, 0])
        XCTAssertEqual([afterBasic.collection.notes, afterBasic.collection.cards], [3, 3])
        XCTAssertEqual(afterBasic.collection.revlog, first.collection.revlog, "reviews kept")
    }

    /// The README's example deck: plain Basic and Cloze notes and one Basic (and reversed card)
    /// note, taken over from a text export. The report counts 4 notes that were 5 Anki cards,
    /// and says once how they go back into Anki, as Anki does it: `all.apkg` with the default
    /// options conflicts on all 4 (plain Basic and Cloze too), `all.tsv` updates the 3 on
    /// Basic and Cloze and rejects the reversed one, which after Notes › Change Note Type to
    /// Basic it updates too, reviews kept (found by a fresh-user trial: the report pointed to
    /// the merge steps for some note types only).
    func testTheReportsWayBackIntoAnkiIsWhatAnkiDoes() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-way-back")
        defer { try? FileManager.default.removeItem(at: work) }
        let notes: [[String: Any]] = [
            ["guid": "kV3#a>1Qz", "notetype": "Basic (and reversed card)", "deck": "AWS", "fields": ["What does Amazon SQS keep for a consumer?", "Messages"]],
            ["guid": "Fq9%Lm2/x", "notetype": "Basic", "deck": "AWS", "fields": ["How long does SQS keep a message by default?", "4 days"]],
            ["guid": "b7:Tn0p~w", "notetype": "Cloze", "deck": "AWS", "fields": ["AWS Lambda runs a function for at most {{c1::15 minutes}}.", ""]],
            ["guid": "Zr4;e8Uy!", "notetype": "Basic", "deck": "Default", "fields": ["What does CAP stand for?", "Consistency, availability, partition tolerance"]],
        ]
        let spec = work.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: notes).write(to: spec)
        let collection = work.appendingPathComponent("collection.anki2"), export = work.appendingPathComponent("My Deck.txt")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    spec.path, collection.path, export.path], timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        let before = try JSONDecoder().decode([String: AnkiImport.Collection].self, from: Data(made.out.utf8))["collection"]!
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"],
                                         in: work)
        let imported = try CLI.run(["import", export.path, "--content", work.appendingPathComponent("Content").path], in: work)
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.out.hasPrefix("Imported 4 notes (1 cloze, \(before.cards) Anki cards) from My Deck.txt (anki):"), imported.out)
        XCTAssertTrue(imported.out.hasSuffix("\n" + CardImporter.intoAnkiAdvice(notes: 4) + "\n"
                                             + CardImporter.changeToBasicAdvice(["Basic (and reversed card)"]) + "\n"), imported.out)
        try EndToEndSupport.backdateContent(in: work)
        try EndToEndSupport.build(in: work)

        func copy(_ name: String) throws -> URL {
            let copy = work.appendingPathComponent(name)
            try FileManager.default.copyItem(at: collection, to: copy)
            return copy
        }
        let package = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.apkg"), into: try copy("package.anki2"))
        XCTAssertEqual([package.import.added, package.import.updated, package.import.conflicting], [0, 0, 4])
        let tsv = work.appendingPathComponent("Output/anki/all.tsv")
        let asTheyAre = try AnkiImport.run(python, tsv, into: try copy("tsv.anki2"))
        XCTAssertEqual([asTheyAre.import.added, asTheyAre.import.updated, asTheyAre.import.rejected], [0, 3, 1])
        let changed = try AnkiImport.run(python, tsv, into: collection, options: ["--change-to-basic", "Basic (and reversed card)"])
        XCTAssertEqual([changed.import.added, changed.import.updated, changed.import.rejected], [0, 4, 0])
        XCTAssertEqual(changed.collection.revlog, before.revlog, "reviews kept")
    }

    /// A set of one Lambda card, built, and a learner's collection of `notes` (specs of
    /// Tests/anki_make_collection.py, each answered once) into which the set's `all.apkg` was
    /// imported with Anki's defaults: the set's folder, the collection, the learner's notes
    /// exported as Notes in Plain Text before that import (`text`) and the whole collection as
    /// an `.apkg` after it (`export`), and what the import reported.
    private func learnersNotesBesideASet(_ notes: [[String: Any]], python: String, in work: URL) throws
        -> (set: URL, collection: URL, text: URL, export: URL, first: AnkiImport.Report) {
        let set = work.appendingPathComponent("set")
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS,
                                          "Content/lambda/functions.cards.md": "# Functions\n\n## How long can one invocation run at most?\n\nFifteen minutes.\n",
                                          "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"], in: set)
        try EndToEndSupport.backdateContent(in: set)
        try EndToEndSupport.build(in: set)
        let spec = work.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: notes).write(to: spec)
        let collection = work.appendingPathComponent("collection.anki2"), text = work.appendingPathComponent("mine.txt")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    spec.path, collection.path, text.path], timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        let export = work.appendingPathComponent("export.apkg")
        let first = try AnkiImport.run(python, set.appendingPathComponent("Output/anki/all.apkg"), into: collection,
                                       options: ["--export-package", export.path])
        return (set, collection, text, export, first)
    }

    /// A deck Syllabus built, imported into a real Anki collection and exported from there
    /// (Notes in Plain Text with GUIDs, and an .apkg), holds the set's own cards, pinned and
    /// derived GUIDs alike (an inline card, a heading card without an id), and its practice-exam
    /// question: importing either export writes no card file, says where each note already is,
    /// and the build after it still succeeds. A question of another set is left out, reported.
    func testAnExportOfTheSetsOwnDeckImportsNothingAgain() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-own-deck")
        defer { try? FileManager.default.removeItem(at: work) }
        let set = work.appendingPathComponent("set")
        try EndToEndSupport.writeFixture([
            "Content/services.yml": Fixture.lambdaAndSQS,
            "Content/exam.yml": ExamQuestionTests.examYAML,
            "Content/lambda/functions.cards.md": """
                # Functions

                Which setting gives a function more CPU? :: Its memory.

                ## How long can one invocation run at most?

                Fifteen minutes.

                ## Pinned: what starts a cold start?
                <!-- id: pinned-cold-start -->

                A new execution environment.

                """,
            "Content/lambda/practice.exam.md": """
                ---
                domain: build
                ---

                # Practice

                ## Slow resizing

                A CPU-bound function is slow. What makes it faster?

                - [ ] More ephemeral storage.
                - [x] More memory.

                CPU follows memory.

                """,
            "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n",
        ], in: set)
        try EndToEndSupport.build(in: set)
        let text = work.appendingPathComponent("export.txt"), package = work.appendingPathComponent("export.apkg")
        let exported = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_roundtrip.py").path,
                                                        set.appendingPathComponent("Output/anki/all.apkg").path,
                                                        "--export-text", text.path, "--export-package", package.path], timeout: 60)
        XCTAssertEqual(exported.status, 0, exported.err)
        let before = try Self.markdownFiles(in: set.appendingPathComponent("Content"))
        for export in [text, package] {
            let imported = try CLI.run(["import", export.path, "--content", set.appendingPathComponent("Content").path], in: set)
            XCTAssertEqual(imported.status, 0, imported.err)
            XCTAssertTrue(imported.out.hasPrefix("Imported 0 notes"), imported.out)
            XCTAssertTrue(imported.out.contains("\nAlready in the study set, left as they are: 4 notes (3 cards, 1 exam question): "), imported.out)
            XCTAssertEqual(imported.out.components(separatedBy: " at Content/lambda/functions.cards.md:").count - 1
                           + imported.out.components(separatedBy: " at Content/lambda/practice.exam.md:7:1").count - 1, 3, "the first three: \(imported.out)")
            XCTAssertTrue(imported.out.contains("\nSkipped: none.\n"), imported.out)
            XCTAssertEqual(try Self.markdownFiles(in: set.appendingPathComponent("Content")), before, "no card file written or changed")
            try EndToEndSupport.build(in: set)
        }

        // Without its exam file the question is no longer the set's: it is not made a card.
        try FileManager.default.removeItem(at: set.appendingPathComponent("Content/lambda/practice.exam.md"))
        for export in [text, package] {
            let imported = try CLI.run(["import", export.path, "--content", set.appendingPathComponent("Content").path], in: set)
            XCTAssertEqual(imported.status, 0, imported.err)
            XCTAssertTrue(imported.out.contains("a practice-exam question (note type \"Syllabus Multiple Choice\") that is not one of this study set's: not imported, as import makes cards\n"), imported.out)
            XCTAssertTrue(imported.out.contains("\n" + CardImporter.examQuestionAdvice + "\n"), imported.out)
            XCTAssertTrue(imported.out.hasPrefix("Imported 0 notes"), imported.out)
        }

        // Into another set, the cards come back with their fronts and backs alone: the Link and
        // Syllabus ID fields of the text export are not pasted into the backs.
        let other = work.appendingPathComponent("other")
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: O\ndeck: O\noutputs: [anki]\n"], in: other)
        let imported = try CLI.run(["import", text.path, "--content", other.appendingPathComponent("Content").path], in: other)
        XCTAssertEqual(imported.status, 0, imported.err)
        XCTAssertTrue(imported.out.hasPrefix("Imported 3 notes"), imported.out)
        XCTAssertFalse(imported.out.contains("fields: the ones after the second"), imported.out)
        let cards = try String(contentsOf: other.appendingPathComponent("Content/lambda/imported-export.cards.md"), encoding: .utf8)
        XCTAssertTrue(cards.contains("-->\n\nFifteen minutes.\n"), cards)
        let ids = cards.components(separatedBy: "\n").compactMap { line -> String? in
            guard case let .id(id)? = CardID.read(line) else { return nil }
            return id
        }
        XCTAssertEqual(ids.count, 3, cards)
        for id in ids { XCTAssertEqual(cards.components(separatedBy: id).count - 1, 1, "\(id) only in its comment: \(cards)") }
        try EndToEndSupport.build(in: other)
    }

    /// Every Markdown file under `folder`: path relative to it → text.
    static func markdownFiles(in folder: URL) throws -> [String: String] {
        var files: [String: String] = [:]
        for case let url as URL in FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)! where url.pathExtension == "md" {
            files[String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))] = try String(contentsOf: url, encoding: .utf8)
        }
        return files
    }

    /// A text export carries no pictures: a card showing one the content folder lacks still
    /// shows it in the decks (TSV and `.apkg`) by its file name, which Anki finds in the
    /// collection's media folder, so updating the note in place keeps its `<img>`; the site and
    /// book show the name as text, and both warnings say where to get the file.
    func testPictureMissingFromTextExportSurvivesTheRoundTrip() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-missing-picture")
        defer { try? FileManager.default.removeItem(at: work) }
        let notes: [[String: Any]] = [
            ["guid": "q8", "notetype": "Basic", "deck": "Default", "fields": ["What is SQS?", "A queue<br><img src=\"queue-trial8.png\">"]],
            ["guid": "q9", "notetype": "Basic", "deck": "Default", "fields": ["Kept as a name?", "<img src=\"sub/deeper.png\"> and <img src=\"a&amp;b.png\">"]],
        ]
        let spec = work.appendingPathComponent("spec.json")
        let picture = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 8])
        try JSONSerialization.data(withJSONObject: ["notes": notes, "media": ["queue-trial8.png": picture.base64EncodedString()]]).write(to: spec)
        let collection = work.appendingPathComponent("collection.anki2"), export = work.appendingPathComponent("My Deck.txt")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    spec.path, collection.path, export.path], timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS,
                                          "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [site, anki, epub]\n"], in: work)
        let imported = try CLI.run(["import", export.path, "--content", work.appendingPathComponent("Content").path], in: work)
        XCTAssertEqual(imported.status, 0, imported.err)
        let said = imported.out + imported.err
        XCTAssertTrue(said.contains("picture 'queue-trial8.png' is not in the export") && said.contains("collection.media") && said.contains(".apkg"), said)

        let built = try CLI.run(["build", "--content", work.appendingPathComponent("Content").path,
                                 "--templates", Fixture.repository.appendingPathComponent("Templates").path,
                                 "--output", work.appendingPathComponent("Output").path,
                                 "--config", work.appendingPathComponent("syllabus.yml").path], in: work)
        XCTAssertEqual(built.status, 0, built.err)
        let warning = try XCTUnwrap(built.err.split(separator: "\n").first { $0.contains("picture 'queue-trial8.png'") }, built.err)
        XCTAssertTrue(warning.contains("collection.media") && warning.contains(".apkg"), String(warning))
        let tsv = try String(contentsOf: work.appendingPathComponent("Output/anki/all.tsv"), encoding: .utf8)
        XCTAssertTrue(tsv.contains("<img src=\"\"queue-trial8.png\"\""), tsv)
        XCTAssertTrue(tsv.contains("<img src=\"\"a&amp;b.png\"\"") && tsv.contains("<p>sub/deeper.png and "),
                      "a plain file name is kept as a picture, escaped; a path is not: \(tsv)")
        let site = work.appendingPathComponent("Output/site")
        let pages = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: site.path)).filter { $0.hasSuffix(".html") }
            .map { try String(contentsOf: site.appendingPathComponent($0), encoding: .utf8) }
        let page = try XCTUnwrap(pages.first { $0.contains("What is SQS?") })
        XCTAssertTrue(page.contains("A queue<br />\nqueue-trial8.png") || page.contains("A queue<br /> queue-trial8.png"), "the site shows its name as text: \(page)")
        XCTAssertFalse(pages.contains { $0.contains("src=\"queue-trial8.png") })
        let books = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("Output/ebook").path).filter { $0.hasSuffix(".epub") }
        let archive = try Archive(data: try Data(contentsOf: work.appendingPathComponent("Output/ebook/" + XCTUnwrap(books.first))), accessMode: .read)
        var chapters = ""
        for entry in archive where entry.path.hasSuffix(".xhtml") {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            chapters += String(decoding: data, as: UTF8.self)
        }
        XCTAssertTrue(chapters.contains("queue-trial8.png") && !chapters.contains("src=\"queue-trial8.png"), "the book shows its name as text")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work.appendingPathComponent("Output/anki/media/queue-trial8.png").path))

        let after = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.tsv"), into: collection)
        XCTAssertEqual([after.import.added, after.import.updated, after.import.rejected], [0, 2, 0])
        let back = try XCTUnwrap(after.collection.notesByGuid["q8"]).fields[1]
        XCTAssertTrue(back.contains("<img src=\"queue-trial8.png\""), "the learner's picture is kept: \(back)")
        XCTAssertEqual(after.collection.media["queue-trial8.png"], picture.count)

        let package = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.apkg"), into: collection,
                                         options: ["--merge-notetypes", "--update-notes", "always"])
        let fromPackage = try XCTUnwrap(package.collection.notesByGuid["q8"]).fields[1]
        XCTAssertTrue(fromPackage.contains("<img src=\"queue-trial8.png\""), "the package keeps it too: \(fromPackage)")
    }

    /// A picture whose name has a space (`my flow.png`, as Anki's editor names a file it is
    /// given): the decks write its name as the field had it, not percent-encoded, so after the
    /// TSV and the package go back into the collection Anki's own Check Media finds the picture
    /// used and nothing missing (with `my%20flow.png` it reported that missing and the
    /// learner's `my flow.png` unused, which Delete Unused would have removed).
    func testAPictureNamedWithASpaceIsFoundByAnkisMediaCheckAfterTheRoundTrip() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-media-space")
        defer { try? FileManager.default.removeItem(at: work) }
        let picture = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 4, 5, 6])
        let notes: [[String: Any]] = [
            ["guid": "flow1", "notetype": "Basic", "deck": "AWS::Lambda",
             "fields": ["What does the AWS Lambda flow look like?", "Like this: <img src=\"my flow.png\">"]],
        ]
        try JSONSerialization.data(withJSONObject: ["notes": notes, "media": ["my flow.png": picture.base64EncodedString()]])
            .write(to: work.appendingPathComponent("spec.json"))
        let collection = work.appendingPathComponent("collection.anki2"), export = work.appendingPathComponent("Flow.txt")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    work.appendingPathComponent("spec.json").path, collection.path, export.path], timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"],
                                         in: work)
        let imported = try CLI.run(["import", export.path, "--content", work.appendingPathComponent("Content").path], in: work)
        XCTAssertEqual(imported.status, 0, imported.err)
        try EndToEndSupport.build(in: work)
        let tsv = try String(contentsOf: work.appendingPathComponent("Output/anki/all.tsv"), encoding: .utf8)
        XCTAssertTrue(tsv.contains(#"<img src=""my flow.png"""#), tsv)

        let viaTSV = work.appendingPathComponent("tsv.anki2")
        try FileManager.default.copyItem(at: collection, to: viaTSV)
        try FileManager.default.copyItem(at: work.appendingPathComponent("collection.media"), to: work.appendingPathComponent("tsv.media"))
        let fromTSV = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.tsv"), into: viaTSV, options: ["--media-check"])
        XCTAssertEqual(fromTSV.import.updated, 1, "the note is the learner's, updated in place")
        XCTAssertTrue(fromTSV.collection.notesByGuid["flow1"]?.fields.joined().contains(#"<img src="my flow.png""#) == true,
                      "\(String(describing: fromTSV.collection.notesByGuid["flow1"]))")
        XCTAssertEqual(fromTSV.collection.mediaCheck, AnkiImport.MediaCheck(missing: [], unused: []))

        let viaPackage = work.appendingPathComponent("package.anki2")
        try FileManager.default.copyItem(at: collection, to: viaPackage)
        try FileManager.default.copyItem(at: work.appendingPathComponent("collection.media"), to: work.appendingPathComponent("package.media"))
        let fromPackage = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.apkg"), into: viaPackage,
                                             options: ["--merge-notetypes", "--update-notes", "always", "--media-check"])
        XCTAssertEqual(fromPackage.import.added, 0)
        XCTAssertTrue(fromPackage.collection.notesByGuid["flow1"]?.fields.joined().contains(#"<img src="my flow.png""#) == true,
                      "\(String(describing: fromPackage.collection.notesByGuid["flow1"]))")
        XCTAssertEqual(fromPackage.collection.mediaCheck, AnkiImport.MediaCheck(missing: [], unused: []))
    }

    /// A picture imported from a package is packaged by the build under a name from its bytes
    /// (`eb-flow-1a2b3c4d.png`); the deck exported from Anki again and imported once more refers
    /// to the file the set has: nothing copied, the card file unchanged, so round trips do not
    /// pile up copies under ever longer names. The tags Anki gives back sorted keep the card
    /// file's order, and the note is not counted as updated.
    func testAPictureTheSetHasIsNotCopiedAgainOnTheNextRoundTrip() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-media-again")
        defer { try? FileManager.default.removeItem(at: work) }
        let picture = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 7, 8, 9])
        let notes: [[String: Any]] = [
            ["guid": "flow2", "notetype": "Basic", "deck": "AWS::Lambda", "tags": ["zeta"],
             "fields": ["What does the AWS Lambda flow look like?", "Like this: <img src=\"eb flow.png\">"]],
        ]
        try JSONSerialization.data(withJSONObject: ["notes": notes, "media": ["eb flow.png": picture.base64EncodedString()]])
            .write(to: work.appendingPathComponent("spec.json"))
        let collection = work.appendingPathComponent("collection.anki2"), package = work.appendingPathComponent("Flow.apkg")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    work.appendingPathComponent("spec.json").path, collection.path,
                                                    work.appendingPathComponent("unused.txt").path, "--package", package.path], timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"],
                                         in: work)
        let content = work.appendingPathComponent("Content")
        let first = try CLI.run(["import", package.path, "--content", content.path], in: work)
        XCTAssertEqual(first.status, 0, first.err)
        let lambda = content.appendingPathComponent("lambda")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: lambda.path).sorted(), ["eb flow.png", "imported-flow.cards.md"])
        let cardFile = try String(contentsOf: lambda.appendingPathComponent("imported-flow.cards.md"), encoding: .utf8)
        XCTAssertTrue(cardFile.contains("![](<eb flow.png>)"), cardFile)
        XCTAssertTrue(cardFile.contains("<!-- tags: zeta deck::"), "the deck's tag after the note's: \(cardFile)")
        try EndToEndSupport.build(in: work)

        let again = work.appendingPathComponent("Again.apkg")
        let viaAnki = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.apkg"), into: work.appendingPathComponent("fresh.anki2"),
                                         options: ["--export-package", again.path])
        let packaged = try XCTUnwrap(viaAnki.collection.media.keys.first, "\(viaAnki.collection.media)")
        XCTAssertTrue(packaged.hasPrefix("eb-flow-") && packaged.hasSuffix(".png"), packaged)
        let second = try CLI.run(["import", again.path, "--content", content.path], in: work)
        XCTAssertEqual(second.status, 0, second.err)
        XCTAssertTrue(second.out.contains("(0 new, 0 updated)"), second.out)
        XCTAssertTrue(second.out.contains("Media: 0 files copied"), second.out)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: lambda.path).sorted(), ["eb flow.png", "imported-flow.cards.md"])
        XCTAssertEqual(try String(contentsOf: lambda.appendingPathComponent("imported-flow.cards.md"), encoding: .utf8), cardFile)
    }

    /// A collection whose stock note types carry German names ("Einfach", "Lückentext"): its
    /// text export is imported the same; the TSV back names the English types, so Anki rejects
    /// every row (nothing added or lost), and the package imported once with Merge note types
    /// takes the notes over, reviews kept. A note in the default deck, which a German profile
    /// calls "Standard", gets no deck tag, from a package (its deck id says it is the default)
    /// nor from a text export (which names it only, by one of the names Anki gives it).
    func testGermanCollectionRoundTripsThroughThePackage() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("import-german")
        defer { try? FileManager.default.removeItem(at: work) }
        let notes: [[String: Any]] = [
            ["guid": "d/e>u", "notetype": "Basic", "deck": "Lernen", "tags": ["sqs"], "fields": ["Was speichert Amazon SQS?", "Nachrichten"]],
            ["guid": "l:z#1", "notetype": "Cloze", "deck": "Lernen", "fields": ["AWS Lambda läuft höchstens {{c1::15 Minuten}}.", ""]],
            ["guid": "s!t", "notetype": "Basic", "deck": "Standard", "fields": ["Was ist CAP?", "Konsistenz, Verfügbarkeit, Partitionstoleranz"]],
        ]
        try JSONSerialization.data(withJSONObject: notes).write(to: work.appendingPathComponent("spec.json"))
        let collection = work.appendingPathComponent("sammlung.anki2"), export = work.appendingPathComponent("Stapel.txt")
        let stapel = work.appendingPathComponent("Stapel.apkg")
        let made = try EndToEndSupport.run(python, [Fixture.repository.appendingPathComponent("Tests/anki_make_collection.py").path,
                                                    work.appendingPathComponent("spec.json").path, collection.path, export.path, "--german",
                                                    "--package", stapel.path],
                                           timeout: 60)
        XCTAssertEqual(made.status, 0, made.err)
        XCTAssertTrue(try String(contentsOf: export, encoding: .utf8).contains("\tLückentext\t"))
        let before = try JSONDecoder().decode([String: AnkiImport.Collection].self, from: Data(made.out.utf8))["collection"]!
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"],
                                         in: work)
        let imported = try CLI.run(["import", export.path, "--content", work.appendingPathComponent("Content").path], in: work)
        XCTAssertTrue(imported.out.hasPrefix("Imported 3 notes (1 cloze) from Stapel.txt (anki):"), imported.out + imported.err)
        let general = try String(contentsOf: work.appendingPathComponent("Content/imported-stapel.cards.md"), encoding: .utf8)
        XCTAssertTrue(general.contains("Was ist CAP?") && !general.contains("deck::"), general)
        try EndToEndSupport.build(in: work)
        let tsv = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.tsv"), into: collection)
        XCTAssertEqual([tsv.import.added, tsv.import.updated, tsv.import.rejected], [0, 0, 3], "no stock 'Basic' or 'Cloze' there")
        let package = try AnkiImport.run(python, work.appendingPathComponent("Output/anki/all.apkg"), into: collection,
                                         options: ["--merge-notetypes", "--update-notes", "always"])
        XCTAssertEqual([package.import.added, package.import.updated + package.import.duplicates], [0, 3])
        XCTAssertEqual(package.collection.notesPerNotetype, ["Syllabus Basic": 2, "Syllabus Cloze": 1])
        XCTAssertEqual(package.collection.revlog, before.revlog)
        for (guid, note) in before.notesByGuid {
            XCTAssertEqual(package.collection.notesByGuid[guid]?.schedule, note.schedule, guid)
        }

        let fromPackage = work.appendingPathComponent("package")
        try EndToEndSupport.writeFixture(["Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n"],
                                         in: fromPackage)
        let unpacked = try CLI.run(["import", stapel.path, "--content", fromPackage.appendingPathComponent("Content").path], in: work)
        XCTAssertTrue(unpacked.out.hasPrefix("Imported 3 notes (1 cloze) from Stapel.apkg (apkg):"), unpacked.out + unpacked.err)
        let generalFromPackage = try String(contentsOf: fromPackage.appendingPathComponent("Content/imported-stapel.cards.md"), encoding: .utf8)
        XCTAssertTrue(generalFromPackage.contains("Was ist CAP?") && !generalFromPackage.contains("deck::"), generalFromPackage)
        XCTAssertTrue(try String(contentsOf: fromPackage.appendingPathComponent("Content/sqs/imported-stapel.cards.md"), encoding: .utf8)
            .contains("deck::lernen"))
    }

    /// Quizlet exports through the command line: default separators, and a multi-line
    /// definition with custom ones; every card is present, placed by the service it names, and
    /// a row that cannot be split is reported with its line.
    func testQuizletExportsArePlacedByService() throws {
        let work = try EndToEndSupport.temporaryFolder("import-quizlet")
        defer { try? FileManager.default.removeItem(at: work) }
        try EndToEndSupport.writeFixture([
            "Content/services.yml": Fixture.lambdaAndSQS, "syllabus.yml": "title: T\ndeck: Syllabus\noutputs: [anki]\n",
            "quizlet.txt": "AWS Lambda timeout\t15 minutes\nAmazon SQS retention\t4 days, up to 14\nCAP\tConsistency, availability, partition tolerance\nbroken row\n",
            "multi.txt": "Lambda layers;;Shared code\nfor AWS Lambda functions\n---\nSQS FIFO;;Exactly-once\nprocessing in Amazon SQS\n",
        ], in: work)
        let content = work.appendingPathComponent("Content").path
        let first = try CLI.run(["import", "quizlet.txt", "--content", content], in: work)
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertTrue(first.out.contains("quizlet.txt:4:1: card holds no term separator '\\t': cannot tell term from definition"), first.out)
        let second = try CLI.run(["import", "multi.txt", "--format", "quizlet", "--term-separator", ";;", "--card-separator", "\\n---\\n",
                                  "--content", content], in: work)
        XCTAssertEqual(second.status, 0, second.err)
        try EndToEndSupport.build(in: work)
        let tsv = try String(contentsOf: work.appendingPathComponent("Output/anki/all.tsv"), encoding: .utf8)
        let rows = tsv.components(separatedBy: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        XCTAssertEqual(rows.count, 5, tsv)
        func deck(of front: String) -> String? { rows.first { $0.contains(front) }?.components(separatedBy: "\t")[2] }
        XCTAssertEqual(deck(of: "AWS Lambda timeout"), "Syllabus::Lambda")
        XCTAssertEqual(deck(of: "Amazon SQS retention"), "Syllabus::SQS")
        XCTAssertEqual(deck(of: "CAP"), "Syllabus::General")
        XCTAssertEqual(deck(of: "Lambda layers"), "Syllabus::Lambda")
        XCTAssertEqual(deck(of: "SQS FIFO"), "Syllabus::SQS")
        XCTAssertTrue(rows.contains { $0.contains("Exactly-once<br /> processing in Amazon SQS") || $0.contains("Exactly-once<br />processing") }, tsv)
    }
}
