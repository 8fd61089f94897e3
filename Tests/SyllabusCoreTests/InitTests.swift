import Foundation
import XCTest
@testable import SyllabusCore

final class InitTests: XCTestCase {
    private func freshFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-init-\(UUID().uuidString)")
    }

    /// Builds the new set at `root` twice: as `init` wrote it, which warns only that the EPUB's
    /// author is the placeholder, and with an author written in, which is clean.
    private func buildsCleanly(_ root: URL, file: StaticString = #filePath, line: UInt = #line) async throws {
        let config = root.appendingPathComponent("syllabus.yml")
        let options = BuildOptions(contentRoot: root.appendingPathComponent("Content"),
                                   templatesRoot: root.appendingPathComponent("Templates"),
                                   outputRoot: root.appendingPathComponent("Output"),
                                   configFile: config)
        let placeholder = try await Pipeline(options: options).build()
        XCTAssertEqual(placeholder.diagnostics.map(\.message),
                       ["'author' is still 'Your name', as syllabus init wrote it: the EPUB names its author so; write yours"], file: file, line: line)
        XCTAssertEqual(placeholder.diagnostics.first?.location.line, 4, "the author's line", file: file, line: line)
        let written = try String(contentsOf: config, encoding: .utf8)
        try written.replacingOccurrences(of: "author: Your name", with: "author: Ada Lovelace").write(to: config, atomically: true, encoding: .utf8)
        let report = try await Pipeline(options: options).build()
        XCTAssertEqual(report.diagnostics.map(\.description), [], file: file, line: line)
        XCTAssertEqual(report.cards, 3, "two ## cards and one inline card", file: file, line: line)
        for path in ["Output/site/index.html", "Output/anki/all.apkg", "Output/cheatsheets/lambda.html"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), path, file: file, line: line)
        }
    }

    func testANewStudySetBuildsWithoutErrorsOrWarnings() async throws {
        let root = freshFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let written = try StudySetInitializer(destination: root, home: Fixture.repository).run()
        for path in ["syllabus.yml", "Content/services.yml", "Content/exam.yml", "Content/lambda/overview.md",
                     "Content/lambda/lambda.cards.md", "Content/lambda/lambda.exam.md", ".gitignore",
                     ".github/workflows/syllabus.yml", "Templates/layout.mustache"] {
            XCTAssertTrue(written.contains(path), path)
        }
        XCTAssertEqual(try Data(contentsOf: root.appendingPathComponent("Content/services.yml")),
                       try Data(contentsOf: Fixture.repository.appendingPathComponent("Content/services.yml")),
                       "the DVA-C02 catalog, as bundled")
        XCTAssertTrue(try String(contentsOf: root.appendingPathComponent(".gitignore"), encoding: .utf8).contains("Output/"))
        // The new set has no Package.swift, so its workflow must fetch Syllabus to build it.
        let workflow = try String(contentsOf: root.appendingPathComponent(".github/workflows/syllabus.yml"), encoding: .utf8)
        XCTAssertTrue(workflow.contains("hashFiles('Package.swift') == ''") && workflow.contains("vars.SYLLABUS_REPOSITORY"),
                      "the workflow checks out Syllabus when the repository has no Package.swift")
        XCTAssertFalse(workflow.contains("run: .build/release/syllabus"), "the workflow runs the Syllabus it built, wherever it is")
        try await buildsCleanly(root)
        let (set, _) = Fixture(root: root).analyze()
        XCTAssertEqual(set.studySet.questions.count, 1)
    }

    func testAnEmptyStudySetHasOneExampleServiceAndBuilds() async throws {
        let root = freshFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try StudySetInitializer(destination: root, home: Fixture.repository, empty: true).run()
        let catalog = try String(contentsOf: root.appendingPathComponent("Content/services.yml"), encoding: .utf8)
        XCTAssertEqual(catalog.components(separatedBy: "- id:").count - 1, 1)
        try await buildsCleanly(root)
    }

    func testItRefusesToOverwriteAndThenWritesNothing() throws {
        let root = freshFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Content"), withIntermediateDirectories: true)
        let mine = root.appendingPathComponent("Content/services.yml")
        try Data("- id: mine\n  name: Mine\n".utf8).write(to: mine)
        XCTAssertThrowsError(try StudySetInitializer(destination: root, home: Fixture.repository).run()) { error in
            guard case let StudySetInitializer.Failure.wouldOverwrite(paths) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(paths, ["Content/services.yml"])
        }
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "- id: mine\n  name: Mine\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("syllabus.yml").path), "nothing else written")

        try FileManager.default.removeItem(at: mine)
        try StudySetInitializer(destination: root, home: Fixture.repository).run()
        XCTAssertThrowsError(try StudySetInitializer(destination: root, home: Fixture.repository).run(), "a second init over the first")
    }

    func testTheCheckoutIsFoundFromAnExecutableBuiltInIt() {
        let executable = Fixture.repository.appendingPathComponent(".build/debug/syllabus")
        XCTAssertEqual(StudySetInitializer.home(containing: executable)?.standardizedFileURL.path, Fixture.repository.standardizedFileURL.path)
        XCTAssertNil(StudySetInitializer.home(containing: URL(fileURLWithPath: "/usr/bin/syllabus")))
    }
}

extension InitTests {
    /// The next steps `init` prints name the executable as the user can run it after `cd`:
    /// by name when PATH finds this same file, else by its absolute path (a user who built
    /// from the README runs `.build/release/syllabus`, and no `syllabus` is on PATH).
    func testNextStepsNameTheExecutableAsItCanBeRunFromTheNewFolder() throws {
        let folder = try EndToEndSupport.temporaryFolder("init-command")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bin = folder.appendingPathComponent("bin"), other = folder.appendingPathComponent("other bin")
        for place in [bin, other] {
            try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: place.appendingPathComponent("syllabus").path, contents: Data("#!/bin/sh\n".utf8),
                                                         attributes: [.posixPermissions: 0o755]))
        }
        func command(_ argv0: String, path: String?) -> String {
            StudySetInitializer.command(invokedAs: argv0, path: path, currentDirectory: folder)
        }
        XCTAssertEqual(command("syllabus", path: "/usr/bin"), "syllabus", "found on PATH by the shell")
        XCTAssertEqual(command("bin/syllabus", path: "/usr/bin:\(bin.path)"), "syllabus", "PATH finds the same file")
        XCTAssertEqual(command("./bin/../bin/syllabus", path: nil), bin.appendingPathComponent("syllabus").path)
        XCTAssertEqual(command("bin/syllabus", path: "\(other.path):\(bin.path)"), bin.appendingPathComponent("syllabus").path,
                       "PATH finds another syllabus first")
        XCTAssertEqual(command("other bin/syllabus", path: nil), "'\(other.path)/syllabus'", "quoted for the shell")
        XCTAssertEqual(StudySetInitializer.shellWord("it's"), "'it'\\''s'")
    }
}

final class InitCommandTests: XCTestCase {
    func testInitPrintsTheNextCommandsAndRefusesASecondTime() throws {
        let folder = try EndToEndSupport.temporaryFolder("init-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = try EndToEndSupport.executable().standardizedFileURL.path
        let first = try CLI.run(["init", "notes", "--from", Fixture.repository.path], in: folder)
        XCTAssertEqual(first.status, 0, first.err)
        // Run by its path, not found on PATH: the path, which still works after `cd notes`; one
        // `cd`, so the lines can be typed in order.
        let next = first.out.components(separatedBy: "Next:\n").last ?? ""
        XCTAssertEqual(next.split(separator: "\n").map { $0.components(separatedBy: "    #")[0] },
                       ["  cd notes", "  \(executable) serve", "  \(executable) build",
                        "Write your name as author in syllabus.yml: the EPUB names its author from there."], first.out)
        let second = try CLI.run(["init", "notes", "--from", Fixture.repository.path], in: folder)
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.err.contains("refusing to overwrite"), second.err)
    }

    /// A new study set's CI workflow installs, from apt, every library the Makefile says the
    /// build links: one it leaves out fails the learner's first CI run at compile time.
    func testTheCIWorkflowInstallsEveryLibraryTheBuildLinks() throws {
        let makefile = try String(contentsOf: Fixture.repository.appendingPathComponent("Makefile"), encoding: .utf8)
        let workflow = try String(contentsOf: Fixture.repository.appendingPathComponent("docs/ci/syllabus.yml"), encoding: .utf8)
        let line = try XCTUnwrap(makefile.split(separator: "\n").first { $0.hasPrefix("APT_PACKAGES =") })
        let packages = line.dropFirst("APT_PACKAGES =".count).split(separator: " ").map(String.init)
        XCTAssertTrue(packages.contains("libcmark-gfm-dev"), line.description)
        let installed = Set(workflow.split(whereSeparator: { " \n\\".contains($0) }).map(String.init))
        for package in packages { XCTAssertTrue(installed.contains(package), "docs/ci/syllabus.yml does not install \(package)") }
    }

    /// The README's "In CI" names the packages the workflow installs, all of them.
    func testTheReadmeNamesThePackagesTheCIWorkflowInstalls() throws {
        let readme = try String(contentsOf: Fixture.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let workflow = try String(contentsOf: Fixture.repository.appendingPathComponent("docs/ci/syllabus.yml"), encoding: .utf8)
        let install = try XCTUnwrap(workflow.components(separatedBy: "apt-get install -y --no-install-recommends").dropFirst().first)
        let installed = install.components(separatedBy: "\n\n")[0].split(whereSeparator: { " \n\\".contains($0) }).map(String.init)
        let section = try XCTUnwrap(readme.components(separatedBy: "### In CI").dropFirst().first)
        let named = try XCTUnwrap(section.components(separatedBy: "It installs the packages\n(`").dropFirst().first?.components(separatedBy: "`)").first)
        XCTAssertEqual(named.split(whereSeparator: { " \n".contains($0) }).map(String.init), installed)
    }
}
