import Foundation
import XCTest
import CSQLite
import ZIPFoundation
@testable import SyllabusCore

/// Golden books: whole study sets in `Tests/Fixtures/<book>/` (`syllabus.yml`, `Content/`),
/// built in-process with every output and compared byte for byte with `expected/`, both ways
/// (a missing, an extra and a changed file each fail).
///
/// What `expected/` holds, by output folder:
/// - `site/`: every generated file (pages, redirects, the search index scripts), plus, for each
///   search index script, `<name>.js.decoded`: its inflated payload (JSON as it is, postings
///   as hex), so a change to the index reads as text in a diff;
/// - `anki/`: the TSV files and `removed.txt`; for each `.apkg` (a zip holding an SQLite
///   file), `<name>.apkg.notes.txt`: its notes' GUID, note type, tags, deck and fields. Note
///   ids and modification times are left out: they follow the source files' times;
/// - `ebook/<name>.epub/`: every entry of the EPUB, unzipped (the zip's own bytes carry dates
///   and compression that a diff cannot show; the entries are what a reader gets);
/// - `cheatsheets/`: the HTML sheets (PDFs are made only with `--pdf`);
/// - `diagnostics.txt`: every diagnostic of the build, paths relative to the book;
/// - `theme-copies.txt`: output files that are byte-for-byte copies of a file of `Templates/`
///   (the theme's stylesheets and scripts). They are listed, not stored, to keep `expected/`
///   small; a copy that stops being made or stops being a copy shows in this list.
///
/// Nothing depends on the clock: notes are copied to a temporary folder with their
/// modification times set to one fixed date, and the stale check counts from a fixed day.
///
/// After a change that alters output on purpose, regenerate and read the diff of `expected/`:
/// `SYLLABUS_UPDATE_GOLDEN=1 swift test --disable-swift-testing --filter GoldenBookTests`.
final class GoldenBookTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let updating = ProcessInfo.processInfo.environment["SYLLABUS_UPDATE_GOLDEN"] == "1"
    /// 2026-11-30 00:00 UTC: every note's modification time, and "today".
    static let pinnedDate = Date(timeIntervalSince1970: 1_764_460_800)

    struct BookFailure: Error, CustomStringConvertible { var description: String }

    /// A subset of the bundled DVA-C02 study set (three services, notes, cards, exam questions).
    func testBundledStudySetSubset() async throws {
        try await checkBook("dva-c02")
    }

    /// Markup, scripts, quotes and `javascript:` URLs in every value; CJK, right-to-left text,
    /// emoji and combining marks; footnotes, cloze, tables and code.
    func testUnusualInput() async throws {
        try await checkBook("unusual")
    }

    /// A published developer guide's shape: an `index.md` contents list, HTML anchors, heading
    /// ids, deep links across notes, a link to a missing anchor, root-absolute links.
    func testPublishedGuide() async throws {
        try await checkBook("guide")
    }

    // MARK: - Building and comparing

    func checkBook(_ book: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let source = Self.fixtures.appendingPathComponent(book)
        let actual = try await Self.build(source)
        let expectedFolder = source.appendingPathComponent("expected")
        if Self.updating {
            try? FileManager.default.removeItem(at: expectedFolder)
            for (path, data) in actual {
                let url = expectedFolder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
            print("GoldenBookTests: rewrote \(expectedFolder.path) (\(actual.count) files)")
            return
        }
        let expected = try Self.files(in: expectedFolder)
        XCTAssertFalse(expected.isEmpty, "\(expectedFolder.path) is empty: run SYLLABUS_UPDATE_GOLDEN=1 swift test --filter GoldenBookTests",
                       file: file, line: line)
        let report = Self.differences(expected: expected, actual: actual)
        if !report.isEmpty {
            XCTFail("golden book '\(book)' differs from \(expectedFolder.path)\n\(report)\n"
                    + "If the change is meant, regenerate with SYLLABUS_UPDATE_GOLDEN=1 and read the diff of expected/.",
                    file: file, line: line)
        }
    }

    /// Builds a copy of the book in a temporary folder; the comparable files by their path in `expected/`.
    static func build(_ source: URL) async throws -> [String: Data] {
        let work = try EndToEndSupport.temporaryFolder("golden")
        defer { try? FileManager.default.removeItem(at: work) }
        let manager = FileManager.default
        try manager.copyItem(at: source.appendingPathComponent("syllabus.yml"), to: work.appendingPathComponent("syllabus.yml"))
        try manager.copyItem(at: source.appendingPathComponent("Content"), to: work.appendingPathComponent("Content"))
        // The Anki notes' modification times come from the notes' files.
        for case let url as URL in manager.enumerator(at: work.appendingPathComponent("Content"), includingPropertiesForKeys: nil)! {
            try manager.setAttributes([.modificationDate: pinnedDate], ofItemAtPath: url.path)
        }
        var options = BuildOptions(contentRoot: work.appendingPathComponent("Content"),
                                   templatesRoot: Fixture.repository.appendingPathComponent("Templates"),
                                   outputRoot: work.appendingPathComponent("Output"),
                                   configFile: work.appendingPathComponent("syllabus.yml"))
        options.configRequired = true
        options.today = CheckedDate(year: 2026, month: 11, day: 30)
        let report = try await Pipeline(options: options).build()

        var result: [String: Data] = [:]
        let diagnostics = report.diagnostics.map { $0.description.replacingOccurrences(of: work.path + "/", with: "") }
        result["diagnostics.txt"] = Data(diagnostics.map { $0 + "\n" }.joined().utf8)
        // A build with errors writes nothing: the golden files would be its diagnostics alone.
        guard !report.failed else { throw BookFailure(description: "the book does not build:\n" + diagnostics.joined(separator: "\n")) }

        let theme = try files(in: options.templatesRoot)
        var themeByBytes: [Data: String] = [:]
        for (path, data) in theme.sorted(by: { $0.key < $1.key }) where themeByBytes[data] == nil { themeByBytes[data] = path }
        var copies: [String] = []
        for (path, data) in try files(in: options.outputRoot) {
            guard let folder = path.split(separator: "/").first, ["site", "anki", "ebook", "cheatsheets"].contains(String(folder)) else { continue }
            if let template = themeByBytes[data] {
                copies.append("\(path) = Templates/\(template)")
            } else if path.hasSuffix(".epub") {
                let archive = try Archive(data: data, accessMode: .read)
                for entry in archive where entry.type == .file {
                    var bytes = Data()
                    _ = try archive.extract(entry, skipCRC32: false) { bytes.append($0) }
                    result["\(path)/\(entry.path)"] = bytes
                }
            } else if path.hasSuffix(".apkg") {
                result[path + ".notes.txt"] = try AnkiPackageDump.notes(data)
            } else if path.hasSuffix(".pdf") {
                continue
            } else {
                result[path] = data
                if path.hasPrefix("site/\(SearchIndex.folder)/"), path.hasSuffix(".js") {
                    result[path + ".decoded"] = try decodedSearchPart(path, data)
                }
            }
        }
        result["theme-copies.txt"] = Data(copies.sorted().map { $0 + "\n" }.joined().utf8)
        return result
    }

    /// A search index script's payload as text: JSON as it is, binary postings as hex, 32 bytes a line.
    static func decodedSearchPart(_ path: String, _ data: Data) throws -> Data {
        let bytes = try SearchTests.unpack(String(decoding: data, as: UTF8.self))
        let name = (path as NSString).lastPathComponent
        guard name.hasPrefix("p") else { return Data(bytes) + Data("\n".utf8) }
        let lines = stride(from: 0, to: bytes.count, by: 32).map { start in
            bytes[start..<min(start + 32, bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
        }
        return Data(lines.map { $0 + "\n" }.joined().utf8)
    }

    /// Every regular file under `root`, by its path relative to `root`; hidden files (the
    /// build's cache and state, `.DS_Store`) are left out.
    static func files(in root: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let root = root.resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [:] }
        for case let url as URL in walker {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let path = String(url.resolvingSymlinksInPath().path.dropFirst(root.path.count + 1))
            result[path] = try Data(contentsOf: url)
        }
        return result
    }

    // MARK: - Reporting differences

    /// Missing, extra and changed files; for each changed file (the first ten in detail) its
    /// first differing line with a few lines of context. Empty when they are equal.
    static func differences(expected: [String: Data], actual: [String: Data]) -> String {
        var lines: [String] = []
        let missing = expected.keys.filter { actual[$0] == nil }.sorted()
        let extra = actual.keys.filter { expected[$0] == nil }.sorted()
        let changed = expected.keys.filter { actual[$0] != nil && actual[$0] != expected[$0] }.sorted()
        if !missing.isEmpty { lines.append("missing (expected, not built): " + missing.joined(separator: ", ")) }
        if !extra.isEmpty { lines.append("extra (built, not expected): " + extra.joined(separator: ", ")) }
        if !changed.isEmpty { lines.append("changed: " + changed.joined(separator: ", ")) }
        for path in changed.prefix(10) {
            lines.append("--- \(path)")
            lines.append(firstDifference(expected: expected[path]!, actual: actual[path]!))
        }
        if changed.count > 10 { lines.append("(\(changed.count - 10) more changed files not shown)") }
        return lines.joined(separator: "\n")
    }

    /// The first line where the two differ, two lines before it, numbered; long lines are cut
    /// to the part around the first differing character.
    static func firstDifference(expected: Data, actual: Data, context: Int = 2) -> String {
        let old = String(decoding: expected, as: UTF8.self).components(separatedBy: "\n")
        let new = String(decoding: actual, as: UTF8.self).components(separatedBy: "\n")
        guard let index = (0..<max(old.count, new.count)).first(where: { $0 >= old.count || $0 >= new.count || old[$0] != new[$0] }) else {
            return "  (the same text; the bytes differ: \(expected.count) expected, \(actual.count) built)"
        }
        var out: [String] = []
        for number in max(0, index - context)..<index { out.append(String(format: "  %5d   ", number + 1) + clip(old[number], around: 0)) }
        let oldLine = index < old.count ? old[index] : nil, newLine = index < new.count ? new[index] : nil
        let column = zip(Array(oldLine ?? ""), Array(newLine ?? "")).prefix { $0 == $1 }.count
        out.append(String(format: "  %5d - ", index + 1) + (oldLine.map { clip($0, around: column) } ?? "(end of file)"))
        out.append(String(format: "  %5d + ", index + 1) + (newLine.map { clip($0, around: column) } ?? "(end of file)"))
        return out.joined(separator: "\n")
    }

    /// `line`, or 160 characters of it around `column`.
    static func clip(_ line: String, around column: Int, width: Int = 160) -> String {
        let characters = Array(line)
        guard characters.count > width else { return line }
        let start = max(0, min(column - width / 4, characters.count - width))
        return (start > 0 ? "…" : "") + String(characters[start..<(start + width)]) + (start + width < characters.count ? "…" : "")
    }
}

/// An Anki package's notes as text, for golden comparison: read back with the system SQLite.
enum AnkiPackageDump {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// One block per note, in GUID order: GUID, note type name, deck names of its cards,
    /// tags, then each field on its own line. Ids and times are left out (they follow file times).
    static func notes(_ package: Data) throws -> Data {
        let archive = try Archive(data: package, accessMode: .read)
        guard let entry = archive["collection.anki2"] else { throw Failure(description: "no collection.anki2 in the package") }
        let file = try EndToEndSupport.temporaryFolder("apkg").appendingPathComponent("collection.anki2")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        _ = try archive.extract(entry, to: file)
        var handle: OpaquePointer?
        guard sqlite3_open_v2(file.path, &handle, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else {
            sqlite3_close(handle)
            throw Failure(description: "cannot open the package's collection")
        }
        defer { sqlite3_close(handle) }
        func rows(_ sql: String) throws -> [[String]] {
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else {
                throw Failure(description: String(cString: sqlite3_errmsg(handle)))
            }
            defer { sqlite3_finalize(statement) }
            var result: [[String]] = []
            while sqlite3_step(statement) == SQLITE_ROW {
                result.append((0..<sqlite3_column_count(statement)).map { column in
                    sqlite3_column_text(statement, column).map { String(cString: $0) } ?? ""
                })
            }
            return result
        }
        let col = try rows("SELECT models, decks FROM col")
        let models = try JSONSerialization.jsonObject(with: Data((col.first?[0] ?? "{}").utf8)) as? [String: [String: Any]] ?? [:]
        let decks = try JSONSerialization.jsonObject(with: Data((col.first?[1] ?? "{}").utf8)) as? [String: [String: Any]] ?? [:]
        var text = ""
        for note in try rows("SELECT notes.guid, notes.mid, notes.tags, notes.flds, group_concat(cards.did, ' ') FROM notes "
                             + "LEFT JOIN cards ON cards.nid = notes.id GROUP BY notes.id ORDER BY notes.guid") {
            let type = models[note[1]]?["name"] as? String ?? "?"
            let deckNames = Set(note[4].split(separator: " ").map { decks[String($0)]?["name"] as? String ?? "?" }).sorted()
            text += "guid: \(note[0])\ntype: \(type)\ndecks: \(deckNames.joined(separator: " | "))\ntags: \(note[2])\n"
            for field in note[3].components(separatedBy: "\u{1F}") { text += "field: \(field)\n" }
            text += "\n"
        }
        return Data(text.utf8)
    }
}
