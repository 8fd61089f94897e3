import XCTest
@testable import SyllabusCore

/// `syllabus build --timings`: one line per stage, in the pipeline's order, on standard error.
final class StageTimingsTests: XCTestCase {
    private func stages(_ stderr: String) -> [(seconds: Double, name: String)] {
        stderr.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("timing: ") else { return nil }
            let parts = line.dropFirst("timing: ".count).split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let seconds = Double(parts[0]) else { return nil }
            return (seconds, String(parts[1]))
        }
    }

    private let templates = Fixture.repository.appendingPathComponent("Templates").path

    func testTimingsNameEveryStageOfAFullBuildInOrder() throws {
        // A card, so there are decks to make (a set without any makes no Anki output).
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n", "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n"],
                                  config: "title: Test\ndeck: Test\noutputs: [site, anki]\n")
        let result = try CLI.run(["build", "--timings", "--quiet", "--templates", templates], in: fixture.root)
        XCTAssertEqual(result.status, 0, result.err)
        let found = stages(result.err)
        XCTAssertEqual(found.map(\.name), ["Starting", "Reading the build cache", "Loading Content", "Parsing 2 of 2 files",
                                           "Classifying", "Linking", "Preparing site, anki", "Rendering site", "Rendering anki",
                                           "Replacing the output folders"])
        XCTAssertTrue(found.allSatisfy { $0.seconds >= 0 })
    }

    func testABuildMakesTheBookBeforeTheSiteWhateverTheConfigurationsOrder() throws {
        // The book's layout, held from its prepare until it is made, is then gone when the
        // site makes its largest files (see `Pipeline.inMemoryOrder`).
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n", "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n"],
                                  config: "title: Test\ndeck: Test\noutputs: [site, anki, epub]\n")
        let result = try CLI.run(["build", "--timings", "--quiet", "--templates", templates], in: fixture.root)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(stages(result.err).map(\.name).filter { $0.hasPrefix("Rendering") },
                       ["Rendering ebook", "Rendering site", "Rendering anki"])
    }

    func testTheDecksAndCheatSheetsAreMadeSideBySideAfterTheOthers() async throws {
        // Small outputs whose work leaves a core idle (`Renderer.rendersBeside`), made at once;
        // the files are those of making them one after the other.
        let files = ["lambda/overview.md": "# Lambda\n\nRuns code.\n", "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n"]
        let fixture = try Fixture(files, config: "title: Test\ndeck: Test\noutputs: [anki, cheatsheets, site]\n")
        let result = try CLI.run(["build", "--timings", "--quiet", "--templates", templates], in: fixture.root)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(stages(result.err).map(\.name).filter { $0.hasPrefix("Rendering") },
                       ["Rendering site", "Rendering anki, cheatsheets"])
        let (set, _) = fixture.analyze()
        let theme = try await TemplateSet.load(from: fixture.templatesRoot)
        for renderer in [AnkiRenderer(), try CheatSheetRenderer(templates: theme)] as [any Renderer] {
            let alone = try renderer.render(set, diagnostics: DiagnosticLog())
            for file in alone where !file.path.hasSuffix(".pdf") {
                XCTAssertEqual(try Data(contentsOf: fixture.root.appendingPathComponent("Output/\(file.path)")), try file.contents, file.path)
            }
        }
    }

    func testAnUpToDateBuildStillTimesItsLastStage() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        XCTAssertEqual(try CLI.run(["build", "--quiet", "--templates", templates], in: fixture.root).status, 0)
        let result = try CLI.run(["build", "--timings", "--quiet", "--templates", templates], in: fixture.root)
        XCTAssertEqual(stages(result.err).map(\.name), ["Starting", "Reading the build cache", "Loading Content"])
    }

    /// Each stage's CPU seconds follow its wall seconds, for the same stages in the same order.
    func testEveryStageAlsoHasItsCPUSeconds() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"], config: "title: Test\ndeck: Test\noutputs: [site]\n")
        let result = try CLI.run(["build", "--timings", "--quiet", "--templates", templates], in: fixture.root)
        XCTAssertEqual(result.status, 0, result.err)
        let lines = result.err.split(separator: "\n").filter { $0.hasPrefix("timing: ") || $0.hasPrefix("cpu: ") }
        let wall = stages(result.err)
        XCTAssertEqual(lines.count, 2 * wall.count, result.err)
        for (index, stage) in wall.enumerated() {
            let parts = lines[2 * index + 1].split(separator: " ", maxSplits: 2)
            XCTAssertEqual(parts.first, "cpu:", result.err)
            XCTAssertEqual(parts.count == 3 ? String(parts[2]) : nil, stage.name)
            XCTAssertGreaterThanOrEqual(Double(parts.count == 3 ? String(parts[1]) : "") ?? -1, 0, result.err)
        }
    }

    func testWithoutTheFlagNothingIsTimed() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        let result = try CLI.run(["build", "--quiet", "--templates", templates], in: fixture.root)
        XCTAssertTrue(stages(result.err).isEmpty, result.err)
    }
}
