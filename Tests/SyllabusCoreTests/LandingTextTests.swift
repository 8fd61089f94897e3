import XCTest
@testable import SyllabusCore

/// A published guide's `index.md` opens its service page and EPUB chapter without its own
/// title and without the contents list that became the notes' order and nesting; the book's
/// table of contents nests the notes as that list does.
final class LandingTextTests: XCTestCase {
    static let guide: [String: String] = [
        "lambda/index.md": """
            # Lambda developer guide

            Copyright 2026 Example Corp. All rights reserved.

            ## Contents
            + [What is Lambda?](welcome.md)
            + [Getting started](getting-started.md)
               + [Create a function](getting-started-create.md)
                  + [Deep dive](deep-dive.md)
            + [Limits](limits.md)

            ## Read first

            + [What is Lambda?](welcome.md): start here.
            + [Getting started](getting-started.md)

            Buckets are elsewhere:

            + [Buckets](../s3/buckets.md)

            """,
        "lambda/welcome.md": "# What is Lambda?\n\nLambda runs code. Back to [the guide](index.md#lambda-developer-guide).\n",
        "lambda/getting-started.md": "# Getting started\n\n## Set up\n\nStart.\n",
        "lambda/getting-started-create.md": "# Create a function\n\nStep one.\n",
        "lambda/deep-dive.md": "# Deep dive\n\nDeeper.\n",
        "lambda/limits.md": "# Limits\n\nFifteen minutes.\n",
        "s3/buckets.md": "# Buckets\n\nBuckets hold objects.\n",
    ]

    func testServicePageShowsTheLandingTextWithoutItsTitleOrItsContentsList() async throws {
        let fixture = try Fixture(Self.guide)
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let page = try fixture.read("Output/site/lambda/index.html")
        // The title's id stays, for links to it, and so does that of the "Contents" heading,
        // left out with its list rather than left standing empty above the notes' list.
        let start = try XCTUnwrap(page.range(of: "<a id=\"lambda-developer-guide\"></a><a id=\"contents\"></a><div class=\"landing\">"), page)
        let landing = String(page[start.upperBound...].split(separator: "<h2 id=\"notes\">")[0])
        XCTAssertFalse(landing.contains("<h1"), landing)
        XCTAssertTrue(landing.hasPrefix("<p>Copyright 2026 Example Corp."), landing)
        XCTAssertFalse(landing.contains("deep-dive.html"), "the contents list is the notes' list now: \(landing)")
        XCTAssertFalse(landing.contains("limits.html"), landing)
        XCTAssertFalse(landing.contains(">Contents<"), "no empty heading: \(landing)")
        XCTAssertTrue(landing.contains("id=\"read-first\""), "the rest stays: \(landing)")
        XCTAssertTrue(landing.contains("<a href=\"../lambda/welcome.html\">What is Lambda?</a>: start here."), "a list with more than links stays")
        XCTAssertTrue(landing.contains("<a href=\"../s3/buckets.html\">Buckets</a>"), "a list of another service's notes stays")
        // The notes' list keeps the order and nesting.
        XCTAssertTrue(page.contains("<li class=\"depth-2\"><a href=\"../lambda/deep-dive.html\">"), page)
    }

    /// The landing text is its service page's opening, not a note: the home page's count, the
    /// service's card and the book's title page count the notes alone (a published guide of
    /// 513 pages and its contents page showed 514 notes).
    func testNoteCountsLeaveOutTheLandingText() async throws {
        let fixture = try Fixture(Self.guide, config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let home = try fixture.read("Output/site/index.html")
        XCTAssertTrue(home.contains("<p class=\"lead\">2 services · 6 notes."), home)
        XCTAssertTrue(home.contains("<span class=\"meta\">5 notes</span>"), home)
    }

    /// A heading stays when its section keeps something: text after the contents list, or a
    /// subsection; a section of nested headings that held only contents lists goes whole.
    func testOnlyAHeadingLeftEmptyByTheContentsListGoes() async throws {
        let fixture = try Fixture([
            "lambda/index.md": """
                # Guide

                ## Contents

                - [A](a.md)
                - [B](b.md)

                Read them in order.

                ## Outline

                ### Part one

                - [A](a.md)

                ## Parts

                - [B](b.md)

                ### Part two

                Later.

                """,
            "lambda/a.md": "# A\n\nA.\n",
            "lambda/b.md": "# B\n\nB.\n",
        ])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let page = try fixture.read("Output/site/lambda/index.html")
        let landing = try XCTUnwrap(page.components(separatedBy: "<div class=\"landing\">").dropFirst().first, page)
        XCTAssertTrue(landing.contains(">Contents</h2>\n<p>Read them in order.</p>"), landing)
        XCTAssertFalse(landing.contains(">Outline<") || landing.contains(">Part one<"), landing)
        XCTAssertTrue(page.contains("<a id=\"guide\"></a><a id=\"outline\"></a><a id=\"part-one\"></a><div class=\"landing\">"), page)
        XCTAssertTrue(landing.contains(">Parts</h2>") && landing.contains(">Part two</h3>"), landing)
    }

    func testLandingTextThatIsOnlyTitleAndContentsShowsNoBox() async throws {
        let fixture = try Fixture([
            "lambda/index.md": "# Guide\n\n- [A](a.md)\n- [B](b.md)\n",
            "lambda/a.md": "# A\n\nA.\n",
            "lambda/b.md": "# B\n\nB.\n",
        ])
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics, [])
        let page = try fixture.read("Output/site/lambda/index.html")
        XCTAssertFalse(page.contains("class=\"landing\""), page)
        XCTAssertTrue(page.contains("<a id=\"guide\"></a>"), page)
    }
}

extension EpubTests {
    /// The title page counts notes as the home page does: the landing text is not one.
    func testTitlePageCountsNotesWithoutTheLandingText() throws {
        var files: [String: String] = ["syllabus.yml": "title: Guide\noutputs: [epub]\n", "Content/services.yml": Fixture.twoServices]
        for (path, text) in LandingTextTests.guide { files["Content/\(path)"] = text }
        let options = try BookFixture.make(files, name: "epub-landing-count")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (output, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        let title = try XCTUnwrap(try entries(output[0].contents).first { $0.text.contains("book-stats") }).text
        XCTAssertTrue(title.contains("2 services · 6 notes</p>"), title)
    }

    func testChapterOpensWithTheLandingTextAndTheContentsNestNotesAsItsOutline() throws {
        var files: [String: String] = ["syllabus.yml": "title: Guide\noutputs: [epub]\n", "Content/services.yml": Fixture.twoServices]
        for (path, text) in LandingTextTests.guide { files["Content/\(path)"] = text }
        let options = try BookFixture.make(files, name: "epub-landing")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (output, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        let book = try entries(output[0].contents)
        let chapter = try XCTUnwrap(book.first { $0.path.hasSuffix("service-lambda.xhtml") }).text
        let landing = try XCTUnwrap(chapter.range(of: "Copyright 2026 Example Corp."))
        XCTAssertFalse(chapter[..<landing.lowerBound].contains("Lambda developer guide"), chapter)
        XCTAssertFalse(chapter.contains("href=\"#note-deep-dive\">Deep dive"), "no contents list: \(chapter)")
        XCTAssertTrue(chapter.contains("What is Lambda?</a>: start here."), chapter)

        let nav = try XCTUnwrap(book.first { $0.path.hasSuffix("nav.xhtml") }).text
        func position(_ label: String) throws -> String.Index { try XCTUnwrap(nav.range(of: ">\(label)</a>"), label).lowerBound }
        XCTAssertFalse(nav.contains(">Lambda developer guide</a>"), nav)
        // Getting started holds its heading, then Create a function, which holds Deep dive.
        let expected = [
            "  <li><a href=\"service-lambda--note-getting-started.xhtml#note-getting-started\">Getting started</a>",
            "    <ol>",
            "    <li><a href=\"service-lambda--note-getting-started.xhtml#note-getting-started--set-up\">Set up</a></li>",
            "    <li><a href=\"service-lambda--note-getting-started-create.xhtml#note-getting-started-create\">Create a function</a>",
            "      <ol>",
            "      <li><a href=\"service-lambda--note-deep-dive.xhtml#note-deep-dive\">Deep dive</a></li>",
            "      </ol>",
            "    </li>",
            "    </ol>",
            "  </li>",
            "  <li><a href=\"service-lambda--note-limits.xhtml#note-limits\">Limits</a></li>",
        ].joined(separator: "\n")
        XCTAssertTrue(nav.contains(expected), nav)
        XCTAssertLessThan(try position("Read first"), try position("What is Lambda?"), "the landing text's headings lead the chapter")
        XCTAssertFalse(nav.contains("contents\">Contents</a>"), "its dropped 'Contents' heading has no entry")
        let ncx = try XCTUnwrap(book.first { $0.path.hasSuffix("toc.ncx") }).text
        XCTAssertTrue(ncx.contains("Create a function</text></navLabel><content src=\"service-lambda--note-getting-started-create.xhtml#note-getting-started-create\"/>\n"
                                   + "<navPoint"), ncx)
        try epubcheck(output[0].contents)
    }
}
