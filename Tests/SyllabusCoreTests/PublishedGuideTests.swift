import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// Markdown written by others, in the shapes published developer guides use: HTML anchors in
/// headings, paragraphs and list items, a landing `index.md` whose nested list orders the
/// guide, links to anchors that no longer exist. Every fixture here is written for the test.
final class PublishedGuideTests: XCTestCase {
    static let guide: [String: String] = [
        "lambda/index.md": """
            # Lambda developer guide

            ## Contents
            + [What is Lambda?](welcome.md)
            + [Getting started](getting-started.md)
               + [Create a function](getting-started-create.md)
                  + [Deep dive](deep-dive.md)
            + [API reference](api-create.md)

            """,
        "lambda/welcome.md": """
            # What is Lambda?<a name="welcome"></a>

            Lambda runs code. See [Request syntax](api-create.md#API_Create_RequestSyntax) and
            [the architectures](api-create.md#SSS-Create-request-Architectures).

            """,
        "lambda/getting-started.md": "# Getting started<a name=\"getting-started\"></a>\n\nStart [here](getting-started-create.md#gs-step).\n",
        "lambda/getting-started-create.md": """
            # Create a function<a name="gs-create"></a>

            <a id="gs-step"></a>Step one: open the console.

            + <span id="gs-item"></span>An item that names a place.

            Back to [the guide](index.md) and [its contents](index.md#contents).

            """,
        "lambda/deep-dive.md": "# Deep dive\n\nDeeper.\n",
        "lambda/api-create.md": """
            # CreateFunction<a name="API_Create"></a>

            ## Request Syntax<a name="API_Create_RequestSyntax"></a>

            ```
            POST /functions HTTP/1.1
            ```

             ** Architectures **   <a name="SSS-Create-request-Architectures"></a>
            The instruction set architecture.

            """,
        "lambda/zz-unlisted.md": "# Zed, unlisted\n\nNot in the contents.\n",
        "lambda/aa-unlisted.md": "# Alpha, unlisted\n\nNot in the contents either.\n",
    ]

    func testHTMLAnchorsInHeadingsParagraphsAndListItemsAreLinkTargetsKeptAsIDs() throws {
        let fixture = try Fixture(Self.guide)
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), [])
        XCTAssertEqual(set.page("lambda/api-create.md")?.anchors, ["API_Create", "API_Create_RequestSyntax", "SSS-Create-request-Architectures"])
        XCTAssertEqual(set.page("lambda/getting-started-create.md")?.anchors, ["gs-create", "gs-step", "gs-item"])

        let api = Fixture.siteHTML(of: "lambda/api-create.md", in: set)
        XCTAssertTrue(api.contains("Request Syntax<a id=\"API_Create_RequestSyntax\"></a></h2>"), api)
        XCTAssertTrue(api.contains("<a id=\"SSS-Create-request-Architectures\"></a>"), api)
        let create = Fixture.siteHTML(of: "lambda/getting-started-create.md", in: set)
        XCTAssertTrue(create.contains("<p><a id=\"gs-step\"></a>Step one"), create)
        XCTAssertTrue(create.contains("<li><a id=\"gs-item\"></a>An item"), create)
        XCTAssertFalse(create.contains("<span"), "the span is written as Syllabus's own anchor")

        let welcome = Fixture.siteHTML(of: "lambda/welcome.md", in: set)
        XCTAssertTrue(welcome.contains("href=\"../lambda/api-create.html#API_Create_RequestSyntax\""), welcome)
        XCTAssertTrue(welcome.contains("href=\"../lambda/api-create.html#SSS-Create-request-Architectures\""), welcome)
    }

    /// A guide's own Topics list: each entry's text holds a copy of the anchor its heading names
    /// further down, and one entry names an id nowhere else.
    static let topicsList = """
        # Custom metrics<a name="custom-metrics"></a>

        **Topics**
        + [Custom metrics<a name="custom-metrics"></a>](#custom-metrics)
          + [Configuration file<a name="metrics-config"></a>](#configuration-file)
          + [<a id="metrics-only-here"></a>*Permissions*](other.md)

        ## Configuration file<a name="metrics-config"></a>

        Text.

        """

    func testAnchorInLinkTextGoesBeforeTheLinkAndGivesWayToTheHeadingsCopy() throws {
        let fixture = try Fixture(["lambda/metrics.md": Self.topicsList, "lambda/other.md": "# Other\n"])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), [], "the Topics list's copies are not repeated ids")
        XCTAssertEqual(set.page("lambda/metrics.md")?.anchors, ["custom-metrics", "metrics-only-here", "metrics-config"])
        let html = Fixture.siteHTML(of: "lambda/metrics.md", in: set)
        XCTAssertEqual(Self.nestedLinks(in: html), 0, html)
        XCTAssertTrue(html.contains("Configuration file<a id=\"metrics-config\"></a></h2>"), "the heading keeps its id: \(html)")
        XCTAssertTrue(html.contains("<a id=\"metrics-only-here\"></a><a href=\"../lambda/other.html\"><em>Permissions</em></a>"),
                      "an id named only in a link's text goes just before the link: \(html)")
        XCTAssertEqual(html.components(separatedBy: "id=\"metrics-config\"").count, 2, html)
    }

    /// A list of links to the page's own sections is the note's own table of contents; a list
    /// that also links elsewhere, says more than a link, or has one item is not.
    func testTopicsListOfTheNotesOwnSectionsIsItsOwnContents() throws {
        let sections = "\n\n## Create a table<a name=\"create-table\"></a>\n\nText.\n\n## Clean up\n\nText.\n"
        let fixture = try Fixture([
            "lambda/topics.md": "# Tutorial\n\n**Topics**\n+ [Step 1: Create a table](#create-table)\n  + [Clean up](#clean-up)\n+ [Clean up](#clean%2Dup)" + sections,
            "lambda/metrics.md": Self.topicsList,
            "lambda/elsewhere.md": "# Tutorial\n\n+ [Create a table](#create-table)\n+ [Other](other.md)" + sections,
            "lambda/prose.md": "# Tutorial\n\n+ [Create a table](#create-table) first\n+ [Clean up](#clean-up)" + sections,
            "lambda/one.md": "# Tutorial\n\n+ [Create a table](#create-table)" + sections,
            "lambda/missing.md": "# Tutorial\n\n+ [Create a table](#create-table)\n+ [Gone](#gone)" + sections,
            "lambda/later.md": "# Tutorial\n\n## Jump to\n\n+ [Create a table](#create-table)\n+ [Clean up](#clean-up)" + sections,
            "lambda/other.md": "# Other\n",
        ])
        let (set, _) = fixture.analyze()
        let owning = ["topics", "metrics", "elsewhere", "prose", "one", "missing", "later"].filter { set.page("lambda/\($0).md")?.facts.hasOwnContents == true }
        XCTAssertEqual(owning, ["topics"])
    }

    /// How many `<a` open while another `<a` is open, counting tags as they come.
    static func nestedLinks(in html: String) -> Int {
        var depth = 0
        var nested = 0
        let tag = try! Regex(#"<(/?)a[\s>]"#, as: (Substring, Substring).self)
        for match in html.matches(of: tag) {
            if match.1.isEmpty {
                if depth > 0 { nested += 1 }
                depth += 1
            } else {
                depth -= 1
            }
        }
        return nested
    }

    func testAnchorElementsWithOtherAttributesOrContentAreNotAnchors() throws {
        let fixture = try Fixture([
            "lambda/a.md": """
                # A

                <a name="x" onclick="evil()"></a>One <a href="b.md" id="y"></a> and <span id="z">text</span>.

                """,
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set.page("lambda/a.md")?.anchors, [])
        let html = Fixture.siteHTML(of: "lambda/a.md", in: set)
        XCTAssertFalse(html.contains("evil") || html.contains("id=\"y\"") || html.contains("id=\"z\""), html)
    }

    func testHeadingAttributeSetsTheHeadingID() throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\n## Setting *it* up {#setup}\n\n## Setup\n\nSee [setup](#setup) and [the other](#setup-1).\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let page = try XCTUnwrap(set.page("lambda/a.md"))
        XCTAssertEqual(page.headings.map(\.id), ["a", "setup", "setup-1"])
        XCTAssertEqual(page.headings[1].text, "Setting it up")
        let html = Fixture.siteHTML(of: "lambda/a.md", in: set)
        XCTAssertFalse(html.contains("{#"), html)
        XCTAssertTrue(html.contains("Setting <em>it</em> up</h2>"), html)
    }

    func testFragmentsMatchIDsLikeABrowser() throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\n## Café<a name=\"Café\"></a>\n\nText.\n",
            "lambda/b.md": "# B\n\n[decoded](a.md#Caf%C3%A9) [exact](a.md#Café) [top](a.md#top) [case](a.md#CAFÉ)\n\n"
                + "[title](a.md#Café.title) [no such title](a.md#gone.title) [bare](a.md#.title)\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        // Ids are case-sensitive, as in a browser: only the fourth link misses; an AWS guide's
        // link to a section's title element (`<id>.title`) goes to the section.
        XCTAssertEqual(diagnostics.map(\.message), [
            "link to 'a.md#CAFÉ': lambda/a.md has no heading or anchor with id 'CAFÉ'; it goes to the note",
            "link to 'a.md#gone.title': lambda/a.md has no heading or anchor with id 'gone.title'; it goes to the note",
            "link to 'a.md#.title': lambda/a.md has no heading or anchor with id '.title'; it goes to the note",
        ])
        XCTAssertEqual(set.page("lambda/b.md").map { set.links(of: $0).targets }, [
            .page(id: "lambda/a.md", fragment: "Café"), .page(id: "lambda/a.md", fragment: "Café"),
            .page(id: "lambda/a.md", fragment: nil), .page(id: "lambda/a.md", fragment: nil),
            .page(id: "lambda/a.md", fragment: "Café"), .page(id: "lambda/a.md", fragment: nil), .page(id: "lambda/a.md", fragment: nil),
        ])
    }

    func testMissingAnchorIsAWarningAndTheLinkGoesToTheNote() async throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\nText.\n",
            "lambda/b.md": "# B\n\nSee [gone](a.md#renamed-section) and [missing](nope.md#x).\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.description), [
            "\(fixture.root.path)/Content/lambda/b.md:3:5: warning: link to 'a.md#renamed-section': lambda/a.md has no heading or anchor with id 'renamed-section'; it goes to the note",
            "\(fixture.root.path)/Content/lambda/b.md:3:38: error: link to 'nope.md#x': no such note",
        ])
        let html = Fixture.siteHTML(of: "lambda/b.md", in: set)
        XCTAssertTrue(html.contains("<a href=\"../lambda/a.html\">gone</a>"), html)
        XCTAssertTrue(html.contains("and missing."), html)
    }

    func testStrictTurnsWarningsIntoErrors() async throws {
        let files = ["lambda/a.md": "# A\n\nSee [gone](a.md#nowhere).\n"]
        let lenient = try Fixture(files)
        let built = try await lenient.build()
        XCTAssertFalse(built.failed)
        XCTAssertEqual(built.diagnostics.map(\.severity), [.warning])

        // `build --strict` over the same, unchanged input: not "up to date", but failed.
        var options = lenient.options
        options.strict = true
        let strictRun = try await Pipeline(options: options).build()
        XCTAssertTrue(strictRun.failed)
        XCTAssertFalse(strictRun.upToDate)
        XCTAssertEqual(strictRun.diagnostics.map(\.severity), [.error])

        let configured = try Fixture(files, config: "title: Test\nstrict: true\noutputs: [site]\n")
        let report = try await configured.build()
        XCTAssertTrue(report.failed)
        XCTAssertEqual(report.diagnostics.map(\.severity), [.error])
        XCTAssertFalse(FileManager.default.fileExists(atPath: configured.root.appendingPathComponent("Output/site").path))
    }

    func testLandingTextLeadsTheServicePageAndItsListOrdersTheNotes() async throws {
        let fixture = try Fixture(Self.guide)
        let report = try await fixture.build()
        XCTAssertFalse(report.failed, "\(report.diagnostics)")
        let set = fixture.analyze().0
        XCTAssertEqual(set.studySet.pages(of: "lambda").map(\.id), [
            "lambda/index.md", "lambda/welcome.md", "lambda/getting-started.md", "lambda/getting-started-create.md",
            "lambda/deep-dive.md", "lambda/api-create.md", "lambda/aa-unlisted.md", "lambda/zz-unlisted.md",
        ])
        XCTAssertEqual(set.studySet.pages(of: "lambda").map { set.studySet.outlineDepth(of: $0.id) }, [0, 0, 0, 1, 2, 0, 0, 0])

        let service = try fixture.read("Output/site/lambda/index.html")
        // Without its title and its contents list (see LandingTextTests), the rest shown.
        // A "Contents" heading left empty goes with its list (its id stays, for links).
        XCTAssertTrue(service.contains("<a id=\"lambda-developer-guide\"></a><a id=\"contents\"></a>"), service)
        XCTAssertFalse(service.contains(">Contents</h2>"), service)
        let order = ["welcome.html", "getting-started.html", "getting-started-create.html", "deep-dive.html", "api-create.html",
                     "aa-unlisted.html", "zz-unlisted.html"].map { "<a href=\"../lambda/\($0)\">" }
        let notes = service[service.range(of: "class=\"note-list\"")!.lowerBound...]
        let positions = order.map { notes.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), String(notes))
        XCTAssertEqual(positions.map { $0! }, positions.map { $0! }.sorted())
        XCTAssertTrue(notes.contains("<li class=\"depth-2\"><a href=\"../lambda/deep-dive.html\">"), String(notes))
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/lambda/index-1.html").path))

        // Links to the landing text go to the service page; the guide reads in its own order.
        let create = try fixture.read("Output/site/lambda/getting-started-create.html")
        XCTAssertTrue(create.contains("<a href=\"../lambda/index.html\">the guide</a>"), create)
        XCTAssertTrue(create.contains("<a href=\"../lambda/index.html#contents\">its contents</a>"), create)
        XCTAssertTrue(create.contains("<a rel=\"prev\" href=\"../lambda/getting-started.html\">"), create)
        XCTAssertTrue(create.contains("<a rel=\"next\" href=\"../lambda/deep-dive.html\">"), create)
    }

    func testReadmeAndUnderscoreIndexAreLandingTextsToo() throws {
        for name in ["README.md", "_index.md"] {
            let fixture = try Fixture(["lambda/\(name)": "# Guide\n\n- [B](b.md)\n- [A](a.md)\n", "lambda/a.md": "# A\n\nA.\n", "lambda/b.md": "# B\n\nB.\n"])
            let (set, diagnostics) = fixture.analyze()
            XCTAssertEqual(diagnostics, [], name)
            XCTAssertEqual(set.studySet.pages(of: "lambda").map(\.id), ["lambda/\(name)", "lambda/b.md", "lambda/a.md"], name)
            XCTAssertEqual(set.page("lambda/\(name)")?.outputPath, "lambda/index.html")
        }
        // A note elsewhere still may not take the service page's name.
        let fixture = try Fixture(["lambda/a.md": "---\nslug: index\n---\n# A\n"])
        XCTAssertEqual(fixture.analyze().1.map(\.severity), [.error])
    }

    /// Published guides repeat a title in each of their tutorials ("Step 2: Create an IAM
    /// Policy and User" in the KCL 1.x and the 2.x tutorial): every link the index makes to a
    /// note whose title another note shares says what tells them apart, in the site and the
    /// book alike: its parent in the contents, else its service, else its file. A title no
    /// other note has is as it was.
    func testSameTitledNotesAreToldApartInTheIndex() async throws {
        let fixture = try Fixture([
            "lambda/index.md": """
                # Guide

                + [Tutorial: KCL 1.x & Java](tutorial-1.md)
                   + [Step 2: Create a role](tutorial-1-role.md)
                + [Tutorial: KCL 2.x](tutorial-2.md)
                   + [Step 2: Create a role](tutorial-2-role.md)
                """,
            "lambda/tutorial-1.md": "# Tutorial: KCL 1.x & Java\n\nUse an **execution role**.\n",
            "lambda/tutorial-2.md": "# Tutorial: KCL 2.x\n\nText.\n",
            "lambda/tutorial-1-role.md": "# Step 2: Create a role\n\nAttach an **execution role**.\n",
            "lambda/tutorial-2-role.md": "# step 2: create a role\n\nAttach an **execution role** again.\n",
            "lambda/overview.md": "# Overview\n\nStore **objects**.\n",
            "s3/overview.md": "# Overview\n\nStore **objects** too.\n",
            "lambda/limits.md": "# Limits\n\nThe **payload** limit.\n",
            "lambda/limits-more.md": "# Limits\n\nThe **payload** limit again.\n",
        ], config: "title: Test\ndeck: Test\noutputs: [site, epub]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, _) = fixture.analyze()
        func labels(_ term: String) -> [String] { set.terms.first { $0.text == term }?.places.map(\.label) ?? [] }
        XCTAssertEqual(Set(labels("execution role")), ["Tutorial: KCL 1.x & Java", "Step 2: Create a role (Tutorial: KCL 1.x & Java)",
                                                  "step 2: create a role (Tutorial: KCL 2.x)"])
        XCTAssertEqual(Set(labels("objects")), ["Overview (Lambda)", "Overview (S3)"])
        XCTAssertEqual(Set(labels("payload")), ["Limits (lambda/limits.md)", "Limits (lambda/limits-more.md)"])

        let report = try await fixture.build()
        XCTAssertFalse(report.failed, "\(report.diagnostics)")
        let site = try fixture.read("Output/site/terms/index.html")
        XCTAssertTrue(site.contains(">Step 2: Create a role (Tutorial: KCL 1.x &amp; Java)</a>"), site)
        let folder = fixture.root.appendingPathComponent("Output/ebook")
        let book = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".epub") })
        let archive = try Archive(url: folder.appendingPathComponent(book), accessMode: .read)
        var index = Data()
        _ = try archive.extract(try XCTUnwrap(archive["OEBPS/index.xhtml"])) { index.append($0) }
        XCTAssertTrue(String(decoding: index, as: UTF8.self).contains(">Step 2: Create a role (Tutorial: KCL 1.x &amp; Java)</a>"))
    }

    /// A guide's definition terms, `** `…`**` on a line of their own (found by a fresh-user
    /// trial: 66 lines of the Step Functions guide showed their asterisks), are bold in the
    /// site, the search data and the book; `**` in code, a lone `**` and `**` inside a line stay.
    func testDefinitionTermsWithASpaceAfterTheOpeningAsterisksAreBoldInEveryOutput() async throws {
        let fixture = try Fixture([
            "lambda/map.md": """
                # Map

                ** `Iterator` \\(Required\\)**  
                An object that defines the states.

                ** `MaxConcurrency` **  
                An upper bound.

                 ** Architectures **   <a name="arch"></a>
                The instruction set.

                Raise to a power with `a ** b`, or write `2 ** 3` as

                **

                and 2 ** 3 ** more.

                ```
                ** not bold**
                ```

                """,
        ], config: "title: Test\noutputs: [site, epub]\n")
        let report = try await fixture.build()
        XCTAssertFalse(report.failed, "\(report.diagnostics)")
        XCTAssertEqual(report.diagnostics, [])
        let page = try fixture.read("Output/site/lambda/map.html")
        for bold in ["<strong><code>Iterator</code> (Required)</strong><br />", "<strong><code>MaxConcurrency</code></strong><br />",
                     "<strong>Architectures</strong><a id=\"arch\"></a>", "<p>**</p>", "and 2 ** 3 ** more.", "** not bold**\n</code>"] {
            XCTAssertTrue(page.contains(bold), bold + "\n" + page)
        }
        let folder = fixture.root.appendingPathComponent("Output/ebook")
        let book = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".epub") })
        let archive = try Archive(url: folder.appendingPathComponent(book), accessMode: .read)
        var chapter = Data()
        for entry in archive where entry.path.hasPrefix("OEBPS/service-lambda") {
            _ = try archive.extract(entry) { chapter.append($0) }
        }
        let xhtml = String(decoding: chapter, as: UTF8.self)
        XCTAssertTrue(xhtml.contains("<strong><code>Iterator</code> (Required)</strong>"), xhtml)
        XCTAssertFalse(xhtml.contains("** <code>"), xhtml)
    }

    func testHeadingsWithoutTextAreNamedInEveryTableOfContents() throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\n## <a name=\"limits-section\"></a>\n\nText.\n\n## ![](x.png)\n\nMore.\n",
        ], config: "title: Test\noutputs: [site, epub]\n")
        let (set, _) = fixture.analyze()
        XCTAssertEqual(set.page("lambda/a.md")?.headings.map(\.text), ["A", "limits section", "Section"])
    }
}

/// The book of a published guide (here for `EpubTests`' EPUBCheck helper).
extension EpubTests {
    func testBookKeepsAnchorsAsIDsAndPassesEpubcheck() throws {
        var files: [String: String] = ["syllabus.yml": "title: Guide\noutputs: [epub]\n", "Content/services.yml": Fixture.twoServices]
        for (path, text) in PublishedGuideTests.guide { files["Content/\(path)"] = text }
        let options = try BookFixture.make(files, name: "epub-guide")
        defer { try? FileManager.default.removeItem(at: options.contentRoot.deletingLastPathComponent()) }
        let (output, diagnostics) = try BookFixture.render(EpubRenderer(), options: options)
        XCTAssertEqual(diagnostics, [])
        let book = try entries(output[0].contents)
        // The chapter's files in reading order.
        let chapter = book.filter { $0.path.hasPrefix("OEBPS/service-lambda") }.map(\.text).joined()
        XCTAssertTrue(chapter.contains("<a id=\"note-api-create--API_Create_RequestSyntax\"></a>"), chapter)
        XCTAssertTrue(chapter.contains("href=\"#note-api-create--SSS-Create-request-Architectures\"")
                      || chapter.contains("href=\"service-lambda--note-api-create.xhtml#note-api-create--SSS-Create-request-Architectures\""), chapter)
        // The landing text opens the chapter, before every note (without its title, see LandingTextTests).
        let landing = try XCTUnwrap(chapter.range(of: "id=\"note-index--contents\""))
        XCTAssertLessThan(landing.lowerBound, try XCTUnwrap(chapter.range(of: "What is Lambda?")).lowerBound)
        try epubcheck(output[0].contents)
    }
}

/// Web addresses as published guides write them, and files read with a byte-order mark.
final class PublishedGuideInputTests: XCTestCase {
    func testBackslashEscapesInBareURLsAreWhatTheAuthorMeant() throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\nGet it at http://download\\.eclipse\\.org/releases or <https://a\\.example\\.com/x>, not http://bad\\ host/.\n",
        ], config: "title: Test\noutputs: [site, epub]\n")
        let (set, diagnostics) = fixture.analyze()
        // A backslash before a space escapes nothing: that URL stays invalid and becomes text.
        XCTAssertEqual(diagnostics.map(\.message), ["'http://bad\\' is not a valid URL; it is shown as text"])
        let html = Fixture.siteHTML(of: "lambda/a.md", in: set)
        XCTAssertTrue(html.contains("<a href=\"http://download.eclipse.org/releases\">http://download.eclipse.org/releases</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"https://a.example.com/x\">https://a.example.com/x</a>"), html)
        XCTAssertFalse(html.contains("%5C"), html)
        XCTAssertTrue(html.contains("not http://bad\\ host/."), html)
    }

    func testURLsTheQuickCheckPassesAreThoseTheFullChecksPass() {
        let plain = ["https://docs.aws.amazon.com/lambda/latest/dg/welcome.html", "http://example.com", "https://a-b.example_x.com/?q=1#top",
                     "../s3/overview.md#limits", "picture.png", "mailto:someone@example.com", "https://%41.example.com/"]
        let others = ["https://.example.com/", "https:///path", "https://user@example.com/", "https://example.com:8080/",
                      "https://[::1]/", "htps://example.com/", "hxxps://example.com/", "HTTPS://example.com/", "ftp://example.com/",
                      "https://exa mple.com/", "https://bücher.example/", "notes/a://b", "https://a\\b.com/", "https://\u{301}x.com/"]
        for url in plain {
            XCTAssertTrue(LinkURLs.isPlainlyValid(url), url)
        }
        for url in plain + others where LinkURLs.isPlainlyValid(url) {
            XCTAssertTrue(LinkURLs.isValid(url), url)
            XCTAssertNil(LinkURLs.mistypedScheme(url), url)
        }
        XCTAssertEqual(others.filter(LinkURLs.isPlainlyValid), [], "left to the full checks")
    }

    func testASchemeIsNamedBeforeTheFirstColon() {
        XCTAssertEqual(["https://a.example", "mailto:x@example.com", "s3:bucket", "../a.md", "a/b:c", "1a:b", ":x", "notes/a.md#x:y"].map(LinkURLs.hasScheme),
                       [true, true, true, false, false, false, false, false])
    }

    func testSecondHashAndBarePercentAreEncoded() throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\n[pools](https://example.com/a.html#pool/b.html#pool) and [rate](https://example.com/100%?q=%41)\n"],
                                  config: "title: Test\noutputs: [epub]\n")
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let html = Fixture.siteHTML(of: "lambda/a.md", in: set)
        XCTAssertTrue(html.contains("href=\"https://example.com/a.html#pool/b.html%23pool\""), html)
        XCTAssertTrue(html.contains("href=\"https://example.com/100%25?q=%41\""), html)
    }

    func testURLThatCannotBeValidIsShownAsTextWithAWarning() throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\nSee [the page](https://exa<mple.com/x) and [this](http://[::1/x).\n"])
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.severity), [.warning, .warning], "\(diagnostics)")
        let html = Fixture.siteHTML(of: "lambda/a.md", in: set)
        XCTAssertTrue(html.contains("See the page and this."), html)
    }

    func testRootAbsoluteLinksGoToTheOriginOfTheServiceDocs() throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n\nSee [concepts](/kms/latest/developerguide/concepts.html#keys) and [elsewhere](//cdn.example.org/x.js).\n",
            "s3/b.md": "# B\n\nSee [concepts](/kms/latest/developerguide/concepts.html).\n",
        ])
        let (set, diagnostics) = fixture.analyze()
        // s3 has no docs URL and the configuration no base_url.
        XCTAssertEqual(diagnostics.map(\.description), [
            "\(fixture.root.path)/Content/s3/b.md:3:5: warning: link to '/kms/latest/developerguide/concepts.html' is relative to the root of a site, and neither the service's docs URL nor base_url names one; it is shown as text",
        ])
        let html = Fixture.siteHTML(of: "lambda/a.md", in: set)
        XCTAssertTrue(html.contains("<a href=\"https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#keys\">concepts</a>"), html)
        XCTAssertTrue(html.contains("<a href=\"https://cdn.example.org/x.js\">elsewhere</a>"), html)
        XCTAssertTrue(Fixture.siteHTML(of: "s3/b.md", in: set).contains("See concepts."))

        let withBase = try Fixture(["s3/b.md": "# B\n\nSee [concepts](/kms/c.html).\n"],
                                   config: "title: Test\nbase_url: https://study.example.org/notes/\noutputs: [site]\n")
        let (based, none) = withBase.analyze()
        XCTAssertEqual(none, [])
        XCTAssertTrue(Fixture.siteHTML(of: "s3/b.md", in: based).contains("href=\"https://study.example.org/kms/c.html\""))
    }

    func testByteOrderMarkIsSkippedInEveryFileRead() throws {
        let fixture = try Fixture([:])
        try fixture.write("Content/lambda/a.md", Data([0xEF, 0xBB, 0xBF]) + Data("---\ntitle: Real title\n---\n# Heading\n\nText.\n".utf8))
        try fixture.write("Content/services.yml", Data([0xEF, 0xBB, 0xBF]) + Data(Fixture.twoServices.utf8))
        try fixture.write("syllabus.yml", Data([0xEF, 0xBB, 0xBF]) + Data("title: BOM\noutputs: [site]\n".utf8))
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set.page("lambda/a.md")?.title, "Real title")
        XCTAssertEqual(set.config.title, "BOM")
    }

    func testServicesWithoutNotesAreNeverLinked() async throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\nLambda functions read from Amazon S3 often; Amazon S3 is storage.\n"])
        let report = try await fixture.build()
        XCTAssertFalse(report.failed, "\(report.diagnostics)")
        let note = try fixture.read("Output/site/lambda/a.html")
        XCTAssertFalse(note.contains("s3/index.html"), note)
        XCTAssertTrue(note.contains("read from Amazon S3 often"), note)
        XCTAssertFalse(try fixture.read("Output/site/lambda/index.html").contains("s3/index.html"))
    }
}
