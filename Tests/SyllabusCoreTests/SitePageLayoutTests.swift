import Foundation
import XCTest
@testable import SyllabusCore

/// A page's body of a megabyte or more (a large set's term index) is put into the layout by
/// hand rather than through the template (see `SiteRenderer.page`); the pages must be the
/// template's bytes all the same, with any theme.
final class SitePageLayoutTests: XCTestCase {
    static let files = [
        "lambda/overview.md": "# Lambda\n\n## Limits\n\nFunctions run for up to **15 minutes** & read from <S3>.\n",
        "lambda/tuning.md": "# Tuning\n\nMore **memory** means more CPU.\n",
        "lambda.cards.md": "# Lambda cards\n\n## What is the maximum timeout?\n\n15 minutes.\n",
    ]

    func testEveryPagePutIntoTheLayoutByHandIsTheTemplatesBytes() async throws {
        let layouts = [
            "the default theme": nil,
            // Not put in by hand: the marker would be escaped, or found twice.
            "an escaped body": { (layout: String) in layout.replacingOccurrences(of: "{{{content}}}", with: "{{content}}") },
            "a body shown twice": { (layout: String) in layout.replacingOccurrences(of: "{{{content}}}", with: "{{{content}}}<hr>{{{content}}}") },
        ] as [String: ((String) -> String)?]
        for (theme, change) in layouts {
            var fixture = try Fixture(Self.files)
            if let change {
                let root = fixture.root.appendingPathComponent("Theme")
                try FileManager.default.copyItem(at: fixture.templatesRoot, to: root)
                let layout = root.appendingPathComponent("layout.mustache")
                try change(String(contentsOf: layout, encoding: .utf8)).write(to: layout, atomically: true, encoding: .utf8)
                fixture.templatesRoot = root
            }
            let (set, _) = fixture.analyze()
            let templates = try await TemplateSet.load(from: fixture.templatesRoot)
            var byHand = try SiteRenderer(templates: templates)
            byHand.splicedBodySize = 0
            let spliced = try byHand.render(set, diagnostics: DiagnosticLog())
            let rendered = try SiteRenderer(templates: templates).render(set, diagnostics: DiagnosticLog())
            XCTAssertEqual(spliced.map(\.path), rendered.map(\.path), theme)
            XCTAssertGreaterThan(spliced.filter { $0.path.hasSuffix(".html") }.count, 5, theme)
            for (ours, theirs) in zip(spliced, rendered) {
                XCTAssertTrue(ours.contents == theirs.contents, "\(ours.path) with \(theme)")
            }
            if theme == "an escaped body" {
                let page = try XCTUnwrap(spliced.first { $0.path == "site/lambda/overview.html" })
                XCTAssertTrue(String(decoding: page.contents, as: UTF8.self).contains("&lt;h1"), "the body escaped")
            }
        }
    }
}
