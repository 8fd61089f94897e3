import Foundation

/// `syllabus import`: turns another tool's deck (an Anki text export or package, a Quizlet
/// export) into `*.cards.md` files in the content folder.
///
/// Each note becomes a `##` heading card (an Anki cloze note a cloze card); its Anki GUID
/// becomes the card's id (`<!-- id: … -->`, see `CardID`), so that Syllabus's Anki output
/// carries the same GUID and a build updates the learner's note instead of adding a second
/// one. Cards go to `Content/<service>/imported-<source>.cards.md`, the service forced, or
/// given by the service tag of a deck Syllabus built, or named by a level of the note's deck,
/// or else by the catalog's names in the card (the cross-link matcher, `MentionMatcher`); the
/// rest go to `Content/imported-<source>.cards.md` (`service: general`), and the plan counts
/// them by reason. The deck itself is kept as a `deck::` tag (not Anki's default deck, a
/// catch-all: `ImportedNote.inDefaultDeck`). An existing file is never
/// replaced: a card whose id (or, without one, front) it already holds is updated in place,
/// other cards are appended, and everything else in the file stays.
public struct CardImporter {
    /// What to import and how.
    public struct Options {
        /// `anki`: Notes in Plain Text; `quizlet`: a Quizlet export; `apkg`: an Anki package.
        public enum Format: String, CaseIterable, Sendable { case anki, quizlet, apkg }
        /// The export to read.
        var file: URL
        /// Nil: from the extension (`.apkg`, `.colpkg`) or Anki's header lines, else Quizlet.
        public var format: Format?
        /// A service id that every card goes to.
        public var service: String?
        /// Quizlet: between term and definition (already unescaped).
        public var termSeparator = "\t"
        /// Quizlet: between cards (already unescaped).
        public var cardSeparator = "\n"
        /// The study set the cards go into, as `check` reads it: its content folder (with
        /// `services.yml`) and `syllabus.yml`, which the analysis that tells the set's own
        /// cards and questions from new notes reads as a build does. That analysis stops
        /// before rendering, so the set's templates and output folders are never opened.
        public var studySet: BuildOptions
        /// The content folder, with `services.yml`.
        var contentRoot: URL { studySet.contentRoot }
        /// Whether the plan is only shown (`--dry-run`): no card file is written, so a missing
        /// picture is reported at the note in the export rather than in a card file.
        public var dryRun = false
        /// Reads `file` into the study set `studySet` names (the command line passes the
        /// options `check` gets), every other option at its default.
        public init(file: URL, studySet: BuildOptions) {
            self.file = file
            self.studySet = studySet
        }
    }

    /// One file the import writes (or would write).
    struct PlannedFile: Equatable {
        /// Relative to the content folder.
        var path: String
        /// The service of its folder (`general` at the content root).
        var serviceID: String
        /// The file's whole new text.
        var text: String
        /// Cards of this import in it.
        var cards: Int
        /// How many of `cards` are cloze cards.
        var cloze: Int
        /// How many cards Anki made of the notes of `cards` (`ImportedNote.ankiCards`).
        var ankiCards: Int
        /// Cards appended to it.
        var added: Int
        /// Cards of an earlier import replaced because they changed.
        var updated: Int
        /// Media file names copied next to it.
        var media: [String]
        /// Whether the file was there before (then it is merged into, never replaced).
        var exists: Bool
    }

    /// Everything an import does, worked out before anything is written.
    public struct Plan {
        /// The format read.
        var format: Options.Format
        /// The imported file's name as the report shows it.
        var source: String
        /// The content folder as the report names it.
        var contentFolder = "Content"
        /// The card files to write (one per service, or the file that already holds a card's id), in the order of their first card.
        var files: [PlannedFile] = []
        /// Media to copy: from (extracted) → to (in the content folder).
        var copies: [(from: URL, to: URL)] = []
        /// Rows or notes not imported, and why.
        var skipped: [Diagnostic] = []
        /// Notes not imported because they are cards or exam questions of the study set
        /// already (a deck built here, brought into Anki and exported again), in the export's
        /// order: the report counts them in one line rather than one line each.
        var inSet: [NoteInSet] = []
        /// Things imported with a loss the learner should know about (formatting left out,
        /// a front's line breaks joined).
        var warnings: [Diagnostic] = []
        /// Why each card in General is there, and how many: the report says so, since a
        /// learner's deck hierarchy is not kept as folders.
        var general: [GeneralReason: Int] = [:]
        /// The card file of General's notes, `imported-<source>.cards.md` in the content folder.
        var generalFile = ""
        /// Each deck of the imported notes (in the order of its first note) with the files its
        /// notes go to and how many (paths relative to the content folder): the report names
        /// the decks split over more than one file.
        var decks: [(name: String, files: [(path: String, notes: Int)])] = []
        /// See `ImportedDeck.changeToBasic`.
        var changeToBasic: [String] = []
        /// Imported notes with a GUID that are on another note type than Syllabus's own (the
        /// learner's stock Basic and Cloze): a default import of the rebuilt `all.apkg` reports
        /// them as conflicting (`intoAnkiAdvice`).
        var notesOnOtherTypes = 0
        /// `deck` of `syllabus.yml`: the root of every deck the build makes (`deckAdvice`).
        var buildDeck = ""
        /// Whether a card links a picture the export does not hold (`missingPictureAdvice`).
        var picturesMissing = false
        /// Whether a practice-exam question of another set was skipped (`examQuestionAdvice`).
        var examQuestionsSkipped = false
        /// Notes imported (one card each), over all files.
        var notes: Int { files.map(\.cards).reduce(0, +) }
        /// Where a package's media were extracted; `write` and `discard` remove it.
        var temporaryFolder: URL?
        /// Whether the file could not be read at all (nothing to import, an error in `skipped`).
        public var failed: Bool { files.isEmpty && skipped.contains { $0.severity == .error } }
    }

    /// A note of the export that is a card or exam question of the study set already.
    struct NoteInSet: Equatable {
        /// Its front as Anki's browser lists it (see `ImportedNote.browserText`).
        var front: String
        /// Which of the set's notes it is, and where the set has it.
        var own: OwnNote
    }

    /// Why a card went to General (the content root's `imported-<source>.cards.md`).
    enum GeneralReason: Hashable {
        /// Neither its deck's name nor its text names a service of the catalog; the deck
        /// (nil: the note has none) is in the report, as it is what a learner looks for.
        case namesNoService(deck: String?)
        /// A deck Syllabus built tagged it `general::general`.
        case tagged
        /// `--service general`.
        case forced
        /// An earlier import put the card with this GUID there.
        case earlierImport
    }

    /// What to import and where.
    let options: Options
    /// An importer for `options`; nothing is read until `plan()`.
    public init(_ options: Options) { self.options = options }

    /// Reads the file and works out the plan; writes nothing.
    /// - Throws: `ImportError` (`<path>: <reason>`) when the file or the content folder's
    ///   `services.yml` cannot be read, a package cannot be opened (no zip archive, no
    ///   collection), `--service` names no service, or the export's notes have GUIDs and the
    ///   study set has errors (see `ownNotes`); the error carries the set's diagnostics.
    public func plan() throws -> Plan {
        let catalogDiagnostics = DiagnosticLog()
        let catalogURL = options.contentRoot.appendingPathComponent("services.yml")
        let catalog = ServiceCatalog.load(from: catalogURL, displayPath: SourceLocation.displayPath(catalogURL.standardizedFileURL.path),
                                          diagnostics: catalogDiagnostics)
        if catalogDiagnostics.hasErrors {
            throw ImportError(message: "cannot read the catalog, services.yml (fix the errors above): nothing was imported",
                              diagnostics: catalogDiagnostics.all.filter { $0.severity == .error })
        }
        if let forced = options.service, forced != Service.general.id, catalog[forced] == nil {
            throw ImportError(message: "--service '\(forced)' is not a service id of services.yml")
        }
        let displayPath = options.file.lastPathComponent
        // Card files as the learner opens them from the working folder (`Content/lambda/…`).
        let contentRoot = options.contentRoot.standardizedFileURL
        func shown(_ path: String) -> String { SourceLocation.displayPath(contentRoot.appendingPathComponent(path).path) }
        let sourceName = Self.sourceName(options.file)
        let format: Options.Format
        let read: ImportedDeck
        var isHTML = true
        let mediaFolder = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-import-\(UUID().uuidString)")
        if let chosen = options.format {
            format = chosen
        } else if ["apkg", "colpkg"].contains(options.file.pathExtension.lowercased()) {
            format = .apkg
        } else {
            format = AnkiTextReader.hasHeaders(try Self.readText(options.file)) ? .anki : .quizlet
        }
        switch format {
        case .anki:
            (read, isHTML) = AnkiTextReader.read(try Self.readText(options.file), displayPath: displayPath)
        case .quizlet:
            read = QuizletReader.read(try Self.readText(options.file), displayPath: displayPath,
                                      termSeparator: options.termSeparator, cardSeparator: options.cardSeparator)
            isHTML = false
        case .apkg:
            read = AnkiPackageReader.read(options.file, displayPath: displayPath, mediaFolder: mediaFolder)
            // A package that cannot be opened at all (no zip, no collection) is one error,
            // not a report of nothing imported.
            if read.notes.isEmpty, let fatal = read.skipped.first(where: { $0.severity == .error }) {
                try? FileManager.default.removeItem(at: mediaFolder)
                throw ImportError(message: "\(SourceLocation.displayPath(options.file.path)): \(fatal.message)")
            }
        }

        var plan = Plan(format: format, source: displayPath)
        plan.temporaryFolder = format == .apkg ? mediaFolder : nil
        plan.contentFolder = options.contentRoot.lastPathComponent
        plan.skipped = read.skipped
        plan.warnings = read.changed
        plan.changeToBasic = read.changeToBasic
        let matcher = MentionMatcher(services: catalog.services)
        // A deck Syllabus built and Anki exported again tags each note with its service.
        let serviceTags = Dictionary((catalog.services + [Service.general]).map { (AnkiField.serviceTag($0), $0.id) }) { first, _ in first }
        let serviceNames = Self.serviceNames(catalog.services)
        let existingIDs = try Self.existingIDs(in: options.contentRoot)
        let (own, setErrors) = Self.ownNotes(options)
        // A note with an error may be missing from the analysis (a file that does not read as
        // UTF-8, a folder that is no service), and so may its cards' GUIDs: the export's copies
        // of them would come in as new cards, the same notes twice in Anki. Without GUIDs
        // (Quizlet, a text export without them) nothing is compared.
        if !setErrors.isEmpty, read.notes.contains(where: { $0.guid != nil }) {
            try? FileManager.default.removeItem(at: mediaFolder)
            throw ImportError(message: "the study set has \(counted(setErrors.count, "error")) (above), so the notes of \(displayPath) "
                                  + "that are its own cards cannot all be found, and they would be imported a second time: "
                                  + "fix \(setErrors.count == 1 ? "it" : "them") and import again; nothing was imported",
                              diagnostics: setErrors)
        }
        let fileName = "imported-\(sourceName).cards.md"
        plan.generalFile = fileName

        // Each note as a card, grouped by the file it goes to.
        var byFile: [String: [(key: String, text: String, note: ImportedNote, images: [String])]] = [:]
        var fileOrder: [String] = []
        // Deck → card file → how many of its notes go there.
        var notesOfDeck: [String: [String: Int]] = [:], deckOrder: [String] = []
        var seen = Set<String>()
        for var note in read.notes {
            note.location = note.location ?? SourceLocation(path: displayPath)
            // A deck Syllabus built, imported into Anki and exported again, holds the set's own
            // cards and questions under the GUIDs the build gave them, derived ones included:
            // they are in the set already. A pinned id is found below, by its comment (an
            // earlier import's card is updated there).
            if let guid = note.guid, existingIDs[guid] == nil, let mine = own[guid] {
                plan.inSet.append(NoteInSet(front: ImportedNote.browserText(note.fields.first ?? ""), own: mine))
                continue
            }
            if note.isExamQuestion {
                plan.skipped.append(note.diagnostic(.warning, "a practice-exam question (note type \"\(AnkiNoteType.multipleChoice.name)\") that is not one of this study set's: not imported, as import makes cards", file: displayPath))
                plan.examQuestionsSkipped = true
                continue
            }
            // Its service tag places the card (unless `--service` does) and is no tag of its
            // own: the build adds it again.
            let tagged = note.tags.compactMap { serviceTags[$0.lowercased()] }.first
            note.tags.removeAll { serviceTags[$0.lowercased()] != nil }
            // The deck is kept as a tag (a card file has no deck of its own): in the decks
            // the build makes, and back in Anki. A note of a deck Syllabus built is in
            // Syllabus's deck, which says nothing more, and keeps the tag an earlier import gave
            // it; so does a note in Anki's default deck, the catch-all.
            if tagged == nil, !note.inDefaultDeck, let deck = note.deck {
                let tag = Self.deckTag(deck)
                note.tags.removeAll { $0.lowercased().hasPrefix(Self.deckTagPrefix) }
                note.tags.append(tag)
            }
            // A note's changes are reported once it is imported: a skipped note is listed
            // under "Skipped" only.
            var changes: [Diagnostic] = []
            guard let card = Self.card(note, isHTML: isHTML, file: displayPath, warnings: &changes, skipped: &plan.skipped) else { continue }
            let key = note.guid.map { "id:" + $0 } ?? "front:" + Self.normalized(card.front)
            guard seen.insert(key).inserted else {
                plan.skipped.append(note.diagnostic(.error, "a second note with \(note.guid.map { "GUID '\($0)'" } ?? "front '\(card.front)'") in this file", file: displayPath))
                continue
            }
            // `--service`, then the service tag of a deck Syllabus built, then the learner's
            // own deck hierarchy, then what the card names.
            let fromDeck = note.deck.flatMap { Self.service(ofDeck: $0, names: serviceNames) }
            let serviceID = options.service ?? tagged ?? fromDeck ?? Self.place(front: card.front, back: card.back, matcher: matcher)
            var path = serviceID == Service.general.id ? fileName : "\(serviceID)/\(fileName)"
            var reason: GeneralReason = options.service != nil ? .forced : tagged != nil ? .tagged : .namesNoService(deck: note.deck)
            if let guid = note.guid, let elsewhere = existingIDs[guid] {
                // The same deck exported another way (an .apkg after a text export) keeps
                // its GUIDs: the card is updated where an earlier import put it. A card the
                // learner wrote in a file of their own is never touched.
                if Self.isImportedFile(elsewhere.path) {
                    if elsewhere.path != path { reason = .earlierImport }
                    path = elsewhere.path
                } else {
                    let shownElsewhere = SourceLocation(path: shown(elsewhere.path), line: elsewhere.line, column: elsewhere.column)
                    plan.inSet.append(NoteInSet(front: ImportedNote.browserText(note.fields.first ?? ""),
                                                 own: OwnNote(isExamQuestion: false, location: shownElsewhere)))
                    continue
                }
            }
            plan.warnings += changes
            if note.guid != nil, !note.onSyllabusNoteType { plan.notesOnOtherTypes += 1 }
            if path == fileName { plan.general[reason, default: 0] += 1 }
            if byFile[path] == nil { fileOrder.append(path) }
            if let deck = note.deck {
                if notesOfDeck[deck] == nil { deckOrder.append(deck) }
                notesOfDeck[deck, default: [:]][path, default: 0] += 1
            }
            byFile[path, default: []].append((key, card.text, note, card.images))
        }

        plan.decks = deckOrder.map { deck in (deck, fileOrder.compactMap { path in notesOfDeck[deck]![path].map { (path, $0) } }) }
        plan.buildDeck = ProjectConfig.load(from: options.studySet.configFile, diagnostics: DiagnosticLog()).deck

        for path in fileOrder {
            var cards = byFile[path]!
            let url = options.contentRoot.appendingPathComponent(path)
            let exists = FileManager.default.fileExists(atPath: url.path)
            let serviceID = path.contains("/") ? String(path.split(separator: "/")[0]) : Service.general.id
            let folder = url.deletingLastPathComponent()
            // A picture the set already has byte for byte under another name: the build packages
            // `eb flow.png` as `eb-flow-d3070bdb.png`, and an export of that deck brings it back
            // under the new name. The card keeps referring to the file the set has; nothing is
            // copied, so no round trip adds a copy under a longer name.
            var known: [String: String] = [:]
            let serviceFolder = serviceID == Service.general.id ? nil : options.contentRoot.appendingPathComponent(serviceID)
            for name in Set(cards.flatMap(\.images)).sorted() {
                guard Self.isPlainFileName(name), !FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) else { continue }
                // A package carries the picture's bytes; a text export only the name the build
                // gave it, which names the file the set has.
                let existing = read.media[name].map { Self.sameFile(as: $0, in: folder, orUnder: serviceFolder) }
                    ?? Self.packagedFile(named: name, in: folder, orUnder: serviceFolder)
                if let existing { known[name] = existing }
            }
            if !known.isEmpty {
                for index in cards.indices {
                    for (name, existing) in known where cards[index].images.contains(name) {
                        cards[index].text = cards[index].text.replacingOccurrences(of: "](" + HTMLToMarkdown.destination(name) + ")",
                                                                                   with: "](" + HTMLToMarkdown.destination(existing) + ")")
                    }
                    cards[index].images.removeAll { known[$0] != nil }
                }
            }
            var merged: (text: String, added: Int, updated: Int)
            if exists {
                merged = Self.merge(cards.map { ($0.key, $0.text) }, into: try Self.readText(url))
            } else {
                let title = "Imported from \(displayPath)"
                var header = "---\ntitle: \(Self.yamlQuoted(title))\n"
                if serviceID == Service.general.id { header += "service: general\n" }
                header += "---\n\n# \(HTMLToMarkdown.escape(title))\n"
                merged = (header + cards.map { "\n" + $0.text }.joined(), cards.count, 0)
            }
            var media: [String] = []
            for name in Set(cards.flatMap(\.images)).sorted() {
                // Where the card file shows the picture, as the build's warnings will say.
                let position = Self.position(ofPicture: name, in: merged.text)
                let location = SourceLocation(path: shown(path), line: position.line, column: position.column)
                // A dry run writes no card file: there, the note of the export that links the
                // picture, and the field it is in.
                func diagnostic(_ message: String) -> Diagnostic {
                    guard options.dryRun, let note = cards.first(where: { $0.images.contains(name) })?.note else {
                        return Diagnostic(.warning, message, at: location)
                    }
                    let field = note.fields.firstIndex { HTMLToMarkdown($0, isHTML: isHTML).images.contains(name) } ?? 0
                    return note.diagnostic(.warning, message + " (in \(note.fieldName(field)))", file: displayPath)
                }
                guard let extracted = read.media[name] else {
                    // Already beside the card file (copied by an earlier import of a package,
                    // or by hand): the card shows it, and there is nothing to do.
                    let besideCards = Self.isPlainFileName(name) && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path)
                    if !name.contains(":") && !besideCards {
                        plan.warnings.append(diagnostic("picture '\(name)' is not in the export; the card links to it"))
                        plan.picturesMissing = true
                    }
                    continue
                }
                guard Self.isPlainFileName(name) else {
                    plan.skipped.append(diagnostic("media file name '\(name)' is not a plain file name: not copied"))
                    continue
                }
                let target = folder.appendingPathComponent(name)
                if let existing = FileManager.default.contents(atPath: target.path) {
                    if existing != FileManager.default.contents(atPath: extracted.path) {
                        plan.skipped.append(diagnostic("a different '\(name)' is already there: not replaced"))
                    }
                    continue
                }
                media.append(name)
                plan.copies.append((extracted, target))
            }
            plan.files.append(PlannedFile(path: path, serviceID: serviceID, text: merged.text, cards: cards.count,
                                          cloze: cards.filter { $0.note.kind == .cloze }.count, ankiCards: cards.map(\.note.ankiCards).reduce(0, +),
                                          added: merged.added, updated: merged.updated, media: media, exists: exists))
        }
        plan.skipped = Self.inSourceOrder(plan.skipped)
        plan.warnings = Self.inSourceOrder(plan.warnings)
        return plan
    }

    /// `diagnostics` in the order of the file they name (a package's notes by position), the
    /// files in the order they first appear (the import file, then card files); one place's
    /// keep their order. The reader's and the planner's are found in separate passes.
    static func inSourceOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var fileRank: [String: Int] = [:]
        for diagnostic in diagnostics where fileRank[diagnostic.location.path] == nil {
            fileRank[diagnostic.location.path] = fileRank.count
        }
        return diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element.location, b.element.location)
            return (fileRank[x.path]!, x.line, x.column, a.offset) < (fileRank[y.path]!, y.line, y.column, b.offset)
        }.map(\.element)
    }

    /// Writes the plan's files and copies its media.
    /// - Throws: a file system error; files written before it stay.
    public func write(_ plan: Plan) throws {
        for file in plan.files {
            let url = options.contentRoot.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url, options: .atomic)
        }
        for copy in plan.copies where !FileManager.default.fileExists(atPath: copy.to.path) {
            try FileManager.default.copyItem(at: copy.from, to: copy.to)
        }
        discard(plan)
    }

    /// Removes what reading the file left in the temporary folder (a dry run's end).
    public func discard(_ plan: Plan) {
        if let folder = plan.temporaryFolder { try? FileManager.default.removeItem(at: folder) }
    }

    /// The one-screen summary: notes per file and service (with the Anki cards they were when
    /// that differs), the decks split over several files, why notes went to General, media, the
    /// notes the study set has already (one line), skipped notes and why, what was imported with
    /// a loss, and then, once each, what to do next (`advice`).
    public static func report(_ plan: Plan, dryRun: Bool) -> String {
        let cloze = plan.files.map(\.cloze).reduce(0, +)
        let media = plan.files.map(\.media.count).reduce(0, +)
        let ankiCards = plan.files.map(\.ankiCards).reduce(0, +)
        let notes = counted(plan.notes, "note")
        // Each note is one card here; the Anki cards it was (a reverse card, a cloze note's
        // numbers) are counted where they differ.
        let details = ["\(cloze) cloze"] + (ankiCards == plan.notes ? [] : [counted(ankiCards, "Anki card")])
        let unchanged = plan.notes > 0 && plan.files.allSatisfy { $0.added == 0 && $0.updated == 0 }
        var lines = [unchanged
            ? "Nothing to import: \(notes) from \(plan.source) (\(plan.format.rawValue)) already up to date:"
            : "\(dryRun ? "Would import" : "Imported") \(notes) (\(details.joined(separator: ", "))) from \(plan.source) (\(plan.format.rawValue)):"]
        let contentName = plan.contentFolder
        let width = plan.files.map { contentName.count + 1 + $0.path.count }.max() ?? 0
        for file in plan.files {
            var line = "  " + (contentName + "/" + file.path).padding(toLength: width, withPad: " ", startingAt: 0)
                + "  \(counted(file.cards, "note")) (\(file.added) new, \(file.updated) updated)"
            if !file.media.isEmpty { line += ", \(counted(file.media.count, "media file"))" }
            if file.serviceID == Service.general.id { line += "  ← General" }
            lines.append(line)
        }
        // A deck is no folder: one whose notes name different services is split, said here
        // rather than found out later.
        let split = plan.decks.filter { $0.files.count > 1 }
        lines += split.prefix(10).map { deck in
            "  deck \"\(deck.name)\" → " + deck.files.map { "\($0.path) (\(counted($0.notes, "note")))" }.joined(separator: ", ")
        }
        if split.count > 10 { lines.append("  … and \(counted(split.count - 10, "more deck")) split by service") }
        if let general = generalSummary(plan) { lines.append(general) }
        lines.append("Media: \(counted(media, "file")) \(dryRun ? "to copy" : "copied") next to the cards.")
        if let inSet = inSetSummary(plan.inSet) { lines.append(inSet) }
        if plan.skipped.isEmpty {
            lines.append("Skipped: none.")
        } else {
            lines.append("Skipped \(plan.skipped.count):")
            lines += plan.skipped.prefix(20).map { "  \($0.location): \($0.message)" }
            if plan.skipped.count > 20 { lines.append("  … and \(plan.skipped.count - 20) more") }
        }
        if !plan.warnings.isEmpty {
            // Changes made to notes, and notes imported whole whose note type needs a step in Anki.
            lines.append("Warnings (\(plan.warnings.count)):")
            lines += plan.warnings.prefix(10).map { "  \($0.location): \($0.message)" }
            if plan.warnings.count > 10 { lines.append("  … and \(plan.warnings.count - 10) more") }
        }
        lines += advice(plan)
        if dryRun { lines.append("Nothing was written (--dry-run).") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the learner does next, each piece once however many notes it concerns (a warning
    /// names the note; the advice what to do about all of them): write the skipped exam
    /// questions into exam files, copy the pictures a text export lacks, bring the notes back
    /// into Anki, and change the notes of some note types to Basic first.
    static func advice(_ plan: Plan) -> [String] {
        var lines: [String] = []
        if plan.examQuestionsSkipped { lines.append(examQuestionAdvice) }
        if plan.picturesMissing { lines.append(missingPictureAdvice(plan.format)) }
        if let deck = deckAdvice(plan) { lines.append(deck) }
        if plan.notesOnOtherTypes > 0 {
            lines.append(intoAnkiAdvice(notes: plan.notesOnOtherTypes))
            if !plan.changeToBasic.isEmpty { lines.append(changeToBasicAdvice(plan.changeToBasic)) }
        }
        return lines
    }

    /// Where the notes of the build go in Anki, when the learner's decks have another root than
    /// `syllabus.yml`'s `deck`: a note already in the collection stays in its deck when the
    /// build's decks are imported (Anki updates it in place), but a new card goes to the
    /// build's `<deck>::<service>`, beside the learner's own tree (found by a fresh-user
    /// trial: `AWS DVA-C02::Lambda` next to `AWS::Lambda`). Names the root that holds most of
    /// the imported notes; nil when that is the build's root already, or no note had a deck.
    static func deckAdvice(_ plan: Plan) -> String? {
        var notesOfRoot: [String: Int] = [:], order: [String] = []
        for (name, files) in plan.decks {
            let root = String(name.components(separatedBy: "::")[0])
            if notesOfRoot[root] == nil { order.append(root) }
            notesOfRoot[root, default: 0] += files.map(\.notes).reduce(0, +)
        }
        guard let main = order.max(by: { notesOfRoot[$0]! < notesOfRoot[$1]! }), main != plan.buildDeck else { return nil }
        return "Decks: your notes are under \"\(main)\" in Anki and stay there when the built decks go back; a new card goes to "
            + "\"\(plan.buildDeck)::<service>\" (deck: in syllabus.yml). To keep new cards with yours, set deck: \(main)."
    }

    /// What to do about the practice-exam questions of another set, which import does not make cards.
    static let examQuestionAdvice = "Practice-exam questions of another study set: write each into a *.exam.md to practise it."

    /// What to do about the pictures a card shows that its export lacks: the decks show them
    /// from Anki's media folder (`AnkiMedia.href`), the site and book need the files. A text
    /// export carries no pictures, so its deck's `.apkg` would bring them; a package lacks only
    /// what its collection had no file for, so pointing to a package again would send a learner
    /// round in a circle (a fresh-user trial).
    static func missingPictureAdvice(_ format: Options.Format) -> String {
        "Pictures not in the \(format == .apkg ? "package" : "export"): the decks show them from Anki's media folder; the site and book need the files: "
            + "copy them next to the card files from the Anki profile's collection.media folder"
            + (format == .apkg ? " (the collection had no file for them when it was exported)." : ", or import the deck's .apkg export, which carries pictures.")
    }

    /// How `notes` notes on the learner's own note types (stock Basic and Cloze, kept as they
    /// are by the import) go back into their collection: the rebuilt `all.tsv` updates them in
    /// place; `all.apkg` brings Syllabus's note types, which Anki does not change a note to on a
    /// default import (it reports the note as conflicting), so it is imported twice with Merge
    /// note types and Update notes: Always (the README's steps, under "Notes imported earlier
    /// from the TSV files": the first import empties the Link and Syllabus ID fields of the
    /// notes already on Syllabus's types, the second fills them again; checked in
    /// `ImportRoundTripTests.testMergeImportOfTakenOverNotesKeepsEveryFieldAndLaterEdits`).
    static func intoAnkiAdvice(notes: Int) -> String {
        "Back into Anki (README, \"Importing your decks\"): after syllabus build, import Output/anki/all.tsv, or all.apkg twice with "
            + "Merge note types and Update notes: Always; with Anki's default options, all.apkg reports \(notes == 1 ? "this note" : "these \(notes) notes") as conflicting and leaves \(notes == 1 ? "it" : "them")."
    }

    /// The notes to change to Basic in Anki before either way back (`intoAnkiAdvice`): those of
    /// the note types `types` (`ImportedDeck.changeToBasic`; an empty name is a text export's
    /// notes with more than two fields). The TSV names their type Basic, so Anki rejects them
    /// (checked with Anki 26.09's library: a Basic (and reversed card) note rejected, the other
    /// 3 updated; changed to Basic first, all 4 updated:
    /// `ImportRoundTripTests.testTheReportsWayBackIntoAnkiIsWhatAnkiDoes`). Merged as they are,
    /// a type with fields beyond front and back gives Syllabus Basic its fields and every later
    /// import of the package conflicts (checked with
    /// Anki 26.09's library: changed to Basic first, 1 updated and the next build's edit updated
    /// in place; unchanged, 1 conflicting); a type with more card templates or a typed answer
    /// gives Syllabus Basic its templates, and every Syllabus Basic note their cards (11 cards
    /// became 17). A Basic (optional reversed card) note with Add Reverse empty loses nothing,
    /// but its type does the same (`ImportRoundTripTests`).
    static func changeToBasicAdvice(_ types: [String]) -> String {
        let named = types.filter { !$0.isEmpty }.map { "\"\($0)\"" }
        let notes = (named.isEmpty ? [] : ["the notes of note type" + (named.count == 1 ? " " : "s ") + named.joined(separator: ", ")])
            + (types.contains("") ? ["the notes with more than two fields"] : [])
        return "Before either, change to Basic in Anki (Browse, Notes, Change Note Type) " + notes.joined(separator: " and ")
            + ": all.tsv leaves them out, and merged as they are, they give Syllabus Basic their fields or card templates, "
            + "and later imports conflict or every Syllabus Basic note gets their extra cards."
    }

    /// The notes of the export that the study set has already, in one line: how many, of
    /// which kind, and the first three with where the set has them (`Already in the study
    /// set, left as they are: 4 notes (3 cards, 1 exam question): "What is…" at
    /// Content/lambda/a.cards.md:12:1, … and 1 more.`); nil when there are none. A deck built
    /// here and exported again holds the whole set, so one line each would bury the rest.
    static func inSetSummary(_ notes: [NoteInSet]) -> String? {
        guard !notes.isEmpty else { return nil }
        let cards = notes.filter { !$0.own.isExamQuestion }.count
        let kinds = [counted(cards, "card"), counted(notes.count - cards, "exam question")].filter { !$0.hasPrefix("0 ") }
        let shown = notes.prefix(3).map { "\"\($0.front)\" at \($0.own.location)" }.joined(separator: ", ")
        let more = notes.count > 3 ? " and \(notes.count - 3) more" : ""
        return "Already in the study set, left as \(notes.count == 1 ? "it is" : "they are"): \(counted(notes.count, "note")) "
            + "(\(kinds.joined(separator: ", "))): \(shown)\(more)."
    }

    /// The sentence that says which notes went to General and why, naming the file
    /// (`Content/imported-deck.cards.md (General) gets 1 note as neither its deck (Theory) nor
    /// its text names a service of services.yml.`; with several reasons, each count and why:
    /// `gets 5 notes: 3 as neither their decks (Theory: 2, Misc: 1) nor …; 2 as an earlier
    /// import put them there.`); nil when none went there.
    static func generalSummary(_ plan: Plan) -> String? {
        let total = plan.general.values.reduce(0, +)
        guard total > 0 else { return nil }
        var decks: [String: Int] = [:]
        var noDeck = 0
        for case let (.namesNoService(deck), count) in plan.general {
            if let deck { decks[deck, default: 0] += count } else { noDeck += count }
        }
        var reasons: [(notes: Int, why: String)] = []
        func their(_ notes: Int) -> String { notes == 1 ? "its" : "their" }
        func them(_ notes: Int) -> String { notes == 1 ? "it" : "them" }
        let fromDecks = decks.values.reduce(0, +)
        if fromDecks > 0 {
            let listed = decks.count == 1 ? Array(decks.keys)
                : decks.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key): \($0.value)" }
            let shown = listed.prefix(6).joined(separator: ", ") + (listed.count > 6 ? ", … \(listed.count - 6) more" : "")
            reasons.append((fromDecks, "as neither \(their(fromDecks)) deck\(decks.count == 1 ? "" : "s") (\(shown)) nor \(their(fromDecks)) text names a service of services.yml"))
        }
        if noDeck > 0 { reasons.append((noDeck, "with no deck, as \(their(noDeck)) text names no service of services.yml")) }
        if let count = plan.general[.tagged] { reasons.append((count, "as a deck Syllabus built tagged \(them(count)) general::general")) }
        if let count = plan.general[.earlierImport] { reasons.append((count, "as an earlier import put \(them(count)) there")) }
        if let count = plan.general[.forced] { reasons.append((count, "by --service general")) }
        let why = reasons.count == 1 ? reasons[0].why : ": " + reasons.map { "\($0.notes) \($0.why)" }.joined(separator: "; ")
        return "\(plan.contentFolder)/\(plan.generalFile) (General) gets \(counted(total, "note"))\(reasons.count == 1 ? " " : "")\(why)."
    }

    // MARK: - One card

    struct MadeCard {
        var front: String
        var back: String
        var text: String
        var images: [String]
    }

    /// The Markdown of one note's card (heading, id comment, back), or nil with the reason in
    /// `skipped`; diagnostics about it are located as `ImportedNote.diagnostic` says, `file`
    /// when the note has no location.
    static func card(_ note: ImportedNote, isHTML: Bool, file: String, warnings: inout [Diagnostic],
                     skipped: inout [Diagnostic]) -> MadeCard? {
        func diagnostic(_ severity: Severity, _ message: String) -> Diagnostic { note.diagnostic(severity, message, file: file) }
        let converted = note.fields.map { HTMLToMarkdown($0, isHTML: isHTML) }
        var images = converted.flatMap(\.images)
        // Each loss with the field it was in, so the learner knows where to look in Anki.
        let lost = converted.enumerated().flatMap { index, field in
            field.lost.map { ($0 == "comment" ? "an HTML comment" : "<\($0)>") + " in " + note.fieldName(index) }
        }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        if !lost.isEmpty {
            warnings.append(diagnostic(.warning, "formatting Markdown cannot express was left out, its text kept: " + lost.joined(separator: ", ")))
        }
        // A front is one heading line: its line breaks and list items are joined.
        let frontLines = converted.first?.markdown.components(separatedBy: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        if frontLines.count > 1 { warnings.append(diagnostic(.warning, "the front's \(frontLines.count) lines are joined into one")) }
        let front = frontLines.map { $0.hasSuffix("\\") ? String($0.dropLast()) : $0 }
            .map { $0.hasPrefix("```") ? "" : $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        guard !front.isEmpty else {
            skipped.append(diagnostic(.error, "the front is empty once converted"))
            return nil
        }
        if note.kind == .basic, Cloze.scan(front).deletions.isEmpty, front.contains("==") {
            warnings.append(diagnostic(.warning, "the front holds '==', which Syllabus reads as a cloze deletion"))
        }
        var backParts = converted.dropFirst().map(\.markdown).filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        if backParts.count > 1, note.kind == .basic {
            warnings.append(diagnostic(.warning, "\(note.fields.count) fields: the ones after the second are added to the back"))
        }
        if note.kind == .basic, backParts.isEmpty {
            skipped.append(diagnostic(.error, "the back is empty (a Syllabus card needs one)"))
            return nil
        }
        if converted.first?.markdown.contains("```") == true {
            // A code block in a front cannot be a heading: it goes to the back, first.
            warnings.append(diagnostic(.warning, "a code block in the front is moved to the back"))
            backParts.insert(converted[0].markdown, at: 0)
            images = converted.flatMap(\.images)
        }
        let back = backParts.joined(separator: "\n\n")
        var text = "## \(front)\n"
        if let guid = note.guid { text += CardID.comment(guid) + "\n" }
        // A tag that cannot sit in a plain HTML comment is reported rather than written.
        let tags = note.tags.filter { tag in
            let plain = !tag.contains("--") && !tag.contains(where: { $0 == "<" || $0 == ">" || $0.isNewline })
            if !plain { warnings.append(diagnostic(.warning, "tag '\(tag)' cannot be written in a card comment: left out")) }
            return plain && !tag.isEmpty
        }
        if !tags.isEmpty { text += Self.tagsPrefix + tags.joined(separator: " ") + " -->\n" }
        if !back.isEmpty { text += "\n" + back + "\n" }
        return MadeCard(front: front, back: back, text: text, images: images)
    }

    /// The service a card is about: the one its front and back name most (the front counts
    /// twice), the first named on a tie; `general` when it names none.
    static func place(front: String, back: String, matcher: MentionMatcher) -> String {
        var counts: [String: Int] = [:]
        var first: [String: Int] = [:]
        for (position, mention) in (matcher.mentions(in: front).map { ($0, 2) } + matcher.mentions(in: back).map { ($0, 1) }).enumerated() {
            counts[mention.0.serviceID, default: 0] += mention.1
            if first[mention.0.serviceID] == nil { first[mention.0.serviceID] = position }
        }
        return counts.max { ($0.value, -first[$0.key]!) < ($1.value, -first[$1.key]!) }?.key ?? Service.general.id
    }

    // MARK: - Decks

    /// Every service's id, name, short name and aliases, lower case → its id (the first
    /// service of the catalog when two share a name).
    static func serviceNames(_ services: [Service]) -> [String: String] {
        var names: [String: String] = [:]
        for service in services {
            for name in [service.id] + service.names where names[name.lowercased()] == nil { names[name.lowercased()] = service.id }
        }
        return names
    }

    /// The service an Anki deck name is about: the deepest level of `deck` (levels separated
    /// by `::`) that is, case and surrounding spaces ignored, a service's id, name, short name
    /// or alias (`AWS::Lambda` → lambda; `DVA::Storage::S3` → s3); nil when no level is one.
    static func service(ofDeck deck: String, names: [String: String]) -> String? {
        deck.components(separatedBy: "::").reversed().lazy
            .compactMap { names[$0.trimmingCharacters(in: .whitespaces).lowercased()] }.first
    }

    /// Tags that hold a note's deck begin with this.
    static let deckTagPrefix = "deck::"

    /// The tag that keeps a note's deck on its card: `deck::` and the deck name as Anki tags
    /// are written in the decks a build makes (`AnkiField.tag`: lower case, `::` kept, a space
    /// as `-`), so the card file stays the same when that tag comes back from Anki.
    static func deckTag(_ deck: String) -> String {
        deckTagPrefix + AnkiField.tag(deck)
    }

    /// Where the picture `name` first shows in a card file's `text`, as cmark-gfm counts
    /// (1-based line, column in UTF-8 bytes, at its `![`); the file's start if it is not there.
    static func position(ofPicture name: String, in text: String) -> (line: Int, column: Int) {
        guard let target = text.range(of: "](" + HTMLToMarkdown.destination(name) + ")") else { return (1, 1) }
        let lineStart = text[..<target.lowerBound].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        let opening = text[lineStart..<target.lowerBound].range(of: "![", options: .backwards)?.lowerBound ?? lineStart
        let line = text[..<lineStart].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
        return (line, text.utf8.distance(from: lineStart, to: opening) + 1)
    }

    // MARK: - Files

    /// Merges cards into an existing card file: a `##` card with the same key (its id, or its
    /// front without one) is replaced; new cards are appended; everything else stays.
    static func merge(_ cards: [(key: String, text: String)], into existing: String) -> (text: String, added: Int, updated: Int) {
        var blocks = cardBlocks(existing)
        var added = 0, updated = 0
        var appended: [String] = []
        for card in cards {
            if let index = blocks.firstIndex(where: { $0.key == card.key }) {
                let text = keepingTagOrder(of: blocks[index].text, in: keepingIDComment(of: blocks[index].text, in: card.text))
                if blocks[index].text.trimmingCharacters(in: .newlines) != text.trimmingCharacters(in: .newlines) {
                    blocks[index].text = text + (blocks[index].text.hasSuffix("\n\n") ? "\n" : "")
                    updated += 1
                }
            } else {
                appended.append(card.text)
                added += 1
            }
        }
        var text = blocks.map(\.text).joined()
        for card in appended { text += (text.hasSuffix("\n\n") || text.isEmpty ? "" : text.hasSuffix("\n") ? "\n" : "\n\n") + card }
        return (text, added, updated)
    }

    /// `card` with the id comment of `existing` (the card as the file has it) when both hold the
    /// same id: an id written by an earlier version (`a%3Eb` where `a>b` is written now, see
    /// `CardID`) is no change of the card, and the file keeps it.
    static func keepingIDComment(of existing: String, in card: String) -> String {
        let old = existing.components(separatedBy: "\n"), new = card.components(separatedBy: "\n")
        guard old.count > 1, new.count > 1, old[1] != new[1], case let .id(id)? = CardID.read(old[1]), CardID.read(new[1]) == .id(id) else { return card }
        return ([new[0], old[1]] + new.dropFirst(2)).joined(separator: "\n")
    }

    /// `card` with its `<!-- tags: … -->` line in the order of the one in `existing` (the
    /// card as the file has it): the tags both have in the file's order, then the new ones.
    /// Anki keeps a note's tags sorted, so a deck that went through Anki comes back with them
    /// in another order; tags are a set, and a card whose only change is their order is
    /// unchanged.
    static func keepingTagOrder(of existing: String, in card: String) -> String {
        func tagsLine(_ text: String) -> (line: String, tags: [String])? {
            guard let line = text.components(separatedBy: "\n").first(where: { $0.hasPrefix(tagsPrefix) && $0.hasSuffix(" -->") }) else { return nil }
            return (line, line.dropFirst(tagsPrefix.count).dropLast(4).split(separator: " ").map(String.init))
        }
        guard let old = tagsLine(existing), let new = tagsLine(card), old.tags != new.tags,
              let range = card.range(of: new.line) else { return card }
        let wanted = Set(new.tags)
        let kept = old.tags.filter { wanted.contains($0) }
        let keptSet = Set(kept)
        let ordered = kept + new.tags.filter { !keptSet.contains($0) }
        return card.replacingCharacters(in: range, with: tagsPrefix + ordered.joined(separator: " ") + " -->")
    }

    /// How a card's tags comment starts (`card`, `keepingTagOrder`).
    static let tagsPrefix = "<!-- tags: "

    /// A card file cut before each `##` heading outside code fences; each part with the key
    /// of its card (nil for what comes before the first card).
    static func cardBlocks(_ text: String) -> [(key: String?, text: String)] {
        var blocks: [(key: String?, text: String)] = [(nil, "")]
        var fence: String?
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if trimmed.hasPrefix(open), trimmed.allSatisfy({ $0 == open.first }) { fence = nil }
            } else if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix { $0 == trimmed.first })
            } else if line.hasPrefix("## ") {
                blocks.append(("front:" + normalized(String(line.dropFirst(3))), ""))
            } else if blocks.count > 1, blocks[blocks.count - 1].text.components(separatedBy: "\n").count == 2,
                      case let .id(id)? = CardID.read(line) {
                blocks[blocks.count - 1].key = "id:" + id
            }
            blocks[blocks.count - 1].text += line + "\n"
        }
        return blocks
    }

    /// A card or exam question of the study set, as `ownNotes` finds it.
    struct OwnNote: Equatable {
        /// An exam question (`Question`), not a card.
        var isExamQuestion: Bool
        /// Where it is, as a build's diagnostics print it.
        var location: SourceLocation
    }

    /// The Anki GUID of every card and exam question of the study set `options.studySet`
    /// as a build computes it (`Card.guid`, pinned or derived from service and front;
    /// `Question.guid`) → what and where it is, and the analysis's errors, in file order. The
    /// set is analysed as `syllabus check` does (load to link); its warnings are the build's
    /// to report, not the import's, and so are the warnings `strict` makes errors: an error
    /// is what may leave a note, and its GUIDs, out of the set.
    static func ownNotes(_ options: Options) -> (notes: [String: OwnNote], errors: [Diagnostic]) {
        let diagnostics = DiagnosticLog()
        let set = Pipeline(options: options.studySet).analyze(diagnostics).studySet
        diagnostics.strict = false
        var own: [String: OwnNote] = [:]
        for card in set.cards where own[card.guid] == nil { own[card.guid] = OwnNote(isExamQuestion: false, location: card.location) }
        for question in set.questions where own[question.guid] == nil {
            own[question.guid] = OwnNote(isExamQuestion: true, location: question.location)
        }
        return (own, diagnostics.all.filter { $0.severity == .error })
    }

    /// Whether `path` (relative to the content folder) is a card file `import` made
    /// (`imported-<name>.cards.md`), from any export.
    static func isImportedFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name.hasPrefix("imported-") && name.hasSuffix(".cards.md")
    }

    /// Every `<!-- id: … -->` in the content folder's Markdown: id → where.
    static func existingIDs(in root: URL) throws -> [String: SourceLocation] {
        var ids: [String: SourceLocation] = [:]
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return ids }
        for case let url as URL in walker where url.pathExtension == "md" {
            guard let text = try? String(contentsOf: url, encoding: .utf8), text.contains("<!-- id:") else { continue }
            let path = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            for (number, line) in text.components(separatedBy: "\n").enumerated() where line.contains("<!-- id:") {
                let comment = line[line.range(of: "<!-- id:")!.lowerBound...]
                guard let end = comment.range(of: "-->") else { continue }
                if case let .id(id)? = CardID.read(String(comment[..<end.upperBound])), ids[id] == nil {
                    ids[id] = SourceLocation(path: path, line: number + 1)
                }
            }
        }
        return ids
    }

    static func readText(_ url: URL) throws -> String {
        do {
            let data = try Data(contentsOf: url)
            guard let text = String(data: data, encoding: .utf8) else {
                throw ImportError(message: "\(SourceLocation.displayPath(url.path)): not UTF-8 text")
            }
            return text
        } catch let error as ImportError {
            throw error
        } catch CocoaError.fileReadNoSuchFile {
            throw ImportError(message: "\(SourceLocation.displayPath(url.path)): no such file")
        } catch CocoaError.fileReadNoPermission {
            throw ImportError(message: "\(SourceLocation.displayPath(url.path)): permission denied")
        } catch {
            throw ImportError(message: "\(SourceLocation.displayPath(url.path)): cannot read it (\(error.localizedDescription))")
        }
    }

    /// The source's name as it goes into file names: its base name, lowercased, with runs
    /// of anything but letters and digits as one `-`.
    static func sourceName(_ url: URL) -> String {
        let base = url.deletingPathExtension().lastPathComponent.lowercased()
        var name = ""
        for scalar in base.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar), scalar.isASCII { name.unicodeScalars.append(scalar) } else if !name.hasSuffix("-") { name += "-" }
        }
        name = name.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return name.isEmpty ? "deck" : name
    }

    static func normalized(_ front: String) -> String {
        front.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The path, relative to `folder`, of a file with the bytes of `file`: one in `folder`
    /// itself, else one anywhere below `serviceFolder` (a service's folder of the content),
    /// each searched in name order; nil when there is none. Hidden files and folders are
    /// left out.
    static func sameFile(as file: URL, in folder: URL, orUnder serviceFolder: URL?) -> String? {
        let manager = FileManager.default
        guard let size = (try? manager.attributesOfItem(atPath: file.path))?[.size] as? Int,
              let bytes = manager.contents(atPath: file.path) else { return nil }
        return firstFile(in: folder, orUnder: serviceFolder) { candidate in
            let values = try? candidate.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            return values?.isRegularFile == true && values?.fileSize == size && manager.contents(atPath: candidate.path) == bytes
        }
    }

    /// The file beside the card file (`folder`), else under `serviceFolder`, that the build
    /// packages for Anki under `name` (its `LocalFile.flatName`, `flow-1a2b3c4d.png`), as a
    /// link from `folder` writes its path; nil when none is. A deck the set built, brought into
    /// Anki and exported as text, names its pictures so, without their bytes. Only files whose
    /// own name gives that name but for the hash are read.
    static func packagedFile(named name: String, in folder: URL, orUnder serviceFolder: URL?) -> String? {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let hash = name[name.index(after: dash)...].prefix { $0 != "." }
        guard hash.count == 8, hash.allSatisfy(\.isHexDigit) else { return nil }
        let unhashed = String(name[..<dash]) + "-" + String(repeating: "0", count: 8) + name[name.index(after: dash)...].dropFirst(8)
        let manager = FileManager.default
        func matches(_ candidate: URL) -> Bool {
            guard LocalFile(path: candidate.lastPathComponent, hash: String(repeating: "0", count: 32)).flatName == unhashed,
                  (try? candidate.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  let bytes = manager.contents(atPath: candidate.path) else { return false }
            var hasher = CacheKeyHasher()
            hasher.add(bytes)
            return LocalFile(path: candidate.lastPathComponent, hash: hasher.hex).flatName == name
        }
        return firstFile(in: folder, orUnder: serviceFolder, where: matches)
    }

    /// The first file, by name, in `folder` that `matches`, else the first by path under
    /// `serviceFolder`, as a link from `folder` writes its path (hidden files skipped).
    private static func firstFile(in folder: URL, orUnder serviceFolder: URL?, where matches: (URL) -> Bool) -> String? {
        let manager = FileManager.default, keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey]
        let beside = (try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])) ?? []
        if let found = beside.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }).first(where: matches) {
            return found.lastPathComponent
        }
        guard let serviceFolder, let walker = manager.enumerator(at: serviceFolder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { return nil }
        guard let found = walker.compactMap({ $0 as? URL }).sorted(by: { $0.path < $1.path }).first(where: matches) else { return nil }
        return relativePath(of: found, from: folder)
    }

    /// `file`'s path as a link from `folder` writes it: `../` for each of `folder`'s
    /// components below the two's common folder, then the rest of `file`'s.
    static func relativePath(of file: URL, from folder: URL) -> String {
        let target = file.standardizedFileURL.pathComponents, base = folder.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count - 1, base.count), target[common] == base[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
    }

    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && !name.contains("/") && !name.contains("\\") && !name.contains(where: \.isNewline)
    }

    static func yamlQuoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default:
                if scalar.value < 0x20 { quoted += String(format: "\\x%02X", scalar.value) } else { quoted.unicodeScalars.append(scalar) }
            }
        }
        return quoted + "\""
    }
}

/// Why an import cannot start (the file or the catalog cannot be read, a bad option, a study
/// set with errors).
public struct ImportError: Error, CustomStringConvertible {
    /// One sentence naming the file or option and what is wrong with it.
    public var message: String
    /// The study set's errors that stopped the import (`file:line:column`, in file order),
    /// printed before `message`; empty when the message says it all.
    public var diagnostics: [Diagnostic] = []
    /// `message`, as the CLI prints it.
    public var description: String { message }
}
