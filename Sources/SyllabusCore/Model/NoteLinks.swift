import Foundation

/// What the link stage decided for one note in one build: where its links go, which of its
/// references resolved, the key its rendering depends on, and its warnings. Made from every
/// note's facts (`Linker.link`), kept in `LinkedStudySet` by note id; the build cache keeps
/// it beside the note's facts for a rebuild in which no note's place changed.
struct NoteLinks: Sendable, Encodable {
    /// Where each internal link points: resolved references (in document order), then the
    /// cross-links (in document order).
    let targets: [LinkTarget]
    /// Whether each of `NoteLinkFacts.references` resolved; the others are shown as text.
    let resolved: [Bool]
    /// Hash of the note's content key and of the output paths of its targets: equal keys
    /// render equal pages.
    let renderKey: String
    /// Links to anchors that are not there (each still goes to its note).
    let warnings: [Diagnostic]

    /// Nothing resolved: a note the link stage did not see.
    static let none = NoteLinks(targets: [], resolved: [], renderKey: "", warnings: [])
}
