import Foundation
import ZIPFoundation

/// Reads an Anki package (`.apkg`, one or more decks) or collection package (`.colpkg`, a whole
/// collection) into `ImportedNote`s and the media files they use, for `syllabus import`.
///
/// Every layout Anki has written is read (facts from Anki's own importer,
/// `rslib/src/import_export/package/`: `meta.rs`, `media.rs`, and `proto/anki/import_export.proto`):
/// - **Legacy 1** (Anki 2.0 and 2.1 before 2.1.50, no `meta` entry): `collection.anki2`, an
///   SQLite collection of schema 11 whose `col` row holds note types and decks as JSON; a
///   `media` entry holding a JSON object from zip entry name ("0", "1", …) to file name.
/// - **Legacy 2** (`collection.anki21`; what current Anki writes with "Support older Anki
///   versions"): the same, and a `meta` entry saying version 2.
/// - **Latest** (Anki 2.1.50 and later, `meta` says version 3): `collection.anki21b`, a
///   zstd-compressed SQLite collection of schema 18 (note types in the `notetypes` and `fields`
///   tables, decks in `decks`, their names' levels separated by U+001F); `media` is a
///   zstd-compressed protobuf `MediaEntries` whose n-th entry names zip entry "n"; every media
///   file is zstd-compressed. Such packages also hold a small `collection.anki2` that only
///   tells old Anki versions to update; it is ignored.
///
/// Each note becomes one `ImportedNote`, in the order the notes were created: a cloze note
/// when its note type is a cloze type, basic otherwise, with its GUID verbatim, its tags, and
/// the deck of its first card (the home deck when the card sits in a filtered deck).
enum AnkiPackageReader {
    /// Reads the package at `package`, extracting its media files into `mediaFolder` (created
    /// if missing) under the names the fields use.
    ///
    /// Never throws: a file that is no zip, holds no collection, or whose collection cannot be
    /// read gives an `ImportedDeck` with no notes and one error in `skipped`, located at
    /// `displayPath`. Problems with single notes or media files (an unsafe or missing media
    /// file, an image occlusion note, which is skipped) are warnings in `skipped`; a note type
    /// with more fields than front and back, or a note whose note type is missing, is a
    /// warning in `changed` (those notes are read). A package
    /// has no lines: a note's problems are located at the line of its position in the order
    /// the notes were created (`ImportedNote.location(position:in:)`) and name the note in
    /// their message (`ImportedNote.name`: position, first field, `nid:` search, GUID); a media
    /// file's at 1:1; nothing is dropped without one.
    /// - Parameters:
    ///   - package: the `.apkg` or `.colpkg` file.
    ///   - displayPath: how diagnostics name the file (default: its path).
    ///   - mediaFolder: where media files are written; only plain file names are written, so
    ///     nothing lands outside it whatever the package's entry names or media list say.
    static func read(_ package: URL, displayPath: String? = nil, mediaFolder: URL) -> ImportedDeck {
        let display = displayPath ?? package.path
        var reader = AnkiPackageReading(display: display)
        do {
            return try reader.read(package, mediaFolder: mediaFolder)
        } catch let failure as AnkiPackageReading.Fatal {
            return ImportedDeck(skipped: [Diagnostic(.error, failure.message, at: SourceLocation(path: display))])
        } catch {
            return ImportedDeck(skipped: [Diagnostic(.error, "cannot read this Anki package: \(error)", at: SourceLocation(path: display))])
        }
    }
}

/// One reading of one package by `AnkiPackageReader`: the diagnostics it collects and the
/// steps it takes (internal so the tests can reach the media list decoders).
struct AnkiPackageReading {
    /// A problem that stops the whole import: the message of its one diagnostic.
    struct Fatal: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The package layouts, named by the `PackageMetadata.Version` numbers of Anki's
    /// `import_export.proto` (0 is "unknown": a package from a newer Anki).
    enum Version: UInt64 {
        case legacy1 = 1, legacy2 = 2, latest = 3

        var collectionEntry: String {
            switch self {
            case .legacy1: return "collection.anki2"
            case .legacy2: return "collection.anki21"
            case .latest: return "collection.anki21b"
            }
        }

        /// Latest packages compress the collection, the media list and every media file.
        var compressed: Bool { self == .latest }
    }

    /// A note type: what `ImportedNote.Kind` its notes get, its field names and card
    /// template names in order, and whether a template asks for a typed answer (`{{type:…}}`).
    struct NoteType {
        var name: String
        var cloze: Bool
        var fieldNames: [String]
        var templates: [String] = []
        var typesAnswer = false
        /// Its card templates' front and back formats, one after another.
        var formats = ""

        /// The fields its templates use only as a switch, in a section (`{{#Add Reverse}}…`)
        /// and never as a value: whether a card is made, not what it shows (Basic (optional
        /// reversed card)'s "Add Reverse" holds "y"). Not part of a card's back.
        var switchFields: Set<String> {
            Set(fieldNames.filter { name in
                (formats.contains("{{#\(name)}}") || formats.contains("{{^\(name)}}"))
                    && !formats.contains("{{\(name)}}") && !formats.contains(":\(name)}}")
            })
        }
    }

    /// Collection schemas Anki's own importer reads: 11 (legacy packages) to 18 (latest).
    static let schemas = 11...18

    let display: String
    var skipped: [Diagnostic] = []
    /// Notes read with a change (see `ImportedDeck.changed`).
    var changed: [Diagnostic] = []
    /// See `ImportedDeck.changeToBasic`.
    var changeToBasic: [String] = []

    init(display: String) { self.display = display }

    mutating func read(_ package: URL, mediaFolder: URL) throws -> ImportedDeck {
        let archive: Archive
        do {
            archive = try Archive(url: package, accessMode: .read)
        } catch {
            throw Fatal(message: FileManager.default.fileExists(atPath: package.path)
                ? "is not an Anki package: not a zip archive (\(error))"
                : "no such file")
        }
        // Looked up once: `Archive`'s own subscript walks the central directory on every call,
        // and a package may hold thousands of media files.
        var entries: [String: Entry] = [:]
        for entry in archive where entries[entry.path] == nil { entries[entry.path] = entry }
        let version = try self.version(of: archive, entries: entries)
        guard let collectionEntry = entries[version.collectionEntry] else {
            throw Fatal(message: "is not an Anki package: it holds no collection (collection.anki2, collection.anki21 or collection.anki21b)")
        }

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-apkg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let collectionFile = scratch.appendingPathComponent("collection.sqlite")
        do {
            try extract(collectionEntry, of: archive, compressed: version.compressed, to: collectionFile)
        } catch {
            throw Fatal(message: "cannot read its collection \(version.collectionEntry): \(error)")
        }

        let notes: [ImportedNote]
        do {
            let database = try SQLiteDatabase(readingFile: collectionFile)
            notes = try self.notes(in: database, entry: version.collectionEntry)
        } catch let fatal as Fatal {
            throw fatal
        } catch {
            throw Fatal(message: "its collection \(version.collectionEntry) is not a readable Anki collection: \(error)")
        }
        let media = try self.media(of: archive, entries: entries, version: version, into: mediaFolder)
        var deck = ImportedDeck(notes: notes, media: media, skipped: skipped, changed: changed)
        deck.changeToBasic = changeToBasic
        return deck
    }

    // MARK: - Package layout

    /// The layout, as Anki decides it: the `meta` entry's version when there is one, otherwise
    /// legacy 2 when `collection.anki21` is there, legacy 1 when not.
    func version(of archive: Archive, entries: [String: Entry]) throws -> Version {
        guard let meta = entries["meta"] else {
            return entries["collection.anki21"] != nil ? .legacy2 : .legacy1
        }
        let bytes: Data
        let fields: [(field: UInt64, value: ProtobufFields.Value)]
        do {
            bytes = try contents(of: meta, in: archive)
            fields = try ProtobufFields.all(bytes)
        } catch {
            throw Fatal(message: "is not a readable Anki package: its meta entry is damaged (\(error))")
        }
        // PackageMetadata { Version version = 1; }: an absent field is 0, "unknown".
        var number: UInt64 = 0
        for case (1, .varint(let value)) in fields { number = value }
        guard let version = Version(rawValue: number) else {
            throw Fatal(message: "was written by a newer Anki (package version \(number)); export it again with \"Support older Anki versions\" ticked")
        }
        return version
    }

    /// An entry's bytes, its CRC checked.
    func contents(of entry: Entry, in archive: Archive) throws -> Data {
        var data = Data()
        let checksum = try archive.extract(entry) { data.append($0) }
        guard checksum == entry.checksum else { throw Fatal(message: "the zip entry \(entry.path) is damaged (CRC mismatch)") }
        return data
    }

    /// Writes an entry to `file`, decompressing it when `compressed`, its CRC checked.
    func extract(_ entry: Entry, of archive: Archive, compressed: Bool, to file: URL) throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let decoder = compressed ? try ZstdDecoder() : nil
        let checksum = try archive.extract(entry) { chunk in
            if let decoder {
                try decoder.decode(chunk) { try handle.write(contentsOf: $0) }
            } else {
                try handle.write(contentsOf: chunk)
            }
        }
        guard checksum == entry.checksum else { throw Fatal(message: "the zip entry \(entry.path) is damaged (CRC mismatch)") }
        try decoder?.finish()
    }

    // MARK: - Collection

    mutating func notes(in database: SQLiteDatabase, entry: String) throws -> [ImportedNote] {
        var schema: Int64 = 0
        try database.query("SELECT ver FROM col") { schema = $0.integer(0) }
        guard Self.schemas.contains(Int(schema)) else {
            throw Fatal(message: "its collection \(entry) has schema version \(schema); Syllabus reads versions \(Self.schemas.lowerBound) to \(Self.schemas.upperBound)")
        }
        var tables: Set<String> = []
        try database.query("SELECT name FROM sqlite_master WHERE type = 'table'") { tables.insert($0.text(0)) }
        // Schema 18 moved note types and decks from the `col` row's JSON into tables of their own.
        let noteTypes = tables.contains("notetypes") ? try noteTypesFromTables(database) : try noteTypesFromJSON(database)
        let decks = tables.contains("decks") ? try decksFromTable(database) : try decksFromJSON(database)

        // The deck of each note's first card (a card in a filtered deck counts in its home deck),
        // and the template ordinals of its cards.
        var deckOfNote: [Int64: Int64] = [:]
        var cardOrdinals: [Int64: [Int]] = [:]
        try database.query("SELECT nid, did, odid, ord FROM cards ORDER BY nid, ord, id") { row in
            let note = row.integer(0)
            if deckOfNote[note] == nil { deckOfNote[note] = row.integer(2) != 0 ? row.integer(2) : row.integer(1) }
            cardOrdinals[note, default: []].append(Int(row.integer(3)))
        }

        var notes: [ImportedNote] = []
        // Per note type: the first note concerned (by position and name) and how many.
        var extraFields: [Int64: (first: Int, name: String, notes: Int)] = [:]
        var missingTypes: [Int64: (first: Int, name: String, notes: Int)] = [:]
        var extraCards: [Int64: (first: Int, name: String, notes: Int)] = [:]
        var firstCardOnly: [Int64: (first: Int, name: String, notes: Int)] = [:]
        // Worked out once per note type, not for every note of it.
        let switchFields = noteTypes.mapValues(\.switchFields)
        var position = 0
        try database.query("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id") { row in
            position += 1
            let location = ImportedNote.location(position: position, in: display)
            let typeID = row.integer(2)
            var fields = row.text(4).components(separatedBy: "\u{1f}")
            let name = ImportedNote.name(position: position, firstField: fields[0], noteID: row.integer(0), guid: row.text(1))
            let type = noteTypes[typeID]
            if type?.cloze == true, Self.isImageOcclusion(fields[0]) {
                skipped.append(Diagnostic(.warning, "\(name): " + Self.imageOcclusionSkipped, at: location))
                return
            }
            if type == nil { missingTypes[typeID, default: (position, name, 0)].notes += 1 }
            let isExamQuestion = type?.fieldNames == AnkiNoteType.multipleChoice.fields
            if let type, !type.cloze, !isExamQuestion, type.templates.count > 1 || type.typesAnswer {
                let made = (cardOrdinals[row.integer(0)] ?? []).filter(type.templates.indices.contains).map { type.templates[$0] }
                if ImportedNote.lostCards(templates: made, typesAnswer: type.typesAnswer) != nil {
                    extraCards[typeID, default: (position, name, 0)].notes += 1
                } else {
                    firstCardOnly[typeID, default: (position, name, 0)].notes += 1
                }
            }
            let onSyllabusNoteType = type.map { Self.syllabusFieldNames.contains($0.fieldNames) } ?? false
            if onSyllabusNoteType || isExamQuestion {
                // A note Syllabus made (imported with Merge, then exported): its Link and
                // Syllabus ID fields are made again by every build, not part of the card.
                fields = Array(fields.prefix(2))
            } else if fields.count > 2 {
                let names = type?.fieldNames ?? [], switches = switchFields[typeID] ?? []
                let extra = fields.indices.dropFirst(2).filter { !(names.indices.contains($0) && switches.contains(names[$0])) }
                    .map { (name: names.indices.contains($0) ? names[$0] : "Field \($0 + 1)", value: fields[$0]) }
                if extra.contains(where: { !$0.value.isEmpty }) { extraFields[typeID, default: (position, name, 0)].notes += 1 }
                fields = [fields[0], Self.appending(extra, to: fields[1])]
            }
            let deckID = deckOfNote[row.integer(0)]
            let deck = deckID.map { decks[$0] ?? "" }
            notes.append(ImportedNote(guid: row.text(1), kind: type?.cloze == true ? .cloze : .basic, fields: fields,
                                      tags: Self.tags(row.text(3)), deck: deck?.isEmpty == false ? deck : nil,
                                      inDefaultDeck: deckID == ImportedNote.defaultDeckID, location: location, name: name,
                                      fieldNames: Array(type?.fieldNames.prefix(2) ?? []), isExamQuestion: isExamQuestion,
                                      onSyllabusNoteType: onSyllabusNoteType, ankiCards: cardOrdinals[row.integer(0)]?.count ?? 0))
        }
        for (typeID, use) in missingTypes.sorted(by: { $0.value.first < $1.value.first }) {
            changed.append(Diagnostic(.warning, "\(counted(use.notes, "note")) use\(use.notes == 1 ? "s" : "") note type \(typeID), which the package does not hold (the first: \(use.name)); read as basic notes (first field the front)",
                                      at: ImportedNote.location(position: use.first, in: display)))
        }
        for (typeID, use) in extraFields.sorted(by: { $0.value.first < $1.value.first }) {
            let type = noteTypes[typeID]
            let names = type.map { $0.fieldNames.dropFirst(2).map { "\"\($0)\"" }.joined(separator: ", ") } ?? "its third and later fields"
            let typeName = type.map { "\"\($0.name)\"" } ?? "\(typeID)"
            changed.append(Diagnostic(.warning, "note type \(typeName) has more fields than front and back: \(names) of \(counted(use.notes, "note")) (the first: \(use.name)) appended to the back, each under its field name",
                                      at: ImportedNote.location(position: use.first, in: display)))
            changeToBasic.append(type?.name ?? "\(typeID)")
        }
        for (typeID, use) in extraCards.sorted(by: { $0.value.first < $1.value.first }) {
            guard let type = noteTypes[typeID], let lost = ImportedNote.lostCards(templates: type.templates, typesAnswer: type.typesAnswer) else { continue }
            changed.append(Diagnostic(.warning, ImportedNote.withoutCards(type: type.name, notes: use.notes, first: "the first: \(use.name)", lost: lost),
                                      at: ImportedNote.location(position: use.first, in: display)))
            if !changeToBasic.contains(type.name) { changeToBasic.append(type.name) }
        }
        for (typeID, use) in firstCardOnly.sorted(by: { $0.value.first < $1.value.first }) {
            guard let type = noteTypes[typeID] else { continue }
            changed.append(Diagnostic(.warning, ImportedNote.firstCardOnly(type: type.name, notes: use.notes, first: "the first: \(use.name)",
                                                                         otherTemplates: Array(type.templates.dropFirst())),
                                      at: ImportedNote.location(position: use.first, in: display)))
            if !changeToBasic.contains(type.name) { changeToBasic.append(type.name) }
        }
        return notes
    }

    /// The fields of Syllabus's own basic and cloze note types (`AnkiNoteType`).
    static let syllabusFieldNames: Set<[String]> = [AnkiNoteType.basic.fields, AnkiNoteType.cloze.fields]

    /// A note's tags: Anki separates them with spaces or ideographic spaces (U+3000), as
    /// `split_tags` in its `rslib/src/tags/mod.rs` does.
    static func tags(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
    }

    /// Whether a card template asks for a typed answer: Anki's `{{type:Back}}` (also
    /// `{{type:cloze:Text}}`, `{{type:nc:Back}}`).
    static func typesAnswer(_ template: String) -> Bool {
        template.contains("{{type:")
    }

    /// Anki's image occlusion notes (2.1.66+) are cloze notes whose deletions are shapes, such as
    /// `{{c1::image-occlusion:rect:left=.1:top=.2:…}}`, over the image of another field.
    static func isImageOcclusion(_ firstField: String) -> Bool {
        firstField.contains("::image-occlusion:")
    }

    /// Why an image occlusion note is not imported, from a package or a text export alike.
    static let imageOcclusionSkipped = "image occlusion note skipped: its masks are drawn over an image and have no Markdown form"

    /// `back` followed by each non-empty extra field, as HTML: a line break, the field's name
    /// in italics (escaped: it is the learner's text), then the field as Anki stores it. Not in
    /// bold, which the set reads as a term to index: "Extra" is the name of a field, not a
    /// term of the deck.
    static func appending(_ extra: [(name: String, value: String)], to back: String) -> String {
        var result = back
        for (name, value) in extra where !value.isEmpty {
            result += (result.isEmpty ? "" : "<br><br>") + "<i>\(escapeHTML(name))</i>: " + value
        }
        return result
    }

    /// Schema 18: `notetypes.config` is a protobuf `Notetype.Config` whose field 1 is its kind
    /// (0 normal, 1 cloze; `proto/anki/notetypes.proto`); field names are rows of `fields`.
    func noteTypesFromTables(_ database: SQLiteDatabase) throws -> [Int64: NoteType] {
        var types: [Int64: NoteType] = [:]
        try database.query("SELECT id, name, config FROM notetypes") { row in
            var cloze = false
            for case (1, .varint(let kind)) in try ProtobufFields.all(row.blob(2)) { cloze = kind == 1 }
            types[row.integer(0)] = NoteType(name: row.text(1), cloze: cloze, fieldNames: [])
        }
        try database.query("SELECT ntid, name FROM fields ORDER BY ntid, ord") { row in
            types[row.integer(0)]?.fieldNames.append(row.text(1))
        }
        // `templates.config` is a protobuf `Notetype.Template.Config`: field 1 the front's
        // format, field 2 the back's.
        try database.query("SELECT ntid, name, config FROM templates ORDER BY ntid, ord") { row in
            let id = row.integer(0)
            types[id]?.templates.append(row.text(1))
            for case (1...2, .bytes(let bytes)) in try ProtobufFields.all(row.blob(2)) {
                let format = String(decoding: bytes, as: UTF8.self)
                types[id]?.formats += format
                if Self.typesAnswer(format) { types[id]?.typesAnswer = true }
            }
        }
        return types
    }

    /// Schema 11: `col.models` is a JSON object from note type id to `{name, type, flds}`,
    /// `type` 1 for cloze, `flds` the fields in order, each with a `name`.
    func noteTypesFromJSON(_ database: SQLiteDatabase) throws -> [Int64: NoteType] {
        var types: [Int64: NoteType] = [:]
        for (key, value) in try jsonObject(database, column: "models") {
            guard let id = Int64(key), let model = value as? [String: Any] else { continue }
            let fields = (model["flds"] as? [[String: Any]] ?? [])
                .sorted { ($0["ord"] as? Int ?? 0) < ($1["ord"] as? Int ?? 0) }
                .map { $0["name"] as? String ?? "" }
            let templates = (model["tmpls"] as? [[String: Any]] ?? []).sorted { ($0["ord"] as? Int ?? 0) < ($1["ord"] as? Int ?? 0) }
            let formats = templates.map { ($0["qfmt"] as? String ?? "") + ($0["afmt"] as? String ?? "") }
            types[id] = NoteType(name: model["name"] as? String ?? "", cloze: model["type"] as? Int == 1, fieldNames: fields,
                                 templates: templates.map { $0["name"] as? String ?? "" },
                                 typesAnswer: formats.contains(where: Self.typesAnswer), formats: formats.joined())
        }
        return types
    }

    /// Schema 18: deck names' levels are separated by U+001F; shown with `::` as Anki does.
    func decksFromTable(_ database: SQLiteDatabase) throws -> [Int64: String] {
        var decks: [Int64: String] = [:]
        try database.query("SELECT id, name FROM decks") { row in
            decks[row.integer(0)] = row.text(1).replacingOccurrences(of: "\u{1f}", with: "::")
        }
        return decks
    }

    /// Schema 11: `col.decks` is a JSON object from deck id to `{name, …}`.
    func decksFromJSON(_ database: SQLiteDatabase) throws -> [Int64: String] {
        var decks: [Int64: String] = [:]
        for (key, value) in try jsonObject(database, column: "decks") {
            if let id = Int64(key), let name = (value as? [String: Any])?["name"] as? String { decks[id] = name }
        }
        return decks
    }

    func jsonObject(_ database: SQLiteDatabase, column: String) throws -> [String: Any] {
        var text = ""
        try database.query("SELECT \(column) FROM col") { text = $0.text(0) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Fatal(message: "its collection's \(column) are not readable (col.\(column) is not a JSON object)")
        }
        return object
    }

    // MARK: - Media

    /// Extracts every media file the package lists into `folder`; returns name → file.
    mutating func media(of archive: Archive, entries: [String: Entry], version: Version, into folder: URL) throws -> [String: URL] {
        let here = SourceLocation(path: display)
        guard let listEntry = entries["media"] else { return [:] }
        var list: [(entry: String, name: String)] = []
        do {
            var bytes = try contents(of: listEntry, in: archive)
            if version.compressed { bytes = try ZstdDecoder.decompress(bytes) }
            list = version.compressed ? try Self.mediaEntries(bytes) : try Self.legacyMediaMap(bytes)
        } catch {
            skipped.append(Diagnostic(.warning, "its media list is damaged, so no media file was read: \(error)", at: here))
            return [:]
        }
        guard !list.isEmpty else { return [:] }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)

        var media: [String: URL] = [:]
        for (entryName, name) in list {
            guard Self.isPlainFileName(name) else {
                skipped.append(Diagnostic(.warning, "media file \"\(name)\" not extracted: its name is not a plain file name", at: here))
                continue
            }
            guard media[name] == nil else {
                skipped.append(Diagnostic(.warning, "media file \"\(name)\" is listed twice; the first is kept", at: here))
                continue
            }
            guard let entry = entries[entryName] else {
                skipped.append(Diagnostic(.warning, "media file \"\(name)\" is missing from the package (no zip entry \"\(entryName)\")", at: here))
                continue
            }
            let file = folder.appendingPathComponent(name, isDirectory: false)
            do {
                try extract(entry, of: archive, compressed: version.compressed, to: file)
                media[name] = file
            } catch {
                try? FileManager.default.removeItem(at: file)
                skipped.append(Diagnostic(.warning, "media file \"\(name)\" could not be read: \(error)", at: here))
            }
        }
        return media
    }

    /// A legacy media list: a JSON object from zip entry name to file name, in entry order.
    static func legacyMediaMap(_ bytes: Data) throws -> [(entry: String, name: String)] {
        guard let map = try JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
            throw Fatal(message: "not a JSON object")
        }
        return map.compactMap { key, value in (value as? String).map { (key, $0) } }
            .sorted { (Int($0.entry) ?? .max, $0.entry) < (Int($1.entry) ?? .max, $1.entry) }
    }

    /// A latest media list: `MediaEntries { repeated MediaEntry entries = 1; }`, each entry's
    /// `name` in field 1; the n-th entry (from 0) is zip entry "n".
    static func mediaEntries(_ bytes: Data) throws -> [(entry: String, name: String)] {
        var list: [(entry: String, name: String)] = []
        for case (1, .bytes(let message)) in try ProtobufFields.all(bytes) {
            var name = ""
            for case (1, .bytes(let text)) in try ProtobufFields.all(message) { name = String(decoding: text, as: UTF8.self) }
            list.append((String(list.count), name))
        }
        return list
    }

    /// A name that stays inside the folder it is written to: one path component, not `.` or
    /// `..`, without separators or control characters (Anki refuses the same names).
    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && name.utf8.count <= 255
            && !name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7f }
    }
}
