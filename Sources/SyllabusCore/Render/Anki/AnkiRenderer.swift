import Foundation

/// Anki decks, one per service plus `all` (and `exam` for the practice exam's questions), in
/// two forms with the same decks, tags and GUIDs:
/// TSV files Anki (2.1.55+) imports with its own header lines (stock "Basic"/"Cloze" note
/// types), and `.apkg` packages with Syllabus's own note types and the cards' pictures.
/// Every note carries a stable GUID, so a re-import updates notes in place and never
/// duplicates them, and review history survives every rebuild. `removed.txt` lists the notes
/// earlier builds exported that the source no longer has (an import never deletes).
struct AnkiRenderer: Renderer {
    /// The folder of the output folder it writes (`Output/anki`).
    let folder = "anki"
    /// Decks are a few megabytes; writing the packages leaves a core idle part of the time.
    let rendersBeside = true

    /// A renderer with no state: what it knows of earlier builds (`AnkiHistory`) is read
    /// from the output folder when it renders.
    init() {}

    static let header = """
        #separator:tab
        #html:true
        #guid column:1
        #notetype column:2
        #deck column:3
        #tags column:6
        #columns:GUID\tNotetype\tDeck\tFront\tBack\tTags

        """

    /// Each deck file is keyed by its cards: a rebuild makes only the decks whose cards
    /// changed. A package's key also covers its notes' modification times (`AnkiHistory`);
    /// the key a made package is recorded with is the one the next build computes from the
    /// history this build keeps, so an unchanged package is not made again. The history is
    /// saved again only when it changed.
    func render(_ set: LinkedStudySet, diagnostics: DiagnosticLog, into output: OutputSink) throws {
        let keys = output.takePrepared(folder) as? Keys ?? Keys(set, output: output)
        let history = keys.history
        let cards = set.studySet.cards
        let links = SiteLinks(set: set)
        // Anki has no copy of the site: links point at the published site, or become text;
        // pictures are the collection's media.
        let href: (LinkTarget) -> String? = { AnkiMedia.href($0, in: set, site: links.absoluteHref) }
        let pictures = AnkiMedia.pictures(of: set)
        let html = Lazy { CardHTML.all(cards, in: set, href: href, mediaNames: true) }
        let rows = Lazy { parallelMap(cards.count) { row(cards[$0], html: html.value[$0], set: set) } }
        // The exam's questions are notes of all and of exam (a Basic note in the TSVs, a note of
        // Syllabus's multiple-choice type in the packages).
        let questions = set.studySet.questions
        let questionParts = Lazy {
            zip(questions, QuestionHTML.all(in: set, href: href, mediaNames: true)).map { parts($0, html: $1, set: set, links: links, pictures: pictures) }
        }
        let questionRows = Lazy { questionParts.value.map(Self.row).joined() }
        var files = keys.decks.indices.compactMap { index -> OutputFile? in
            let deck = keys.decks[index]
            let path = "\(folder)/\(deck.name).tsv"
            guard !output.reuse(path, key: keys.tsv[index]) else { return nil }
            let text = Self.header + deck.cards.map { rows.value[$0] }.joined() + (deck.questions ? questionRows.value : "")
            return OutputFile(path: path, text: text, key: keys.tsv[index])
        }
        // The TSV files' pictures, for Anki's media folder (`collection.media`).
        files += pictures.values.sorted { $0.flatName < $1.flatName }.compactMap { file in
            let path = "\(folder)/media/\(file.flatName)"
            let key = OutputKey("anki-media", file.hash).hex
            guard !output.reuse(path, key: key), let data = set.fileReader?.data(file) else { return nil }
            return OutputFile(path: path, contents: data, key: key)
        }

        let current = Set(cards.map(\.guid) + questions.map(\.guid))
        var kept = AnkiHistory()
        let stale = keys.decks.indices.filter { !output.reuse("\(folder)/\(keys.decks[$0].name).apkg", key: keys.package[$0]) }.map { keys.decks[$0] }
        if stale.isEmpty {
            // Usually every note of the history is current: kept as it is, not copied.
            kept.notes = history.notes.keys.allSatisfy(current.contains) ? history.notes : history.notes.filter { current.contains($0.key) }
        } else {
            let drafts = parallelMap(cards.count) { draft(cards[$0], html: html.value[$0], set: set, links: links, pictures: pictures) }
                + questionParts.value.map(\.draft)
            let made = notes(drafts, set: set, history: history, pictures: pictures)
            kept.notes = Dictionary(uniqueKeysWithValues: zip(drafts, made.notes).map { draft, note in
                (note.guid, AnkiHistory.Note(hash: made.hashes[note.guid]!, modified: note.modified, deck: note.deck, front: draft.front))
            })
            // The packages are made side by side (SQLite and deflate are most of their cost).
            let packages = parallelMap(stale.count) { index -> Result<OutputFile, Error> in
                let deck = stale[index]
                // Questions follow the cards, in question order.
                let indices = deck.cards + (deck.questions ? Array(cards.count..<drafts.count) : [])
                let notes = indices.map { made.notes[$0] }
                let names = Set(indices.flatMap { drafts[$0].media })
                let media = made.media.filter { names.contains($0.name) }.map { (name: $0.name, data: $0.data) }
                return Result {
                    OutputFile(path: "\(folder)/\(deck.name).apkg", contents: try AnkiPackage.make(notes: notes, media: media),
                               key: keys.packageKey(deck, of: set, history: kept))
                }
            }
            files += try packages.map { try $0.get() }
        }
        kept.removed = history.removed(keeping: current)
        files.append(OutputFile(path: "\(folder)/removed.txt", text: Self.removedList(kept.removed)))
        try output.write(files)
        // Unchanged (a rebuild whose notes did not change): the saved file stays as it is,
        // unless it is in an earlier version's form.
        if kept != history || !keys.historyIsCurrent { output.keep(kept.data, state: AnkiHistory.stateName) }
    }

    /// Without a deck and without notes an earlier build exported (a set that never had a card
    /// or an exam question), the output would hold only a `removed.txt` that lists nothing: the
    /// build leaves it out. With decks, or with notes to delete in Anki, it is made. `state`:
    /// see `Renderer.makesFiles`; the history is read only for a set without decks.
    func makesFiles(for set: LinkedStudySet, state: (String) -> Data?) -> Bool {
        !set.studySet.cards.isEmpty || !set.studySet.questions.isEmpty || !AnkiHistory(state(AnkiHistory.stateName)).isEmpty
    }

    /// A deck: its name, the indices of its cards in `StudySet.cards`, and whether it holds the
    /// exam's questions.
    typealias Deck = (name: String, cards: [Int], questions: Bool)

    /// `all` (when there are cards: without, it would be empty or `exam` again), each service
    /// with cards, and `exam` when there are questions.
    static func decks(_ set: LinkedStudySet) -> [Deck] {
        let cards = set.studySet.cards
        let questions = !set.studySet.questions.isEmpty
        var decks: [Deck] = cards.isEmpty ? [] : [("all", Array(cards.indices), questions)]
        for service in set.studySet.servicesInUse {
            let indices = cards.indices.filter { cards[$0].serviceID == service.id }
            if !indices.isEmpty { decks.append((service.id, indices, false)) }
        }
        if questions { decks.append(("exam", [], true)) }
        return decks
    }

    /// A card's or question's fields are made from its note's tree: the cards' notes when a
    /// deck with cards is made again, the exam files when one with questions is (a package
    /// made again holds every note's fields, so it needs both).
    func prepare(_ set: LinkedStudySet, output: OutputSink) -> Set<String> {
        let keys = Keys(set, output: output)
        output.handOver(keys, as: folder)
        var cards = false, questions = false
        for (index, deck) in keys.decks.enumerated() {
            if !output.reuse("\(folder)/\(deck.name).apkg", key: keys.package[index]) {
                (cards, questions) = (true, true)
            } else if !output.reuse("\(folder)/\(deck.name).tsv", key: keys.tsv[index]) {
                cards = cards || !deck.cards.isEmpty
                questions = questions || deck.questions
            }
        }
        return Set((cards ? set.studySet.cards.map(\.pageID) : []) + (questions ? set.studySet.examPages.map(\.id) : []))
    }

    /// The decks and the key of each deck's TSV file and package, with the history the
    /// package keys were made from: worked out by `prepare` and handed to `render`. Holds no
    /// note's tree.
    private struct Keys {
        var history: AnkiHistory
        /// Whether the history was read in the current form (see `AnkiHistory.magic`).
        var historyIsCurrent: Bool
        var decks: [Deck]
        /// By deck, in the order of `decks`.
        var tsv: [String] = []
        var package: [String] = []
        var environmentKey: String
        var questionsKey: String
        /// What each card adds to its decks' keys, by card index, worked out once per card
        /// (a card is in `all` and in its service's deck): its note's render key (its Markdown
        /// and where its links go) and page path, and its place in the note.
        var cardNotes: [(renderKey: String, path: String, place: String)]
        /// Each question's page path, by question index.
        var questionPaths: [String]

        init(_ set: LinkedStudySet, output: OutputSink) {
            let state = output.state(AnkiHistory.stateName)
            history = AnkiHistory(state)
            historyIsCurrent = AnkiHistory.isCurrent(state)
            decks = AnkiRenderer.decks(set)
            environmentKey = set.environmentKey
            questionsKey = AnkiRenderer.questionsKey(set)
            var notes: [String: (renderKey: String, path: String)] = [:]
            cardNotes = set.studySet.cards.map { card in
                let note = notes[card.pageID] ?? {
                    let page = set.page(card.pageID)
                    let note = (renderKey: page.map { set.links(of: $0).renderKey } ?? "", path: page?.outputPath ?? "")
                    notes[card.pageID] = note
                    return note
                }()
                return (note.renderKey, note.path, String(card.index))
            }
            questionPaths = set.studySet.questions.map { notes[$0.pageID]?.path ?? set.page($0.pageID)?.outputPath ?? "" }
            tsv = decks.map(tsvKey)
            package = decks.map { packageKey($0, of: set, history: history) }
        }

        /// A TSV file's key: its cards' notes and places in them, and the questions when it has them.
        private func tsvKey(_ deck: Deck) -> String {
            var key = OutputKey("anki", environmentKey)
            addCards(of: deck, to: &key)
            if deck.questions { key.add(questionsKey) }
            return key.hex
        }

        private func addCards(of deck: Deck, to key: inout OutputKey) {
            for index in deck.cards { key.add(cardNotes[index].renderKey, cardNotes[index].place) }
        }

        /// A package's key: what its TSV file's covers, the note types, and each note's GUID,
        /// page and content hash and time in `history`.
        func packageKey(_ deck: Deck, of set: LinkedStudySet, history: AnkiHistory) -> String {
            let cards = set.studySet.cards
            var key = OutputKey("anki-package", environmentKey, String(AnkiNoteType.version))
            addCards(of: deck, to: &key)
            func add(_ guid: String, _ path: String) {
                if let note = history.notes[guid] {
                    key.add(guid, path, note.hash, String(note.modified))
                } else {
                    key.add(guid, path, "none")
                }
            }
            for index in deck.cards { add(cards[index].guid, cardNotes[index].path) }
            if deck.questions {
                key.add(questionsKey)
                for (question, path) in zip(set.studySet.questions, questionPaths) { add(question.guid, path) }
            }
            return key.hex
        }
    }

    /// A note to export, a card's or a question's, before `notes` gives it its time, its ids and
    /// its place among new cards (0 and empty until then).
    struct Draft {
        /// Its fields with the pictures already named as in the package.
        var note: AnkiNote
        var pageID: String
        /// Plain text, for `removed.txt`.
        var front: String
        /// The media names of the pictures its fields show.
        var media: [String]
    }

    private func draft(_ card: Card, html: CardHTML, set: LinkedStudySet, links: SiteLinks, pictures: [String: LocalFile]) -> Draft {
        let front = AnkiField.format(Self.front(card, html: html))
        let back = AnkiField.format(html.back + html.provenance)
        let link = links.absoluteHref(.page(id: card.pageID, fragment: card.anchor)) ?? ""
        let ordinals = card.kind == .cloze ? Set(Cloze.scan(front).deletions.map { $0.number - 1 }).sorted() : [0]
        let note = AnkiNote(id: 0, guid: card.guid, type: AnkiNoteType.of(card.kind), deck: deckName(card, set: set),
                            fields: [front, back, link, escapeHTML(card.guid)], tags: tags(card, set: set), modified: 0,
                            cardOrdinals: ordinals.isEmpty ? [0] : ordinals, cardIDs: [], due: 0)
        return Draft(note: note, pageID: card.pageID, front: card.frontText,
                     media: pictures.isEmpty ? [] : AnkiMedia.names(in: front + back, known: pictures))
    }

    /// Every draft as a package note, in order, with its content hash and pictures.
    private func notes(_ drafts: [Draft], set: LinkedStudySet, history: AnkiHistory, pictures: [String: LocalFile])
        -> (notes: [AnkiNote], hashes: [String: String], media: [AnkiMedia.File]) {
        let made = parallelMap(drafts.count) { index -> (AnkiNote, String) in
            var note = drafts[index].note
            let hash = IdentifierHash.hex128(Array(([String(note.type.id), note.deck, note.tags.joined(separator: " ")] + note.fields)
                .joined(separator: "\u{1F}").utf8))
            note.modified = history.modified(guid: note.guid, hash: hash, fileTime: set.sourceModified[drafts[index].pageID] ?? 0)
            note.due = index + 1
            return (note, hash)
        }
        // Ids in card order, each from its note's time (Anki shows a new note's id as the
        // date it was added) and GUID, moved on until unique in the package.
        var noteIDs = Set<Int64>()
        var cardIDs = Set<Int64>()
        var notes: [AnkiNote] = []
        for (note, _) in made {
            var note = note
            var id = note.modified * 1000 + Int64(IdentifierHash.fnv1a64(note.guid) % 1000)
            while noteIDs.contains(id) { id += 1 }
            noteIDs.insert(id)
            note.id = id
            note.cardIDs = note.cardOrdinals.map { ordinal in
                var cardID = id + Int64(ordinal)
                while cardIDs.contains(cardID) { cardID += 1 }
                cardIDs.insert(cardID)
                return cardID
            }
            notes.append(note)
        }
        let media = AnkiMedia.files(drafts.flatMap(\.media), known: pictures, reader: set.fileReader)
        return (notes, Dictionary(made.map { ($0.0.guid, $0.1) }) { first, _ in first }, media)
    }

    private func deckName(_ card: Card, set: LinkedStudySet) -> String {
        "\(set.config.deck)::\(set.studySet.service(card.serviceID).short)"
    }

    private func tags(_ card: Card, set: LinkedStudySet) -> [String] {
        // A card's own tag that is its service's tag (an earlier import kept it) is not repeated.
        let serviceTag = AnkiField.serviceTag(set.studySet.service(card.serviceID))
        return [serviceTag] + card.tags.map(AnkiField.tag).filter { $0 != serviceTag }
    }

    /// The deck of the practice exam's questions, under the root deck.
    static let examDeck = "Practice exam"

    /// What the questions' notes show: the exam files (their Markdown and where their links go)
    /// and the titles of the notes they cover.
    static func questionsKey(_ set: LinkedStudySet) -> String {
        var key = OutputKey("questions")
        for page in set.studySet.examPages { key.add(page.id, set.links(of: page).renderKey) }
        for question in set.studySet.questions {
            for case let .page(id, _) in set.notes(covering: question) { key.add(set.page(id)?.title ?? "") }
        }
        return key.hex
    }

    /// A question's note in both forms: the stem and lettered options on the front; the
    /// correct options, the explanation and the notes that cover it on the back. Tagged
    /// `exam::<domain>`.
    private struct QuestionParts {
        var row: [String]
        var draft: Draft
    }

    private func parts(_ question: Question, html: QuestionHTML, set: LinkedStudySet, links: SiteLinks, pictures: [String: LocalFile]) -> QuestionParts {
        let letters = question.options.indices.map { String(UnicodeScalar(UInt8(65 + $0 % 26))) }
        var options = "<ol type=\"A\">" + html.options.map { "<li>\($0)</li>" }.joined() + "</ol>"
        if question.isMultipleResponse { options += "<p><i>Choose \(question.correctIndices.count).</i></p>" }
        let answer = "<p><b>Answer:</b> " + question.correctIndices.map { "\(letters[$0]). \(html.options[$0])" }.joined(separator: "; ") + "</p>"
        var explanation = html.explanation
        let notes = set.notes(covering: question).compactMap { target -> String? in
            guard case let .page(id, _) = target, let page = set.page(id) else { return nil }
            guard let href = links.absoluteHref(target) else { return escapeHTML(page.title) }
            return "<a href=\"\(escapeHTML(href))\">\(escapeHTML(page.title))</a>"
        }
        if !notes.isEmpty { explanation += "<p>In the notes: \(notes.joined(separator: ", "))</p>" }
        let service = set.studySet.service(question.serviceID)
        var tags = ["exam::" + AnkiField.tag(question.domain ?? "none")]
        if service.id != Service.general.id { tags.append(AnkiField.serviceTag(service)) }
        let deck = "\(set.config.deck)::\(Self.examDeck)"
        let stem = AnkiField.format(html.stem)
        let link = links.absoluteHref(.page(id: question.pageID, fragment: question.anchor)) ?? ""
        let note = AnkiNote(id: 0, guid: question.guid, type: .multipleChoice, deck: deck,
                            fields: [stem, AnkiField.format(options), AnkiField.format(answer), AnkiField.format(explanation), link, escapeHTML(question.guid)],
                            tags: tags, modified: 0, cardOrdinals: [0], cardIDs: [], due: 0)
        let draft = Draft(note: note, pageID: question.pageID, front: question.title,
                          media: pictures.isEmpty ? [] : AnkiMedia.names(in: stem + options + answer + explanation, known: pictures))
        return QuestionParts(row: [question.guid, "Basic", deck, AnkiField.format(html.stem + options), AnkiField.format(answer + explanation),
                                   tags.joined(separator: " ")], draft: draft)
    }

    /// `text` inside a quoted Anki search: `\\`, `"`, `*`, `_` and `:` are escaped with a
    /// backslash (Anki's search syntax), so a GUID with punctuation finds only itself.
    static func searchText(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\\"*_:".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    private static func row(_ parts: QuestionParts) -> String {
        parts.row.map(AnkiField.quote).joined(separator: "\t") + "\n"
    }

    private func row(_ card: Card, html: CardHTML, set: LinkedStudySet) -> String {
        let fields = [card.guid, card.kind == .cloze ? "Cloze" : "Basic", deckName(card, set: set),
                      AnkiField.format(Self.front(card, html: html)), AnkiField.format(html.back + html.provenance), tags(card, set: set).joined(separator: " ")]
        return fields.map(AnkiField.quote).joined(separator: "\t") + "\n"
    }

    /// A card's front as Anki is to read it: a cloze front's code cannot end or split a
    /// deletion (see `Cloze.ankiField`).
    private static func front(_ card: Card, html: CardHTML) -> String {
        card.kind == .cloze ? Cloze.ankiField(html.front) : html.front
    }

    /// `removed.txt`: a tab-separated row per removed note (GUID, deck, front), by deck and
    /// front, and one Anki search that finds them all in notes of Syllabus's note types, as a
    /// line of its own to paste whole.
    static func removedList(_ removed: [String: AnkiHistory.Note]) -> String {
        var text = """
            # Notes an earlier build exported that the source no longer has. Importing never deletes
            # a note: find these in Anki's browser and delete them there (see the README).
            # Columns: GUID, deck, front.

            """
        let sorted = removed.sorted { ($0.value.deck, $0.value.front, $0.key) < ($1.value.deck, $1.value.front, $1.key) }
        guard !sorted.isEmpty else { return text + "# None.\n" }
        for (guid, note) in sorted {
            text += [guid, note.deck, note.front].map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }
                .joined(separator: "\t") + "\n"
        }
        // The search alone on its line, no `# `: pasted whole, a `#` would be a search term.
        text += "# Search in Anki's browser for all of them: paste the whole next line.\n"
            + sorted.map { "\"Syllabus ID:\(searchText(escapeHTML($0.key)))\"" }.joined(separator: " OR ") + "\n"
        return text
    }
}

extension OutputKind {
    /// `anki`: the Anki decks, TSV and `.apkg` (`anki/`).
    static let anki = OutputKind(name: "anki") { _ in AnkiRenderer() }
}
