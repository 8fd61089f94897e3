import Foundation

/// A note read from another tool's export (an Anki text export or package, a Quizlet export),
/// before it becomes Markdown. Readers fill it; `syllabus import` turns it into a card.
struct ImportedNote: Sendable, Equatable {
    /// Which kind of card the note becomes: front/back, or a cloze deletion in its first field.
    enum Kind: Sendable, Equatable { case basic, cloze }

    /// Anki's GUID when the source has one (any printable text, punctuation included); it
    /// becomes the card's id so that a build updates the learner's existing note.
    var guid: String?
    /// Basic or cloze, from the source's note type.
    var kind: Kind
    /// The fields as the source stores them, front first: Anki fields are HTML, Quizlet's are
    /// plain text. A cloze note's text is in `fields[0]`, its extra text (if any) in `fields[1]`.
    var fields: [String]
    /// The source's tags, one per element, as written (Anki separates them by spaces).
    var tags: [String]
    /// The source's deck name (Anki's `::` separates nested decks), when it has one.
    var deck: String?
    /// Whether `deck` is Anki's default deck, the one every collection has and a note goes to
    /// when no deck is chosen: a catch-all that says nothing about the note, so it is kept as
    /// no `deck::` tag (see `defaultDeckID`, `defaultDeckNames`).
    var inDefaultDeck: Bool
    /// Where the note was read, for diagnostics: `file:line` of its row, or in a package the
    /// note's position (`location(position:in:)`).
    var location: SourceLocation?
    /// How diagnostics name a note of a package, which has no text to show: its position, what
    /// the learner sees of it in Anki and the search that finds it there,
    /// `note 8 "What is the maximum timeout?" (nid:1700000000123, GUID 'nsqV{BIKr%')`. Nil for
    /// a row of text.
    var name: String?
    /// The source's names of the front's and the back's fields (`Front`, `Back`; a German
    /// profile's `Vorderseite`, `Rückseite`), when it has them: a package does, a text export
    /// does not.
    var fieldNames: [String]
    /// Whether the note is a practice-exam question of a deck Syllabus built (its note type
    /// `Syllabus Multiple Choice`, `AnkiNoteType.multipleChoice`): no card, see
    /// `CardImporter.plan()`.
    var isExamQuestion: Bool
    /// Whether the note is on Syllabus's own Basic or Cloze note type (a deck built here,
    /// brought into Anki and exported again): a default import of the rebuilt `all.apkg`
    /// updates it, where a note on another type conflicts until the merge import
    /// (`CardImporter.intoAnkiAdvice`).
    var onSyllabusNoteType: Bool
    /// How many cards Anki made of the note: a package's cards; in a text export, which holds
    /// none, the templates of a stock type (`StockNoteType.madeCards`) or a cloze note's
    /// numbers. 1 for a Quizlet card.
    var ankiCards: Int

    /// A note as a reader found it; the optional parts default to absent.
    init(guid: String? = nil, kind: Kind, fields: [String], tags: [String] = [],
         deck: String? = nil, inDefaultDeck: Bool = false, location: SourceLocation? = nil, name: String? = nil,
         fieldNames: [String] = [], isExamQuestion: Bool = false, onSyllabusNoteType: Bool = false, ankiCards: Int = 1) {
        self.guid = guid
        self.kind = kind
        self.fields = fields
        self.tags = tags
        self.deck = deck
        self.inDefaultDeck = inDefaultDeck
        self.location = location
        self.name = name
        self.fieldNames = fieldNames
        self.isExamQuestion = isExamQuestion
        self.onSyllabusNoteType = onSyllabusNoteType
        self.ankiCards = ankiCards
    }

    /// How a diagnostic names the note's field `index` (0: the front; the back holds the
    /// fields after it): its name in quotes when the source has one, else "the front" or "the back".
    func fieldName(_ index: Int) -> String {
        let part = min(index, 1)
        return fieldNames.indices.contains(part) ? "field \"\(fieldNames[part])\"" : part == 0 ? "the front" : "the back"
    }

    /// Where diagnostics place the `position`-th note (from 1) of the package `file`, which has
    /// no lines: at line `position`, column 1. Read as the list of notes Anki's browser shows
    /// sorted by Created (the order notes were made, their ids'), so a package's diagnostics
    /// sort in that order and no two notes share a place.
    static func location(position: Int, in file: String) -> SourceLocation {
        SourceLocation(path: file, line: position, column: 1)
    }

    /// What a note of a note type with more than one card template or a typed answer loses as
    /// one Syllabus card (nil when nothing): `templates` are the names of the templates that
    /// made a card of it, in order, `typesAnswer` whether one of them holds a `{{type:…}}`
    /// field.
    static func lostCards(templates: [String], typesAnswer: Bool) -> String? {
        var lost: [String] = []
        if templates.count > 1 {
            lost.append("its card" + (templates.count > 2 ? "s " : " ") + templates.dropFirst().map { "\"\($0)\"" }.joined(separator: ", ")
                        + " (the reverse card" + (templates.count > 2 ? "s" : "") + ")")
        }
        if typesAnswer { lost.append("the typed answer (the card shows its back instead)") }
        return lost.isEmpty ? nil : lost.joined(separator: " and ")
    }

    /// What a text export's row says of the cards Anki made of it, for a stock note type that
    /// makes more than one card or asks for a typed answer (English names, as a text export's
    /// notetype column gives them). A text export holds no templates or cards, so only these are
    /// recognised there; a package gives every note type's own and each note's cards.
    struct StockNoteType {
        /// Template names in order.
        let templates: [String]
        let typesAnswer: Bool
        /// For a type whose second card exists only while a field is filled (Basic (optional
        /// reversed card): "Add Reverse", the third): that field's index.
        let secondCardNeedsField: Int?

        /// The templates that made a card of a note with these `fields`.
        func madeCards(fields: [String]) -> [String] {
            guard let index = secondCardNeedsField else { return templates }
            let filled = fields.indices.contains(index) && !fields[index].trimmingCharacters(in: .whitespaces).isEmpty
            return filled ? templates : Array(templates.prefix(1))
        }
    }

    /// Anki's stock note types that make more than one card or ask for a typed answer.
    static let stockMultiCardTypes: [String: StockNoteType] = [
        "Basic (and reversed card)": StockNoteType(templates: ["Card 1", "Card 2"], typesAnswer: false, secondCardNeedsField: nil),
        "Basic (optional reversed card)": StockNoteType(templates: ["Card 1", "Card 2"], typesAnswer: false, secondCardNeedsField: 2),
        "Basic (type in the answer)": StockNoteType(templates: ["Card 1"], typesAnswer: true, secondCardNeedsField: nil),
    ]

    /// Said of notes of a note type with more card templates than one, or a typed answer, that
    /// lose `lost` (`lostCards`) as one Syllabus card each; `first` names the first of them.
    /// What to do about their type is said once, after the warnings (`CardImporter.changeToBasicAdvice`).
    static func withoutCards(type: String, notes: Int, first: String, lost: String) -> String {
        "note type \"\(type)\": \(counted(notes, "note")) (\(first)) imported as one card each, without \(lost)"
    }

    /// Said of notes of a note type with more card templates than one that made a card of
    /// their first template only (a Basic (optional reversed card) note with Add Reverse
    /// empty): nothing of theirs is lost, but their type still differs from Syllabus Basic, so
    /// they are among the notes to change to Basic before the merge import
    /// (`CardImporter.changeToBasicAdvice`).
    static func firstCardOnly(type: String, notes: Int, first: String, otherTemplates: [String]) -> String {
        "note type \"\(type)\": \(counted(notes, "note")) (\(first)) \(notes == 1 ? "has" : "have") only \(notes == 1 ? "its" : "their") first card and import\(notes == 1 ? "s" : "") whole, but the note type also has "
            + (otherTemplates.count == 1 ? "the template " : "the templates ") + otherTemplates.map { "\"\($0)\"" }.joined(separator: ", ")
    }

    /// The id of Anki's default deck in every collection and package, whatever the profile's
    /// language names it ("Default", German "Standard"); Anki imports a package's cards of this
    /// deck into the collection's own default deck.
    static let defaultDeckID: Int64 = 1
    /// The default deck's names in a text export, which holds no deck ids: Anki names the
    /// deck in the profile's language when it makes the collection, and the export writes that
    /// name ("Default", German, Danish and Norwegian "Standard", French "Par défaut", Japanese
    /// "既定"). Every language's name, as Anki 26.09's translations give it (a collection made
    /// under each of its languages; Persian falls back to English). A deck of one of these
    /// names that the learner made in a profile of another language is read as the default deck
    /// too: it loses a tag, where a German learner's every note would gain a meaningless one.
    static let defaultDeckNames: Set<String> = [
        "Default", "افتراضية", "Прадвызначаная", "По подразбиране", "Per defecte", "Výchozí", "Standard",
        "Προεπιλογή", "Implicita", "Predeterminado", "Lehenetsia", "Oletusarvo", "Par défaut", "Réamhshocrú",
        "ברירת-מחדל", "Zadano", "Alapértelmezett", "Սկզբնադիր", "Predefinito", "既定", "Әдепкі", "기본", "Анхдагч",
        "Lalai", "Standaard", "Per defaut", "ଡିଫଲ୍ଟ", "Domyślna", "Padrão", "Implicit", "По умолчанию", "Predvolený",
        "Privzeto", "Подразумевано", "Förval", "ค่าเริ่มต้น", "Varsayılan", "كۆڭۈلدىكى", "Типовий", "Birlamchi",
        "Mặc định", "דורך פֿעליקייט", "系统默认", "預設"
    ]

    /// A diagnostic about this note: at its `location` (`file` at 1:1 without one), its
    /// message after the note's `name` when it has one (`note 8 "…" (GUID '…'): message`).
    func diagnostic(_ severity: Severity, _ message: String, file: String) -> Diagnostic {
        Diagnostic(severity, name.map { "\($0): \(message)" } ?? message, at: location ?? SourceLocation(path: file))
    }

    /// `name` for the `position`-th note (from 1) of a package: the position, the first
    /// field's text as Anki's browser lists it (HTML tags left out, entities decoded, white
    /// space collapsed, at most 40 characters), the note's id as the search that finds it in
    /// Anki's browser (`nid:`, Anki's search syntax; the id it has in the collection it was
    /// exported from) and the GUID.
    static func name(position: Int, firstField: String, noteID: Int64, guid: String) -> String {
        let text = browserText(firstField)
        return "note \(position)" + (text.isEmpty ? "" : " \"\(text)\"") + " (nid:\(noteID), GUID '\(guid)')"
    }

    /// A field's text as Anki's browser lists it: HTML tags left out, entities decoded, white
    /// space collapsed, at most 40 characters (the 40th an ellipsis when it is longer).
    static func browserText(_ field: String) -> String {
        // A block or line break separates words; inline formatting (`memory</u>?`) does not.
        let withoutTags = field
            .replacingOccurrences(of: "<(/?(br|div|p|li|ul|ol|tr|td|th|h[1-6]|hr|pre))\\b[^>]*>", with: " ",
                                  options: [.regularExpression, .caseInsensitive])
            .replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
        let words = HTMLEntities.decode(withoutTags).split(whereSeparator: { $0.isWhitespace })
        let text = words.joined(separator: " ")
        return text.count > 40 ? text.prefix(39).trimmingCharacters(in: .whitespaces) + "…" : text
    }
}

/// What one import file holds: its notes in source order, the media files they reference,
/// and the rows that could not be read.
struct ImportedDeck: Sendable {
    /// Every note read, in the source's order.
    var notes: [ImportedNote]
    /// Media file name as the fields reference it (e.g. `paste-1a2b.png` in `<img src="…">`)
    /// → the file, extracted to a temporary folder the caller may copy from.
    var media: [String: URL]
    /// One diagnostic per row or entry that could not be read, saying why; never dropped silently.
    var skipped: [Diagnostic]
    /// Notes read with a change the reader made (extra fields appended to the back, a missing
    /// note type read as basic): imported, so reported apart from `skipped`.
    var changed: [Diagnostic]
    /// The names of the note types whose notes the learner changes to Basic in Anki before
    /// the merge import (`CardImporter.changeToBasicAdvice`), in the order of their first
    /// warning: types with fields beyond front and back, more card templates than one, or a
    /// typed answer. An empty name stands for the notes with more than two fields of a text
    /// export that does not name note types.
    var changeToBasic: [String] = []

    /// A deck of these notes; empty by default, for readers that fill it as they go.
    init(notes: [ImportedNote] = [], media: [String: URL] = [:], skipped: [Diagnostic] = [], changed: [Diagnostic] = []) {
        self.notes = notes
        self.media = media
        self.skipped = skipped
        self.changed = changed
    }
}
