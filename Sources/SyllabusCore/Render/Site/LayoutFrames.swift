import Foundation
import Mustache

/// The site's layout template rendered once for all the pages that give it the same values
/// but their own title and body (every note page of the site: the same root, site title,
/// language and menu): the text between the places where those values go, and how each place
/// shows its value (as it is, or escaped). A page is then that text with its values put in,
/// not a rendering of the layout and its partials, whose lookups of `Any` values were a tenth
/// of the site's time.
///
/// The layout is rendered with a marker in place of each value. A marker is a non-empty
/// string that every text transform swift-mustache offers (`uppercased`, `lowercased`,
/// `capitalized`, `reversed`) changes, that its two HTML escapings (its own, by Character,
/// in templates without a `{{% CONTENT_TYPE: HTML}}` pragma, and `FastHTMLContentType`, by
/// byte) change differently, and whose characters from the Private Use Area mark any trace
/// of it. A frame is kept only when the rendering holds each marker in one of its three
/// forms and no other trace of one: then the layout showed those values only as they are or
/// escaped, which for any non-empty value gives the same bytes as rendering it. A marker ends
/// with a line feed exactly when its value does, since an indented partial indents what
/// follows a line feed. A layout that names partials dynamically (`{{>*name}}`, which could
/// take a value as a template's name) or changes its delimiters is never framed.
final class LayoutFrames: @unchecked Sendable {
    /// Text pieces (UTF-8) around value slots: `pieces[0]`, slot 0, `pieces[1]`, …, `pieces.last`.
    struct Frame {
        /// How a slot shows its value.
        enum Form { case raw, escaped, characterEscaped }
        var pieces: [[UInt8]]
        /// Each slot's value (an index into the values given to `fill`) and form.
        var slots: [(value: Int, form: Form)]

        /// The page's bytes: the pieces with `values` in their slots.
        func fill(_ values: [String]) -> Data {
            let shown = slots.map { slot -> String in
                let value = values[slot.value]
                switch slot.form {
                case .raw: return value
                case .escaped: return FastHTMLContentType().escapeText(value)
                case .characterEscaped: return LayoutFrames.characterEscape(value)
                }
            }
            var data = Data(capacity: pieces.reduce(0) { $0 + $1.count } + shown.reduce(0) { $0 + $1.utf8.count })
            for (index, piece) in pieces.enumerated() {
                data.append(contentsOf: piece)
                if index < shown.count { data.append(contentsOf: shown[index].utf8) }
            }
            return data
        }
    }

    private let lock = NSLock()
    /// Frames by the key of what the layout was given besides the values; nil: not framable.
    private var frames: [String: Frame?] = [:]
    /// Whether the layout may be framed at all (see the type's description).
    private let allowed: Bool

    /// `allowed`: false when the layout or a partial it includes names a partial dynamically
    /// or changes its delimiters.
    init(allowed: Bool) {
        self.allowed = allowed
    }

    /// The page for `values` (each non-empty; not a lone line feed) with everything else the
    /// layout is given keyed by `key`, or nil when the layout cannot be framed for them.
    /// `render` renders the layout with the given strings in place of `values`.
    func page(key: String, values: [String], render: ([String]) -> String) -> Data? {
        guard allowed, values.allSatisfy({ !$0.isEmpty && $0 != "\n" }) else { return nil }
        let endsLine = values.map { $0.last == "\n" }
        let fullKey = key + "/" + endsLine.map { $0 ? "1" : "0" }.joined()
        if let known = lock.withLock({ frames[fullKey] }) { return known?.fill(values) }
        let markers = endsLine.indices.map { Self.marker($0, endsLine: endsLine[$0]) }
        let frame = Self.frame(of: render(markers), markers: markers)
        lock.withLock { frames[fullKey] = .some(frame) }
        return frame?.fill(values)
    }

    /// The key of what `context` gives the layout besides the values named `except`: its
    /// names and values, in name order. nil when one of them is neither a string nor a flag.
    static func key(_ context: [String: Any], except: [String]) -> String? {
        var key = ""
        for name in context.keys.sorted() where !except.contains(name) {
            switch context[name] {
            case let text as String: key += "\(name.utf8.count):\(name)=\(text.utf8.count):\(text)"
            case let flag as Bool: key += "\(name.utf8.count):\(name)?\(flag)"
            default: return nil
            }
        }
        return key
    }

    /// A template's context taken apart for framing: `key` names everything but its strings
    /// (its names, flags, numbers, how many items each list has, which strings are empty or a
    /// lone line feed, which it shows as they are), `values` holds the other strings in the
    /// order met, and `marked` gives the context with the given strings in their places.
    struct Shape {
        var key: String
        var values: [String]
        var marked: ([String]) -> [String: Any]
    }

    /// `context` taken apart (see `Shape`): contexts of one key differ only in strings that a
    /// template shows (a string is a true section whatever it holds; a number, which a
    /// transform may count with, is in the key). nil when it holds a value of another kind.
    /// A template that sorts a list (`sorted(…)`, which orders strings by what they hold) must
    /// not be framed (see `SiteRenderer`).
    static func shape(of context: [String: Any]) -> Shape? {
        var key = "", values: [String] = []
        guard walk(context, key: &key, values: &values, markers: nil) != nil else { return nil }
        return Shape(key: key, values: values) { markers in
            var key = "", values: [String] = []
            return walk(context, key: &key, values: &values, markers: markers) as? [String: Any] ?? [:]
        }
    }

    /// Adds `value`'s part of a shape's key and its strings to `key` and `values`; returns it
    /// with `markers` in place of those strings (as it is without markers).
    private static func walk(_ value: Any, key: inout String, values: inout [String], markers: [String]?) -> Any? {
        switch value {
        case let text as String:
            guard !text.isEmpty, text != "\n" else {
                key += "\"\(text.utf8.count):\(text)"
                return text
            }
            key += "$"
            values.append(text)
            return markers.map { $0[values.count - 1] } ?? text
        case let flag as Bool:
            key += flag ? "T" : "F"
            return flag
        case let number as Int:
            key += "#\(number);"
            return number
        case let object as [String: Any]:
            key += "{"
            var marked: [String: Any] = [:]
            for name in object.keys.sorted() {
                key += "\(name.utf8.count):\(name)"
                guard let item = walk(object[name]!, key: &key, values: &values, markers: markers) else { return nil }
                marked[name] = item
            }
            key += "}"
            return marked
        case let list as [Any]:
            // A list keeps its type (an empty one as it is): a template's transforms see it.
            key += "[\(list.count):"
            defer { key += "]" }
            if list.isEmpty { return value }
            if let strings = value as? [String] {
                var marked: [String] = []
                for text in strings {
                    guard let item = walk(text, key: &key, values: &values, markers: markers) as? String else { return nil }
                    marked.append(item)
                }
                return marked
            }
            guard let objects = value as? [[String: Any]] else { return nil }
            var marked: [[String: Any]] = []
            for object in objects {
                guard let item = walk(object, key: &key, values: &values, markers: markers) as? [String: Any] else { return nil }
                marked.append(item)
            }
            return marked
        default:
            return nil
        }
    }

    /// Value `index`'s marker: see the type's description.
    static func marker(_ index: Int, endsLine: Bool) -> String {
        "\u{E000}\u{E001} aB &<\u{301} \(index) \u{E002}" + (endsLine ? "\n" : "")
    }

    /// The frame of `text`, a rendering with `markers` for the values; nil when a trace of a
    /// marker is left that is not one in one of its three forms. Read as UTF-8: every marker
    /// begins with U+E000 (EE 80 80) and a trace is any of U+E000…U+E002 (EE 80 80…82).
    static func frame(of text: String, markers: [String]) -> Frame? {
        var forms: [(bytes: [UInt8], value: Int, form: Frame.Form)] = []
        for (index, marker) in markers.enumerated() {
            forms.append((Array(marker.utf8), index, .raw))
            forms.append((Array(FastHTMLContentType().escapeText(marker).utf8), index, .escaped))
            forms.append((Array(characterEscape(marker).utf8), index, .characterEscaped))
        }
        let bytes = Array(text.utf8)
        func isTrace(_ index: Int) -> Bool {
            index + 2 < bytes.count && bytes[index] == 0xEE && bytes[index + 1] == 0x80 && (0x80...0x82).contains(bytes[index + 2])
        }
        var pieces: [[UInt8]] = []
        var slots: [(value: Int, form: Frame.Form)] = []
        var pieceStart = 0, index = 0
        while index < bytes.count {
            guard isTrace(index) else { index += 1; continue }
            guard let found = forms.first(where: { bytes[index...].starts(with: $0.bytes) }) else { return nil }
            pieces.append(Array(bytes[pieceStart..<index]))
            slots.append((found.value, found.form))
            index += found.bytes.count
            pieceStart = index
        }
        pieces.append(Array(bytes[pieceStart...]))
        return Frame(pieces: pieces, slots: slots)
    }

    /// swift-mustache's own HTML escaping (its `HTMLContentType`, which templates without a
    /// content type pragma and partials get): the five markup Characters as entities,
    /// Character by Character, so a `<` with a combining mark on it stays as it is.
    static func characterEscape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
