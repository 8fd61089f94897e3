import XCTest
@testable import SyllabusCore

final class DiagnosticsTests: XCTestCase {
    func testEveryKindOfBadInputIsReportedTogetherInFileOrder() throws {
        let fixture = try Fixture([
            "lambda/a-yaml.md": "---\ntitle: [unclosed\n---\n# A\n",
            "lambda/b-unknown.md": "---\nservices: [nosuch]\n---\n# B\n",
            "lambda/c-slug.md": "---\nslug: ../../etc/passwd\n---\n# C\n",
            "lambda/d-empty.md": "  \n\n",
            "lambda/e-same.md": "---\nslug: same\n---\n# E\n",
            "lambda/f-same.md": "---\nslug: same\n---\n# F\n",
            "unknown-folder/g.md": "# G\n",
        ])
        try fixture.write("Content/lambda/b2-utf8.md", Data([0x23, 0x20, 0x41, 0x0A, 0x62, 0xFF, 0x0A]))
        let (_, diagnostics) = fixture.analyze()
        let content = fixture.root.path + "/Content/"
        XCTAssertEqual(diagnostics.map { $0.description.replacingOccurrences(of: content, with: "") }, [
            "lambda/a-yaml.md:2:8: error: invalid YAML: while parsing a flow sequence did not find expected ',' or ']'",
            "lambda/b-unknown.md:2:1: error: unknown service id 'nosuch' in front matter 'services'",
            "lambda/b2-utf8.md:2:2: error: file is not valid UTF-8",
            "lambda/c-slug.md:2:1: error: slug '../../etc/passwd' must be a plain file name (letters, digits, '-' and '_')",
            "lambda/d-empty.md:1:1: error: file is empty",
            "lambda/f-same.md:1:1: error: two pages have the output path lambda/same.html: this one and lambda/e-same.md",
            "unknown-folder/g.md:1:1: error: folder 'unknown-folder' is not a service id of services.yml",
        ])
    }

    /// A byte that is not UTF-8 in a configuration file is reported at its line and column,
    /// as in a note, not at 1:1.
    func testBadUTF8InConfigurationFilesIsReportedWhereItStands() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n"])
        let bad: (String) -> Data = { Data($0.utf8.map { $0 == UInt8(ascii: "~") ? 0xFF : $0 }) }
        try fixture.write("syllabus.yml", bad("title: Test\ndeck: D~eck\n"))
        try fixture.write("Content/services.yml", bad("- id: lambda\n  name: AWS Lambda\n  category: Com~pute\n"))
        try fixture.write("Content/exam.yml", bad("name: Ex~am\n"))
        let root = fixture.root.path + "/"
        XCTAssertEqual(fixture.analyze().1.map { $0.description.replacingOccurrences(of: root, with: "") }.sorted(), [
            "Content/exam.yml:1:9: error: file is not valid UTF-8",
            "Content/services.yml:3:16: error: file is not valid UTF-8",
            "syllabus.yml:2:8: error: file is not valid UTF-8",
        ])
    }

    /// YAML's nulls are no text: `~`, `null` in its three spellings, nothing, or a value
    /// tagged `!!null`; the same words quoted or inside other text are text, and so are
    /// numbers, booleans and dates.
    func testANullIsNoTextButItsSpellingQuotedIs() throws {
        let log = DiagnosticLog()
        let reader = YAMLReader(path: "t.yml", lineOffset: 0, diagnostics: log)
        let root = try XCTUnwrap(reader.parse("""
            a: ~
            b:
            c: null
            d: NULL
            e: Null
            f: !!null x
            g: 'null'
            h: "~"
            i: nullable
            j: 12
            k: true
            l: 2024-01-02
            """))
        let values = try XCTUnwrap(reader.mapping(root, what: "t.yml")).map { reader.string($0.value, key: $0.key) }
        XCTAssertEqual(values, [nil, nil, nil, nil, nil, nil, "null", "~", "nullable", "12", "true", "2024-01-02"])
        XCTAssertEqual(log.all.map { "\($0.location.line): \($0.message)" }, (1...6).map { "\($0): '\(["a", "b", "c", "d", "e", "f"][$0 - 1])' must be text" })
    }

    /// The trial's three puzzles: a title holding ": " (YAML reads a second key), a date
    /// written as asked that names no day, a mistyped key; the last in every YAML file.
    func testYAMLDiagnosticsSayHowToFixTheLine() throws {
        let fixture = try Fixture([
            "lambda/a.md": "---\ntitle: Lambda: configuración y límites\n---\n# A\n",
            "lambda/b.md": "---\nchecked: 2026-02-30\n---\n# B\n",
            "lambda/c.md": "---\ntitel: C\n---\n# C\n",
            "lambda/d.md": "---\nchecked: 2026-13-01\n---\n# D\n",
        ])
        try fixture.write("Content/services.yml", Data("- id: lambda\n  name: AWS Lambda\n  category: Compute\n  alias: [Lambda]\n".utf8))
        try fixture.write("Content/exam.yml", Data("""
            nmae: X
            domains:
              - id: build
                nmae: Build
                name: Build
                weight: 100

            """.utf8))
        let root = fixture.root.path + "/"
        let messages = fixture.analyze().1.map { $0.description.replacingOccurrences(of: root, with: "") }
        for expected in [
            #"Content/lambda/a.md:2:14: error: invalid YAML: mapping values are not allowed in this context; a value that holds ": " must be quoted: title: "Lambda: configuración y límites""#,
            "Content/lambda/b.md:2:10: error: 'checked' is '2026-02-30', a day that does not exist: February 2026 has 28 days",
            "Content/lambda/c.md:2:8: warning: unknown front matter key 'titel' (did you mean 'title'?)",
            "Content/lambda/d.md:2:10: error: 'checked' is '2026-13-01', but a year has no month 13",
            "Content/services.yml:4:10: warning: unknown service key 'alias' (did you mean 'aliases'?)",
            "Content/exam.yml:1:7: warning: unknown key 'nmae' in exam.yml (did you mean 'name'?)",
            "Content/exam.yml:4:11: warning: unknown domain key 'nmae' (did you mean 'name'?)",
        ] {
            XCTAssertTrue(messages.contains(expected), expected + "\n" + messages.joined(separator: "\n"))
        }
    }

    func testUnknownConfigurationKeyListsTheKnownOnesOrTheClosest() throws {
        let log = DiagnosticLog()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-config-\(UUID().uuidString).yml")
        defer { try? FileManager.default.removeItem(at: url) }
        // Every known key with a value of its kind, and one misspelt key.
        try """
            title: T
            author: A
            language: en
            base_url: https://example.org/
            deck: D
            outputs: [site]
            unsafe_html: false
            stale_months: 12
            strict: false
            paper: A4
            search: true
            new_cards_per_day: 10
            outptus: [site]
            """.write(to: url, atomically: true, encoding: .utf8)
        _ = ProjectConfig.load(from: url, diagnostics: log)
        XCTAssertEqual(log.all.map { "\($0.location.line): \($0.message)" }, [
            "13: unknown key 'outptus' in syllabus.yml (did you mean 'outputs'?)",
        ])
        XCTAssertEqual(ProjectConfig.knownKeys.count, 12, "the fixture above sets each known key once")
    }

    func testUnknownOutputIsAnErrorThatListsTheRegisteredOnes() throws {
        let log = DiagnosticLog()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-config-\(UUID().uuidString).yml")
        defer { try? FileManager.default.removeItem(at: url) }
        try "title: T\noutputs: [epub, pdf, site]\n".write(to: url, atomically: true, encoding: .utf8)
        let config = ProjectConfig.load(from: url, diagnostics: log)
        XCTAssertEqual(log.all.map { "\($0.location.line):\($0.location.column): \($0.message)" }, [
            "2:10: unknown output 'pdf' (known: site, anki, epub, cheatsheets)",
        ])
        XCTAssertEqual(config.outputs.map(\.name), ["epub", "site"], "the known outputs are kept, in the order given")
    }

    /// `language:` takes a BCP 47 tag; a language's name (found by a fresh-user trial: `日本語`
    /// built without a word and gave an EPUB with 59 EPUBCheck errors) or a POSIX locale is an
    /// error at its value that names the tag to write, and the default stays.
    func testLanguageThatIsNoLanguageTagIsAnErrorNamingTheTag() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-config-\(UUID().uuidString).yml")
        defer { try? FileManager.default.removeItem(at: url) }
        func load(_ language: String) throws -> (language: String, said: [String]) {
            let log = DiagnosticLog()
            try "title: T\nlanguage: \(language)\n".write(to: url, atomically: true, encoding: .utf8)
            let config = ProjectConfig.load(from: url, diagnostics: log)
            return (config.language, log.all.map { "\($0.location.line):\($0.location.column): \($0.severity): \($0.message)" })
        }
        for tag in ["ja", "de-CH", "zh-Hant-TW", "es-419", "sl-rozaj-biske", "en-US-x-twain", "de-DE-u-co-phonebk", "x-klingon", "EN-gb", "JA", "yue-HK"] {
            let loaded = try load(tag)
            XCTAssertEqual(loaded.said, [], tag)
            XCTAssertEqual(loaded.language, tag)
        }
        let expected = [
            "日本語": "; for this language, 'ja'", "Japanese": "; for this language, 'ja'", "german": "; for this language, 'de'",
            "ja_JP": "; subtags are joined by '-', as in 'ja-JP'", "en-": "", "e": "", "de-CH-": "", "en-a": "", "en-x": "", "klingonish": "",
            "jp": "; 'jp' is a region's code, and its language is 'ja'", "gr-GR": "; 'gr' is a region's code, and its language is 'el'", "qq": "",
        ]
        for (value, hint) in expected {
            let loaded = try load(value)
            XCTAssertEqual(loaded.said, ["2:11: error: 'language' must be a BCP 47 language tag, such as en, de-CH or ja, not '\(value)'\(hint)"], value)
            XCTAssertEqual(loaded.language, "en", value)
        }
    }

    func testEveryRegisteredOutputMakesItsRendererInTheConfiguredOrder() async throws {
        let root = Fixture.repository
        let pipeline = Pipeline(options: BuildOptions(contentRoot: root.appendingPathComponent("Content"), templatesRoot: root.appendingPathComponent("Templates"),
                                                      outputRoot: root.appendingPathComponent("Output"), configFile: root.appendingPathComponent("syllabus.yml")))
        var config = ProjectConfig()
        let theme = try await TemplateSet.load(from: root.appendingPathComponent("Templates"))
        let all = try pipeline.renderers(for: config, theme: theme).map(\.folder)
        XCTAssertEqual(all, ["site", "anki", "ebook", "cheatsheets"])
        config.outputs = [.cheatsheets, .anki]
        let chosen = try pipeline.renderers(for: config, theme: theme).map(\.folder)
        XCTAssertEqual(chosen, ["cheatsheets", "anki"])
        XCTAssertEqual(OutputKind.named("epub"), .epub)
        XCTAssertNil(OutputKind.named("ebook"), "outputs are named as in syllabus.yml, not by their folder")
    }

    func testBrokenCatalogIsReportedNotCrashed() throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n"], services: "- id: lambda\n  name: [\n")
        let (_, diagnostics) = fixture.analyze()
        XCTAssertTrue(diagnostics.contains { $0.severity == .error && $0.message.hasPrefix("invalid YAML") && $0.location.path.hasSuffix("services.yml") })
        XCTAssertFalse(diagnostics.contains { $0.message.hasPrefix("folder 'lambda'") },
                       "a catalog that cannot be read says why itself, not once per note: \(diagnostics)")
    }

    func testRepeatedYAMLKeyIsReportedAtTheRepeatInEveryYAMLFile() throws {
        let fixture = try Fixture([
            "lambda/a.md": "# A\n",
            "lambda/b.md": "# B\n",
            "dupkey.md": "---\ntitle: One\ntags: [x]\ntitle: Two\n---\n# D\n",
        ], services: """
            - id: lambda
              name: AWS Lambda
              category: Compute
              name: Lambda again
            - id: s3
              name: Amazon S3
              category: Storage
            """, config: "title: Test\noutputs: [site]\ndeck: D\noutputs: [anki]\n")
        let (_, diagnostics) = fixture.analyze()
        let content = fixture.root.path + "/Content/"
        XCTAssertEqual(diagnostics.map { $0.description.replacingOccurrences(of: content, with: "").replacingOccurrences(of: fixture.root.path + "/", with: "") }.sorted(), [
            "dupkey.md:4:1: error: invalid YAML: duplicate key 'title' (first on line 2)",
            "services.yml:4:3: error: invalid YAML: duplicate key 'name' (first on line 2)",
            "syllabus.yml:4:1: error: invalid YAML: duplicate key 'outputs' (first on line 2)",
        ], "each at the repeat, and no note in lambda/ is an error of its own")
    }

    func testCatalogReportsEveryEntrysErrorsAtOnce() throws {
        let fixture = try Fixture([:], services: """
            - id: Bad Id
              name: X
            - id: ok
              name: Okay
              category: C
            - id: ok
              name: Okay again
              category: C
            """)
        let messages = fixture.analyze().1.map { "\($0.location.line): \($0.message)" }
        XCTAssertTrue(messages.contains { $0.hasPrefix("1: service id 'Bad Id' must match [a-z0-9-]+") }, "\(messages)")
        XCTAssertTrue(messages.contains("1: service is missing 'category'"), "\(messages)")
        XCTAssertTrue(messages.contains("6: duplicate service id 'ok' (first on line 3)"), "\(messages)")
    }

    func testEmptyCatalogIsReported() throws {
        let fixture = try Fixture([:], services: "\n")
        let (_, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.map(\.message), ["services.yml lists no services"])
    }

    func testCatalogEntriesAreChecked() throws {
        let fixture = try Fixture([:], services: """
            - id: Bad Id
              name: X
              category: C
            - id: ok
              name: Okay
            - id: one
              name: One
              short: Dup
              category: C
            - id: two
              name: Two
              short: Dup
              category: C
            """)
        let (_, diagnostics) = fixture.analyze()
        let messages = diagnostics.map { "\($0.location.line): \($0.message)" }
        XCTAssertTrue(messages.contains { $0.hasPrefix("1: service id 'Bad Id' must match [a-z0-9-]+") }, "\(messages)")
        XCTAssertTrue(messages.contains("4: service is missing 'category'"), "\(messages)")
        XCTAssertTrue(messages.contains("10: 'Dup' names both 'one' and 'two'"), "\(messages)")
    }

    func testCLIPrintsCompilerStyleDiagnosticsAndFails() throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\n[x](missing.md)\n"])
        let result = try CLI.run(["build", "--content", "Content", "--output", "Output", "--templates",
                                  Fixture.repository.appendingPathComponent("Templates").path], in: fixture.root)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.err.contains("Content/lambda/a.md:3:1: error: link to 'missing.md': no such note"), result.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site").path),
                       "a failed build writes nothing")
    }

    /// `cards --pin-ids` prints what concerns pinning: not the set's unrelated warnings (their
    /// count and `check`), and its counts in the right number.
    func testPinIDsPrintsOnlyWhatConcernsPinning() throws {
        let fixture = try Fixture(["lambda/a.md": "# A\n\n[x](b.md#nope) and [y](b.md#gone).\n", "lambda/b.md": "# B\n",
                                   "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n"])
        let result = try CLI.run(["cards", "--pin-ids", "--content", "Content"], in: fixture.root)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertFalse(result.err.contains("warning:"), result.err)
        XCTAssertEqual(result.out, "Pinned 1 card id in 1 file (the study set has 2 warnings: `syllabus check` lists them)\n")
        let again = try CLI.run(["cards", "--pin-ids", "--content", "Content"], in: fixture.root)
        XCTAssertEqual(again.out, "Every card has an id: nothing to pin (the study set has 2 warnings: `syllabus check` lists them)\n")

        try fixture.write("Content/lambda/b.md", "# B\n\n[z](missing.md)\n")
        try fixture.write("Content/lambda/lambda.cards.md", "## What stores objects?\n\nS3.\n")
        let failed = try CLI.run(["cards", "--pin-ids", "--content", "Content"], in: fixture.root)
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.err.hasSuffix("Content/lambda/b.md:3:1: error: link to 'missing.md': no such note\n1 error; fix the errors first: "
                                           + "no file was changed (and 2 warnings: `syllabus check` lists them)\n"), failed.err)
        XCTAssertFalse(failed.err.contains("warning:"), failed.err)
    }

    /// `check` counts notes as `build` and the home page do: a card file and a service's
    /// landing text are no notes.
    func testCheckCountsNotesAsTheHomePageDoes() throws {
        let fixture = try Fixture(["lambda/index.md": "# Lambda\n\nThe service.\n", "lambda/overview.md": "# Overview\n\nRuns code.\n",
                                   "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n"])
        let result = try CLI.run(["check", "--content", "Content"], in: fixture.root)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(result.out, "OK: 1 note, 1 card, no errors\n")

        // With warnings, the OK line counts them as the line before it on standard error does.
        try fixture.write("Content/lambda/overview.md", "# Overview\n\nRuns code. <div>x</div>\n\n<div>\nHidden.\n</div>\n")
        let warned = try CLI.run(["check", "--content", "Content"], in: fixture.root)
        XCTAssertEqual(warned.status, 0, warned.err)
        XCTAssertTrue(warned.err.hasSuffix("0 errors, 1 warning\n"), warned.err)
        XCTAssertEqual(warned.out, "OK: 1 note, 1 card, no errors, 1 warning\n")
    }
}
