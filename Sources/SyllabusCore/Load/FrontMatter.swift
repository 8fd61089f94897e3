import Foundation
import Yams

/// The optional YAML block at the top of a note, between `---` lines.
struct FrontMatter: Sendable, Equatable {
    /// `title:`; without it the page takes its first heading's text, else its file name.
    var title: String?
    /// `services:`, ids of further services the note is also listed under (beside its folder's).
    var services: [String] = []
    /// `service:`, the group of a note outside every service folder: a service id, or
    /// `general` for notes about no one service.
    var service: String?
    /// `tags:`, as written (a string or a list of strings).
    var tags: [String] = []
    /// `order:`, the sort key among a service's notes (ascending, then by title); absent counts as 0.
    var order: Int?
    /// `slug:`, the page's file name in the site instead of one made from its path; letters,
    /// digits, `-` and `_` only (checked when pages are placed).
    var slug: String?
    /// `cards: true` makes a note a card file like a `*.cards.md` file.
    var cards: Bool?
    /// `sources:` (a URL or a list of URLs) and `checked:` (`YYYY-MM-DD`).
    var provenance = Provenance()
    /// The exam domain of every question in a `*.exam.md` file.
    var domain: String?
    /// Where each key was written, for diagnostics about its value.
    var keyLines: [String: Int] = [:]

    /// No keys set: what a file without front matter has.
    init() {}

    static let knownKeys: Set<String> = ["title", "service", "services", "tags", "order", "slug", "cards", "sources", "checked", "domain"]

    /// Splits `text` into front matter and body. The body keeps its line numbers through
    /// `bodyLineOffset`, the count of lines that come before it in the file.
    static func split(_ text: String) -> (yaml: String?, body: String, bodyLineOffset: Int) {
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n") else { return (nil, text, 0) }
        // Walk line by line to the closing `---`; the body after it is not split.
        let bytes = text.utf8
        var lineStart = bytes.index(after: bytes.firstIndex(of: UInt8(ascii: "\n"))!)
        let yamlStart = lineStart
        var line = 1
        while lineStart < bytes.endIndex {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            line += 1
            if Substring(bytes[lineStart..<lineEnd]).trimming(.whitespacesAndNewlines) == "---" {
                let yaml = String(Substring(bytes[yamlStart..<lineStart]))
                let bodyStart = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd
                return (yaml, String(Substring(bytes[bodyStart...])), line)
            }
            guard lineEnd < bytes.endIndex else { break }
            lineStart = bytes.index(after: lineEnd)
        }
        return (nil, text, 0)
    }

    /// For a file that opens front matter (`---`, then a known key) and never closes it: the
    /// line of its last key (or a line that continues one: indented, or a `- ` item), after
    /// which the closing `---` belongs. Nil for any other file, one that opens with a
    /// thematic break among them. `split` finds no front matter in such a file, whose keys
    /// would otherwise be published as the note's first paragraph.
    static func unclosedLastLine(_ text: String) -> Int? {
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n") else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let first = lines.first, let colon = first.firstIndex(of: ":"),
              knownKeys.contains(String(first[..<colon])) else { return nil }
        var last = 2
        for (offset, line) in lines.enumerated().dropFirst() {
            let continues = line.first == " " || line.first == "\t" || line.hasPrefix("- ")
            let key = line.first.map { $0.isLetter || $0 == "_" } == true && line.contains(":")
                && line.prefix { $0 != ":" }.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            guard continues || key else { break }
            last = offset + 2
        }
        return last
    }

    /// Parses and checks the YAML, reporting problems; unusable values are dropped.
    static func parse(_ yaml: String, file: SourceFile, diagnostics: DiagnosticLog) -> FrontMatter {
        var matter = FrontMatter()
        let reader = YAMLReader(path: file.displayPath, lineOffset: 1, diagnostics: diagnostics)
        guard let root = reader.parse(yaml) else { return matter }
        guard let entries = reader.mapping(root, what: "front matter") else { return matter }
        for (key, value) in entries {
            matter.keyLines[key] = (value.mark?.line ?? 1) + 1
            switch key {
            case "title": matter.title = reader.string(value, key: key)
            case "service": matter.service = reader.string(value, key: key)
            case "services": matter.services = reader.strings(value, key: key) ?? []
            case "tags": matter.tags = reader.strings(value, key: key) ?? []
            case "order": matter.order = reader.int(value, key: key)
            case "slug": matter.slug = reader.string(value, key: key)
            case "cards": matter.cards = reader.bool(value, key: key)
            case "sources":
                // Each URL checked where it is written: a list spans several lines.
                let items = value.sequence.map(Array.init) ?? [value]
                guard value.sequence != nil || value.scalar != nil else {
                    diagnostics.error("'sources' must be a list of URLs", at: reader.location(of: value))
                    break
                }
                matter.provenance.sources = items.compactMap { item in
                    guard let url = reader.string(item, key: key) else { return nil }
                    if let problem = Provenance.problem(with: url) {
                        diagnostics.error(problem, at: reader.location(of: item))
                        return nil
                    }
                    return url
                }
            case "checked":
                guard let text = reader.string(value, key: key) else { break }
                if let date = CheckedDate(text) {
                    matter.provenance.checked = date
                } else {
                    diagnostics.error(CheckedDate.problem(with: text), at: reader.location(of: value))
                }
            case "domain": matter.domain = reader.string(value, key: key)
            default:
                diagnostics.warning("unknown front matter key '\(key)' (\(Suggestion.hint(for: key, among: knownKeys.sorted())))",
                                    at: reader.location(of: value))
            }
        }
        matter.provenance.line = matter.keyLines["checked"] ?? matter.keyLines["sources"] ?? 1
        return matter
    }
}
