import XCTest
@testable import SyllabusCore

/// Builds the bundled study set with the real binary and checks the site as a reader would.
final class SiteTests: XCTestCase {
    static var output: URL!
    /// The one build the class's tests read, made by the first test that runs. A build that
    /// fails (or a missing executable) fails each test, where a crash in the class's setUp
    /// ended the whole test run.
    private static var built: Result<URL, Error>?

    struct BuildFailure: Error, CustomStringConvertible { var description: String }

    override func setUpWithError() throws {
        if Self.built == nil { Self.built = Result { try Self.buildBundledSet() } }
        Self.output = try Self.built!.get()
    }

    override class func tearDown() {
        if case .success(let output) = built { try? FileManager.default.removeItem(at: output) }
        built = nil
    }

    private static func buildBundledSet() throws -> URL {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-site-\(UUID().uuidString)")
        let result = try CLI.run(["build", "--output", output.path], in: Fixture.repository)
        guard result.status == 0 else { throw BuildFailure(description: "bundled build failed (\(result.status)): \(result.err)") }
        return output
    }

    func html(_ path: String) throws -> String {
        try String(contentsOf: Self.output.appendingPathComponent("site/\(path)"), encoding: .utf8)
    }

    func testEveryInternalLinkAndAnchorResolves() throws {
        let site = Self.output.appendingPathComponent("site")
        let files = FileManager.default.enumerator(atPath: site.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".html") }
        XCTAssertGreaterThan(files.count, 60)
        var ids: [String: Set<String>] = [:]
        func idsOf(_ path: String) -> Set<String> {
            if let known = ids[path] { return known }
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            // The practice page's fragments name decks (and a deck's missed cards), not elements.
            let decks = Self.attributeValues("data-deck-link", in: text)
            let found = Set(Self.attributeValues("id", in: text) + decks + decks.map { $0 + "/missed" })
            ids[path] = found
            return found
        }
        var checked = 0
        var broken: [String] = []
        for file in files {
            let page = site.appendingPathComponent(file)
            let text = try String(contentsOf: page, encoding: .utf8)
            for link in Self.attributeValues("href", in: text) + Self.attributeValues("src", in: text) {
                if link.hasPrefix("http:") || link.hasPrefix("https:") || link.hasPrefix("mailto:") { continue }
                XCTAssertFalse(link.hasPrefix("/") || link.hasPrefix("//"), "\(file): \(link) is not relative")
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let target = parts[0].isEmpty ? page : page.deletingLastPathComponent().appendingPathComponent(parts[0]).standardizedFileURL
                checked += 1
                guard FileManager.default.fileExists(atPath: target.path) else { broken.append("\(file): \(link)"); continue }
                if parts.count == 2, !parts[1].isEmpty, !idsOf(target.path).contains(parts[1]) {
                    broken.append("\(file): \(link) (no such id)")
                }
            }
        }
        XCTAssertEqual(broken, [])
        XCTAssertGreaterThan(checked, 5000)
    }

    func testServicePagesCrossLinkAndListCards() throws {
        let lambda = try html("lambda/index.html")
        XCTAssertTrue(lambda.contains("<h1>AWS Lambda</h1>"))
        XCTAssertTrue(lambda.contains("href=\"../lambda/event-source-mapping.html\""))
        XCTAssertTrue(lambda.contains("id=\"related\""), "related services")
        XCTAssertTrue(lambda.contains("id=\"mentioned-in\""), "back-links")
        XCTAssertTrue(lambda.contains("class=\"card-question\""))
        let note = try html("lambda/event-source-mapping.html")
        XCTAssertTrue(note.contains("<a href=\"../s3/index.html\">Amazon S3</a>"), "cross-link to another service")
        XCTAssertTrue(note.contains("class=\"toc\""))
    }

    func testTermIndexListsTermsAtoZWithLinks() throws {
        let terms = try html("terms/index.html")
        for letter in ["a", "d", "s"] { XCTAssertTrue(terms.contains("<h2 id=\"\(letter)\">"), letter) }
        XCTAssertTrue(terms.contains("<dt id=\"term-aws-lambda\">AWS Lambda</dt>"), "a service's entry, the target of its other names")
        XCTAssertTrue(terms.contains("<dt>event source mapping</dt>") || terms.contains("<dt>Event source mapping</dt>"))
    }

    func testNoExternalRequestsAndAccessibleLayout() throws {
        let home = try html("index.html")
        XCTAssertTrue(home.contains("<html lang=\"en\""))
        XCTAssertTrue(home.contains("class=\"skip-link\" href=\"#main\""))
        XCTAssertTrue(home.contains("<main id=\"main\""))
        for attribute in ["src", "href"] {
            for value in Self.attributeValues(attribute, in: home) where value.hasPrefix("http") {
                XCTFail("home page loads \(value)")
            }
        }
        let css = try html("assets/style.css")
        XCTAssertTrue(css.contains("prefers-color-scheme: dark"))
        XCTAssertTrue(css.contains("color-scheme: light dark"), "form controls and scroll bars follow dark mode too")
        XCTAssertTrue(css.contains(":focus-visible"))
    }

    static func attributeValues(_ name: String, in html: String) -> [String] {
        var values: [String] = []
        var rest = Substring(html)
        let marker = " \(name)=\""
        while let start = rest.range(of: marker) {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "\"") else { break }
            values.append(String(after[..<end]).replacingOccurrences(of: "&amp;", with: "&"))
            rest = after[end...]
        }
        return values
    }
}
