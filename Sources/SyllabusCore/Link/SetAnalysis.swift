import Foundation

/// What the classify and link stages work out over every note and that depends only on the
/// notes' set facts (`NoteFacts.sharesSetFacts(with:)`) and their order: the service graph,
/// the term index's key, the notes' part of the targets key, and that the checks across all
/// notes found nothing. The build cache keeps it (`BuildCache.analysis`), so a build in
/// another process whose changed notes all share their set facts with their cached records,
/// in the same notes in the same order, takes it instead of going over every note again
/// (see `Pipeline.analyze`), as `serve` takes the set it kept in memory. A one-note prose edit
/// from the command line so no longer checks every card, nor ranks every service's pages.
struct SetAnalysis: Sendable {
    /// `SetAnalysis.pagesKey` of the set it was made from: which notes and exam files, in order.
    let pagesKey: String
    /// `LinkedStudySet.termsKey`.
    let termsKey: String
    /// `LinkedStudySet.pagesTargetsKey` (`Linker.targetsKey(_:)` of the notes).
    let pagesTargetsKey: String
    /// The set's `ServiceGraph`, by the places of the pages in `StudySet.pages`.
    let graph: ServiceGraph
    /// `LinkedStudySet.setFactsKey`: a set made with this analysis takes it.
    let setFactsKey: String

    /// The analysis of `set`; nil when the checks across all notes reported anything: those
    /// diagnostics name files as one build shows them, and an input with errors saves no cache.
    init?(_ set: LinkedStudySet) {
        guard set.studySet.checkDiagnostics.isEmpty else { return nil }
        pagesKey = Self.pagesKey(set.studySet)
        termsKey = set.termsKey
        pagesTargetsKey = set.pagesTargetsKey
        graph = set.serviceGraph
        setFactsKey = set.setFactsKey
    }

    /// A hash of the ids of `studySet.allPages`, in order: the places the graph names pages by.
    static func pagesKey(_ studySet: StudySet) -> String {
        var key = CacheKeyHasher()
        let pages = studySet.allPages
        key.add(pages.count)
        for page in pages { key.add(page.id) }
        return key.hex
    }

    /// Whether this is the analysis of `studySet`, given that every page of it shares its set
    /// facts with the page of the same id in the set this was made from (under the same
    /// configuration, catalog and exam): then the set has the same pages in the same order.
    func describes(_ studySet: StudySet) -> Bool {
        pagesKey == Self.pagesKey(studySet)
            && graph.mentionedIn.values.allSatisfy { $0.allSatisfy { $0 < studySet.pages.count } }
    }

    // MARK: Format (inside the build cache's index)

    func write(to writer: inout ByteWriter) {
        writer.string(pagesKey)
        writer.string(termsKey)
        writer.string(pagesTargetsKey)
        writer.string(setFactsKey)
        let mentioned = graph.mentionedIn.sorted { $0.key < $1.key }
        writer.int(mentioned.count)
        for (service, pages) in mentioned {
            writer.string(service)
            writer.int(pages.count)
            for page in pages { writer.int(page) }
        }
        let related = graph.related.sorted { $0.key < $1.key }
        writer.int(related.count)
        for (service, relations) in related {
            writer.string(service)
            writer.int(relations.count)
            for relation in relations {
                writer.string(relation.serviceID)
                writer.int(relation.weight)
            }
        }
    }

    /// - Throws: `ByteReader.Malformed` when the bytes are not an analysis.
    init(reading reader: inout ByteReader) throws {
        pagesKey = try reader.string()
        termsKey = try reader.string()
        pagesTargetsKey = try reader.string()
        setFactsKey = try reader.string()
        var graph = ServiceGraph()
        for _ in 0..<(try reader.count()) {
            let service = try reader.string()
            graph.mentionedIn[service] = try (0..<(try reader.count())).map { _ in
                let page = try reader.int()
                guard page >= 0 else { throw ByteReader.Malformed() }
                return page
            }
        }
        for _ in 0..<(try reader.count()) {
            let service = try reader.string()
            graph.related[service] = try (0..<(try reader.count())).map { _ in Relation(serviceID: try reader.string(), weight: try reader.int()) }
        }
        self.graph = graph
    }
}
