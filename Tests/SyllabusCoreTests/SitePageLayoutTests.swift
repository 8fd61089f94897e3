import Foundation
import XCTest
@testable import SyllabusCore

/// A page's body of a megabyte or more (a large set's term index) is put into the layout by
/// hand rather than through the template (see `SiteRenderer.page`), and pages that differ only
/// in their title and body share one rendering of the layout (`LayoutFrames`); the pages must
/// be the template's bytes all the same, with any theme.
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
            byHand.framesLayout = false
            // By path: the site's largest files are written as each is made, in no fixed order.
            let spliced = try byHand.render(set, diagnostics: DiagnosticLog()).sorted { $0.path < $1.path }
            var whole = try SiteRenderer(templates: templates)
            whole.framesLayout = false
            let rendered = try whole.render(set, diagnostics: DiagnosticLog()).sorted { $0.path < $1.path }
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

    /// Titles and bodies that each way of showing a value treats differently: markup
    /// characters, a `<` with a combining mark (swift-mustache's own escaping, by Character,
    /// leaves it; Syllabus's, by byte, does not), letters of both cases.
    static let framedFiles = [
        "lambda/overview.md": "# Lambda & <S\u{301}3> 'quoted' \"x\"\n\n## Limits\n\nFunctions run for **15 minutes**.\n",
        "lambda/tuning.md": "# tuning AWS Lambda\n\nMore **memory** means more CPU.\n",
        "lambda/costs.md": "# Costs\n\nPriced per <\u{301} millisecond.\n",
        "lambda.cards.md": "# Lambda cards\n\n## What is the maximum timeout?\n\n15 minutes.\n",
    ]

    func testEveryPageOfAFramedLayoutIsTheTemplatesBytes() async throws {
        let body = "{{{content}}}", title = "<title>{{documentTitle}}</title>"
        let layouts: [String: (String) -> String] = [
            "the default theme": { $0 },
            "no content type": { $0.replacingOccurrences(of: "{{% CONTENT_TYPE: HTML}}\n", with: "") },
            "a text content type": { $0.replacingOccurrences(of: "{{% CONTENT_TYPE: HTML}}", with: "{{% CONTENT_TYPE: TEXT}}") },
            "an escaped body": { $0.replacingOccurrences(of: body, with: "{{content}}") },
            "a body shown twice, raw and escaped": { $0.replacingOccurrences(of: body, with: "\(body)<hr>{{content}}") },
            "transforms": { $0.replacingOccurrences(of: title, with:
                "<title>{{uppercased(title)}} {{lowercased(title)}} {{capitalized(title)}} {{reversed(documentTitle)}}</title>") },
            "a section over a value": { $0.replacingOccurrences(of: title, with:
                "<title>{{#title}}[{{.}}|{{siteTitle}}]{{/title}}{{^empty(title)}}!{{/empty(title)}}</title>") },
            "a value in a transformed section": { $0.replacingOccurrences(of: title, with: "<title>{{#title}}{{uppercased(.)}}{{/title}}</title>") },
            "the body in an indented partial": { $0.replacingOccurrences(of: body, with: "  {{> partials/body}}") },
            "a dynamic partial": { $0.replacingOccurrences(of: body, with: "{{>*title}}\(body)") },
        ]
        for (theme, change) in layouts {
            var fixture = try Fixture(Self.framedFiles)
            let root = fixture.root.appendingPathComponent("Theme")
            try FileManager.default.copyItem(at: fixture.templatesRoot, to: root)
            let layout = root.appendingPathComponent("layout.mustache")
            try change(String(contentsOf: layout, encoding: .utf8)).write(to: layout, atomically: true, encoding: .utf8)
            try "<div>\n{{{content}}}\n</div>\n".write(to: root.appendingPathComponent("partials/body.mustache"), atomically: true, encoding: .utf8)
            fixture.templatesRoot = root
            let (set, _) = fixture.analyze()
            let templates = try await TemplateSet.load(from: fixture.templatesRoot)
            // By path, as above.
            let framed = try SiteRenderer(templates: templates).render(set, diagnostics: DiagnosticLog()).sorted { $0.path < $1.path }
            var whole = try SiteRenderer(templates: templates)
            whole.framesLayout = false
            let rendered = try whole.render(set, diagnostics: DiagnosticLog()).sorted { $0.path < $1.path }
            XCTAssertEqual(framed.map(\.path), rendered.map(\.path), theme)
            XCTAssertGreaterThan(framed.filter { $0.path.hasSuffix(".html") }.count, 5, theme)
            for (ours, theirs) in zip(framed, rendered) {
                XCTAssertEqual(String(decoding: ours.contents, as: UTF8.self), String(decoding: theirs.contents, as: UTF8.self),
                               "\(ours.path) with \(theme)")
            }
        }
    }

    /// The frame of a rendering: the text around each marker, and how the marker was shown;
    /// none when a marker was changed (a transform) rather than shown or escaped.
    func testAFrameIsTheTextAroundTheMarkersAsShown() throws {
        let markers = [LayoutFrames.marker(0, endsLine: false), LayoutFrames.marker(1, endsLine: true)]
        let escaped = FastHTMLContentType().escapeText(markers[0])
        let text = "<t>\(escaped)</t>\(markers[1])\(LayoutFrames.characterEscape(markers[0]))!"
        let frame = try XCTUnwrap(LayoutFrames.frame(of: text, markers: markers))
        XCTAssertEqual(frame.pieces.map { String(decoding: $0, as: UTF8.self) }, ["<t>", "</t>", "", "!"])
        XCTAssertEqual(frame.slots.map(\.value), [0, 1, 0])
        XCTAssertEqual(String(decoding: frame.fill(["a<\u{301}&", "b\n"]), as: UTF8.self), "<t>a&lt;\u{301}&amp;</t>b\na<\u{301}&amp;!")
        XCTAssertNil(LayoutFrames.frame(of: "<t>\(markers[0].uppercased())</t>", markers: markers))
        XCTAssertNil(LayoutFrames.frame(of: "<t>\(String(markers[0].reversed()))</t>", markers: markers))
        XCTAssertNil(LayoutFrames.frame(of: "<t>\(markers[0].capitalized)</t>", markers: markers))
    }
}
