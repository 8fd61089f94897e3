import Foundation

/// The site's full-text search index: plain scripts in `site/assets/search/`, which
/// `assets/search.js` loads on first use (from `file://` a page may load scripts but not
/// `fetch` files, modules, WebAssembly or workers).
///
/// - `index.js`: the documents (title, path, service, weighted length), the vocabulary (every
///   word, lowercased, sorted by UTF-8 bytes, front-coded: see `frontCoded`), where each
///   postings and text shard starts, and the service synonyms, as JSON.
/// - `p<n>.js`: postings of a range of the vocabulary. For each word, in vocabulary order: the
///   number of documents, then per document twice the gap to the previous one, plus 1 when the
///   word's weighted frequency follows (it is `bodyWeight` otherwise), each an unsigned LEB128
///   varint.
/// - `t<n>.js`: the text of a range of documents, for snippets, as a JSON array of strings.
///
/// Each file sets `window.SYLLABUS_SEARCH_PARTS[name]` to its bytes compressed (raw deflate,
/// which browsers inflate with `DecompressionStream("deflate-raw")`) and written in base 85:
/// text is most of the index, and compressed it takes a third of the room.
///
/// Fields are weighted the way BM25F does it (term frequencies weighted per field before
/// saturation: S. Robertson, H. Zaragoza, M. Taylor, "Simple BM25 extension to multiple
/// weighted fields", CIKM 2004); the ranking itself is in `search.js`, which divides the
/// weights by `bodyWeight`, so that a word of prose counts one.
///
/// Words are folded as `search.js` folds a query (see `folded`): lowercased, without
/// diacritics. A run of words joined by dots with no space (`States.ALL`, `v1.2`) is also
/// one word, `states.all`, so a query of the identifier finds the pages that hold it whole.
///
/// Synonyms: every place a document names a service (its name, short name or an alias from
/// `services.yml`, as whole words, case ignored; a name starting with "Amazon" or "AWS" also
/// without that word) also counts as the word `~<service id>`, so a query naming the service
/// one way finds pages that name it another.
///
/// Rebuilds: each document is analysed once (its word counts, length and text size are kept
/// in the renderer state `search`, by the document's `key`), and shards are cut where their
/// own items say, not at a running total: after an item once a shard holds half its target
/// size, when a hash of the item's name falls under the item's share of the target, or at
/// twice the target (content-defined chunking, as rsync-like tools and Pagefind-style indexes
/// cut so that an edit moves few boundaries). An edited note so changes its text shard, the
/// postings shards of the words whose counts it changed, and `index.js`; only those are
/// compressed again, and a shard that only moved to another number is copied.
struct SearchIndex {
    /// Field weights: a word in the title counts as five of prose, in a heading as two, in a
    /// code block as a quarter (a page whose prose explains a word ranks above one that only
    /// uses it in code samples). Whole numbers: postings hold them as integers.
    static let titleWeight = 20, headingWeight = 8, bodyWeight = 4, codeWeight = 1
    /// Longer runs of letters and digits (hashes, base64 in code) are not words anyone types.
    static let longestWord = 40
    /// Shards hold about this many bytes (before compression), between half and twice as many:
    /// a query loads the postings shards of its words and the text shards of the results it
    /// shows.
    static let postingsShardSize = 64_000, textShardSize = 96_000
    /// Words that join or ask rather than name, which search takes as common words whatever
    /// their share of the pages (see `search.js`'s `markCommon`), for a set in a language that
    /// has a list here: English (`EnglishPlural.applies`). A question ("what is a dead letter
    /// queue") then finds the pages about its subject, not only those that also say "what" and
    /// "is".
    static func functionWords(language: String) -> [String] {
        guard EnglishPlural.applies(to: language) else { return [] }
        return ["a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in",
                "into", "is", "it", "its", "of", "on", "or", "should", "that", "the", "their", "then", "there", "these",
                "this", "those", "to", "was", "were", "what", "when", "where", "which", "who", "why", "with", "you", "your"]
    }

    /// `word` as the index holds it: its plural stem (`EnglishPlural`) when `stems`, else itself.
    static func stemmed(_ word: String, _ stems: Bool) -> String {
        stems ? EnglishPlural.singular(word) : word
    }

    /// Documents analysed side by side before their words are merged.
    static let analysisBatch = 128
    static let folder = "assets/search"
    /// The renderer state (see `OutputSink.keep`) holding the analyses, for the next build.
    static let stateName = "search"

    /// One searchable page.
    struct Document {
        var title: String
        /// Relative to the site root.
        var path: String
        var service: String
        /// Headings and body text in document order (see `SearchText`), decoded only when the
        /// document is analysed or its text shard made again.
        var text: SearchText
        /// Equal keys mean equal `title` and `text` (a note's content key): a rebuild takes the
        /// document's analysis from the state instead of reading its text again.
        var key: String

        init(title: String, path: String, service: String, text: SearchText, key: String) {
            (self.title, self.path, self.service, self.text, self.key) = (title, path, service, text, key)
        }

        init(title: String, path: String, service: String, text: String, key: String) {
            self.init(title: title, path: path, service: service, text: SearchText(text: text), key: key)
        }
    }

    /// A file of the index: its name without `.js` (`index`, `p0`…, `t0`…), the key of what it
    /// holds, and its text, or nil when `reuse` kept the previous build's file.
    struct File {
        var name: String
        var key: String
        var text: String?
    }

    /// What one document contributes: its words as `word id << 32 | weighted frequency`,
    /// sorted, its weighted length, and the UTF-8 size of its snippet text.
    struct Analysis {
        var words: [UInt64]
        var length: Int
        var textSize: Int
    }

    /// The analyses of a build, which the next one reads back (`stateName`): the vocabulary
    /// the word ids point into, each word's postings as the postings shards hold them, and
    /// each document's analysis by its key, with the documents' keys in that build's order.
    /// Valid only for the same `environment` (configuration, catalog, tool). A document's
    /// analysis is decoded only when asked for (`analysis(_:)`): a rebuild that changes a
    /// few documents decodes theirs alone, and keeps the others' bytes as they were.
    ///
    /// A word keeps its id while every document keeps its place: a word an edit brings is
    /// numbered after the others, and one it takes away keeps its id with no postings. The
    /// index lists its words in UTF-8 order, so the state keeps that order apart (`sorted`):
    /// numbering the words in it would renumber every document's analysis whenever a word came
    /// or went, most of a one-note rebuild's CPU when the edit wrote a new word. A build that
    /// makes every posting again (a document came, went or moved) numbers them in order.
    struct State {
        static let magic = "syllabus-search 5"
        var environment = ""
        /// By word id.
        var words: [String] = []
        /// The ids of the words some document has, in the UTF-8 order of the words.
        var sorted: [Int] = []
        /// By word id: the word's number of documents, then each document's gap and weight, as
        /// in a postings shard (see `SearchIndex`).
        var postings: [ArraySlice<UInt8>] = []
        /// Each document's analysis as stored, by the document's key.
        var documents: [String: Stored] = [:]
        /// The documents' keys, in the order the postings number them.
        var order: [String] = []
        /// The bytes the state was read from and how many come before their checksum
        /// (`postings` and the documents' entries are slices of them), and where in them each
        /// word's postings and each document begin, with where the last of each ends: a
        /// rebuild that keeps every word's id and every document's place writes the next state
        /// from runs of these bytes, only the few records it changed made anew (see `updated`).
        /// Empty for a state not read from bytes.
        private(set) var source: [UInt8] = []
        private(set) var sourceLength = 0
        private(set) var postingsRecords: [Int] = []
        private(set) var documentRecords: [Int] = []

        /// A document's weighted length and text size, and its words as stored: their count,
        /// then each word's id (as the gap to the one before) and weight.
        struct Stored {
            var length: Int
            var textSize: Int
            var entries: ArraySlice<UInt8>
        }

        init() {}

        /// The state in `bytes` if it is one written for `environment`, else an empty one.
        init(_ bytes: [UInt8]?, environment: String) {
            guard let bytes, let state = try? State(reading: bytes, environment: environment) else { return }
            self = state
        }

        /// Ends with the CRC-32 of the bytes before it (as the build cache's index does): the
        /// postings of the words a rebuild does not change are copied into the shards unread.
        /// The postings and the documents' entries are slices of `bytes`, not copies: the state
        /// is megabytes, read on every rebuild.
        private init(reading bytes: [UInt8], environment: String) throws {
            guard let length = bytes.withUnsafeBytes(Checksum.checkedLength(of:)) else { throw ByteReader.Malformed() }
            var reader = SliceReader(bytes[..<length])
            guard try reader.string() == Self.magic, try reader.string() == environment else { throw ByteReader.Malformed() }
            self.environment = environment
            words = try (0..<reader.count()).map { _ in try reader.string() }
            sorted = try (0..<reader.count()).map { _ in
                let id = try reader.int()
                guard id >= 0, id < words.count else { throw ByteReader.Malformed() }
                return id
            }
            postingsRecords.reserveCapacity(words.count + 1)
            postings = try words.map { _ in
                postingsRecords.append(reader.position)
                return try reader.slice(try reader.count())
            }
            postingsRecords.append(reader.position)
            let count = try reader.count()
            order.reserveCapacity(count)
            documents.reserveCapacity(count)
            documentRecords.reserveCapacity(count + 1)
            for _ in 0..<count {
                documentRecords.append(reader.position)
                let key = try reader.string()
                let length = try reader.int(), textSize = try reader.int()
                order.append(key)
                documents[key] = Stored(length: length, textSize: textSize, entries: try reader.slice(try reader.count()))
            }
            documentRecords.append(reader.position)
            guard reader.isAtEnd else { throw ByteReader.Malformed() }
            (source, sourceLength) = (bytes, length)
        }

        /// The analysis of the document with `key`; nil when the state has none, or its bytes
        /// are not one over `words`.
        func analysis(_ key: String) -> Analysis? {
            guard let stored = documents[key] else { return nil }
            var reader = SliceReader(stored.entries)
            var entries: [UInt64] = []
            do {
                let count = try reader.count()
                entries.reserveCapacity(count)
                var word = 0
                for _ in 0..<count {
                    word += try reader.int()
                    let weight = try reader.int()
                    guard word >= 0, word < words.count, weight > 0, weight <= Int(UInt32.max) else { return nil }
                    entries.append(UInt64(word) << 32 | UInt64(weight))
                }
            } catch {
                return nil
            }
            return reader.isAtEnd ? Analysis(words: entries, length: stored.length, textSize: stored.textSize) : nil
        }

        /// Reads what `ByteWriter` wrote (its integers, strings and raw bytes) where it is, and
        /// hands out the raw bytes as slices sharing the array's storage: `ByteReader` copies
        /// the bytes it is given and each run of raw bytes it reads.
        private struct SliceReader {
            private let bytes: ArraySlice<UInt8>
            private var offset: Int

            init(_ bytes: ArraySlice<UInt8>) { (self.bytes, offset) = (bytes, bytes.startIndex) }

            var isAtEnd: Bool { offset == bytes.endIndex }

            /// Where the next read starts, as an index of the bytes.
            var position: Int { offset }

            /// `ByteWriter.int`'s zigzag LEB128.
            mutating func int() throws -> Int { try ByteReader.zigzagInt(in: bytes, at: &offset, end: bytes.endIndex) }

            /// A count of items that take a byte each at least (see `ByteReader.count`).
            mutating func count() throws -> Int {
                let count = try int()
                guard count >= 0, count <= bytes.endIndex - offset else { throw ByteReader.Malformed() }
                return count
            }

            /// The next `count` bytes.
            mutating func slice(_ count: Int) throws -> ArraySlice<UInt8> {
                guard count >= 0, count <= bytes.endIndex - offset else { throw ByteReader.Malformed() }
                defer { offset += count }
                return bytes[offset..<(offset + count)]
            }

            /// `ByteWriter.string`'s string.
            mutating func string() throws -> String {
                String(decoding: try slice(try count()), as: UTF8.self)
            }
        }

        /// `analysis`'s words as `Stored.entries` holds them.
        static func entries(_ analysis: Analysis) -> [UInt8] {
            var writer = ByteWriter()
            writer.int(analysis.words.count)
            var previous = 0
            for entry in analysis.words {
                let word = Int(entry >> 32)
                writer.int(word - previous)
                writer.int(Int(entry & 0xFFFF_FFFF))
                previous = word
            }
            return writer.bytes
        }

        /// A document's analysis as the state holds it: its weighted length, text size and
        /// entries (see `Stored`).
        typealias Record = (length: Int, textSize: Int, entries: ArraySlice<UInt8>)

        /// A state of `words` (by id), listed in the order `sorted`, with their `postings`, and
        /// of the documents with `keys`, in order, each with its analysis or its entries as
        /// stored (word ids into `words`), encoded.
        static func data(environment: String, words: [String], sorted: [Int], postings: [ArraySlice<UInt8>], keys: [String],
                         analyses: [Record]) -> Encoded {
            var writer = ByteWriter()
            writer.reserve(postings.reduce(0) { $0 + $1.count + 3 } + analyses.reduce(0) { $0 + $1.entries.count + 16 }
                           + (words.count + keys.count) * 48)
            writeHeader(environment: environment, words: words, sorted: sorted, into: &writer)
            for list in postings { write(list, into: &writer) }
            writer.int(keys.count)
            for (key, analysis) in zip(keys, analyses) { write(key, analysis, into: &writer) }
            return Encoded(sealing: [writer.bytes[...]])
        }

        /// This state after an edit that kept every document in its place: `words` (this
        /// state's, then those the edit brought), in the UTF-8 order `sorted`, with the
        /// `postings` of each by id, this state's but for the words `touched`, and the documents
        /// with `keys`, this state's but for those at the positions `changed` (both ascending),
        /// each with its `analysis`. Every other record is this state's bytes as they were read,
        /// handed on as runs of them, not copied (the state is megabytes, and a one-note rebuild
        /// changes a few records of it). Nil when this state was not read from bytes of that
        /// many documents.
        func updated(words: [String], sorted: [Int], postings: [ArraySlice<UInt8>], touched: [Int], keys: [String], changed: [Int],
                     analysis: (Int) -> Record) -> Encoded? {
            guard !source.isEmpty, postingsRecords.count == self.words.count + 1, words.count == postings.count,
                  words.count >= self.words.count, documentRecords.count == keys.count + 1 else { return nil }
            var chunks: [ArraySlice<UInt8>] = []
            var copied = 0
            if words.count != self.words.count || sorted != self.sorted {
                var writer = ByteWriter()
                Self.writeHeader(environment: environment, words: words, sorted: sorted, into: &writer)
                chunks.append(writer.bytes[...])
                copied = postingsRecords[0]
            }
            func replace(_ records: [Int], at index: Int, with write: (inout ByteWriter) -> Void) {
                if records[index] > copied { chunks.append(source[copied..<records[index]]) }
                var writer = ByteWriter()
                write(&writer)
                chunks.append(writer.bytes[...])
                copied = records[index + 1]
            }
            for word in touched where word < self.words.count { replace(postingsRecords, at: word) { Self.write(postings[word], into: &$0) } }
            // The postings of the words the edit brought follow the others'.
            if words.count > self.words.count {
                let end = postingsRecords[self.words.count]
                if end > copied { chunks.append(source[copied..<end]) }
                var writer = ByteWriter()
                for word in self.words.count..<words.count { Self.write(postings[word], into: &writer) }
                chunks.append(writer.bytes[...])
                copied = end
            }
            for doc in changed { replace(documentRecords, at: doc) { Self.write(keys[doc], analysis(doc), into: &$0) } }
            if sourceLength > copied { chunks.append(source[copied..<sourceLength]) }
            return Encoded(sealing: chunks)
        }

        /// What comes before the postings: the magic, the environment, the words and their order.
        private static func writeHeader(environment: String, words: [String], sorted: [Int], into writer: inout ByteWriter) {
            writer.string(magic)
            writer.string(environment)
            writer.strings(words)
            writer.int(sorted.count)
            for id in sorted { writer.int(id) }
        }

        /// One word's postings record.
        private static func write(_ postings: ArraySlice<UInt8>, into writer: inout ByteWriter) {
            writer.int(postings.count)
            writer.raw(postings)
        }

        /// One document's record.
        private static func write(_ key: String, _ analysis: Record, into writer: inout ByteWriter) {
            writer.string(key)
            writer.int(analysis.length)
            writer.int(analysis.textSize)
            writer.int(analysis.entries.count)
            writer.raw(analysis.entries)
        }

        /// An encoded state: its bytes in pieces, to be written one after another (see
        /// `OutputSink.keep(chunks:state:)`), the last its checksum (see `Checksum.seal`).
        struct Encoded {
            let chunks: [ArraySlice<UInt8>]

            /// `chunks` ended with the checksum of their bytes.
            init(sealing chunks: [ArraySlice<UInt8>]) {
                self.chunks = chunks + [Checksum.seal(chunks)[...]]
            }

            /// The bytes, in one piece.
            var bytes: [UInt8] { Array(chunks.joined()) }
        }
    }

    /// What becomes of one file: kept from the last build, copied from its file of another
    /// name, or made from these bytes.
    private enum Source {
        case kept, copied(String), bytes([UInt8])
    }

    /// The index's files, in a stable order (`index`, the postings, the texts), and the state
    /// for the next build (nil when the one it read stays right). `previous` is the state the
    /// last build left; `reuse` says whether the last build's file of a name, with contents of
    /// a key, stays (see `OutputSink.reuse`); `copy` returns the text the last build wrote
    /// with contents of that key, under the given name, if it can. `shardSizes` are the
    /// targets the shards are cut at. Throws when libdeflate fails (`Deflate.Failure`).
    static func files(_ documents: [Document], services: [Service], environment: String, language: String = "",
                      previous: State = State(),
                      shardSizes: (postings: Int, texts: Int) = (postingsShardSize, textShardSize),
                      reuse: (_ name: String, _ key: String) -> Bool = { _, _ in false },
                      copy: (_ name: String, _ key: String) -> String? = { _, _ in nil }) throws -> (files: [File], state: State.Encoded?) {
        let stems = EnglishPlural.applies(to: language), functionWords = Self.functionWords(language: language)
        let phrases = PhraseTable(services, stemsPlurals: stems)
        var parts: [(name: String, key: String, source: Source)] = []
        func add(_ name: String, key: String, bytes: () -> [UInt8]) {
            if reuse(name, key) {
                parts.append((name, key, .kept))
            } else if let text = copy(name, key) {
                parts.append((name, key, .copied(text)))
            } else {
                parts.append((name, key, .bytes(bytes())))
            }
        }

        // Documents are analysed side by side a batch at a time, unless the state has them, and
        // their words numbered at once; texts go into text shards as they come. A document the
        // state has is not decoded for them: its text size is all they need.
        let keys = documents.map(\.key)
        let stored = keys.map { previous.documents[$0] }
        let isNew = stored.map { $0 == nil }
        var made: [Analysis?] = Array(repeating: nil, count: documents.count)
        func textSize(_ doc: Int) -> Int { made[doc]?.textSize ?? stored[doc]!.textSize }
        // The previous words keep their ids; made only when there are documents to analyse.
        var table = isNew.contains(true) ? WordTable(previous.words) : WordTable()
        var textCutter = Cutter(target: shardSizes.texts)
        var textStarts: [Int] = []
        var openTexts: [Int: [UInt8]] = [:]
        for batch in stride(from: 0, to: documents.count, by: analysisBatch) {
            let count = min(analysisBatch, documents.count - batch)
            // A batch the state has whole is not handed to the other cores (a one-note rebuild's
            // batches all but one are).
            let results = !isNew[batch..<(batch + count)].contains(true) ? nil : parallelMap(count) { offset -> Analyser? in
                isNew[batch + offset] ? analyse(documents[batch + offset], phrases: phrases, stems: stems) : nil
            }
            for offset in 0..<count {
                let doc = batch + offset
                if let result = results?[offset] {
                    // The document's words, found by their bytes and hashes: a string is made
                    // only for a word the whole index has not seen yet.
                    var entries: [UInt64] = []
                    entries.reserveCapacity(result.weights.count + result.services.count)
                    for (word, weight) in result.weights.enumerated() where weight > 0 {
                        let id = result.table.withBytes(of: word) { table.id(of: $0, hash: result.table.hashes[word]) }
                        entries.append(UInt64(id) << 32 | UInt64(weight))
                    }
                    for (service, weight) in result.services {
                        var service = service
                        let id = service.withUTF8 { table.id(of: $0, hash: hash($0)) }
                        entries.append(UInt64(id) << 32 | UInt64(weight))
                    }
                    made[doc] = Analysis(words: entries, length: result.length, textSize: result.snippet.count)
                    openTexts[doc] = result.snippet
                }
                if textCutter.isEmpty { textStarts.append(doc) }
                if textCutter.cut(after: hash(documents[doc].path), size: textSize(doc)) || doc == documents.count - 1 {
                    // A text shard is known by its documents' keys: those that did not change
                    // are not read again.
                    let members = textStarts.last!...doc
                    var key = CacheKeyHasher()
                    for member in members { key.add(keys[member]) }
                    add("t\(textStarts.count - 1)", key: key.hex) {
                        var json: [UInt8] = [0x5B]
                        json.reserveCapacity(members.reduce(2) { $0 + textSize($1) + textSize($1) / 8 + 3 })
                        for member in members {
                            if member > members.lowerBound { json.append(0x2C) }
                            (openTexts[member] ?? snippet(documents[member])).withUnsafeBufferPointer {
                                SiteRenderer.appendJSONString($0, to: &json)
                            }
                        }
                        json.append(0x5D)
                        return json
                    }
                    openTexts.removeAll(keepingCapacity: true)
                    textCutter = Cutter(target: shardSizes.texts)
                }
            }
        }
        // New documents' words in id order, as the state keeps them.
        for doc in made.indices { made[doc]?.words.sort() }
        var words = isNew.contains(true) ? table.words : previous.words
        let lengths = documents.indices.map { made[$0]?.length ?? stored[$0]!.length }

        // Each word's postings, as the shards hold them: the state's, but for the words of the
        // documents that changed; when documents came, went or moved, made again from every
        // document's analysis (`all`, which the state then keeps).
        let wordPostings: [ArraySlice<UInt8>]
        let sorted: [Int]
        var all: [Analysis] = []
        var changed: [Int] = [], touched: [Int] = []
        if let updated = Self.postings(keys, made: made, previous: previous, words: words, changed: &changed, touched: &touched) {
            (wordPostings, sorted) = updated
        } else {
            let decoded = documents.indices.map { made[$0] ?? previous.analysis(keys[$0]) }
            // A stored analysis that does not read back: made again from nothing, as without a state.
            guard !decoded.contains(where: { $0 == nil }) else {
                return try files(documents, services: services, environment: environment, language: language,
                                 shardSizes: shardSizes, reuse: reuse, copy: copy)
            }
            all = decoded.map { $0! }
            // The vocabulary: the words some document has, in UTF-8 order, numbered in it. The
            // previous build's are in that order already (`State.sorted`) and the others few:
            // the two are merged, and ids renumbered unless each word's id is its place.
            var documentCounts = [Int](repeating: 0, count: words.count)
            for analysis in all { for entry in analysis.words { documentCounts[Int(entry >> 32)] += 1 } }
            let idsInOrder = previous.sorted.elementsEqual(previous.words.indices)
            if words.count != previous.words.count || documentCounts.contains(0) || !idsInOrder {
                var wasListed = [Bool](repeating: false, count: words.count)
                for id in previous.sorted { wasListed[id] = true }
                let old = previous.sorted.filter { documentCounts[$0] > 0 }
                let new = words.indices.filter { documentCounts[$0] > 0 && !wasListed[$0] }
                    .sorted { words[$0].utf8.lexicographicallyPrecedes(words[$1].utf8) }
                var order: [Int] = []
                order.reserveCapacity(old.count + new.count)
                var (i, j) = (0, 0)
                while i < old.count || j < new.count {
                    if j == new.count || (i < old.count && words[old[i]].utf8.lexicographicallyPrecedes(words[new[j]].utf8)) {
                        order.append(old[i])
                        i += 1
                    } else {
                        order.append(new[j])
                        j += 1
                    }
                }
                var rank = [UInt64](repeating: 0, count: words.count)
                for (position, id) in order.enumerated() { rank[id] = UInt64(position) }
                // Old ids in order keep it: a kept analysis then stays sorted.
                for doc in all.indices { all[doc].words = all[doc].words.map { rank[Int($0 >> 32)] << 32 | ($0 & 0xFFFF_FFFF) } }
                for doc in all.indices where isNew[doc] || !idsInOrder { all[doc].words.sort() }
                words = order.map { words[$0] }
                documentCounts = order.map { documentCounts[$0] }
            }
            // Postings, inverted from the analyses: by word, each word's documents in order.
            var starts = [Int](repeating: 0, count: words.count + 1)
            for (word, count) in documentCounts.enumerated() { starts[word + 1] = starts[word] + count }
            var fill = starts
            var postings = [UInt64](repeating: 0, count: starts[words.count])
            for (doc, analysis) in all.enumerated() {
                for entry in analysis.words {
                    let word = Int(entry >> 32)
                    postings[fill[word]] = UInt64(doc) << 32 | (entry & 0xFFFF_FFFF)
                    fill[word] += 1
                }
            }
            var encoded: [UInt8] = []
            var ends: [Int] = []
            ends.reserveCapacity(words.count)
            for word in words.indices {
                Self.encode(postings[starts[word]..<starts[word + 1]], into: &encoded)
                ends.append(encoded.count)
            }
            wordPostings = words.indices.map { encoded[(($0 == 0 ? 0 : ends[$0 - 1]))..<ends[$0]] }
            sorted = Array(words.indices)
        }
        // The index lists the words in UTF-8 order, numbered in it.
        let listed = sorted.map { words[$0] }
        var postingStarts: [Int] = []
        var shard: [UInt8] = []
        var cutter = Cutter(target: shardSizes.postings)
        for (word, id) in sorted.enumerated() {
            if shard.isEmpty { postingStarts.append(word) }
            shard.append(contentsOf: wordPostings[id])
            if cutter.cut(after: hash(listed[word]), size: wordPostings[id].count) || word == sorted.count - 1 {
                var key = CacheKeyHasher()
                shard.withUnsafeBytes { key.add($0) }
                add("p\(postingStarts.count - 1)", key: key.hex) { shard }
                shard.removeAll(keepingCapacity: true)
            }
        }

        let totalLength = lengths.reduce(0, +)
        // The documents' rows written straight into the bytes: a string per field and row
        // (and a copy of each document) took longer than the rest of index.js.
        var rows: [UInt8] = Array("{\"docs\":[".utf8)
        func appendJSON(_ text: String) {
            var text = text
            text.withUTF8 { SiteRenderer.appendJSONString($0, to: &rows) }
        }
        for doc in documents.indices {
            rows += doc > 0 ? ",[".utf8 : "[".utf8
            appendJSON(documents[doc].title)
            rows.append(0x2C)
            appendJSON(documents[doc].path)
            rows.append(0x2C)
            appendJSON(documents[doc].service)
            rows += ",\(lengths[doc])]".utf8
        }
        var index = String(decoding: rows, as: UTF8.self)
        index += "],\"bodyWeight\":\(bodyWeight),\"avgLength\":\(documents.isEmpty ? 0 : Double(totalLength) / Double(documents.count))"
        index += ",\"postings\":[\(postingStarts.map(String.init).joined(separator: ","))]"
        index += ",\"texts\":[\(textStarts.map(String.init).joined(separator: ","))]"
        index += ",\"services\":[" + phrases.synonyms.map { service in
            "[" + ([SiteRenderer.jsonString("~" + service.id)] + service.phrases.map { SiteRenderer.jsonString($0.joined(separator: " ")) })
                .joined(separator: ",") + "]"
        }.joined(separator: ",") + "]"
        index += ",\"words\":" + SiteRenderer.jsonString(frontCoded(listed))
        if !functionWords.isEmpty { index += ",\"stop\":" + SiteRenderer.jsonString(functionWords.joined(separator: " ")) }
        if stems { index += ",\"stems\":true" }
        index += "}"
        // index.js's key covers the other files' keys too, so that a kept index.js lists
        // this build's files (see `SiteRenderer.searchIndex`).
        var indexKey = CacheKeyHasher()
        indexKey.add(index)
        for part in parts {
            indexKey.add(part.name)
            indexKey.add(part.key)
        }
        add("index", key: indexKey.hex) { Array(index.utf8) }

        // The stable order; the files to make are compressed side by side (libdeflate runs on one core).
        parts.sort { rank(of: $0.name) < rank(of: $1.name) }
        let texts = parallelMap(parts.count) { position -> Result<String?, Error> in
            switch parts[position].source {
            case .kept: return .success(nil)
            case .copied(let text): return .success(text)
            case .bytes(let bytes): return Result { try script(parts[position].name, packing: bytes) }
            }
        }
        let files = try zip(parts, texts).map { File(name: $0.name, key: $0.key, text: try $1.get()) }
        if all.isEmpty && changed.isEmpty { return (files, nil) }
        // The documents the state has unchanged keep their bytes (unless every word was numbered again).
        func analysis(_ doc: Int) -> State.Record {
            if !all.isEmpty { return (all[doc].length, all[doc].textSize, State.entries(all[doc])[...]) }
            if let made = made[doc] { return (made.length, made.textSize, State.entries(made)[...]) }
            return (stored[doc]!.length, stored[doc]!.textSize, stored[doc]!.entries)
        }
        // Every document kept its place: the last state's bytes, but for the records of the
        // words and documents that changed.
        if all.isEmpty, let state = previous.updated(words: words, sorted: sorted, postings: wordPostings, touched: touched, keys: keys,
                                                     changed: changed, analysis: analysis) {
            return (files, state)
        }
        return (files, State.data(environment: environment, words: words, sorted: sorted, postings: wordPostings, keys: keys,
                                  analyses: documents.indices.map(analysis)))
    }

    /// Appends the postings of one word (documents in order, each `doc << 32 | weight`) as a
    /// postings shard holds them: their count, then per document twice the gap to the one
    /// before, plus 1 when the weight follows (it is `bodyWeight` otherwise).
    private static func encode(_ postings: some Collection<UInt64>, into bytes: inout [UInt8]) {
        leb128(postings.count, into: &bytes)
        var previous = 0
        for posting in postings {
            // Most words are in a document's prose once: the weight is written only when
            // it is not that, flagged in the gap's lowest bit.
            let doc = Int(posting >> 32), weight = Int(posting & 0xFFFF_FFFF)
            if weight == bodyWeight {
                leb128((doc - previous) << 1, into: &bytes)
            } else {
                leb128((doc - previous) << 1 | 1, into: &bytes)
                leb128(weight, into: &bytes)
            }
            previous = doc
        }
    }

    /// What `encode` wrote, read back; nil when the bytes are not that.
    private static func decodePostings(_ bytes: ArraySlice<UInt8>) -> [UInt64]? {
        var index = bytes.startIndex
        func next() -> Int? {
            var value = 0, shift = 0
            while index < bytes.endIndex, shift < 63 {
                let byte = bytes[index]
                index += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
            return nil
        }
        guard let count = next(), count <= bytes.count else { return nil }
        var postings: [UInt64] = []
        postings.reserveCapacity(count)
        var doc = 0
        for _ in 0..<count {
            guard let gap = next() else { return nil }
            doc += gap >> 1
            var weight = bodyWeight
            if gap & 1 == 1 {
                guard let written = next() else { return nil }
                weight = written
            }
            guard weight > 0, weight <= Int(UInt32.max) else { return nil }
            postings.append(UInt64(doc) << 32 | UInt64(weight))
        }
        return index == bytes.endIndex ? postings : nil
    }

    /// Each word's postings (as `encode` writes them, by id) and the ids of the words some
    /// document has in the UTF-8 order of `words` (see `State.sorted`), when the documents
    /// with `keys` are those `previous` numbers, in its order, but for some whose key changed
    /// (`changed`, by position): the state's, with those of the words the changed documents
    /// have or had made again (`touched`, by word id, ascending). `words` are the state's, then
    /// those the changed documents brought. Nil when that does not hold (a document came, went
    /// or moved, the state has no postings or a document's analysis is not read): every word's
    /// are then made from every document's analysis. `made` holds the analyses of the
    /// documents the state does not have, their words sorted.
    private static func postings(_ keys: [String], made: [Analysis?], previous: State, words: [String],
                                 changed: inout [Int], touched touchedWords: inout [Int]) -> (postings: [ArraySlice<UInt8>], sorted: [Int])? {
        guard keys.count == previous.order.count, words.count >= previous.words.count, previous.postings.count == previous.words.count else { return nil }
        changed = keys.indices.filter { keys[$0] != previous.order[$0] }
        // By word: the changed documents whose weight of it changed, with their weight now (0:
        // none). A word a document keeps with the same weight keeps its postings: a one-line
        // edit touches the few words it adds or drops, not every word of its note.
        var touched: [Int: [Int: Int]] = [:]
        for doc in changed {
            guard let old = previous.analysis(previous.order[doc])?.words, let new = (made[doc] ?? previous.analysis(keys[doc]))?.words else { return nil }
            // Both sorted by word id: merged.
            var (i, j) = (0, 0)
            while i < old.count || j < new.count {
                let oldWord = i < old.count ? Int(old[i] >> 32) : Int.max, newWord = j < new.count ? Int(new[j] >> 32) : Int.max
                if oldWord < newWord {
                    touched[oldWord, default: [:]][doc] = 0
                    i += 1
                } else if newWord < oldWord {
                    touched[newWord, default: [:]][doc] = Int(new[j] & 0xFFFF_FFFF)
                    j += 1
                } else {
                    if old[i] != new[j] { touched[newWord, default: [:]][doc] = Int(new[j] & 0xFFFF_FFFF) }
                    (i, j) = (i + 1, j + 1)
                }
            }
        }
        var postings = previous.postings
        postings.append(contentsOf: repeatElement(noPostings, count: words.count - previous.words.count))
        // Words that some document has now and none had, or the reverse.
        var came: [Int] = [], went: Set<Int> = []
        for (word, docs) in touched {
            guard var list = decodePostings(postings[word]) else { return nil }
            let wasListed = !list.isEmpty
            list.removeAll { docs[Int($0 >> 32)] != nil }
            for (doc, weight) in docs where weight > 0 { list.append(UInt64(doc) << 32 | UInt64(weight)) }
            list.sort()
            if wasListed && list.isEmpty { went.insert(word) }
            if !wasListed && !list.isEmpty { came.append(word) }
            var bytes: [UInt8] = []
            encode(list, into: &bytes)
            postings[word] = bytes[...]
        }
        touchedWords = touched.keys.sorted()
        var sorted = went.isEmpty ? previous.sorted : previous.sorted.filter { !went.contains($0) }
        if !came.isEmpty {
            // Each placed by binary search among the listed words: a few words, not a sort of all.
            func precedes(_ a: Int, _ b: Int) -> Bool { words[a].utf8.lexicographicallyPrecedes(words[b].utf8) }
            came.sort(by: precedes)
            var merged: [Int] = []
            merged.reserveCapacity(sorted.count + came.count)
            var copied = 0
            for word in came {
                var (low, high) = (copied, sorted.count)
                while low < high {
                    let middle = (low + high) / 2
                    if precedes(sorted[middle], word) { low = middle + 1 } else { high = middle }
                }
                merged.append(contentsOf: sorted[copied..<low])
                merged.append(word)
                copied = low
            }
            merged.append(contentsOf: sorted[copied...])
            sorted = merged
        }
        return (postings, sorted)
    }

    /// The postings of a word no document has: a count of none.
    private static let noPostings: ArraySlice<UInt8> = [0][...]

    /// `index` first, then `p<n>` and `t<n>` by number.
    private static func rank(of name: String) -> (Int, Int) {
        guard let kind = name.first, let number = Int(name.dropFirst()) else { return (0, 0) }
        return (kind == "p" ? 1 : 2, number)
    }

    /// Content-defined cut points for a list of items (words, documents), each with a size
    /// and a hash of its name: a shard ends after an item once it holds half `target`, with a
    /// chance of twice the item's share of `target`, decided by the hash, or once it holds
    /// twice `target`. Shards average about `target`, and a boundary moves only when the
    /// items just before it change, not when an earlier shard grows.
    struct Cutter {
        let target: Int
        private var size = 0

        init(target: Int) { self.target = target }

        /// True while no item was added since the last cut.
        var isEmpty: Bool { size == 0 }

        /// Adds an item of `size` bytes whose name hashes to `hash`; true when the shard ends after it.
        mutating func cut(after hash: UInt64, size itemSize: Int) -> Bool {
            size += max(itemSize, 1)
            let cut = size >= 2 * target || (size >= target / 2 && hash % UInt64(target) < UInt64(2 * itemSize))
            if cut { size = 0 }
            return cut
        }
    }

    /// A hash of `text`'s UTF-8 bytes that is the same in every run and on every machine:
    /// 64-bit FNV-1a, then SplitMix64's finalizer (FNV's low bits alone mix poorly).
    static func hash(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8(hash)
    }

    /// `hash(_:)` of UTF-8 `bytes`.
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hashFinished(bytes.reduce(hashBasis) { hashing($1, into: $0) })
    }

    /// FNV-1a's offset basis: the hash of no bytes, before `hashFinished`.
    static let hashBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// FNV-1a's step: `hash` with `byte` added.
    @inline(__always)
    static func hashing(_ byte: UInt8, into hash: UInt64) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }

    /// SplitMix64's finalizer over FNV-1a's `hash`: what `hash(_:)` returns.
    @inline(__always)
    static func hashFinished(_ hash: UInt64) -> UInt64 {
        var value = hash
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }

    /// Whether each byte is an ASCII letter or digit.
    static let asciiWordBytes: [Bool] = (0...255).map { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }

    /// A script that files `bytes`, compressed, under `name`, whichever part loads first:
    /// `[length, text]`, the text being the raw deflate stream (RFC 1951) in `base85Alphabet`.
    /// - Throws: `Deflate.Failure` when libdeflate fails.
    static func script(_ name: String, packing bytes: [UInt8]) throws -> String {
        let deflated = try bytes.withUnsafeBytes { try Deflate.compress($0, level: deflateLevel) }
        var text = Array(header(name).utf8)
        text += "[\(deflated.count),\"".utf8
        base85(deflated, into: &text)
        text += "\"];\n".utf8
        return String(decoding: text, as: UTF8.self)
    }

    /// libdeflate's level 2 (of 0-12): the fastest that makes the parts no larger than zlib's
    /// level 3 did. Over the 12.3 MB of parts of the 2,075-note benchmark corpus (one call per
    /// part, one thread), libdeflate's level 1 took 0.033 s of CPU for 2.46 MB, level 2 0.048 s
    /// for 2.32 MB, level 3 0.057 s for 2.21 MB and level 6 0.095 s for 2.04 MB, where zlib's
    /// level 3 took 0.079 s for 2.37 MB. A search loads the parts it needs, so their size is
    /// what a reader waits for on a slow connection.
    static let deflateLevel: Int32 = 2

    /// How a part's script starts: all that names it.
    private static func header(_ name: String) -> String {
        "(window.SYLLABUS_SEARCH_PARTS = window.SYLLABUS_SEARCH_PARTS || {})[\"\(name)\"] = "
    }

    /// `script`, a part's script made by `script(_:packing:)` under `name`, filed under
    /// `newName` instead; nil when it is not such a script.
    static func renamed(_ script: String, from name: String, to newName: String) -> String? {
        guard script.hasPrefix(header(name)) else { return nil }
        return header(newName) + script.dropFirst(header(name).count)
    }

    /// 85 printable ASCII characters that need no escaping in a JavaScript string.
    static let base85Alphabet: [UInt8] = Array((0x21...0x7E).filter { !Set("\"\\'<>&`$/".utf8).contains(UInt8($0)) }.map { UInt8($0) })

    /// Every 4 bytes (big-endian, the last group padded with zeros) as 5 base-85 digits, most
    /// significant first: 25 % larger than the bytes, where base64 is 33 %.
    /// Appended to `text` as ASCII.
    static func base85(_ data: Data, into text: inout [UInt8]) {
        text.reserveCapacity(text.count + (data.count + 3) / 4 * 5)
        data.withUnsafeBytes { bytes in base85(bytes, into: &text) }
    }

    private static func base85(_ bytes: UnsafeRawBufferPointer, into text: inout [UInt8]) {
        for group in stride(from: 0, to: bytes.count, by: 4) {
            var value: UInt32 = 0
            for offset in 0..<4 { value = value << 8 | UInt32(group + offset < bytes.count ? bytes[group + offset] : 0) }
            let d4 = value % 85; value /= 85
            let d3 = value % 85; value /= 85
            let d2 = value % 85; value /= 85
            let d1 = value % 85; value /= 85
            for digit in [value, d1, d2, d3, d4] { text.append(base85Alphabet[Int(digit)]) }
        }
    }

    /// Sorted words, space-separated, each as the number of UTF-16 code units it shares with
    /// the word before (one character of `sharedDigits`) and the rest of it ("front coding"):
    /// `time timeout timer` is `0time 4out 5r`.
    static func frontCoded(_ words: [String]) -> String {
        var result: [UInt8] = []
        var previous = ""
        for var word in words {
            if !result.isEmpty { result.append(0x20) }
            // Where both words are ASCII up to where they differ, a UTF-16 code unit is a byte:
            // compared and cut as bytes, with no array of code units made for every word.
            let ascii = word.withUTF8 { word in
                previous.withUTF8 { previous -> Bool in
                    var shared = 0
                    while shared < min(word.count, previous.count, sharedDigits.count - 1), word[shared] == previous[shared] {
                        guard word[shared] < 0x80 else { return false }
                        shared += 1
                    }
                    guard (shared == word.count || word[shared] < 0x80) && (shared == previous.count || previous[shared] < 0x80) else { return false }
                    result.append(sharedDigitBytes[shared])
                    result.append(contentsOf: UnsafeBufferPointer(rebasing: word[shared...]))
                    return true
                }
            }
            if !ascii {
                let units = Array(word.utf16), before = Array(previous.utf16)
                var shared = 0
                while shared < min(units.count, before.count, sharedDigits.count - 1), units[shared] == before[shared] { shared += 1 }
                result.append(sharedDigitBytes[shared])
                result += String(decoding: units[shared...], as: UTF16.self).utf8
            }
            previous = word
        }
        return String(decoding: result, as: UTF8.self)
    }

    static let sharedDigits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    private static let sharedDigitBytes = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)

    /// Unsigned LEB128: 7 bits a byte, low bits first, the high bit meaning "more follows".
    static func leb128(_ value: Int, into bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A document's words counted (words longer than `longestWord` left out), English plurals
    /// by their stem when `stems` (see `EnglishPlural`), its weighted length and its snippet text.
    private static func analyse(_ document: Document, phrases: PhraseTable, stems: Bool) -> Analyser {
        var analyser = Analyser(phrases: phrases, stems: stems)
        lowercasedASCII(document.title).withUnsafeBufferPointer { analyser.add($0, weight: titleWeight) }
        let text = document.text.text
        let lowered = lowercasedASCII(text)
        analyser.snippet.reserveCapacity(lowered.count)
        lowered.withUnsafeBufferPointer { lowered in
            forEachLine(of: text, title: document.title) { line, weight, inSnippet in
                analyser.add(UnsafeBufferPointer(rebasing: lowered[line.range]), weight: weight)
                if inSnippet {
                    if !analyser.snippet.isEmpty { analyser.snippet.append(0x0A) }
                    analyser.snippet.append(contentsOf: line.bytes)
                }
            }
        }
        return analyser
    }

    /// The UTF-8 of `text` with A–Z lowercased (what `tokens` does to an ASCII word).
    private static func lowercasedASCII(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { bytes in
            [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
                for (offset, byte) in bytes.enumerated() { buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
                count = bytes.count
            }
        }
    }

    /// Counts the words of one document's lines (see `analyse`). Its state is in stored
    /// properties, not in variables that closures capture, so the loop over the words needs no
    /// exclusivity checks at run time; each word is looked up by its bytes in a table of the
    /// document's own words, which makes no strings: the index's table makes one per word it
    /// has not seen (`files`).
    private struct Analyser {
        let phrases: PhraseTable
        /// Whether words are counted by their plural stem (`EnglishPlural`).
        let stems: Bool
        /// The document's words, numbered as first seen.
        var table = WordTable(keepsStrings: false)
        /// Each word's weighted count, by its number; 0 for a word longer than `longestWord`.
        var weights: [Int] = []
        /// Whether each word starts a service's name.
        var startsName: [Bool] = []
        /// `~<service id>` of each service named, with its weighted count.
        var services: [String: Int] = [:]
        var length = 0
        /// The snippet text (see `SearchIndex.snippet`), as UTF-8.
        var snippet: [UInt8] = []
        /// The word ids of the line being counted.
        var line: [Int] = []
        /// The ids of the line's runs of words joined by dots (`states.all`): words of their
        /// own, but not in `line`, whose words make the length and name services.
        var dotted: [Int] = []
        /// Where in the line the run of words joined by dots that the last word ends starts
        /// and ends, and how many words it has (0 after a CJK word).
        var run = (start: 0, end: 0, words: 0)

        init(phrases: PhraseTable, stems: Bool) { (self.phrases, self.stems) = (phrases, stems) }

        /// Counts the words of `bytes` (ASCII already lowercased), each `weight` times. A word
        /// of ASCII letters and digits (nearly every word) is hashed as it is read; one with
        /// other letters is found again by `nextWord`.
        mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, weight: Int) {
            line.removeAll(keepingCapacity: true)
            dotted.removeAll(keepingCapacity: true)
            run = (0, 0, 0)
            var index = 0
            while index < bytes.count {
                let start = index
                var hash = SearchIndex.hashBasis
                while index < bytes.count, SearchIndex.asciiWordBytes[Int(bytes[index])] {
                    hash = SearchIndex.hashing(bytes[index], into: hash)
                    index += 1
                }
                let next = index < bytes.count ? bytes[index] : 0
                if next < 0x80 {
                    if index > start {
                        count(id(of: UnsafeBufferPointer(rebasing: bytes[start..<index]), hash: SearchIndex.hashFinished(hash)))
                        join(start..<index, of: bytes, joinable: true)
                    } else {
                        index += 1
                    }
                    continue
                }
                // A byte of a character beyond ASCII: the word, if it is one, goes on from `start`.
                index = start
                guard let (range, ascii) = SearchIndex.nextWord(in: bytes, from: &index) else { break }
                let word = UnsafeBufferPointer(rebasing: bytes[range])
                if ascii {
                    count(id(of: word, hash: SearchIndex.hash(word)))
                    join(range, of: bytes, joinable: true)
                } else {
                    let text = String(decoding: word, as: UTF8.self)
                    var folded = SearchIndex.stemmed(SearchIndex.folded(text.lowercased()), stems)
                    folded.withUTF8 { count(table.id(of: $0, hash: SearchIndex.hash($0))) }
                    // A word starts with a letter or digit (`nextWord`), so it has a first scalar.
                    join(range, of: bytes, joinable: !SearchIndex.isCJK(text.unicodeScalars.first!.value))
                }
            }
            endRun(in: bytes)
            length += line.count * weight
            for id in line where table.byteCount(of: id) <= longestWord { weights[id] += weight }
            for id in dotted where table.byteCount(of: id) <= longestWord { weights[id] += weight }
            for service in phrases.mentions(line, words: table, startsName: startsName) {
                services["~" + service, default: 0] += weight
            }
        }

        /// The id of the lowercased ASCII `word` (which hashes to `hash`), or of its plural stem.
        private mutating func id(of word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
            guard stems, let (keep, y) = EnglishPlural.stem(word) else { return table.id(of: word, hash: hash) }
            guard y else {
                let stem = UnsafeBufferPointer(rebasing: word[..<keep])
                return table.id(of: stem, hash: SearchIndex.hash(stem))
            }
            var stem = Array(word[..<keep])
            stem.append(0x79)
            return stem.withUnsafeBufferPointer { table.id(of: $0, hash: SearchIndex.hash($0)) }
        }

        /// Adds word `id` to the line being counted.
        private mutating func count(_ id: Int) {
            line.append(register(id))
        }

        /// `id`, with room for its counts when the document had no such word yet.
        private mutating func register(_ id: Int) -> Int {
            if id == weights.count {
                weights.append(0)
                startsName.append(table.withBytes(of: id) { phrases.startsName($0, hash: table.hashes[id]) })
            }
            return id
        }

        /// Follows the word at `range` of the line's `bytes` just counted: it goes on with the
        /// run of words before it when a dot alone is between them, else ends that run and
        /// starts one, if `joinable` (a CJK word is not).
        private mutating func join(_ range: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, joinable: Bool) {
            if joinable, run.words > 0, range.lowerBound == run.end + 1, bytes[run.end] == 0x2E {
                run.end = range.upperBound
                run.words += 1
            } else {
                endRun(in: bytes)
                run = joinable ? (range.lowerBound, range.upperBound, 1) : (0, 0, 0)
            }
        }

        /// Counts the run of words joined by dots that ends, if it has two words or more, as one
        /// word (`states.all`), folded and stemmed as its words are.
        private mutating func endRun(in bytes: UnsafeBufferPointer<UInt8>) {
            defer { run = (0, 0, 0) }
            guard run.words > 1 else { return }
            let text = UnsafeBufferPointer(rebasing: bytes[run.start..<run.end])
            if stems {
                let words = SearchIndex.folded(String(decoding: text, as: UTF8.self).lowercased()).split(separator: ".", omittingEmptySubsequences: false)
                var joined = words.map { SearchIndex.stemmed(String($0), true) }.joined(separator: ".")
                joined.withUTF8 { dotted.append(register(table.id(of: $0, hash: SearchIndex.hash($0)))) }
            } else if !text.contains(where: { $0 >= 0x80 }) {
                dotted.append(register(table.id(of: text, hash: SearchIndex.hash(text))))
            } else {
                var folded = SearchIndex.folded(String(decoding: text, as: UTF8.self).lowercased())
                folded.withUTF8 { dotted.append(register(table.id(of: $0, hash: SearchIndex.hash($0)))) }
            }
        }
    }

    /// The text a document's snippets are cut from (what `analyse` returns with its words),
    /// as UTF-8.
    static func snippet(_ document: Document) -> [UInt8] {
        var snippet: [UInt8] = []
        forEachLine(of: document.text.text, title: document.title) { line, _, inSnippet in
            guard inSnippet else { return }
            if !snippet.isEmpty { snippet.append(0x0A) }
            snippet.append(contentsOf: line.bytes)
        }
        return snippet
    }

    /// Calls `body` with each line of a document's `text` without its heading or code mark (its
    /// bytes and where they are in the text's UTF-8), the weight of its words (`headingWeight`,
    /// `codeWeight` or `bodyWeight`), and whether the snippet text has it: a first heading that
    /// repeats the `title` shown above a snippet is left out of it.
    private static func forEachLine(of text: String, title: String,
                                    _ body: ((bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>), _ weight: Int, _ inSnippet: Bool) -> Void) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let heading = bytes[start] == 0x01, code = bytes[start] == 0x02
                let range = (heading || code ? start + 1 : start)..<end
                let line = UnsafeBufferPointer(rebasing: bytes[range])
                body((line, range), heading ? headingWeight : code ? codeWeight : bodyWeight,
                     !(start == 0 && heading && line.elementsEqual(title.utf8)))
                start = end + 1
            }
        }
    }

    /// The words of `text`, folded, as `search.js` splits a query: runs of Unicode letters
    /// and digits (`/[\p{L}\p{N}]+/gu`, then `toLowerCase()` and `folded`), except that text of the
    /// scripts written without spaces (Han, Hiragana, Katakana, Hangul: `isCJK`) is cut into
    /// overlapping pairs of characters (`暗号化` is `暗号`, `号化`; a lone character is itself),
    /// which no run of other letters joins (`lambda関数` is `lambda`, `関数`).
    static func tokens(_ text: String) -> [String] {
        var words: [String] = []
        var text = text
        text.withUTF8 { tokens($0, into: &words) }
        return words
    }

    /// Appends the words of the UTF-8 `bytes` to `words` (see `tokens(_:)`).
    static func tokens(_ bytes: UnsafeBufferPointer<UInt8>, into words: inout [String]) {
        var index = 0
        while let (range, ascii) = nextWord(in: bytes, from: &index) {
            let word = UnsafeBufferPointer(rebasing: bytes[range])
            if ascii {
                words.append(String(unsafeUninitializedCapacity: word.count) { buffer in
                    for (offset, byte) in word.enumerated() { buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
                    return word.count
                })
            } else {
                words.append(folded(String(decoding: word, as: UTF8.self).lowercased()))
            }
        }
    }

    /// Where the next word of the UTF-8 `bytes` at or after `index` is (see `tokens(_:)`), and
    /// whether it is all ASCII; `index` moves past it, or, after a pair of CJK characters, to
    /// the second (the start of the next pair). Nil when no word is left.
    static func nextWord(in bytes: UnsafeBufferPointer<UInt8>, from index: inout Int) -> (range: Range<Int>, ascii: Bool)? {
        var start = -1, ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            let (kind, length) = characterKind(in: bytes, at: index)
            if kind == .cjk {
                if start >= 0 { return (start..<index, ascii) }
                let next = characterKind(in: bytes, at: index + length)
                if next.kind == .cjk {
                    defer { index += length }
                    return (index..<(index + length + next.length), false)
                }
                // The last character of a run of two or more is in the pair before it.
                if !followsCJK(bytes, at: index) {
                    defer { index += length }
                    return (index..<(index + length), false)
                }
            } else if kind == .letter {
                if start < 0 { start = index }
                if byte >= 0x80 { ascii = false }
            } else if start >= 0 {
                return (start..<index, ascii)
            }
            index += length
        }
        return start >= 0 ? (start..<bytes.count, ascii) : nil
    }

    /// What the character of `bytes` at `index` is for `nextWord`.
    private enum CharacterKind { case separator, letter, cjk }

    /// The kind of the UTF-8 character of `bytes` starting at `index` and its length in bytes
    /// (a separator of length 0 past the end; a truncated sequence is as long as what is left).
    private static func characterKind(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (kind: CharacterKind, length: Int) {
        guard index < bytes.count else { return (.separator, 0) }
        let byte = bytes[index]
        if byte < 0x80 {
            let letter = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
            return (letter ? .letter : .separator, 1)
        }
        let length = min(byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2, bytes.count - index)
        var value = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
        for offset in 1..<max(length, 1) { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
        guard let scalar = Unicode.Scalar(value), isWordScalar(scalar) else { return (.separator, length) }
        return (isCJK(value) ? .cjk : .letter, length)
    }

    /// Whether the character before `index` in `bytes` is a CJK letter.
    private static func followsCJK(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        var start = index - 1
        while start > 0, index - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return start >= 0 && characterKind(in: bytes, at: start).kind == .cjk
    }

    /// `word`, lowercased, without diacritics, as `fold` in `search.js` has it: decomposed
    /// (NFD), without the combining marks of Latin, Greek and Cyrillic (U+0300–U+036F), and
    /// with the letters that do not decompose spelled plainly (`foldedLetters`): `Ñandú` is
    /// `nandu`, `Straße` `strasse`. A CJK word is left as it is: NFD would split Hangul
    /// syllables and kana with dakuten (`が`) into parts.
    static func folded(_ word: String) -> String {
        guard let first = word.unicodeScalars.first, !isCJK(first.value) else { return word }
        var scalars = String.UnicodeScalarView()
        for scalar in word.decomposedStringWithCanonicalMapping.unicodeScalars where !(0x300...0x36F).contains(scalar.value) {
            if let plain = foldedLetters[scalar] { scalars.append(contentsOf: plain.unicodeScalars) } else { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// Lowercase letters that no decomposition takes a mark from, as `FOLDED` in `search.js`.
    static let foldedLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h", "ı": "i",
    ]

    /// Whether the code point `value` is of a script written without spaces between words: Han
    /// (with 々, 〆, 〇), Hiragana, Katakana (with ー and the half-width forms), Hangul. Kept
    /// the same as `CJK` in `search.js`.
    static func isCJK(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x11FF, 0x3005...0x3007, 0x3021...0x3029, 0x3031...0x3035, 0x3038...0x303C,
             0x3040...0x30FF, 0x3130...0x318F, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA960...0xA97F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFF66...0xFFDC, 0x20000...0x3134F:
            return true
        default:
            return false
        }
    }

    /// Letters and numbers (`\p{L}`, `\p{N}`).
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// Words numbered in the order they are first seen, found by their UTF-8 bytes and a hash
    /// of them (`SearchIndex.hash`) in an open-addressing table: a `Dictionary` of strings
    /// hashes each string it is given in full (SipHash), which was most of the analysis.
    struct WordTable {
        /// The words, when the table keeps them as strings (`keepsStrings`); else empty.
        private(set) var words: [String] = []
        private(set) var hashes: [UInt64] = []
        /// The words' bytes one after another; word `id` ends at `ends[id]`.
        private var bytes: [UInt8] = []
        private var ends: [Int] = []
        /// Word id per slot, -1 for none; at most half full.
        private var slots = [Int32](repeating: -1, count: 256)
        /// Whether `words` holds each word as a string: a document's own table needs only
        /// the bytes.
        let keepsStrings: Bool

        /// A table of `words`, numbered in their order, that keeps the words it is given as
        /// strings if `keepsStrings`.
        init(_ words: [String] = [], keepsStrings: Bool = true) {
            self.keepsStrings = keepsStrings
            for word in words {
                var word = word
                word.withUTF8 { _ = id(of: $0, hash: SearchIndex.hash($0)) }
            }
        }

        /// How many words the table holds.
        var count: Int { ends.count }

        /// The UTF-8 length of word `id`.
        func byteCount(of id: Int) -> Int { ends[id] - (id == 0 ? 0 : ends[id - 1]) }

        /// Calls `body` with the UTF-8 bytes of word `id`.
        func withBytes<T>(of id: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
            bytes.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(id == 0 ? 0 : ends[id - 1])..<ends[id]])) }
        }

        /// Whether word `id` is `word` (which hashes to `hash`).
        private func word(_ id: Int, is word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
            guard hashes[id] == hash else { return false }
            let start = id == 0 ? 0 : ends[id - 1]
            guard ends[id] - start == word.count else { return false }
            return word.isEmpty || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, word.baseAddress!, word.count) == 0 }
        }

        /// The id of the word of UTF-8 `word` (which hashes to `hash`), added if it is new.
        mutating func id(of word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int {
            var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
            while slots[slot] >= 0 {
                let id = Int(slots[slot])
                if self.word(id, is: word, hash: hash) { return id }
                slot = (slot + 1) & (slots.count - 1)
            }
            let id = ends.count
            bytes.append(contentsOf: word)
            ends.append(bytes.count)
            hashes.append(hash)
            if keepsStrings { words.append(String(decoding: word, as: UTF8.self)) }
            slots[slot] = Int32(id)
            if ends.count * 2 > slots.count {
                slots = [Int32](repeating: -1, count: slots.count * 2)
                for (id, hash) in hashes.enumerated() {
                    var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
                    while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
                    slots[slot] = Int32(id)
                }
            }
            return id
        }
    }

    /// The services' names as word sequences, longest first for each first word.
    ///
    /// A document's every name of a service counts for it (`mentions`), a feature's alias
    /// (`DAX`, `DynamoDB Streams`) too. A query takes only the service's own names, with or
    /// without "Amazon" or "AWS", as the service (`synonyms`): "dynamodb streams" is then the
    /// service and the word "streams", and finds the pages on streams rather than every page
    /// that names DynamoDB (a trial on the DynamoDB guide: 498 results, the Streams page not
    /// among the first 50), and "dax" is the word.
    struct PhraseTable {
        /// Each service's names that a query takes as the service, as `search.js` reads them.
        var synonyms: [(id: String, phrases: [[String]])] = []
        /// Each phrase as its words' hashes (`SearchIndex.hash`) and UTF-8 bytes, by the hash of
        /// its first word: a document's words are looked up by their bytes, not as strings.
        private var byFirstWord: [UInt64: [(words: [(hash: UInt64, bytes: [UInt8])], service: String)]] = [:]
        /// Words a service's name may start with and a text may leave out.
        static let vendors: Set<String> = ["amazon", "aws"]

        /// `stemsPlurals`: the names' words as the index holds them (see `EnglishPlural`).
        init(_ catalog: [Service], stemsPlurals: Bool = false) {
            func words(_ name: String) -> [String] { SearchIndex.tokens(name).map { SearchIndex.stemmed($0, stemsPlurals) } }
            for service in catalog {
                var seen = Set<[String]>()
                // "Amazon Simple Queue Service" is also written "Simple Queue Service".
                let phrases = service.names.map(words).flatMap { [$0, Self.withoutVendor($0)] }.filter { !$0.isEmpty && seen.insert($0).inserted }
                guard !phrases.isEmpty else { continue }
                let own = Set([service.name, service.short].map { Self.withoutVendor(words($0)) })
                synonyms.append((service.id, phrases.filter { own.contains(Self.withoutVendor($0)) }))
                for phrase in phrases {
                    let words = phrase.map { (hash: SearchIndex.hash($0), bytes: Array($0.utf8)) }
                    byFirstWord[words[0].hash, default: []].append((words, service.id))
                }
            }
            for (hash, list) in byFirstWord { byFirstWord[hash] = list.sorted { $0.words.count > $1.words.count } }
        }

        /// `words` without a vendor's name before the rest ("aws", "iam" is "iam").
        private static func withoutVendor(_ words: [String]) -> [String] {
            vendors.contains(words.first ?? "") && words.count > 1 ? Array(words.dropFirst()) : words
        }

        /// Whether some service's name starts with the word of UTF-8 `word` (which hashes to
        /// `hash`).
        func startsName(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Bool {
            byFirstWord[hash]?.contains { $0.words[0].bytes.elementsEqual(word) } ?? false
        }

        /// The service of each place the words of `line` (ids into `words`) name one, longest
        /// name first, without overlaps; `startsName` tells which words start a name.
        func mentions(_ line: [Int], words: WordTable, startsName: [Bool]) -> [String] {
            var found: [String] = []
            var index = 0
            scan: while index < line.count {
                if startsName[line[index]], let candidates = byFirstWord[words.hashes[line[index]]] {
                    for candidate in candidates where index + candidate.words.count <= line.count
                        && zip(candidate.words, line[index...]).allSatisfy({ word, id in
                            word.hash == words.hashes[id] && words.withBytes(of: id) { $0.elementsEqual(word.bytes) }
                        }) {
                        found.append(candidate.service)
                        index += candidate.words.count
                        continue scan
                    }
                }
                index += 1
            }
            return found
        }
    }
}
