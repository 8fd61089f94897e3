import Foundation
import ZIPFoundation

/// The site's full-text search index: plain scripts in `site/assets/search/`, which
/// `assets/search.js` loads on first use (from `file://` a page may load scripts but not
/// `fetch` files, modules, WebAssembly or workers).
///
/// - `index.js`: the documents (title, path, service, weighted length), the vocabulary (every
///   word, lowercased, sorted by UTF-8 bytes, front-coded: see `frontCoded`), where each
///   postings and text shard starts, and the service synonyms, as JSON.
/// - `p<n>.js`: postings of a range of the vocabulary. For each word, in vocabulary order: the
///   number of documents, then per document twice the gap to the previous one, plus 1 when the
///   word's weighted frequency follows (it is 1 otherwise), each an unsigned LEB128 varint.
/// - `t<n>.js`: the text of a range of documents, for snippets, as a JSON array of strings.
///
/// Each file sets `window.SYLLABUS_SEARCH_PARTS[name]` to its bytes compressed (raw deflate,
/// which browsers inflate with `DecompressionStream("deflate-raw")`) and written in base 85:
/// text is most of the index, and compressed it takes a third of the room.
///
/// Fields are weighted the way BM25F does it (term frequencies weighted per field before
/// saturation: S. Robertson, H. Zaragoza, M. Taylor, "Simple BM25 extension to multiple
/// weighted fields", CIKM 2004); the ranking itself is in `search.js`.
///
/// Synonyms: every place a document names a service (its name, short name or an alias from
/// `services.yml`, as whole words, case ignored; a name starting with "Amazon" or "AWS" also
/// without that word) also counts as the word `~<service id>`, so a query naming the service
/// one way finds pages that name it another.
struct SearchIndex {
    /// Field weights: a word in the title counts as five in the body, in a heading as two.
    static let titleWeight = 5, headingWeight = 2, bodyWeight = 1
    /// Longer runs of letters and digits (hashes, base64 in code) are not words anyone types.
    static let longestWord = 40
    /// Shards are cut after about this many bytes (before compression): a query loads the
    /// postings shards of its words and the text shards of the results it shows.
    static let postingsShardSize = 64_000, textShardSize = 96_000
    /// Documents analysed side by side before their words are merged.
    static let analysisBatch = 128
    static let folder = "assets/search"

    /// One searchable page.
    struct Document {
        var title: String
        /// Relative to the site root.
        var path: String
        var service: String
        /// Headings and body text in document order, as `SearchText.text` holds them.
        var text: String
    }

    /// The index's files, by name without `.js` (`index`, `p0`…, `t0`…), in a stable order.
    /// Throws when zlib fails.
    static func files(_ documents: [Document], services: [Service]) throws -> [(name: String, text: String)] {
        let phrases = PhraseTable(services)
        // Word -> postings, merged in document order so each list is sorted. Documents are
        // analysed side by side a batch at a time and merged at once, so their word counts
        // are not all held together; the texts go into text shards as they come.
        var postings: [String: [(doc: Int32, weight: Int32)]] = [:]
        var lengths = [Int](repeating: 0, count: documents.count)
        // Each shard's bytes, before compression.
        var shards: [(name: String, bytes: [UInt8])] = []
        var textStarts: [Int] = []
        var texts = ""
        for batch in stride(from: 0, to: documents.count, by: analysisBatch) {
            let count = min(analysisBatch, documents.count - batch)
            let analysed = parallelMap(count) { analyse(documents[batch + $0], phrases: phrases) }
            for (offset, result) in analysed.enumerated() {
                let doc = batch + offset
                for (word, weight) in result.weights { postings[word, default: []].append((Int32(doc), Int32(weight))) }
                lengths[doc] = result.length
                if texts.isEmpty { textStarts.append(doc) }
                texts += (texts.isEmpty ? "[" : ",") + SiteRenderer.jsonString(result.text)
                if texts.utf8.count >= textShardSize || doc == documents.count - 1 {
                    shards.append(("t\(textStarts.count - 1)", Array((texts + "]").utf8)))
                    texts = ""
                }
            }
        }
        let words = postings.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }

        var postingStarts: [Int] = []
        var shard: [UInt8] = []
        for (id, word) in words.enumerated() {
            if shard.isEmpty { postingStarts.append(id) }
            let list = postings[word]!
            leb128(list.count, into: &shard)
            var previous: Int32 = 0
            for posting in list {
                // Most words are in a document's body once: the weight is written only when
                // it is not 1, flagged in the gap's lowest bit.
                let gap = Int(posting.doc - previous) << 1
                if posting.weight == 1 {
                    leb128(gap, into: &shard)
                } else {
                    leb128(gap | 1, into: &shard)
                    leb128(Int(posting.weight), into: &shard)
                }
                previous = posting.doc
            }
            if shard.count >= postingsShardSize || id == words.count - 1 {
                shards.append(("p\(postingStarts.count - 1)", shard))
                shard.removeAll(keepingCapacity: true)
            }
        }
        let totalLength = lengths.reduce(0, +)
        var index = "{\"docs\":["
        for (doc, document) in documents.enumerated() {
            if doc > 0 { index += "," }
            index += "[" + [document.title, document.path, document.service].map(SiteRenderer.jsonString).joined(separator: ",")
            index += ",\(lengths[doc])]"
        }
        index += "],\"avgLength\":\(documents.isEmpty ? 0 : Double(totalLength) / Double(documents.count))"
        index += ",\"postings\":[\(postingStarts.map(String.init).joined(separator: ","))]"
        index += ",\"texts\":[\(textStarts.map(String.init).joined(separator: ","))]"
        index += ",\"services\":[" + phrases.services.map { service in
            "[" + ([SiteRenderer.jsonString("~" + service.id)] + service.phrases.map { SiteRenderer.jsonString($0.joined(separator: " ")) })
                .joined(separator: ",") + "]"
        }.joined(separator: ",") + "]"
        index += ",\"words\":" + SiteRenderer.jsonString(frontCoded(words)) + "}"
        shards.insert(("index", Array(index.utf8)), at: 0)

        // zlib runs on one core: the shards are compressed side by side.
        let scripts = parallelMap(shards.count) { position in
            Result { try script(shards[position].name, packing: shards[position].bytes) }
        }
        return try zip(shards, scripts).map { ($0.name, try $1.get()) }
    }

    /// A script that files `bytes`, compressed, under `name`, whichever part loads first:
    /// `[length, text]`, the text being the raw deflate stream (RFC 1951) in `base85Alphabet`.
    static func script(_ name: String, packing bytes: [UInt8]) throws -> String {
        let data = Data(bytes)
        var deflated = Data()
        _ = try Data.compress(size: Int64(data.count), bufferSize: 1 << 16, provider: { position, size in
            data.subdata(in: min(Int(position), data.count)..<min(Int(position) + size, data.count))
        }, consumer: { deflated.append($0) })
        return "(window.SYLLABUS_SEARCH_PARTS = window.SYLLABUS_SEARCH_PARTS || {})[\"\(name)\"] = "
            + "[\(deflated.count),\"\(base85([UInt8](deflated)))\"];\n"
    }

    /// 85 printable ASCII characters that need no escaping in a JavaScript string.
    static let base85Alphabet: [UInt8] = Array((0x21...0x7E).filter { !Set("\"\\'<>&`$/".utf8).contains(UInt8($0)) }.map { UInt8($0) })

    /// Every 4 bytes (big-endian, the last group padded with zeros) as 5 base-85 digits, most
    /// significant first: 25 % larger than the bytes, where base64 is 33 %.
    static func base85(_ bytes: [UInt8]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity((bytes.count + 3) / 4 * 5)
        var digits = [UInt8](repeating: 0, count: 5)
        for group in stride(from: 0, to: bytes.count, by: 4) {
            var value: UInt32 = 0
            for offset in 0..<4 { value = value << 8 | UInt32(group + offset < bytes.count ? bytes[group + offset] : 0) }
            for position in (0..<5).reversed() {
                digits[position] = base85Alphabet[Int(value % 85)]
                value /= 85
            }
            text += digits
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Sorted words, space-separated, each as the number of UTF-16 code units it shares with
    /// the word before (one character of `sharedDigits`) and the rest of it ("front coding"):
    /// `time timeout timer` is `0time 4out 5r`.
    static func frontCoded(_ words: [String]) -> String {
        var result = ""
        var previous: [UInt16] = []
        for word in words {
            let units = Array(word.utf16)
            var shared = 0
            while shared < min(units.count, previous.count, sharedDigits.count - 1), units[shared] == previous[shared] { shared += 1 }
            if !result.isEmpty { result += " " }
            result.append(sharedDigits[shared])
            result += String(decoding: units[shared...], as: UTF16.self)
            previous = units
        }
        return result
    }

    static let sharedDigits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// Unsigned LEB128: 7 bits a byte, low bits first, the high bit meaning "more follows".
    static func leb128(_ value: Int, into bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A document's weighted word counts, its weighted length and its text for snippets.
    private static func analyse(_ document: Document, phrases: PhraseTable) -> (weights: [String: Int], length: Int, text: String) {
        var weights: [String: Int] = [:]
        var length = 0
        var words: [String] = []
        func add(weight: Int) {
            length += words.count * weight
            for word in words where word.utf8.count <= longestWord { weights[word, default: 0] += weight }
            for service in phrases.mentions(in: words) { weights["~" + service, default: 0] += weight }
        }
        words = tokens(document.title)
        add(weight: titleWeight)
        var text = document.text
        var snippet: [UInt8] = []
        text.withUTF8 { bytes in
            snippet.reserveCapacity(bytes.count)
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let heading = bytes[start] == 0x01
                let line = UnsafeBufferPointer(rebasing: bytes[(heading ? start + 1 : start)..<end])
                words.removeAll(keepingCapacity: true)
                tokens(line, into: &words)
                add(weight: heading ? headingWeight : bodyWeight)
                // A snippet need not repeat the title shown above it.
                if !(start == 0 && heading && line.elementsEqual(document.title.utf8)) {
                    if !snippet.isEmpty { snippet.append(0x0A) }
                    snippet.append(contentsOf: line)
                }
                start = end + 1
            }
        }
        return (weights, length, String(decoding: snippet, as: UTF8.self))
    }

    /// The words of `text`, lowercased: runs of Unicode letters and digits, as `search.js`
    /// splits a query (`/[\p{L}\p{N}]+/gu`, then `toLowerCase()`).
    static func tokens(_ text: String) -> [String] {
        var words: [String] = []
        var text = text
        text.withUTF8 { tokens($0, into: &words) }
        return words
    }

    /// Appends the words of the UTF-8 `bytes` to `words` (see `tokens(_:)`).
    static func tokens(_ bytes: UnsafeBufferPointer<UInt8>, into words: inout [String]) {
        var index = 0, start = -1, ascii = true
        func flush(_ end: Int) {
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if ascii {
                words.append(String(unsafeUninitializedCapacity: slice.count) { buffer in
                    for (offset, byte) in slice.enumerated() { buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
                    return slice.count
                })
            } else {
                words.append(String(decoding: slice, as: UTF8.self).lowercased())
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            var length = 1
            let isWord: Bool
            if byte < 0x80 {
                isWord = (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
            } else {
                length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                length = min(length, bytes.count - index)
                var value = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
                for offset in 1..<max(length, 1) { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
                isWord = Unicode.Scalar(value).map(isWordScalar) ?? false
            }
            if isWord {
                if start < 0 { start = index; ascii = true }
                if byte >= 0x80 { ascii = false }
            } else if start >= 0 {
                flush(index)
                start = -1
            }
            index += length
        }
        if start >= 0 { flush(bytes.count) }
    }

    /// Letters and numbers (`\p{L}`, `\p{N}`).
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// The services' names as word sequences, longest first for each first word.
    struct PhraseTable {
        var services: [(id: String, phrases: [[String]])] = []
        private var byFirstWord: [String: [(words: [String], service: String)]] = [:]
        /// Words a service's name may start with and a text may leave out.
        static let vendors: Set<String> = ["amazon", "aws"]

        init(_ catalog: [Service]) {
            for service in catalog {
                var seen = Set<[String]>()
                // "Amazon Simple Queue Service" is also written "Simple Queue Service".
                let phrases = service.names.map(SearchIndex.tokens).flatMap { words in
                    Self.vendors.contains(words.first ?? "") && words.count > 1 ? [words, Array(words.dropFirst())] : [words]
                }.filter { !$0.isEmpty && seen.insert($0).inserted }
                guard !phrases.isEmpty else { continue }
                services.append((service.id, phrases))
                for phrase in phrases { byFirstWord[phrase[0], default: []].append((phrase, service.id)) }
            }
            for (word, list) in byFirstWord { byFirstWord[word] = list.sorted { $0.words.count > $1.words.count } }
        }

        /// The service of each place `words` names one, longest name first, without overlaps.
        func mentions(in words: [String]) -> [String] {
            var found: [String] = []
            var index = 0
            scan: while index < words.count {
                if let candidates = byFirstWord[words[index]] {
                    for candidate in candidates where index + candidate.words.count <= words.count
                        && words[index..<(index + candidate.words.count)].elementsEqual(candidate.words) {
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
