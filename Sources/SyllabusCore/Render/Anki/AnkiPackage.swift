import Foundation

/// One note of a package, with everything Anki stores for it.
struct AnkiNote {
    var id: Int64
    var guid: String
    var type: AnkiNoteType
    var deck: String
    /// In the note type's field order, HTML.
    var fields: [String]
    var tags: [String]
    /// Seconds since 1970: Anki's default import updates an existing note only when this is
    /// newer than the note's own time (see `AnkiHistory`).
    var modified: Int64
    /// Card ordinals: 0 for a basic note; cloze number − 1 for each deletion of a cloze note.
    var cardOrdinals: [Int]
    /// Card id per ordinal, unique in the package.
    var cardIDs: [Int64]
    /// Position among new cards.
    var due: Int
}

/// Writes an Anki package (`.apkg`) in the legacy layout every Anki reads, desktop 2.1.x and
/// later, AnkiDroid and AnkiMobile: a zip holding `collection.anki2` (an SQLite collection,
/// schema 11: notes, cards and a `col` row whose JSON columns hold note types, decks and
/// options), a `media` JSON object mapping entry names "0", "1"… to file names, and the media
/// files under those entry names. The format is described by Anki's own importer
/// (`rslib/src/import_export/package/`, which reads this layout when the zip has no `meta`
/// entry) and by genanki's writer. The same notes give the same bytes: every id, time and zip
/// date is fixed or comes from the notes.
enum AnkiPackage {
    /// - Throws: SQLite or zip failures (not expected with valid notes).
    static func make(notes: [AnkiNote], media: [(name: String, data: Data)]) throws -> Data {
        let map = Dictionary(uniqueKeysWithValues: media.enumerated().map { (String($0.offset), $0.element.name) })
        var entries = [
            try ZipEntry(path: "collection.anki2", data: try collection(notes), level: deflateLevel),
            try ZipEntry(path: "media", data: try JSONSerialization.data(withJSONObject: map, options: [.sortedKeys]), level: deflateLevel),
        ]
        for (index, file) in media.enumerated() { entries.append(try ZipEntry(path: String(index), data: file.data, level: deflateLevel)) }
        return try ZipEntry.archive(entries, date: zipDate)
    }

    /// libdeflate's level 5 (of 0-12): the fastest that makes the packages no larger than
    /// ZIPFoundation's zlib at its default level 6 did. Over the 9.2 MB of collections and media
    /// lists in the 39 packages of the 2,075-note benchmark corpus (one call per entry, one
    /// thread), libdeflate's level 1 took 0.022 s of CPU for 1.29 MB, level 3 0.028 s for
    /// 1.17 MB, level 5 0.033 s for 1.11 MB and level 6 0.040 s for 1.08 MB, where zlib's level 6
    /// took 0.080 s for 1.11 MB.
    static let deflateLevel: Int32 = 5

    /// A fixed date for the zip entries (2026-01-01, UTC), so the bytes never depend on the clock.
    private static let zipDate = Date(timeIntervalSince1970: 1_767_225_600)
    /// The package collection's own creation and modification times; Anki ignores them on
    /// import (it keeps its own collection's).
    private static let created: Int64 = 1_767_225_600

    private static let schema = """
        CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
          ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
          models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
        CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
          usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
          flags integer NOT NULL, data text NOT NULL);
        CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
          mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
          ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL,
          odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
        CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
          ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
        CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
        CREATE INDEX ix_notes_usn ON notes (usn);
        CREATE INDEX ix_cards_usn ON cards (usn);
        CREATE INDEX ix_revlog_usn ON revlog (usn);
        CREATE INDEX ix_cards_nid ON cards (nid);
        CREATE INDEX ix_cards_sched ON cards (did, queue, due);
        CREATE INDEX ix_revlog_cid ON revlog (cid);
        CREATE INDEX ix_notes_csum ON notes (csum);
        """

    private static func collection(_ notes: [AnkiNote]) throws -> Data {
        var deckIDs: [String: Int64] = ["Default": 1]
        for note in notes {
            // Every parent of a `::` deck exists as a deck of its own.
            let parts = note.deck.components(separatedBy: "::")
            for depth in 1...parts.count {
                let name = parts[0..<depth].joined(separator: "::")
                if deckIDs[name] == nil { deckIDs[name] = id(of: "deck\u{1F}" + name) }
            }
        }
        let database = try SQLiteDatabase()
        try database.execute(schema)
        try database.execute("BEGIN")
        try database.insert("INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')", rows: [[
            .integer(created), .integer(created * 1000), .integer(created * 1000),
            .text(try json(configuration(notes))), .text(try models(notes)), .text(try json(decks(deckIDs))),
            .text(try deckOptionsJSON.get()),
        ]])
        try database.insert("INSERT INTO notes VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, 0, '')", rows: notes.map { note in
            let sortField = plainText(note.fields[0])
            return [.integer(note.id), .text(note.guid), .integer(note.type.id), .integer(note.modified),
                    .text(note.tags.isEmpty ? "" : " " + note.tags.joined(separator: " ") + " "),
                    .text(note.fields.joined(separator: "\u{1F}")), .text(sortField), .integer(checksum(sortField))]
        })
        try database.insert("INSERT INTO cards VALUES (?, ?, ?, ?, ?, 0, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')", rows: notes.flatMap { note in
            zip(note.cardOrdinals, note.cardIDs).map { ordinal, cardID -> [SQLiteDatabase.Value] in
                [.integer(cardID), .integer(note.id), .integer(deckIDs[note.deck]!), .integer(Int64(ordinal)),
                 .integer(note.modified), .integer(Int64(note.due))]
            }
        })
        try database.execute("COMMIT")
        return try database.serialized()
    }

    private static func json(_ object: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    private static func configuration(_ notes: [AnkiNote]) -> [String: Any] {
        ["nextPos": notes.count + 1, "schedVer": 2, "curDeck": 1, "activeDecks": [1], "curModel": AnkiNoteType.basic.id,
         "newSpread": 0, "collapseTime": 1200, "timeLim": 0, "estTimes": true, "dueCounts": true, "sortType": "noteFld",
         "sortBackwards": false, "addToCur": true]
    }

    /// The `models` JSON of the note types the notes use. There are three types, and every
    /// package of a build serializes the same few sets of them (Foundation's serializer was
    /// half of a small package's time): each set's JSON is made once per process.
    private static func models(_ notes: [AnkiNote]) throws -> String {
        let types = Dictionary(notes.map { (String($0.type.id), $0.type) }) { first, _ in first }
        let name = types.keys.sorted().joined(separator: ",")
        if let known = modelsJSON.text(name) { return known }
        let text = try json(types.mapValues { $0.json() })
        modelsJSON.keep(text, name)
        return text
    }

    /// `models` JSON by the note type ids it holds (sorted, comma-separated).
    private static let modelsJSON = JSONTexts()

    /// Texts by name, for packages made on several threads.
    private final class JSONTexts: @unchecked Sendable {
        private let lock = NSLock()
        private var texts: [String: String] = [:]

        func text(_ name: String) -> String? { lock.withLock { texts[name] } }
        func keep(_ text: String, _ name: String) { lock.withLock { texts[name] = text } }
    }

    /// The `dconf` JSON: the same for every package.
    private static let deckOptionsJSON = Result { try json(["1": deckOptions]) }

    private static func decks(_ ids: [String: Int64]) -> [String: Any] {
        Dictionary(uniqueKeysWithValues: ids.map { name, id in
            (String(id), ["id": id, "name": name, "mod": created, "usn": 0, "lrnToday": [0, 0], "revToday": [0, 0],
                          "newToday": [0, 0], "timeToday": [0, 0], "collapsed": false, "browserCollapsed": false,
                          "desc": "", "dyn": 0, "conf": 1, "extendNew": 0, "extendRev": 0] as [String: Any])
        })
    }

    /// Anki's stock "Default" options group; packages must carry one, the import keeps the
    /// learner's own.
    private static let deckOptions: [String: Any] = [
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true, "timer": 0, "replayq": true,
        "dyn": false,
        "new": ["bury": false, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 0], "order": 1, "perDay": 20],
        "rev": ["bury": false, "ease4": 1.3, "ivlFct": 1, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2],
        "lapse": ["delays": [10], "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0],
    ]

    /// A positive id from a hash, in the range of millisecond timestamps Anki uses for ids.
    static func id(of text: String) -> Int64 {
        1_000_000_000_000 + Int64(IdentifierHash.fnv1a64(text) % 900_000_000_000)
    }

    /// The field as Anki's sort field and checksum see it: tags removed, entities decoded.
    static func plainText(_ html: String) -> String {
        asciiPlainText(html) ?? characterPlainText(html)
    }

    /// `plainText` of any text, a Character at a time, then each entity decoded in turn.
    static func characterPlainText(_ html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true } else if character == ">" && inTag { inTag = false } else if !inTag { text.append(character) }
        }
        guard text.contains("&") else { return text }
        for (entity, value) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: value)
        }
        return text
    }

    /// `plainText` of a field in ASCII (nearly every one), byte by byte in one pass: walking
    /// Characters and Foundation's replacements took a share of the decks' time. In ASCII a
    /// byte is a Character, and the entities can neither overlap nor be made by decoding one
    /// (each starts with `&`, ends with the first `;` and decodes to a character none holds),
    /// so one pass decodes what the replacements one after another did. nil for other text.
    static func asciiPlainText(_ html: String) -> String? {
        var html = html
        return html.withUTF8 { bytes -> String? in
            var text: [UInt8] = []
            text.reserveCapacity(bytes.count)
            var inTag = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == UInt8(ascii: "<") { inTag = true } else if byte == UInt8(ascii: ">") && inTag { inTag = false } else if !inTag { text.append(byte) }
            }
            guard text.contains(UInt8(ascii: "&")) else { return String(decoding: text, as: UTF8.self) }
            var decoded: [UInt8] = []
            decoded.reserveCapacity(text.count)
            var index = 0
            while index < text.count {
                if text[index] == UInt8(ascii: "&"),
                   let (entity, value) = Self.entities.first(where: { text[index...].starts(with: $0.entity) }) {
                    decoded.append(value)
                    index += entity.count
                } else {
                    decoded.append(text[index])
                    index += 1
                }
            }
            return String(decoding: decoded, as: UTF8.self)
        }
    }

    /// The entities `plainText` decodes, with the byte each stands for.
    private static let entities: [(entity: [UInt8], value: UInt8)] = [
        ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&nbsp;", " "), ("&amp;", "&"),
    ].map { (Array($0.0.utf8), $0.1.utf8.first!) }

    /// Anki's first-field checksum: the first 8 hex digits of the SHA-1 of the plain text.
    static func checksum(_ text: String) -> Int64 {
        SHA1.digest(Array(text.utf8)).prefix(4).reduce(0) { $0 << 8 | Int64($1) }
    }
}
