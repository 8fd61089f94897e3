import XCTest
@testable import SyllabusCore

final class BuildTests: XCTestCase {
    /// The build counts notes as the home page does: a service's landing text (`index.md`)
    /// and a card file are no notes of their own.
    func testTheBuildCountsNotesAsTheHomePageDoes() async throws {
        let fixture = try Fixture(["lambda/index.md": "# Lambda\n\nThe service.\n", "lambda/overview.md": "# Overview\n\nRuns code.\n",
                                   "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n"])
        let report = try await fixture.build()
        XCTAssertEqual(report.pages, 1)
        // The whole count, so that "11 notes" or "1 notes" cannot pass for it.
        XCTAssertTrue(try fixture.read("Output/site/index.html").contains(">1 note · 1 card</span>"))
    }

    func testRebuildWithNothingChangedDoesNothingAndAChangeRebuilds() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        let first = try await fixture.build()
        XCTAssertFalse(first.upToDate)
        XCTAssertEqual(first.written?.unchanged, 0)

        let second = try await fixture.build()
        XCTAssertTrue(second.upToDate)
        XCTAssertEqual(second.pages, first.pages)
        XCTAssertNil(second.written)

        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nRuns code, changed.\n")
        let third = try await fixture.build()
        XCTAssertFalse(third.upToDate)
        // The search index holds every word: its word list, postings and texts change too.
        XCTAssertEqual(third.written?.written, 4, "only the note's own page and the search index have new bytes")
    }

    func testCleanRemovesTheBuildsOwnFilesToo() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        _ = try await fixture.build()
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nRuns code, changed.\n")
        _ = try await fixture.build()
        try fixture.write("Output/README.md", "placeholder")
        let output = fixture.root.appendingPathComponent("Output")
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent(BuildCache.fileName).path))
        _ = try OutputWriter(outputRoot: output).clean()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path), ["README.md"])
    }

    func testDeletedOutputFolderIsRebuilt() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        _ = try await fixture.build()
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Output/site"))
        let again = try await fixture.build()
        XCTAssertFalse(again.upToDate)
        XCTAssertTrue(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/index.html").path))
    }

    func testTemplatesFolderOverridesTheDefaultTheme() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        let theme = fixture.root.appendingPathComponent("MyTheme")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: theme)
        let layout = theme.appendingPathComponent("layout.mustache")
        try (String(contentsOf: layout, encoding: .utf8).replacingOccurrences(of: "<body>", with: "<body class=\"my-theme\">"))
            .write(to: layout, atomically: true, encoding: .utf8)
        var options = fixture.options
        options.templatesRoot = theme
        _ = try await Pipeline(options: options).build()
        XCTAssertTrue(try fixture.read("Output/site/lambda/overview.html").contains("<body class=\"my-theme\">"))

        try FileManager.default.removeItem(at: theme.appendingPathComponent("terms.mustache"))
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nChanged.\n")
        do {
            _ = try await Pipeline(options: options).build()
            XCTFail("a theme without a terms template must not build")
        } catch let error as TemplateSet.Failure {
            XCTAssertTrue(error.description.hasSuffix("template 'terms.mustache' is missing"), error.description)
        }
    }
}
