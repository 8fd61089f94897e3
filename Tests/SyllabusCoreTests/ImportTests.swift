import Foundation
import XCTest
@testable import SyllabusCore

/// `syllabus import` in process: reading Anki's text export and Quizlet exports, HTML fields
/// to Markdown, card ids that hold any GUID, placement and in-place updates.
final class ImportTests: XCTestCase {
    // MARK: - Card ids

    /// Every GUID Anki may make (its alphabet has `/ > : # ` ; " '` and `-`), and `-->`, round-trips
    /// through the comment the importer and `cards --pin-ids` write, and that comment holds no
    /// `--` that could end it nor a backtick that could close a code span; a GUID is written as
    /// Anki shows it but for those and a `%` that would read as an escape (found by a
    /// fresh-user trial: `a%3Eb` for `a>b`). What earlier versions wrote reads as before.
    func testCardIDCommentHoldsAnyGUID() {
        let guids = ["a/b>c:d#e", "x\"y'z;`w", "p--q>r", "-->", "<!--", "--!>", "100%", "%41", "%4", "sqs:retention", "Ab{c}|~^[]", "ü-ß", "---"]
        for guid in guids {
            let comment = CardID.comment(guid)
            XCTAssertEqual(CardID.read(comment), .id(guid), comment)
            let inner = comment.dropFirst(4).dropLast(3)
            XCTAssertFalse(inner.contains("--") || inner.contains("`"), comment)
        }
        XCTAssertEqual(CardID.comment("lambda-timeout"), "<!-- id: lambda-timeout -->", "plain ids are written as they are")
        XCTAssertEqual(["a/b>c:d#e", "<x>", "p%Lj.i-[L]", "-->", "100%", "%41", "a`b"].map(CardID.comment), [
            "<!-- id: a/b>c:d#e -->", "<!-- id: <x> -->", "<!-- id: p%Lj.i-[L] -->", "<!-- id: -%2D> -->", "<!-- id: 100% -->",
            "<!-- id: %2541 -->", "<!-- id: a%60b -->",
        ])
        XCTAssertEqual(["<!-- id: a/b%3Ec -->", "<!-- id: p%25Lj -->", "<!-- id: %3C%3E -->"].map(CardID.read), [.id("a/b>c"), .id("p%Lj"), .id("<>")],
                       "escapes of earlier versions")
        XCTAssertEqual(CardID.read("<!-- id: 50%off -->"), .id("50%off"), "a % without two hex digits is itself")
        XCTAssertEqual(CardID.read("<!-- id: a%20b -->"), .invalid("card id 'a%20b' holds a space or control character, which Anki does not keep in a GUID"))
        XCTAssertEqual(CardID.read("<!-- id: a--b -->"), .invalid("card id 'a--b' holds '--', which ends an HTML comment (write '-%2D')"))
    }

    /// An id with punctuation is a pinned id (its GUID is the id, verbatim); one that cannot be a
    /// GUID is an error at its line, never silently replaced by a GUID from the front.
    func testCardIDsWithPunctuationArePinnedAndBadOnesAreErrors() throws {
        let fixture = try Fixture(["lambda/a.cards.md": """
            # Cards

            Inline front :: inline back <!-- id: q"r;s -->

            ## What is the maximum timeout?
            <!-- id: sqs:retention -->

            15 minutes.

            ## Which GUID has an arrow?
            <!-- id: a/b%3Ec -->

            This one.

            ## Which id has a space?
            <!-- id: two words -->

            None.
            """])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        let cards = set.studySet.cards
        XCTAssertEqual(cards.map(\.guid).prefix(3), ["q\"r;s", "sqs:retention", "a/b>c"])
        XCTAssertEqual(diagnostics.map { "\($0.location.line): \($0.message)" },
                       ["16: card id 'two words' holds a space or line break (write a space as %20)"])
    }

    /// A card's id with `<` and `>`, as `CardID.comment` writes them, is read whole under a
    /// heading and at the end of an inline card's line (even one whose back holds a lone
    /// backtick), and the comment is kept by the sanitizer, as any id comment.
    func testCardIDsWithAngleBracketsAreReadInEveryPlace() throws {
        let ids = ["a<b>c", "<img/src=x>", "x>y-", "-->", "q`r"]
        let fixture = try Fixture(["lambda/a.cards.md": """
            # Cards

            First inline front :: inline back \(CardID.comment(ids[0]))

            Second inline front :: a lone ` backtick \(CardID.comment(ids[4]))

            ## Which GUID has a tag in it?
            \(CardID.comment(ids[1]))

            This one.

            ## Which GUID ends in a dash?
            \(CardID.comment(ids[2]))

            That one.

            ## Which GUID is a comment's end?
            \(CardID.comment(ids[3]))

            The last one.
            """])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(set.studySet.cards.map(\.guid), [ids[0], ids[4], ids[1], ids[2], ids[3]])
        XCTAssertEqual(diagnostics.map(\.description), [])
    }

    /// A card file an earlier version wrote (`a%3Eb` where `a>b` is written now) keeps its id
    /// comment when its card is imported again: the same id is no change, and the card is not
    /// counted as updated.
    func testAnIDCommentOfAnEarlierVersionIsKept() throws {
        let earlier = "---\ntitle: \"Imported from deck.txt\"\n---\n\n# Imported from deck.txt\n\n## Front\n<!-- id: a%3Eb -->\n\nBack.\n"
        let fixture = try Fixture(["lambda/imported-deck.cards.md": earlier], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", "#separator:tab\n#guid column:1\na>b\tFront\tBack.\n")
        let plan = try CardImporter(fixture.importOptions("deck.txt")).plan()
        XCTAssertEqual(plan.files.map { [$0.added, $0.updated] }, [[0, 0]])
        XCTAssertEqual(plan.files.first?.text, earlier)
        try fixture.write("deck.txt", "#separator:tab\n#guid column:1\na>b\tFront\tNew back.\n")
        let changed = try CardImporter(fixture.importOptions("deck.txt")).plan()
        XCTAssertEqual(changed.files.first?.text, earlier.replacingOccurrences(of: "Back.", with: "New back."), "a changed card keeps it too")
    }

    /// `cards --pin-ids` leaves a card with a punctuated id alone (no second id above it).
    func testPinIDsKeepsPunctuatedIDs() throws {
        let fixture = try Fixture(["lambda/a.cards.md": "## Front one\n<!-- id: sqs:retention -->\n\nBack.\n\n## Front two\n\nBack two.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let pinned = try XCTUnwrap(IDPinner.pin(set.studySet, contentRoot: fixture.options.contentRoot)["lambda/a.cards.md"])
        XCTAssertEqual(pinned.components(separatedBy: "<!-- id:").count - 1, 2, pinned)
        XCTAssertTrue(pinned.hasPrefix("## Front one\n<!-- id: sqs:retention -->\n\nBack."), pinned)
    }

    /// A card's `<!-- tags: … -->` adds its own tags to the page's (kept through the cache).
    func testCardTagsComment() throws {
        let fixture = try Fixture(["lambda/a.cards.md": "---\ntags: [page]\n---\n## Front\n<!-- tags: aws sqs::basics -->\n\nBack.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(set.studySet.cards.map(\.tags), [["page", "aws", "sqs::basics"]])
    }

    // MARK: - Anki's text export

    /// Tags are a set: a card whose tags come back in another order is unchanged, and new tags
    /// follow the ones the file has, in the file's order.
    func testReimportKeepsTheFilesTagOrder() {
        let existing = "## Q?\n<!-- id: g1 -->\n<!-- tags: eb deck::aws::eb -->\n\nA.\n"
        let sorted = "## Q?\n<!-- id: g1 -->\n<!-- tags: deck::aws::eb eb -->\n\nA.\n"
        XCTAssertEqual(CardImporter.merge([("id:g1", sorted)], into: existing).updated, 0)
        XCTAssertEqual(CardImporter.merge([("id:g1", sorted)], into: existing).text, existing)
        let more = "## Q?\n<!-- id: g1 -->\n<!-- tags: alpha deck::aws::eb eb -->\n\nA.\n"
        let merged = CardImporter.merge([("id:g1", more)], into: existing)
        XCTAssertEqual(merged.updated, 1)
        XCTAssertTrue(merged.text.contains("<!-- tags: eb deck::aws::eb alpha -->\n"), merged.text)
    }

    /// A picture the set has under another name is found beside the card file first, then
    /// anywhere in the service's folder, by its bytes, and given as a path from the card file;
    /// other bytes or hidden files are no match.
    func testAPictureTheSetHasIsFoundByItsBytes() throws {
        let root = try EndToEndSupport.temporaryFolder("import-same-file")
        defer { try? FileManager.default.removeItem(at: root) }
        try EndToEndSupport.writeFixture(["lambda/deep/cards.md": "", "lambda/img/flow.png": "bytes", "lambda/img/other.png": "other",
                                          "lambda/.hidden/copy.png": "mine", "incoming/x.png": "bytes", "incoming/y.png": "mine"], in: root)
        let lambda = root.appendingPathComponent("lambda"), deep = lambda.appendingPathComponent("deep")
        XCTAssertEqual(CardImporter.sameFile(as: root.appendingPathComponent("incoming/x.png"), in: deep, orUnder: lambda), "../img/flow.png")
        XCTAssertNil(CardImporter.sameFile(as: root.appendingPathComponent("incoming/x.png"), in: deep, orUnder: nil))
        XCTAssertNil(CardImporter.sameFile(as: root.appendingPathComponent("incoming/y.png"), in: deep, orUnder: lambda))
        try "bytes".write(to: deep.appendingPathComponent("here.png"), atomically: true, encoding: .utf8)
        XCTAssertEqual(CardImporter.sameFile(as: root.appendingPathComponent("incoming/x.png"), in: deep, orUnder: lambda), "here.png")
    }

    /// The header lines, quoted fields with doubled quotes, tabs and line breaks inside, and a
    /// GUID starting with `#` (quoted, as Anki writes it).
    func testAnkiTextExportIsRead() {
        let text = """
            #separator:tab
            #html:true
            #guid column:1
            #notetype column:2
            #deck column:3
            #tags column:6
            "a/b>c""d"\tBasic\tAWS::SQS\t"What is <b>SQS</b> ""visibility""?"\t"one\ttwo
            three"\taws sqs::basics
            "#starts"\tCloze\tAWS::SQS\tKeeps {{c1::4 days}}.\t<i>x</i>\t

            """
        let (deck, isHTML) = AnkiTextReader.read(text, displayPath: "notes.txt")
        XCTAssertTrue(isHTML)
        XCTAssertEqual(deck.skipped, [])
        XCTAssertEqual(deck.notes, [
            ImportedNote(guid: "a/b>c\"d", kind: .basic, fields: ["What is <b>SQS</b> \"visibility\"?", "one\ttwo\nthree"],
                         tags: ["aws", "sqs::basics"], deck: "AWS::SQS", location: SourceLocation(path: "notes.txt", line: 7)),
            ImportedNote(guid: "#starts", kind: .cloze, fields: ["Keeps {{c1::4 days}}.", "<i>x</i>"], tags: [], deck: "AWS::SQS",
                         location: SourceLocation(path: "notes.txt", line: 9)),
        ])
    }

    /// An image occlusion note of a text export (its deletions are shapes over a picture) is
    /// skipped with the package reader's warning, not turned into a cloze card of its markup.
    func testImageOcclusionNotesOfATextExportAreSkipped() {
        let text = """
            #separator:tab
            #html:true
            #guid column:1
            #notetype column:2
            #deck column:3
            #tags column:7
            io:1\tImage Occlusion\tAWS::Lambda\t{{c1::image-occlusion:rect:left=.2:top=.3:width=.1:height=.1:oi=1}}\t"<img src=""map.png"">"\tThe red box\t
            q:1\tBasic\tAWS::Lambda\tQ?\tA.\t\t

            """
        let (deck, _) = AnkiTextReader.read(text, displayPath: "notes.txt")
        XCTAssertEqual(deck.skipped.map(\.description), ["notes.txt:7:1: warning: " + AnkiPackageReading.imageOcclusionSkipped])
        XCTAssertEqual(deck.notes.map(\.guid), ["q:1"])
    }

    /// A text export that names Syllabus's own note types (a deck built by another study set,
    /// brought into Anki and exported): their Link and Syllabus ID fields are left out, not
    /// pasted into the back; another note type's third field still goes to the back.
    func testSyllabusNoteTypesInATextExportLeaveOutLinkAndID() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #notetype column:2
            #deck column:3
            #tags column:10
            sAQbi4TYwXTA\tSyllabus Basic\tOther::Lambda\tWhere does a Lambda function open its connection?\tOutside the handler.\thttps://x.example/l.html\tsAQbi4TYwXTA\t\t\tcompute::lambda
            c-1\tSyllabus Cloze\tOther::Lambda\tLambda runs at most {{c1::15 minutes}}.\t\t\tc-1\t\t\tcompute::lambda
            b-2\tBasic (extra)\tOther::Lambda\tWhat is Lambda's memory maximum?\t10 GB\tsee docs\t\t\t\t

            """)
        let options = fixture.importOptions("deck.txt")
        let plan = try CardImporter(options).plan()
        try CardImporter(options).write(plan)
        let cards = try fixture.read("Content/lambda/imported-deck.cards.md")
        XCTAssertTrue(cards.contains("<!-- id: sAQbi4TYwXTA -->\n\nOutside the handler.\n\n## "), cards)
        XCTAssertTrue(cards.contains("<!-- id: c-1 -->\n\n## "), "the cloze has no back: \(cards)")
        XCTAssertFalse(cards.contains("x.example"), cards)
        XCTAssertTrue(cards.contains("10 GB\n\nsee docs"), cards)
        XCTAssertEqual(plan.warnings.map(\.description), ["deck.txt:9:1: warning: 3 fields: the ones after the second are added to the back"])
    }

    /// Basic (optional reversed card)'s third field, Add Reverse, only switches the reverse card
    /// on ("y"): a text export's notes of that type keep their back as it is, and say whether
    /// they lose their reverse card (found by a fresh-user trial: "*Add Reverse*: y" was pasted
    /// into the back, and would have reached Anki with the next import).
    func testAddReverseOfATextExportIsNoPartOfTheBack() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #notetype column:2
            #deck column:3
            r-1\tBasic (optional reversed card)\tOther::Lambda\tLambda's default timeout?\t3 seconds\ty
            r-2\tBasic (optional reversed card)\tOther::Lambda\tLambda's longest timeout?\t15 minutes\t

            """)
        let options = fixture.importOptions("deck.txt")
        let plan = try CardImporter(options).plan()
        try CardImporter(options).write(plan)
        let cards = try fixture.read("Content/lambda/imported-deck.cards.md")
        XCTAssertTrue(cards.contains("-->\n\n3 seconds\n\n## "), cards)
        XCTAssertTrue(cards.hasSuffix("-->\n\n15 minutes\n"), cards)
        XCTAssertFalse(cards.contains("Add Reverse") || cards.contains("\ny\n"), cards)
        XCTAssertEqual(plan.warnings.map(\.description), [
            "deck.txt:6:1: warning: note type \"Basic (optional reversed card)\": 1 note (the first on this line) imported as one card each, "
                + "without its card \"Card 2\" (the reverse card)",
            "deck.txt:7:1: warning: note type \"Basic (optional reversed card)\": 1 note (the first on this line) has only its first card "
                + "and imports whole, but the note type also has the template \"Card 2\"",
        ])
    }

    /// A deck the set built, brought into Anki and exported as text, names each picture as the
    /// build packaged it (`flow-1a2b3c4d.png`), without its bytes: the import links the file
    /// the set has under that name (beside the card file, or in a folder of the service), with
    /// no warning, rather than a name no file has.
    func testATextExportsPackagedPictureNamesLinkTheSetsFiles() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        func packaged(_ path: String, _ bytes: String) throws -> String {
            try fixture.write("Content/lambda/\(path)", bytes)
            var hasher = CacheKeyHasher()
            hasher.add(Data(bytes.utf8))
            return LocalFile(path: path, hash: hasher.hex).flatName
        }
        let beside = try packaged("flow chart.png", "beside"), below = try packaged("img/arch.png", "below")
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #notetype column:2
            #deck column:3
            p:1\tBasic\tAWS::Lambda\tWhat does the flow look like?\t"<img src=""\(beside)"">"
            p:2\tBasic\tAWS::Lambda\tWhat does the architecture look like?\t"<img src=""\(below)"">"
            p:3\tBasic\tAWS::Lambda\tAnd this one?\t"<img src=""gone-1a2b3c4d.png"">"

            """)
        let options = fixture.importOptions("deck.txt")
        let plan = try CardImporter(options).plan()
        try CardImporter(options).write(plan)
        let cards = try fixture.read("Content/lambda/imported-deck.cards.md")
        XCTAssertTrue(cards.contains("![](<flow chart.png>)"), cards)
        XCTAssertTrue(cards.contains("![](img/arch.png)"), cards)
        XCTAssertEqual(plan.warnings.map(\.message), ["picture 'gone-1a2b3c4d.png' is not in the export; the card links to it"])
    }

    /// Other separators by name, rows without a first field or with too few columns reported.
    func testAnkiTextSeparatorsAndBadRows() {
        let text = "#separator:Semicolon\n#html:false\n#tags column:3\nfront;back;t1\n;empty front;\nshort\n"
        let (deck, isHTML) = AnkiTextReader.read(text, displayPath: "x.txt")
        XCTAssertFalse(isHTML)
        XCTAssertEqual(deck.notes.map(\.fields), [["front", "back"]])
        XCTAssertEqual(deck.notes.map(\.tags), [["t1"]])
        XCTAssertEqual(deck.skipped.map(\.description), [
            "x.txt:5:1: error: row has an empty first field (Anki would not import it either)",
            "x.txt:6:1: error: row has 1 columns; the headers name column 3",
        ])
    }

    // MARK: - Quizlet

    func testQuizletDefaultSeparators() {
        let deck = QuizletReader.read("Lambda\tServerless compute\nS3\tObject storage\n\nno separator here\na\tb\tc\n", displayPath: "q.txt")
        XCTAssertEqual(deck.notes.map(\.fields), [["Lambda", "Serverless compute"], ["S3", "Object storage"]])
        XCTAssertEqual(deck.skipped.map(\.description), [
            "q.txt:4:1: error: card holds no term separator '\\t': cannot tell term from definition",
            "q.txt:5:1: error: card holds the term separator '\\t' 2 times: cannot tell term from definition",
        ])
    }

    /// A definition over several lines, with `--card-separator '\n\n'` and a custom term separator.
    func testQuizletCustomSeparators() {
        let term = QuizletReader.unescape(" - "), card = QuizletReader.unescape("\\n\\n")
        XCTAssertEqual(card, "\n\n")
        let deck = QuizletReader.read("Lambda - Runs code\nwithout servers\n\nS3 - Stores\nobjects\n", displayPath: "q.txt",
                                      termSeparator: term, cardSeparator: card)
        XCTAssertEqual(deck.notes.map(\.fields), [["Lambda", "Runs code\nwithout servers"], ["S3", "Stores\nobjects"]])
        XCTAssertEqual(deck.notes.map { $0.location?.line }, [1, 4])
    }

    // MARK: - HTML to Markdown

    func testHTMLFieldsBecomeMarkdown() {
        func markdown(_ html: String) -> String { HTMLToMarkdown(html).markdown }
        XCTAssertEqual(markdown("<b>bold</b> and <i>italic</i> and <code>a*b</code>"), "**bold** and *italic* and `a*b`")
        XCTAssertEqual(markdown("one<br>two<div>three</div>"), "one\\\ntwo\\\nthree")
        XCTAssertEqual(markdown("Intro<ul><li>a</li><li>b</li></ul>After"), "Intro\n\n- a\n- b\n\nAfter")
        XCTAssertEqual(markdown("<ol><li>first</li><li>second</li></ol>"), "1. first\n2. second")
        XCTAssertEqual(markdown("<a href=\"https://x.example/a b\">link</a>"), "[link](<https://x.example/a b>)")
        XCTAssertEqual(markdown("<img src=\"paste 1.png\">"), "![](<paste 1.png>)")
        XCTAssertEqual(HTMLToMarkdown("<img src=\"a.png\">").images, ["a.png"])
        XCTAssertEqual(markdown("<pre>line 1\nline 2</pre>"), "```\nline 1\nline 2\n```")
        XCTAssertEqual(markdown("a &lt;b&gt; &amp; *c* # [d]"), "a \\<b\\> \\& \\*c\\* \\# \\[d\\]")
        XCTAssertEqual(markdown("{{c1::4 days::hint}}"), "{{c1::4 days::hint}}")
        XCTAssertEqual(markdown("<b> spaced </b>x"), " **spaced** x".trimmingCharacters(in: .whitespaces))
        XCTAssertEqual(markdown("<a href=\"javascript:alert(1)\">x</a>"), "x")
        XCTAssertEqual(markdown("- not a list"), "\\- not a list")
        let underline = HTMLToMarkdown("<u>kept</u> <script>gone()</script>")
        XCTAssertEqual(underline.markdown, "kept")
        XCTAssertEqual(underline.lost, ["u", "script"])
        XCTAssertEqual(HTMLToMarkdown("a\nb", isHTML: false).markdown, "a\\\nb")
    }

    /// A trial imported a card whose back held an HTML table and got `Tier | Use\\` lines.
    func testSimpleHTMLTableBecomesAGFMTableAndOthersAreReported() throws {
        let simple = HTMLToMarkdown("Tiers:<table><tr><th>Tier</th><th>Use</th></tr>"
            + "<tbody><tr><td>Web <b>server</b></td><td><code>a|b</code></td></tr><tr><td>Worker</td></tr></tbody></table>After")
        XCTAssertEqual(simple.markdown, "Tiers:\n\n| Tier | Use |\n| --- | --- |\n| Web **server** | `a\\|b` |\n| Worker |  |\n\nAfter")
        XCTAssertEqual(simple.lost, [])
        let tree = MarkdownParser.parse(simple.markdown)
        let html = tree.document.html()
        XCTAssertTrue(html.contains("<th>Tier</th>") && html.contains("<td>Web <strong>server</strong></td>")
                      && html.contains("<td><code>a|b</code></td>") && html.contains("<p>After</p>"), html)

        for complex in ["<table><tr><td colspan=\"2\">wide</td></tr></table>", "<table><tr><td>one<br>two</td></tr></table>",
                        "<table><caption>C</caption><tr><td>x</td></tr></table>", "<table><tr><td>a<td>b</tr></table>"] {
            let converted = HTMLToMarkdown(complex)
            XCTAssertTrue(converted.lost.contains("table"), complex)
            XCTAssertFalse(converted.markdown.contains("---"), converted.markdown)
        }

        // Through the import: no warning, and the card file holds the table.
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let note = AnkiNote(id: 1, guid: "g1", type: .basic, deck: "Mine::Lambda",
                            fields: ["Which Lambda tiers?", "<table><tr><th>Tier</th><th>Use</th></tr><tr><td>Web server</td><td>HTTP</td></tr></table>"],
                            tags: [], modified: 1, cardOrdinals: [0], cardIDs: [11], due: 0)
        try fixture.write("deck.apkg", try AnkiPackage.make(notes: [note], media: []))
        let options = fixture.importOptions("deck.apkg")
        let plan = try CardImporter(options).plan()
        XCTAssertEqual(plan.warnings.map(\.description), [])
        XCTAssertTrue(plan.files.first?.text.contains("| Tier | Use |\n| --- | --- |\n| Web server | HTTP |\n") == true, plan.files.first?.text ?? "")
        CardImporter(options).discard(plan)
    }

    // MARK: - Planning and writing

    /// Cards go to the service they name (front counts most), the rest to a General file at the
    /// content root; a second import of the same file updates its cards in place, keeps what the
    /// learner added, and a dry run writes nothing.
    func testPlacementAndSecondImportUpdatesInPlace() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let export = """
            #separator:tab
            #html:true
            #guid column:1
            #tags column:4
            "g/1"\tWhat does <b>Amazon SQS</b> keep?\tMessages, not AWS Lambda code.\tsqs
            g:2\tMax AWS Lambda timeout?\t15 minutes\t
            g#3\tWhat is CAP?\tConsistency, availability, partition tolerance\t

            """
        try fixture.write("deck.txt", export)
        var options = fixture.importOptions("deck.txt")
        let importer = CardImporter(options)
        let dry = try importer.plan()
        XCTAssertEqual(dry.files.map(\.path), ["sqs/imported-deck.cards.md", "lambda/imported-deck.cards.md", "imported-deck.cards.md"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Content/sqs/imported-deck.cards.md").path))
        try importer.write(dry)
        XCTAssertEqual(try fixture.read("Content/sqs/imported-deck.cards.md"), """
            ---
            title: "Imported from deck.txt"
            ---

            # Imported from deck.txt

            ## What does **Amazon SQS** keep?
            <!-- id: g/1 -->
            <!-- tags: sqs -->

            Messages, not AWS Lambda code.

            """)
        XCTAssertTrue(try fixture.read("Content/imported-deck.cards.md").contains("service: general\n"))
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        XCTAssertEqual(Dictionary(grouping: set.studySet.cards, by: \.serviceID).mapValues { $0.map(\.guid) },
                       ["sqs": ["g/1"], "lambda": ["g:2"], "general": ["g#3"]])

        // The learner adds a card of their own; the export changes one answer.
        let path = "Content/lambda/imported-deck.cards.md"
        try fixture.write(path, try fixture.read(path) + "\n## My own card\n\nKept.\n")
        try fixture.write("deck.txt", export.replacingOccurrences(of: "15 minutes", with: "900 seconds"))
        options.service = nil
        let second = try CardImporter(options).plan()
        XCTAssertEqual(second.files.map { [$0.added, $0.updated] }, [[0, 0], [0, 1], [0, 0]])
        try CardImporter(options).write(second)
        let lambda = try fixture.read(path)
        XCTAssertTrue(lambda.contains("900 seconds") && !lambda.contains("15 minutes") && lambda.contains("## My own card"), lambda)
        XCTAssertEqual(lambda.components(separatedBy: "## Max AWS Lambda timeout?").count, 2, lambda)
    }

    /// A deck Syllabus built, imported into Anki and exported again, tags each note with its
    /// service (`<category>::<service-id>`, in whatever case Anki kept): the import places the
    /// card in that service and keeps only the note's other tags, so the next build's decks
    /// carry the service tag once. A card file that already holds it (an earlier import) is
    /// built with it once too.
    func testSyllabusServiceTagPlacesTheCardAndIsNotKeptAsItsOwnTag() async throws {
        let fixture = try Fixture(["lambda/old.cards.md": "## Old card\n<!-- tags: compute::lambda own -->\n\nBack.\n"], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #tags column:4
            g1\tWhat keeps messages for a consumer?\tA queue.\tApplication-Integration::SQS mine

            """)
        let options = fixture.importOptions("deck.txt")
        let plan = try CardImporter(options).plan()
        XCTAssertEqual(plan.files.map(\.path), ["sqs/imported-deck.cards.md"])
        try CardImporter(options).write(plan)
        XCTAssertTrue(try fixture.read("Content/sqs/imported-deck.cards.md").contains("<!-- id: g1 -->\n<!-- tags: mine -->\n"))
        let report = try await fixture.build()
        XCTAssertEqual(report.diagnostics.map(\.description), [])
        let rows = try fixture.read("Output/anki/all.tsv").split(separator: "\n").filter { !$0.hasPrefix("#") }
        XCTAssertEqual(rows.map { $0.split(separator: "\t").last! }, ["compute::lambda own", "application-integration::sqs mine"])
    }

    /// A learner's deck hierarchy places cards: the deepest level of a deck that names a
    /// service (its id, name, short name or alias, any case) beats what the card's text names;
    /// the deck is kept as a `deck::` tag, which goes to Anki and comes back unchanged; the
    /// report says how many cards went to General and which decks they came from. A fresh-user
    /// trial saw 7 of 10 cards of `AWS::Lambda`-style decks land in General without a word.
    func testDeckNamesPlaceCardsAndAreKeptAsTags() async throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #deck column:2
            #tags column:5
            d1	AWS::Lambda	How long may it run?	15 minutes.	
            d2	DVA::Messaging::amazon sqs::Basics	What does AWS Lambda read from?	A queue.	mine
            d3	AWS::Compute	What is CAP?	Consistency, availability, partition tolerance.	
            d4	DVA::Storage	Where do messages wait?	In Amazon SQS.	
            d5	AWS::Compute	What is ACID?	Atomicity, consistency, isolation, durability.	deck::old::place
            d6	Study Deck::General	What is BASE?	Basically available.	general::general

            """)
        let options = fixture.importOptions("deck.txt")
        let plan = try CardImporter(options).plan()
        XCTAssertEqual(plan.files.map(\.path), ["lambda/imported-deck.cards.md", "sqs/imported-deck.cards.md", "imported-deck.cards.md"])
        XCTAssertEqual(plan.files.map(\.cards), [1, 2, 3])
        let report = CardImporter.report(plan, dryRun: true)
        XCTAssertTrue(report.contains("\nContent/imported-deck.cards.md (General) gets 3 notes: 2 as neither their deck (AWS::Compute) nor their text "
                                      + "names a service of services.yml; 1 as a deck Syllabus built tagged it general::general.\n"), report)
        try CardImporter(options).write(plan)
        let sqs = try fixture.read("Content/sqs/imported-deck.cards.md")
        XCTAssertTrue(sqs.contains("<!-- id: d2 -->\n<!-- tags: mine deck::dva::messaging::amazon-sqs::basics -->\n"), sqs)
        XCTAssertTrue(sqs.contains("<!-- id: d4 -->\n<!-- tags: deck::dva::storage -->\n"), sqs)
        let general = try fixture.read("Content/imported-deck.cards.md")
        XCTAssertTrue(general.contains("<!-- id: d5 -->\n<!-- tags: deck::aws::compute -->\n"), "the deck the note is in now: \(general)")
        XCTAssertTrue(general.contains("<!-- id: d6 -->\n\n"), "a deck Syllabus built adds no tag: \(general)")

        // The decks a build makes carry the tag as it is written; the same note exported from
        // Anki with those tags imports as nothing changed.
        let report2 = try await fixture.build()
        XCTAssertEqual(report2.diagnostics, [])
        let rows = try fixture.read("Output/anki/all.tsv").split(separator: "\n").filter { !$0.hasPrefix("#") }
        let lambdaRow = try XCTUnwrap(rows.first { $0.hasPrefix("d1\t") })
        XCTAssertEqual(lambdaRow.split(separator: "\t").last, "compute::lambda deck::aws::lambda")
        try fixture.write("deck.txt", "#separator:tab\n#html:true\n#guid column:1\n#deck column:2\n#tags column:5\n"
                          + "d1\tAWS::Lambda\tHow long may it run?\t15 minutes.\tcompute::lambda deck::aws::lambda\n")
        let again = CardImporter.report(try CardImporter(options).plan(), dryRun: true)
        XCTAssertTrue(again.hasPrefix("Nothing to import: 1 note from deck.txt (anki) already up to date:"), again)

        // A card an earlier import put in General is updated there, even from a deck that now
        // names a service, and the report says so.
        try fixture.write("deck.txt", "#separator:tab\n#html:true\n#guid column:1\n#deck column:2\nd3\tAWS::Lambda\tWhat is CAP?\tC, A and P.\n")
        let moved = try CardImporter(options).plan()
        XCTAssertEqual(moved.files.map(\.path), ["imported-deck.cards.md"])
        let movedReport = CardImporter.report(moved, dryRun: true)
        XCTAssertTrue(movedReport.contains("\nContent/imported-deck.cards.md (General) gets 1 note as an earlier import put it there.\n"), movedReport)
    }

    /// The report counts notes, each one card here, and the Anki cards they were where that
    /// differs: a reverse card left out, a cloze note's numbers (found by a fresh-user trial:
    /// "Imported 6 cards" for 6 notes that were 9 Anki cards).
    func testReportCountsNotesAndTheAnkiCardsTheyWere() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #notetype column:2
            #deck column:3
            n1\tBasic (and reversed card)\tAWS::Lambda\tLambda's longest timeout?\t15 minutes
            n2\tBasic (and reversed card)\tAWS::Lambda\tLambda's default timeout?\t3 seconds
            n3\tCloze\tAWS::Lambda\tLambda runs {{c1::15 minutes}} at most, {{c2::3 seconds}} by default, {{c1::900 s}}.\t
            n4\tBasic\tAWS::Lambda\tLambda's memory maximum?\t10 GB

            """)
        let plan = try CardImporter(fixture.importOptions("deck.txt")).plan()
        XCTAssertTrue(CardImporter.report(plan, dryRun: true).hasPrefix("Would import 4 notes (1 cloze, 7 Anki cards) from deck.txt (anki):\n"
                                                                       + "  Content/lambda/imported-deck.cards.md  4 notes (4 new, 0 updated)\n"))
        try fixture.write("deck.txt", "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\nn4\tBasic\tLambda's memory maximum?\t10 GB\n")
        let one = try CardImporter(fixture.importOptions("deck.txt")).plan()
        XCTAssertTrue(CardImporter.report(one, dryRun: true).hasPrefix("Would import 1 note (0 cloze) from deck.txt (anki):\n"), "as many Anki cards")
    }

    /// A warning names each note or note type, and what to do about them is said once, after
    /// the warnings (found by a fresh-user trial: the merge advice after every note's warning).
    /// Notes on the learner's own note types are pointed to the README's way back into Anki,
    /// where a default import of `all.apkg` reports them as conflicting; notes already on
    /// Syllabus's types, or without a GUID (Quizlet), need no such step.
    func testAdviceIsGivenOnceAfterTheWarnings() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #notetype column:2
            #deck column:3
            e1\tBasic (extra)\tAWS::Lambda\tLambda's longest timeout?\t15 minutes\tsee the quotas page
            e2\tBasic (extra)\tAWS::Lambda\tLambda's default timeout?\t"3 seconds <img src=""a.png"">"\tsee the docs
            e3\tBasic (and reversed card)\tAWS::Lambda\tLambda's memory maximum?\t"10 GB <img src=""b.png"">"
            e4\tSyllabus Basic\tAWS::Lambda\tWhere does Lambda keep /tmp?\tIn the execution environment.\thttps://x.example/l.html\te4

            """)
        let plan = try CardImporter(fixture.importOptions("deck.txt")).plan()
        let report = CardImporter.report(plan, dryRun: false)
        let warnings = report.components(separatedBy: "\n").drop { !$0.hasPrefix("Warnings (") }.dropFirst().prefix { $0.hasPrefix("  ") }
        XCTAssertEqual(warnings.count, 5, "2 notes' extra fields, 1 note type's reverse card, 2 pictures: \(report)")
        XCTAssertFalse(CardImporter.missingPictureAdvice(.apkg).contains(".apkg"), "a package's import does not send the learner to a package")
        for advice in [CardImporter.missingPictureAdvice(.anki), CardImporter.intoAnkiAdvice(notes: 3),
                       CardImporter.changeToBasicAdvice(["Basic (extra)", "Basic (and reversed card)"])] {
            XCTAssertEqual(report.components(separatedBy: advice).count, 2, "once: \(advice)\n\(report)")
            XCTAssertTrue(report.contains("\n" + advice + "\n"), "on a line of its own, after the warnings: \(report)")
        }
        XCTAssertFalse(warnings.contains { $0.contains("Merge note types") || $0.contains("collection.media") }, report)
        XCTAssertTrue(CardImporter.changeToBasicAdvice(["Basic (extra)"]).contains(" the notes of note type \"Basic (extra)\": all.tsv leaves them out"))
        XCTAssertTrue(CardImporter.changeToBasicAdvice(["A", ""]).contains(" the notes of note type \"A\" and the notes with more than two fields: "))

        try fixture.write("own.txt", "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\ns1\tSyllabus Basic\tQ?\tA.\t\ts1\n")
        let quizlet = fixture.root.appendingPathComponent("quizlet.txt")
        try "Q?\tA.\n".write(to: quizlet, atomically: true, encoding: .utf8)
        for other in [try CardImporter(fixture.importOptions("own.txt")).plan(), try CardImporter(fixture.importOptions("quizlet.txt")).plan()] {
            XCTAssertEqual(CardImporter.advice(other), [], CardImporter.report(other, dryRun: true))
        }
    }

    /// One deck whose notes go to several card files (by the services their text names) is
    /// said where the files are listed, each file with its count; a deck in one file is not
    /// (found by a fresh-user trial: one deck became two files without a word). The notes no
    /// service claims are said in one sentence naming the file and why.
    func testADeckSplitOverFilesIsSaidWithTheFiles() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #deck column:2
            s1\tServerless\tHow long may AWS Lambda run?\t15 minutes.
            s2\tServerless\tWhat does Amazon SQS keep?\tMessages.
            s3\tServerless\tAWS Lambda's memory?\t10 GB.
            s4\tTheory\tWhat is CAP?\tConsistency, availability, partition tolerance.
            s5\tAWS::Lambda\tLambda's default timeout?\t3 seconds.

            """)
        let report = CardImporter.report(try CardImporter(fixture.importOptions("deck.txt")).plan(), dryRun: true)
        XCTAssertTrue(report.contains("""
              Content/imported-deck.cards.md         1 note (1 new, 0 updated)  ← General
              deck "Serverless" → lambda/imported-deck.cards.md (2 notes), sqs/imported-deck.cards.md (1 note)
            Content/imported-deck.cards.md (General) gets 1 note as neither its deck (Theory) nor its text names a service of services.yml.

            """), report)
        XCTAssertFalse(report.contains("deck \"AWS::Lambda\"") || report.contains("deck \"Theory\""), report)
    }

    /// When the learner's decks have another root than `deck:` of syllabus.yml, the report says
    /// where new cards will go in Anki and which `deck:` keeps them with the learner's (found by
    /// a fresh-user trial: new cards went to "AWS DVA-C02::Lambda" beside "AWS::Lambda"); with
    /// that root already, it says nothing of decks.
    func testTheReportSaysWhichDeckKeepsNewCardsWithTheLearners() throws {
        let deck = """
            #separator:tab
            #html:true
            #guid column:1
            #deck column:2
            s1	AWS::Lambda	How long may AWS Lambda run?	15 minutes.
            s2	AWS::SQS	What does Amazon SQS keep?	Messages.
            s3	Misc	What is CAP?	Consistency, availability, partition tolerance.

            """
        for (root, advised) in [("AWS DVA-C02", true), ("AWS", false)] {
            let fixture = try Fixture([:], services: Fixture.lambdaAndSQS, config: "title: Test\ndeck: \(root)\noutputs: [site, anki]\n")
            defer { try? FileManager.default.removeItem(at: fixture.root) }
            try fixture.write("deck.txt", deck)
            let report = CardImporter.report(try CardImporter(fixture.importOptions("deck.txt")).plan(), dryRun: true)
            XCTAssertEqual(report.contains("""
                Decks: your notes are under "AWS" in Anki and stay there when the built decks go back; a new card goes to \
                "AWS DVA-C02::<service>" (deck: in syllabus.yml). To keep new cards with yours, set deck: AWS.
                """), advised, report)
            XCTAssertEqual(report.contains("Decks:"), advised, report)
        }
    }

    /// Anki names the default deck in the profile's language when it makes a collection, and
    /// a text export (no deck ids) writes that name: "Standard" (German), "Par défaut", "既定"
    /// are the catch-all as "Default" is, and add no `deck::` tag; a deck nested under one, or
    /// of another name, keeps its tag.
    func testTheDefaultDeckUnderItsLocalizedNamesAddsNoDeckTag() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", """
            #separator:tab
            #html:true
            #guid column:1
            #deck column:2
            #tags column:5
            e1	Default	What is CAP?	Consistency, availability, partition tolerance.	theory
            e2	Standard	What is ACID?	Atomicity, consistency, isolation, durability.	theory
            e3	Par défaut	What is BASE?	Basically available.	theory
            e4	既定	What is PACELC?	Latency or consistency.	theory
            e5	Standard::Theory	What is 2PC?	Two-phase commit.	theory
            e6	Standards	What is Raft?	A consensus protocol.	theory

            """)
        let options = fixture.importOptions("deck.txt")
        try CardImporter(options).write(try CardImporter(options).plan())
        let general = try fixture.read("Content/imported-deck.cards.md")
        for id in ["e1", "e2", "e3", "e4"] {
            XCTAssertTrue(general.contains("<!-- id: \(id) -->\n<!-- tags: theory -->\n"), "\(id): \(general)")
        }
        XCTAssertTrue(general.contains("<!-- id: e5 -->\n<!-- tags: theory deck::standard::theory -->\n"), general)
        XCTAssertTrue(general.contains("<!-- id: e6 -->\n<!-- tags: theory deck::standards -->\n"), general)
    }

    /// Import diagnostics say where a learner finds the problem: a package has no lines, so a
    /// note is located at the line of its position (the trial saw every note at `deck.apkg:1:1`)
    /// and named by position, first field, the `nid:` search that finds it in Anki, GUID and
    /// the field that lost formatting; a
    /// missing picture is reported in the card file a build will warn about, at the line and
    /// column of its `![`, with its folder, or, in a dry run, at the note that links it. (Trials saw `deck.apkg:8:1` with only a GUID, then
    /// every note at `deck.apkg:1:1`, and `imported-deck.cards.md:1:1`.)
    func testImportDiagnosticsLocateNotesInPackagesAndPicturesInCardFiles() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let notes = [
            AnkiNote(id: 1, guid: "g1", type: .basic, deck: "Mine::Lambda", fields: ["What is <b>it</b>?", "Code."],
                     tags: [], modified: 1, cardOrdinals: [0], cardIDs: [11], due: 0),
            AnkiNote(id: 2, guid: "g2", type: .basic, deck: "Mine::Lambda", fields: ["How much <u>memory</u>?", "Up to <sub>10</sub> GB <img src=\"missing.png\">."],
                     tags: [], modified: 1, cardOrdinals: [0], cardIDs: [12], due: 1),
        ]
        try fixture.write("deck.apkg", try AnkiPackage.make(notes: notes, media: []))
        let options = fixture.importOptions("deck.apkg")
        let plan = try CardImporter(options).plan()
        let cardFile = SourceLocation.displayPath(fixture.root.appendingPathComponent("Content/lambda/imported-deck.cards.md").path)
        XCTAssertEqual(plan.warnings.map(\.description), [
            "deck.apkg:2:1: warning: note 2 \"How much memory?\" (nid:2, GUID 'g2'): formatting Markdown cannot express was left out, "
                + "its text kept: <u> in field \"Front\", <sub> in field \"Back\"",
            "\(cardFile):17:13: warning: picture 'missing.png' is not in the export; the card links to it",
        ])
        XCTAssertEqual(plan.files.first?.text.components(separatedBy: "\n")[16], "Up to 10 GB ![](missing.png).")
        CardImporter(options).discard(plan)

        // A dry run writes no card file: a missing picture is reported at the note of the
        // export that links it, and the field it is in (a trial saw the unwritten card file).
        var dryRun = options
        dryRun.dryRun = true
        let shown = try CardImporter(dryRun).plan()
        XCTAssertEqual(shown.warnings.last?.description, "deck.apkg:2:1: warning: note 2 \"How much memory?\" (nid:2, GUID 'g2'): "
                       + "picture 'missing.png' is not in the export; the card links to it (in field \"Back\")")
        CardImporter(dryRun).discard(shown)
        try fixture.write("deck.txt", "#separator:tab\n#html:true\n#guid column:1\nt1\tWhat is AWS Lambda?\tSee <img src=\"gone.png\">.\n")
        var text = fixture.importOptions("deck.txt")
        text.dryRun = true
        XCTAssertEqual(try CardImporter(text).plan().warnings.map(\.description),
                       ["deck.txt:4:1: warning: picture 'gone.png' is not in the export; the card links to it (in the back)"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Content/lambda/imported-deck.cards.md").path))
        // Already beside the card file (an earlier import of the package copied it): the card
        // shows it, so there is nothing to say (a trial was told to copy a file that was there).
        try fixture.write("Content/lambda/gone.png", "png")
        XCTAssertEqual(try CardImporter(text).plan().warnings.map(\.description), [])
    }

    /// The report of a package import (a fresh-user trial): a note imported with a change (its
    /// underline lost) is listed as imported with a change, not as skipped; both lists follow
    /// the package's order (the trial saw 2:1, 1:1, 3:1); a note skipped for its GUID is not
    /// also listed as changed.
    func testPackageImportReportListsChangedNotesApartAndInPackageOrder() throws {
        let fixture = try Fixture(["lambda/mine.cards.md": "## Mine\n<!-- id: taken -->\n\nBack.\n"], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let notes = [
            AnkiNote(id: 1, guid: "taken", type: .basic, deck: "Mine", fields: ["What is <u>Lambda</u>?", "Compute."],
                     tags: [], modified: 1, cardOrdinals: [0], cardIDs: [11], due: 0),
            AnkiNote(id: 2, guid: "mc", type: .multipleChoice, deck: "Mine", fields: ["Which runs code?", "A. Lambda", "A", "It does.", "", ""],
                     tags: [], modified: 1, cardOrdinals: [0], cardIDs: [12], due: 1),
            AnkiNote(id: 3, guid: "io", type: .cloze, deck: "Mine", fields: ["{{c1::image-occlusion:rect:left=.1:top=.2:width=.3:height=.4}}", ""],
                     tags: [], modified: 1, cardOrdinals: [0], cardIDs: [13], due: 2),
            AnkiNote(id: 4, guid: "q4", type: .basic, deck: "Mine", fields: ["What is <u>SQS</u>?", "A queue."],
                     tags: [], modified: 1, cardOrdinals: [0], cardIDs: [14], due: 3),
        ]
        try fixture.write("deck.apkg", try AnkiPackage.make(notes: notes, media: []))
        let options = fixture.importOptions("deck.apkg")
        let plan = try CardImporter(options).plan()
        defer { CardImporter(options).discard(plan) }
        XCTAssertEqual(plan.notes, 1)
        XCTAssertEqual(plan.skipped.map { "\($0.location.line): \($0.message.contains("image occlusion") ? "occlusion" : $0.message.contains("practice-exam question") ? "question" : $0.message)" },
                       ["2: question", "3: occlusion"])
        XCTAssertEqual(plan.inSet.map(\.front), ["What is Lambda?"], "note 1 is the set's card")
        XCTAssertEqual(plan.warnings.map(\.location.line), [4], "note 1's lost <u> is no change: it was not imported; note 4's is")
        let report = CardImporter.report(plan, dryRun: true)
        XCTAssertTrue(report.contains("Skipped 2:\n  deck.apkg:2:1: "), report)
        XCTAssertTrue(report.contains("Warnings (1):\n  deck.apkg:4:1: "), report)
    }

    /// Importing an export of the set's own deck again (a fresh-user trial) printed one
    /// "Skipped" line per note, a screen of them for a whole guide: they are one line, with
    /// the count, the kinds, and the first three fronts with where the set has them.
    func testNotesOfTheSetsOwnAreOneLineOfTheReport() throws {
        let cards = (1...5).map { "## Question \($0)?\n\nAnswer \($0).\n" }.joined(separator: "\n")
        let fixture = try Fixture(["lambda/own.cards.md": "# Own\n\n" + cards,
                                   "lambda/practice.exam.md": "---\ndomain: build\n---\n\n# Practice\n\n## Which one?\n\nPick.\n\n- [ ] No.\n- [x] Yes.\n"],
                                  services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("Content/exam.yml", ExamQuestionTests.examYAML)
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }, [])
        let rows = set.studySet.cards.map { "\($0.guid)\tBasic\t<b>\($0.frontText)</b>\tback" }
            + set.studySet.questions.map { "\($0.guid)\tBasic\tWhich one?\tPick." }
        XCTAssertEqual(rows.count, 6)
        try fixture.write("deck.txt", "#separator:tab\n#guid column:1\n#notetype column:2\n" + rows.joined(separator: "\n") + "\n")
        let plan = try CardImporter(fixture.importOptions("deck.txt")).plan()
        XCTAssertEqual(plan.notes, 0)
        let report = CardImporter.report(plan, dryRun: true)
        let file = SourceLocation.displayPath(fixture.root.appendingPathComponent("Content/lambda/own.cards.md").path)
        XCTAssertTrue(report.contains("\nAlready in the study set, left as they are: 6 notes (5 cards, 1 exam question): \"Question 1?\" at \(file):3:1, "
                                      + "\"Question 2?\" at \(file):7:1, \"Question 3?\" at \(file):11:1 and 3 more.\n"), report)
        XCTAssertTrue(report.contains("\nSkipped: none.\n"), report)
        XCTAssertEqual(report.components(separatedBy: "\n").filter { !$0.isEmpty }.count, 5, "five lines in all: \(report)")
    }

    /// A package note's fields after the second go to the back under their names, which are
    /// labels, not terms of the deck: written in italics, not in bold (which the set indexes),
    /// so the term index of an imported deck does not list "Extra" (a fresh-user trial's did);
    /// a bold word of the field itself is still a term.
    func testExtraFieldLabelsOfAPackageAreNoIndexTerms() throws {
        let back = AnkiPackageReading.appending([(name: "Extra", value: "A <b>visibility timeout</b> hides it.")], to: "A queue.")
        let note = ImportedNote(guid: "q1", kind: .basic, fields: ["What is SQS?", back], fieldNames: ["Front", "Back"])
        var warnings: [Diagnostic] = [], skipped: [Diagnostic] = []
        let card = try XCTUnwrap(CardImporter.card(note, isHTML: true, file: "deck.apkg", warnings: &warnings, skipped: &skipped))
        XCTAssertTrue(card.text.hasSuffix("A queue.\\\n*Extra*: A **visibility timeout** hides it.\n"), card.text)
        let fixture = try Fixture(["sqs/imported-deck.cards.md": "# Imported\n\n" + card.text], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics, [])
        let terms = Set(set.terms.map(\.text))
        XCTAssertFalse(terms.contains("Extra"), "\(terms)")
        XCTAssertTrue(terms.contains("visibility timeout"), "\(terms)")
    }

    /// A file that cannot be imported at all is one error naming it, as the other commands
    /// word theirs (`error: <path>: <reason>`), not a report of nothing imported: a package
    /// that is no zip archive, a missing package or text export.
    func testUnreadableImportFileIsOneError() throws {
        let fixture = try Fixture([:], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("fake.apkg", "not a zip\n")
        for (file, message) in [("fake.apkg", "error: fake.apkg: is not an Anki package: not a zip archive"),
                                ("absent.apkg", "error: absent.apkg: no such file"), ("absent.txt", "error: absent.txt: no such file")] {
            let result = try CLI.run(["import", file, "--dry-run"], in: fixture.root)
            XCTAssertEqual(result.status, 1, file)
            XCTAssertTrue(result.err.hasPrefix(message), "\(file): \(result.err)")
            XCTAssertEqual(result.err.components(separatedBy: "\n").filter { !$0.isEmpty }.count, 1, result.err)
            XCTAssertEqual(result.out, "", "\(file): no report: \(result.out)")
        }
        // The configuration the set's own cards are found under: a file named must be there.
        try fixture.write("deck.txt", "#separator:tab\nWhat is SQS?\tA queue.\n")
        let named = try CLI.run(["import", "deck.txt", "--config", "missing.yml", "--dry-run"], in: fixture.root)
        XCTAssertEqual(named.status, 1)
        XCTAssertEqual(named.err, "missing.yml:1:1: error: no such configuration file\n")
        XCTAssertEqual(try CLI.run(["import", "deck.txt", "--config", "syllabus.yml", "--dry-run"], in: fixture.root).status, 0)
    }

    /// A note the analysis leaves out for its error (here a byte that is not UTF-8) takes its
    /// cards' GUIDs with it: importing an export of the set's own deck would add them again
    /// as new cards. With errors in the set, an export with GUIDs is refused, naming each
    /// error at its `file:line:column`, and nothing is written; one without GUIDs (Quizlet)
    /// compares nothing and is imported.
    func testAStudySetWithErrorsRefusesAnExportWithGUIDsAndSaysWhere() throws {
        let fixture = try Fixture(["sqs/queues.cards.md": "# Queues\n\n## What is SQS?\n\nA queue.\n"], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("Content/lambda/functions.cards.md", Data("# Functions\n\n## What runs code?\n\nLambda, caf".utf8) + Data([0xE9]) + Data(".\n".utf8))
        let guid = Card.guid(pinnedID: nil, serviceID: "lambda", frontText: "What runs code?")
        try fixture.write("deck.txt", "#separator:tab\n#guid column:1\n\(guid)\tWhat runs code?\tLambda.\n")
        let options = fixture.importOptions("deck.txt")
        XCTAssertThrowsError(try CardImporter(options).plan()) { error in
            let refusal = error as? ImportError
            XCTAssertEqual(refusal?.diagnostics.map(\.description),
                           [SourceLocation.displayPath(fixture.root.appendingPathComponent("Content/lambda/functions.cards.md").path)
                            + ":5:12: error: file is not valid UTF-8"])
            XCTAssertTrue(refusal?.message.hasPrefix("the study set has 1 error (above), so the notes of deck.txt that are its own cards cannot all be found") == true,
                          "\(error)")
            XCTAssertTrue(refusal?.message.hasSuffix("nothing was imported") == true, "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Content/lambda/imported-deck.cards.md").path))

        try fixture.write("quizlet.txt", "What is SNS?\tA topic.\n")
        let quizlet = try CardImporter(fixture.importOptions("quizlet.txt")).plan()
        XCTAssertEqual(quizlet.notes, 1, "no GUID to compare")
    }

    /// `--service` puts every card in one service; a GUID that is already a card's id in another
    /// file is reported and left there.
    func testForcedServiceAndGUIDAlreadyInContent() throws {
        let fixture = try Fixture(["sqs/mine.cards.md": "## Mine\n<!-- id: g:2 -->\n\nBack.\n"], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("deck.txt", "#separator:tab\n#guid column:1\ng:1\tA\tB\ng:2\tC\tD\n")
        var options = fixture.importOptions("deck.txt")
        options.service = "lambda"
        let plan = try CardImporter(options).plan()
        XCTAssertEqual(plan.files.map(\.path), ["lambda/imported-deck.cards.md"])
        XCTAssertEqual(plan.notes, 1)
        XCTAssertEqual(plan.skipped, [])
        let report = CardImporter.report(plan, dryRun: true)
        XCTAssertTrue(report.contains("\nAlready in the study set, left as it is: 1 note (1 card): \"C\" at "
                                      + SourceLocation.displayPath(fixture.root.appendingPathComponent("Content/sqs/mine.cards.md").path) + ":2:1.\n"),
                      report)
        XCTAssertTrue(report.contains("Would import 1 note (0 cloze) from deck.txt (anki)"), report)
        XCTAssertTrue(report.contains("Nothing was written (--dry-run)."), report)
    }

    /// The same deck exported another way (a package after a text export) keeps its GUIDs: a
    /// card an earlier import wrote is updated in its file; importing it again says nothing changed.
    func testSameGUIDFromAnotherExportUpdatesTheImportedCardInPlace() throws {
        let earlier = "---\ntitle: \"Imported from My Deck.txt\"\n---\n\n# Imported from My Deck.txt\n\n## Old front\n<!-- id: q3 -->\n\nOld back.\n"
        let fixture = try Fixture(["sqs/imported-my-deck.cards.md": earlier], services: Fixture.lambdaAndSQS)
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        try fixture.write("mydeck.txt", "#separator:tab\n#guid column:1\nq3\tNew front\tNew back\n")
        let options = fixture.importOptions("mydeck.txt")
        let plan = try CardImporter(options).plan()
        XCTAssertEqual(plan.skipped, [])
        XCTAssertEqual(plan.files.map(\.path), ["sqs/imported-my-deck.cards.md"])
        XCTAssertEqual(plan.files.map { [$0.added, $0.updated] }, [[0, 1]])
        try CardImporter(options).write(plan)
        let text = try fixture.read("Content/sqs/imported-my-deck.cards.md")
        XCTAssertTrue(text.contains("## New front") && text.contains("New back") && !text.contains("Old back"), text)
        XCTAssertEqual(text.components(separatedBy: "q3").count, 2, text)

        let again = try CardImporter(options).plan()
        let report = CardImporter.report(again, dryRun: false)
        XCTAssertTrue(report.hasPrefix("Nothing to import: 1 note from mydeck.txt (anki) already up to date:"), report)
        XCTAssertTrue(report.contains("(0 new, 0 updated)"), report)
    }
}

extension Fixture {
    /// Options that import `name`, a file at the fixture's root, into the fixture's study set.
    func importOptions(_ name: String) -> CardImporter.Options {
        CardImporter.Options(file: root.appendingPathComponent(name), studySet: options)
    }
}
