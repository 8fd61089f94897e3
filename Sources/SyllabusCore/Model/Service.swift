import Foundation

/// One AWS service of the catalog (`services.yml`).
public struct Service: Hashable, Sendable {
    public var id: String
    public var name: String
    public var short: String
    public var aliases: [String]
    public var category: String
    public var docs: String?

    public init(id: String, name: String, short: String, aliases: [String] = [], category: String, docs: String? = nil) {
        self.id = id
        self.name = name
        self.short = short
        self.aliases = aliases
        self.category = category
        self.docs = docs
    }

    /// Every way a text may name the service.
    public var names: [String] {
        var seen = Set<String>()
        return ([name, short] + aliases).filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The group for notes that mention no service.
    public static let general = Service(id: "general", name: "General", short: "General", category: "General")
}

extension Service {
    /// Folder names the site uses for itself, so no service may take them.
    public static let reservedIDs: Set<String> = ["general", "terms", "assets", "practice", "exam"]
}
