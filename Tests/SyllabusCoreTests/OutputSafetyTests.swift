import Foundation
import XCTest
@testable import SyllabusCore

/// The output folder is the only place a build writes: where it may be, what it may hold,
/// one build at a time, and what a killed build leaves behind.
final class OutputSafetyTests: XCTestCase {
    private func build(_ fixture: Fixture, output: URL? = nil, content: URL? = nil) async throws -> BuildReport {
        var options = fixture.options
        if let output { options.outputRoot = output }
        if let content { options.contentRoot = content }
        return try await Pipeline(options: options).build()
    }

    private func listing(_ url: URL) -> [String] {
        DirectoryWalker.files(under: url.path)
    }

    func testRefusesAnOutputFolderThatIsInsideOrAroundTheContent() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        let content = fixture.root.appendingPathComponent("Content")
        let before = listing(fixture.root)
        let cases: [(URL, String)] = [
            (content, "is the content folder"),
            (content.appendingPathComponent("lambda/out"), "is inside the content folder"),
            (fixture.root, "is inside the output folder"),
            (URL(fileURLWithPath: "/"), "refusing to use / as the output folder"),
        ]
        for (output, message) in cases {
            do {
                _ = try await build(fixture, output: output)
                XCTFail("built into \(output.path)")
            } catch let refusal as OutputFolder.Refusal {
                XCTAssertTrue(refusal.description.contains(message), refusal.description)
            }
            XCTAssertEqual(listing(fixture.root), before, "nothing is written before the refusal")
        }
        // The same folder through a link is the same folder.
        let link = fixture.root.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: content)
        do {
            _ = try await build(fixture, output: link)
            XCTFail("built into the content folder through a link")
        } catch let refusal as OutputFolder.Refusal {
            XCTAssertEqual(refusal, .sameAsContent(link.path))
        }
    }

    func testRefusesAnOutputFolderHoldingWhatSyllabusDidNotMake() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        try fixture.write("Output/README.md", "kept in git")
        try fixture.write("Output/.gitignore", "*")
        _ = try await build(fixture)
        XCTAssertEqual(try fixture.read("Output/README.md"), "kept in git")

        try fixture.write("Output/thesis.tex", "my only copy")
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nRuns code, changed.\n")
        do {
            _ = try await build(fixture)
            XCTFail("built into a folder holding a file of the user's")
        } catch let refusal as OutputFolder.Refusal {
            XCTAssertTrue(refusal.description.contains("holds things Syllabus did not make (thesis.tex)"), refusal.description)
        }
        XCTAssertEqual(try fixture.read("Output/thesis.tex"), "my only copy")
    }

    func testRefusesATemplatesFolderInsideOrAroundTheOutputFolder() async throws {
        var fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        _ = try await build(fixture)
        // A theme kept inside a folder the build replaces (`site`), beside it, as the output
        // folder itself, and around it.
        let output = fixture.root.appendingPathComponent("Output")
        let cases: [(URL, URL, String)] = [
            (output.appendingPathComponent("site/theme"), output, "is inside the output folder"),
            (output.appendingPathComponent("theme"), output, "is inside the output folder"),
            (output, output, "is the templates folder"),
            (fixture.root.appendingPathComponent("theme"), fixture.root.appendingPathComponent("theme/Output"), "is inside the templates folder"),
        ]
        for (templates, output, message) in cases {
            try? FileManager.default.removeItem(at: templates)
            try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: templates)
            fixture.templatesRoot = templates
            let before = listing(fixture.root)
            do {
                _ = try await build(fixture, output: output)
                XCTFail("built into \(output.path) with the templates in \(templates.path)")
            } catch let refusal as OutputFolder.Refusal {
                XCTAssertTrue(refusal.description.contains(message), refusal.description)
            }
            XCTAssertEqual(listing(fixture.root), before, "nothing is written before the refusal")
            try FileManager.default.removeItem(at: templates)
        }
    }

    func testCommandLineRefusesAnEmptyOutputPathAndAMissingConfigFile() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        let templates = Fixture.repository.appendingPathComponent("Templates").path
        let empty = try CLI.run(["build", "--output", "", "--templates", templates], in: fixture.root)
        XCTAssertNotEqual(empty.status, 0)
        XCTAssertTrue(empty.err.contains("the output folder is an empty path"), empty.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.path).sorted(), ["Content", "syllabus.yml"])

        let missing = try CLI.run(["build", "--config", "other.yml", "--templates", templates], in: fixture.root)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.err.contains("other.yml:1:1: error: no such configuration file"), missing.err)
        // The default path may be missing: the defaults apply.
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("syllabus.yml"))
        let defaults = try CLI.run(["build", "--templates", templates, "--quiet"], in: fixture.root)
        XCTAssertEqual(defaults.status, 0, defaults.err)
    }

    func testASecondBuildWaitsForTheOneHoldingTheOutputFolder() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        let output = fixture.root.appendingPathComponent("Output")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        var held: OutputLock? = try OutputLock(output) { _ in XCTFail("nobody holds the lock yet") }
        let told = expectation(description: "the build says whom it waits for")
        let message = Locked<String>("")
        let options = fixture.options
        let second = Task {
            try await Pipeline(options: options, notice: { text in
                message.value = text
                told.fulfill()
            }).build()
        }
        await fulfillment(of: [told], timeout: 60)
        XCTAssertTrue(message.value.contains("by process \(getpid())"), message.value)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("site").path), "it waits before writing")
        held = nil
        let report = try await second.value
        XCTAssertFalse(report.failed)
        XCTAssertNil(held)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("site/index.html").path))
    }

    /// The id of a process that has ended.
    private func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    func testLeftoversOfKilledBuildsAreRemovedByTheNextBuildAndByClean() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        _ = try await build(fixture)
        let dead = try deadProcessID()
        let living = getppid()
        try fixture.write("Output/.staging-site-\(dead)/lambda/overview.html", "half a build")
        try fixture.write("Output/.old-anki-\(dead)/all.tsv", "set aside")
        try fixture.write("Output/.syllabus-cache.next", "torn")
        try fixture.write("Output/.staging-site-\(living)/index.html", "a build still running")
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nRuns code, changed.\n")
        _ = try await build(fixture)
        let names = try FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output").path)
        XCTAssertEqual(names.filter { $0.hasPrefix(".staging") || $0.hasPrefix(".old") || $0.hasSuffix(".next") }, [".staging-site-\(living)"],
                       "only what dead builds left goes")

        try fixture.write("Output/.staging-site-\(dead)/index.html", "half a build")
        try fixture.write("Output/.syllabus-records.next", "torn")
        _ = try OutputWriter(outputRoot: fixture.root.appendingPathComponent("Output")).clean()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output").path),
                       [".staging-site-\(living)"])
    }

    /// Real kills: `strace` sends SIGKILL to the build at its k-th `rename` (every file the
    /// build replaces, its manifest and Anki state included, goes live by one), for k = 1, 2, …
    /// until a build has fewer renames and completes. After each kill the next build must
    /// succeed and equal a build from scratch, and `clean` must leave the folder empty.
    func testABuildKilledAtAnyRenameLeavesWhatTheNextBuildAndCleanTakeBack() async throws {
        guard let strace = EndToEndSupport.which("strace") else { throw missingTool("strace is not installed") }
        let probe = try EndToEndSupport.run(strace, ["-o", "/dev/null", "true"])
        guard probe.status == 0 else { throw XCTSkip("strace cannot trace here: \(probe.err)") }
        let fixture = try Fixture(IncrementalBuildTests.files, config: IncrementalBuildTests.allOutputs)
        let executable = try EndToEndSupport.executable().path
        let arguments = ["build", "--content", "Content", "--output", "Output", "--templates", fixture.templatesRoot.path, "--quiet"]
        var kills = 0
        for k in 1...200 {
            // Every round's build changes something, so it is never up to date.
            try fixture.write("Content/lambda/tuning.md", "# Tuning Lambda\n\nRound \(k): more memory, more CPU.\n")
            let killed = try EndToEndSupport.run(strace, ["-f", "-o", "/dev/null", "-e", "trace=rename",
                                                          "-e", "inject=rename:signal=KILL:when=\(k)", executable] + arguments,
                                                 in: fixture.root)
            if killed.status == 0 { break }
            // strace ends itself with the signal that ended the build.
            XCTAssertEqual(killed.status, SIGKILL, "round \(k): \(killed.err)")
            kills += 1
            try await IncrementalBuildTests.assertRebuildMatchesFreshBuild(fixture)
        }
        XCTAssertGreaterThan(kills, 5, "the builds were killed at their renames")
        _ = try OutputWriter(outputRoot: fixture.root.appendingPathComponent("Output")).clean()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output").path), [])
    }

    func testAnUpToDateBuildReportsTheWarningsOfTheBuildItSkips() async throws {
        let fixture = try Fixture(["lambda/overview.md": "---\ntitel: Typo\n---\n# Lambda\n\nRuns code.\n"])
        let first = try await build(fixture)
        XCTAssertFalse(first.diagnostics.isEmpty)
        let second = try await build(fixture)
        XCTAssertTrue(second.upToDate)
        XCTAssertEqual(second.diagnostics, first.diagnostics)
    }

    /// The replayed warnings name files as a fresh build from the new working directory would:
    /// relative to it when the content is below it, absolute otherwise.
    func testAnUpToDateBuildFromAnotherFolderNamesTheFilesAsAFreshBuildWould() throws {
        let fixture = try Fixture(["lambda/overview.md": "---\ntitel: Typo\n---\n# Lambda\n\nRuns code.\n"])
        let templates = fixture.templatesRoot.path
        let warning = "lambda/overview.md:2:8: warning: unknown front matter key 'titel'"
        let first = try CLI.run(["build", "--templates", templates], in: fixture.root)
        XCTAssertEqual(first.status, 0, first.err)
        XCTAssertTrue(first.err.hasPrefix("Content/" + warning), first.err)

        let inside = fixture.root.appendingPathComponent("Content")
        let fromContent = try CLI.run(["build", "--content", ".", "--output", "../Output", "--config", "../syllabus.yml", "--templates", templates],
                                      in: inside)
        XCTAssertTrue(fromContent.out.contains("Up to date"), fromContent.out + fromContent.err)
        XCTAssertTrue(fromContent.err.hasPrefix(warning), fromContent.err)

        let elsewhere = try EndToEndSupport.temporaryFolder("elsewhere")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let fromElsewhere = try CLI.run(["build", "--content", inside.path, "--output", fixture.root.appendingPathComponent("Output").path,
                                         "--config", fixture.root.appendingPathComponent("syllabus.yml").path, "--templates", templates],
                                        in: elsewhere)
        XCTAssertTrue(fromElsewhere.out.contains("Up to date"), fromElsewhere.out + fromElsewhere.err)
        XCTAssertTrue(fromElsewhere.err.hasPrefix(inside.path + "/" + warning), fromElsewhere.err)
    }

    func testAConfigurationFileNamedButMissingIsAnError() async throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        var options = fixture.options
        options.configFile = fixture.root.appendingPathComponent("missing.yml")
        options.configRequired = true
        let report = try await Pipeline(options: options).build()
        XCTAssertTrue(report.failed)
        XCTAssertEqual(report.diagnostics.map(\.message), ["no such configuration file"])
        options.configRequired = false
        let defaults = try await Pipeline(options: options).build()
        XCTAssertFalse(defaults.failed, "\(defaults.diagnostics)")
    }
}

/// A value shared with a callback on another thread.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
