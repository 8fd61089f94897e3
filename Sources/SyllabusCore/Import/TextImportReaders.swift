import Foundation

/// Reads Anki's "Notes in Plain Text" export (File → Export…, `.txt`), the format Anki
/// 2.1.55 and later write and read: header lines `#key:value` first, then one note per row.
///
/// The headers read (facts from Anki's `rslib/src/import_export/text/csv/`): `#separator:`
/// (`Tab`, `Comma`, `Semicolon`, `Space`, `Pipe`, `Colon`, any case, or the character
/// itself), `#html:true|false`, `#guid column:N`, `#notetype column:N`, `#deck column:N`,
/// `#tags column:N` (1-based), `#notetype:`, `#deck:` and `#tags:` for every row, and
/// `#columns:` (labels, ignored). Without `#separator` the first row decides (tab, then `|`,
/// `;`, `,`); without `#html` a field is HTML when it holds a tag or an entity. The fields
/// are the remaining columns in order (only the first two for a row of Syllabus's own basic or
/// cloze note type). A note whose first field holds `{{cN::` is a cloze; an image occlusion
/// note (`{{c1::image-occlusion:…}}`) is skipped with a warning.
enum AnkiTextReader {
    /// The export's notes, or why rows were skipped. `displayPath` is the file as the report
    /// names it.
    static func read(_ text: String, displayPath: String) -> (deck: ImportedDeck, isHTML: Bool) {
        var headers: [String: String] = [:]
        var rest = Substring(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        var line = 1
        while rest.hasPrefix("#"), let colon = rest.prefix(while: { $0 != "\n" && $0 != "\r\n" }).firstIndex(of: ":") {
            let end = rest.firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) ?? rest.endIndex
            let key = rest[rest.index(after: rest.startIndex)..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[key] = String(rest[rest.index(after: colon)..<end])
            rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
            line += 1
        }
        var deck = ImportedDeck()
        let delimiter = headers["separator"].flatMap(separator) ?? guessSeparator(rest)
        if let name = headers["separator"], separator(name) == nil {
            deck.skipped.append(Diagnostic(.warning, "unknown separator '\(name)'; the first row says '\(delimiter)'", at: SourceLocation(path: displayPath, line: 1)))
        }
        let table = DelimitedText(rest, delimiter: delimiter, firstLine: line)
        if let open = table.unclosedQuote {
            deck.skipped.append(Diagnostic(.error, "a quoted field opened here is never closed: the rest of the file is one field", at: SourceLocation(path: displayPath, line: open)))
        }
        let isHTML = headers["html"].map { $0.trimmingCharacters(in: .whitespaces).lowercased() == "true" }
            ?? table.rows.contains { $0.fields.contains(where: looksLikeHTML) }
        func column(_ key: String) -> Int? { headers[key].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.map { $0 - 1 } }
        let guidColumn = column("guid column"), notetypeColumn = column("notetype column")
        let deckColumn = column("deck column"), tagsColumn = column("tags column")
        let special = Set([guidColumn, notetypeColumn, deckColumn, tagsColumn].compactMap { $0 })
        let globalTags = (headers["tags"] ?? "").split(separator: " ").map(String.init)
        // Per stock note type that makes more cards than one: its first row and how many notes
        // lost a card, and the same of its notes that made their first card only.
        var extraCards: [String: (first: Int, notes: Int)] = [:]
        var firstCardOnly: [String: (first: Int, notes: Int)] = [:]
        for row in table.rows {
            let location = SourceLocation(path: displayPath, line: row.line)
            func value(_ column: Int?) -> String? {
                guard let column, row.fields.indices.contains(column) else { return nil }
                let text = row.fields[column].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            if let wanted = special.max(), wanted >= row.fields.count {
                deck.skipped.append(Diagnostic(.error, "row has \(row.fields.count) columns; the headers name column \(wanted + 1)", at: location))
                continue
            }
            let notetype = value(notetypeColumn) ?? headers["notetype"]
            var fields = row.fields.indices.filter { !special.contains($0) }.map { row.fields[$0] }
            if let notetype, Self.syllabusNoteTypes.contains(notetype) {
                // A note Syllabus made (imported into Anki, then exported): its Link and
                // Syllabus ID fields are made again by every build, not part of the card.
                fields = Array(fields.prefix(2))
            }
            while fields.count > 2, fields.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { fields.removeLast() }
            guard let first = fields.first, !first.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                deck.skipped.append(Diagnostic(.error, "row has an empty first field (Anki would not import it either)", at: location))
                continue
            }
            // Its deletions are shapes over the picture of its second field, as in a package.
            if AnkiPackageReading.isImageOcclusion(first) {
                deck.skipped.append(Diagnostic(.warning, AnkiPackageReading.imageOcclusionSkipped, at: location))
                continue
            }
            let deletions = Cloze.scan(first).deletions
            let isCloze = !deletions.isEmpty || notetype?.lowercased().contains("cloze") == true
            var ankiCards = isCloze ? max(Set(deletions.map(\.number)).count, 1) : 1
            if let notetype, !isCloze, let stock = ImportedNote.stockMultiCardTypes[notetype] {
                let made = stock.madeCards(fields: fields)
                ankiCards = made.count
                if ImportedNote.lostCards(templates: made, typesAnswer: stock.typesAnswer) != nil {
                    extraCards[notetype, default: (row.line, 0)].notes += 1
                } else {
                    firstCardOnly[notetype, default: (row.line, 0)].notes += 1
                }
                // The switch that makes the second card ("y" in Add Reverse) is no part of the back.
                if let index = stock.secondCardNeedsField, fields.indices.contains(index) { fields.remove(at: index) }
            }
            // Fields after the second go to the back (`CardImporter.card`); the notes of their
            // note type are changed to Basic before they go back into Anki.
            if !isCloze, fields.count > 2, !deck.changeToBasic.contains(notetype ?? "") { deck.changeToBasic.append(notetype ?? "") }
            let tags = globalTags + (value(tagsColumn) ?? "").split(separator: " ").map(String.init)
            let deckName = value(deckColumn) ?? headers["deck"]
            deck.notes.append(ImportedNote(guid: value(guidColumn), kind: isCloze ? .cloze : .basic, fields: fields, tags: tags,
                                           deck: deckName, inDefaultDeck: deckName.map(ImportedNote.defaultDeckNames.contains) ?? false, location: location,
                                           isExamQuestion: notetype == AnkiNoteType.multipleChoice.name,
                                           onSyllabusNoteType: notetype.map(Self.syllabusNoteTypes.contains) ?? false, ankiCards: ankiCards))
        }
        for (notetype, use) in extraCards.sorted(by: { $0.value.first < $1.value.first }) {
            guard let stock = ImportedNote.stockMultiCardTypes[notetype],
                  let lost = ImportedNote.lostCards(templates: stock.templates, typesAnswer: stock.typesAnswer) else { continue }
            deck.changed.append(Diagnostic(.warning, ImportedNote.withoutCards(type: notetype, notes: use.notes, first: "the first on this line", lost: lost),
                                           at: SourceLocation(path: displayPath, line: use.first)))
            if !deck.changeToBasic.contains(notetype) { deck.changeToBasic.append(notetype) }
        }
        for (notetype, use) in firstCardOnly.sorted(by: { $0.value.first < $1.value.first }) {
            guard let stock = ImportedNote.stockMultiCardTypes[notetype] else { continue }
            deck.changed.append(Diagnostic(.warning, ImportedNote.firstCardOnly(type: notetype, notes: use.notes, first: "the first on this line",
                                                                                otherTemplates: Array(stock.templates.dropFirst())),
                                           at: SourceLocation(path: displayPath, line: use.first)))
            if !deck.changeToBasic.contains(notetype) { deck.changeToBasic.append(notetype) }
        }
        return (deck, isHTML)
    }

    /// The names of Syllabus's own basic and cloze note types (`AnkiNoteType`), whose fields
    /// after the second are the site link and the GUID.
    static let syllabusNoteTypes: Set<String> = [AnkiNoteType.basic.name, AnkiNoteType.cloze.name]

    /// Whether `text` opens Anki's header lines, so the file is an Anki text export.
    static func hasHeaders(_ text: String) -> Bool {
        let start = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst().prefix(200)) : String(text.prefix(200))
        return ["#separator:", "#html:", "#guid column:", "#notetype", "#deck", "#tags", "#columns:"].contains { start.lowercased().hasPrefix($0) }
    }

    static func separator(_ name: String) -> Character? {
        let named: [String: Character] = ["tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"]
        if let character = named[name.trimmingCharacters(in: .whitespaces).lowercased()] { return character }
        return name.count == 1 ? name.first : nil
    }

    static func guessSeparator(_ text: Substring) -> Character {
        let firstRow = text.prefix { $0 != "\n" && $0 != "\r\n" }
        return ["\t", "|", ";", ","].first { firstRow.contains($0) } ?? "\t"
    }

    static func looksLikeHTML(_ text: String) -> Bool {
        text.range(of: "<[a-zA-Z/!]", options: .regularExpression) != nil || text.range(of: "&[a-zA-Z#][a-zA-Z0-9]*;", options: .regularExpression) != nil
    }
}

/// Reads a Quizlet export: term and definition separated by `termSeparator` (default a tab),
/// cards by `cardSeparator` (default a line break). A chunk that does not hold the term
/// separator exactly once cannot be split without guessing: it is skipped and reported
/// with its line. Both fields are plain text.
public enum QuizletReader {
    /// The cards of `text`, each located at its first line in `displayPath`, and the chunks
    /// that could not be split in `skipped`. Never throws: bad input is a diagnostic.
    static func read(_ text: String, displayPath: String, termSeparator: String = "\t", cardSeparator: String = "\n") -> ImportedDeck {
        var deck = ImportedDeck()
        let text = (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text).replacingOccurrences(of: "\r\n", with: "\n")
        var line = 1
        for chunk in text.components(separatedBy: cardSeparator) {
            defer { line += chunk.filter { $0 == "\n" }.count + cardSeparator.filter { $0 == "\n" }.count }
            // Blank lines around a card are not part of it.
            let leading = chunk.prefix { $0 == "\n" }.count
            let card = chunk.trimmingCharacters(in: .newlines)
            guard !card.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            let location = SourceLocation(path: displayPath, line: line + leading)
            let parts = card.components(separatedBy: termSeparator)
            guard parts.count == 2 else {
                let shown = termSeparator.replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
                let why = parts.count < 2 ? "holds no term separator '\(shown)'" : "holds the term separator '\(shown)' \(parts.count - 1) times"
                deck.skipped.append(Diagnostic(.error, "card \(why): cannot tell term from definition", at: location))
                continue
            }
            let term = parts[0].trimmingCharacters(in: .whitespaces), definition = parts[1].trimmingCharacters(in: .whitespaces)
            guard !term.isEmpty, !definition.isEmpty else {
                deck.skipped.append(Diagnostic(.error, "card has an empty \(term.isEmpty ? "term" : "definition")", at: location))
                continue
            }
            deck.notes.append(ImportedNote(kind: .basic, fields: [term, definition], location: location))
        }
        return deck
    }

    /// A separator as typed on the command line: `\t` is a tab, `\n` a line break, `\\` a backslash.
    public static func unescape(_ typed: String) -> String {
        var result = ""
        var escaping = false
        for character in typed {
            if escaping {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                case "r": result.append("\r")
                default: result.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        if escaping { result.append("\\") }
        return result
    }
}
