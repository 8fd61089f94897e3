import Foundation

/// Finds `{{name}}` tags that no value fills: mustache renders a misspelt name as nothing,
/// silently. Each template is checked once per build, on its first rendering, against the
/// context it was given: a name is unknown when neither that context nor, inside a section,
/// the section's items (or the contexts around them) have it. A section whose list is empty
/// in that context cannot be checked and is skipped, and so are section names themselves.
/// Partials are checked where they are included, against the including template's context.
/// The warnings come from the build that renders the template (a rebuild that reuses every
/// page renders none, and says nothing).
final class TemplateVariableCheck: @unchecked Sendable {
    /// A tag: the name it looks up, where it is, and the sections (outermost first) around it.
    struct Tag: Equatable {
        var name: String
        var file: String
        var line: Int
        var column: Int
        var sections: [String]
    }

    private let tags: [String: [Tag]]
    private let lock = NSLock()
    private var checked: Set<String> = []
    private var found: [Diagnostic] = []
    private var reported = 0

    /// `texts`: each template's name (as rendered: "note", "partials/card") and its text;
    /// `path`: the file a name's template was read from, for diagnostics.
    init(texts: [String: String], path: (String) -> String) {
        var tags: [String: [Tag]] = [:]
        for name in texts.keys {
            tags[name] = Self.tags(of: name, texts: texts, path: path, sections: [], depth: 0)
        }
        self.tags = tags
    }

    /// Checks `template` against `context` if it was not checked yet in this build.
    func check(_ template: String, _ context: [String: Any]) {
        guard let tags = tags[template] else { return }
        let first = lock.withLock { checked.insert(template).inserted }
        guard first else { return }
        var problems: [Diagnostic] = []
        var known: Set<String> = []
        collectKeys(context, into: &known)
        for tag in tags where !resolves(tag, in: context) {
            let close = known.min { Suggestion.distance($0, tag.name) < Suggestion.distance($1, tag.name) }
            let hint = close.flatMap { Suggestion.distance($0, tag.name) <= 2 ? " (did you mean '\($0)'?)" : nil } ?? ""
            problems.append(Diagnostic(.warning, "template variable '\(tag.name)' is not set by Syllabus and renders as nothing\(hint)",
                                       at: SourceLocation(path: tag.file, line: tag.line, column: tag.column)))
        }
        lock.withLock { found += problems }
    }

    /// Reports what was found since the last call.
    func report(into diagnostics: DiagnosticLog) {
        let new: [Diagnostic] = lock.withLock {
            defer { reported = found.count }
            return Array(found[reported...])
        }
        for diagnostic in new.sorted(by: { $0.location < $1.location }) { diagnostics.report(diagnostic) }
    }

    private func resolves(_ tag: Tag, in context: [String: Any]) -> Bool {
        var stack: [[String: Any]] = [context]
        for section in tag.sections {
            guard let value = Self.lookup(section, in: stack) else { return true }  // reported on its own
            // A section that is off in this context (false, "", nothing) shows nothing here.
            if let flag = value as? Bool { if flag { continue } else { return true } }
            if let text = value as? String { if text.isEmpty { return true } else { continue } }
            if let items = value as? [[String: Any]] {
                guard !items.isEmpty else { return true }  // never rendered here: cannot tell
                stack.append(items.reduce(into: [:]) { merged, item in merged.merge(item) { old, _ in old } })
            } else if let items = value as? [Any] {
                if items.isEmpty { return true }  // a list of plain values: {{.}} inside
            } else if let dictionary = value as? [String: Any] {
                stack.append(dictionary)
            }
        }
        return Self.lookup(tag.name, in: stack) != nil
    }

    private static func lookup(_ name: String, in stack: [[String: Any]]) -> Any? {
        for context in stack.reversed() { if let value = context[name] { return value } }
        return nil
    }

    private func collectKeys(_ value: Any, into keys: inout Set<String>) {
        if let dictionary = value as? [String: Any] {
            for (key, item) in dictionary { keys.insert(key); collectKeys(item, into: &keys) }
        } else if let items = value as? [Any], let first = items.first {
            collectKeys(first, into: &keys)
        }
    }

    /// The tags of template `name`, partials inlined at their place.
    private static func tags(of name: String, texts: [String: String], path: (String) -> String, sections: [String], depth: Int) -> [Tag] {
        guard let text = texts[name], depth < 8 else { return [] }
        var result: [Tag] = []
        var open = sections
        var line = 1, column = 1
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix("{{") {
                let triple = text[index...].hasPrefix("{{{")
                let bodyStart = text.index(index, offsetBy: triple ? 3 : 2)
                guard let close = text[bodyStart...].range(of: triple ? "}}}" : "}}") else { break }
                let body = text[bodyStart..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                let (tagLine, tagColumn) = (line, column)
                var sigil = triple ? "" : String(body.prefix(1))
                if !"#^/!>%=&<$".contains(sigil) || sigil.isEmpty { sigil = "" }
                let rest = (sigil.isEmpty ? body : String(body.dropFirst())).trimmingCharacters(in: .whitespaces)
                let variable = String(rest.split(separator: ".").first ?? "")
                switch sigil {
                case "#", "^":
                    // A section's own name is not checked: a context leaves out what it has not
                    // got ({{#next}} on the last note), so a missing name there is normal.
                    open.append(variable)
                case "/":
                    if !open.isEmpty && open.count > sections.count { open.removeLast() }
                case ">":
                    result += tags(of: rest, texts: texts, path: path, sections: open, depth: depth + 1)
                case "", "&":
                    if !variable.isEmpty, !rest.contains("(") {
                        result.append(Tag(name: variable, file: path(name), line: tagLine, column: tagColumn, sections: open))
                    }
                default:
                    break  // comments, pragmas, delimiters, inheritance
                }
                // Advance over the tag, counting its lines.
                for character in text[index..<close.upperBound] {
                    if character == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                index = close.upperBound
            } else {
                if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
                index = text.index(after: index)
            }
        }
        return result
    }
}
