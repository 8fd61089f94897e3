import CMarkGFM
import Foundation

/// Link stage: resolves `.md` links, adds service cross-links, counts mentions and builds the
/// term index. Links that resolve nowhere are reported and become plain text.
public struct Linker {
    public let matcher: MentionMatcher
    public let diagnostics: DiagnosticLog

    public init(matcher: MentionMatcher, diagnostics: DiagnosticLog) {
        self.matcher = matcher
        self.diagnostics = diagnostics
    }

    /// What linking one page yields; pages are linked in parallel, each touching only its tree.
    private struct PageLinks {
        var links: [(node: Node, target: LinkTarget)]
        var mentions: [String: Int]
        var terms: TermCollector
    }

    public func link(_ studySet: StudySet) -> LinkedStudySet {
        let pagesByID = Dictionary(studySet.pages.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let perPage = parallelMap(studySet.pages.count) { index -> PageLinks in
            let page = studySet.pages[index]
            var terms = TermCollector()
            terms.collect(page)
            let resolved = resolveLinks(in: page, pages: pagesByID)
            let (crossLinks, counts) = crossLink(page, terms: &terms)
            return PageLinks(links: resolved + crossLinks, mentions: counts, terms: terms)
        }
        var terms = TermCollector()
        for service in studySet.servicesInUse where service.id != Service.general.id {
            for name in service.names { terms.add(name, TermPlace(target: .service(id: service.id), label: service.name)) }
        }
        var links: [String: [(node: Node, target: LinkTarget)]] = [:]
        var mentions: [String: [String: Int]] = [:]
        for (page, result) in zip(studySet.pages, perPage) {
            links[page.id] = result.links
            mentions[page.id] = result.mentions
            terms.merge(result.terms)
        }
        return LinkedStudySet(studySet: studySet, links: links, mentions: mentions, terms: terms.sorted())
    }

    // MARK: .md links

    private func resolveLinks(in page: Page, pages: [String: Page]) -> [(node: Node, target: LinkTarget)] {
        var resolved: [(node: Node, target: LinkTarget)] = []
        let links = page.tree.document.descendants(.link) + page.tree.document.descendants(.image)
        for node in links {
            guard let url = node.url, !url.isEmpty, !Self.hasScheme(url), !url.hasPrefix("/") else { continue }
            let location = page.source.location(line: node.line, column: node.column)
            let (path, fragment) = Self.split(url)
            let targetID = path.isEmpty ? page.id : Self.resolve(path.removingPercentEncoding ?? path, from: page.id)
            guard path.isEmpty || path.hasSuffix(".md"), node.kind == .link else {
                diagnostics.warning("link to '\(url)' is not a Markdown note; only notes are published, so it is shown as text", at: location)
                node.unwrap()
                continue
            }
            guard let target = targetID.flatMap({ pages[$0] }) else {
                diagnostics.error("link to '\(url)': no such note", at: location)
                node.unwrap()
                continue
            }
            if let fragment, !fragment.isEmpty, !target.headings.contains(where: { $0.id == fragment }) {
                diagnostics.error("link to '\(url)': \(target.source.relativePath) has no heading with id '\(fragment)'", at: location)
                node.unwrap()
                continue
            }
            node.mark = .internalLink
            resolved.append((node, .page(id: target.id, fragment: fragment.flatMap { $0.isEmpty ? nil : $0 })))
        }
        return resolved
    }

    static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } && scheme.first!.isLetter
    }

    static func split(_ url: String) -> (path: String, fragment: String?) {
        guard let hash = url.firstIndex(of: "#") else { return (url, nil) }
        return (String(url[..<hash]), String(url[url.index(after: hash)...]))
    }

    /// `../s3/overview.md` seen from `lambda/overview.md` is `s3/overview.md`; nil if it leaves the content folder.
    static func resolve(_ path: String, from pageID: String) -> String? {
        var parts = pageID.split(separator: "/").dropLast().map(String.init)
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(component))
            }
        }
        return parts.joined(separator: "/")
    }

    // MARK: Cross-links

    /// Links the first mention of each other service in every section; counts all mentions
    /// and files each under the service's name in the term index.
    private func crossLink(_ page: Page, terms: inout TermCollector) -> ([(node: Node, target: LinkTarget)], [String: Int]) {
        var added: [(node: Node, target: LinkTarget)] = []
        var counts: [String: Int] = [:]
        var linkedInSection: Set<String> = []
        var currentSection = ""
        let own = Set(page.serviceIDs)
        ProseWalker.visit(page.tree, headingIDs: page.headingIDs) { node, section in
            if section != currentSection { currentSection = section; linkedInSection = [] }
            guard let literal = node.literal else { return }
            let found = matcher.mentions(in: literal)
            guard !found.isEmpty else { return }
            let bytes = Array(literal.utf8)
            let place = TermPlace(target: .page(id: page.id, fragment: section == "top" ? nil : section), label: page.title)
            for mention in found {
                counts[mention.serviceID, default: 0] += 1
                terms.add(String(decoding: bytes[mention.range], as: UTF8.self), place)
            }
            let toLink = found.filter { mention in
                !own.contains(mention.serviceID) && linkedInSection.insert(mention.serviceID).inserted
            }
            guard !toLink.isEmpty else { return }
            var cursor = 0
            var anchor = node
            func appendText(_ range: Range<Int>) {
                guard !range.isEmpty else { return }
                let text = node.makeText(String(decoding: bytes[range], as: UTF8.self))
                anchor.insertAfter(text)
                anchor = text
            }
            node.literal = String(decoding: bytes[..<toLink[0].range.lowerBound], as: UTF8.self)
            cursor = toLink[0].range.lowerBound
            for mention in toLink {
                appendText(cursor..<mention.range.lowerBound)
                let link = node.makeNode(CMARK_NODE_LINK)
                link.url = ""
                link.mark = .crossLink
                link.append(node.makeText(String(decoding: bytes[mention.range], as: UTF8.self)))
                anchor.insertAfter(link)
                anchor = link
                added.append((link, .service(id: mention.serviceID)))
                cursor = mention.range.upperBound
            }
            appendText(cursor..<bytes.count)
        }
        return (added, counts)
    }
}
