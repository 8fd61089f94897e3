import Foundation

/// One AWS service of the catalog (`services.yml`).
struct Service: Hashable, Sendable {
    /// `id:`, the folder name and URL segment (`lambda`); unique in the catalog.
    var id: String
    /// `name:`, the full name (`AWS Lambda`).
    var name: String
    /// `short:`, the name in running text (`Lambda`); `name` when not given.
    var short: String
    /// `aliases:`, further names a note may use for it; mention matching looks for them too.
    var aliases: [String]
    /// `category:`, the group it is listed under (`Compute`); groups keep the catalog's order.
    var category: String
    /// `docs:`, the service's documentation URL (checked as a link); relative links of its
    /// notes to pages of that site resolve against its origin.
    var docs: String?

    /// A service as `services.yml` describes it.
    init(id: String, name: String, short: String, aliases: [String] = [], category: String, docs: String? = nil) {
        self.id = id
        self.name = name
        self.short = short
        self.aliases = aliases
        self.category = category
        self.docs = docs
    }

    /// Every way a text may name the service.
    var names: [String] {
        var seen = Set<String>()
        return ([name, short] + aliases).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The group for notes that mention no service.
    static let general = Service(id: "general", name: "General", short: "General", category: "General")
}

extension Service {
    /// Folder names the site uses for itself, so no service may take them.
    static let reservedIDs: Set<String> = ["general", "terms", "assets", "practice", "exam"]
}
