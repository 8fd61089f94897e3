import Foundation
import XCTest
@testable import SyllabusCore

/// End-to-end: the built `syllabus` executable exports Anki TSV decks, and the real Anki
/// library (Python `anki` package, through Tests/anki_roundtrip.py) imports them with its CSV
/// import, honouring the files' header lines. The interpreter comes from `ANKI_PYTHON`.
final class AnkiRoundTripTests: XCTestCase {
    /// The bundled study set: every card of the source is imported into its service's deck,
    /// nothing is rejected, and a second import adds nothing.
    func testBundledContentImportsIntoAnki() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("anki-bundled")
        defer { try? FileManager.default.removeItem(at: work) }
        let repository = Fixture.repository
        for item in ["Content", "Templates", "syllabus.yml"] {
            try FileManager.default.copyItem(at: repository.appendingPathComponent(item), to: work.appendingPathComponent(item))
        }
        try EndToEndSupport.build(in: work)

        let config = ProjectConfig.load(from: work.appendingPathComponent("syllabus.yml"), diagnostics: DiagnosticLog())
        let catalog = ServiceCatalog.load(from: work.appendingPathComponent("Content/services.yml"),
                                          displayPath: "services.yml", diagnostics: DiagnosticLog())
        let source = try SourceCardCount(content: work.appendingPathComponent("Content"))
        XCTAssertGreaterThan(source.total, 0)
        var expectedDecks: [String: Int] = [:]
        var serviceOfDeck: [String: String] = [:]
        for (serviceID, count) in source.perService {
            let service = try XCTUnwrap(catalog[serviceID], "folder \(serviceID) is no service")
            expectedDecks["\(config.deck)::\(service.short)", default: 0] += count
            serviceOfDeck["\(config.deck)::\(service.short)"] = serviceID
        }
        let examDeck = "\(config.deck)::Practice exam"
        XCTAssertGreaterThan(source.questions, 0)
        expectedDecks[examDeck] = source.questions

        let collection = work.appendingPathComponent("anki/collection.anki2")
        let anki = work.appendingPathComponent("Output/anki")
        let first = try AnkiImport.run(python, anki, into: collection)
        XCTAssertTrue(first.import.newCollection)
        XCTAssertEqual(first.files.map(\.file).filter { $0 == "all.tsv" }, ["all.tsv"])
        XCTAssertEqual(first.files.count, source.perService.count + 2, "one TSV per service with cards, exam.tsv and all.tsv")
        AnkiImport.assertHeadersHonoured(first)
        XCTAssertEqual(first.import.rejected, 0, "rows Anki skipped or could not place")
        XCTAssertEqual(first.import.found, first.import.rows)
        XCTAssertEqual(first.import.added, source.total + source.questions, "every card and question of the source becomes one note")
        XCTAssertEqual(first.collection.notes, source.total + source.questions)
        XCTAssertEqual(first.collection.notesPerDeck, expectedDecks)
        XCTAssertEqual(first.collection.clozeNotes, source.cloze)
        XCTAssertEqual(first.collection.notesPerNotetype,
                       ["Basic": source.total - source.cloze + source.questions, "Cloze": source.cloze].filter { $0.value > 0 })
        for (guid, note) in first.collection.notesByGuid {
            XCTAssertEqual(note.decks.count, 1, guid)
            if note.decks == [examDeck] {
                XCTAssertEqual(note.tags.filter { $0.hasPrefix("exam::") }.count, 1, "\(guid) is tagged with its domain: \(note.tags)")
                continue
            }
            let serviceID = try XCTUnwrap(serviceOfDeck[note.decks[0]], "unexpected deck \(note.decks)")
            XCTAssertTrue(note.tags.contains { $0.hasSuffix("::\(serviceID)") }, "\(guid) lacks <category>::\(serviceID): \(note.tags)")
            XCTAssertFalse(note.fields[0].isEmpty, guid)
            if note.notetype == "Cloze" { XCTAssertTrue(note.fields[0].contains("{{c1::"), note.fields[0]) }
        }
        XCTAssertFalse(first.collection.tags.contains { $0.contains(" ") })

        let second = try AnkiImport.run(python, anki, into: collection)
        XCTAssertEqual(second.import.added, 0, "a second import adds no note")
        XCTAssertEqual(second.import.updated, 0)
        XCTAssertEqual(second.import.rejected, 0)
        XCTAssertEqual(second.collection.notes, source.total + source.questions)
        XCTAssertEqual(second.collection.notesByGuid.mapValues(\.id), first.collection.notesByGuid.mapValues(\.id))
    }

    /// A small study set with every awkward field: cloze and `==highlight==` cards, a code block
    /// with a tab, double quotes, fronts and a back starting with `#`, inline cards. Then the
    /// update story: re-import adds nothing; a fixed answer updates its note in place.
    func testFixtureRoundTripUpdatesEditedNoteInPlace() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("anki-fixture")
        defer { try? FileManager.default.removeItem(at: work) }
        try EndToEndSupport.writeFixture(Self.fixture, in: work)
        try EndToEndSupport.build(in: work)

        let source = try SourceCardCount(content: work.appendingPathComponent("Content"))
        XCTAssertEqual(source.total, 7)
        XCTAssertEqual(source.cloze, 2)
        let collection = work.appendingPathComponent("anki/collection.anki2")
        let anki = work.appendingPathComponent("Output/anki")

        let first = try AnkiImport.run(python, anki, into: collection)
        XCTAssertEqual(first.files.map(\.file), ["all.tsv", "lambda.tsv", "s3.tsv"])
        AnkiImport.assertHeadersHonoured(first)
        XCTAssertEqual(first.import.rejected, 0)
        XCTAssertEqual(first.import.rows, 14)
        XCTAssertEqual(first.import.found, 14)
        XCTAssertEqual(first.import.added, 7)
        XCTAssertEqual(first.import.duplicates, 7, "the service files repeat all.tsv's notes")
        let summary = first.collection
        XCTAssertEqual(summary.notes, 7)
        XCTAssertEqual(summary.cards, 8, "the ==highlight== card has two deletions, so two Anki cards")
        XCTAssertEqual(summary.notesPerDeck, ["Fixture Deck::Lambda": 5, "Fixture Deck::S3": 2])
        XCTAssertEqual(summary.notesPerNotetype, ["Basic": 5, "Cloze": 2])
        XCTAssertEqual(summary.clozeNotes, 2)
        XCTAssertEqual(summary.tags, ["compute::lambda", "exam", "runtime-basics", "storage::s3"])

        let notes = Array(summary.notesByGuid.values)
        func note(front: String, file: StaticString = #filePath, line: UInt = #line) throws -> AnkiImport.Note {
            try XCTUnwrap(notes.first { $0.fields.first == front }, "no note with front \(front): \(notes.map { $0.fields[0] })", file: file, line: line)
        }
        let timeout = try note(front: "What is the maximum timeout of a Lambda function?")
        XCTAssertEqual(timeout.notetype, "Basic")
        XCTAssertEqual(timeout.fields, ["What is the maximum timeout of a Lambda function?", "<p><strong>15 minutes</strong> (900 seconds).</p>"])
        XCTAssertEqual(Set(timeout.tags), ["compute::lambda", "exam", "runtime-basics"])
        let cloze = try note(front: "The default Lambda timeout is {{c1::3 seconds}}.")
        XCTAssertEqual(cloze.notetype, "Cloze")
        XCTAssertEqual(cloze.fields[1], "<p>It can be raised up to 15 minutes.</p>")
        let highlight = try note(front: "Lambda keeps temporary files in {{c1::/tmp}}, up to {{c2::10 GB}}.")
        XCTAssertEqual(highlight.notetype, "Cloze")
        XCTAssertEqual(highlight.cards, 2)
        let code = try note(front: "How does a Python handler return &quot;hello&quot;?")
        XCTAssertTrue(code.fields[1].hasPrefix("<pre><code class=\"language-python\">def handler(event, context):<br>\treturn &quot;hello&quot;<br></code></pre>"),
                      "code block with tab and quotes: \(code.fields[1])")
        XCTAssertTrue(code.fields[1].hasSuffix("<p>Quotes &quot;like this&quot; and a\ttab stay.</p>"), code.fields[1])
        _ = try note(front: "#1 cause of cold starts?")
        let inline = try note(front: "Largest object S3 stores")
        XCTAssertEqual(inline.fields[1], "5 TB")
        XCTAssertEqual(inline.decks, ["Fixture Deck::S3"])
        XCTAssertEqual(inline.tags, ["storage::s3"])
        let hashInline = try note(front: "#1 rule for bucket names")
        XCTAssertEqual(hashInline.fields[1], "# they are globally unique")

        let second = try AnkiImport.run(python, anki, into: collection)
        XCTAssertFalse(second.import.newCollection)
        XCTAssertEqual(second.import.added, 0, "re-importing the same decks adds no note")
        XCTAssertEqual(second.import.updated, 0)
        XCTAssertEqual(second.import.duplicates, 14)
        XCTAssertEqual(second.import.rejected, 0)
        XCTAssertEqual(second.collection.notesByGuid, summary.notesByGuid, "nothing changed in the collection")

        // Fix one answer in the source and rebuild: the note keeps its GUID and id.
        let cardsFile = work.appendingPathComponent("Content/lambda/lambda.cards.md")
        let text = try String(contentsOf: cardsFile, encoding: .utf8)
        XCTAssertTrue(text.contains("(900 seconds)"))
        try text.replacingOccurrences(of: "(900 seconds)", with: "(900 s, the hard limit)").write(to: cardsFile, atomically: true, encoding: .utf8)
        try EndToEndSupport.build(in: work)

        let third = try AnkiImport.run(python, anki, into: collection)
        XCTAssertEqual(third.import.added, 0, "an edited back adds no note")
        XCTAssertEqual(third.import.updated, 1, "an edited back updates its note")
        XCTAssertEqual(third.import.rejected, 0)
        XCTAssertEqual(third.collection.notes, 7)
        XCTAssertEqual(third.collection.notesByGuid.mapValues(\.id), summary.notesByGuid.mapValues(\.id), "same GUIDs, same note ids")
        let changed = third.collection.notesByGuid.filter { summary.notesByGuid[$0.key]?.fields != $0.value.fields }
        let timeoutGUID = try XCTUnwrap(summary.notesByGuid.first { $0.value.id == timeout.id }?.key)
        XCTAssertEqual(Array(changed.keys), [timeoutGUID], "exactly the edited note changed")
        XCTAssertEqual(changed.first?.value.fields, ["What is the maximum timeout of a Lambda function?",
                                                     "<p><strong>15 minutes</strong> (900 s, the hard limit).</p>"])
        XCTAssertEqual(changed.first?.value.id, timeout.id)
    }

    static let fixture: [String: String] = [
        "Content/services.yml": Fixture.plainServices,
        "syllabus.yml": "title: Fixture\ndeck: Fixture Deck\noutputs: [site, anki]\n",
        "Content/lambda/lambda.cards.md": """
            ---
            title: Lambda cards
            tags: [exam, Runtime Basics]
            ---
            # Lambda cards

            ## What is the maximum timeout of a Lambda function?

            **15 minutes** (900 seconds).

            ## The default Lambda timeout is {{c1::3 seconds}}.

            It can be raised up to 15 minutes.

            ## Lambda keeps temporary files in ==/tmp==, up to ==10 GB==.

            ## How does a Python handler return "hello"?

            ```python
            def handler(event, context):
            \treturn "hello"
            ```

            Quotes "like this" and a\ttab stay.

            ## #1 cause of cold starts?

            A new execution environment: the **init** phase runs again.

            """,
        "Content/s3/overview.cards.md": """
            # S3 overview

            S3 stores objects in buckets.

            Largest object S3 stores :: 5 TB

            #1 rule for bucket names :: # they are globally unique

            """,
    ]
}

/// Runs Tests/anki_roundtrip.py and decodes its JSON report.
enum AnkiImport {
    struct Report: Decodable {
        var `import`: Totals
        var files: [FileResult]
        var collection: Collection
    }

    struct Totals: Decodable {
        var added, updated, duplicates, rows, found, rejected, notesBefore, notesAfter: Int
        /// Notes a package import skipped because the collection has them with another note type.
        var conflicting: Int
        var newCollection: Bool
        enum CodingKeys: String, CodingKey {
            case added, updated, duplicates, rows, found, rejected, conflicting
            case notesBefore = "notes_before", notesAfter = "notes_after", newCollection = "new_collection"
        }
    }

    struct FileResult: Decodable {
        var file: String
        /// What Anki read from a TSV's header lines; nil for a package.
        var metadata: Metadata?
        var added, updated, duplicates, rows, found, rejected: Int
    }

    struct Metadata: Decodable {
        var delimiter: String
        var isHTML: Bool
        var columns: [String]
        var guidColumn, notetypeColumn, deckColumn, tagsColumn: Int
        enum CodingKeys: String, CodingKey {
            case delimiter, columns, isHTML = "is_html", guidColumn = "guid_column"
            case notetypeColumn = "notetype_column", deckColumn = "deck_column", tagsColumn = "tags_column"
        }
    }

    struct Collection: Decodable {
        var notes, cards, clozeNotes, revlog, reviewed: Int
        var notesPerDeck, notesPerNotetype: [String: Int]
        var tags, notetypes: [String]
        /// The collection's media files and their sizes.
        var media: [String: Int]
        var notesByGuid: [String: Note]
        /// With `--media-check`: the files Anki's Check Media finds missing and unused.
        var mediaCheck: MediaCheck?
        enum CodingKeys: String, CodingKey {
            case notes, cards, tags, revlog, reviewed, notetypes, media, clozeNotes = "cloze_notes", notesPerDeck = "notes_per_deck"
            case notesPerNotetype = "notes_per_notetype", notesByGuid = "notes_by_guid", mediaCheck = "media_check"
        }
    }

    struct MediaCheck: Decodable, Equatable {
        var missing, unused: [String]
    }

    struct Note: Decodable, Equatable {
        var id: Int64
        var notetype: String
        var decks: [String]
        var cards: Int
        var tags: [String]
        var fields: [String]
        var mod: Int64
        var schedule: [Schedule]
        /// Each card as Anki shows it, by ordinal (only with the script's `--render`).
        var rendered: [Rendered]?
    }

    /// A card's question and answer HTML, as Anki renders them from the note and its type.
    struct Rendered: Decodable, Equatable {
        var question, answer: String
    }

    /// One card of a note: its deck and everything the scheduler keeps.
    struct Schedule: Decodable, Equatable {
        var ord: Int
        var deck: String
        var type, queue, due, ivl, factor, reps, lapses: Int
    }

    static var script: URL { Fixture.repository.appendingPathComponent("Tests/anki_roundtrip.py") }

    /// Imports `decks` (a folder of TSVs, or one file) into `collection`; `options` are the
    /// script's further flags (`--review`, `--merge-notetypes`…).
    static func run(_ python: String, _ decks: URL, into collection: URL, options: [String] = [],
                    file: StaticString = #filePath, line: UInt = #line) throws -> Report {
        let result = try EndToEndSupport.run(python, [script.path, decks.path, "--collection", collection.path] + options, timeout: 60)
        guard result.status == 0 else {
            XCTFail("anki_roundtrip.py failed (\(result.status)): \(result.err)", file: file, line: line)
            throw EndToEndSupport.Failure.process(result.err)
        }
        return try JSONDecoder().decode(Report.self, from: Data(result.out.utf8))
    }

    /// Anki read the header lines: tab separated, HTML, GUID, notetype, deck and tags columns.
    static func assertHeadersHonoured(_ report: Report, file: StaticString = #filePath, line: UInt = #line) {
        for result in report.files {
            guard let metadata = result.metadata else {
                XCTFail("\(result.file) is not a TSV", file: file, line: line)
                continue
            }
            XCTAssertEqual(metadata.delimiter, "TAB", result.file, file: file, line: line)
            XCTAssertTrue(metadata.isHTML, result.file, file: file, line: line)
            XCTAssertEqual(metadata.columns, ["GUID", "Notetype", "Deck", "Front", "Back", "Tags"], result.file, file: file, line: line)
            XCTAssertEqual([metadata.guidColumn, metadata.notetypeColumn, metadata.deckColumn, metadata.tagsColumn], [1, 2, 3, 6],
                           result.file, file: file, line: line)
            XCTAssertEqual(result.rejected, 0, result.file, file: file, line: line)
        }
    }
}

/// The cards a study set should have, counted from its Markdown without Syllabus's parser:
/// in card files, `## ` headings and the `Front :: Back` lines before the first of them (code
/// fences skipped; other notes hold none); and its exam questions, the `## ` headings of
/// `*.exam.md` files.
struct SourceCardCount {
    var perService: [String: Int] = [:]
    var cloze = 0
    var questions = 0
    var total: Int { perService.values.reduce(0, +) }

    init(content: URL) throws {
        let files = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)!
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "md" }
        for file in files {
            let relative = file.path.dropFirst(content.path.count + 1)
            if file.lastPathComponent.hasSuffix(".exam.md") {
                let text = try String(contentsOf: file, encoding: .utf8)
                questions += text.components(separatedBy: "\n").filter { $0.hasPrefix("## ") }.count
                continue
            }
            guard let slash = relative.firstIndex(of: "/") else { continue }
            let service = String(relative[..<slash])
            let text = try String(contentsOf: file, encoding: .utf8)
            let isCardsFile = file.lastPathComponent.hasSuffix(".cards.md")
                || text.range(of: #"(?m)\A---\n(?:.*\n)*?cards:\s*true\s*\n"#, options: .regularExpression) != nil
            guard isCardsFile else { continue }
            var inFence = false
            var inHeadingCard = false
            for line in text.components(separatedBy: "\n") {
                if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle(); continue }
                if inFence { continue }
                let front: Substring
                if line.hasPrefix("## ") {
                    inHeadingCard = true
                    front = line.dropFirst(3)
                } else {
                    guard !inHeadingCard, let separator = line.range(of: " :: ") else { continue }
                    front = line[..<separator.lowerBound]
                }
                perService[service, default: 0] += 1
                if front.contains("{{c") || front.range(of: "==[^=]+==", options: .regularExpression) != nil { cloze += 1 }
            }
        }
    }
}
