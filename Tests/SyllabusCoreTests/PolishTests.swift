import Foundation
import XCTest
@testable import SyllabusCore

/// The command line's small promises and the site's wording, checked on real builds.
final class PolishTests: XCTestCase {
    func testVersionAndContradictoryFlags() throws {
        let folder = try EndToEndSupport.temporaryFolder("cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let version = try CLI.run(["--version"], in: folder)
        XCTAssertEqual(version.status, 0)
        XCTAssertEqual(version.out.trimmingCharacters(in: .whitespacesAndNewlines), SyllabusVersion.current)

        let both = try CLI.run(["build", "--quiet", "--verbose"], in: folder)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.err.contains("--quiet and --verbose contradict each other"), both.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Output").path), "nothing built")
    }

    /// A template that does not parse: its file, line and column, and the problem in words.
    func testTemplateSyntaxErrorNamesFileLineAndProblem() throws {
        let folder = try EndToEndSupport.temporaryFolder("template-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        try EndToEndSupport.writeFixture(PracticePageTests.fixture, in: folder)
        let templates = folder.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: templates)
        let note = templates.appendingPathComponent("note.mustache")
        let text = try String(contentsOf: note, encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        let line = try XCTUnwrap(lines.firstIndex { $0.contains("{{/hasToc}}") }) + 1
        try text.replacingOccurrences(of: "{{/hasToc}}", with: "{{/hasTOC}}").write(to: note, atomically: true, encoding: .utf8)
        let result = try CLI.run(["build", "--templates", templates.path, "--output", folder.appendingPathComponent("Output").path,
                                  "--content", folder.appendingPathComponent("Content").path,
                                  "--config", folder.appendingPathComponent("syllabus.yml").path], in: folder)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.hasPrefix("\(note.path):\(line):"), result.err)
        XCTAssertTrue(result.err.contains(": error: this {{/…}} closes a section other than the one opened last: {{/hasTOC}}"), result.err)
    }
}
