import Foundation

/// A service named in a text: where (UTF-8 offsets) and which service.
struct Mention: Equatable, Sendable {
    /// Byte offsets into the text's UTF-8, half-open.
    var range: Range<Int>
    /// The `Service.id` of the name found.
    var serviceID: String
}

/// Finds every service name, short name and alias in a text in one pass: an Aho–Corasick
/// automaton over UTF-8 bytes, built once from the catalog. Matches are case-sensitive,
/// whole words (`WordJoin`: a name in Japanese or Chinese text needs no spaces around it, one
/// in Korean may have particles after it), leftmost and then longest ("Amazon S3 Glacier"
/// before "Amazon S3").
final class MentionMatcher: Sendable {
    private let transitions: [Int32]          // state * 256 + byte -> state
    private let outputs: [[Int32]]            // state -> patterns ending there
    private let ends: [Bool]                  // state -> whether any pattern ends there
    private let patternLengths: [Int]
    private let patternServices: [String]

    /// Builds the automaton from every name of `services` (`Service.names`).
    init(services: [Service]) {
        var patterns: [([UInt8], String)] = []
        for service in services {
            for name in service.names { patterns.append((Array(name.utf8), service.id)) }
        }
        patternLengths = patterns.map(\.0.count)
        patternServices = patterns.map(\.1)

        // Trie.
        var children: [[UInt8: Int32]] = [[:]]
        var outs: [[Int32]] = [[]]
        for (index, (bytes, _)) in patterns.enumerated() {
            var state: Int32 = 0
            for byte in bytes {
                if let next = children[Int(state)][byte] {
                    state = next
                } else {
                    children.append([:])
                    outs.append([])
                    let next = Int32(children.count - 1)
                    children[Int(state)][byte] = next
                    state = next
                }
            }
            outs[Int(state)].append(Int32(index))
        }
        // Breadth-first failure links, folded into a full transition table. A state's row is
        // its failure state's row (made before it: that state is shallower) with the state's
        // own children written over it, so each state's 256 entries are one copy rather than
        // 256 lookups in its children (which made this a tenth of a one-note rebuild's load).
        var table = [Int32](repeating: 0, count: children.count * 256)
        var fail = [Int32](repeating: 0, count: children.count)
        var queue: [Int32] = []
        for (byte, next) in children[0] {
            table[Int(byte)] = next
            queue.append(next)
        }
        var head = 0
        while head < queue.count {
            let state = Int(queue[head]); head += 1
            let failure = Int(fail[state])
            outs[state] += outs[failure]
            table.withUnsafeMutableBufferPointer { table in
                let row = table.baseAddress! + state * 256
                row.update(from: table.baseAddress! + failure * 256, count: 256)
            }
            for (byte, next) in children[state] {
                fail[Int(next)] = table[failure * 256 + Int(byte)]
                table[state * 256 + Int(byte)] = next
                queue.append(next)
            }
        }
        transitions = table
        outputs = outs
        ends = outs.map { !$0.isEmpty }
    }

    /// Every mention in `text`, in text order, none overlapping.
    func mentions(in text: String) -> [Mention] {
        var text = text
        return text.withUTF8 { mentions(in: $0) }
    }

    func mentions(in bytes: UnsafeBufferPointer<UInt8>) -> [Mention] {
        var candidates: [(start: Int, length: Int, pattern: Int32)] = []
        var state: Int32 = 0
        // Every text node of every note passes here byte by byte: the tables are read without
        // bounds checks, and a state's patterns only where one ends. From the start state, a
        // byte no name starts with (most of prose) leads back to it: the loop goes on without
        // waiting for the table's answer, where each step would otherwise wait for the last.
        transitions.withUnsafeBufferPointer { transitions in
            ends.withUnsafeBufferPointer { ends in
                for index in bytes.indices {
                    let byte = Int(bytes[index])
                    if state == 0, transitions[byte] == 0 { continue }
                    state = transitions[Int(state) &* 256 &+ byte]
                    guard ends[Int(state)] else { continue }
                    for pattern in outputs[Int(state)] {
                        let length = patternLengths[Int(pattern)]
                        let start = index + 1 - length
                        if isWhole(bytes, start: start, end: index + 1) {
                            candidates.append((start, length, pattern))
                        }
                    }
                }
            }
        }
        guard !candidates.isEmpty else { return [] }
        candidates.sort { $0.start != $1.start ? $0.start < $1.start : $0.length > $1.length }
        var result: [Mention] = []
        var taken = 0
        for candidate in candidates where candidate.start >= taken {
            result.append(Mention(range: candidate.start..<(candidate.start + candidate.length),
                                  serviceID: patternServices[Int(candidate.pattern)]))
            taken = candidate.start + candidate.length
        }
        return result
    }

    /// Whether a name found at `start..<end` stands as a word of its own: the character before
    /// it and its first character do not join, nor its last and the one after it.
    private func isWhole(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, end: Int) -> Bool {
        // ASCII on both sides of both edges, as most text is: the joining rule of ASCII alone.
        let before = start > 0 ? bytes[start - 1] : 0x20, after = end < bytes.count ? bytes[end] : 0x20
        if before < 0x80, after < 0x80, bytes[start] < 0x80, bytes[end - 1] < 0x80 {
            return !(Self.isASCIIWordByte(before) && Self.isASCIIWordByte(bytes[start]))
                && !(Self.isASCIIWordByte(bytes[end - 1]) && Self.isASCIIWordByte(after))
        }
        guard !WordJoin.joins(scalar(in: bytes, endingAt: start), scalar(in: bytes, startingAt: start)) else { return false }
        let last = scalar(in: bytes, endingAt: end), next = scalar(in: bytes, startingAt: end)
        guard WordJoin.joins(last, next) else { return true }
        // Korean particles attach to the word before them: a Hangul name ends before a run of
        // Hangul that is particles alone ("람다는", "람다에서는"), not inside a longer word ("람다식").
        return WordJoin.isHangul(next) && WordJoin.isParticles(hangulRun(in: bytes, from: end))
    }

    /// The Hangul scalars of `bytes` from `index` up to the first other one, or nil when there
    /// are more than `WordJoin.longestParticles` (no run of particles is that long).
    private func hangulRun(in bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> String? {
        var run = String.UnicodeScalarView(), index = index
        while let next = scalar(in: bytes, startingAt: index), WordJoin.isHangul(next) {
            guard run.count < WordJoin.longestParticles else { return nil }
            run.append(next)
            index += next.utf8.count
        }
        return String(run)
    }

    private static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }

    /// The scalar whose UTF-8 starts at `index`, or nil at the end of the text.
    private func scalar(in bytes: UnsafeBufferPointer<UInt8>, startingAt index: Int) -> Unicode.Scalar? {
        guard index < bytes.count else { return nil }
        var end = index + 1
        while end < bytes.count, end - index < 4, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return Self.decode(UnsafeBufferPointer(rebasing: bytes[index..<end]))
    }

    /// The scalar whose UTF-8 ends just before `index`, or nil at the start of the text.
    private func scalar(in bytes: UnsafeBufferPointer<UInt8>, endingAt index: Int) -> Unicode.Scalar? {
        guard index > 0 else { return nil }
        var start = index - 1
        while start > 0, index - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return Self.decode(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    /// The first scalar of `bytes`; malformed UTF-8 reads as U+FFFD (a symbol: no word).
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        if case let .scalarValue(scalar) = decoder.decode(&iterator) { return scalar }
        return "\u{FFFD}"
    }
}

/// Whether two neighbouring characters belong to one word, so a name may not begin or end
/// between them. Latin, Greek, Cyrillic and other spaced scripts' letters, digits and
/// marks join each other; a change of script between those and Japanese or Chinese is a break
/// (`Lambda関数`), and so is any punctuation, symbol or space (`。`, `、`, `「`). Japanese and
/// Chinese are written without spaces: a kanji or a kana of hiragana breaks from every
/// neighbour, as Lucene's standard tokenizer reads them one character a word, so `ラムダを`
/// holds `ラムダ`; a run of katakana is one word (a loanword: `ラムダ` is not found inside
/// `パラムダス`). Korean is written with spaces, and Hangul joins Hangul alone: a change of script
/// between it and Latin is a break (`SQS에서`); a Hangul name may be followed by particles
/// (`isParticles`), which `MentionMatcher` checks beyond this pair.
enum WordJoin {
    private enum Kind { case none, word, ideograph, katakana, hangul }

    static func joins(_ left: Unicode.Scalar?, _ right: Unicode.Scalar?) -> Bool {
        guard let left, let right else { return false }
        switch (kind(left), kind(right)) {
        case (.word, .word), (.katakana, .katakana), (.hangul, .hangul): return true
        default: return false
        }
    }

    /// Whether `scalar` is Hangul: syllables, jamo and their compatibility and halfwidth forms.
    static func isHangul(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        return kind(scalar) == .hangul
    }

    /// Korean particles (조사), which follow a noun with no space: topic, subject, object,
    /// place, direction, means, company, comparison, limits and the like.
    private static let particles: Set<String> = [
        "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "한테", "께", "께서", "와", "과", "랑", "이랑",
        "하고", "로", "으로", "도", "만", "까지", "부터", "보다", "처럼", "마다", "조차", "밖에", "나", "이나", "란", "이란",
    ]
    /// No run of particles after a word is longer than this, in syllables.
    static let longestParticles = 6

    /// Whether `run` (Hangul) is one or more particles in a row: `는`, `에서는` (에서 + 는),
    /// `으로도`; not `식` (`람다식` is a word of its own). Nil (a run too long) is not.
    static func isParticles(_ run: String?) -> Bool {
        guard let run, !run.isEmpty else { return false }
        return particles.contains { run.hasPrefix($0) && (run.count == $0.count || isParticles(String(run.dropFirst($0.count)))) }
    }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        let value = scalar.value
        if value < 0x80 {
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value) ? .word : .none
        }
        switch value {
        // Katakana, its phonetic extensions and halfwidth forms; the prolonged sound mark
        // (U+30FC) is among them.
        case 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .katakana
        // Hiragana; CJK ideographs (extension A, unified, compatibility, the supplementary
        // planes' extensions); the iteration mark 々 (U+3005) and 〆 (U+3006).
        case 0x3040...0x309F, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF,
             0x3005, 0x3006: return .ideograph
        // Hangul jamo (with extensions A and B), compatibility jamo, syllables, halfwidth forms.
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7FF, 0xFFA0...0xFFDC: return .hangul
        default: break
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return .word
        default:
            return .none
        }
    }
}
