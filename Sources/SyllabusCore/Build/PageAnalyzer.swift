import Foundation

/// Parse → classify → link for one file on its own: everything about a page that does not
/// depend on other pages, which is what the build cache keeps. The same steps make a page in
/// a full build and parse a cached page again when a renderer needs its tree, so both give
/// the same tree.
struct PageAnalyzer {
    let config: ProjectConfig
    let catalog: ServiceCatalog
    let matcher: MentionMatcher

    /// The key of everything a page's analysis reads: its path and bytes, and `environment`
    /// (configuration, catalog and tool).
    static func contentKey(_ file: LoadedFile, environment: String) -> String {
        var hasher = CacheKeyHasher()
        hasher.add(environment)
        hasher.add(file.source.relativePath)
        hasher.add(file.text)
        return hasher.hex
    }

    /// The page of `file`, or nil when it cannot be placed. Its own diagnostics go to
    /// `diagnostics` and are kept on the page for the cache. `markdown` is its Markdown when it
    /// was parsed ahead (see `ParsedDocument.markdown(of:)`).
    func analyze(_ file: LoadedFile, contentKey: String, diagnostics: DiagnosticLog, markdown: ParsedMarkdown? = nil) -> Page? {
        let own = DiagnosticLog()
        let document = ParsedDocument.parse(file, allowRawHTML: config.unsafeHTML, keepsHTML: SyntaxComments.isSyntax, diagnostics: own, markdown: markdown)
        let page = Classifier(config: config, catalog: catalog, matcher: matcher, diagnostics: own).page(document, contentKey: contentKey)
        if let page, let content = page.loadedContent {
            let docs = catalog[page.serviceID]?.docs.flatMap(LinkURLs.origin(of:)) ?? config.baseURL.flatMap(LinkURLs.origin(of:))
            page.linkFacts = Linker(matcher: matcher, diagnostics: own).linkLocally(page, content: content, origin: docs)
            if config.search { page.linkFacts.searchText = SearchText.extract(content.tree) }
        }
        let found = own.all
        for diagnostic in found { diagnostics.report(diagnostic) }
        page?.ownDiagnostics = found
        return page
    }
}
