import Foundation
import XCTest
@testable import SyllabusCore

/// Symbolic links in the content folder: what is inside it is read, what leads outside,
/// to nothing or round in a loop is an error naming the link, and nothing is skipped silently.
final class ContentLinkTests: XCTestCase {
    private func link(_ fixture: Fixture, _ path: String, to target: String) throws {
        let url = fixture.root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    func testLinksInsideTheContentFolderAreRead() async throws {
        let fixture = try Fixture(["s3/shared/overview.md": "# Shared\n\nRuns code.\n", "s3/basics.md": "# Basics\n\nStores objects.\n"])
        try link(fixture, "Content/lambda", to: "s3/shared")             // a service folder that is a link
        try link(fixture, "Content/s3/alias.md", to: "basics.md")       // a note that is a link
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set.pages.map(\.source.relativePath).sorted(),
                       ["lambda/overview.md", "s3/alias.md", "s3/basics.md", "s3/shared/overview.md"])
        XCTAssertEqual(set.studySet.pages(of: "lambda").map(\.title), ["Shared"], "the linked service folder's notes belong to it")
    }

    func testALinkLeadingOutsideTheContentFolderIsAnErrorNamingIt() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        try fixture.write("secret/passwd.md", "root:x:0:0\n")
        try fixture.write("elsewhere/notes/a.md", "# Elsewhere\n")
        try link(fixture, "Content/lambda/passwd.md", to: fixture.root.appendingPathComponent("secret/passwd.md").path)
        try link(fixture, "Content/s3", to: "../elsewhere/notes")
        let report = try await fixture.build()
        XCTAssertTrue(report.failed)
        let errors = report.diagnostics.filter { $0.severity == .error }.map { "\($0.location.description.components(separatedBy: "/Content/").last!): \($0.message)" }
        XCTAssertEqual(errors.count, 2, "\(errors)")
        XCTAssertTrue(errors[0].hasPrefix("lambda/passwd.md:1:1: symbolic link leads outside the content folder"), "\(errors)")
        XCTAssertTrue(errors[1].hasPrefix("s3:1:1: symbolic link leads outside the content folder"), "\(errors)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site").path))
    }

    func testLoopsAndDanglingLinksAreErrors() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        try link(fixture, "Content/lambda/again", to: "..")                 // a folder that holds the link
        try link(fixture, "Content/lambda/self.md", to: "self.md")           // a link to itself
        try link(fixture, "Content/lambda/gone.md", to: "nothing-here.md")   // a link to nothing
        let (_, diagnostics) = fixture.analyze()
        let messages = diagnostics.map { "\(($0.location.path as NSString).lastPathComponent): \($0.message)" }
        XCTAssertEqual(messages.sorted(), [
            "again: symbolic link loops: it leads to a folder that holds it (\(try resolved(fixture.root.appendingPathComponent("Content"))))",
            "gone.md: symbolic link points to nothing",
            "self.md: symbolic link loops",
        ])
    }

    private func resolved(_ url: URL) throws -> String {
        try XCTUnwrap(realpath(url.path, nil).map { pointer in defer { free(pointer) }; return String(cString: pointer) })
    }
}
