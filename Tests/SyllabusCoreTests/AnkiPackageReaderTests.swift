import Foundation
import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// Reading Anki packages for `syllabus import`: packages made by the real Anki library
/// (Tests/anki_package_fixture.py, `ANKI_PYTHON`) in each format it writes, and small
/// hand-made packages for damaged input and hostile names.
final class AnkiPackageReaderTests: XCTestCase {
    // MARK: - Packages made by Anki

    /// The collection every real-Anki test exports: Basic and Cloze notes with HTML fields,
    /// tags, GUIDs with punctuation, images in fields, nested and second decks, a note type
    /// with a third field, a note whose cards sit in a filtered deck, an image occlusion note.
    static let spec: [String: Any] = [
        "media": [
            "lambda diagram.png": Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x01, 0x02]).base64EncodedString(),
            "ünï.gif": Data("GIF89a-not-really".utf8).base64EncodedString(),
        ],
        "notes": [
            ["notetype": "Basic", "deck": "Imported::Lambda", "guid": "a/b>c:d#e`f;g\"h'i",
             "fields": ["<b>Max</b> timeout?", "15 <i>minutes</i><br><img src=\"lambda diagram.png\">"],
             "tags": ["compute::lambda", "exam"]],
            ["notetype": "Cloze", "deck": "Imported::Lambda", "guid": "Clz&<x>\\",
             "fields": ["Default is {{c1::3 s}}, at most {{c2::<code>900</code> s}}.", "<img src=\"ünï.gif\">"],
             "tags": ["cloze"]],
            ["notetype": "Basic (optional reversed card)", "deck": "Imported::S3", "guid": "s3one",
             "fields": ["S3 <u>front</u>", "S3 back", "y"], "tags": []],
            ["notetype": "Basic", "deck": "Second Deck", "guid": "plain",
             "fields": ["Ünïcode &amp; <a href=\"https://example.com/?a=1&amp;b=2\">link</a>", ""],
             "tags": ["alpha", "zeta"]],
            ["notetype": "Image Occlusion", "deck": "Second Deck", "guid": "io1",
             "fields": ["{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.1:oi=1}}", "<img src=\"lambda diagram.png\">",
                        "Header", "", ""], "tags": []],
            ["notetype": "Basic (and reversed card)", "deck": "Second Deck::Sub", "guid": "O#{}[]|~",
             "fields": ["<ul><li>one</li><li>two</li></ul>", "<pre>code\n  indented</pre>"], "tags": ["a::b::c"]],
            // Add Reverse empty: Anki makes its first card only.
            ["notetype": "Basic (optional reversed card)", "deck": "Imported::S3", "guid": "s3two",
             "fields": ["S3 two", "Its back", ""], "tags": []],
        ],
        "filtered": "s3one",
    ]

    /// What reading any package of `spec` must give.
    static let expected: [ImportedNote] = [
        ImportedNote(guid: "a/b>c:d#e`f;g\"h'i", kind: .basic,
                     fields: ["<b>Max</b> timeout?", "15 <i>minutes</i><br><img src=\"lambda diagram.png\">"],
                     tags: ["compute::lambda", "exam"], deck: "Imported::Lambda", fieldNames: ["Front", "Back"]),
        ImportedNote(guid: "Clz&<x>\\", kind: .cloze,
                     fields: ["Default is {{c1::3 s}}, at most {{c2::<code>900</code> s}}.", "<img src=\"ünï.gif\">"],
                     tags: ["cloze"], deck: "Imported::Lambda", fieldNames: ["Text", "Back Extra"], ankiCards: 2),
        // Add Reverse only switches the reverse card on: no part of the back.
        ImportedNote(guid: "s3one", kind: .basic, fields: ["S3 <u>front</u>", "S3 back"],
                     tags: [], deck: "Imported::S3", fieldNames: ["Front", "Back"], ankiCards: 2),
        ImportedNote(guid: "plain", kind: .basic,
                     fields: ["Ünïcode &amp; <a href=\"https://example.com/?a=1&amp;b=2\">link</a>", ""],
                     tags: ["alpha", "zeta"], deck: "Second Deck", fieldNames: ["Front", "Back"]),
        ImportedNote(guid: "O#{}[]|~", kind: .basic,
                     fields: ["<ul><li>one</li><li>two</li></ul>", "<pre>code\n  indented</pre>"],
                     tags: ["a::b::c"], deck: "Second Deck::Sub", fieldNames: ["Front", "Back"], ankiCards: 2),
        ImportedNote(guid: "s3two", kind: .basic, fields: ["S3 two", "Its back"], tags: [], deck: "Imported::S3", fieldNames: ["Front", "Back"]),
    ]

    /// Every format Anki writes (and the pre-2.1.50 layout rebuilt from its legacy export)
    /// reads back as the same notes, kinds, fields, tags, decks, GUIDs and media bytes.
    func testReadsEveryPackageFormatAnkiWrites() throws {
        let python = try EndToEndSupport.ankiPython()
        let work = try EndToEndSupport.temporaryFolder("apkg-read")
        defer { try? FileManager.default.removeItem(at: work) }
        let specFile = work.appendingPathComponent("spec.json")
        try JSONSerialization.data(withJSONObject: Self.spec).write(to: specFile)
        let script = Fixture.repository.appendingPathComponent("Tests/anki_package_fixture.py").path
        let made = try EndToEndSupport.run(python, [script, specFile.path, work.appendingPathComponent("packages").path], timeout: 120)
        XCTAssertEqual(made.status, 0, made.err)
        let packages = work.appendingPathComponent("packages")
        let legacy1 = packages.appendingPathComponent("legacy1.apkg")
        try Self.rewriteAsLegacy1(packages.appendingPathComponent("legacy.apkg"), to: legacy1)

        let media = (Self.spec["media"] as! [String: String]).mapValues { Data(base64Encoded: $0)! }
        for name in ["legacy.apkg", "latest.apkg", "collection.colpkg", "legacy.colpkg", "legacy1.apkg"] {
            let folder = work.appendingPathComponent("media-\(name)")
            let deck = AnkiPackageReader.read(packages.appendingPathComponent(name), displayPath: name, mediaFolder: folder)
            XCTAssertEqual(deck.notes.map(\.guid), Self.expected.map(\.guid), name)
            for (read, expected) in zip(deck.notes, Self.expected) {
                var withoutLocation = read
                withoutLocation.location = nil
                withoutLocation.name = nil
                XCTAssertEqual(withoutLocation, expected, name)
            }
            // A package has no lines: a note is located at the line of its position in the
            // order the notes were created, and named by that position, its first field as
            // Anki's browser shows it, the search for its note id (Anki's, 13 digits) and GUID.
            XCTAssertEqual(deck.notes.map { $0.location?.description }, [1, 2, 3, 4, 6, 7].map { "\(name):\($0):1" }, name)
            func withoutNoteID(_ text: String?) -> String? {
                text?.replacingOccurrences(of: #"\(nid:[0-9]{13}, "#, with: "(", options: .regularExpression)
            }
            XCTAssertTrue(deck.notes.allSatisfy { $0.name?.range(of: #"\(nid:[0-9]{13}, GUID"#, options: .regularExpression) != nil }, name)
            XCTAssertEqual(deck.notes.map { withoutNoteID($0.name) }, [
                "note 1 \"Max timeout?\" (GUID 'a/b>c:d#e`f;g\"h'i')",
                "note 2 \"Default is {{c1::3 s}}, at most {{c2::9…\" (GUID 'Clz&<x>\\')",
                "note 3 \"S3 front\" (GUID 's3one')",
                "note 4 \"Ünïcode & link\" (GUID 'plain')",
                "note 6 \"one two\" (GUID 'O#{}[]|~')",
                "note 7 \"S3 two\" (GUID 's3two')",
            ], name)
            XCTAssertEqual(deck.skipped.map { withoutNoteID($0.description) }, [
                "\(name):5:1: warning: note 5 \"{{c1::image-occlusion:rect:left=.1:top=…\" (GUID 'io1'): image occlusion note skipped: "
                    + "its masks are drawn over an image and have no Markdown form",
            ], name)
            XCTAssertEqual(deck.changed.map { withoutNoteID($0.description) }, [
                "\(name):3:1: warning: note type \"Basic (optional reversed card)\": 1 note (the first: note 3 \"S3 front\" (GUID 's3one')) "
                    + "imported as one card each, without its card \"Card 2\" (the reverse card)",
                "\(name):6:1: warning: note type \"Basic (and reversed card)\": 1 note (the first: note 6 \"one two\" (GUID 'O#{}[]|~')) "
                    + "imported as one card each, without its card \"Card 2\" (the reverse card)",
                // Nothing lost, but the type differs from Syllabus Basic all the same.
                "\(name):7:1: warning: note type \"Basic (optional reversed card)\": 1 note (the first: note 7 \"S3 two\" (GUID 's3two')) "
                    + "has only its first card and imports whole, but the note type also has the template \"Card 2\"",
            ], name)
            XCTAssertEqual(deck.changeToBasic, ["Basic (optional reversed card)", "Basic (and reversed card)"], name)
            XCTAssertEqual(Set(deck.media.keys), Set(media.keys), name)
            for (file, bytes) in media {
                XCTAssertEqual(deck.media[file], folder.appendingPathComponent(file), name)
                XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent(file)), bytes, "\(name): \(file)")
            }
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), media.keys.sorted(), name)
        }
    }

    /// Anki before 2.1.50 wrote `collection.anki2` (schema 11) and no `meta`; current Anki no
    /// longer does, so the test makes one from the legacy export: its `collection.anki21`
    /// renamed, `meta` and the placeholder `collection.anki2` left out.
    static func rewriteAsLegacy1(_ source: URL, to target: URL) throws {
        let from = try Archive(url: source, accessMode: .read)
        let to = try Archive(url: target, accessMode: .create)
        for entry in from where !["meta", "collection.anki2"].contains(entry.path) {
            var data = Data()
            _ = try from.extract(entry) { data.append($0) }
            let path = entry.path == "collection.anki21" ? "collection.anki2" : entry.path
            try to.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }

    // MARK: - Hand-made packages

    /// A schema-11 package built in process: one basic note, and a media list whose names try
    /// to leave the media folder. Only the plain name is written; the others are reported.
    /// A deck Syllabus built, imported into Anki with Merge and exported again: its Link and
    /// Syllabus ID fields are not appended to the back (a fresh-user trial saw them pile up).
    func testSyllabusNoteTypesKeepOnlyFrontAndBack() throws {
        let work = try EndToEndSupport.temporaryFolder("apkg-own-types")
        defer { try? FileManager.default.removeItem(at: work) }
        let package = work.appendingPathComponent("own.apkg")
        let notes = [
            AnkiNote(id: 1, guid: "g1", type: .basic, deck: "AWS::SQS", fields: ["What is SQS?", "A queue.", "https://x.example/sqs.html", "sqs-1"],
                     tags: ["sqs"], modified: 1, cardOrdinals: [0], cardIDs: [11], due: 0),
            AnkiNote(id: 2, guid: "g2", type: .cloze, deck: "AWS::SQS", fields: ["Timeout is {{c1::30 s}}.", "", "https://x.example/sqs.html", "sqs-2"],
                     tags: ["sqs"], modified: 1, cardOrdinals: [0], cardIDs: [12], due: 1),
        ]
        try AnkiPackage.make(notes: notes, media: []).write(to: package)
        let deck = AnkiPackageReader.read(package, displayPath: "own.apkg", mediaFolder: work.appendingPathComponent("media"))
        XCTAssertEqual(deck.notes.map(\.fields), [["What is SQS?", "A queue."], ["Timeout is {{c1::30 s}}.", ""]])
        XCTAssertEqual(deck.skipped.map(\.description), [])
    }

    func testHostileMediaNamesNeverLeaveTheMediaFolder() throws {
        let work = try EndToEndSupport.temporaryFolder("apkg-hostile")
        defer { try? FileManager.default.removeItem(at: work) }
        let package = work.appendingPathComponent("hostile.apkg")
        try Self.writePackage(to: package, entries: [
            "collection.anki2": try Self.legacyCollection(),
            "media": Data(#"{"0": "../escaped.png", "1": "ok.png", "2": "/tmp/absolute.png", "3": "a/b.png", "4": "..", "5": "missing.png"}"#.utf8),
            "0": Data("evil".utf8), "1": Data("fine".utf8), "2": Data("evil".utf8), "3": Data("evil".utf8), "4": Data("evil".utf8),
            "../outside.png": Data("evil".utf8),
        ])
        let folder = work.appendingPathComponent("box/media")
        let deck = AnkiPackageReader.read(package, displayPath: "hostile.apkg", mediaFolder: folder)

        XCTAssertEqual(deck.notes, [ImportedNote(guid: "g1", kind: .basic, fields: ["Front", "Back"], tags: ["t"], deck: "Legacy",
                                                 location: SourceLocation(path: "hostile.apkg"), name: "note 1 \"Front\" (nid:1, GUID 'g1')",
                                                 fieldNames: ["Front", "Back"])])
        XCTAssertEqual(deck.media, ["ok.png": folder.appendingPathComponent("ok.png")])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["ok.png"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("box").path), ["media"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: work.path).sorted(), ["box", "hostile.apkg"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/absolute.png"))
        XCTAssertEqual(deck.skipped.map(\.message), [
            "media file \"../escaped.png\" not extracted: its name is not a plain file name",
            "media file \"/tmp/absolute.png\" not extracted: its name is not a plain file name",
            "media file \"a/b.png\" not extracted: its name is not a plain file name",
            "media file \"..\" not extracted: its name is not a plain file name",
            "media file \"missing.png\" is missing from the package (no zip entry \"5\")",
        ])
        XCTAssertTrue(deck.skipped.allSatisfy { $0.severity == .warning && $0.location.path == "hostile.apkg" })
    }

    /// Input that is no Anki package gives one error naming the file, and no notes.
    func testDamagedPackagesGiveOneClearError() throws {
        let work = try EndToEndSupport.temporaryFolder("apkg-damaged")
        defer { try? FileManager.default.removeItem(at: work) }
        func read(_ entries: [String: Data]?, raw: Data? = nil) throws -> [String] {
            let package = work.appendingPathComponent("\(UUID().uuidString).apkg")
            if let entries { try Self.writePackage(to: package, entries: entries) } else { try raw!.write(to: package) }
            let deck = AnkiPackageReader.read(package, displayPath: "deck.apkg", mediaFolder: work.appendingPathComponent("media"))
            XCTAssertEqual(deck.notes, [])
            XCTAssertEqual(deck.media, [:])
            XCTAssertTrue(deck.skipped.allSatisfy { $0.severity == .error && $0.location == SourceLocation(path: "deck.apkg") })
            return deck.skipped.map(\.message)
        }
        let notZip = try read(nil, raw: Data("front\tback\n".utf8))
        XCTAssertEqual(notZip.count, 1)
        XCTAssertTrue(notZip[0].hasPrefix("is not an Anki package: not a zip archive"), notZip[0])

        XCTAssertEqual(try read(["media": Data("{}".utf8)]),
                       ["is not an Anki package: it holds no collection (collection.anki2, collection.anki21 or collection.anki21b)"])

        let garbage = try read(["collection.anki21": Data("this is not SQLite, but long enough to look at it".utf8)])
        XCTAssertEqual(garbage.count, 1)
        XCTAssertTrue(garbage[0].hasPrefix("its collection collection.anki21 is not a readable Anki collection: SQLite: file is not a database"), garbage[0])

        // meta says "latest", but the collection is not zstd.
        let notZstd = try read(["meta": Data([0x08, 0x03]), "collection.anki21b": Data("plain bytes".utf8)])
        XCTAssertEqual(notZstd.count, 1)
        XCTAssertTrue(notZstd[0].hasPrefix("cannot read its collection collection.anki21b: zstd: "), notZstd[0])

        XCTAssertEqual(try read(["meta": Data([0x08, 0x07]), "collection.anki21b": Data()]),
                       ["was written by a newer Anki (package version 7); export it again with \"Support older Anki versions\" ticked"])
        XCTAssertEqual(try read(["meta": Data([0x08]), "collection.anki21b": Data()]),
                       ["is not a readable Anki package: its meta entry is damaged (a varint runs past the end of the message)"])

        let future = try read(["collection.anki2": try Self.legacyCollection(schema: 19)])
        XCTAssertEqual(future, ["its collection collection.anki2 has schema version 19; Syllabus reads versions 11 to 18"])

        XCTAssertEqual(AnkiPackageReader.read(work.appendingPathComponent("absent.apkg"), displayPath: "absent.apkg",
                                              mediaFolder: work).skipped.map(\.description),
                       ["absent.apkg:1:1: error: no such file"])
    }

    /// A note whose note type is missing and one with extra fields are kept, with a warning
    /// each; tags split as Anki splits them.
    func testNotesOfUnknownNoteTypesAreKeptAsBasic() throws {
        let work = try EndToEndSupport.temporaryFolder("apkg-notetype")
        defer { try? FileManager.default.removeItem(at: work) }
        let package = work.appendingPathComponent("deck.apkg")
        try Self.writePackage(to: package, entries: ["collection.anki2": try Self.legacyCollection(extraNotes: [
            (id: 2, guid: "lost", type: 99, fields: "Q\u{1f}A\u{1f}<i>more</i>", tags: " 日本\u{3000}語  x "),
        ])])
        let deck = AnkiPackageReader.read(package, displayPath: "deck.apkg", mediaFolder: work.appendingPathComponent("media"))
        XCTAssertEqual(deck.notes.map(\.fields), [["Front", "Back"], ["Q", "A<br><br><i>Field 3</i>: <i>more</i>"]])
        XCTAssertEqual(deck.notes.map(\.kind), [.basic, .basic])
        XCTAssertEqual(deck.notes[1].deck, nil, "a note without cards has no deck")
        XCTAssertEqual(deck.notes.map(\.ankiCards), [1, 0])
        XCTAssertEqual(deck.notes[1].tags, ["日本", "語", "x"], "spaces and ideographic spaces separate tags")
        XCTAssertEqual(deck.skipped.map(\.description), [], "both notes are read")
        XCTAssertEqual(deck.changed.map(\.description), [
            "deck.apkg:2:1: warning: 1 note uses note type 99, which the package does not hold (the first: note 2 \"Q\" (nid:2, GUID 'lost')); "
                + "read as basic notes (first field the front)",
            "deck.apkg:2:1: warning: note type 99 has more fields than front and back: its third and later fields of 1 note "
                + "(the first: note 2 \"Q\" (nid:2, GUID 'lost')) appended to the back, each under its field name",
        ])
        XCTAssertEqual(deck.changeToBasic, ["99"])
    }

    /// The protobuf wire reader: multi-byte varints, nested messages, fixed-width values, and
    /// truncated input reported rather than read past.
    func testProtobufFieldsReadsTheWireFormat() throws {
        // field 1 varint 300; field 2 bytes "hi"; field 3 fixed32 1; field 4 fixed64 2;
        // field 255 varint 1 (a two-byte key).
        let message: [UInt8] = [0x08, 0xac, 0x02, 0x12, 0x02, 0x68, 0x69, 0x1d, 1, 0, 0, 0,
                                0x21, 2, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x0f, 0x01]
        let fields = try ProtobufFields.all(message)
        XCTAssertEqual(fields.map(\.field), [1, 2, 3, 4, 255])
        XCTAssertEqual(fields.map(\.value), [.varint(300), .bytes(Array("hi".utf8)), .fixed(1), .fixed(2), .varint(1)])
        XCTAssertEqual(try ProtobufFields.all([UInt8]()).count, 0)
        XCTAssertEqual(try ProtobufFields.all([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).map(\.value), [.varint(.max)])

        // MediaEntries { entries { name "a.png" size 3 } entries { name "b" } }
        let entry1: [UInt8] = [0x0a, 5] + Array("a.png".utf8) + [0x10, 3]
        let entry2: [UInt8] = [0x0a, 1] + Array("b".utf8)
        let list = try AnkiPackageReading.mediaEntries(Data([0x0a, UInt8(entry1.count)] + entry1 + [0x0a, UInt8(entry2.count)] + entry2))
        XCTAssertEqual(list.map(\.entry), ["0", "1"])
        XCTAssertEqual(list.map(\.name), ["a.png", "b"])

        for (bytes, message) in [([0x12, 0x05, 0x68] as [UInt8], "a 5-byte value runs past the end of the message"),
                                 ([0x08, 0x80], "a varint runs past the end of the message"),
                                 ([0x0b], "unsupported wire type 3 at byte 1"),
                                 ([0x1d, 1, 2], "a 4-byte number runs past the end of the message"),
                                 ([0x08] + [UInt8](repeating: 0x80, count: 10) + [0x01], "a varint longer than 10 bytes")] {
            XCTAssertThrowsError(try ProtobufFields.all(bytes)) { error in
                XCTAssertEqual((error as? ProtobufFields.Malformed)?.description, message)
            }
        }
    }

    /// zstd frames decompress across chunk boundaries; a cut-short frame is an error.
    func testZstdDecoderRejectsTruncatedInput() throws {
        // "hello\n" as the `zstd` 1.5 command compresses it: one raw block and a checksum.
        let frame = Data([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58, 0x31, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x0a, 0x53, 0x88, 0xbd, 0x91])
        XCTAssertEqual(String(decoding: try ZstdDecoder.decompress(frame), as: UTF8.self), "hello\n")
        let decoder = try ZstdDecoder()
        var out = Data()
        for byte in frame { try decoder.decode(Data([byte])) { out.append($0) } }
        try decoder.finish()
        XCTAssertEqual(out, Data("hello\n".utf8))
        XCTAssertThrowsError(try ZstdDecoder.decompress(frame.dropLast(3)))
        XCTAssertThrowsError(try ZstdDecoder.decompress(Data("not zstd".utf8)))
    }

    // MARK: - Helpers

    static func writePackage(to url: URL, entries: [String: Data]) throws {
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in entries.sorted(by: { $0.key < $1.key }) {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }

    /// A minimal schema-11 collection: the `col` row (note types and decks as JSON), one basic
    /// note "Front"/"Back" tagged "t" in deck "Legacy" with one card, and `extraNotes` (no cards).
    static func legacyCollection(schema: Int64 = 11,
                                 extraNotes: [(id: Int64, guid: String, type: Int64, fields: String, tags: String)] = []) throws -> Data {
        let database = try SQLiteDatabase()
        try database.execute("""
            CREATE TABLE col (id integer PRIMARY KEY, crt integer, mod integer, scm integer, ver integer, dty integer, usn integer,
              ls integer, conf text, models text, decks text, dconf text, tags text);
            CREATE TABLE notes (id integer PRIMARY KEY, guid text, mid integer, mod integer, usn integer, tags text, flds text,
              sfld integer, csum integer, flags integer, data text);
            CREATE TABLE cards (id integer PRIMARY KEY, nid integer, did integer, ord integer, odid integer);
            """)
        let models = #"{"7": {"name": "Basic", "type": 0, "flds": [{"name": "Back", "ord": 1}, {"name": "Front", "ord": 0}]}}"#
        let decks = #"{"1": {"name": "Default"}, "5": {"name": "Legacy"}}"#
        try database.insert("INSERT INTO col VALUES (1, 0, 0, 0, ?, 0, 0, 0, '{}', ?, ?, '{}', '{}')",
                            rows: [[.integer(schema), .text(models), .text(decks)]])
        try database.insert("INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, '', 0, 0, '')",
                            rows: [[.integer(1), .text("g1"), .integer(7), .text(" t "), .text("Front\u{1f}Back")]]
                                + extraNotes.map { [.integer($0.id), .text($0.guid), .integer($0.type), .text($0.tags), .text($0.fields)] })
        try database.insert("INSERT INTO cards VALUES (10, 1, 5, 0, 0)", rows: [[]])
        return try database.serialized()
    }
}
