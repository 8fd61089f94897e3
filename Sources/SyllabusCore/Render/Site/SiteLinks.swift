import Foundation

/// Relative URLs inside the site, so it works from `file://` and any sub-path.
struct SiteLinks {
    let set: LinkedStudySet
    /// Services that have a page: a service of the catalog without notes has none, and a
    /// cross-link to it is shown as text.
    private let servicesWithPages: Set<String>

    init(set: LinkedStudySet) {
        self.set = set
        servicesWithPages = Set(set.studySet.servicesInUse.map(\.id))
    }

    /// The prefix that leads from a page at `depth` folders down back to the site root.
    static func root(depth: Int) -> String { String(repeating: "../", count: depth) }

    func href(_ target: LinkTarget, root: String) -> String? {
        switch target {
        case let .page(id, fragment):
            guard let page = set.page(id) else { return nil }
            return root + page.outputPath + (fragment.map { "#" + $0 } ?? "")
        case let .service(id):
            return servicesWithPages.contains(id) ? root + "\(id)/index.html" : nil
        case let .file(path, _):
            // Copied to the same path in the site (see `SiteFiles`).
            return set.localFiles[path] == nil ? nil : root + Self.encoded(path)
        }
    }

    /// A content-relative path as a URL path: every character a path may not hold as it is
    /// (space, `#`, `?`, `%`, non-ASCII…) percent-encoded, folders kept.
    static func encoded(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ";:")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
    }

    /// Absolute URL of a target on the published site, when `base_url` is set.
    func absoluteHref(_ target: LinkTarget) -> String? {
        guard let base = set.config.baseURL else { return nil }
        return href(target, root: base)
    }
}
