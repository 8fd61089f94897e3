import Foundation

/// What the last book was made from, kept beside the output between builds (`OutputSink.keep`,
/// about 80 bytes a note): the key of the book, its structure key (see
/// `EpubRenderer.structureKey`), each chapter's files and the render key
/// (`NoteLinks.renderKey`) of every note and exam file it showed. A rebuild whose structure is
/// the same takes every content file's key from the previous book unless the file shows a note
/// whose render key changed, so a one-note edit keys a few files instead of every file of the
/// book (each of which hashes where every link of its notes goes), and lays out only the
/// chapters it makes files of or links into (the structure holds the layout's key, so the
/// chapters' files are those the state lists).
struct EpubState: Equatable {
    /// The name it is kept under.
    static let name = "epub"

    /// The key of the book it describes (`PreviousOutput.key`): a state that does not match
    /// the live book (an older one, left by a build that was not committed) is not used.
    var bookKey: String
    /// `EpubRenderer.structureKey` of the set the book was made from.
    var structure: String
    /// Each chapter's files in reading order (`EpubLayout.files(ofChapter:)`), chapter by chapter.
    var files: [[String]]
    /// Each chapter's review key (see `EpubRenderer.parts`), chapter by chapter.
    var reviews: [String]
    /// Each note's and exam file's render key, with its id, in the set's order
    /// (`StudySet.allPages`): a rebuild of the same notes compares them in place.
    var renderKeys: [RenderKey]

    /// A note's or exam file's id and its render key (`NoteLinks.renderKey`).
    struct RenderKey: Equatable {
        var id: String
        var key: String
    }
    /// The set facts the book was laid out from (`LinkedStudySet.setFactsKey`, "" for none)
    /// and its layout's `EpubLayout.chaptersKey`, which a build of the same set facts takes.
    var setFacts = "", chapters = ""

    /// A state of `files.count` chapters; `reviews` must have as many keys.
    init(bookKey: String, structure: String, files: [[String]], reviews: [String], renderKeys: [RenderKey],
         setFacts: String = "", chapters: String = "") {
        (self.bookKey, self.structure, self.files, self.reviews, self.renderKeys) = (bookKey, structure, files, reviews, renderKeys)
        (self.setFacts, self.chapters) = (setFacts, chapters)
    }

    /// The first field: a state written in another format is not read.
    private static let format = "syllabus-epub-state-3"

    /// The fields separated by NUL bytes (no key, id or path holds one): the format name, the
    /// book key, the structure key, the set facts key, the chapters key, the number of
    /// chapters and for each its review key, its number of files and their paths, then an id
    /// and its render key for every note, in the order of `renderKeys`.
    var data: Data {
        // Appended field by field to bytes reserved at once: a string made for each field (two
        // for each of thousands of notes) and grown by doubling took longer than the book's package.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(renderKeys.reduce(256) { $0 + $1.id.utf8.count + $1.key.utf8.count + 2 }
                              + files.reduce(0) { $0 + $1.reduce(0) { $0 + $1.utf8.count + 1 } + 80 })
        bytes += Self.format.utf8
        func add(_ field: String) {
            bytes.append(0)
            bytes += field.utf8
        }
        for field in [bookKey, structure, setFacts, chapters, String(files.count)] { add(field) }
        for (chapter, review) in zip(files, reviews) {
            add(review)
            add(String(chapter.count))
            for file in chapter { add(file) }
        }
        for renderKey in renderKeys {
            add(renderKey.id)
            add(renderKey.key)
        }
        return Data(bytes)
    }

    /// The state `data` holds; nil for anything `data` does not write.
    init?(data: Data) {
        // Split in place: read on every rebuild of the book, thousands of fields.
        var fields: [String] = []
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == 0 {
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
        }
        guard fields.count >= 6, fields[0] == Self.format, let chapters = Int(fields[5]), chapters >= 0 else { return nil }
        var next = 6
        var files: [[String]] = [], reviews: [String] = []
        for _ in 0..<chapters {
            guard next + 1 < fields.count, let count = Int(fields[next + 1]), count >= 0, next + 1 + count < fields.count else { return nil }
            reviews.append(fields[next])
            files.append(Array(fields[(next + 2)..<(next + 2 + count)]))
            next += count + 2
        }
        guard (fields.count - next) % 2 == 0 else { return nil }
        let keys = stride(from: next, to: fields.count, by: 2).map { RenderKey(id: fields[$0], key: fields[$0 + 1]) }
        self.init(bookKey: fields[1], structure: fields[2], files: files, reviews: reviews, renderKeys: keys, setFacts: fields[3],
                  chapters: fields[4])
    }
}
