import Foundation

/// Rows of delimiter-separated text as Anki reads and writes them: a field that starts with
/// `"` is quoted (a quote inside is doubled; delimiters and line breaks inside are text), a
/// line starting with `#` outside a quoted field is a comment, blank lines are no rows.
struct DelimitedText {
    struct Row {
        var fields: [String]
        /// 1-based line of the row's first character.
        var line: Int
    }

    var rows: [Row] = []
    /// Rows whose quotes are not closed, by their first line.
    var unclosedQuote: Int?

    init(_ text: Substring, delimiter: Character, firstLine: Int) {
        var fields: [String] = []
        var field = ""
        var line = firstLine
        var rowLine = firstLine
        var atFieldStart = true
        var atRowStart = true
        var quoted = false
        var afterQuote = false
        var index = text.startIndex
        func endRow() {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(fields: fields, line: rowLine)) }
            fields = []
            field = ""
            atFieldStart = true
            atRowStart = true
            afterQuote = false
        }
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            if quoted {
                if character == "\"" {
                    if index < text.endIndex, text[index] == "\"" {
                        field.append("\"")
                        index = text.index(after: index)
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character == "\r\n" ? "\n" : character)
                }
                continue
            }
            if atRowStart {
                rowLine = line
                if character == "#" {
                    // A comment: up to the end of the line.
                    while index < text.endIndex, text[index] != "\n", text[index] != "\r\n" { index = text.index(after: index) }
                    if index < text.endIndex { index = text.index(after: index); line += 1 }
                    continue
                }
            }
            atRowStart = false
            if character == "\n" || character == "\r\n" {
                endRow()
                line += 1
            } else if character == delimiter {
                fields.append(field)
                field = ""
                atFieldStart = true
                afterQuote = false
            } else if character == "\"", atFieldStart {
                quoted = true
                atFieldStart = false
            } else {
                if !afterQuote || character != "\r" { field.append(character) }
                atFieldStart = false
            }
        }
        if quoted { unclosedQuote = rowLine }
        if !atRowStart || !field.isEmpty || !fields.isEmpty { endRow() }
    }
}
