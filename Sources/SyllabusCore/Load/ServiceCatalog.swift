import Foundation

/// The services of `Content/services.yml`, in file order.
struct ServiceCatalog: Sendable {
    /// Every service, in file order (a loaded catalog never holds `general`: it is a reserved id).
    private(set) var services: [Service]
    private var byID: [String: Int]
    /// Ids of entries left out for their errors; nil when services.yml could not be read as a
    /// list of services, or an entry without a readable id was left out. A folder named by
    /// an id that may be one of these is no error of its own: the catalog's errors say why
    /// (see `mayHaveLeftOut(_:)`).
    private var leftOut: Set<String>?

    /// A catalog of `services`; for a repeated id, lookups find the first.
    init(services: [Service], leftOut: Set<String>? = []) {
        self.services = services
        self.byID = Dictionary(services.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.leftOut = leftOut
    }

    /// Whether `id` may be a service the catalog left out for its errors (always, when
    /// services.yml could not be read).
    func mayHaveLeftOut(_ id: String) -> Bool { leftOut?.contains(id) ?? true }

    /// The service with `id`, nil when the catalog has none.
    subscript(id: String) -> Service? { byID[id].map { services[$0] } }

    /// Categories in first-seen order, each with its services.
    var categories: [(name: String, services: [Service])] {
        var order: [String] = []
        var groups: [String: [Service]] = [:]
        for service in services {
            if groups[service.category] == nil { order.append(service.category) }
            groups[service.category, default: []].append(service)
        }
        return order.map { ($0, groups[$0]!) }
    }

    /// True when `id` is a service id's shape: lowercase ASCII letters, digits and hyphens, at
    /// least one. Checked by hand: a regular expression made ICU build its character tables
    /// in every build, for a few dozen ids.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            || $0 == UInt8(ascii: "-") }
    }

    /// Reads and checks the catalog; entries with problems are reported and skipped.
    static func load(from url: URL, displayPath: String, diagnostics: DiagnosticLog) -> ServiceCatalog {
        let reader = YAMLReader(path: displayPath, lineOffset: 0, diagnostics: diagnostics)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.error("missing service catalog services.yml", at: reader.location())
            return ServiceCatalog(services: [], leftOut: nil)
        }
        guard let text = reader.text(of: data) else { return ServiceCatalog(services: [], leftOut: nil) }
        guard let root = reader.parse(text) else {
            if text.allSatisfy(\.isWhitespace) { diagnostics.error("services.yml lists no services", at: reader.location()) }
            return ServiceCatalog(services: [], leftOut: nil)
        }
        guard let entries = root.sequence else {
            diagnostics.error("services.yml must be a list of services", at: reader.location(of: root))
            return ServiceCatalog(services: [], leftOut: nil)
        }
        var services: [Service] = []
        var idLines: [String: Int] = [:]
        var nameOwners: [String: String] = [:]
        var leftOut: Set<String>? = []
        for entry in entries {
            // Every check runs on every entry, so that one missing key does not hide the others.
            let (id, parsed) = parseService(entry, reader: reader, diagnostics: diagnostics)
            if let id {
                let location = reader.location(of: entry)
                if let first = idLines[id] {
                    diagnostics.error("duplicate service id '\(id)' (first on line \(first))", at: location)
                    continue
                }
                idLines[id] = location.line
            }
            guard let service = parsed else {
                if let id { leftOut?.insert(id) } else { leftOut = nil }
                continue
            }
            for name in service.names {
                if let owner = nameOwners[name] {
                    diagnostics.error("'\(name)' names both '\(owner)' and '\(service.id)'", at: reader.location(of: entry))
                } else {
                    nameOwners[name] = service.id
                }
            }
            services.append(service)
        }
        return ServiceCatalog(services: services, leftOut: leftOut)
    }

    /// One entry's id as written (nil when it has none that is text) and the service, nil
    /// when the entry has an error; every problem of the entry is reported.
    private static func parseService(_ node: Yams.Node, reader: YAMLReader, diagnostics: DiagnosticLog) -> (id: String?, service: Service?) {
        guard let values = reader.fields(of: node, noun: "service", known: ["id", "name", "short", "aliases", "category", "docs"],
                                         required: ["id", "name", "category"])
        else { return (nil, nil) }
        let idNode = values["id"]
        let id = idNode.flatMap { reader.string($0, key: "id") }
        var validID = id
        if let id, let idNode, !isValidID(id) || Service.reservedIDs.contains(id) {
            diagnostics.error("service id '\(id)' must match [a-z0-9-]+ and not be a reserved name (\(Service.reservedIDs.sorted().joined(separator: ", ")))",
                              at: reader.location(of: idNode))
            validID = nil
        }
        let name = values["name"].flatMap { reader.string($0, key: "name") }
        let category = values["category"].flatMap { reader.string($0, key: "category") }
        guard let id = validID, let name, let category else { return (id, nil) }
        return (id, Service(
            id: id, name: name,
            short: values["short"].flatMap { reader.string($0, key: "short") } ?? name,
            aliases: values["aliases"].flatMap { reader.strings($0, key: "aliases") } ?? [],
            category: category,
            docs: values["docs"].flatMap { node in
                Sanitizer.configurationURL(reader.string(node, key: "docs"), key: "docs", at: reader.location(of: node), diagnostics: diagnostics)
            }))
    }
}

import Yams
