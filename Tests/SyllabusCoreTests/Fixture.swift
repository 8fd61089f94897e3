import Foundation
import XCTest
@testable import SyllabusCore

/// A throwaway project folder: content files written by the test, the repository's templates.
struct Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let root: URL
    var templatesRoot = Fixture.repository.appendingPathComponent("Templates")

    static let twoServices = """
        - id: lambda
          name: AWS Lambda
          short: Lambda
          aliases: [Lambda function]
          category: Compute
          docs: https://docs.aws.amazon.com/lambda/
        - id: s3
          name: Amazon Simple Storage Service
          short: S3
          aliases: [Amazon S3, Amazon S3 Glacier]
          category: Storage
        """

    /// The same two services without aliases, for end-to-end fixtures that assert exact output.
    static let plainServices = """
        - id: lambda
          name: AWS Lambda
          short: Lambda
          category: Compute
        - id: s3
          name: Amazon Simple Storage Service
          short: S3
          category: Storage

        """

    /// Lambda and SQS, one alias: for search, import and the Anki round trip, where a card or
    /// a search names SQS.
    static let lambdaAndSQS = """
        - id: lambda
          name: AWS Lambda
          short: Lambda
          category: Compute
        - id: sqs
          name: Amazon Simple Queue Service
          short: SQS
          aliases: [Amazon SQS]
          category: Application Integration

        """

    init(_ files: [String: String], services: String = Fixture.twoServices, config: String = "title: Test\ndeck: Test\noutputs: [site, anki]\n") throws {
        self.init(root: FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-test-\(UUID().uuidString)"))
        try write("Content/services.yml", services)
        try write("syllabus.yml", config)
        for (path, text) in files { try write("Content/\(path)", text) }
    }

    /// A fixture whose files the test writes itself.
    init(root: URL) {
        self.root = root
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Writes `text` at `path`, or removes the file there when `text` is nil (an edit that
    /// deletes a note).
    func write(_ path: String, orRemove text: String?) throws {
        if let text {
            try write(path, text)
        } else {
            try FileManager.default.removeItem(at: root.appendingPathComponent(path))
        }
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    var options: BuildOptions {
        BuildOptions(contentRoot: root.appendingPathComponent("Content"),
                     templatesRoot: templatesRoot,
                     outputRoot: root.appendingPathComponent("Output"),
                     configFile: root.appendingPathComponent("syllabus.yml"))
    }

    func analyze() -> (LinkedStudySet, [Diagnostic]) {
        let log = DiagnosticLog()
        let set = Pipeline(options: options).analyze(log)
        return (set, log.all)
    }

    func build() async throws -> BuildReport {
        try await Pipeline(options: options).build()
    }

    /// The page's HTML as the site renders its Markdown (links pointed at site paths).
    static func siteHTML(of pageID: String, in set: LinkedStudySet) -> String {
        let page = set.page(pageID)!
        let links = SiteLinks(set: set)
        return set.pointedLinks(of: page) { links.href($0, root: "../") }.html(set.content(of: page).tree.document)
    }
}

/// Runs the built `syllabus` executable, as a user would.
enum CLI {
    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        try EndToEndSupport.run(try EndToEndSupport.executable().path, arguments, in: directory)
    }
}

/// Temp folders, the built executable, child processes.
enum EndToEndSupport {
    enum Failure: Error { case process(String) }

    /// `swift test` builds every product, so `syllabus` sits in the products folder next to the
    /// test bundle (`SYLLABUS_EXECUTABLE` overrides).
    static func executable() throws -> URL {
        try TestTier.mayLaunch("the syllabus executable")
        if let path = ProcessInfo.processInfo.environment["SYLLABUS_EXECUTABLE"] { return URL(fileURLWithPath: path) }
        let bundles = Bundle.allBundles.filter { $0.bundlePath.hasSuffix(".xctest") }.map(\.bundleURL) + [Bundle.main.bundleURL]
        let candidates = bundles.flatMap { [$0.deletingLastPathComponent(), $0] }.map { $0.appendingPathComponent("syllabus") }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            XCTFail("no built syllabus executable in \(candidates.map(\.path))")
            throw Failure.process("no syllabus executable")
        }
        return found
    }

    /// The Python with the `anki` package, from `ANKI_PYTHON`; skips the test without one.
    static func ankiPython() throws -> String {
        try TestTier.mayLaunch("the Anki library's Python")
        guard let python = ProcessInfo.processInfo.environment["ANKI_PYTHON"], !python.isEmpty else {
            throw missingTool("ANKI_PYTHON is not set (a Python with `pip install anki`)")
        }
        let probe = try? run(python, ["-c", "import anki.collection"], timeout: 30)
        guard let probe, probe.status == 0 else {
            throw missingTool("ANKI_PYTHON=\(python) cannot import anki: \(probe?.err ?? "does not run")")
        }
        return python
    }

    static func temporaryFolder(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func writeFixture(_ files: [String: String], in folder: URL) throws {
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    /// Sets the modification time of every file under `folder`/Content `seconds` back. A
    /// package's notes are dated by their files (`AnkiHistory.modified`), and Anki's importer
    /// tells an update from a duplicate by comparing a note's time with the package's in whole
    /// seconds: notes written, built and imported within one second, as a fast test does, are
    /// no learner's, who writes notes before importing them.
    static func backdateContent(in folder: URL, by seconds: TimeInterval = 3600) throws {
        let content = folder.appendingPathComponent("Content")
        let files = FileManager.default.enumerator(at: content, includingPropertiesForKeys: nil)
        let earlier = Date().addingTimeInterval(-seconds)
        while let url = files?.nextObject() as? URL {
            try FileManager.default.setAttributes([.modificationDate: earlier], ofItemAtPath: url.path)
        }
    }

    /// `syllabus build` of `folder`'s Content, syllabus.yml and Templates (the repository's
    /// when the folder has none) into `folder`/Output.
    static func build(in folder: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        var templates = folder.appendingPathComponent("Templates")
        if !FileManager.default.fileExists(atPath: templates.path) { templates = Fixture.repository.appendingPathComponent("Templates") }
        let result = try run(try executable().path,
                             ["build", "--content", folder.appendingPathComponent("Content").path, "--templates", templates.path,
                              "--output", folder.appendingPathComponent("Output").path,
                              "--config", folder.appendingPathComponent("syllabus.yml").path, "--quiet"],
                             timeout: 60)
        guard result.status == 0 else {
            XCTFail("syllabus build failed (\(result.status)): \(result.err)\(result.out)", file: file, line: line)
            throw Failure.process(result.err)
        }
    }

    /// Runs `executable` (a path, or a name looked up in PATH), in `directory` if given, and
    /// returns its exit status and output.
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120,
                    in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        try TestTier.mayLaunch(executable)
        let process = Process()
        process.currentDirectoryURL = directory
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        // Files, not pipes: a large report cannot fill a pipe buffer and block the child.
        let logs = try temporaryFolder("process")
        defer { try? FileManager.default.removeItem(at: logs) }
        let outURL = logs.appendingPathComponent("out"), errURL = logs.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            done.wait()
        }
        try out.close()
        try err.close()
        return (process.terminationStatus,
                try String(contentsOf: outURL, encoding: .utf8),
                try String(contentsOf: errURL, encoding: .utf8))
    }

    /// The first of `names` found in PATH.
    static func which(_ names: String...) -> String? { which(names) }

    static func which(_ names: [String]) -> String? {
        // Looking a tool up means the test is about to launch it.
        guard (try? TestTier.mayLaunch(names.joined(separator: " or "))) != nil else { return nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}

/// The fast tier (`make test-fast`, `SYLLABUS_TEST_TIER=fast`) runs in-process tests only: the
/// Makefile's `SLOW_TESTS` lists, and `swift test --skip` leaves out, every test that launches
/// a process (Anki's Python, Chromium, epubcheck, pdfinfo, the `syllabus` executable) or takes
/// seconds on its own. A test that is not listed and launches one fails there, naming the list.
enum TestTier {
    static let isFast = ProcessInfo.processInfo.environment["SYLLABUS_TEST_TIER"] == "fast"

    struct Refusal: Error, CustomStringConvertible { var description: String }

    /// Fails the running test in the fast tier (even where the caller ignores the error).
    static func mayLaunch(_ what: String) throws {
        guard isFast else { return }
        let message = "the fast test tier launches no process (here: \(what)); add this test to SLOW_TESTS in the Makefile"
        XCTFail(message)
        throw Refusal(description: message)
    }
}

/// A test that needs an outside tool (Anki, epubcheck, Chromium) skips where it is missing on
/// a developer's machine, but fails in CI (`CI` set), which installs them all: a green CI must
/// mean they ran.
func missingTool(_ message: String) -> Error {
    if ProcessInfo.processInfo.environment["CI"] != nil {
        return NSError(domain: "Syllabus.tests", code: 1, userInfo: [NSLocalizedDescriptionKey: "CI is missing a tool: \(message)"])
    }
    return XCTSkip(message)
}

extension LinkedStudySet {
    /// A card's back as plain text, read from its page's tree.
    func backText(_ card: Card) -> String {
        content(of: page(card.pageID)!).cards[card.index].back.map(\.plainText).joined(separator: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
