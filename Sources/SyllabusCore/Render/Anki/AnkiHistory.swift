import Foundation

/// What the Anki output remembers from build to build (`OutputSink.keep`, saved as
/// `Output/.syllabus-state-anki`): each exported note's content hash and modification time,
/// and the notes earlier builds exported that the source no longer has.
///
/// Anki's default package import updates a note only when the incoming modification time is
/// newer than the collection's. So a note's time must move forward exactly when its content
/// changes: it is kept while the hash is the same, and otherwise becomes its source file's
/// modification time (at least one second after the time it had). A build without this file
/// (a fresh clone, after `clean`) uses the files' times: those are never older than a time
/// an earlier build gave (a checkout writes files at checkout time), so no edit is skipped;
/// unchanged notes are then updated once with the same content. The same content and the
/// same history give the same package.
///
/// Stored as `magic` then `BinaryCoder`'s bytes, which every build reads and a build that
/// changes it writes; the JSON of earlier versions is still read (and replaced by the next
/// build), so upgrading keeps every note's time.
struct AnkiHistory: Codable, Equatable {
    struct Note: Codable, Equatable {
        var hash: String
        var modified: Int64
        var deck: String
        var front: String
    }

    /// The notes of the last build, by GUID.
    var notes: [String: Note] = [:]
    /// Notes some earlier build had and later builds do not, by GUID, until they come back.
    var removed: [String: Note] = [:]

    static let stateName = "anki"

    /// No note exported and none removed: what a build that never exported one keeps.
    var isEmpty: Bool { notes.isEmpty && removed.isEmpty }

    /// The first bytes of the stored form: a name no JSON text starts with, and the form's
    /// version (a change of the fields above needs a new one, and `init(_:)` reading the old).
    static let magic = Array("syllabus-anki-history\u{0}1\n".utf8)

    init() {}

    /// The history the output sink kept, or an empty one when there is none or it cannot be
    /// read (a build then gives notes their files' times, which skips no edit: see above).
    init(_ data: Data?) {
        self = data.flatMap(Self.decoded) ?? AnkiHistory()
    }

    /// Whether `data` is in the current stored form (not the JSON of earlier versions).
    static func isCurrent(_ data: Data?) -> Bool {
        data.map { $0.starts(with: magic) } ?? false
    }

    private static func decoded(_ data: Data) -> AnkiHistory? {
        guard data.starts(with: magic) else { return try? JSONDecoder().decode(AnkiHistory.self, from: data) }
        var reader = ByteReader([UInt8](data)[magic.count...])
        guard let history = try? AnkiHistory(reading: &reader), reader.isAtEnd else { return nil }
        return history
    }

    /// Reads what `BinaryCoder` writes of a history (each dictionary's count, then each GUID
    /// and the note's fields in declaration order), by hand: every build of the decks reads
    /// it, and through `Decodable`'s generic containers it took a quarter of a one-note
    /// rebuild's keying of the decks. `AnkiHistoryTests` holds the two to the same values.
    /// - Throws: `ByteReader.Malformed` when the bytes end early or do not fit.
    init(reading reader: inout ByteReader) throws {
        func read() throws -> [String: Note] {
            let count = try reader.count()
            var notes: [String: Note] = [:]
            notes.reserveCapacity(count)
            for _ in 0..<count {
                let guid = try reader.string()
                let hash = try reader.string(), modified = Int64(try reader.int()), deck = try reader.string()
                notes[guid] = Note(hash: hash, modified: modified, deck: deck, front: try reader.string())
            }
            return notes
        }
        self.init()
        notes = try read()
        removed = try read()
    }

    /// The stored form: `magic`, then the history through `BinaryCoder`.
    var data: Data {
        var writer = ByteWriter()
        writer.raw(Self.magic[...])
        // Strings, integers and string-keyed dictionaries: nothing `BinaryCoder` refuses.
        try! BinaryCoder.encode(self, into: &writer)
        return Data(writer.bytes)
    }

    /// The modification time for a note with content `hash` whose source changed at `fileTime`.
    func modified(guid: String, hash: String, fileTime: Int64) -> Int64 {
        guard let earlier = notes[guid] ?? removed[guid] else { return fileTime }
        if earlier.hash == hash, notes[guid] != nil { return earlier.modified }
        return max(fileTime, earlier.modified + 1)
    }

    /// The removed notes after a build whose notes are `current` (GUIDs): the last build's
    /// notes that are not current join those removed before, and current ones leave.
    func removed(keeping current: Set<String>) -> [String: Note] {
        var removed = self.removed.filter { !current.contains($0.key) }
        for (guid, note) in notes where !current.contains(guid) { removed[guid] = note }
        return removed
    }
}
