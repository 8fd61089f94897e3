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

    init() {}

    /// The history the output sink kept, or an empty one.
    init(_ data: Data?) {
        self = data.flatMap { try? JSONDecoder().decode(AnkiHistory.self, from: $0) } ?? AnkiHistory()
    }

    var data: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The modification time for a note with content `hash` whose source changed at `fileTime`.
    func modified(guid: String, hash: String, fileTime: Int64) -> Int64 {
        guard let earlier = notes[guid] ?? removed[guid] else { return fileTime }
        if earlier.hash == hash, notes[guid] != nil { return earlier.modified }
        return max(fileTime, earlier.modified + 1)
    }

    /// The removed notes after a build whose notes are `current` (GUIDs).
    func removed(keeping current: Set<String>) -> [String: Note] {
        var removed = self.removed
        for (guid, note) in notes { removed[guid] = note }
        return removed.filter { !current.contains($0.key) }
    }
}
