import Foundation
import Mustache

/// The mustache templates of a theme folder (`Templates/` or `--templates DIR`), loaded once.
public struct TemplateSet: Sendable {
    /// The theme folder the templates were read from.
    let folder: URL
    let library: MustacheLibrary
    /// Hash of every file of the folder (templates, stylesheets, assets), for output keys.
    let key: String
    /// Hash of every file of the folder but those of `assets/`, which are copied as they are
    /// and which no template reads: the key of the theme for the site's pages, so a save of a
    /// stylesheet or script (on `serve`) copies that file and makes no page again.
    let pagesKey: String
    /// Each template's text by name (`note`, `partials/card`), for `key(of:files:)`.
    private let texts: [String: String]
    /// Misspelt `{{names}}`, found on each template's first rendering.
    let variables: TemplateVariableCheck

    /// Why a theme cannot be used; `description` is the line the CLI prints.
    public enum Failure: Error, CustomStringConvertible {
        /// The folder is not there; the message says so and how to name another.
        case unreadable(String)
        /// A template a renderer needs (its name, without `.mustache`) is not in `folder`.
        case missing(String, folder: String)
        /// A template that does not parse, with its place and what is wrong, as a diagnostic line.
        case syntax(file: String, line: Int, column: Int, problem: String)

        /// `file:line:column: error: …` for syntax errors, else one sentence naming the folder.
        public var description: String {
            switch self {
            case .unreadable(let message): return message
            case let .syntax(file, line, column, problem): return "\(file):\(line):\(column): error: \(problem)"
            case let .missing(name, folder): return "\(folder): template '\(name).mustache' is missing"
            }
        }

        /// The line a terminal shows: a syntax error is a diagnostic line already
        /// (`file:line:column: error: …`); the others get `error: ` before their sentence.
        public var line: String {
            if case .syntax = self { return description }
            return "error: \(description)"
        }
    }

    /// Loads the `*.mustache` templates of `folder` and hashes every file there for output keys.
    /// - Throws: `Failure.unreadable` when `folder` is missing, `Failure.syntax` (file, line,
    ///   column) for a template that does not parse, and swift-mustache's own errors for a
    ///   folder it cannot read.
    static func load(from folder: URL) async throws -> TemplateSet {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw Failure.unreadable("\(Self.displayPath(folder)): templates folder not found; name a theme with --templates "
                                     + "(the default one is Templates/ in the Syllabus repository) or start a study set with syllabus init, which copies it")
        }
        MustacheContentTypes.register(FastHTMLContentType(), named: "HTML")
        do {
            let library = try await MustacheLibrary(directory: folder.path)
            var texts: [String: String] = [:]
            for path in DirectoryWalker.files(under: folder.standardizedFileURL.path) where path.hasSuffix(".mustache") {
                texts[String(path.dropLast(".mustache".count))] = try? String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            }
            let variables = TemplateVariableCheck(texts: texts) { Self.displayPath(folder.appendingPathComponent($0 + ".mustache")) }
            let keys = keys(of: folder)
            return TemplateSet(folder: folder, library: library, key: keys.all, pagesKey: keys.pages, texts: texts, variables: variables)
        } catch let error as MustacheLibrary.ParserError {
            let url = folder.appendingPathComponent(error.filename)
            let file = Self.displayPath(url)
            // swift-mustache notices an unclosed section at the end of the file; the place to
            // fix is where it opens.
            if case .expectedSectionEnd = error.error as? MustacheTemplate.Error,
               let text = try? String(contentsOf: url, encoding: .utf8), let open = Self.unclosedSection(in: text) {
                throw Failure.syntax(file: file, line: open.line, column: open.column,
                                     problem: "the section {{\(open.tag)}} is never closed with {{/\(open.name)}}")
            }
            let context = error.context.line.trimmingCharacters(in: .whitespaces)
            throw Failure.syntax(file: file, line: error.context.lineNumber, column: error.context.columnNumber,
                                 problem: Self.explain(error.error) + (context.isEmpty ? "" : ": \(context)"))
        }
    }

    /// The innermost section tag (`{{#name}}`, `{{^name}}`, `{{$name}}`, `{{<name}}`) that
    /// `text` leaves open, with its 1-based line and column (in characters, as swift-mustache
    /// counts them) and its name. Nil when every section closes, a close does not match the
    /// last open (another error), or the template changes its delimiters (`{{=… …=}}`).
    static func unclosedSection(in text: String) -> (tag: String, name: String, line: Int, column: Int)? {
        var open: [(tag: String, name: String, line: Int, column: Int)] = []
        var line = 1, column = 1
        var index = text.startIndex
        func advance(to end: String.Index) {
            while index < end {
                if text[index] == "\n" { line += 1; column = 1 } else { column += 1 }
                index = text.index(after: index)
            }
        }
        while let start = text.range(of: "{{", range: index..<text.endIndex) {
            advance(to: start.lowerBound)
            let (tagLine, tagColumn) = (line, column)
            let triple = text[start.upperBound...].hasPrefix("{")
            guard let end = text.range(of: triple ? "}}}" : "}}", range: start.upperBound..<text.endIndex) else { return nil }
            let inner = text[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            advance(to: end.upperBound)
            guard !triple, let sigil = inner.first else { continue }
            let name = inner.dropFirst().trimmingCharacters(in: .whitespaces)
            switch sigil {
            case "=": return nil
            case "#", "^", "$", "<": open.append((tag: inner, name: name, line: tagLine, column: tagColumn))
            case "/":
                guard open.last?.name == name else { return nil }
                open.removeLast()
            default: continue
            }
        }
        return open.last
    }

    /// What swift-mustache's parser error means, in words.
    static func explain(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "the template cannot be read (\(error))" }
        switch error {
        case .sectionCloseNameIncorrect: return "this {{/…}} closes a section other than the one opened last"
        case .unfinishedName: return "a tag is not closed: '{{' without its '}}', or a name with a space in it"
        case .expectedSectionEnd: return "a section opened with {{#…}} or {{^…}} is never closed with {{/…}}"
        case .invalidSetDelimiter: return "the delimiter change {{=… …=}} is malformed"
        case .transformAppliedToInheritanceSection: return "a transform cannot apply to an inherited block"
        case .illegalTokenInsideInheritSection: return "only {{$…}} blocks may appear inside a {{<…}} partial"
        case .textInsideInheritSection: return "only {{$…}} blocks may appear inside a {{<…}} partial, not text"
        case .invalidConfigVariableSyntax: return "a {{% …}} pragma is malformed (expected {{% NAME: value}})"
        case .unrecognisedConfigVariable: return "unknown {{% …}} pragma (known: CONTENT_TYPE)"
        }
    }

    /// A hash of every file below `folder`, paths and bytes.
    static func key(of folder: URL) -> String {
        keys(of: folder).all
    }

    /// `all`: see `key(of:)`; `pages`: the same without the files of `assets/` (see `pagesKey`).
    /// Each file is read once.
    static func keys(of folder: URL) -> (all: String, pages: String) {
        var all = CacheKeyHasher(), pages = CacheKeyHasher()
        for path in DirectoryWalker.files(under: folder.standardizedFileURL.path) {
            let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) ?? Data()
            all.add(path)
            all.add(data)
            guard !path.hasPrefix("assets/") else { continue }
            pages.add(path)
            pages.add(data)
        }
        return (all.hex, pages.hex)
    }

    /// A hash of the templates `names` (without `.mustache`), of every template they include
    /// (`{{> name}}`, `{{< name}}`, at any depth) and of the theme's `files` (paths in the
    /// folder): the key of what an output that renders only those templates and reads only
    /// those files takes from the theme, so an edit of another template does not make it
    /// again. `key` (every file) when a template it reads changes its delimiters (`{{=…=}}`)
    /// or names a partial dynamically (`{{>*…}}`), which hides what it includes.
    func key(of names: [String], files: [String]) -> String {
        guard let read = templatesRead(by: names) else { return key }
        var hasher = CacheKeyHasher()
        for name in read.sorted() {
            hasher.add(name)
            // A missing template renders as nothing; one added later changes the key.
            hasher.add(texts[name].map { "+" + $0 } ?? "-")
        }
        for file in files.sorted() {
            hasher.add(file)
            hasher.add(FileManager.default.contents(atPath: folder.appendingPathComponent(file).path) ?? Data())
        }
        return hasher.hex
    }

    /// The templates `names` (without `.mustache`) and every template they include (`{{> name}}`,
    /// `{{< name}}`, at any depth); nil when one of them changes its delimiters (`{{=…=}}`) or
    /// names a partial dynamically (`{{>*…}}`), which hides what it includes.
    func templatesRead(by names: [String]) -> Set<String>? {
        var read = Set<String>()
        var pending = names
        while let name = pending.popLast() {
            guard read.insert(name).inserted, let text = texts[name] else { continue }
            if text.contains("{{=") { return nil }
            guard let included = Self.included(in: text) else { return nil }
            pending += included
        }
        return read
    }

    /// The names of the partials `text` includes (`{{> name}}`, `{{< name}}`, spaces allowed
    /// inside the braces); nil when one is dynamic (`{{>*name}}`).
    static func included(in text: String) -> [String]? {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let tag = rest.drop { $0 == " " || $0 == "\t" }
            guard let sigil = tag.first, sigil == ">" || sigil == "<" else { continue }
            guard let close = tag.range(of: "}}") else { break }
            let name = tag[tag.index(after: tag.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("*") { return nil }
            names.append(name)
            rest = tag[close.upperBound...]
        }
        return names
    }

    /// Whether the templates `names` and those they include (see `templatesRead`) can be
    /// known and none holds `text` anywhere.
    func templatesRead(by names: [String], lack text: String) -> Bool {
        guard let read = templatesRead(by: names) else { return false }
        return read.allSatisfy { texts[$0]?.contains(text) != true }
    }

    /// Checks that every template in `names` (without `.mustache`) is loaded.
    /// - Throws: `Failure.missing` for the first one that is not.
    func require(_ names: [String]) throws {
        for name in names where library.getTemplate(named: name) == nil {
            throw Failure.missing(name, folder: Self.displayPath(folder))
        }
    }

    /// A theme's file or folder as every diagnostic names files: relative to the working
    /// directory when inside it, else absolute (see `SourceLocation.displayPath`).
    static func displayPath(_ url: URL) -> String {
        SourceLocation.displayPath(url.standardizedFileURL.path)
    }

    /// Renders template `name` with `context` (Mustache: `{{x}}` HTML-escaped, `{{{x}}}` raw).
    /// An unknown name renders as ""; a `{{name}}` the context does not fill is noted for
    /// the misspelling warning.
    func render(_ name: String, _ context: [String: Any]) -> String {
        variables.check(name, context)
        return library.render(context, withTemplate: name) ?? ""
    }

    /// Notes, as `render` does, each `{{name}}` of template `name` that `context` does not fill,
    /// for a page kept from the last build without rendering it.
    func check(_ name: String, _ context: [String: Any]) {
        variables.check(name, context)
    }

    /// Warns about each `{{name}}` in the templates rendered so far that no value filled.
    func reportUnknownVariables(into diagnostics: DiagnosticLog) {
        variables.report(into: diagnostics)
    }

    /// Files of `assets/`, as output files under `prefix`.
    func assets(into prefix: String) throws -> [OutputFile] {
        let root = folder.appendingPathComponent("assets")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles]) else { return [] }
        var files: [OutputFile] = []
        let base = root.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count))
            files.append(OutputFile(path: "\(prefix)/\(relative)", contents: try Data(contentsOf: url)))
        }
        return files.sorted { $0.path < $1.path }
    }
}

/// The same escaping as swift-mustache's HTML content type, over bytes: its own walks the
/// text Character by Character with a dictionary lookup each, which showed in the profile of
/// a large site's build (Benchmarks/README.md has the figure). Registered under the name the default templates' `{{% CONTENT_TYPE: HTML}}`
/// pragma asks for; a template without the pragma gets the library's (same output).
struct FastHTMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        func isMarkup(_ byte: UInt8) -> Bool { byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 }
        guard text.utf8.withContiguousStorageIfAvailable({ $0.contains(where: isMarkup) }) ?? text.utf8.contains(where: isMarkup)
        else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case 0x26: bytes += Array("&amp;".utf8)
            case 0x3C: bytes += Array("&lt;".utf8)
            case 0x3E: bytes += Array("&gt;".utf8)
            case 0x22: bytes += Array("&quot;".utf8)
            case 0x27: bytes += Array("&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
