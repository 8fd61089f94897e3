import Foundation

/// The project's configuration, `syllabus.yml`: what the study set is called and which outputs
/// to build from it, with each output's settings (the Anki deck, the cheat sheets' paper, the
/// site's search…). One value for every renderer; the YAML keys are in `knownKeys`.
public struct ProjectConfig: Sendable, Equatable {
    /// `title`: the study set's name, on the site, the EPUB and the cheat sheets.
    var title = "Study notes"
    /// `author`: the EPUB's creator, on its title page.
    var author = "Syllabus"
    /// `language`: a BCP 47 language tag (`en`, `de-CH`) for the HTML `lang` and the EPUB; a
    /// value that is none is an error (`LanguageTag`).
    var language = "en"
    /// Absolute URL the site is published at; Anki cards link there when it is set.
    var baseURL: String?
    /// `deck`: the root Anki deck; each service is a sub-deck of it (`Root::Lambda`).
    var deck = "Syllabus"
    /// `outputs`: which renderers the build runs, in the order given (default: all of them).
    public var outputs: [OutputKind] = OutputKind.all
    /// `unsafe_html`: let raw HTML in notes through to the outputs instead of dropping it.
    var unsafeHTML = false
    /// `stale_months`: warn about content not checked within this many months (see `StaleCheck`).
    var staleMonths: Int?
    /// Every warning is an error (for CI).
    var strict = false
    /// `paper`: the cheat sheets' paper size, `A4` (the default) or `letter`.
    var paper: Paper = .a4

    /// The paper sizes cheat sheets are laid out for; the raw value is CSS's `@page` size.
    enum Paper: String, CaseIterable, Sendable {
        case a4 = "A4", letter
    }

    /// Whether the site gets its full-text search (index, box and results page).
    var search = true
    /// How many cards the practice page introduces per day (`new_cards_per_day`), at least 0.
    var newCardsPerDay = 20

    /// The defaults, as for a project without a `syllabus.yml`.
    init() {}

    /// The keys `load` reads, for the warning about any other.
    static let knownKeys = ["author", "base_url", "deck", "language", "new_cards_per_day", "outputs", "paper", "search",
                            "stale_months", "strict", "title", "unsafe_html"]

    /// Reads `url`; a missing file gives the defaults (an error diagnostic too when
    /// `required`: a file the user named), a broken one diagnostics (`file:line:column`) and
    /// the defaults for what could not be read. Never throws: every problem goes to `diagnostics`.
    public static func load(from url: URL, required: Bool = false, diagnostics: DiagnosticLog) -> ProjectConfig {
        var config = ProjectConfig()
        let shown = SourceLocation.displayPath(url.standardizedFileURL.path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if required {
                diagnostics.error(FileManager.default.fileExists(atPath: url.path) ? "cannot read the configuration file"
                                  : "no such configuration file", at: SourceLocation(path: shown))
            }
            return config
        }
        let reader = YAMLReader(path: shown, lineOffset: 0, diagnostics: diagnostics)
        guard let text = reader.text(of: data) else { return config }
        guard let root = reader.parse(text), let entries = reader.mapping(root, what: "syllabus.yml") else { return config }
        var authorLocation: SourceLocation?
        for (key, value) in entries {
            switch key {
            case "title": config.title = reader.string(value, key: key) ?? config.title
            case "author":
                config.author = reader.string(value, key: key) ?? config.author
                authorLocation = reader.location(of: value)
            case "language":
                if let tag = reader.string(value, key: key) {
                    if LanguageTag.isWellFormed(tag), LanguageTag.hasKnownLanguage(tag) { config.language = tag } else {
                        diagnostics.error("'language' must be a BCP 47 language tag, such as en, de-CH or ja, not '\(tag)'\(LanguageTag.hint(for: tag))",
                                          at: reader.location(of: value))
                    }
                }
            case "base_url":
                config.baseURL = Sanitizer.configurationURL(reader.string(value, key: key), key: key, at: reader.location(of: value), diagnostics: diagnostics)
                    .map { $0.hasSuffix("/") ? $0 : $0 + "/" }
            case "deck": config.deck = reader.string(value, key: key) ?? config.deck
            case "unsafe_html": config.unsafeHTML = reader.bool(value, key: key) ?? false
            case "stale_months":
                if let months = reader.int(value, key: key) {
                    if months > 0 { config.staleMonths = months } else {
                        diagnostics.error("'stale_months' must be a number of months above 0", at: reader.location(of: value))
                    }
                }
            case "strict": config.strict = reader.bool(value, key: key) ?? false
            case "paper":
                if let name = reader.string(value, key: key) {
                    if let paper = Paper.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) { config.paper = paper } else {
                        diagnostics.error("unknown paper '\(name)' (known: A4, letter)", at: reader.location(of: value))
                    }
                }

            case "search": config.search = reader.bool(value, key: key) ?? true
            case "new_cards_per_day":
                if let count = reader.int(value, key: key) {
                    if count >= 0 { config.newCardsPerDay = count }
                    else { diagnostics.error("new_cards_per_day must be 0 or more, not \(count)", at: reader.location(of: value)) }
                }
            case "outputs":
                config.outputs = (reader.strings(value, key: key) ?? []).compactMap { name in
                    if let kind = OutputKind.named(name) { return kind }
                    diagnostics.error("unknown output '\(name)' (known: \(OutputKind.all.map(\.name).joined(separator: ", ")))",
                                      at: reader.location(of: value))
                    return nil
                }
            default:
                diagnostics.warning("unknown key '\(key)' in syllabus.yml (\(Suggestion.hint(for: key, among: knownKeys)))",
                                    at: reader.location(of: value))
            }
        }
        if config.author == StudySetInitializer.authorPlaceholder, config.outputs.contains(.epub), let authorLocation {
            diagnostics.warning("'author' is still '\(config.author)', as syllabus init wrote it: the EPUB names its author so; write yours",
                                at: authorLocation)
        }
        return config
    }
}
