import Foundation

/// What the last book was made from, kept beside the output between builds (`OutputSink.keep`,
/// about 40 bytes a note): the key of the book, its structure key (see
/// `EpubRenderer.structureKey`) and the render key (`NoteLinks.renderKey`) of every note and
/// exam file it showed. A rebuild whose structure is the same takes every content file's key
/// from the previous book unless the file shows a note whose render key changed, so a one-note
/// edit keys a few files instead of every file of the book (each of which hashes where every
/// link of its notes goes).
struct EpubState: Equatable {
    /// The name it is kept under.
    static let name = "epub"

    /// The key of the book it describes (`PreviousOutput.key`): a state that does not match
    /// the live book (an older one, left by a build that was not committed) is not used.
    var bookKey: String
    /// `EpubRenderer.structureKey` of the set the book was made from.
    var structure: String
    /// Each note's and exam file's render key, by id.
    var renderKeys: [String: String]

    init(bookKey: String, structure: String, renderKeys: [String: String]) {
        (self.bookKey, self.structure, self.renderKeys) = (bookKey, structure, renderKeys)
    }

    /// The first field: a state written in another format is not read.
    private static let format = "syllabus-epub-state-1"

    /// The fields separated by NUL bytes (no key, id or path holds one): the format name, the
    /// book key, the structure key, then an id and its render key for every note, in id order.
    var data: Data {
        var text = Self.format + "\u{0}" + bookKey + "\u{0}" + structure
        for (id, key) in renderKeys.sorted(by: { $0.key < $1.key }) { text += "\u{0}" + id + "\u{0}" + key }
        return Data(text.utf8)
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
        guard fields.count >= 3, fields.count % 2 == 1, fields[0] == Self.format else { return nil }
        var keys: [String: String] = [:]
        keys.reserveCapacity(fields.count / 2)
        for index in stride(from: 3, to: fields.count, by: 2) { keys[fields[index]] = fields[index + 1] }
        self.init(bookKey: fields[1], structure: fields[2], renderKeys: keys)
    }
}
