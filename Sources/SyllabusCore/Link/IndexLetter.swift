import Foundation

/// Where the back-of-book index files an entry and how it orders entries, for the scripts a
/// study set may be written in, without a dictionary of readings.
enum IndexLetter {
    /// The heading `text` is filed under: its first letter without accents, A–Z for Latin
    /// ("Überblick" under U), the capital of another cased script ("Ωμέγα" under Ω); for
    /// Japanese kana, the first kana of its row of the syllabary ("ラムダ" and "られる" under ら,
    /// "がいよう" under か); "漢字" for a kanji or hanzi, whose reading decides its place and no table
    /// here holds; for Hangul, the syllable's first consonant ("람다" under ㄹ); `#` for a
    /// digit, a symbol or an empty text.
    static func heading(for text: String) -> String {
        guard let character = text.first else { return "#" }
        if let scalar = character.unicodeScalars.first, scalar.isASCII {
            return scalar.properties.isAlphabetic ? String(scalar).uppercased() : "#"
        }
        let folded = String(character).folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        guard let scalar = folded.unicodeScalars.first else { return "#" }
        if let row = kanaRow(hiragana(scalar).value) { return row }
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF, 0x3005: return "漢字"
        case 0xAC00...0xD7A3:
            // A syllable is (initial * 21 + medial) * 28 + final, counted from U+AC00.
            return String(hangulInitials[Int((scalar.value - 0xAC00) / 588)])
        default:
            return scalar.properties.isAlphabetic ? folded.prefix(1).uppercased() : "#"
        }
    }

    /// `text` with katakana written as hiragana, so the two sort as one syllabary (a Japanese
    /// index interleaves "カード" and "かぎ" by sound).
    static func kanaFolded(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(hiragana(scalar)) }
        return String(scalars)
    }

    /// The hiragana of a katakana with one (U+30A1 ァ to U+30F6 ヶ lie 0x60 above theirs), else `scalar`.
    private static func hiragana(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        guard (0x30A1...0x30F6).contains(scalar.value) else { return scalar }
        return Unicode.Scalar(scalar.value - 0x60) ?? scalar
    }

    /// The row of the syllabary a hiragana belongs to, named by its first kana; nil for
    /// anything else. Voiced and small kana lie among their row's plain ones.
    private static func kanaRow(_ value: UInt32) -> String? {
        switch value {
        case 0x3041...0x304A, 0x3094: return "あ"
        case 0x304B...0x3054, 0x3095, 0x3096: return "か"
        case 0x3055...0x305E: return "さ"
        case 0x305F...0x3069: return "た"
        case 0x306A...0x306E: return "な"
        case 0x306F...0x307D: return "は"
        case 0x307E...0x3082: return "ま"
        case 0x3083...0x3088: return "や"
        case 0x3089...0x308D: return "ら"
        case 0x308E...0x3093, 0x30F7...0x30FA: return "わ"
        default: return nil
        }
    }

    /// The nineteen initial consonants of Hangul syllables, in their order, as letters.
    private static let hangulInitials: [Character] = Array("ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ")
}
