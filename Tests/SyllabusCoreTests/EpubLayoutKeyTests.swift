import Foundation
import XCTest
@testable import SyllabusCore

/// The book's layout key (`EpubLayout.key`) is made from what laying out reads, without laying
/// any chapter out; a rebuild whose key is the last book's takes each chapter's files from that
/// book (`EpubState.files`) and lays out only the chapters it needs. So every edit that moves
/// anything in the laid-out book must change the key, and prose alone must not.
final class EpubLayoutKeyTests: XCTestCase {
    private static let files = [
        "lambda/index.md": "# Lambda\n\nStart here.\n\n- [Tuning](tuning.md)\n- [Limits](limits.md)\n",
        "lambda/tuning.md": "---\ntitle: Tuning\nservices: [s3]\n---\n# Tuning Lambda\n\n## Memory\n\nMore memory means more CPU.\n",
        "lambda/limits.md": "# Limits\n\n## Timeout\n\nFifteen minutes. See [the classes](../s3/overview.md#classes).\n",
        "s3/overview.md": "# S3\n\n## Classes\n\nStandard, Glacier.\n",
        "lambda.cards.md": "# Lambda cards\n\n## What is the maximum timeout?\n\n15 minutes.\n",
        "s3.cards.md": "# S3 cards\n\n## Which class archives data?\n\nGlacier.\n",
        "versioning.md": "---\nservice: lambda\n---\n# Versioning\n\n## Object versions\n\nKept.\n",
    ]

    /// Each edit (files written over the fixture's, `nil` removes one) and whether it moves
    /// anything in the book's layout.
    private static let edits: [(name: String, files: [String: String?], moves: Bool)] = [
        ("prose", ["lambda/tuning.md": files["lambda/tuning.md"]!.replacingOccurrences(of: "more CPU", with: "more CPU and cost")], false),
        ("a heading renamed", ["s3/overview.md": "# S3\n\n## Storage classes\n\nStandard, Glacier.\n"], true),
        ("a heading added", ["lambda/limits.md": files["lambda/limits.md"]! + "\n## Memory\n\nUp to 10 GB.\n"], true),
        ("an anchor added", ["s3/overview.md": "# S3\n\n<a id=\"glacier\"></a>\n\n## Classes\n\nStandard, Glacier.\n"], true),
        ("a slug", ["lambda/limits.md": "---\nslug: quotas\n---\n" + files["lambda/limits.md"]!], true),
        ("a note added", ["lambda/layers.md": "# Layers\n\nShared code.\n"], true),
        ("a note removed", ["lambda/limits.md": nil, "lambda/index.md": "# Lambda\n\nStart here.\n\n- [Tuning](tuning.md)\n"], true),
        ("a note's service", ["versioning.md": "---\nservice: s3\n---\n# Versioning\n\n## Object versions\n\nKept.\n"], true),
        ("a note no longer listed by another service",
         ["lambda/tuning.md": files["lambda/tuning.md"]!.replacingOccurrences(of: "services: [s3]\n", with: "")], true),
        ("a listed note's title", ["lambda/tuning.md": files["lambda/tuning.md"]!.replacingOccurrences(of: "title: Tuning", with: "title: Memory")], true),
        ("the outline nests a note", ["lambda/index.md": "# Lambda\n\nStart here.\n\n- [Tuning](tuning.md)\n  - [Limits](limits.md)\n"], true),
        ("the notes' order", ["lambda/index.md": "# Lambda\n\nStart here.\n\n- [Limits](limits.md)\n- [Tuning](tuning.md)\n"], true),
        ("a card added before another chapter's",
         ["lambda.cards.md": files["lambda.cards.md"]! + "\n## What is the default memory?\n\n128 MB.\n"], true),
        ("a card's question", ["s3.cards.md": "# S3 cards\n\n## Which class archives old data?\n\nGlacier.\n"], true),
        ("a picture shown", ["lambda/limits.md": files["lambda/limits.md"]! + "\n![Flow](flow.png)\n"], true),
    ]

    func testTheLayoutKeyChangesWithEverythingTheLayoutPlaces() throws {
        let (key, layout) = try laidOut(Self.files)
        XCTAssertGreaterThan(layout.split(separator: "\n").count, 20, layout)
        for edit in Self.edits {
            var files = Self.files
            for (path, text) in edit.files { files[path] = text }
            let (editedKey, editedLayout) = try laidOut(files)
            if edit.moves {
                XCTAssertNotEqual(editedLayout, layout, "\(edit.name): the edit is meant to move something")
                XCTAssertNotEqual(editedKey, key, "\(edit.name) moves the layout but keeps its key")
            } else {
                XCTAssertEqual(editedLayout, layout, edit.name)
                XCTAssertEqual(editedKey, key, "\(edit.name) keeps the layout, so it keeps its key")
            }
        }
    }

    /// A rebuild with the same layout takes a chapter's review key (its "Also about" list and
    /// cards) from the last book unless a note of its cards changed: an inline card's new
    /// question, which moves nothing, must reach the review file, after a prose edit that kept
    /// the key.
    func testTheReviewFileShowsACardsNewQuestionWhenTheLayoutStays() async throws {
        var files = IncrementalBuildTests.files
        // Before the first `##` card, where a cards file reads inline cards.
        files["lambda.cards.md"] = files["lambda.cards.md"]!.replacingOccurrences(of: "# Lambda cards\n", with: "# Lambda cards\n\nDefault timeout :: 3 seconds\n")
        let fixture = try Fixture(files, config: IncrementalBuildTests.allOutputs)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        _ = try await fixture.build()
        let state = "Output/.syllabus-state-\(EpubState.name)"
        let structure = try XCTUnwrap(EpubState(data: try Data(contentsOf: fixture.root.appendingPathComponent(state)))).structure

        try fixture.write("Content/lambda/overview.md", files["lambda/overview.md"]!.replacingOccurrences(of: "15 minutes", with: "fifteen minutes"))
        _ = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        try fixture.write("Content/lambda.cards.md", files["lambda.cards.md"]!.replacingOccurrences(of: "Default timeout", with: "Default timeout of a function"))
        _ = try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        XCTAssertEqual(try XCTUnwrap(EpubState(data: try Data(contentsOf: fixture.root.appendingPathComponent(state)))).structure, structure,
                       "neither edit changes the book's structure")
        XCTAssertTrue(try IncrementalBuildTests.bookFile("service-general--review.xhtml", in: fixture).contains("Default timeout of a function"))
    }

    /// The layout key of a set of `files` and everything its laid-out book places, as text.
    private func laidOut(_ files: [String: String]) throws -> (key: String, layout: String) {
        let fixture = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("Content/lambda/flow.png", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let (set, diagnostics) = fixture.analyze()
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        let layout = EpubLayout(set) {}
        // Keyed before any chapter is laid out; the dump below lays them all out.
        let key = layout.key
        let dumped = dump(layout, of: set)
        // Looked up chapter by chapter as above, or in the tables of a layout made whole: the same.
        XCTAssertEqual(dump(EpubLayout(set) {}.whole {}, of: set), dumped)
        return (key, dumped)
    }

    /// Everything `layout` places, as text.
    private func dump(_ layout: EpubLayout, of set: LinkedStudySet) -> String {
        var lines: [String] = []
        for chapter in layout.chapters {
            lines.append("chapter \(chapter.service.id) \(chapter.file) closing \(chapter.closingFile ?? "-") files \(chapter.files)")
            for (page, (depth, file)) in zip(chapter.notes, zip(chapter.depths, chapter.noteFiles)) {
                lines.append("  note \(page.id) depth \(depth) in \(file)")
            }
            for page in chapter.seeAlso { lines.append("  also \(page.id) \(page.title)") }
            for (number, card) in chapter.cards { lines.append("  card \(number) \(card.pageID) \(card.index)") }
        }
        for page in set.studySet.allPages.sorted(by: { $0.id < $1.id }) {
            lines.append("page \(page.id) at \(layout.place(of: page.id)?.href ?? "-") prefix \(layout.notePrefix(of: page.id) ?? "-")")
            let ids = layout.headingIDs(of: page.id)
            for target in page.headings.map(\.id) + page.anchors + page.cards.map(\.anchor) {
                lines.append("  \(target) at \(layout.place(of: page.id, heading: target)?.href ?? "-") id \(ids[target] ?? "-")")
            }
            for target in set.links(of: page).targets { lines.append("  link to \(layout.href(target) ?? "-")") }
        }
        return lines.joined(separator: "\n")
    }
}
