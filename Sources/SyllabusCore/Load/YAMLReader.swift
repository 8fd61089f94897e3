import Foundation
import Yams

/// Reads YAML (front matter, services.yml, syllabus.yml) into Yams nodes and turns every
/// problem into a diagnostic at the right line of the original file.
struct YAMLReader {
    let path: String
    /// Lines of the file before the YAML text starts (front matter starts after `---`).
    let lineOffset: Int
    let diagnostics: DiagnosticLog

    func parse(_ text: String) -> Yams.Node? {
        do {
            // The encoding given: Yams's default reads the whole environment on every call.
            // No resolver rules: the only tag the reader asks about is null (`isNull`), and Yams's
            // rules are regular expressions, tried on every value asked for its tag (ICU's set
            // up for the first of them was a millisecond of every build).
            return try Yams.compose(yaml: text, .basic, .default, .utf8)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            reportDuplicates(of: duplicates, nearLine: context.mark.line, column: context.mark.column, in: text)
        } catch let error as YamlError {
            let hint = Self.quotingHint(for: error, in: text).map { "; \($0)" } ?? ""
            diagnostics.error("invalid YAML: \(Self.problem(of: error))\(hint)", at: location(of: error, in: text))
        } catch {
            diagnostics.error("invalid YAML: \(error)", at: location())
        }
        return nil
    }

    func location(of node: Yams.Node) -> SourceLocation {
        location(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func location(line: Int = 1, column: Int = 1) -> SourceLocation {
        SourceLocation(path: path, line: line + lineOffset, column: column)
    }

    /// `data` as text, without a byte order mark; nil when it is not UTF-8, with an error at
    /// the line and column (in bytes) of its first bad byte, where a note's would be reported.
    func text(of data: Data) -> String? {
        if let text = String(validUTF8: data)?.droppingByteOrderMark { return text }
        let (line, column) = ContentLoader.firstInvalidUTF8(in: data)
        diagnostics.error("file is not valid UTF-8", at: location(line: line, column: column))
        return nil
    }

    /// A mapping's entries with string keys, reporting anything else.
    func mapping(_ node: Yams.Node, what: String) -> [(key: String, value: Yams.Node)]? {
        guard let mapping = node.mapping else {
            diagnostics.error("\(what) must be a mapping of keys to values", at: location(of: node))
            return nil
        }
        return mapping.compactMap { key, value in
            guard let name = key.string else {
                diagnostics.error("\(what) keys must be strings", at: location(of: key))
                return nil
            }
            return (name, value)
        }
    }

    /// The values of a mapping that describes one `noun` (`service`, `domain`: a noun that
    /// takes "a"), by key, for the keys in `known`; nil when `node` is no mapping. Any other
    /// key is a warning ("unknown service key 'nmae' (did you mean 'name'?)"), each of
    /// `required` that is missing an error at the mapping.
    func fields(of node: Yams.Node, noun: String, known: [String], required: [String]) -> [String: Yams.Node]? {
        guard let entries = mapping(node, what: "a \(noun)") else { return nil }
        var values: [String: Yams.Node] = [:]
        for (key, value) in entries {
            if known.contains(key) {
                values[key] = value
            } else {
                diagnostics.warning("unknown \(noun) key '\(key)' (\(Suggestion.hint(for: key, among: known)))", at: location(of: value))
            }
        }
        for key in required where values[key] == nil {
            diagnostics.error("\(noun) is missing '\(key)'", at: location(of: node))
        }
        return values
    }

    func string(_ node: Yams.Node, key: String) -> String? {
        if let scalar = node.scalar, !Self.isNull(scalar) { return scalar.string }
        diagnostics.error("'\(key)' must be text", at: location(of: node))
        return nil
    }

    /// True for a null: tagged `!!null`, or untagged and plain (quoted text is tagged as
    /// text) and one of YAML 1.1's spellings of null, `~`, `null`, `Null`, `NULL` or nothing:
    /// the texts Yams's null rule matches.
    private static func isNull(_ scalar: Yams.Node.Scalar) -> Bool {
        switch scalar.tag.rawValue {
        case Tag.Name.null.rawValue: true
        case Tag.Name.implicit.rawValue: ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        default: false
        }
    }

    func strings(_ node: Yams.Node, key: String) -> [String]? {
        if let scalar = node.scalar { return [scalar.string] }
        guard let sequence = node.sequence else {
            diagnostics.error("'\(key)' must be a list of text values", at: location(of: node))
            return nil
        }
        return sequence.compactMap { string($0, key: key) }
    }

    func int(_ node: Yams.Node, key: String) -> Int? {
        if let value = node.int { return value }
        diagnostics.error("'\(key)' must be a whole number", at: location(of: node))
        return nil
    }

    func bool(_ node: Yams.Node, key: String) -> Bool? {
        if let value = node.bool { return value }
        diagnostics.error("'\(key)' must be true or false", at: location(of: node))
        return nil
    }

    /// Where libyaml found the problem in `text`; for a construct left open (`[a`, `{a`, a
    /// quote), found only at the end of the text, where it opened (libyaml's context mark):
    /// at the end of front matter, that is the closing `---` line, one line late or more. A
    /// `[` or `{` left open before more keys fails on the next key's line (a flow collection
    /// reads on across lines): one that fails on a later line than it opened on is reported
    /// where it opened too.
    private func location(of error: YamlError, in text: String) -> SourceLocation {
        switch error {
        case let .scanner(context, _, mark, _), let .parser(context, _, mark, _), let .composer(context, _, mark, _):
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count - (text.hasSuffix("\n") ? 1 : 0)
            if let context, mark.line > lines, context.mark.line <= lines {
                return location(line: context.mark.line, column: context.mark.column)
            }
            if let context, context.text.hasPrefix("while parsing a flow"), context.mark.line < mark.line {
                return location(line: context.mark.line, column: context.mark.column)
            }
            return location(line: mark.line, column: mark.column)
        default:
            return location()
        }
    }

    /// Reports each repeat of the keys `names` at its own line. Yams names the repeated keys
    /// of the first mapping that has any and marks only one of them, at its first
    /// occurrence (`line`, `column`, 1-based); the mapping's other keys are the lines whose
    /// key starts in the same column, from where that column's block begins to where a line
    /// starts left of it. A flow mapping (`{a: 1, a: 2}`) has no such lines: its repeat is
    /// reported where Yams marked it.
    private func reportDuplicates(of names: [String], nearLine line: Int, column: Int, in text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        /// The 1-based column of a line's first character other than spaces, and that of the
        /// text after its `- ` sequence markers (the same when it has none); nil when blank.
        func columns(_ line: String) -> (first: Int, key: Int)? {
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            guard let first = rest.first, first != "#" else { return nil }
            var key = rest[...]
            while key.hasPrefix("- ") { key = key.dropFirst(2).drop { $0 == " " } }
            return (indent + 1, line.count - key.count + 1)
        }
        guard line >= 1, line <= lines.count else {
            diagnostics.error("invalid YAML: duplicate keys \(names.joined(separator: ", "))", at: location(line: line, column: column))
            return
        }
        var start = line
        if let own = columns(lines[line - 1]), own.first == column {
            while start > 1 {
                guard let above = columns(lines[start - 2]) else { start -= 1; continue }
                if above.first < column { if above.key == column { start -= 1 }; break }
                start -= 1
            }
        }
        var end = line
        while end < lines.count {
            if let below = columns(lines[end]), below.first < column { break }
            end += 1
        }
        var seen: [String: Int] = [:]
        var reported = false
        for number in start...end {
            guard let at = columns(lines[number - 1]), at.key == column else { continue }
            let key = String(lines[number - 1].dropFirst(column - 1))
            guard let name = names.first(where: { name in
                [name, "\"\(name)\"", "'\(name)'"].contains { key.hasPrefix($0 + ":") }
            }) else { continue }
            if let first = seen[name] {
                diagnostics.error("invalid YAML: duplicate key '\(name)' (first on line \(first + lineOffset))",
                                  at: location(line: number, column: column))
                reported = true
            } else {
                seen[name] = number
            }
        }
        if !reported {
            diagnostics.error("invalid YAML: duplicate keys \(names.joined(separator: ", "))", at: location(line: line, column: column))
        }
    }

    /// For libyaml's "mapping values are not allowed" on a line `key: value` whose plain value
    /// holds ": " (`title: Lambda: limits`), which YAML reads as a second key: the advice to
    /// quote the value, with the line so written (`title: "Lambda: limits"`). Nil for any
    /// other error or line.
    private static func quotingHint(for error: YamlError, in text: String) -> String? {
        guard case let .scanner(_, problem, mark, _) = error, problem.hasPrefix("mapping values are not allowed") else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let line = lines[mark.line - 1].trimming(.whitespacesAndNewlines)
        guard let colon = line.range(of: ": ") else { return nil }
        let value = line[colon.upperBound...].trimming(.whitespaces)
        guard value.contains(": "), let first = value.first, !"\"'[{|>".contains(first) else { return nil }
        let quoted = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "a value that holds \": \" must be quoted: \(line[..<colon.upperBound])\"\(quoted)\""
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _),
             let .composer(context, problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default:
            return "\(error)"
        }
    }
}
