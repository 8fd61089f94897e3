import Foundation
import XCTest
@testable import SyllabusCore

/// Every internal link of the site (its path percent-decoded) leads to a file, and every
/// fragment to an element with that id in it: the practice page's routes (`#all`, `#lambda`, `#all/missed`) included.
final class SiteAnchorTests: XCTestCase {
    func testEveryInternalLinkAndFragmentResolves() async throws {
        var files = LandingTextTests.guide
        files["lambda/lambda.cards.md"] = "# Lambda cards\n\n## What is the timeout?\n\n15 minutes.[^t]\n\n[^t]: A footnote.\n"
        files["s3/s3.cards.md"] = "# S3 cards\n\n## Largest object?\n\n50 TB.\n"
        // A title in other scripts: the Downloads section links the book percent-encoded.
        let fixture = try Fixture(files, config: "title: Prüfung für AWS 認定\ndeck: Test\noutputs: [site, anki, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let site = fixture.root.appendingPathComponent("Output/site")
        let pages = try XCTUnwrap(FileManager.default.enumerator(at: site, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "html" }
        var ids: [String: Set<String>] = [:]
        func idsOf(_ page: URL) throws -> Set<String> {
            if let known = ids[page.path] { return known }
            let html = try String(contentsOf: page, encoding: .utf8)
            let found = Set(html.matches(of: try Regex(#"\s(?:id|name)="([^"]*)""#)).compactMap { $0.output[1].substring.map(String.init) })
            ids[page.path] = found
            return found
        }
        var broken: [String] = []
        var checked = 0
        for page in pages {
            let html = try String(contentsOf: page, encoding: .utf8)
            for match in html.matches(of: try Regex(#"\s(?:href|src)="([^"]*)""#)) {
                guard let link = match.output[1].substring.map(String.init), !link.contains(":"), !link.isEmpty else { continue }
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let path = try XCTUnwrap(String(parts[0]).removingPercentEncoding, link)
                let target = path.isEmpty ? page : page.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                checked += 1
                guard FileManager.default.fileExists(atPath: target.path) else { broken.append("\(page.lastPathComponent): \(link)"); continue }
                if parts.count == 2, !parts[1].isEmpty, target.pathExtension == "html" {
                    let fragment = String(parts[1]).removingPercentEncoding ?? String(parts[1])
                    if !(try idsOf(target)).contains(fragment) { broken.append("\(page.lastPathComponent): \(link) (no such anchor)") }
                }
            }
        }
        XCTAssertGreaterThan(checked, 50)
        XCTAssertEqual(broken, [])
    }
}
