import Foundation

/// Anki's cloze markup, `{{c1::text}}` and `{{c1::text::hint}}`, and Syllabus's `==text==`.
public enum Cloze {
    public struct Deletion: Equatable, Sendable {
        public var number: Int
        public var text: String
        public var hint: String?
    }

    public struct Scan: Equatable {
        public var deletions: [Deletion] = []
        public var problems: [String] = []
    }

    /// Finds every deletion in `text` and describes markup that Anki would not read.
    public static func scan(_ text: String) -> Scan {
        var scan = Scan()
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            let afterOpen = rest[open.upperBound...]
            guard afterOpen.hasPrefix("c") else { rest = afterOpen; continue }
            guard let close = afterOpen.range(of: "}}") else {
                scan.problems.append("'{{' is never closed with '}}'")
                break
            }
            let body = afterOpen[..<close.lowerBound]
            rest = afterOpen[close.upperBound...]
            let parts = body.components(separatedBy: "::")
            guard parts.count >= 2, let number = Int(parts[0].dropFirst()), number > 0 else {
                scan.problems.append("'{{\(body)}}' is not a cloze deletion like {{c1::text}}")
                continue
            }
            let answer = parts[1]
            guard !answer.trimmingCharacters(in: .whitespaces).isEmpty else {
                scan.problems.append("'{{\(body)}}' deletes nothing")
                continue
            }
            guard parts.count <= 3 else {
                scan.problems.append("'{{\(body)}}' has more than one hint")
                continue
            }
            scan.deletions.append(Deletion(number: number, text: answer, hint: parts.count == 3 ? parts[2] : nil))
        }
        return scan
    }

    /// Turns each `==text==` into the next numbered deletion after `firstNumber - 1`.
    public static func expandHighlights(_ text: String, firstNumber: Int) -> (text: String, count: Int) {
        var result = ""
        var rest = Substring(text)
        var number = firstNumber
        while let open = rest.range(of: "=="),
              let close = rest[open.upperBound...].range(of: "=="),
              !rest[open.upperBound..<close.lowerBound].isEmpty {
            result += rest[..<open.lowerBound]
            result += "{{c\(number)::\(rest[open.upperBound..<close.lowerBound])}}"
            number += 1
            rest = rest[close.upperBound...]
        }
        result += rest
        return (result, number - firstNumber)
    }

    /// A rendered front as a question: each deletion a `<span class="cloze">[…]</span>` blank.
    public static func question(_ html: String) -> String {
        render(html, reveal: false) { "<span class=\"cloze\">\($0)</span>" }
    }

    /// A rendered front with its deletions filled in, each marked `<mark class="cloze">`.
    public static func revealed(_ html: String) -> String {
        render(html, reveal: true) { "<mark class=\"cloze\">\($0)</mark>" }
    }

    /// Replaces deletions in rendered HTML: with `[…]` (or `[hint]`) blanks when hidden, with
    /// the deleted text when revealed. `wrap` marks the replaced part up.
    public static func render(_ html: String, reveal: Bool, wrap: (String) -> String = { $0 }) -> String {
        var result = ""
        var rest = Substring(html)
        while let open = rest.range(of: "{{c"), let close = rest[open.upperBound...].range(of: "}}") {
            let body = rest[open.upperBound..<close.lowerBound]
            let parts = body.components(separatedBy: "::")
            result += rest[..<open.lowerBound]
            if parts.count >= 2, Int(parts[0]) != nil {
                let shown = reveal ? parts[1] : "[\(parts.count == 3 ? parts[2] : "…")]"
                result += wrap(shown)
            } else {
                result += rest[open.lowerBound..<close.upperBound]
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }
}
