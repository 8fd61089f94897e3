import Foundation

/// What the link stage decided for one note in one build: where its links go, which of its
/// references resolved, the key its rendering depends on, and its warnings. Made from every
/// note's facts (`Linker.link`), kept in `LinkedStudySet` by note id; the build cache keeps
/// it beside the note's facts for a rebuild in which no note's place changed.
struct NoteLinks: Sendable, Encodable {
    /// The targets and which references resolved, which a cached note keeps undecoded until
    /// they are read (see `Deferred`).
    let resolution: Deferred<LinkResolution>
    /// Where each internal link points: resolved references (in document order), then the
    /// cross-links (in document order).
    var targets: [LinkTarget] { resolution.value.targets }
    /// Whether each of `NoteLinkFacts.references` resolved; the others are shown as text.
    var resolved: [Bool] { resolution.value.resolved }
    /// Hash of the note's content key and of the output paths of its targets: equal keys
    /// render equal pages.
    let renderKey: String
    /// Links to anchors that are not there (each still goes to its note).
    let warnings: [Diagnostic]

    init(targets: [LinkTarget], resolved: [Bool], renderKey: String, warnings: [Diagnostic]) {
        self.init(resolution: Deferred(LinkResolution(targets: targets, resolved: resolved)), renderKey: renderKey, warnings: warnings)
    }

    /// The links with their targets as they are (decoded or not).
    init(resolution: Deferred<LinkResolution>, renderKey: String, warnings: [Diagnostic]) {
        (self.resolution, self.renderKey, self.warnings) = (resolution, renderKey, warnings)
    }

    /// Nothing resolved: a note the link stage did not see.
    static let none = NoteLinks(targets: [], resolved: [], renderKey: "", warnings: [])
}

/// Where a note's links go (see `NoteLinks`).
struct LinkResolution: DeferredValue {
    var targets: [LinkTarget] = []
    var resolved: [Bool] = []
}
