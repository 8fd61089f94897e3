import Foundation
import XCTest
@testable import SyllabusCore

/// A throwaway project folder: content files written by the test, the repository's templates.
struct Fixture {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let root: URL

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

    init(_ files: [String: String], services: String = Fixture.twoServices, config: String = "title: Test\ndeck: Test\noutputs: [site, anki]\n") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-test-\(UUID().uuidString)")
        try write("Content/services.yml", services)
        try write("syllabus.yml", config)
        for (path, text) in files { try write("Content/\(path)", text) }
    }

    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    var options: BuildOptions {
        BuildOptions(contentRoot: root.appendingPathComponent("Content"),
                     templatesRoot: Fixture.repository.appendingPathComponent("Templates"),
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
        return set.render(page, href: { links.href($0, root: "../") }) { page.tree.document.html() }
    }
}

/// Runs the built `syllabus` executable, as a user would.
enum CLI {
    /// `swift test` builds the executable into the same products folder as the test bundle.
    static var executable: URL {
        let candidates = Bundle.allBundles.map(\.bundleURL) + [Bundle.main.bundleURL]
        return candidates.flatMap { [$0, $0.deletingLastPathComponent()] }
            .map { $0.appendingPathComponent("syllabus") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? URL(fileURLWithPath: "syllabus")
    }

    static func run(_ arguments: [String], in directory: URL) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
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
