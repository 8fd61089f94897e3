import Foundation

/// The services of `Content/services.yml`, in file order.
struct ServiceCatalog: Sendable {
    /// Every service, in file order (a loaded catalog never holds `general`: it is a reserved id).
    private(set) var services: [Service]
    private var byID: [String: Int]

    /// A catalog of `services`; for a repeated id, lookups find the first.
    init(services: [Service]) {
        self.services = services
        self.byID = Dictionary(services.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

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
            return ServiceCatalog(services: [])
        }
        guard let text = String(validUTF8: data)?.droppingByteOrderMark else {
            diagnostics.error("file is not valid UTF-8", at: reader.location())
            return ServiceCatalog(services: [])
        }
        guard let root = reader.parse(text) else {
            if text.allSatisfy(\.isWhitespace) { diagnostics.error("services.yml lists no services", at: reader.location()) }
            return ServiceCatalog(services: [])
        }
        guard let entries = root.sequence else {
            diagnostics.error("services.yml must be a list of services", at: reader.location(of: root))
            return ServiceCatalog(services: [])
        }
        var services: [Service] = []
        var ids = Set<String>()
        var nameOwners: [String: String] = [:]
        for entry in entries {
            guard let service = parseService(entry, reader: reader, diagnostics: diagnostics) else { continue }
            guard ids.insert(service.id).inserted else {
                diagnostics.error("duplicate service id '\(service.id)'", at: reader.location(of: entry))
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
        return ServiceCatalog(services: services)
    }

    private static func parseService(_ node: Yams.Node, reader: YAMLReader, diagnostics: DiagnosticLog) -> Service? {
        guard let values = reader.fields(of: node, noun: "service", known: ["id", "name", "short", "aliases", "category", "docs"],
                                         required: ["id", "name", "category"], unknownKey: { "unknown service key '\($0)'" })
        else { return nil }
        guard let idNode = values["id"], let id = reader.string(idNode, key: "id"),
              let name = values["name"].flatMap({ reader.string($0, key: "name") }),
              let category = values["category"].flatMap({ reader.string($0, key: "category") })
        else { return nil }
        guard isValidID(id), !Service.reservedIDs.contains(id) else {
            diagnostics.error("service id '\(id)' must match [a-z0-9-]+ and not be a reserved name (\(Service.reservedIDs.sorted().joined(separator: ", ")))",
                              at: reader.location(of: idNode))
            return nil
        }
        return Service(
            id: id, name: name,
            short: values["short"].flatMap { reader.string($0, key: "short") } ?? name,
            aliases: values["aliases"].flatMap { reader.strings($0, key: "aliases") } ?? [],
            category: category,
            docs: values["docs"].flatMap { node in
                Sanitizer.configurationURL(reader.string(node, key: "docs"), key: "docs", at: reader.location(of: node), diagnostics: diagnostics)
            })
    }
}

import Yams
