import Foundation

/// Syllabus's own Anki note types, as a package carries them (Anki's "schema 11" JSON).
///
/// Anki matches an imported note type by its id, and keeps using the one it has when its
/// field and template names are the same ("equal schema"); a type whose names differ is
/// copied as a new type and its notes are reported as conflicting. So the ids and the field
/// and template names below are frozen: they never change with a release. Templates and CSS
/// may change: then `version` goes up, and with it the types' modification time, so Anki's
/// default "update note types if newer" takes the new look. A change of fields is a new
/// note type with a new id and name (and a README entry), never an edit of one below.
struct AnkiNoteType {
    /// Bumped whenever templates or CSS change; the modification time Anki compares.
    /// Version 1: Syllabus Basic and Syllabus Cloze; 2: option styles for Syllabus Multiple Choice.
    static let version = 2
    static let modified: Int64 = 1_764_460_800 + Int64(version)

    let id: Int64
    let name: String
    let isCloze: Bool
    let fields: [String]
    /// Template name, question format, answer format.
    let templates: [(name: String, question: String, answer: String)]

    /// Front, Back; the site link and the card's GUID ride along in their own fields.
    static let basic = AnkiNoteType(
        id: 1_764_460_800_101, name: "Syllabus Basic", isCloze: false,
        fields: ["Front", "Back", "Link", "Syllabus ID"],
        templates: [("Card 1",
                     "<div class=\"syllabus-front\">{{Front}}</div>",
                     "<div class=\"syllabus-front\">{{Front}}</div>\n<hr id=\"answer\">\n<div class=\"syllabus-back\">{{Back}}</div>\n" + linkFooter)])

    /// Anki's cloze kind: one card per deletion number in Text.
    static let cloze = AnkiNoteType(
        id: 1_764_460_800_102, name: "Syllabus Cloze", isCloze: true,
        fields: ["Text", "Back Extra", "Link", "Syllabus ID"],
        templates: [("Cloze",
                     "<div class=\"syllabus-front\">{{cloze:Text}}</div>",
                     "<div class=\"syllabus-front\">{{cloze:Text}}</div>\n{{#Back Extra}}<hr id=\"answer\">\n<div class=\"syllabus-back\">{{Back Extra}}</div>{{/Back Extra}}\n" + linkFooter)])

    /// An exam question: the stem and lettered options, then the correct options and the
    /// explanation (with the notes that cover it).
    static let multipleChoice = AnkiNoteType(
        id: 1_764_460_800_103, name: "Syllabus Multiple Choice", isCloze: false,
        fields: ["Question", "Options", "Answer", "Explanation", "Link", "Syllabus ID"],
        templates: [("Question",
                     "<div class=\"syllabus-front\">{{Question}}</div>\n<div class=\"syllabus-options\">{{Options}}</div>",
                     "<div class=\"syllabus-front\">{{Question}}</div>\n<div class=\"syllabus-options\">{{Options}}</div>\n<hr id=\"answer\">\n"
                        + "<div class=\"syllabus-answer\">{{Answer}}</div>\n<div class=\"syllabus-back\">{{Explanation}}</div>\n" + linkFooter)])

    /// The note type of a card.
    static func of(_ kind: Card.Kind) -> AnkiNoteType {
        switch kind {
        case .basic: return basic
        case .cloze: return cloze
        }
    }

    /// The Link field is the card's place on the published site (empty without `base_url`).
    private static let linkFooter = "{{#Link}}<p class=\"syllabus-link\"><a href=\"{{text:Link}}\">Open the note</a></p>{{/Link}}"

    /// The site's look: its colours, fonts, code blocks, tables and highlighted cloze, light and
    /// dark (Anki sets `.nightMode` on the card in its night mode).
    static let css = """
        /* Syllabus note types, version \(version) */
        .card { --fg: #1d2125; --muted: #5b6570; --accent: #0b5cad; --border: #d9dee3; --mark: #fff1a8; --code-bg: #f3f5f7;
          font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif;
          font-size: 20px; line-height: 1.5; text-align: left; color: var(--fg); background: #fdfdfc;
          max-width: 46rem; margin: 0 auto; padding: 1rem; }
        .card.nightMode, .nightMode .card { --fg: #e4e7ea; --muted: #9aa5b0; --accent: #7db8f5; --border: #2f363d;
          --mark: #5b4d00; --code-bg: #23282d; background: #15181b; }
        a { color: var(--accent); }
        .syllabus-front { font-weight: 600; }
        .syllabus-back { margin-top: .5rem; }
        pre, code { font-family: "DejaVu Sans Mono", "Liberation Mono", ui-monospace, monospace; font-size: .85em;
          background: var(--code-bg); border-radius: 4px; }
        code { padding: .1em .3em; }
        pre { padding: .8rem 1rem; overflow-x: auto; white-space: pre; }
        pre code { padding: 0; background: none; }
        table { border-collapse: collapse; margin: 1rem 0; display: block; overflow-x: auto; font-size: .9em; }
        th, td { border: 1px solid var(--border); padding: .3rem .6rem; text-align: left; vertical-align: top; }
        th { background: var(--code-bg); }
        blockquote { margin: 1rem 0; padding: .25rem 1rem; border-left: 4px solid var(--border); color: var(--muted); }
        img { max-width: 100%; }
        mark, .cloze { background: var(--mark); color: inherit; padding: 0 .15em; border-radius: 3px; }
        .cloze { font-weight: 700; }
        .syllabus-link { margin-top: 1.5rem; font-size: .75em; color: var(--muted); }
        .syllabus-options ol { padding-left: 1.6em; }
        .syllabus-options li { margin: .25em 0; }
        .syllabus-answer { font-weight: 600; }

        """

    /// The type as an entry of the collection's `models` JSON object.
    func json() -> [String: Any] {
        let fields: [[String: Any]] = fields.enumerated().map { ord, name in
            // The bookkeeping fields stay folded in Anki's editor.
            ["name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial", "size": 20, "media": [String](),
             "collapsed": ["Link", "Syllabus ID"].contains(name)]
        }
        let templates: [[String: Any]] = templates.enumerated().map { ord, template in
            ["name": template.name, "ord": ord, "qfmt": template.question, "afmt": template.answer,
             "bqfmt": "", "bafmt": "", "did": NSNull(), "bfont": "", "bsize": 0]
        }
        let requirements: [Any] = isCloze ? [] : [[0, "any", [0]] as [Any]]
        return [
            "id": id, "name": name, "type": isCloze ? 1 : 0, "mod": Self.modified, "usn": 0, "sortf": 0,
            "did": NSNull(), "css": Self.css, "latexPre": "", "latexPost": "", "latexsvg": false,
            "tags": [String](), "vers": [Int](), "flds": fields, "tmpls": templates,
            // Anki 2.1.28+ computes which fields a card needs itself; older versions read this.
            "req": requirements,
        ]
    }
}
