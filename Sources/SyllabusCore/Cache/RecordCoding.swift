import Foundation

/// A type the build cache's records hold, written and read by hand (`BuildCache.NoteRecord`).
///
/// The bytes are the ones `BinaryCoder` makes of the type's `Encodable` conformance: fields in
/// declaration order, without names (see `BinaryCoder`). `RecordCodingTests` checks every
/// record type against it, so a field added to a type and not here fails a test instead of
/// being lost by the cache. Hand-written because decoding through `Decodable` (generic
/// containers, a metadata lookup and retains per field) was a tenth of a one-note rebuild's
/// CPU: 0.05 s to read 2,000 notes' records.
protocol RecordCoded {
    /// Appends the value's bytes.
    func write(to writer: inout ByteWriter)
    /// Reads what `write` wrote, in the record of `note`.
    /// - Throws: `ByteReader.Malformed` when the bytes end early or do not fit the type.
    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws
}

/// What the values in one note's record share with the note, so that reading the record makes
/// each of them once: the path of its locations, and the id, service and tags its cards and
/// questions repeat.
struct RecordNote {
    /// The note's file as this build's diagnostics name it. A location in the record keeps its
    /// line and column only: the path the writing build showed depends on its working directory.
    let displayPath: String
    /// The note's id, service and tags once read (empty before). The id and `contentKey`,
    /// when the reader knows them (from the cache's index), are taken as they are when the
    /// record's bytes are theirs, rather than made again.
    var id = ""
    var contentKey = ""
    var serviceID = ""
    var tags: [String] = []

    init(displayPath: String, id: String = "", contentKey: String = "") {
        (self.displayPath, self.id, self.contentKey) = (displayPath, id, contentKey)
    }
}

extension ByteWriter {
    /// A count, then each value.
    mutating func records<Value: RecordCoded>(_ values: [Value]) {
        int(values.count)
        for value in values { value.write(to: &self) }
    }

    /// A 0/1 flag, then the value when there is one.
    mutating func record<Value: RecordCoded>(_ value: Value?) {
        bool(value != nil)
        value?.write(to: &self)
    }
}

extension ByteReader {
    mutating func records<Value: RecordCoded>(_ type: Value.Type, in note: borrowing RecordNote) throws -> [Value] {
        let count = try count()
        var values: [Value] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try Value(reading: &self, in: note)) }
        return values
    }

    mutating func record<Value: RecordCoded>(_ type: Value?.Type, in note: borrowing RecordNote) throws -> Value? {
        try bool() ? try Value(reading: &self, in: note) : nil
    }

    /// A case of a string enum, written as its raw value.
    mutating func rawValue<Value: RawRepresentable>(_ type: Value.Type) throws -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: try string()) else { throw Malformed() }
        return value
    }
}

// MARK: The note's record

extension NoteFacts: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.string(id)
        writer.string(contentKey)
        writer.string(title)
        writer.string(serviceID)
        writer.strings(extraServiceIDs)
        writer.strings(tags)
        writer.int(order)
        writer.string(slug)
        places.write(to: &writer)
        writer.bool(hasKeyNumbers)
        writer.bool(hasOwnContents)
        writer.bool(isLanding)
        writer.records(outline)
        writer.bool(isCardsFile)
        provenance.write(to: &writer)
        writer.records(cards)
        writer.records(questions)
        linkFacts.write(to: &writer)
        writer.records(diagnostics)
    }

    /// The id and content key are taken from `note` where its bytes are those (see `RecordNote`).
    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        var note = copy note
        try self.init(reading: &reader, filling: &note)
    }

    /// Reads the facts as `init(reading:in:)` does, and sets `note`'s id, service and tags to
    /// theirs (for the rest of the record).
    init(reading reader: inout ByteReader, filling note: inout RecordNote) throws {
        note.id = try reader.string(reusing: note.id)
        let contentKey = try reader.string(reusing: note.contentKey), title = try reader.string()
        note.serviceID = try reader.string()
        let extraServiceIDs = try reader.strings()
        note.tags = try reader.strings()
        self.init(id: note.id, contentKey: contentKey, title: title, serviceID: note.serviceID, extraServiceIDs: extraServiceIDs,
                  tags: note.tags, order: try reader.int(), slug: try reader.string(),
                  places: try Deferred(reading: &reader), hasKeyNumbers: try reader.bool(),
                  hasOwnContents: try reader.bool(), isLanding: try reader.bool(),
                  outline: try reader.records(OutlineEntry.self, in: note), isCardsFile: try reader.bool(),
                  provenance: try Provenance(reading: &reader, in: note), cards: try reader.records(Card.self, in: note),
                  questions: try reader.records(Question.self, in: note), linkFacts: try NoteLinkFacts(reading: &reader, in: note),
                  diagnostics: try reader.records(Diagnostic.self, in: note))
    }
}

extension NoteLinks: RecordCoded {
    func write(to writer: inout ByteWriter) {
        resolution.write(to: &writer)
        writer.string(renderKey)
        writer.records(warnings)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(resolution: try Deferred(reading: &reader), renderKey: try reader.string(),
                  warnings: try reader.records(Diagnostic.self, in: note))
    }
}

extension LinkResolution: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.records(targets)
        writer.int(resolved.count)
        for flag in resolved { writer.bool(flag) }
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(targets: try reader.records(LinkTarget.self, in: note), resolved: try (0..<reader.count()).map { _ in try reader.bool() })
    }
}

extension NotePlaces: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.records(headings)
        writer.strings(anchors)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(headings: try reader.records(Heading.self, in: note), anchors: try reader.strings())
    }
}

// MARK: Parts of a record

extension Heading: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.int(level)
        writer.string(text)
        writer.string(id)
        writer.int(line)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(level: try reader.int(), text: try reader.string(), id: try reader.string(), line: try reader.int())
    }
}

extension OutlineEntry: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.string(pageID)
        writer.int(depth)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(pageID: try reader.string(), depth: try reader.int())
    }
}

extension Provenance: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.strings(sources)
        writer.record(checked)
        writer.int(line)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(sources: try reader.strings(), checked: try reader.record(CheckedDate?.self, in: note), line: try reader.int())
    }
}

extension CheckedDate: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.int(year)
        writer.int(month)
        writer.int(day)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(year: try reader.int(), month: try reader.int(), day: try reader.int())
    }
}

/// A card repeats its note's id, service and tags (most cards' tags are the note's): when the
/// bytes are the note's, the note's strings are taken rather than made again.
extension Card: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.string(kind.rawValue)
        writer.bool(isInline)
        writer.optional(pinnedID)
        writer.string(serviceID)
        writer.string(pageID)
        writer.int(index)
        writer.string(anchor)
        location.write(to: &writer)
        writer.int(pinLine)
        writer.strings(tags)
        writer.strings(ownTags)
        ownProvenance.write(to: &writer)
        writer.string(frontText)
        writer.string(guid)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(kind: try reader.rawValue(Kind.self), isInline: try reader.bool(), pinnedID: try reader.optional(),
                  serviceID: try reader.string(reusing: note.serviceID), pageID: try reader.string(reusing: note.id),
                  index: try reader.int(), anchor: try reader.string(), location: try SourceLocation(reading: &reader, in: note),
                  pinLine: try reader.int(), tags: try reader.strings(reusing: note.tags), ownTags: try reader.strings(),
                  ownProvenance: try Provenance(reading: &reader, in: note), frontText: try reader.string(), guid: try reader.string())
    }
}

extension Question: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.optional(pinnedID)
        writer.string(id)
        writer.string(serviceID)
        writer.string(pageID)
        writer.int(index)
        writer.string(title)
        writer.string(anchor)
        location.write(to: &writer)
        writer.int(lastLine)
        writer.optional(domain)
        domainLocation.write(to: &writer)
        writer.string(stemText)
        writer.records(options)
        writer.bool(hasExplanation)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(pinnedID: try reader.optional(), id: try reader.string(), serviceID: try reader.string(reusing: note.serviceID),
                  pageID: try reader.string(reusing: note.id), index: try reader.int(), title: try reader.string(),
                  anchor: try reader.string(), location: try SourceLocation(reading: &reader, in: note), lastLine: try reader.int(),
                  domain: try reader.optional(), domainLocation: try SourceLocation(reading: &reader, in: note),
                  stemText: try reader.string(), options: try reader.records(QuestionOption.self, in: note),
                  hasExplanation: try reader.bool())
    }
}

extension QuestionOption: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.string(text)
        writer.bool(isCorrect)
        writer.bool(isPinned)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(text: try reader.string(), isCorrect: try reader.bool(), isPinned: try reader.bool())
    }
}

extension NoteLinkFacts: RecordCoded {
    func write(to writer: inout ByteWriter) {
        names.write(to: &writer)
        termList.withBytes { terms in
            writer.int(terms.count)
            writer.raw(terms)
        }
        searchText.write(to: &writer)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(names: try Deferred(reading: &reader), termList: PageTermList(stored: try reader.storedBytes(try reader.count())),
                  searchText: SearchText(utf8: try reader.storedBytes(try reader.count())))
    }
}

extension LinkNames: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.records(references)
        writer.strings(crossLinks)
        writer.int(mentions.count)
        // Sorted, as `BinaryCoder` writes a dictionary: equal facts give equal bytes.
        for (service, count) in mentions.sorted(by: { $0.key < $1.key }) {
            writer.string(service)
            writer.int(count)
        }
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init()
        references = try reader.records(Reference.self, in: note)
        crossLinks = try reader.strings()
        let count = try reader.count()
        mentions.reserveCapacity(count)
        for _ in 0..<count {
            let service = try reader.string()
            mentions[service] = try reader.int()
        }
    }
}

extension Reference: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.string(url)
        writer.int(line)
        writer.int(column)
        writer.bool(isImage)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(url: try reader.string(), line: try reader.int(), column: try reader.int(), isImage: try reader.bool())
    }
}

extension PageTerm: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.string(text)
        writer.string(key)
        writer.optional(fragment)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(text: try reader.string(), key: try reader.string(), fragment: try reader.optional())
    }
}

extension Diagnostic: RecordCoded {
    func write(to writer: inout ByteWriter) {
        location.write(to: &writer)
        writer.string(severity.rawValue)
        writer.string(message)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        let location = try SourceLocation(reading: &reader, in: note)
        self.init(try reader.rawValue(Severity.self), try reader.string(), at: location)
    }
}

/// Line and column; the path is the note's file as this build names it (`RecordNote`).
extension SourceLocation: RecordCoded {
    func write(to writer: inout ByteWriter) {
        writer.int(line)
        writer.int(column)
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        self.init(path: note.displayPath, line: try reader.int(), column: try reader.int())
    }
}

/// The case's number (0 page, 1 service, 2 file), then its values.
extension LinkTarget: RecordCoded {
    func write(to writer: inout ByteWriter) {
        switch self {
        case let .page(id, fragment):
            writer.int(0)
            writer.string(id)
            writer.optional(fragment)
        case let .service(id):
            writer.int(1)
            writer.string(id)
        case let .file(path, embedded):
            writer.int(2)
            writer.string(path)
            writer.bool(embedded)
        }
    }

    init(reading reader: inout ByteReader, in note: borrowing RecordNote) throws {
        switch try reader.int() {
        case 0: self = .page(id: try reader.string(), fragment: try reader.optional())
        case 1: self = .service(id: try reader.string())
        case 2: self = .file(path: try reader.string(), embedded: try reader.bool())
        default: throw ByteReader.Malformed()
        }
    }
}
