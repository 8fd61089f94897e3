/// English plurals folded into their singular, for a set whose `language` is English: search
/// takes "queues" as "queue" (`SearchIndex`, `search.js`'s `stem`) and the index lists
/// "Shards" under "Shard" (`TermCollector.mergePlurals`), by the same rule.
enum EnglishPlural {
    /// Whether `language` (a BCP 47 tag: `en`, `en-GB`) is English.
    static func applies(to language: String) -> Bool {
        let tag = language.lowercased()
        return tag == "en" || tag.hasPrefix("en-") || tag.hasPrefix("en_")
    }

    /// The stem of an English plural, by Harman's S-stemmer (D. Harman, "How effective is
    /// suffixing?", JASIS 42(1), 1991), its three rules tried in order: "ies" becomes "y"
    /// unless "eies" or "aies"; "es" becomes "e" unless "aes", "ees" or "oes"; a final "s" goes
    /// unless "us" or "ss". (The last two both take the "s" away: "policies" is "policy",
    /// "queues" "queue", "trees" "tree", "keys" "key"; "status" and "class" stay.) One rule is
    /// Syllabus's own, before the last two: "es" goes after "x", "sh", "ss" and "ch" (not
    /// "ach"), where English adds it to the singular ("indexes" is "index", "batches" "batch",
    /// "processes" "process"; "caches" stays "cache"): Harman's stems "indexe" and "batche"
    /// meet no singular, and a DynamoDB reader searching "secondary index" missed every page
    /// titled "Secondary Indexes". Only for a lowercased word of ASCII letters and digits of
    /// four characters or more, so that "is", "its", "aws" and "sqs" stay as they are: how
    /// many of its bytes the stem keeps and whether a "y" follows them; nil when the word is
    /// its own stem.
    static func stem(_ word: UnsafeBufferPointer<UInt8>) -> (keep: Int, y: Bool)? {
        let count = word.count
        guard count >= 4, word[count - 1] == 0x73, word.allSatisfy(isLowercaseLetterOrDigit) else { return nil }
        let last2 = word[count - 2]
        if last2 == 0x65, word[count - 3] == 0x69, word[count - 4] != 0x65, word[count - 4] != 0x61 { return (count - 3, true) }
        if last2 == 0x75 || last2 == 0x73 { return nil }
        if last2 == 0x65, addsES(before: word[..<(count - 2)]) { return (count - 2, false) }
        return (count - 1, false)
    }

    /// Whether `singular` (a plural without its "es") is a singular that English makes plural
    /// with "es": it ends in "x", "sh", "ss", or "ch" after a letter other than "a".
    private static func addsES(before singular: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let letters = Array(singular.suffix(3))
        guard let last = letters.last else { return false }
        if last == 0x78 { return true }
        guard letters.count >= 2 else { return false }
        let before = letters[letters.count - 2]
        switch (before, last) {
        case (0x73, 0x68), (0x73, 0x73): return true
        case (0x63, 0x68): return letters.count == 3 && letters[0] != 0x61
        default: return false
        }
    }

    /// `word` with its plural stem (`stem`) in place of it.
    static func singular(_ word: String) -> String {
        var word = word
        return word.withUTF8 { bytes in
            guard let (keep, y) = stem(bytes) else { return String(decoding: bytes, as: UTF8.self) }
            return String(decoding: bytes[..<keep], as: UTF8.self) + (y ? "y" : "")
        }
    }

    private static func isLowercaseLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }
}
