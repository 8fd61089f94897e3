import Foundation

/// Where an internal link points: a note (optionally at an anchor), a service's page, or a
/// file beside the notes (`path` relative to the content folder; `embedded` when the note
/// shows it as a picture, `![alt](path)`, rather than linking to it).
enum LinkTarget: Hashable, Sendable {
    case page(id: String, fragment: String?)
    case service(id: String)
    case file(path: String, embedded: Bool)
}

/// Encoded by hand, as `BinaryCoder` needs for an enum with payloads: the case's number, then
/// its values (the build cache's form, see `RecordCoded`).
extension LinkTarget: Encodable {
    /// Writes the case's number (0 page, 1 service, 2 file), then its values.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case let .page(id, fragment):
            try container.encode(0, forKey: .kind)
            try container.encode(id, forKey: .id)
            try container.encodeIfPresent(fragment, forKey: .fragment)
        case let .service(id):
            try container.encode(1, forKey: .kind)
            try container.encode(id, forKey: .id)
        case let .file(path, embedded):
            try container.encode(2, forKey: .kind)
            try container.encode(path, forKey: .id)
            try container.encode(embedded, forKey: .embedded)
        }
    }

    private enum CodingKeys: CodingKey { case kind, id, fragment, embedded }
}

/// One place a term of the index appears.
struct TermPlace: Hashable, Sendable {
    /// The page (and section) or service page the entry links to.
    var target: LinkTarget
    /// The link's text: the page's title or the service's name.
    var label: String
}

/// An entry of the back-of-book index.
struct Term: Sendable {
    /// The entry as shown.
    var text: String
    /// Where it appears, one link each.
    var places: [TermPlace]
    /// For another name of a service (its short name, an alias): the entry to look under,
    /// the service's full name.
    var see: String? = nil

    /// The heading the entry is filed under (`IndexLetter.heading(for:)`): A–Z for Latin
    /// letters with or without accents, a heading of their own for other scripts, `#` for
    /// digits and symbols.
    var letter: String { IndexLetter.heading(for: text) }

    /// The id of the entry `text` in an index page (`term-` and its words lowercased, joined
    /// by `-`), for the "see" links to it.
    static func anchorID(_ text: String) -> String {
        "term-" + text.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: "-")
    }

    /// The texts of the entries of `terms` that get an id (`anchorID`) for the "see" links to
    /// them: those a "see" names and `isListed` keeps, less any whose id another of them shares
    /// (a page may hold an id once, and a link could not tell the two apart).
    static func anchored(_ terms: [Term], isListed: (Term) -> Bool = { _ in true }) -> Set<String> {
        let named = Set(terms.compactMap(\.see))
        let listed = terms.filter { named.contains($0.text) && isListed($0) }.map(\.text)
        return Set(Dictionary(grouping: listed, by: anchorID).values.filter { $0.count == 1 }.joined())
    }
}

/// A service that shares pages with another, with how many.
struct Relation: Sendable {
    /// The other service's `Service.id`.
    var serviceID: String
    /// How many pages the two services share (higher ranks first).
    var weight: Int
}

/// Link stage output: the study set plus everything renderers need to connect pages.
public struct LinkedStudySet: Sendable {
    /// The classified study set this links.
    public var studySet: StudySet
    /// The back-of-book index, merged from every page's terms on first use.
    var terms: [Term] { termIndex.value }
    /// A key of everything the term index is made from, without making it: a rebuild whose
    /// index would be the same can reuse the index page as it is.
    let termsKey: String
    private let termIndex: Lazy<[Term]>
    /// Hash of the configuration, catalog and tool this set was made with; renderers start
    /// their output keys from it.
    var environmentKey = ""
    /// See `Linker.link`; kept in the build cache.
    var targetsKey = ""
    /// The notes' part of `targetsKey` (`Linker.targetsKey(_:)`), without the files beside them.
    var pagesTargetsKey = ""
    /// True when made from the set a session kept (see `Pipeline.analyze`), for the build report.
    var reusedKeptSet = false
    /// True when made with the analysis the build cache kept (`SetAnalysis`), for the build report.
    var reusedCachedAnalysis = false
    /// Names the set facts of every page (`NoteFacts.sharesSetFacts(with:)`), in order, under
    /// one environment: two sets with the same name have the same pages in the same order,
    /// each with the same set facts. A build that goes over every note makes a new name; one
    /// that takes the analysis of an earlier build (from a session or the build cache) takes
    /// that build's name. Renderers may keep what they work out from set facts under it
    /// (`SiteKeys.Kept`); empty in a set made outside a build.
    var setFactsKey = ""
    /// Each page's source file modification time (seconds since 1970), by page id: when Anki
    /// notes last changed, as far as a build without history can tell.
    var sourceModified: [String: Int64] = [:]
    /// The files beside the notes that notes show or link to and that are published, by path
    /// relative to the content folder (see `LinkTarget.file`), and where to read them.
    var localFiles: [String: LocalFile] = [:]
    /// Reads the files of `localFiles` for renderers that copy them; nil when the link stage was given none (then `localFiles` is empty).
    var fileReader: LocalFiles?

    /// What the link stage decided for each note (notes and exam files), by note id.
    let links: [String: NoteLinks]
    /// The notes' trees, bound to `links`; set by the build once the set is linked.
    var trees = LinkedTrees.none

    /// `studySet.config`.
    var config: ProjectConfig { studySet.config }
    /// `studySet.pages`: the notes, without the exam files.
    var pages: [Page] { studySet.pages }
    /// How many notes the set has, as the home page and `build` count them (not flashcard
    /// files, a service's landing text or exam files): the count `syllabus check` reports.
    public var noteCount: Int { studySet.noteCount }

    /// The note with `id` (its path relative to the content folder); nil for an unknown id or an exam file.
    func page(_ id: String) -> Page? { pageIndex[id].map { studySet.pages[$0] } }

    private var pageIndex: [String: Int]
    private var graph: ServiceGraph

    /// `graph` is `studySet`'s (`ServiceGraph(of:)`), made by the caller, which can make it
    /// on another core while it does the rest of linking.
    init(studySet: StudySet, links: [String: NoteLinks], graph: ServiceGraph) {
        self.init(studySet: studySet, links: links, graph: graph, termsKey: nil)
    }

    /// The set of `studySet` with the graph, term index key and notes' targets key of `analysis`,
    /// which describes it (`SetAnalysis.describes`): a build whose changed notes keep their set
    /// facts takes them from the build cache instead of going over every note again.
    init(studySet: StudySet, links: [String: NoteLinks], analysis: SetAnalysis) {
        self.init(studySet: studySet, links: links, graph: analysis.graph, termsKey: analysis.termsKey)
        pagesTargetsKey = analysis.pagesTargetsKey
    }

    /// `termsKey` nil: made from `studySet`.
    private init(studySet: StudySet, links: [String: NoteLinks], graph: ServiceGraph, termsKey: String?) {
        self.studySet = studySet
        self.links = links
        // Made once, for the key and the index alike, and only if one of them is made.
        let labels = Lazy { LocatorLabels(studySet) }
        let pageIndex = Dictionary(studySet.pages.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        termIndex = Lazy {
            var terms = TermCollector()
            // A service is indexed under its name; its other names point there.
            for service in studySet.servicesInUse where service.id != Service.general.id {
                terms.add(service.name, TermPlace(target: .service(id: service.id), label: service.name))
                for name in service.names.dropFirst() where name.lowercased() != service.name.lowercased() {
                    terms.add(name, see: service.name)
                }
            }
            for page in studySet.pages { terms.add(page.linkFacts.terms, of: page, label: labels.value.label(of: page)) }
            // A service with no notes is indexed under its name where notes name it (see
            // `LinkFactsGatherer`); its other names point there as well.
            let inUse = Set(studySet.servicesInUse.map(\.id))
            for service in studySet.catalog.services where !inUse.contains(service.id) && terms.hasEntry(service.name) {
                for name in service.names.dropFirst() where name.lowercased() != service.name.lowercased() {
                    terms.add(name, see: service.name)
                }
            }
            terms.removeSharedHeadings(of: studySet.pages) { studySet.catalog[$0.serviceID]?.names ?? [] }
            if EnglishPlural.applies(to: studySet.config.language) {
                terms.mergePlurals { place in
                    switch place.target {
                    case .service: return -1
                    case let .page(id, _): return pageIndex[id] ?? Int.max
                    case .file: return Int.max
                    }
                }
            }
            return terms.sorted()
        }
        self.termsKey = termsKey ?? Self.termsKey(studySet, labels: labels.value)
        self.pageIndex = pageIndex
        self.graph = graph
    }

    /// See `termsKey`: every service in use with its names, and every note's id, output path,
    /// label in the index (its title, qualified where titles are shared: `LocatorLabels`) and
    /// index terms.
    private static func termsKey(_ studySet: StudySet, labels: LocatorLabels) -> String {
        var key = CacheKeyHasher()
        for service in studySet.servicesInUse where service.id != Service.general.id {
            key.add(service.id)
            key.add(service.name)
            for name in service.names { key.add(name) }
        }
        for page in studySet.pages {
            key.add(page.id)
            key.add(page.outputPath)
            key.add(labels.label(of: page))
            page.linkFacts.termList.withBytes { key.add(UnsafeRawBufferPointer($0)) }
        }
        return key.hex
    }

    /// The set of `studySet`, made from `previous.studySet` by `StudySet.replacing(_:)`: the term
    /// index, its key, the page index and the service graph are `previous`'s, as every page
    /// they are made from shares its set facts with the page it replaced. `serve` makes the
    /// set of a one-note edit this way instead of going over every note again.
    init(studySet: StudySet, links: [String: NoteLinks], reusing previous: LinkedStudySet) {
        self.studySet = studySet
        self.links = links
        termIndex = previous.termIndex
        termsKey = previous.termsKey
        pageIndex = previous.pageIndex
        graph = previous.graph
    }

    /// What the link stage decided for `page`: its links' targets and its render key.
    func links(of page: Page) -> NoteLinks { links[page.id] ?? .none }

    /// The files beside the notes that `page` links to (`.file` targets), each with whether
    /// the note shows it as a picture. Each is one of the page's `localFilePaths`, so the
    /// targets of a page without any are not read: the stages that go over every page for its
    /// files leave a cached note's targets undecoded (see `Deferred`).
    func fileTargets(of page: Page) -> [(path: String, embedded: Bool)] {
        guard !page.localFilePaths.isEmpty else { return [] }
        return links(of: page).targets.compactMap { target in
            if case let .file(path, embedded) = target { (path, embedded) } else { nil }
        }
    }

    /// The tree of `page` with its internal links bound to their targets.
    func content(of page: Page) -> PageContent { trees.content(of: page) }

    /// The exam file with this id.
    func examPage(_ id: String) -> Page? { studySet.examPages.first { $0.id == id } }

    /// The notes a question links to (in its stem, options or explanation), each once, in the
    /// order of their first link: the notes that teach what it asks.
    func notes(covering question: Question) -> [LinkTarget] {
        guard let page = examPage(question.pageID) else { return [] }
        let links = links(of: page)
        var targets: [LinkTarget] = []
        var seen: Set<String> = []
        var resolvedIndex = 0
        for (reference, resolved) in zip(page.linkFacts.references, links.resolved) {
            guard resolved else { continue }
            defer { resolvedIndex += 1 }
            guard (question.location.line...question.lastLine).contains(reference.line),
                  case let .page(id, _) = links.targets[resolvedIndex], seen.insert(id).inserted else { continue }
            targets.append(links.targets[resolvedIndex])
        }
        return targets
    }

    /// Pages outside a service that mention it, most mentions first.
    func mentionedIn(_ serviceID: String) -> [Page] { graph.mentionedIn[serviceID]?.map { studySet.pages[$0] } ?? [] }

    /// Services ranked by co-mention: on how many pages both appear (by membership or mention).
    func related(to serviceID: String) -> [Relation] { graph.related[serviceID] ?? [] }

    /// The back-links and co-mentions of the set's services, for the build cache (`SetAnalysis`).
    var serviceGraph: ServiceGraph { graph }
}

/// Back-links and co-mentions of every service, computed once in one pass over the pages.
/// Pages are named by their place in the list it was made from, so a set whose pages are
/// replaced by versions with the same set facts keeps its graph (see `LinkedStudySet`).
struct ServiceGraph: Sendable {
    /// Service id -> the places in `pages` of the pages that mention it.
    var mentionedIn: [String: [Int]] = [:]
    var related: [String: [Relation]] = [:]

    static let relatedLimit = 8

    /// A graph with no services, filled in by `SetAnalysis(reading:)`.
    init() {}

    /// The graph of `studySet`'s pages and services.
    init(of studySet: StudySet) {
        self.init(pages: studySet.pages, servicesWithPages: Set(studySet.servicesInUse.map(\.id)))
    }

    /// Only services in `servicesWithPages` are related to others: the rest have no page to link to.
    init(pages: [Page], servicesWithPages: Set<String>) {
        // Services as numbers, in order of first appearance: each service named on a page is
        // hashed once (this runs over every note's mentions in every build).
        var numbers = Numbers()
        var present: [[Int]] = []
        present.reserveCapacity(pages.count)
        for (index, page) in pages.enumerated() {
            // Read through the page, not from a copy of its facts (a dozen retains a page).
            let own = page.facts.serviceIDs
            var onPage: [Int] = []
            for service in own { _ = numbers.add(service, to: &onPage) }
            for (service, count) in page.facts.linkFacts.mentions {
                let number = numbers.add(service, to: &onPage)
                if !own.contains(service) { numbers.mentioning[number].append((index, count)) }
            }
            present.append(onPage)
        }
        let (ids, mentioning) = (numbers.ids, numbers.mentioning)
        // Every page adds one to each pair of services on it: a flat matrix, not a dictionary
        // (a page has dozens of pairs, and this runs over every page on every build; a
        // catalog has hundreds of services at most).
        let count = ids.count
        var pairs = [Int](repeating: 0, count: count * count)
        for services in present {
            for service in services {
                for other in services where other != service { pairs[service * count + other] += 1 }
            }
        }
        var weights: [String: [String: Int]] = [:]
        for service in 0..<count {
            for other in 0..<count where pairs[service * count + other] > 0 {
                weights[ids[service], default: [:]][ids[other]] = pairs[service * count + other]
            }
        }
        // Ties go by title: rank every title once rather than compare strings in every sort.
        let titles = pages.map(\.facts.title)
        var titleRank = [Int](repeating: 0, count: pages.count)
        for (rank, index) in titles.indices.sorted(by: { titles[$0] < titles[$1] }).enumerated() { titleRank[index] = rank }
        for (number, list) in mentioning.enumerated() where !list.isEmpty {
            mentionedIn[ids[number]] = list.map { (count: $0.count, rank: titleRank[$0.page], page: $0.page) }
                .sorted { (-$0.count, $0.rank) < (-$1.count, $1.rank) }.map(\.page)
        }
        related = weights.mapValues { others in
            others.filter { servicesWithPages.contains($0.key) }.map { Relation(serviceID: $0.key, weight: $0.value) }
                .sorted { ($1.weight, $0.serviceID) < ($0.weight, $1.serviceID) }
                .prefix(Self.relatedLimit).map { $0 }
        }
    }

    /// Services as numbers, in order of first appearance, and the pages (by place) that
    /// mention each outside their own services, with how often.
    private struct Numbers {
        var byID: [String: Int] = [:]
        var ids: [String] = []
        var mentioning: [[(page: Int, count: Int)]] = []

        /// The number of `service`, which is added to `onPage` unless there or General.
        mutating func add(_ service: String, to onPage: inout [Int]) -> Int {
            let number: Int
            if let known = byID[service] {
                number = known
            } else {
                number = ids.count
                byID[service] = number
                ids.append(service)
                mentioning.append([])
            }
            if !onPage.contains(number), service != Service.general.id { onPage.append(number) }
            return number
        }
    }
}
