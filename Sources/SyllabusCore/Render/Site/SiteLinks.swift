import Foundation

/// Relative URLs inside the site, so it works from `file://` and any sub-path.
struct SiteLinks {
    let set: LinkedStudySet

    /// The prefix that leads from a page at `depth` folders down back to the site root.
    static func root(depth: Int) -> String { String(repeating: "../", count: depth) }

    func href(_ target: LinkTarget, root: String) -> String? {
        switch target {
        case let .page(id, fragment):
            guard let page = set.page(id) else { return nil }
            return root + page.outputPath + (fragment.map { "#" + $0 } ?? "")
        case let .service(id):
            return root + "\(id)/index.html"
        }
    }

    /// Absolute URL of a target on the published site, when `base_url` is set.
    func absoluteHref(_ target: LinkTarget) -> String? {
        guard let base = set.config.baseURL else { return nil }
        return href(target, root: base)
    }
}
