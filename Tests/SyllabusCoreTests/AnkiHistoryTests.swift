import XCTest
@testable import SyllabusCore

/// The Anki history (`Output/.syllabus-state-anki`) keeps each note's modification time, which
/// learners' review history depends on (see `AnkiHistory`): it must survive a change of its
/// stored form, and a rebuild that changes no note must not write it again.
final class AnkiHistoryTests: XCTestCase {
    static let files = [
        "lambda/tuning.md": "# Tuning Lambda\n\nMore **memory** means more CPU.\n",
        "lambda.cards.md": "# Lambda cards\n\n## What is the maximum timeout?\n\n15 minutes.\n\n## Default memory?\n\n128 MB.\n",
        "s3.cards.md": "# S3 cards\n\n## The {{c1::Glacier}} classes archive data\n",
    ]

    static let statePath = "Output/.syllabus-state-\(AnkiHistory.stateName)"

    private func history(_ fixture: Fixture) throws -> Data {
        try Data(contentsOf: fixture.root.appendingPathComponent(Self.statePath))
    }

    private func inode(_ fixture: Fixture) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: fixture.root.appendingPathComponent(Self.statePath).path)
        return try XCTUnwrap(attributes[.systemFileNumber] as? NSNumber).intValue
    }

    func testHistoryIsStoredInItsBinaryFormAndReadBack() async throws {
        let fixture = try Fixture(Self.files)
        _ = try await fixture.build()
        let data = try history(fixture)
        XCTAssertTrue(data.starts(with: AnkiHistory.magic), "the binary form, not JSON")
        let history = AnkiHistory(data)
        XCTAssertEqual(history.notes.values.map(\.front).sorted(), ["Default memory?", "The {{c1::Glacier}} classes archive data", "What is the maximum timeout?"])
        XCTAssertEqual(AnkiHistory(history.data), history)
        var truncated = data
        truncated.removeLast()
        XCTAssertEqual(AnkiHistory(truncated), AnkiHistory(), "damaged bytes read as no history (notes then take their files' times)")
    }

    /// The history is read by hand (`AnkiHistory.init(reading:)`), not through `Decodable`:
    /// it reads back what `BinaryCoder` writes, removed notes and times of any sign included.
    func testHistoryIsReadByHandAsTheCoderWroteIt() throws {
        var history = AnkiHistory()
        history.notes["sA1"] = AnkiHistory.Note(hash: "h1", modified: 1_700_000_000, deck: "Lambda", front: "Timeout?")
        history.notes["sB2"] = AnkiHistory.Note(hash: "h2", modified: -5, deck: "S3", front: "Storage classes \u{2713}")
        history.removed["sC3"] = AnkiHistory.Note(hash: "h3", modified: 42, deck: "Old", front: "Gone")
        let data = history.data
        var reader = ByteReader([UInt8](data)[AnkiHistory.magic.count...])
        XCTAssertEqual(try BinaryCoder.decode(AnkiHistory.self, from: &reader), history, "the stored form is the coder's")
        XCTAssertEqual(AnkiHistory(data), history)
    }

    /// An earlier version's JSON history is read: every unchanged note keeps the time it gave,
    /// the edited one moves on, and the history is then stored in the binary form.
    func testHistoryOfAnEarlierVersionKeepsEveryNotesTime() async throws {
        let fixture = try Fixture(Self.files)
        _ = try await fixture.build()
        var earlier = AnkiHistory(try history(fixture))
        // Times older than any file's: only the history can have given them.
        for (offset, guid) in earlier.notes.keys.sorted().enumerated() { earlier.notes[guid]?.modified = 1_500_000_000 + Int64(offset) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try fixture.write(Self.statePath, try encoder.encode(earlier))

        try fixture.write("Content/lambda.cards.md", "# Lambda cards\n\n## What is the maximum timeout?\n\n15 minutes (900 s).\n\n## Default memory?\n\n128 MB.\n")
        _ = try await fixture.build()
        let data = try history(fixture)
        XCTAssertTrue(data.starts(with: AnkiHistory.magic), "rewritten in the binary form")
        let after = AnkiHistory(data)
        XCTAssertEqual(Set(after.notes.keys), Set(earlier.notes.keys))
        for (guid, note) in earlier.notes {
            if note.front == "What is the maximum timeout?" {
                XCTAssertGreaterThan(after.notes[guid]?.modified ?? 0, note.modified, "the edited note is newer")
            } else {
                XCTAssertEqual(after.notes[guid]?.modified, note.modified, "\(note.front) keeps its time")
            }
        }
    }

    /// A rebuild that changes no note (a prose edit) leaves the history file as it is; one that
    /// changes a note writes it again.
    func testOnlyARebuildThatChangesANoteWritesTheHistory() async throws {
        let fixture = try Fixture(Self.files)
        _ = try await fixture.build()
        let first = try inode(fixture)
        let before = AnkiHistory(try history(fixture))

        try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nMore **memory** means more CPU, and more cost.\n")
        let prose = try await fixture.build()
        XCTAssertFalse(prose.failed || prose.upToDate, "\(prose.diagnostics)")
        XCTAssertEqual(try inode(fixture), first, "the same file: not written again")
        XCTAssertEqual(AnkiHistory(try history(fixture)), before)

        try fixture.write("Content/s3.cards.md", "# S3 cards\n\n## The {{c1::Glacier}} classes archive data for years\n")
        _ = try await fixture.build()
        XCTAssertNotEqual(try inode(fixture), first)
        let after = AnkiHistory(try history(fixture))
        XCTAssertNotEqual(after, before)
        XCTAssertEqual(after.notes.values.map(\.front).sorted(),
                       ["Default memory?", "The {{c1::Glacier}} classes archive data for years", "What is the maximum timeout?"])
    }
}
