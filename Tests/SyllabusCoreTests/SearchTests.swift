import Foundation
import XCTest
import ZIPFoundation
@testable import SyllabusCore

/// Full-text search: what the index holds (built in memory), and the search box, the results
/// page and the highlighting in headless Chromium from `file://` (built by the executable).
final class SearchTests: XCTestCase {
    static let content: [String: String] = [
        "sqs/overview.md": """
            # Queue basics

            A consumer hides a message for the visibility timeout while it works on it.

            ## Dead-letter queues

            After maxReceiveCount receives, SQS moves a message to a DLQ.

            """,
        "lambda/polling.md": """
            # Polling queues

            Lambda polls a Simple Queue Service queue in batches and retries with exponential backoff.

            """,
        "lambda/function-timeout.md": """
            # Function timeout

            The timeout stops a function after at most 15 minutes.

            """,
        // A word several pages use, and a rare word it starts (a guide's code words).
        "lambda/global-tables.md": """
            # Global tables

            Global tables copy a table to other Regions.

            """,
        "lambda/layers.md": """
            # Layers

            A global setting applies to every function.

            """,
        "lambda/extensions.md": """
            # Extensions

            Global variables survive between invocations.

            """,
        "lambda/create-an-index.md": """
            # Step 6: Create an index

            List the globalsecondaryindexes of the tables.

            """,
        "lambda/cold-starts.md": """
            # Cold starts

            Provisioned concurrency keeps environments warm, so no timeout is spent on a cold start.

            """,
        "lambda/lambda.cards.md": """
            # Lambda cards

            ## Lambda writes temporary files to {{c1::/tmp::folder}}.
            <!-- id: lambda-tmp -->

            Ephemeral storage, up to 10 GB.

            ## What does ==reserved concurrency== guarantee?

            A floor and a ceiling of concurrent executions.

            """,
    ]

    // MARK: The index

    /// The index files of the fixture, parsed: the documents, the words and each word's
    /// postings (document titles), and each document's text.
    struct Index {
        var titles: [String]
        var paths: [String]
        var words: [String]
        var postings: [String: [String]]
        var texts: [String: String]
        var services: [[String]]
    }

    /// The bytes a part's script holds: base 85, then inflated.
    static func unpack(_ script: String) throws -> [UInt8] {
        let start = try XCTUnwrap(script.range(of: "] = ["))
        let comma = try XCTUnwrap(script[start.upperBound...].firstIndex(of: ","))
        let length = try XCTUnwrap(Int(script[start.upperBound..<comma]))
        let text = Array(script[script.index(comma, offsetBy: 2)...].prefix { $0 != "\"" }.utf8)
        XCTAssertEqual(text.count % 5, 0)
        let digits = Dictionary(uniqueKeysWithValues: SearchIndex.base85Alphabet.enumerated().map { ($1, UInt32($0)) })
        var deflated: [UInt8] = []
        for group in stride(from: 0, to: text.count, by: 5) {
            let value = try text[group..<(group + 5)].reduce(UInt32(0)) { $0 * 85 + (try XCTUnwrap(digits[$1])) }
            deflated += [UInt8(value >> 24), UInt8(value >> 16 & 255), UInt8(value >> 8 & 255), UInt8(value & 255)]
        }
        let data = Data(deflated.prefix(length))
        var inflated = Data()
        _ = try Data.decompress(size: Int64(data.count), bufferSize: 1 << 16, skipCRC32: true, provider: { position, size in
            data.subdata(in: min(Int(position), data.count)..<min(Int(position) + size, data.count))
        }, consumer: { inflated.append($0) })
        return [UInt8](inflated)
    }

    static func payload(_ script: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(try unpack(script)), options: [.fragmentsAllowed])
    }

    func buildIndex(_ files: [String: String] = SearchTests.content) async throws -> Index {
        let fixture = try Fixture(files, services: Fixture.lambdaAndSQS)
        let (set, diagnostics) = fixture.analyze()
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.map(\.description), [])
        let templates = try await TemplateSet.load(from: fixture.templatesRoot)
        let output = try SiteRenderer(templates: templates).render(set, diagnostics: DiagnosticLog())
        var parts: [String: String] = [:]
        for file in output where file.path.hasPrefix("site/assets/search/") {
            let name = String(file.path.dropFirst("site/assets/search/".count).dropLast(3))
            parts[name] = String(decoding: try file.contents, as: UTF8.self)
        }
        let main = try XCTUnwrap(Self.payload(try XCTUnwrap(parts["index"])) as? [String: Any])
        let docs = try XCTUnwrap(main["docs"] as? [[Any]])
        let titles = docs.map { $0[0] as! String }
        var words: [String] = []
        for coded in (main["words"] as! String).split(separator: " ") {
            let shared = SearchIndex.sharedDigits.firstIndex(of: coded.first!)!
            words.append(String(decoding: Array((words.last ?? "").utf16.prefix(shared)) + Array(coded.dropFirst().utf16), as: UTF16.self))
        }
        let starts = main["postings"] as! [Int]
        var postings: [String: [String]] = [:]
        for (shard, start) in starts.enumerated() {
            let bytes = try Self.unpack(try XCTUnwrap(parts["p\(shard)"]))
            var position = 0
            func next() -> Int {
                var value = 0, shift = 0
                while true {
                    let byte = bytes[position]
                    position += 1
                    value |= Int(byte & 0x7F) << shift
                    if byte < 0x80 { return value }
                    shift += 7
                }
            }
            var word = start
            while position < bytes.count {
                var doc = 0
                postings[words[word]] = (0..<next()).map { _ in
                    let gap = next()
                    doc += gap >> 1
                    if gap & 1 == 1 { _ = next() }
                    return titles[doc]
                }
                word += 1
            }
        }
        var texts: [String: String] = [:]
        for (shard, start) in (main["texts"] as! [Int]).enumerated() {
            for (offset, text) in (try Self.payload(try XCTUnwrap(parts["t\(shard)"])) as! [String]).enumerated() {
                texts[titles[start + offset]] = text
            }
        }
        return Index(titles: titles, paths: docs.map { $0[1] as! String }, words: words, postings: postings, texts: texts,
                     services: main["services"] as! [[String]])
    }

    func testIndexHoldsEveryWordOfNotesCardBacksAndServicePages() async throws {
        let index = try await buildIndex()
        XCTAssertEqual(Set(index.titles), ["Queue basics", "Polling queues", "Function timeout", "Cold starts", "Lambda cards",
                                           "Global tables", "Layers", "Extensions", "Step 6: Create an index",
                                           "AWS Lambda", "Amazon Simple Queue Service"])
        XCTAssertEqual(index.paths[index.titles.firstIndex(of: "AWS Lambda")!], "lambda/index.html")
        XCTAssertEqual(index.postings["visibility"], ["Queue basics"])
        XCTAssertEqual(index.postings["maxreceivecount"], ["Queue basics"], "words are lowercased")
        XCTAssertEqual(index.postings["ephemeral"], ["Lambda cards"], "a card's back is indexed")
        XCTAssertEqual(index.postings["floor"], ["Lambda cards"])
        XCTAssertEqual(index.postings["backoff"], ["Polling queues"])
        XCTAssertEqual(Set(index.postings["timeout"] ?? []), ["Queue basics", "Function timeout", "Cold starts"])
        XCTAssertEqual(Set(index.postings["compute"] ?? []), ["AWS Lambda"], "a service page is indexed with its category")
        XCTAssertEqual(index.words, index.words.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    }

    func testIndexHoldsRevealedClozeTextAndNoCardMarkup() async throws {
        let index = try await buildIndex()
        XCTAssertEqual(index.postings["tmp"], ["Lambda cards"], "a cloze deletion is indexed as its text")
        XCTAssertEqual(index.postings["reserved"], ["Lambda cards"], "==text== is indexed as its text")
        for markup in ["c1", "folder", "id"] {
            XCTAssertNil(index.postings[markup], "'\(markup)' of the card markup reached the index")
        }
        let text = try XCTUnwrap(index.texts["Lambda cards"])
        XCTAssertTrue(text.contains("Lambda writes temporary files to /tmp."), text)
        XCTAssertTrue(text.contains("What does reserved concurrency guarantee?"), text)
        for markup in ["{{", "}}", "::", "==", "<!--", "lambda-tmp"] {
            XCTAssertFalse(text.contains(markup), "snippet text holds '\(markup)': \(text)")
        }
        // An inline card's `::` is not kept either.
        let inline = try await buildIndex(["lambda/inline.md": "# Inline\n\nWhat is the default timeout? :: Three seconds.\n"])
        XCTAssertEqual(inline.texts["Inline"], "What is the default timeout? – Three seconds.", "and the title is not repeated")
    }

    /// The snippet text is every block's text on a line of its own, runs of spaces collapsed
    /// (code keeps a line per line, its indentation gone); inline HTML is left out; a
    /// dash joins an inline card's sides after any letter; and the JSON that carries it holds
    /// nothing a `<script>` element would end at or read another way.
    func testSnippetTextIsOneLinePerBlockAndSafeInAScript() async throws {
        let index = try await buildIndex(["lambda/shapes.md": """
            # Shapes

            ## The `handler`   field

            A first line
            and   a <b>second</b> one.

            ```
            def handler(event):
                return "ok"\t# done

              </script> & \u{2028}
            ```

            | Setting | Value |
            | --- | --- |
            | Memory | 128 MB |

            Une question d'été :: Une réponse.

            """])
        XCTAssertEqual(index.texts["Shapes"], """
            The handler field
            A first line and a second one.
            def handler(event):
            return "ok" # done
            </script> & \u{2028}
            Setting
            Value
            Memory
            128 MB
            Une question d'été – Une réponse.
            """)
        XCTAssertEqual(index.postings["handler"], ["Shapes"])
        XCTAssertEqual(index.postings["reponse"], ["Shapes"], "folded as a query is; the snippet keeps the accent")
        let fixture = try Fixture(["lambda/shapes.md": "# Shapes\n\n\"Quoted\" \\ `</script>` & \u{2028}\u{2029}\n"],
                                  services: Fixture.lambdaAndSQS)
        let templates = try await TemplateSet.load(from: fixture.templatesRoot)
        let output = try SiteRenderer(templates: templates).render(fixture.analyze().0, diagnostics: DiagnosticLog())
        let shards = output.filter { $0.path.hasPrefix("site/assets/search/t") }
        let json = try shards.map { String(decoding: try Self.unpack(String(decoding: $0.contents, as: UTF8.self)), as: UTF8.self) }
            .joined()
        XCTAssertTrue(json.contains(#""\"Quoted\" \\ \u003c\/script\u003e \u0026 \u2028\u2029""#), json)
    }

    /// A picture is its alt text in the snippet, read as text (emphasis, escapes and entities
    /// resolved; no `![`, URL or title), wherever it stands; `==…==` in a note, which the page
    /// shows as written, is its words, never the cloze markup it stands for on a card.
    func testPicturesAndHighlightsReadAsTextInSnippets() async throws {
        let index = try await buildIndex(["lambda/pictures.md": #"""
            # Pictures

            See ![Request *flow* \[v2\] R&amp;D](img/flow.png "Title") and ![by reference][flow] here.

            [![build badge](img/flow.png)](https://example.com/ci) ![](img/flow.png)

            | Step | Picture |
            | --- | --- |
            | 1 | ![cell picture](img/flow.png) |

            A ==highlighted== word.

            [flow]: img/flow.png

            """#, "lambda/img/flow.png": "png"])
        XCTAssertEqual(index.texts["Pictures"], """
            See Request flow [v2] R&D and by reference here.
            build badge
            Step
            Picture
            1
            cell picture
            A highlighted word.
            """)
    }

    func testServiceNamesAreSynonyms() async throws {
        let index = try await buildIndex()
        // The SQS page says "SQS", the polling page "Simple Queue Service": both are filed
        // under the service, as is the service's own page.
        XCTAssertEqual(Set(index.postings["~sqs"] ?? []), ["Queue basics", "Polling queues", "Amazon Simple Queue Service"])
        XCTAssertNil(index.postings["~sqs"]?.first { $0 == "Function timeout" })
        XCTAssertTrue(index.services.contains(["~sqs", "amazon simple queue service", "simple queue service", "sqs", "amazon sqs"]), "\(index.services)")
        // Only whole names count: "queues" alone names no service.
        XCTAssertFalse(index.postings["~sqs"]!.contains("Lambda cards"))
    }

    func testSearchCanBeTurnedOff() async throws {
        let fixture = try Fixture(Self.content, services: Fixture.lambdaAndSQS, config: "title: T\ndeck: T\noutputs: [site]\nsearch: false\n")
        let (set, _) = fixture.analyze()
        XCTAssertEqual(set.pages.first?.linkFacts.searchText.text, "", "no words are gathered for an index")
        let output = try SiteRenderer(templates: try await TemplateSet.load(from: fixture.templatesRoot)).render(set, diagnostics: DiagnosticLog())
        XCTAssertFalse(output.contains { $0.path.hasPrefix("site/assets/search/") || $0.path == "site/search.html" })
        let page = try XCTUnwrap(output.first { $0.path == "site/lambda/polling.html" })
        let html = String(decoding: try page.contents, as: UTF8.self)
        XCTAssertFalse(html.contains("search-input"), "no search box")
        XCTAssertFalse(html.contains("search.js"))
    }

    // MARK: Rebuilds

    /// `count` documents of made-up prose (a few hundred words each from a vocabulary of
    /// about 5,000), the same on every run: enough for several postings and text shards.
    static func proseDocuments(_ count: Int, seed: UInt64 = 1) -> [SearchIndex.Document] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let vocabulary = (0..<5_000).map { "w\(String($0, radix: 36))x" } + ["lambda", "queue", "timeout", "Amazon SQS"]
        return (0..<count).map { doc in
            let lines = (0..<(4 + next(8))).map { line -> String in
                let words = (0..<(10 + next(60))).map { _ in vocabulary[min(next(vocabulary.count), next(vocabulary.count) * 3 % vocabulary.count)] }
                return (line % 3 == 0 ? "\u{1}" : "") + words.joined(separator: " ")
            }
            let text = lines.joined(separator: "\n")
            return SearchIndex.Document(title: "Note \(doc)", path: "s/n\(doc).html", service: "S", text: text,
                                        key: "k\(doc) \(SearchIndex.hash(text))")
        }
    }

    /// An index made as a rebuild makes it, from the last build's files and state: each file
    /// and how it came (`kept`, `copied` or `made`).
    struct Rebuilt {
        var files: [String: (key: String, text: String)] = [:]
        var how: [String: String] = [:]
        var state = SearchIndex.State()
        /// The state the build kept, as written, and in how many pieces (nil: it kept the last one).
        var stateBytes: [UInt8]?
        var statePieces = 0
    }

    static func rebuild(_ documents: [SearchIndex.Document], after last: Rebuilt) throws -> Rebuilt {
        let catalog = [Service(id: "sqs", name: "Amazon Simple Queue Service", short: "SQS", aliases: ["Amazon SQS"], category: "Integration")]
        var result = Rebuilt()
        // Small shards: many of them for a small test.
        let made = try SearchIndex.files(documents, services: catalog, environment: "test", previous: last.state, shardSizes: (16_000, 24_000),
            reuse: { name, key in last.files[name]?.key == key },
            copy: { name, key in
                guard let (old, file) = last.files.first(where: { $0.value.key == key && $0.key.first == name.first }) else { return nil }
                return SearchIndex.renamed(file.text, from: old, to: name)
            })
        for file in made.files {
            if let text = file.text {
                result.files[file.name] = (file.key, text)
                result.how[file.name] = last.files.values.contains { $0.key == file.key } ? "copied" : "made"
            } else {
                result.files[file.name] = try XCTUnwrap(last.files[file.name])
                result.how[file.name] = "kept"
            }
        }
        result.state = made.state.map { SearchIndex.State($0.bytes, environment: "test") } ?? last.state
        (result.stateBytes, result.statePieces) = (made.state?.bytes, made.state?.chunks.count ?? 0)
        return result
    }

    func assertLikeAFreshIndex(_ rebuilt: Rebuilt, _ documents: [SearchIndex.Document], file: StaticString = #filePath, line: UInt = #line) throws {
        let fresh = try Self.rebuild(documents, after: Rebuilt())
        XCTAssertEqual(rebuilt.files.keys.sorted(), fresh.files.keys.sorted(), file: file, line: line)
        for (name, made) in fresh.files {
            XCTAssertEqual(rebuilt.files[name]?.text, made.text, "\(name) differs from a fresh index", file: file, line: line)
        }
    }

    func testARebuildMakesOnlyWhatAnEditChangesAndEqualsAFreshIndex() throws {
        var documents = Self.proseDocuments(400)
        let first = try Self.rebuild(documents, after: Rebuilt())
        let postings = first.files.keys.filter { $0.hasPrefix("p") }, texts = first.files.keys.filter { $0.hasPrefix("t") }
        XCTAssertGreaterThan(postings.count, 3)
        XCTAssertGreaterThan(texts.count, 5)
        XCTAssertEqual(first.state.documents.count, documents.count, "the state holds every document's analysis")

        // Unchanged: every file stays, and the state the last build kept is still right.
        let same = try Self.rebuild(documents, after: first)
        XCTAssertEqual(Set(same.how.values), ["kept"])

        // One document edited: a word added that no other has, one dropped, another repeated.
        var text = documents[123].text.text
        text = text.replacingOccurrences(of: " ", with: " zyzzyva ", options: [], range: text.range(of: " "))
        text += " lambda lambda"
        documents[123].text = SearchText(text: text)
        documents[123].key = "k123 edited"
        let edited = try Self.rebuild(documents, after: same)
        try assertLikeAFreshIndex(edited, documents)
        XCTAssertEqual(edited.how["index"], "made")
        XCTAssertEqual(edited.how.filter { $0.key.hasPrefix("t") && $0.value != "kept" }.count, 1, "only the edited note's text shard")
        let madePostings = edited.how.filter { $0.key.hasPrefix("p") && $0.value != "kept" }.count
        XCTAssertGreaterThan(madePostings, 0)
        XCTAssertLessThan(madePostings, postings.count, "postings shards of words the edit did not touch stay")

        // The documents of the first text shard removed: later shards keep their documents
        // under new numbers and are copied, not compressed again; every posting moves.
        let index = try XCTUnwrap(Self.payload(edited.files["index"]!.text) as? [String: Any])
        let secondStart = try XCTUnwrap((index["texts"] as? [Int])?[1])
        documents.removeFirst(secondStart)
        let removed = try Self.rebuild(documents, after: edited)
        try assertLikeAFreshIndex(removed, documents)
        XCTAssertEqual(removed.how.filter { $0.key.hasPrefix("t") && $0.value != "copied" }, [:])

        // A new document, with words of its own.
        documents.insert(SearchIndex.Document(title: "New", path: "s/new.html", service: "S", text: "brand new words qwxz", key: "new"), at: 50)
        try assertLikeAFreshIndex(try Self.rebuild(documents, after: removed), documents)
    }

    /// What a state says, whatever the ids of its words: the words it lists, in order, and
    /// each document's words with their weights.
    static func meaning(of state: SearchIndex.State) -> (listed: [String], documents: [String: [String: UInt64]]) {
        var documents: [String: [String: UInt64]] = [:]
        for key in state.order {
            for entry in state.analysis(key)?.words ?? [] { documents[key, default: [:]][state.words[Int(entry >> 32)]] = entry & 0xFFFF_FFFF }
        }
        return (state.sorted.map { state.words[$0] }, documents)
    }

    /// Edits that keep every document in its place take the state's postings for the words
    /// they do not touch and make again those of the words they do (see `SearchIndex.State`),
    /// also when they bring a word no document had or take the last place of one away: after
    /// each, the index is a fresh one, and the state it keeps says what a fresh one says
    /// (the next rebuild from it is fresh too). Until a word comes or goes it is a fresh one
    /// byte for byte; the words keep their ids after that, so it is not.
    func testEditsInPlaceTakeTheStatesPostingsAndEqualAFreshIndex() throws {
        var documents = Self.proseDocuments(300)
        var last = try Self.rebuild(documents, after: Rebuilt())
        var keptWords = 0, vocabularyChanged = false
        func edit(_ doc: Int, _ text: String, line: UInt = #line) throws {
            documents[doc].text = SearchText(text: text)
            documents[doc].key = "k\(doc) \(SearchIndex.hash(text))"
            let listed = Self.meaning(of: last.state).listed
            last = try Self.rebuild(documents, after: last)
            try assertLikeAFreshIndex(last, documents, line: line)
            XCTAssertEqual(last.state.order, documents.map(\.key), line: line)
            let fresh = try Self.rebuild(documents, after: Rebuilt())
            let (kept, made) = (Self.meaning(of: last.state), Self.meaning(of: fresh.state))
            XCTAssertEqual(kept.listed, made.listed, line: line)
            XCTAssertEqual(kept.documents, made.documents, line: line)
            vocabularyChanged = vocabularyChanged || kept.listed != listed
            if !vocabularyChanged { XCTAssertTrue(last.stateBytes == fresh.stateBytes, "the state differs from a fresh one", line: line) }
            if kept.listed == listed { keptWords += 1 }
            // Written as runs of the last one's bytes around the records that changed.
            XCTAssertGreaterThan(last.statePieces, 3, "the last state's bytes are not taken as they are", line: line)
        }
        // Words other documents have: added, repeated, dropped.
        try edit(7, documents[7].text.text + " lambda queue timeout")
        try edit(7, documents[7].text.text + " lambda lambda")
        try edit(150, String(documents[150].text.text.prefix(40)))
        // Two documents at once, one taking another's title and text (and so its key's analysis).
        documents[299].title = documents[3].title
        documents[299].text = documents[3].text
        documents[299].key = documents[3].key
        try edit(8, documents[8].text.text + "\n\u{1}Amazon SQS timeout")
        // A word only one document has, then gone: the vocabulary changes both times.
        try edit(9, documents[9].text.text + " qqzzyyxx")
        try edit(9, documents[9].text.text.replacingOccurrences(of: " qqzzyyxx", with: ""))
        // Back to an earlier text, whose analysis the state no longer has.
        try edit(150, Self.proseDocuments(300)[150].text.text)
        // Two new words, one sorting first, and the dropped one back.
        try edit(10, documents[10].text.text + " 0000aaa qqzzyyxx zzzzzzzzz")
        XCTAssertGreaterThan(keptWords, 0, "no edit kept the words")
        XCTAssertTrue(vocabularyChanged)
        try edit(10, documents[10].text.text.replacingOccurrences(of: " zzzzzzzzz", with: ""))
        // A document removed: every word numbered again, in order, as a fresh state (the one
        // no document has left out).
        documents.remove(at: 20)
        last = try Self.rebuild(documents, after: last)
        try assertLikeAFreshIndex(last, documents)
        XCTAssertTrue(last.stateBytes == (try Self.rebuild(documents, after: Rebuilt()).stateBytes), "the state differs from a fresh one")
    }

    func testAStateOfAnotherEnvironmentOrDamagedIsNotRead() throws {
        let documents = Self.proseDocuments(20)
        let made = try SearchIndex.files(documents, services: [], environment: "one")
        let data = try XCTUnwrap(made.state).bytes
        XCTAssertEqual(SearchIndex.State([UInt8](data), environment: "one").documents.count, 20)
        XCTAssertEqual(SearchIndex.State([UInt8](data), environment: "two").documents.count, 0)
        XCTAssertEqual(SearchIndex.State([UInt8](data.dropLast(3)), environment: "one").documents.count, 0)
        XCTAssertEqual(SearchIndex.State(nil, environment: "one").documents.count, 0)
    }

    func testWordsAreFrontCoded() {
        XCTAssertEqual(SearchIndex.frontCoded(["time", "timeout", "timer", "tōkyō", "tōkyōs", "x"]), "0time 4out 4r 1ōkyō 5s 0x")
        XCTAssertEqual(SearchIndex.frontCoded([]), "")
    }

    func testTokensSplitLikeTheBrowser() {
        XCTAssertEqual(SearchIndex.tokens("S3's 5 TB limit — über-fast, naïve ÉTÉ_x {{c1::tmp}}"),
                       ["s3", "s", "5", "tb", "limit", "uber", "fast", "naive", "ete", "x", "c1", "tmp"])
        XCTAssertEqual(SearchIndex.tokens(""), [])
        XCTAssertEqual(SearchIndex.tokens("東京 tōkyō"), ["東京", "tokyo"])
    }

    /// Latin, Greek and Cyrillic words lose their diacritics (a fresh-user trial found `frío`
    /// but not `frio`); Hangul and kana, which NFD would take apart, stay as they are.
    func testTokensFoldDiacriticsButNotCJK() {
        XCTAssertEqual(SearchIndex.tokens("Frío ÑANDÚ Straße Æsir Øresund Łódź Œuvre Ελλάδα Ёлка"),
                       ["frio", "nandu", "strasse", "aesir", "oresund", "lodz", "oeuvre", "ελλαδα", "елка"])
        XCTAssertEqual(SearchIndex.tokens("한국어 がぎぐ パン"), ["한국", "국어", "がぎ", "ぎぐ", "パン"])
    }

    /// Han, Hiragana, Katakana and Hangul have no spaces between words: each run of them is
    /// its overlapping pairs of characters, a lone character itself, and other letters end
    /// where such a run starts.
    func testTokensPairCJKCharacters() {
        XCTAssertEqual(SearchIndex.tokens("暗号化"), ["暗号", "号化"])
        XCTAssertEqual(SearchIndex.tokens("Lambda関数を呼ぶ。S3"), ["lambda", "関数", "数を", "を呼", "呼ぶ", "s3"])
        XCTAssertEqual(SearchIndex.tokens("が x 拒否・コールド"), ["が", "x", "拒否", "コー", "ール", "ルド"],
                       "a lone character is a word; the Katakana middle dot separates")
        XCTAssertEqual(SearchIndex.tokens("한국어 数々 ﾀｲﾑ 𠀋𠀍x"), ["한국", "국어", "数々", "ﾀｲ", "ｲﾑ", "𠀋𠀍", "x"],
                       "Hangul, the iteration mark, half-width Katakana and Han beyond the BMP")
        XCTAssertEqual(SearchIndex.tokens("Ünïcode3つ"), ["unicode3", "つ"])
        let long = String(repeating: "それ以外は暗黙的な拒否です", count: 2)
        XCTAssertEqual(SearchIndex.tokens(long).count, long.count - 1, "a long run is all its pairs, each 6 bytes")
    }

    // MARK: In the browser

    var work: URL!
    var chromium: String!

    func buildSite(_ content: [String: String] = SearchTests.content, services: String = Fixture.lambdaAndSQS) throws -> URL {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        self.chromium = chromium
        work = try EndToEndSupport.temporaryFolder("search")
        var files = ["Content/services.yml": services, "syllabus.yml": "title: Search fixture\ndeck: Fixture\noutputs: [site]\n"]
        for (path, text) in content { files["Content/\(path)"] = text }
        try EndToEndSupport.writeFixture(files, in: work)
        try EndToEndSupport.build(in: work)
        return work.appendingPathComponent("Output/site")
    }

    override func tearDownWithError() throws {
        if let work { try? FileManager.default.removeItem(at: work) }
    }

    func dumpDOM(_ url: String) throws -> String {
        let profile = try EndToEndSupport.temporaryFolder("chromium-profile")
        defer { try? FileManager.default.removeItem(at: profile) }
        let result = try EndToEndSupport.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                                                        "--virtual-time-budget=5000", "--user-data-dir=\(profile.path)", url],
                                             timeout: 60)
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertTrue(result.out.contains("</html>"), "chromium dumped no DOM: \(result.err)")
        return result.out
    }

    /// Runs `script` in a copy of `page` (same markup and scripts, opened with `query`) and
    /// returns what it put in `window.harnessDone(results)`, as JSON. `scripts` load first.
    func runHarness(_ page: URL, query: String = "", scripts: [URL] = [], _ script: String) throws -> [String: Any] {
        let html = try String(contentsOf: page, encoding: .utf8)
        let harness = page.deletingLastPathComponent().appendingPathComponent("harness-\(UUID().uuidString).html")
        let code = """
            <script>window.HARNESS_ERRORS = []; window.addEventListener("error", function (e) { HARNESS_ERRORS.push(String(e.message)); });
            window.harnessDone = function (results) {
              results.errors = HARNESS_ERRORS;
              var out = document.createElement("pre"); out.id = "harness-results";
              out.textContent = encodeURIComponent(JSON.stringify(results)); document.body.appendChild(out);
            };</script>
            """
        let libraries = scripts.map { "<script src=\"\($0.absoluteString)\"></script>" }.joined()
        let withHarness = html.replacingOccurrences(of: "<body>", with: "<body>\n" + code + libraries)
            .replacingOccurrences(of: "</body>", with: "<script>\(script)</script>\n</body>")
        try withHarness.write(to: harness, atomically: true, encoding: .utf8)
        let dom = try dumpDOM(harness.absoluteString + query)
        let start = try XCTUnwrap(dom.range(of: "<pre id=\"harness-results\">"), "the harness did not finish")
        let end = try XCTUnwrap(dom[start.upperBound...].range(of: "</pre>"))
        let json = try XCTUnwrap(String(dom[start.upperBound..<end.lowerBound]).removingPercentEncoding)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(results["errors"] as? [String], [])
        return results
    }

    /// The titles each query finds, in order, through the engine the box and the page use.
    func testRankingPrefixTyposAndSynonymsInChromium() throws {
        let site = try buildSite()
        let queries = ["timeout", "provis", "tmieout", "ephemral", "dlx", "Simple Queue Service", "sqs", "c1", "tmp",
                       "visibility timeout", "AWS Lambda", "compute", "global tables", "global tables "]
        let results = try runHarness(site.appendingPathComponent("index.html"), """
            var queries = \(String(decoding: try JSONSerialization.data(withJSONObject: queries), as: UTF8.self)), found = {};
            (function next(i) {
              if (i === queries.length) { harnessDone({ found: found, loaded: SyllabusSearch.loaded }); return; }
              SyllabusSearch.search(queries[i], { typing: true }, function (results) {
                SyllabusSearch.withSnippets(results.slice(0, 3), function () {
                  found[queries[i]] = results.map(function (r) { return r.title; });
                  found[queries[i] + " snippet"] = results.length ? results[0].snippet : "";
                  next(i + 1);
                });
              });
            })(0);
            """)
        let found = try XCTUnwrap(results["found"] as? [String: Any])
        func titles(_ query: String) -> [String] { found[query] as? [String] ?? ["(none)"] }
        XCTAssertEqual(titles("timeout").first, "Function timeout", "a title match ranks first")
        XCTAssertEqual(Set(titles("timeout")), ["Function timeout", "Queue basics", "Cold starts"])
        XCTAssertEqual(titles("provis"), ["Cold starts"], "the last word matches as a prefix")
        XCTAssertEqual(titles("tmieout").first, "Function timeout", "one swap is forgiven in a long word")
        XCTAssertEqual(titles("ephemral"), ["Lambda cards"], "one missing letter is forgiven, and card backs are found")
        XCTAssertEqual(titles("dlx"), [], "no typo is forgiven in a word of three letters")
        XCTAssertEqual(Set(titles("Simple Queue Service")), ["Queue basics", "Polling queues", "Amazon Simple Queue Service"],
                       "a service's name finds pages that use its short name")
        XCTAssertEqual(Set(titles("sqs")), ["Queue basics", "Polling queues", "Amazon Simple Queue Service"],
                       "a short name finds pages that use the full name")
        XCTAssertEqual(titles("c1"), [], "cloze markup is not searchable")
        XCTAssertEqual(titles("tmp"), ["Lambda cards"])
        XCTAssertEqual(titles("visibility timeout"), ["Queue basics"], "every word must match when some page has them all")
        XCTAssertTrue(titles("AWS Lambda").contains("AWS Lambda"), "service pages are found")
        XCTAssertEqual(titles("compute"), ["AWS Lambda"])
        XCTAssertEqual(titles("global tables").first, "Global tables", "a rare completion does not outrank the word typed")
        XCTAssertEqual(titles("global tables "), ["Global tables"], "a finished word that the index holds means itself")
        XCTAssertEqual(found["visibility timeout snippet"] as? String,
                       "A consumer hides a message for the <mark>visibility</mark> <mark>timeout</mark> while it works on it. · Dead-letter queues · After maxReceiveCount receives, SQS moves a message to a DLQ.")
        XCTAssertEqual(found["Simple Queue Service snippet"].map { "\($0)".contains("<mark>") }, true)
    }

    /// A query of a service's name means the service, named any way; a query of an alias that
    /// names a feature means its words (a trial on the DynamoDB guide with the bundled catalog:
    /// "dynamodb streams" listed every page naming DynamoDB, the Streams page not in the first 50).
    func testAFeaturesAliasInAQueryMeansItsWordsInChromium() throws {
        let site = try buildSite([
            "dynamodb/streams.md": "# Change data capture\n\nDynamoDB Streams record every item change.\n",
            "dynamodb/tables.md": "# Tables\n\nAn Amazon DynamoDB table holds items.\n",
            "dynamodb/cache.md": "# In-memory acceleration\n\nDAX caches reads in front of a table.\n",
            "dynamodb/kinesis.md": "# Kinesis\n\nA table's changes can go to Kinesis streams instead.\n",
        ], services: """
            - id: dynamodb
              name: Amazon DynamoDB
              short: DynamoDB
              aliases: [AWS DynamoDB, DynamoDB Streams, DAX]
              category: Database

            """)
        let queries = ["dynamodb streams", "dax", "dynamodb", "aws dynamodb"]
        let results = try runHarness(site.appendingPathComponent("index.html"), """
            var queries = \(String(decoding: try JSONSerialization.data(withJSONObject: queries), as: UTF8.self)), found = {};
            (function next(i) {
              if (i === queries.length) { harnessDone({ found: found }); return; }
              SyllabusSearch.search(queries[i], {}, function (results) {
                found[queries[i]] = results.map(function (r) { return r.title; });
                next(i + 1);
              });
            })(0);
            """)
        let found = try XCTUnwrap(results["found"] as? [String: [String]])
        // The service's page lists its aliases, so it holds both words too.
        XCTAssertEqual(found["dynamodb streams"].map(Set.init), ["Change data capture", "Amazon DynamoDB"], "the service, named any way, and the word")
        XCTAssertEqual(found["dax"].map(Set.init), ["In-memory acceleration", "Amazon DynamoDB"], "a feature's name is its word")
        let everyPage: Set = ["Change data capture", "Tables", "In-memory acceleration", "Amazon DynamoDB"]
        XCTAssertEqual(found["dynamodb"].map(Set.init), everyPage, "a page naming the service by a feature's alias names it")
        XCTAssertEqual(found["aws dynamodb"].map(Set.init), everyPage, "an alias that is the name with a vendor's is the service")
    }

    /// One Latin letter being typed finds the pages of the words it starts that the most pages
    /// hold, not of the shortest (a fresh-user trial saw "No matching pages" for `l`).
    func testOneLetterBeingTypedFindsTheCommonestWordsItStartsInChromium() throws {
        let letters = ((0...9).map(String.init) + "abcdefghijklmnopqrstuvwxyz".map(String.init)).map { "l" + $0 }
        let site = try buildSite([
            "lambda/functions.md": "# Functions\n\nLambda runs Lambda code.\n",
            "lambda/pricing.md": "# Pricing\n\nLocal runs cost nothing.\n",
            "lambda/layers.md": "# Layers\n\nLambda layers share code.\n",
            "lambda/letters.md": "# Letters\n\n\(letters.joined(separator: " ")).\n",
        ])
        let results = try runHarness(site.appendingPathComponent("index.html"), """
            var found = {};
            SyllabusSearch.search("l", { typing: true }, function (results) {
              found.typing = results.map(function (r) { return r.title; });
              SyllabusSearch.search("l", { typing: false }, function (results) {
                found.done = results.map(function (r) { return r.title; });
                harnessDone(found);
              });
            });
            """)
        let typing = try XCTUnwrap(results["typing"] as? [String])
        XCTAssertTrue(Set(typing).isSuperset(of: ["Functions", "Layers", "AWS Lambda"]), "\(typing)")
        XCTAssertNotEqual(typing.first, "Letters", "a rare word weighs no more than the commonest: \(typing)")
        XCTAssertLessThan(typing.firstIndex(of: "Functions") ?? .max, typing.firstIndex(of: "Pricing") ?? .max,
                          "a page saying the commonest word twice before one saying a rare word once: \(typing)")
        XCTAssertEqual(results["done"] as? [String], [], "a finished letter means itself")
    }

    /// Notes in Japanese, whose words have no spaces between them.
    static let japanese = [
        "lambda/roles.md": "# 実行ロール\n\nLambda関数には実行ロールが必要です。明示的な拒否があれば拒否されます。\n",
        "lambda/encryption.md": "# 暗号化\n\nデータは保存時に暗号化されます。関数の環境変数も暗号化できます。\n",
        "sqs/polling.md": "# ロングポーリング\n\nそれ以外は暗黙的な拒否です。キューの暗号化とタイムアウトを設定します。\n",
        "sqs/basics.md": "# Queue basics\n\nA visibility timeout hides a message. 関係のある数値。\n",
        "lambda/presigned.md": "# 署名付きURL\n\n署名付きURLでオブジェクトを共有します。\n",
        "sqs/conditions.md": "# 条件付きキュー\n\n条件付きで使います。\n",
    ]

    /// A Japanese word finds every page that holds it, in a long run of characters too, and
    /// no page that holds only its characters apart; Latin words still work beside it.
    func testJapaneseWordsFindEveryPageThatHoldsThemInChromium() throws {
        let site = try buildSite(Self.japanese)
        let queries = ["暗号化", "拒否", "関数", "タイムアウト", "timeout", "Lambda関数", "暗", "否", "署名付きU", "署名付きQ"]
        let results = try runHarness(site.appendingPathComponent("index.html"), """
            var queries = \(String(decoding: try JSONSerialization.data(withJSONObject: queries), as: UTF8.self)), found = {};
            (function next(i) {
              if (i === queries.length) { harnessDone({ found: found }); return; }
              SyllabusSearch.search(queries[i], { typing: i >= 6 }, function (results) {
                SyllabusSearch.withSnippets(results.slice(0, 1), function () {
                  found[queries[i]] = results.map(function (r) { return r.title; });
                  found[queries[i] + " snippet"] = results.length ? results[0].snippet : "";
                  next(i + 1);
                });
              });
            })(0);
            """)
        let found = try XCTUnwrap(results["found"] as? [String: Any])
        func titles(_ query: String) -> [String] { found[query] as? [String] ?? ["(none)"] }
        XCTAssertEqual(titles("暗号化").first, "暗号化", "a title match ranks first")
        XCTAssertEqual(Set(titles("暗号化")), ["暗号化", "ロングポーリング"])
        XCTAssertEqual(Set(titles("拒否")), ["実行ロール", "ロングポーリング"])
        XCTAssertEqual(Set(titles("関数")), ["実行ロール", "暗号化"], "関係 and 数値 apart are not 関数")
        XCTAssertEqual(titles("タイムアウト"), ["ロングポーリング"])
        XCTAssertEqual(titles("timeout"), ["Queue basics"])
        XCTAssertEqual(titles("Lambda関数"), ["実行ロール"])
        XCTAssertEqual(Set(titles("暗")), ["暗号化", "ロングポーリング"], "one character being typed finds the words it starts")
        XCTAssertEqual(Set(titles("否")), ["実行ロール", "ロングポーリング"], "and the words it ends")
        // A fresh-user trial saw an unrelated page (条件付き) while typing 署名付きU.
        XCTAssertEqual(titles("署名付きU"), ["署名付きURL"], "a Latin letter being typed after a Japanese word")
        XCTAssertEqual(titles("署名付きQ"), ["署名付きURL"], "a word being typed that no page of the Japanese word holds yet")
        XCTAssertEqual(found["暗号化 snippet"] as? String, "データは保存時に<mark>暗号化</mark>されます。関数の環境変数も<mark>暗号化</mark>できます。")

        let page = try dumpDOM(site.appendingPathComponent("lambda/roles.html").absoluteString + "?hl=%E6%8B%92%E5%90%A6")
        XCTAssertTrue(page.contains("明示的な<mark class=\"search-hit search-shown\">拒否</mark>があれば<mark class=\"search-hit\">拒否</mark>されます"), page)
    }

    /// Runs each of `queries` through the engine (as typed when `typing`) and returns the
    /// titles found, by query, and the first result's snippet, by query + " snippet".
    func search(_ site: URL, _ queries: [String], typing: Bool) throws -> [String: Any] {
        let results = try runHarness(site.appendingPathComponent("index.html"), """
            var queries = \(String(decoding: try JSONSerialization.data(withJSONObject: queries), as: UTF8.self)), found = {};
            (function next(i) {
              if (i === queries.length) { harnessDone({ found: found }); return; }
              SyllabusSearch.search(queries[i], { typing: \(typing) }, function (results) {
                SyllabusSearch.withSnippets(results.slice(0, 1), function () {
                  found[queries[i]] = results.map(function (r) { return r.title; });
                  found[queries[i] + " snippet"] = results.length ? results[0].snippet : "";
                  next(i + 1);
                });
              });
            })(0);
            """)
        return try XCTUnwrap(results["found"] as? [String: Any])
    }

    /// In an English set a plural and its singular are one word (Harman's S-stemmer, as
    /// `EnglishPlural` and `search.js` have it): "policy" finds the page titled
    /// "Access policies" and "dead letter queues" the one saying "dead-letter queue"; the page
    /// opened marks either form. The browser's stems are the index's.
    func testPluralsAndSingularsAreOneWordInAnEnglishSetInChromium() throws {
        let site = try buildSite([
            "sqs/policies.md": "# Access policies\n\nEach grants access to a queue.\n",
            "sqs/dlq.md": "# Failing messages\n\nA message that keeps failing goes to a dead-letter queue.\n",
            "lambda/status.md": "# Status\n\nThe class of the function.\n",
            "lambda/indexes.md": "# Secondary Indexes\n\nQueries read them.\n",
        ])
        let found = try search(site, ["policy", "dead letter queues", "classes", "secondary index"], typing: false)
        XCTAssertEqual(found["policy"] as? [String], ["Access policies"])
        XCTAssertEqual(found["dead letter queues"] as? [String], ["Failing messages"])
        XCTAssertEqual(found["dead letter queues snippet"] as? String,
                       "A message that keeps failing goes to a <mark>dead</mark>-<mark>letter</mark> <mark>queue</mark>.")
        XCTAssertEqual(found["classes"] as? [String], ["Status"], "class and classes")
        XCTAssertEqual(found["secondary index"] as? [String], ["Secondary Indexes"], "index and indexes")
        let page = try dumpDOM(site.appendingPathComponent("sqs/policies.html").absoluteString + "?hl=policy")
        XCTAssertTrue(page.contains("Access <mark class=\"search-hit search-shown\">policies</mark>"), page)

        let words = ["policies", "queues", "keys", "trees", "status", "class", "aws", "sqs", "is", "its", "series", "aies", "ec2s", "ñandús", "a",
                     "indexes", "batches", "caches", "crashes", "processes", "ches", "xes", "axes", "shes"]
        let stems = try runHarness(site.appendingPathComponent("index.html"), """
            harnessDone({ stems: \(String(decoding: try JSONSerialization.data(withJSONObject: words), as: UTF8.self)).map(SyllabusSearch.stem) });
            """)
        XCTAssertEqual(stems["stems"] as? [String], words.map(EnglishPlural.singular))
        XCTAssertEqual(words.map(EnglishPlural.singular),
                       ["policy", "queue", "key", "tree", "status", "class", "aws", "sqs", "is", "its", "sery", "aie", "ec2", "ñandús", "a",
                        "index", "batch", "cache", "crash", "process", "che", "xes", "ax", "sh"])
    }

    /// A service's landing text is on its service's page: one result, under the service's
    /// name, holds both the names and the landing text (two results opened the same page).
    func testALandingTextAndItsServiceAreOneResultInChromium() throws {
        let site = try buildSite(["lambda/index.md": "# Lambda guide\n\nWelcome to the zebra handbook.\n",
                                  "lambda/a.md": "# Handlers\n\nA handler runs.\n"])
        let found = try search(site, ["zebra", "lambda"], typing: false)
        XCTAssertEqual(found["zebra"] as? [String], ["AWS Lambda"])
        let lambda = try XCTUnwrap(found["lambda"] as? [String])
        XCTAssertEqual(lambda.filter { $0 == "AWS Lambda" || $0 == "Lambda guide" }, ["AWS Lambda"], "\(lambda)")
    }

    /// A query without accents finds the words with them, and the reverse; snippets and the
    /// page opened still show the text as written (a fresh-user trial found nothing for `frio`
    /// or `nandu` in a Spanish set).
    func testSearchIgnoresDiacriticsInChromium() throws {
        let site = try buildSite([
            "lambda/frio.md": "# Arranques en frío\n\nUn arranque en frío tarda más. Año tras año.\n",
            "sqs/aves.md": "# Aves\n\nEl ñandú corre por la Straße.\n",
            "sqs/otro.md": "# Otro\n\nAnotar tras la cola, nada más.\n",
            "lambda/datos.md": "# データ\n\nデータを保存します。\n",
        ])
        let found = try search(site, ["frio", "FRÍO", "nandu", "ano tras ano", "strasse", "データ"], typing: false)
        func titles(_ query: String) -> [String] { found[query] as? [String] ?? ["(none)"] }
        XCTAssertEqual(titles("frio"), ["Arranques en frío"])
        XCTAssertEqual(titles("FRÍO"), ["Arranques en frío"])
        XCTAssertEqual(titles("nandu"), ["Aves"])
        XCTAssertEqual(titles("ano tras ano"), ["Arranques en frío"])
        XCTAssertEqual(titles("strasse"), ["Aves"])
        XCTAssertEqual(titles("データ"), ["データ"], "kana with dakuten are not folded")
        XCTAssertEqual(found["frio snippet"] as? String, "Un arranque en <mark>frío</mark> tarda más. Año tras año.")
        let page = try dumpDOM(site.appendingPathComponent("sqs/aves.html").absoluteString + "?hl=nandu")
        XCTAssertTrue(page.contains("El <mark class=\"search-hit search-shown\">ñandú</mark> corre"), page)
    }

    /// A word in code samples weighs less than in prose, and a dotted identifier is one word
    /// as well as its parts (a fresh-user trial saw a Ruby sample first for `retry`, and an IAM
    /// page that says "states" and "all" first for `States.ALL`).
    func testProseOutranksCodeAndDottedNamesAreWordsInChromium() throws {
        let site = try buildSite([
            "sqs/worker.md": """
                # Worker in Ruby

                A worker polls for tasks.

                ```ruby
                retry_count = 0
                begin
                  poll
                rescue
                  retry_count += 1
                  retry if retry_count < 3
                end
                send_heartbeat
                ```

                """,
            "sqs/errors.md": """
                # Error handling

                A state can retry after an error: each retry waits longer.

                ## Catching errors

                States.ALL matches every error name.

                ```json
                {"ErrorEquals": ["States.ALL"]}
                ```

                """,
            "sqs/policies.md": "# Policies\n\nAll states need permissions: grant all states all actions, for all states.\n",
        ])
        let found = try search(site, ["retry", "heartbeat", "States.ALL", "states all"], typing: false)
        func titles(_ query: String) -> [String] { found[query] as? [String] ?? ["(none)"] }
        XCTAssertEqual(titles("retry"), ["Error handling", "Worker in Ruby"])
        XCTAssertEqual(titles("heartbeat"), ["Worker in Ruby"], "words in code are found")
        XCTAssertEqual(titles("States.ALL"), ["Error handling"])
        XCTAssertEqual(found["States.ALL snippet"] as? String,
                       "… retry waits longer. · Catching errors · <mark>States.ALL</mark> matches every error name. · {&quot;ErrorEquals&quot;: [&quot;<mark>States.ALL</mark>&quot;]}")
        XCTAssertEqual(Set(titles("states all")), ["Error handling", "Policies"], "the parts are words too")
        let typed = try search(site, ["States.AL"], typing: true)
        XCTAssertEqual(typed["States.AL"] as? [String], ["Error handling"], "a dotted name being typed")
    }

    /// The box: results as a listbox under a combobox, ↓/↑ move, Enter opens, Escape closes.
    func testSearchBoxKeyboardAndARIAInChromium() throws {
        let site = try buildSite()
        let results = try runHarness(site.appendingPathComponent("lambda/polling.html"), """
            var input = document.getElementById("search-input"), list = document.getElementById("search-results");
            var opened = [], states = {};
            SyllabusSearch.navigate = function (url) { opened.push(url); };
            function key(name) { input.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true })); }
            function state(label) {
              var options = Array.prototype.map.call(list.querySelectorAll("[role=option]"), function (o) {
                return { id: o.id, selected: o.getAttribute("aria-selected"), text: o.textContent, html: o.innerHTML };
              });
              states[label] = { expanded: input.getAttribute("aria-expanded"), active: input.getAttribute("aria-activedescendant"),
                                hidden: list.hidden, options: options, status: document.getElementById("search-status").textContent };
            }
            input.focus();
            input.value = "timeout";
            input.dispatchEvent(new Event("input", { bubbles: true }));
            (function wait(tries) {
              if (!list.querySelector("[role=option]") && tries < 100) { setTimeout(function () { wait(tries + 1); }, 20); return; }
              state("typed");
              key("ArrowDown"); state("down");
              key("ArrowDown"); state("down2");
              key("ArrowUp"); state("up");
              key("Enter"); state("enter");
              key("ArrowUp"); key("Enter");
              key("Escape"); state("escape");
              harnessDone({ states: states, opened: opened, role: input.getAttribute("role"), controls: input.getAttribute("aria-controls"),
                            listRole: list.getAttribute("role"), listLabel: list.getAttribute("aria-label") });
            })(0);
            """)
        XCTAssertEqual(results["role"] as? String, "combobox")
        XCTAssertEqual(results["controls"] as? String, "search-results")
        XCTAssertEqual(results["listRole"] as? String, "listbox")
        let states = try XCTUnwrap(results["states"] as? [String: [String: Any]])
        let typed = try XCTUnwrap(states["typed"])
        XCTAssertEqual(typed["expanded"] as? String, "true")
        XCTAssertEqual(typed["hidden"] as? Bool, false)
        let options = try XCTUnwrap(typed["options"] as? [[String: Any]])
        XCTAssertEqual(options.count, 4, "three pages and 'All results': \(options)")
        XCTAssertTrue((options[0]["text"] as! String).hasPrefix("Function timeout"))
        XCTAssertTrue((options[0]["html"] as! String).contains("<mark>timeout</mark>"), "\(options[0])")
        XCTAssertTrue((options[0]["text"] as! String).contains("Lambda"), "the result names its service")
        XCTAssertEqual(options[3]["text"] as? String, "All 3 results for “timeout”")
        XCTAssertEqual(typed["status"] as? String, "3 results")
        XCTAssertNil(typed["active"] as? String)
        func active(_ label: String) -> String? { states[label]?["active"] as? String }
        XCTAssertEqual(active("down"), options[0]["id"] as? String)
        XCTAssertEqual((states["down"]?["options"] as? [[String: Any]])?.first?["selected"] as? String, "true")
        XCTAssertEqual(active("down2"), options[1]["id"] as? String)
        XCTAssertEqual(active("up"), options[0]["id"] as? String)
        let opened = try XCTUnwrap(results["opened"] as? [String])
        XCTAssertEqual(opened.first, "../lambda/function-timeout.html?hl=timeout", "Enter opens the chosen result, told what to mark")
        XCTAssertEqual(opened.last, "../search.html?q=timeout", "↑ from the first wraps to 'All results'")
        XCTAssertEqual(states["escape"]?["hidden"] as? Bool, true)
        XCTAssertEqual(states["escape"]?["expanded"] as? String, "false")
    }

    /// The results page shows 50 results, and a button shows the next 50 and takes the focus
    /// to the first of them (a trial found 69 results and no way to see the last 19).
    func testResultsPageShowsMoreResultsOnAButtonInChromium() throws {
        var content: [String: String] = [:]
        for number in 1...120 { content["lambda/page-\(number).md"] = "# Page \(number)\n\nEvery page says partition.\n" }
        let site = try buildSite(content)
        let results = try runHarness(site.appendingPathComponent("search.html"), query: "?q=partition", """
            var list = document.getElementById("search-page-results"), states = [];
            function state() {
              var more = document.querySelector(".search-page-more");
              return { items: list.children.length, status: document.getElementById("search-page-status").textContent,
                       more: more.hidden ? null : more.textContent,
                       focused: Array.prototype.indexOf.call(list.children, document.activeElement.parentNode) };
            }
            function when(count, then) {
              (function wait() { if (list.children.length >= count) then(); else setTimeout(wait, 20); })();
            }
            when(50, function () {
              states.push(state());
              document.querySelector(".search-page-more").click();
              when(100, function () {
                states.push(state());
                document.querySelector(".search-page-more").click();
                when(120, function () { states.push(state()); harnessDone({ states: states }); });
              });
            });
            """)
        let states = try XCTUnwrap(results["states"] as? [[String: Any]])
        XCTAssertEqual(states.map { $0["items"] as? Int }, [50, 100, 120])
        XCTAssertEqual(states.map { $0["more"] as? String }, ["Show 50 more", "Show 20 more", nil])
        XCTAssertEqual(states[0]["status"] as? String, "120 results for “partition” (the first 50 shown)")
        XCTAssertEqual(states[2]["status"] as? String, "120 results for “partition”")
        XCTAssertEqual(states.map { $0["focused"] as? Int }, [-1, 50, 100], "the first result the button added has the focus")
    }

    /// search.html?q=… lists every result with its service and a snippet; a result's page
    /// marks the words it was found by.
    func testResultsPageAndHighlightInChromium() throws {
        let site = try buildSite()
        let dom = try dumpDOM(site.appendingPathComponent("search.html").absoluteString + "?q=simple%20queue%20service")
        XCTAssertTrue(dom.contains("role=\"status\">3 results for “simple queue service”</p>"), dom)
        XCTAssertTrue(dom.contains("<a href=\"sqs/overview.html?hl=amazon%20simple%20queue%20service%7Csimple%20queue%20service%7Csqs%7Camazon%20sqs\">Queue basics</a><span class=\"search-service\">SQS</span>"), dom)
        XCTAssertTrue(dom.contains("Lambda polls a <mark>Simple Queue Service</mark> queue in batches"), dom)
        XCTAssertTrue(dom.contains("value=\"simple queue service\"") || dom.contains("id=\"search-page-input\""), dom)

        let none = try dumpDOM(site.appendingPathComponent("search.html").absoluteString + "?q=zzzz")
        XCTAssertTrue(none.contains("No matching pages for “zzzz”."), none)

        let page = try dumpDOM(site.appendingPathComponent("sqs/overview.html").absoluteString + "?hl=visibility&hl=timeout&hl=sqs")
        XCTAssertTrue(page.contains("the <mark class=\"search-hit search-shown\">visibility</mark> <mark class=\"search-hit\">timeout</mark> while"), page)
        XCTAssertTrue(page.contains("receives, <mark class=\"search-hit\">SQS</mark> moves"), page)
        let plain = try dumpDOM(site.appendingPathComponent("sqs/overview.html").absoluteString)
        XCTAssertFalse(plain.contains("search-hit"))
    }

    /// A page opened from a result for several words shows the passage holding the most of
    /// them, not their first mark (often the title) nor a link to it in the page's list of
    /// sections, and outlines where it is.
    func testMarkedPageShowsThePassageHoldingMostOfTheWords() throws {
        let site = try buildSite(["sqs/visibility.md": """
            # Visibility timeout

            - [Visibility timeout settings](#setting-it)

            Visibility is per message.

            ## Setting it

            A consumer that fails returns the message when it ends.

            Set the visibility timeout to six times the function timeout.

            """])
        let page = site.appendingPathComponent("sqs/visibility.html").absoluteString
        let both = try dumpDOM(page + "?hl=visibility&hl=timeout")
        XCTAssertTrue(both.contains("Set the <mark class=\"search-hit search-shown\">visibility</mark> <mark class=\"search-hit\">timeout</mark>"), both)
        XCTAssertEqual(both.components(separatedBy: "search-shown").count, 2, "one passage shown")
        let one = try dumpDOM(page + "?hl=visibility")
        XCTAssertTrue(one.contains("<p><mark class=\"search-hit search-shown\">Visibility</mark> is per message."), "one word: its first place after the title, which is read first\n\(one)")
        XCTAssertEqual(one.components(separatedBy: "search-shown").count, 2)
    }

    /// A word that most pages hold (here "in", in all 24) neither has to be on a page nor is
    /// marked when the query has a rarer word: "restore in" finds the page that says
    /// "restore" without "in", and its link marks "restore" alone, nor does it add to a page's
    /// score. So does an English function word ("what", "is"), whatever its share. A service's names mark as one
    /// word: the passage saying "Amazon SQS … SQS" holds one of the two words asked for, the
    /// one saying "SQS … visibility" both.
    func testCommonWordsNeitherMatchNorMarkAndAServicesNamesCountOnce() throws {
        var content: [String: String] = [:]
        for number in 1...21 { content["lambda/filler-\(number).md"] = "# Filler \(number)\n\nKept in place number \(number).\n" }
        content["lambda/restore.md"] = "# Restoring\n\nRestore a function's code from its last version. Restore it again.\n"
        content["lambda/backups.md"] = "# Backups\n\nWhat is kept, what you restore, what is lost in a backup.\n"
        content["sqs/names.md"] = """
            # Queue names

            Amazon SQS names a queue in its region; SQS keeps the name.

            SQS sets the visibility of each message in flight.

            """
        let site = try buildSite(content)
        let results = try dumpDOM(site.appendingPathComponent("search.html").absoluteString + "?q=restore%20in")
        XCTAssertTrue(results.contains("<a href=\"lambda/restore.html?hl=restore\">Restoring</a>"), results)
        XCTAssertTrue(results.contains("role=\"status\">2 results for “restore in”</p>"), results)
        XCTAssertFalse(results.contains("<mark>in</mark>"), results)
        // "what" and "is" are on no page but English function words: a question finds its subject.
        let question = try dumpDOM(site.appendingPathComponent("search.html").absoluteString + "?q=what%20is%20restore")
        XCTAssertTrue(question.contains("<a href=\"lambda/restore.html?hl=restore\">Restoring</a>"), question)
        // ... and ranks as its subject does: "what", on one page, adds nothing to it.
        let ranked = try search(site, ["restore", "what is restore"], typing: false)
        XCTAssertEqual(ranked["restore"] as? [String], ["Restoring", "Backups"])
        XCTAssertEqual(ranked["what is restore"] as? [String], ["Restoring", "Backups"])
        let onlyCommon = try dumpDOM(site.appendingPathComponent("search.html").absoluteString + "?q=in")
        XCTAssertTrue(onlyCommon.contains("<mark>in</mark>"), "a query of common words alone still marks them\n\(onlyCommon)")

        let page = try dumpDOM(site.appendingPathComponent("sqs/names.html").absoluteString + "?hl=amazon%20sqs%7Csqs&hl=visibility")
        XCTAssertTrue(page.contains("<p><mark class=\"search-hit search-shown\">SQS</mark> sets the <mark class=\"search-hit\">visibility</mark>"), page)
        XCTAssertTrue(page.contains("<mark class=\"search-hit\">Amazon SQS</mark> names"), page)
        XCTAssertEqual(page.components(separatedBy: "search-shown").count, 2, "one passage shown")
    }

    /// axe-core (from the `axe-playwright-python` package, which ships `axe.min.js`; `AXE_JS`
    /// may name the file instead) finds no WCAG 2.1 A/AA or best-practice violation on the
    /// results page, on a page with the box's results open and one option chosen, and on a
    /// page with marked words.
    func testSearchPagesAreAccessibleToAxe() throws {
        let axe = try Self.axeScript()
        let site = try buildSite()
        let run = """
            function check(label, next) {
              axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })
                .then(function (result) {
                  harnessDone({ violations: result.violations.map(function (v) {
                    return label + ": " + v.id + " (" + v.help + ") at " + v.nodes.map(function (n) { return n.target.join(" "); }).join(", ");
                  }), passes: result.passes.length });
                }, function (error) { harnessDone({ violations: ["axe failed: " + error] }); });
            }
            function whenReady(test, go) { (function wait(n) { if (test() || n > 200) go(); else setTimeout(function () { wait(n + 1); }, 20); })(0); }
            """
        let results = try runHarness(site.appendingPathComponent("search.html"), query: "?q=timeout", scripts: [axe], run + """
            whenReady(function () { return document.querySelector("#search-page-results li"); }, function () { check("results page"); });
            """)
        let box = try runHarness(site.appendingPathComponent("lambda/polling.html"), scripts: [axe], run + """
            var input = document.getElementById("search-input");
            input.focus(); input.value = "queue";
            input.dispatchEvent(new Event("input", { bubbles: true }));
            whenReady(function () { return document.querySelector("#search-results [role=option]"); }, function () {
              input.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", bubbles: true, cancelable: true }));
              check("box");
            });
            """)
        let marked = try runHarness(site.appendingPathComponent("sqs/overview.html"), query: "?hl=visibility&hl=sqs", scripts: [axe], run + """
            whenReady(function () { return document.querySelector("mark.search-hit"); }, function () { check("marked page"); });
            """)
        for outcome in [results, box, marked] {
            XCTAssertEqual(outcome["violations"] as? [String], [])
            XCTAssertGreaterThan(outcome["passes"] as? Int ?? 0, 10, "axe ran its rules")
        }
    }

    /// axe-core's script: `AXE_JS`, or the one `axe-playwright-python` installs beside the
    /// Anki library (the Makefile's test venv).
    static func axeScript() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["AXE_JS"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let python = try EndToEndSupport.ankiPython()
        let probe = try EndToEndSupport.run(python, ["-c", "import importlib.util; print(importlib.util.find_spec('axe_playwright_python').submodule_search_locations[0])"],
                                            timeout: 30)
        let script = URL(fileURLWithPath: probe.out.trimmingCharacters(in: .whitespacesAndNewlines)).appendingPathComponent("axe.min.js")
        guard probe.status == 0, FileManager.default.fileExists(atPath: script.path) else {
            throw missingTool("axe-core: no axe.min.js (pip install --no-deps axe-playwright-python in \(python)'s venv)")
        }
        return script
    }
}
