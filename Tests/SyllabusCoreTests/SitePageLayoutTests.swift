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
                XCTAssertTrue(try ours.contents == theirs.contents, "\(ours.path) with \(theme)")
            }
            if theme == "an escaped body" {
                let page = try XCTUnwrap(spliced.first { $0.path == "site/lambda/overview.html" })
                XCTAssertTrue(String(decoding: try page.contents, as: UTF8.self).contains("&lt;h1"), "the body escaped")
            }
        }
    }

    /// The term index is rendered around markers that its letters' entries then replace (see
    /// `SiteRenderer.splicing`): the page must be the template's bytes all the same, and a
    /// theme that shows the entries escaped, twice, or both as they are and escaped, gets the
    /// template's own rendering.
    func testTheTermIndexPutTogetherByHandIsTheTemplatesBytes() async throws {
        let themes = [
            "the default theme": nil,
            "escaped entries": { (terms: String) in terms.replacingOccurrences(of: "{{{html}}}", with: "{{html}}") },
            "entries shown twice": { (terms: String) in terms.replacingOccurrences(of: "{{{html}}}", with: "{{{html}}}<hr>{{{html}}}") },
            "entries shown as they are and escaped": { (terms: String) in
                terms.replacingOccurrences(of: "{{{html}}}", with: "{{{html}}}<pre>{{html}}</pre>")
            },
        ] as [String: ((String) -> String)?]
        let files = Self.files.merging(["s3/buckets.md": "# Buckets\n\nAmazon S3 keeps objects; AWS Lambda reads them.\n"]) { _, new in new }
        for (theme, change) in themes {
            var fixture = try Fixture(files)
            if let change {
                let root = fixture.root.appendingPathComponent("Theme")
                try FileManager.default.copyItem(at: fixture.templatesRoot, to: root)
                let terms = root.appendingPathComponent("terms.mustache")
                try change(String(contentsOf: terms, encoding: .utf8)).write(to: terms, atomically: true, encoding: .utf8)
                fixture.templatesRoot = root
            }
            let (set, _) = fixture.analyze()
            let templates = try await TemplateSet.load(from: fixture.templatesRoot)
            let spliced = try SiteRenderer(templates: templates).render(set, diagnostics: DiagnosticLog())
            var whole = try SiteRenderer(templates: templates)
            whole.splicesTermGroups = false
            let rendered = try whole.render(set, diagnostics: DiagnosticLog())
            let ours = try XCTUnwrap(spliced.first { $0.path == "site/terms/index.html" }, theme)
            let theirs = try XCTUnwrap(rendered.first { $0.path == "site/terms/index.html" }, theme)
            XCTAssertEqual(String(decoding: try ours.contents, as: UTF8.self), String(decoding: try theirs.contents, as: UTF8.self), theme)
            let page = String(decoding: try ours.contents, as: UTF8.self)
            XCTAssertFalse(page.contains("syllabus-piece"), theme)
            // Entries under more than one letter, each group in its place.
            let heading = theme == "escaped entries" ? "&lt;h2 id=" : "<h2 id="
            XCTAssertGreaterThan(page.components(separatedBy: heading).count, 2, theme)
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
                XCTAssertEqual(String(decoding: try ours.contents, as: UTF8.self), String(decoding: try theirs.contents, as: UTF8.self),
                               "\(ours.path) with \(theme)")
            }
        }
    }

    /// Notes of one shape and of others: headings for a table of contents (at two levels),
    /// tags, sources and a checked date, neighbours, a note without a title of its own, odd
    /// characters, a note whose tags sort otherwise than they are written.
    static let shapedFiles = [
        "lambda/overview.md": "---\ntags: [zeta, alpha & <b>]\nsources:\n  - https://example.org/a?x=1&y=2\n  - https://example.org/b\nchecked: 2026-11-30\n---\n"
            + "# Lambda & <S\u{301}3>\n\n## Limits\n\nText.\n\n### Timeout\n\n15 minutes.\n\n## Memory\n\nMore.\n",
        "lambda/tuning.md": "---\ntags: [beta, alpha]\nsources:\n  - https://example.org/c\n---\n# Tuning\n\n## One\n\nA.\n\n### Two\n\nB.\n\n## Three\n\nC.\n",
        "lambda/costs.md": "---\ntags: [gamma]\n---\nNo title of its own, and <\u{301} a mark.\n",
        "lambda/limits.md": "# Limits\n\nOne paragraph.\n",
        "s3/overview.md": "# S3\n\n## Buckets\n\nB.\n\n## Objects\n\nO.\n",
        "lambda.cards.md": "# Lambda cards\n\n## What is the maximum timeout?\n\n15 minutes.\n",
    ]

    func testEveryNotePageOfAFramedNoteTemplateIsTheTemplatesBytes() async throws {
        let toc = "<a href=\"#{{id}}\">{{text}}</a>", level = "toc-{{level}}", tags = "{{#tags}}<span class=\"tag\">#{{.}}</span> {{/tags}}"
        let notes: [String: (String) -> String] = [
            "the default theme": { $0 },
            "no content type": { $0.replacingOccurrences(of: "{{% CONTENT_TYPE: HTML}}\n", with: "") },
            "transforms": { $0.replacingOccurrences(of: toc, with: "<a href=\"#{{lowercased(id)}}\">{{uppercased(text)}}{{reversed(text)}}</a>") },
            "numbers counted with": { $0.replacingOccurrences(of: level, with: "toc-{{plusone(level)}}{{#even(level)}}-even{{/even(level)}}") },
            "sorted tags": { $0.replacingOccurrences(of: tags, with: "{{#sorted(tags)}}<span>#{{.}}</span> {{/sorted(tags)}}") },
            "first and last": { $0.replacingOccurrences(of: tags, with: "{{#first(tags)}}[{{.}}]{{/first(tags)}}{{#tags}}{{#last()}}!{{/last()}}{{.}}{{/tags}}") },
            "a section over a value": { $0.replacingOccurrences(of: "{{{titleHTML}}}", with: "{{#titleHTML}}<x>{{.}}</x>{{/titleHTML}}{{^empty(titleHTML)}}?{{/empty(titleHTML)}}") },
            "the body in an indented partial": { $0.replacingOccurrences(of: "    {{{html}}}", with: "    {{> partials/body}}") },
            "a dynamic partial": { $0.replacingOccurrences(of: "{{{titleHTML}}}", with: "{{>*title}}{{{titleHTML}}}") },
        ]
        for (theme, change) in notes {
            var fixture = try Fixture(Self.shapedFiles)
            let root = fixture.root.appendingPathComponent("Theme")
            try FileManager.default.copyItem(at: fixture.templatesRoot, to: root)
            let note = root.appendingPathComponent("note.mustache")
            let original = try String(contentsOf: note, encoding: .utf8)
            if theme != "the default theme" { XCTAssertNotEqual(change(original), original, theme) }
            try change(original).write(to: note, atomically: true, encoding: .utf8)
            try "<div>\n{{{html}}}\n</div>\n".write(to: root.appendingPathComponent("partials/body.mustache"), atomically: true, encoding: .utf8)
            fixture.templatesRoot = root
            let (set, _) = fixture.analyze()
            let templates = try await TemplateSet.load(from: fixture.templatesRoot)
            let framed = try SiteRenderer(templates: templates).render(set, diagnostics: DiagnosticLog()).sorted { $0.path < $1.path }
            var whole = try SiteRenderer(templates: templates)
            whole.framesLayout = false
            let rendered = try whole.render(set, diagnostics: DiagnosticLog()).sorted { $0.path < $1.path }
            XCTAssertEqual(framed.map(\.path), rendered.map(\.path), theme)
            XCTAssertGreaterThan(framed.filter { $0.path.hasSuffix(".html") }.count, 5, theme)
            for (ours, theirs) in zip(framed, rendered) {
                XCTAssertEqual(String(decoding: try ours.contents, as: UTF8.self), String(decoding: try theirs.contents, as: UTF8.self),
                               "\(ours.path) with \(theme)")
            }
        }
    }

    /// Contexts that differ only in strings share a shape; anything else tells them apart.
    func testAShapeKeysAllButTheStrings() throws {
        let one: [String: Any] = ["title": "A", "toc": [["id": "x", "level": 2]], "tags": ["t"], "flag": true, "empty": ""]
        let two: [String: Any] = ["title": "B & c", "toc": [["id": "y", "level": 2]], "tags": ["u"], "flag": true, "empty": ""]
        let first = try XCTUnwrap(LayoutFrames.shape(of: one)), second = try XCTUnwrap(LayoutFrames.shape(of: two))
        XCTAssertEqual(first.key, second.key)
        XCTAssertEqual(second.values, ["u", "B & c", "y"])
        for changed: [String: Any] in [["toc": [["id": "y", "level": 3]]], ["tags": ["u", "v"]], ["flag": false], ["empty": "e"], ["toc": [] as [[String: Any]]]] {
            XCTAssertNotEqual(try XCTUnwrap(LayoutFrames.shape(of: two.merging(changed) { $1 })).key, first.key, "\(changed)")
        }
        let marked = first.marked(["1", "2", "3"])
        XCTAssertEqual(marked["tags"] as? [String], ["1"])
        XCTAssertEqual(marked["title"] as? String, "2")
        XCTAssertEqual((marked["toc"] as? [[String: Any]])?.first?["id"] as? String, "3")
        XCTAssertEqual((marked["toc"] as? [[String: Any]])?.first?["level"] as? Int, 2)
        XCTAssertNil(LayoutFrames.shape(of: ["date": Date()]))
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
