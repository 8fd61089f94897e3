import Foundation

/// Gathers the back-of-book index: headings of notes, bold terms, cloze answers, service names.
struct TermCollector {
    private struct Entry {
        var text: String
        var places: [TermPlace] = []
        var see: String?
        /// Pages (or service pages) already listed: an index names each page once, at the first place.
        var seen: Set<String> = []

        /// Lists `place` unless its page is listed already.
        mutating func add(_ place: TermPlace) {
            if seen.insert(place.pageKey).inserted { places.append(place) }
        }
    }

    private var entries: [String: Entry] = [:]
    /// Keys in first-seen order, so merging is deterministic.
    private var order: [String] = []
    /// Left off a term's start: not a full stop, which begins names (".NET", ".ebextensions").
    private static let leading = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ":,;"))
    /// Left off its end: what a label ends with ("Note:", "ADD—", "limits.").
    private static let trailing = CharacterSet.whitespacesAndNewlines.union(CharacterSet(charactersIn: ":.,;\u{2014}\u{2013}"))

    /// `text` without the `leading` characters at its start and the `trailing` ones at its end.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, leading.contains(scalars[start]) { scalars.formIndex(after: &start) }
        while end > start, trailing.contains(scalars[scalars.index(before: end)]) { scalars.formIndex(before: &end) }
        return start == scalars.startIndex && end == scalars.endIndex ? text : String(scalars[start..<end])
    }

    /// `text` as the index lists it: trimmed, with its key (the trimmed text lowercased); nil
    /// when it is too short or too long for an entry or no reader would look it up (see
    /// `isLookedUp`).
    static func indexed(_ text: String) -> IndexedTerm? {
        let trimmed = Self.trimmed(text)
        guard (2...80).contains(trimmed.count) else { return nil }
        let key = trimmed.lowercased()
        guard Self.isLookedUp(trimmed, lowercased: key) else { return nil }
        return IndexedTerm(text: trimmed, key: key)
    }

    mutating func add(_ text: String, _ place: TermPlace) {
        if let term = Self.indexed(text) { add(term, place) }
    }

    /// Lists `place` under `term`, as `indexed` made it.
    mutating func add(_ term: IndexedTerm, _ place: TermPlace) {
        let known = entries.count
        // Changed in place, found once: copying the entry out and back would copy its places.
        entries[term.key, default: Entry(text: term.text)].add(place)
        if entries.count > known { order.append(term.key) }
    }

    /// Whether the index has an entry for `text` (as `indexed` lists it).
    func hasEntry(_ text: String) -> Bool {
        Self.indexed(text).map { entries[$0.key] != nil } ?? false
    }

    /// Adds `text` as another name for the entry `main` ("Lambda": see "AWS Lambda").
    mutating func add(_ text: String, see main: String) {
        let key = text.lowercased()
        if entries[key] == nil {
            entries[key] = Entry(text: text)
            order.append(key)
        }
        if entries[key]!.see == nil { entries[key]!.see = main }
    }

    /// Whether a reader would look `text` up: not a bare quantity ("429", "4 KB", "15
    /// minutes"), not a stated fact ("once, as root, at first boot") or a sentence ("SSE-C is
    /// blocked by default"), not
    /// a word bolded for emphasis or a caption ("not", "True", "OK", "Example"), not a label
    /// wholly in brackets, not a legal notice, not a short value or variable that reads as no
    /// word ("On", "m1"), not a formula or key ("^A"), not a key chord ("Ctrl+C"), not a file
    /// name ("App.java"), not a sample's generated ID and not a literal to type or a condition
    /// to set ("\"World has been updated!\"", "Status = Failed") (see `isStatement`, `isSentence`,
    /// `isBracketed`, `isNotice`, `isWordLike`, `isExpression`, `isKeyChord`, `isFileName`,
    /// `isGeneratedID`, `isLiteral`).
    /// `lowercased` is `text.lowercased()`.
    static func isLookedUp(_ text: String, lowercased: String) -> Bool {
        let isQuantity: Bool
        // Nearly every term is ASCII, read here byte by byte: Character's Unicode properties
        // (`isLetter`, `isWhitespace`) and Foundation's `contains` showed in the profile of a
        // full build.
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        if ascii {
            guard text.utf8.contains(where: { $0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A }) else { return false }
            isQuantity = isQuantityASCII(text.utf8)
        } else {
            guard text.contains(where: \.isLetter), !lowercased.unicodeScalars.contains("\u{A9}") else { return false }
            let words = text.split(whereSeparator: \.isWhitespace)
            isQuantity = words.count <= 2 && words.first?.allSatisfy(isQuantityCharacter) == true
        }
        return !isQuantity && !emphasisWords.contains(lowercased) && !isBracketed(text.utf8) && !isNotice(lowercased.utf8)
            && isWordLike(text) && !isExpression(text.utf8) && !isKeyChord(lowercased) && !isStatement(lowercased, ascii: ascii)
            && !isSentence(text, lowercased: lowercased, ascii: ascii)
            && !isFileName(text, ascii: ascii) && !isGeneratedID(text, ascii: ascii) && !isLiteral(text, ascii: ascii)
            && !isARN(lowercased)
    }

    /// An Amazon Resource Name: "arn:" and at least four more colons between partition,
    /// service, Region, account and resource ("arn:aws:lambda:us-east-1:123456789012:function:F",
    /// "arn:aws:execute-api:*:*:*"). A sample's address, which a guide bolds as the value to
    /// enter, not a term. `lowercased` is the text lowercased.
    private static func isARN(_ lowercased: String) -> Bool {
        lowercased.utf8.starts(with: "arn:".utf8) && lowercased.utf8.lazy.filter { $0 == UInt8(ascii: ":") }.count >= 5
    }

    /// Whether a heading's or bold text's `text` (trimmed) is a path from a root written as
    /// prose: a resource of an API as a console's tree shows it ("/pets/{petId}", "/calc"), or
    /// the title of its pane ("/pets - GET - Setup"). What a procedure has the reader choose, not
    /// a term. Written as code ("**`/aws/reference/secretsmanager/<name>`**", a heading
    /// "`/tmp`") or hidden in a cloze, a path is a name the author means to index, and stays.
    static func isPathAsProse(_ node: Node, text: String) -> Bool {
        text.utf8.first == UInt8(ascii: "/") && node.firstChild?.kind != .code
    }

    /// Whether ASCII text holds the characters `pattern` (ASCII, neither CR nor LF), read byte
    /// by byte: in ASCII every byte is a character of its own but CR LF, which such a pattern
    /// never matches a part of, so this is what Foundation's `contains` finds, without
    /// bridging the text to an NSString for each term (which showed in the profile).
    private static func holdsASCII(_ utf8: String.UTF8View, _ pattern: StaticString) -> Bool {
        let bytes = UnsafeBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        guard let first = bytes.first, utf8.count >= bytes.count else { return false }
        var index = utf8.startIndex
        while let found = utf8[index...].firstIndex(of: first) {
            if utf8[found...].starts(with: bytes) { return true }
            index = utf8.index(after: found)
        }
        return false
    }

    /// Text wholly in double quotes (a value the reader is told to type: a guide's
    /// "**\"World has been updated!\"**") or holding " =" (a condition or setting spelled out,
    /// "**Status =**" before a choice, "Type = TaskFailed"); `isExpression` reads such text
    /// without spaces.
    /// `ascii`: the text is ASCII (see `holdsASCII`).
    private static func isLiteral(_ text: String, ascii: Bool) -> Bool {
        let quoted = (text.hasPrefix("\"") && text.hasSuffix("\"")) || (text.hasPrefix("\u{201C}") && text.hasSuffix("\u{201D}"))
        return (quoted && text.count > 1) || (ascii ? holdsASCII(text.utf8, " =") : text.contains(" ="))
    }

    /// Extensions of source code, text, picture and archive files, lowercased: a bolded file
    /// of a sample ("**SpringExample.java**") is something to open, not to look up. Not those
    /// of configuration files, which are what a guide teaches ("buildspec.yml", "appspec.yml",
    /// "Dockerrun.aws.json"). `.js` is read apart, since it also ends names ("Node.js").
    private static let fileExtensions: Set<Substring> = [
        "java", "py", "cs", "go", "ts", "rb", "php", "kt", "scala", "swift", "c", "cpp", "sh", "txt", "csv", "log",
        "png", "jpg", "zip", "jar", "html",
    ]

    /// One word (no space) whose text after its last dot is a file extension, with a name
    /// before the dot: "TextMessageSender.java", "template.yaml", "index.js" (lowercase before
    /// `.js`: "Node.js" and "Vue.js" are names). ".NET" and ".ebextensions" have no name, and a
    /// path or glob ("ebextensions/*.config") names a place. `ascii`: the text is ASCII, read
    /// byte by byte.
    private static func isFileName(_ text: String, ascii: Bool) -> Bool {
        let hasSpaceOrPath = ascii ? text.utf8.contains { $0 == 0x20 || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "*") }
            : text.contains { $0 == " " || $0 == "/" || $0 == "*" }
        guard !hasSpaceOrPath, let dot = text.lastIndex(of: "."), dot != text.startIndex else {
            return false
        }
        let ext = text[text.index(after: dot)...]
        if ext == "js" { return text.first?.isLowercase == true }
        return fileExtensions.contains(ext)
    }

    /// A sample resource's generated name or ID: one word with a part (between `-`, `.`, `_`
    /// or `:`) of eight characters or more where letters and digits alternate at least three
    /// times ("vpce-0ab1cdef2ghi3j456k", "…-CFQueue-1ABCDEFGH2IJK"); a version or a name with
    /// a number in it ("S3", "EC2", "v20180410") alternates less. `ascii`: the text is ASCII
    /// (see `holdsASCII`).
    private static func isGeneratedID(_ text: String, ascii: Bool) -> Bool {
        guard !(ascii ? text.utf8.contains(0x20) : text.contains(" ")) else { return false }
        // One pass over the bytes, each part's length and alternations counted as it goes.
        var length = 0, changes = 0, lastIsDigit: Bool?
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") {
                if length >= 8 && changes >= 3 { return true }
                (length, changes, lastIsDigit) = (0, 0, nil)
                continue
            }
            length += 1
            let isDigit = byte >= 0x30 && byte <= 0x39
            if let last = lastIsDigit, last != isDigit { changes += 1 }
            lastIsDigit = isDigit
        }
        return length >= 8 && changes >= 3
    }

    /// Words that begin a fact stressed in bold or hidden in a cloze ("only one KCL worker at a
    /// time") or a condition ("Whenever this alarm", a console's field), never a name.
    private static let statementOpenings: Set<Substring> = ["only", "never", "always", "not", "once", "must", "cannot", "exactly",
                                                            "whenever", "if", "unless", "because", "while"]

    /// A phrase that states something rather than names it: one with a comma between words
    /// ("once, as root, at first boot"; "1,000 per Region" is a quantity's), or three words or more opening with a stressed adverb
    /// (`statementOpenings`). `lowercased` is the text lowercased; `ascii`: it is ASCII (see
    /// `holdsASCII`).
    private static func isStatement(_ lowercased: String, ascii: Bool) -> Bool {
        guard !(ascii ? holdsASCII(lowercased.utf8, ", ") : lowercased.contains(", ")) else { return true }
        // The first word up to a space byte is seldom an opening: the words are split only
        // when it is one (a first word the split finds an opening is that word here too).
        let utf8 = lowercased.utf8
        guard let start = utf8.firstIndex(where: { $0 != 0x20 }) else { return false }
        let end = utf8[start...].firstIndex(of: 0x20) ?? utf8.endIndex
        guard statementOpenings.contains(lowercased[start..<end]) else { return false }
        let words = lowercased.split(separator: " ", maxSplits: 2)
        return words.count == 3 && statementOpenings.contains(words[0])
    }

    /// The most words an entry has: a longer text is a sentence or a section's title
    /// ("Determining the Initial Size of a Kinesis Data Stream"), not a name or a short phrase.
    private static let maximumWords = 8

    /// Verbs that make a clause of the words around them ("SSE-C is blocked by default", "the
    /// service that will use this role", "What Is a Lease Table"), lowercased, with a straight
    /// or a curly apostrophe.
    private static let clauseVerbs: Set<Substring> = {
        let verbs = ["is", "are", "was", "were", "will", "would", "can", "could", "should", "shall", "must", "does", "did",
                     "cannot", "isn't", "aren't", "wasn't", "weren't", "won't", "wouldn't", "can't", "couldn't",
                     "shouldn't", "doesn't", "don't", "didn't"]
        return Set(verbs.flatMap { [Substring($0), Substring($0.replacingOccurrences(of: "'", with: "\u{2019}"))] })
    }()
    /// The length of the longest of `clauseVerbs`, in UTF-8 bytes.
    private static let longestClauseVerb = clauseVerbs.map(\.utf8.count).max()!

    /// A sentence rather than a name: more than `maximumWords` words (runs between spaces that
    /// hold a letter or a digit, so "KCL 1.0 - 1.13" is three), a clause verb (`clauseVerbs`)
    /// after the first word ("utilization **are** not default metrics") or as a first word in
    /// lowercase (a predicate, "**cannot** update"; capitalized, "Can" or "Will" may begin a
    /// name), or a question ("What is the Kinesis Client Library?"). A full stop at the end
    /// tells nothing: study notes bold an answer so ("**AWS CloudHSM.**"). `lowercased` is
    /// `text` lowercased; `ascii`: it is ASCII (see `holdsASCII`).
    private static func isSentence(_ text: String, lowercased: String, ascii: Bool) -> Bool {
        // Most entries are one word, which is none of these: only text with a space is read.
        guard ascii ? lowercased.utf8.contains(0x20) : lowercased.contains(where: \.isWhitespace) else { return false }
        let checksFirstWord = text.first?.isLowercase ?? false
        var words = 0, hasClause = false
        func visit(_ word: Substring) {
            let hasAlphanumeric = ascii ? word.utf8.contains { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
                : word.contains { $0.isLetter || $0.isNumber }
            guard hasAlphanumeric else { return }
            words += 1
            // A word longer than every clause verb is not looked up (nearly all of them).
            if !hasClause, words > 1 || checksFirstWord, word.utf8.count <= longestClauseVerb, clauseVerbs.contains(word) { hasClause = true }
        }
        if ascii {
            // Split at ASCII whitespace byte by byte (as `Character.isWhitespace` does in ASCII).
            let utf8 = lowercased.utf8
            var start = utf8.startIndex
            for index in utf8.indices where utf8[index] == 0x20 || (0x09...0x0D).contains(utf8[index]) {
                if start < index { visit(lowercased[start..<index]) }
                start = utf8.index(after: index)
            }
            if start < utf8.endIndex { visit(lowercased[start...]) }
        } else {
            for word in lowercased.split(whereSeparator: \.isWhitespace) { visit(word) }
        }
        return words > maximumWords || hasClause || (words > 1 && lowercased.hasSuffix("?"))
    }

    /// Modifier keys as guides and keyboards name them, lowercased.
    private static let modifierKeys: Set<String> = ["ctrl", "control", "alt", "shift", "cmd", "command", "option", "opt", "meta", "super", "win", "fn"]

    /// A key chord: modifier keys joined by "+" to one key, spaces around "+" allowed ("ctrl+c",
    /// "ctrl + shift + p", "alt+f4"). What a reader presses, not what they look up; "c++" is
    /// no chord. `lowercased` is the text lowercased.
    private static func isKeyChord(_ lowercased: String) -> Bool {
        guard lowercased.utf8.contains(UInt8(ascii: "+")) else { return false }
        let keys = lowercased.split(separator: "+", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard keys.count >= 2, let key = keys.last, !key.isEmpty, !key.contains(" ") else { return false }
        return keys.dropLast().allSatisfy(modifierKeys.contains)
    }

    /// Instructions to act on a screen, lowercased: the word before a button's or a value's label.
    private static let screenActions: Set<String> = ["choose", "select", "click", "press", "type", "enter", "tap"]

    /// Words after a bold label that say it is a part of a screen ("the **Details** page", "the
    /// **Monitoring** tab", "the **Enable** check box"), lowercased. Not "field" or "section",
    /// which name parts of a document or a template as often ("the **Retry** field"), nor
    /// "check" alone ("the **health** check").
    private static let screenParts: Set<[String]> = [["page"], ["tab"], ["pane"], ["button"], ["menu"], ["dialog"], ["window"],
                                                     ["screen"], ["check", "box"], ["icon"], ["step"]]

    /// Words that join a label to the one before it ("choose **Create queue** or **Save**"),
    /// lowercased.
    private static let labelJoins: Set<String> = ["or", "and", "to", ","]

    /// Words before a menu's label that the instruction follows ("From **Actions**, choose
    /// **Purge**", "Under **Actions**, set …"), lowercased. Not "for": a console's fields
    /// are named after what they set as often ("For **Server-side encryption**, choose …",
    /// "for **VPC**, choose …", the SQS guide's only places for either).
    private static let menuOpeners: Set<String> = ["from", "under", "in", "on"]

    /// Whether bold `text` (trimmed, from `strong`) labels something on a screen rather than
    /// names a term: bold right after an instruction to act, whatever its words ("choose
    /// **Edit**", "choose **Save anyway**", "choose **AWS**", "enter **$.IsHelloWorldExample**":
    /// a button, an option or a value to type), bold joined to such a label ("choose **Create
    /// queue** or **Save**"), a part of a screen ("the **Details** page"), a menu an
    /// instruction follows ("From **Actions**, choose …"), or a lowercase name of letters,
    /// digits and "_" holding a "_" ("enter **item_1**", "a tag with the key **table_name**": a
    /// value or key as typed). Bold written as code ("choose **`awsvpc`**", "**`container_commands`**") is
    /// the author naming a term from code, and stays one, as does bold in prose; so does the
    /// same text in a heading or a cloze answer, which is how an author marks it as one.
    static func labelsScreenOrCode(_ strong: Node, text: String) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty else { return false }
        if let only = strong.firstChild, only.kind == .code, only.next == nil { return false }
        func isLowercase(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
        if utf8.contains(UInt8(ascii: "_")),
           utf8.allSatisfy({ isLowercase($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) {
            return true
        }
        if let after = strong.next, after.kind == .text {
            let words = Self.leadingWords(of: after)
            if screenParts.contains(Array(words.prefix(1))) || screenParts.contains(words) { return true }
        }
        guard let before = strong.previous, before.kind == .text else { return false }
        let lastWord: String? = before.withLiteralBytes { bytes in
            // The last word before the bold, which a space must separate from it.
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
            var start = end
            while start > 0, isLowercase(bytes[start - 1] | 0x20) { start -= 1 }
            guard end < bytes.count, start < end, end - start <= 6 else { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        }
        if let lastWord, screenActions.contains(lastWord) { return true }
        // A menu's label before the instruction: "From **Actions**, choose …".
        if let lastWord, menuOpeners.contains(lastWord), let after = strong.next, after.kind == .text,
           after.withLiteralBytes({ $0.first == UInt8(ascii: ",") }), let word = Self.leadingWords(of: after, skipping: 1).first,
           screenActions.contains(word) {
            return true
        }
        // A label joined to a label before it: "choose **Create queue** or **Save**".
        let joined = before.withLiteralBytes { bytes in
            labelJoins.contains(String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased())
        }
        if joined, let label = before.previous, label.kind == .strong {
            return labelsScreenOrCode(label, text: trimmed(label.plainText))
        }
        return false
    }

    /// The first two words of a text node's literal after `skipping` bytes, lowercased: runs
    /// of ASCII letters after spaces, up to the first other byte ("check box" of " check box
    /// to …", "page" of " page."); fewer when it holds fewer.
    private static func leadingWords(of node: Node, skipping: Int = 0) -> [String] {
        node.withLiteralBytes { bytes in
            var words: [String] = []
            var index = min(skipping, bytes.count)
            while words.count < 2 {
                while index < bytes.count, bytes[index] == 0x20 { index += 1 }
                let start = index
                while index < bytes.count, (bytes[index] | 0x20) >= 0x61, (bytes[index] | 0x20) <= 0x7A { index += 1 }
                guard index > start else { break }
                words.append(String(decoding: bytes[start..<index], as: UTF8.self).lowercased())
            }
            return words
        }
    }

    /// Whether `text` reads as a word or a name: it holds a run of three letters ("TTL",
    /// "Streams"), or, shorter, is written as an acronym or code — capitals and no lowercase
    /// letter ("BS", "C++", "S3"), a capital and a digit ("Db2") or a leading digit ("4xx").
    /// Left out are a UI value or label in a procedure ("set Auto scaling to **On**", "type
    /// **Id**") and a variable's name in a formula ("**m1**", "**e2**"). Structural, so it
    /// holds for any language's words; a lowercase code with one letter ("x86") and a
    /// two-letter name ("Go") are left out too. Text with a letter of a script without case
    /// ("東京") is a word: one such letter may be one.
    private static func isWordLike(_ text: String) -> Bool {
        var run = 0
        var hasCapital = false
        var hasLowercase = false
        var hasDigit = false
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            let isLetter: Bool, isCapital: Bool, isDigit: Bool
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                isCapital = byte >= 0x41 && byte <= 0x5A
                isLetter = isCapital || (byte >= 0x61 && byte <= 0x7A)
                isDigit = byte >= 0x30 && byte <= 0x39
            } else {
                let properties = scalar.properties
                isLetter = properties.isAlphabetic
                isCapital = properties.isUppercase
                isDigit = properties.numericType != nil
                // A letter of a script without case (東, ש) may be a word on its own.
                if isLetter, !isCapital, !properties.isLowercase { return true }
            }
            if isDigit, offset == 0 { return true }
            run = isLetter ? run + 1 : 0
            if run >= 3 { return true }
            hasCapital = hasCapital || isCapital
            hasLowercase = hasLowercase || (isLetter && !isCapital)
            hasDigit = hasDigit || isDigit
        }
        return hasCapital && (hasDigit || !hasLowercase)
    }

    /// A formula or a key chord written without spaces: caret notation ("^A", or a pattern's
    /// anchor), `*`, `^` or `=` between two operands ("100*(m1/wcu)", "a=b"), or `/` or `+`
    /// between operands of text that also calls a function ("sum/PERIOD(sum)"). A list of names
    /// ("Read/Write"), a path or glob ("ebextensions/*.config"), a wildcard ("ssm:Get*") and
    /// "C++" are not expressions.
    private static func isExpression(_ utf8: String.UTF8View) -> Bool {
        guard let first = utf8.first else { return false }
        func isOperand(_ byte: UInt8) -> Bool {
            (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "(")
                || byte == UInt8(ascii: ")") || byte >= 0x80
        }
        // One pass, no copy (this runs for every bold word and heading): the two bytes before
        // each byte tell whether an operator stands between operands.
        var beforeLast: UInt8 = 0, last: UInt8 = 0
        var arithmetic = false, joining = false, callsFunction = false
        for byte in utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) { return false }
            if byte == UInt8(ascii: "(") { callsFunction = true }
            if isOperand(byte), isOperand(beforeLast) {
                switch last {
                case UInt8(ascii: "*"), UInt8(ascii: "^"), UInt8(ascii: "="): arithmetic = true
                case UInt8(ascii: "/"), UInt8(ascii: "+"): joining = true
                default: break
                }
            }
            beforeLast = last
            last = byte
        }
        return first == UInt8(ascii: "^") || arithmetic || (joining && callsFunction)
    }

    /// Text wholly inside one pair of square brackets or parentheses: the label of a tab in a
    /// published guide, whose converted pages make each tab a heading ("[ Java ]", "[ .NET ]"),
    /// a notation ("[N]") or a table's note ("(all values)"); none is a term a reader looks up.
    private static func isBracketed(_ utf8: String.UTF8View) -> Bool {
        for (opening, closing) in [(UInt8(ascii: "["), UInt8(ascii: "]")), (UInt8(ascii: "("), UInt8(ascii: ")"))]
        where utf8.first == opening && utf8.firstIndex(of: closing) == utf8.indices.last {
            return true
        }
        return false
    }

    /// A copyright or rights line ("Copyright 2026 Example Corp.", "(c) 2026 …", "… All
    /// rights reserved"), which published guides put in bold on their first page: boilerplate,
    /// not a term ("copyright law" is one). Text with a © sign is a notice too (`isLookedUp`
    /// checks that with the other non-ASCII text). `lowercased` is the text lowercased, its
    /// trailing full stop trimmed.
    private static func isNotice(_ lowercased: String.UTF8View) -> Bool {
        for opening in ["copyright ", "(c) "] where lowercased.starts(with: opening.utf8) {
            // A year follows.
            let next = lowercased.dropFirst(opening.utf8.count).first ?? 0
            if next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") { return true }
        }
        return lowercased.reversed().starts(with: "rights reserved".utf8.reversed())
    }

    private static func isQuantityCharacter(_ character: Character) -> Bool {
        character.isNumber || ".,%$+~<>≤≥–-".contains(character)
    }

    /// For ASCII text: at most two words, the first made of digits and `.,%$+~<>-` only (as
    /// `isQuantityCharacter` reads ASCII), words split at ASCII whitespace (as
    /// `Character.isWhitespace` does).
    private static func isQuantityASCII(_ utf8: String.UTF8View) -> Bool {
        var words = 0
        var inWord = false
        for byte in utf8 {
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                inWord = false
                continue
            }
            if !inWord {
                words += 1
                inWord = true
                if words > 2 { return false }
            }
            guard words == 1 else { continue }
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "%"), UInt8(ascii: "$"),
                 UInt8(ascii: "+"), UInt8(ascii: "~"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return words > 0
    }

    static let emphasisWords: Set<String> = [
        "not", "no", "yes", "true", "false", "ok", "never", "always", "only", "must", "must not", "cannot", "can't",
        "don't", "do not", "does not", "is not", "are not", "and", "or", "all", "any", "none", "each", "every", "both",
        "either", "neither", "one", "first", "last", "before", "after", "exactly", "also", "same", "different", "more",
        "less", "most", "least", "at least", "at most", "required", "optional", "important", "note", "tip", "warning",
        "avoid", "instead", "why", "how", "what", "when", "where", "which", "who", "correct", "wrong", "incorrect",
        "recommended", "default", "free", "new", "old", "up to", "per", "total", "maximum", "minimum", "max", "min",
        // A preposition alone: a console's field label ("set **for** to …").
        "for", "to", "in", "of", "on", "at", "by", "with", "from", "into",
        // Captions over a sample or a list of links, as "note" and "tip" are labels over an
        // aside (a published guide bolds "Topics" over every page's contents: 195 places), and
        // the headings a guide gives a part of many pages (the Kinesis guide: "Next Steps" on
        // 15, "Prerequisites", "Contents").
        "example", "examples", "topics", "overview", "summary", "see also", "legend", "next step", "next steps",
        "prerequisites", "contents", "related topics", "related resources",
    ]

    /// Adds the terms one page's collector found, each at its place on that page, linked by
    /// `label` (`LocatorLabels`). They are already trimmed and listed once each, so no check is
    /// needed (this runs for every term of every page on every build).
    mutating func add(_ terms: [PageTerm], of page: Page, label: String) {
        for term in terms {
            let place = TermPlace(target: .page(id: page.id, fragment: term.fragment), label: label)
            if entries[term.key] == nil {
                entries[term.key] = Entry(text: term.text, places: [place], seen: [page.id])
                order.append(term.key)
            } else {
                entries[term.key]!.places.append(place)
            }
        }
    }

    /// The terms of a collector that saw one page only, in the order found.
    var pageTerms: [PageTerm] {
        order.compactMap { key in
            let entry = entries[key]!
            guard case let .page(_, fragment) = entry.places.first?.target else { return nil }
            return PageTerm(text: entry.text, key: key, fragment: fragment)
        }
    }

    /// Whether `strong` is all of its paragraph's line: bold set on a line of its own as a
    /// caption over what follows (a published guide's "**Example index.js**" over a sample),
    /// also when a hard line break ends it and its text follows on the next line
    /// ("**Example availability**" and two spaces: cmark-gfm leaves an empty text node
    /// between the bold and the break), or when inline HTML alone follows it on the line (the
    /// anchor a published guide puts after a caption: "**Example : LOGTOJSON Configuration**
    /// <a name=\"example-logtojson\"></a>").
    private static func isAlone(_ strong: Node) -> Bool {
        guard strong.parent?.kind == .paragraph, strong.previous == nil else { return false }
        var next = strong.next
        while let node = next,
              node.kind == .htmlInline || (node.kind == .text && node.withLiteralBytes { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }) {
            next = node.next
        }
        guard let next else { return true }
        return next.kind == .lineBreak || next.kind == .softBreak
    }

    /// Whether the paragraph of `strong` (alone on its line, `isAlone`) is in a tab, under a
    /// heading wholly in brackets ("#### [ Kotlin ]", the label of a tab of a published
    /// guide's examples): the bold line then captions the tab or a sample in it ("**SDK for
    /// Kotlin**", "**SDK for JavaScript V2**" over the code examples of the DynamoDB developer
    /// guide, 18 to 31 pages each, 254 links in a trial's index).
    private static func opensTab(_ strong: Node) -> Bool {
        var block = strong.parent?.previous
        while let node = block, node.kind != .heading { block = node.previous }
        return block.map { isBracketed(trimmed($0.plainText).utf8) } ?? false
    }

    /// Whether a note's title, a heading's or a lone bold line's `text` (trimmed) titles a
    /// sample or a procedure rather than names a term: "Example" and more ("Example app.py",
    /// "Example: Add replica"), text ending in "example" or "examples" ("AWS variables
    /// example"), "To" and a lowercase word ("To add tags when you create a function"), a step
    /// (`isStep`), an optional part ("(Optional) Prerequisites"), or an instruction to act
    /// ("Choose an existing role"). Published guides title every sample
    /// and procedure so (the Lambda developer guide: 320 samples and 257 procedures).
    static func isCaption(_ text: String) -> Bool {
        if isStep(text) { return true }
        let words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2 else { return false }
        if endsInExample(text) { return true }
        let first = words[0].lowercased(), second = words[1]
        switch first {
        case "example", "examples", "example:", "examples:": return true
        // An optional part of a tutorial ("(Optional) Prerequisites"), a caption as a step is.
        case "(optional)": return true
        case "to": return second.first.map { $0.isLowercase } ?? false
        // Not "type" or "enter", which begin names ("Type conversions"), nor SQL's SELECT.
        case "choose", "click", "tap": return true
        case "select": return words[0] != "SELECT"
        default: return false
        }
    }

    /// What a note's `title` names, for the index: the title without a last word that only
    /// says what kind of page it is ("AWS Lambda overview" files under "AWS Lambda", beside the
    /// service's own entry; "Gears introduction" under "Gears"), else the title.
    static func subject(ofTitle title: String) -> String {
        for word in [" overview", " introduction", " summary"] {
            guard title.count > word.count + 1, let range = title.range(of: word, options: [.caseInsensitive, .anchored, .backwards]) else { continue }
            return trimmed(String(title[..<range.lowerBound]))
        }
        return title
    }

    /// What a note's title `subject` (see `subject(ofTitle:)`) names after one of its own
    /// service's `serviceNames` that opens it: "FIFO queues" for "Amazon SQS FIFO queues", so
    /// that a reader finds it under F as well as under A, as a printed index posts a topic
    /// under both (the SQS developer guide titles 20 of its 118 pages "Amazon SQS …"). Nil when no
    /// name opens the title, when nothing follows the name, or when what follows opens with
    /// a joining word ("Amazon SQS and Lambda", "Lambda with Amazon SQS") or is no word.
    static func topic(ofTitle subject: String, serviceNames: [String]) -> String? {
        for name in serviceNames.sorted(by: { $0.count > $1.count }) {
            guard subject.count > name.count + 1,
                  let range = subject.range(of: name + " ", options: [.caseInsensitive, .anchored]) else { continue }
            let rest = trimmed(String(subject[range.upperBound...]))
            guard let first = rest.split(separator: " ").first, first.first.map({ $0.isLetter || $0.isNumber }) == true,
                  !joiningWords.contains(first.lowercased()) else { return nil }
            return rest
        }
        return nil
    }

    /// What a title or heading that opens by doing something names: "Global Secondary
    /// Indexes" for "Using Global Secondary Indexes in DynamoDB", "items" for "Working with
    /// items: Java", "DAX cluster" for "Creating a DAX cluster using the AWS CLI". A printed
    /// index posts such a page under its topic, not under "Using" or "Working": published
    /// guides open a title so on most of their pages about a thing (the DynamoDB guide 48
    /// "Using…", 38 "Working with…", 22 "Setting up…", 20 "Creating…"), and a reader looking up
    /// "Global secondary indexes" found only a page that bolds the words. The topic ends
    /// before what says how or where it is done, which sibling pages vary: a ":" ("…: Java"),
    /// "using" or "by using", "in the" ("… in the API Gateway console"), "to" and a lowercase
    /// word ("CloudWatch alarms to monitor DAX"), a last "instead", a word of manner
    /// ("effectively", "manually"…), and a last "in", "for", "with" or "on" and one of
    /// `serviceNames`; an article or "your" before it is left out. Nil when `text` opens
    /// otherwise (or its first word is in capitals), when what follows is no word or opens
    /// with a joining word, and for "Use case(s)…", which names no action.
    static func actionTopic(of text: String, serviceNames: [String]) -> String? {
        // Every heading of every note is asked: its first bytes are compared, not searched
        // for by Foundation. A first word in capitals is a statement's (SQL's CREATE).
        guard let opening = actionOpenings.first(where: { opens(text, with: $0) }),
              text.utf8.dropFirst().first.map({ $0 >= 0x61 && $0 <= 0x7A }) == true else { return nil }
        var rest = Substring(text).dropFirst(opening.count + 1)
        for cut in [": ", " by using ", " using ", " in the "] {
            if let range = rest.range(of: cut) { rest = rest[..<range.lowerBound] }
        }
        if let to = rest.range(of: " to "), rest[to.upperBound...].first?.isLowercase == true { rest = rest[..<to.lowerBound] }
        for ending in [":", " instead"] where rest.hasSuffix(ending) { rest = rest.dropLast(ending.count) }
        if let how = rest.split(separator: " ").first(where: { mannerWords.contains($0.lowercased()) }) { rest = rest[..<how.startIndex].dropLast() }
        for name in serviceNames.sorted(by: { $0.count > $1.count }) {
            if let range = ["in", "for", "with", "on"].lazy.compactMap({ rest.range(of: " \($0) \(name)", options: [.caseInsensitive, .anchored, .backwards]) }).first {
                rest = rest[..<range.lowerBound]
                break
            }
        }
        var words = rest.split(separator: " ")
        if let article = words.first, ["a", "an", "the", "your"].contains(article.lowercased()) { words.removeFirst() }
        guard let word = words.first, word.first.map({ $0.isLetter || $0.isNumber }) == true,
              !joiningWords.contains(word.lowercased()), !(opening == "use" && ["case", "cases"].contains(word.lowercased())) else { return nil }
        return trimmed(words.joined(separator: " "))
    }

    /// Words that say how a thing is done, which `actionTopic(of:serviceNames:)` ends before
    /// ("Using burst capacity effectively").
    private static let mannerWords: Set<String> = ["effectively", "efficiently", "manually", "automatically", "securely", "correctly",
                                                   "quickly", "locally", "programmatically"]

    /// Whether `text` opens with the lowercase ASCII words `opening`, in any case, and a space.
    private static func opens(_ text: String, with opening: String) -> Bool {
        let utf8 = text.utf8
        guard utf8.count > opening.utf8.count, utf8.dropFirst(opening.utf8.count).first == 0x20 else { return false }
        // Setting 0x20 lowercases an ASCII letter and keeps a space; no other byte becomes a letter.
        return zip(utf8, opening.utf8).allSatisfy { $0 | 0x20 == $1 }
    }

    /// How `actionTopic(of:serviceNames:)`'s titles open, lowercased, longest first where one
    /// starts another.
    private static let actionOpenings = ["working with", "work with", "setting up", "set up", "using", "use", "managing", "manage",
                                         "creating", "create", "configuring", "configure", "enabling", "enable", "understanding"]

    /// Words that join a service's name to another subject rather than name a part of it.
    private static let joiningWords: Set<String> = ["and", "or", "with", "for", "in", "on", "to", "from", "by", "of", "vs", "vs.", "versus", "as"]

    /// Whether `text` ends in the word "example" or "examples", in any case: a sample's title
    /// with the word last ("x-amazon-apigateway-cors example", "VPC endpoint policy examples").
    private static func endsInExample(_ text: String) -> Bool {
        let utf8 = text.utf8
        for word in ["example", "examples"] {
            let suffix = utf8.suffix(word.utf8.count + 1)
            if suffix.count == word.utf8.count + 1, suffix.first == 0x20,
               suffix.dropFirst().elementsEqual(word.utf8, by: { $0 | 0x20 == $1 }) { return true }
        }
        return false
    }

    /// Whether `text` (trimmed) titles a step of a procedure or a numbered part of a
    /// tutorial: "Step" and a number ("Step 2: Add permissions", "(Optional) Step 6: Clean
    /// up"), or a number ended by ":" or "." ("1.1: Download and install …", "2: Grant
    /// permissions …") before a capitalized word. Such a title is no term wherever it is bold,
    /// also as a link to the step's note in a list of steps. A quantity ("3.5 GB limits") has
    /// no such ending.
    static func isStep(_ text: String) -> Bool {
        // Either form needs a number, an ASCII digit in ASCII text: most headings and bold
        // text hold none, and are not split into words (which showed in the profile).
        guard text.utf8.contains(where: { ($0 >= 0x30 && $0 <= 0x39) || $0 >= 0x80 }) else { return false }
        var words = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        if words.first?.first == "(", words.first?.last == ")" { words = Array(words.dropFirst()) }
        guard words.count >= 2 else { return false }
        let first = words[0], second = words[1]
        if first.lowercased() == "step" { return second.first?.isNumber ?? false }
        guard let mark = first.last, mark == ":" || mark == ".", let opening = second.first, opening.isUppercase else { return false }
        let number = first.dropLast()
        return number.first?.isNumber == true && number.last?.isNumber == true
            && number.allSatisfy { $0 == "." || ("0"..."9").contains($0) }
    }

    /// The note's title (at the top of the note; not a card file's or a question bank's) and headings (not card fronts, which are
    /// questions, nor a sample's or a procedure's title, `isCaption`), bold text (not a screen's labels and values, `labelsScreenOrCode`, nor a
    /// caption on a line of its own, nor a step's title anywhere), neither a path written as
    /// prose (`isPathAsProse`), and cloze deletions.
    mutating func collect(_ page: LocalNote, content: PageContent) {
        var sections = SectionTracker(headingIDs: content.headingIDs)
        let cardFronts = Set(content.cards.map(\.front))
        // The title names what the whole note is about ("ResultPath", "Intrinsic functions");
        // its first heading, which gives it most often, is level 1 and not read below. A card
        // file's or a question bank's title names a deck ("S3 flashcards").
        if !page.isCardsFile, !page.source.isExamFile, !Self.isCaption(Self.trimmed(page.title)) {
            let place = TermPlace(target: .page(id: page.id, fragment: nil), label: page.title)
            let subject = Self.actionTopic(of: page.title, serviceNames: page.serviceNames) ?? Self.subject(ofTitle: page.title)
            add(subject, place)
            // A landing text's title names the guide ("Amazon Simple Queue Service Developer
            // Guide"), not a topic of it.
            if !page.source.isLanding, let topic = Self.topic(ofTitle: subject, serviceNames: page.serviceNames) { add(topic, place) }
        }
        content.tree.document.walk { node in
            switch node.kind {
            case .heading:
                sections.pass(node)
                let text = node.plainText
                let trimmed = Self.trimmed(text)
                if !cardFronts.contains(node), node.headingLevel > 1, !Self.isCaption(trimmed), !Self.isPathAsProse(node, text: trimmed) {
                    add(Self.actionTopic(of: trimmed, serviceNames: page.serviceNames) ?? text,
                        TermPlace(target: .page(id: page.id, fragment: sections.sectionID), label: page.title))
                }
                return .skipChildren
            case .strong:
                let text = node.plainText, trimmed = Self.trimmed(text)
                if !Self.labelsScreenOrCode(node, text: trimmed), !Self.isStep(trimmed),
                   !(Self.isAlone(node) && (Self.isCaption(trimmed) || Self.opensTab(node))),
                   !Self.isPathAsProse(node, text: trimmed) {
                    add(text, TermPlace(target: .page(id: page.id, fragment: sections.sectionID), label: page.title))
                }
                return .skipChildren
            default:
                return .visitChildren
            }
        }
        for (card, nodes) in zip(page.cards, content.cards) {
            for deletion in Cloze.scan(Cloze.pieces(of: nodes.front).pieces).deletions {
                add(deletion.text, TermPlace(target: .page(id: page.id, fragment: card.anchor == "top" ? nil : card.anchor), label: page.title))
            }
        }
    }

    /// Removes the entries of headings that many of `pages` share (`sharedHeadings`), which
    /// name a part of each page rather than a topic: "Request Syntax", "Response Elements" and
    /// "Errors" head every API page of a published guide (60 to 70 links each in the Lambda
    /// guide's index), "Exam traps" and "Key numbers and limits" every overview of the bundled
    /// set. An entry that says "see" stays. `serviceNames` gives a page's service's names (see
    /// `actionTopic(of:serviceNames:)`, which files "Using the console" under "console").
    mutating func removeSharedHeadings(of pages: [Page], serviceNames: (Page) -> [String]) {
        let shared = Self.sharedHeadings(pages, serviceNames: serviceNames)
        guard !shared.isEmpty else { return }
        let removed = Set(order.filter { shared.contains($0) && entries[$0]?.see == nil })
        for key in removed { entries[key] = nil }
        order.removeAll { removed.contains($0) }
    }

    /// The headings (below the title, lowercased, as `collect` files them) that at least
    /// `sharedHeadingPages` of `pages` have, and at least one in ten of them.
    static func sharedHeadings(_ pages: [Page], serviceNames: (Page) -> [String]) -> Set<String> {
        var counts: [String: Int] = [:]
        for page in pages {
            let names = serviceNames(page)
            let filed = page.headings.lazy.filter { $0.level > 1 }.map { heading in
                let text = trimmed(heading.text)
                return (actionTopic(of: text, serviceNames: names) ?? text).lowercased()
            }
            for text in Set(filed) { counts[text, default: 0] += 1 }
        }
        return Set(counts.filter { $0.value >= sharedHeadingPages && $0.value * 10 >= pages.count }.keys)
    }

    /// See `sharedHeadings`.
    static let sharedHeadingPages = 20

    /// Merges each English plural's entry into its singular's ("Shards" into "Shard",
    /// "Partition keys" into "Partition key"), as a printed index lists one entry for both: by
    /// the plural stem of the last word (`EnglishPlural`, which search uses too). The
    /// entry shows the singular where some page writes it, else the form seen first; it lists
    /// each page once (at the singular's place where both have one), in the order `rank` gives
    /// the places (the notes' order). An entry that says "see" stays as it is.
    mutating func mergePlurals(rank: (TermPlace) -> Int) {
        var groups: [String: [String]] = [:]
        var stems: [String] = []
        for key in order where entries[key]?.see == nil {
            let stem = Self.singular(key)
            if groups[stem] == nil { stems.append(stem) }
            groups[stem, default: []].append(key)
        }
        var merged: Set<String> = []
        for stem in stems {
            guard let keys = groups[stem], keys.count > 1 else { continue }
            let kept = keys.contains(stem) ? stem : keys[0]
            var entry = entries[kept]!
            for key in keys where key != kept {
                for place in entries[key]!.places { entry.add(place) }
                entries[key] = nil
                merged.insert(key)
            }
            // A page both list keeps the kept entry's place (`Entry.add`); the pages in the notes' order.
            entry.places.sort { rank($0) < rank($1) }
            entries[kept] = entry
        }
        if !merged.isEmpty { order.removeAll { merged.contains($0) } }
    }

    /// `key` (lowercased) with its last word's plural stem.
    private static func singular(_ key: String) -> String {
        guard let space = key.lastIndex(of: " ") else { return EnglishPlural.singular(key) }
        return String(key[...space]) + EnglishPlural.singular(String(key[key.index(after: space)...]))
    }

    /// Entries in dictionary order: case, accents, width and katakana against hiragana folded,
    /// then as written. (Foundation's
    /// localized comparison showed in the profile of a large set's rebuild; Benchmarks/README.md
    /// has the figure.)
    func sorted() -> [Term] {
        entries.map { (key: Self.foldedForSorting($0.key), term: Term(text: $0.value.text, places: $0.value.places, see: $0.value.see)) }
            .sorted { ($0.key, $0.term.text) < ($1.key, $1.term.text) }
            .map(\.term)
    }

    private static func foldedForSorting(_ lowercased: String) -> String {
        lowercased.unicodeScalars.allSatisfy(\.isASCII) ? lowercased
            : IndexLetter.kanaFolded(lowercased.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil))
    }
}

/// A text as the index lists it (see `TermCollector.indexed`).
struct IndexedTerm: Sendable {
    /// The text trimmed, as the entry shows it.
    var text: String
    /// `text` lowercased: entries with the same key are one.
    var key: String
}

extension TermPlace {
    var pageKey: String {
        switch target {
        case let .page(id, _): return id
        case let .service(id): return "service:" + id
        // Terms are found in notes and on service pages only.
        case let .file(path, _): return "file:" + path
        }
    }
}
