import Foundation

/// The check of `language:` in syllabus.yml. The site's `lang` attribute and the book's
/// `dc:language` and `xml:lang` take a BCP 47 language tag and nothing else: EPUBCheck rejects
/// every page of a book whose language is a name (`日本語`: 59 errors, RSC-005), and a browser
/// or screen reader given one picks no language at all.
enum LanguageTag {
    /// Whether `tag` is a well-formed language tag by the syntax of RFC 5646, section 2.1
    /// ("langtag" and "privateuse"; case-insensitive, subtags separated by `-`): a language of
    /// two or three letters with up to three extended language subtags, then an optional script
    /// (four letters), region (two letters or three digits), variants, extensions and private
    /// use. Stricter than the RFC in one way: it takes no language subtag of five to eight
    /// letters, which the RFC reserves for registration and the registry has none of, so that
    /// a language's name (`language: Japanese`) is an error, not a tag no reader knows.
    /// Grandfathered tags (`i-klingon`) are not taken either.
    static func isWellFormed(_ tag: String) -> Bool {
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard subtags.allSatisfy({ (1...8).contains($0.utf8.count) && $0.utf8.allSatisfy(isAlphanumeric) }) else { return false }
        var rest = subtags[...]
        func take(_ accepts: (Substring) -> Bool) -> Bool {
            guard let next = rest.first, accepts(next) else { return false }
            rest = rest.dropFirst()
            return true
        }
        if rest.first?.lowercased() == "x" { return privateUse(rest) }
        guard take({ (2...3).contains($0.count) && $0.utf8.allSatisfy(isLetter) }) else { return false }
        for _ in 0..<3 where take({ $0.count == 3 && $0.utf8.allSatisfy(isLetter) }) {}
        _ = take { $0.count == 4 && $0.utf8.allSatisfy(isLetter) }
        _ = take { ($0.count == 2 && $0.utf8.allSatisfy(isLetter)) || ($0.count == 3 && $0.utf8.allSatisfy(isDigit)) }
        while take({ (5...8).contains($0.count) || ($0.count == 4 && isDigit($0.utf8.first!)) }) {}
        // Extensions: a singleton other than `x`, then one or more subtags of two to eight.
        while let singleton = rest.first, singleton.count == 1, singleton.lowercased() != "x" {
            rest = rest.dropFirst()
            guard take({ $0.count >= 2 }) else { return false }
            while take({ $0.count >= 2 }) {}
        }
        return rest.isEmpty || privateUse(rest)
    }

    /// Whether `tag`'s language is one the system's locale data (ICU) knows, when it is two
    /// letters: ISO 639-1 has every two-letter language code, so `jp` (Japan's region code,
    /// a common slip for `ja`) is none. A three-letter language (ISO 639-2 and 3 have
    /// thousands) and a private-use tag are taken as they are.
    static func hasKnownLanguage(_ tag: String) -> Bool {
        let language = tag.prefix { $0 != "-" }.lowercased()
        guard language.count == 2 else { return true }
        return Locale.LanguageCode.isoLanguageCodes.contains(Locale.LanguageCode(language))
    }

    /// For a tag whose two-letter language is a region's code instead (`jp`, `cn`, `gr`), the
    /// language most spoken there, as the system's locale data has it (`ja`, `zh`, `el`).
    static func language(ofRegion tag: String) -> String? {
        let code = tag.prefix { $0 != "-" }.uppercased()
        guard code.count == 2, Locale.Region.isoRegions.contains(Locale.Region(code)) else { return nil }
        let likely = Locale.Language(identifier: "und-" + code).maximalIdentifier.prefix { $0 != "-" }
        return likely.isEmpty || likely == "und" ? nil : String(likely)
    }

    /// What to add to the error about `tag`, which is no tag: the tag of the language it
    /// names, the tag written with `-` for a locale written with `_`, the language of the
    /// region whose code it is; else nothing.
    static func hint(for tag: String) -> String {
        if let code = code(named: tag) { return "; for this language, '\(code)'" }
        if tag.contains("_") { return "; subtags are joined by '-', as in '\(tag.replacingOccurrences(of: "_", with: "-"))'" }
        if !hasKnownLanguage(tag), let language = language(ofRegion: tag) { return "; '\(tag.prefix(2))' is a region's code, and its language is '\(language)'" }
        return ""
    }

    /// `x` and one or more subtags of one to eight (their length and characters are checked).
    private static func privateUse(_ subtags: ArraySlice<Substring>) -> Bool {
        subtags.first?.lowercased() == "x" && subtags.count > 1
    }

    /// The ISO 639 code of the language `name` names, in English or in that language itself
    /// (`Japanese`, `日本語`, `german`, `Deutsch` → `ja`, `ja`, `de`, `de`; case ignored), as
    /// the system's locale data (ICU, through Foundation) names it; nil when none does.
    static func code(named name: String) -> String? {
        let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
        let english = Locale(identifier: "en")
        return Locale.LanguageCode.isoLanguageCodes.first { code in
            english.localizedString(forLanguageCode: code.identifier)?.lowercased() == wanted
                || Locale(identifier: code.identifier).localizedString(forLanguageCode: code.identifier)?.lowercased() == wanted
        }?.identifier
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }
}
