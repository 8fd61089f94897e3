import Foundation

/// The answer options that keep their written place when an exam shuffles the others: those
/// marked `<!-- pin -->`, in any language, and those like "None of the above" in the
/// languages the book knows (`BookWords`), which only make sense where the author put them.
enum PinnedOption {
    /// Whether the raw HTML `html` is the marker `<!-- pin -->` (spaces inside ignored).
    static func isMarker(_ html: String) -> Bool {
        let trimmed = html.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("<!--"), trimmed.hasSuffix("-->"), trimmed.count >= 7 else { return false }
        return trimmed.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces) == "pin"
    }

    /// Whether the option's plain `text` says "all", "none", "both" or "neither" of the others,
    /// in English ("All of the above", "None of these") or one of the book's other languages
    /// (`phrases`); case, punctuation and spacing are ignored.
    static func refersToOthers(_ text: String) -> Bool {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
        if phrases.contains(words.joined(separator: " ")) { return true }
        guard words.count >= 3, ["all", "none", "both", "neither"].contains(words[0]), words[1] == "of" else { return false }
        return ["above", "these", "them", "previous", "preceding", "options", "answers"].contains(words[2])
            || (words.count >= 4 && words[2] == "the" && ["above", "previous", "preceding", "options", "answers"].contains(words[3]))
    }

    /// "None of the above" and "All of the above" in German, Spanish, French, Italian,
    /// Portuguese, Japanese, Korean and Chinese: lowercase words (runs of letters) joined by
    /// one space, as `refersToOthers` compares them.
    static let phrases: Set<String> = [
        // de
        "keine der genannten", "keine der obigen", "keine der oben genannten", "keine der genannten antworten",
        "keine der obigen antworten", "alle genannten", "alle obigen", "alle oben genannten", "alle genannten antworten",
        "alle obigen antworten", "keine der oben genannten antworten", "alle oben genannten antworten",
        // es
        "ninguna de las anteriores", "ninguno de los anteriores", "ninguna de las opciones anteriores",
        "ninguna de las respuestas anteriores", "todas las anteriores", "todos los anteriores",
        "todas las opciones anteriores", "todas las respuestas anteriores",
        // fr
        "aucune de ces réponses", "aucune des réponses précédentes", "aucune des réponses ci dessus",
        "aucune de ces propositions", "toutes ces réponses", "toutes les réponses précédentes",
        "toutes les réponses ci dessus", "toutes ces propositions",
        // it
        "nessuna delle precedenti", "nessuna delle risposte precedenti", "nessuna delle opzioni precedenti",
        "tutte le precedenti", "tutte le risposte precedenti", "tutte le opzioni precedenti",
        // pt
        "nenhuma das anteriores", "nenhuma das alternativas anteriores", "nenhuma das opções anteriores",
        "nenhuma das respostas anteriores", "nenhuma das acima", "todas as anteriores",
        "todas as alternativas anteriores", "todas as opções anteriores", "todas as respostas anteriores", "todas as acima",
        // ja
        "上記のいずれでもない", "上記のどれでもない", "上記のいずれも該当しない", "上記のすべて", "上記すべて",
        // ko
        "위의 어느 것도 아님", "위의 어느 것도 아니다", "위의 모든 것", "위의 모두", "위 모두",
        // zh (simplified and traditional)
        "以上都不是", "以上皆非", "以上均不是", "以上皆是", "以上都是", "以上均是", "以上全部",
    ]
}
