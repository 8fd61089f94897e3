import Foundation

/// The words the book adds around the notes (its parts' headings, the contents' entries, the
/// title page's counts, the index's "see"), in the study set's language. Built in for English,
/// German, Spanish, French, Italian, Portuguese, Japanese, Korean and Chinese (simplified, and
/// traditional for `zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`), chosen by the `language` tag's first
/// subtag (`de-CH` is German); English for any other language.
struct BookWords: Sendable {
    var contents = "Contents"
    /// The heading of the (hidden) landmarks list, which reading systems offer as "go to".
    var landmarks = "Landmarks"
    /// A chapter's cards, asked as questions at its end.
    var reviewQuestions = "Review questions"
    /// The link from a question to its answer.
    var answer = "Answer"
    /// Before an exam question's correct options: the word and its punctuation.
    var answerLabel = "Answer:"
    /// The part with every card's answer.
    var answers = "Answers"
    var practiceExam = "Practice exam"
    var examAnswers = "Answers to the practice exam"
    /// The exam questions of no domain.
    var otherDomain = "Other"
    var index = "Index"
    /// Before an index entry's other name ("Lambda: see AWS Lambda"), with its space.
    var see = "see "
    /// The same after the entry's own pages ("DAX: Caching; see also Amazon DynamoDB"), as a
    /// printed index writes a cross-reference from an entry that has pages of its own.
    var seeAlso = "see also "
    var sources = "Sources"
    /// The heading over a chapter's list of notes of other services that are about it.
    var alsoAbout = "Also about {service}"
    /// The title page's counts, one and more than one.
    var services = ("{n} service", "{n} services")
    var notes = ("{n} note", "{n} notes")
    var questions = ("{n} review question", "{n} review questions")
    /// The practice exam's opening paragraph; `{answers}` is a link whose text is `examAnswersLink`.
    var examIntro = "{count} for {exam}. The real exam has {questions} questions in {minutes} minutes; "
        + "the answers, with explanations, are in the {answers}."
    /// The number of the book's exam questions, one and more than one, for `{count}` in `examIntro`.
    var examQuestions = ("{n} question", "{n} questions")
    var examAnswersLink = "answers to the practice exam"
    /// Under a question with more than one correct option.
    var choose = "(Choose {n}.)"
    /// Before the links from an exam answer to the notes that cover it.
    var inTheNotes = "In the notes:"

    /// `pattern` with each `{name}` replaced by its value in `values`, in one pass (a value
    /// holding `{name}`, as an exam may be named, stays as it is).
    static func fill(_ pattern: String, _ values: [String: String]) -> String {
        var result = "", rest = pattern[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            result += rest[..<open]
            result += values[name] ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// `count` with the form of `forms` for its number: the first for 1 (and for 0 in French,
    /// which counts zero as one), the second for any other.
    func counted(_ count: Int, _ forms: (one: String, other: String)) -> String {
        Self.fill(count == 1 || (count == 0 && usesSingularForZero) ? forms.one : forms.other, ["n": String(count)])
    }

    private var usesSingularForZero = false

    /// The words for the BCP 47 tag `language` (see the type's description).
    init(language: String) {
        let subtags = language.lowercased().split(separator: "-")
        switch subtags.first ?? "" {
        case "de":
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) =
                ("Inhalt", "Orientierungspunkte", "Wiederholungsfragen", "Antwort", "Antwort:", "Antworten")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("Probeprüfung", "Antworten zur Probeprüfung", "Sonstiges", "Stichwortverzeichnis", "siehe ", "Quellen", "Mehr zu {service}")
            seeAlso = "siehe auch "
            (services, notes, questions) = (("{n} Dienst", "{n} Dienste"), ("{n} Notiz", "{n} Notizen"),
                                            ("{n} Wiederholungsfrage", "{n} Wiederholungsfragen"))
            examQuestions = ("{n} Frage", "{n} Fragen")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{count} für {exam}. Die echte Prüfung hat {questions} Fragen in {minutes} Minuten; die Antworten mit Erklärungen stehen in den {answers}.",
                 "Antworten zur Probeprüfung", "({n} auswählen.)", "In den Notizen:")
        case "es":
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) =
                ("Contenido", "Puntos de referencia", "Preguntas de repaso", "Respuesta", "Respuesta:", "Respuestas")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("Examen de práctica", "Respuestas del examen de práctica", "Otros", "Índice alfabético", "véase ", "Fuentes", "Más sobre {service}")
            seeAlso = "véase también "
            (services, notes, questions) = (("{n} servicio", "{n} servicios"), ("{n} nota", "{n} notas"),
                                            ("{n} pregunta de repaso", "{n} preguntas de repaso"))
            examQuestions = ("{n} pregunta", "{n} preguntas")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{count} para {exam}. El examen real tiene {questions} preguntas en {minutes} minutos; las respuestas, con explicaciones, están en las {answers}.",
                 "respuestas del examen de práctica", "(Elija {n}.)", "En las notas:")
        case "fr":
            // French sets a no-break space before a colon.
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) =
                ("Sommaire", "Repères", "Questions de révision", "Réponse", "Réponse\u{A0}:", "Réponses")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("Examen blanc", "Réponses de l’examen blanc", "Autres", "Index", "voir ", "Sources", "À lire aussi sur {service}")
            seeAlso = "voir aussi "
            (services, notes, questions) = (("{n} service", "{n} services"), ("{n} note", "{n} notes"),
                                            ("{n} question de révision", "{n} questions de révision"))
            examQuestions = ("{n} question", "{n} questions")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{count} pour {exam}. L’examen réel compte {questions} questions en {minutes} minutes\u{A0}; les réponses, avec leurs explications, sont dans les {answers}.",
                 "réponses de l’examen blanc", "(Choisissez-en {n}.)", "Dans les notes\u{A0}:")
            usesSingularForZero = true
        case "it":
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) =
                ("Indice", "Punti di riferimento", "Domande di ripasso", "Risposta", "Risposta:", "Risposte")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("Esame di prova", "Risposte dell’esame di prova", "Altro", "Indice analitico", "vedi ", "Fonti", "Altro su {service}")
            seeAlso = "vedi anche "
            (services, notes, questions) = (("{n} servizio", "{n} servizi"), ("{n} nota", "{n} note"),
                                            ("{n} domanda di ripasso", "{n} domande di ripasso"))
            examQuestions = ("{n} domanda", "{n} domande")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{count} per {exam}. L’esame reale ha {questions} domande in {minutes} minuti; le risposte, con le spiegazioni, sono nelle {answers}.",
                 "risposte dell’esame di prova", "(Scegline {n}.)", "Nelle note:")
        case "pt":
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) =
                ("Sumário", "Pontos de referência", "Perguntas de revisão", "Resposta", "Resposta:", "Respostas")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("Exame simulado", "Respostas do exame simulado", "Outros", "Índice remissivo", "ver ", "Fontes", "Mais sobre {service}")
            seeAlso = "ver também "
            (services, notes, questions) = (("{n} serviço", "{n} serviços"), ("{n} nota", "{n} notas"),
                                            ("{n} pergunta de revisão", "{n} perguntas de revisão"))
            examQuestions = ("{n} pergunta", "{n} perguntas")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{count} para {exam}. O exame real tem {questions} perguntas em {minutes} minutos; as respostas, com explicações, estão nas {answers}.",
                 "respostas do exame simulado", "(Escolha {n}.)", "Nas notas:")
        case "ja":
            // Japanese indexes point from one name to another with an arrow.
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) = ("目次", "ランドマーク", "復習問題", "解答", "正解：", "解答")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("模擬試験", "模擬試験の解答", "その他", "索引", "→ ", "出典", "{service}に関するほかのノート")
            // An arrow either way: the index says where to look, whatever the entry lists.
            seeAlso = see
            (services, notes, questions) = (("{n} サービス", "{n} サービス"), ("{n} ノート", "{n} ノート"), ("復習問題 {n} 問", "復習問題 {n} 問"))
            examQuestions = ("{n} 問", "{n} 問")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{exam}の問題 {count}。本番の試験は {minutes} 分で {questions} 問です。解説付きの解答は{answers}にあります。",
                 "模擬試験の解答", "（{n} つ選択）", "関連ノート：")
        case "ko":
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) = ("목차", "랜드마크", "복습 문제", "정답", "정답:", "정답")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("모의고사", "모의고사 정답", "기타", "색인", "→ ", "출처", "{service} 관련 다른 노트")
            // An arrow either way: the index says where to look, whatever the entry lists.
            seeAlso = see
            (services, notes, questions) = (("서비스 {n}개", "서비스 {n}개"), ("노트 {n}개", "노트 {n}개"), ("복습 문제 {n}개", "복습 문제 {n}개"))
            examQuestions = ("{n}개", "{n}개")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{exam} 문제 {count}. 실제 시험은 {minutes}분 동안 {questions}문제입니다. 해설이 포함된 정답은 {answers}에 있습니다.",
                 "모의고사 정답", "({n}개 선택)", "관련 노트:")
        case "zh" where subtags.dropFirst().contains { ["hant", "tw", "hk", "mo"].contains($0) }:
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) = ("目錄", "導覽", "複習題", "答案", "正確答案：", "答案")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("模擬考試", "模擬考試答案", "其他", "索引", "參見 ", "來源", "關於{service}的其他筆記")
            seeAlso = "另見 "
            (services, notes, questions) = (("{n} 項服務", "{n} 項服務"), ("{n} 篇筆記", "{n} 篇筆記"), ("{n} 道複習題", "{n} 道複習題"))
            examQuestions = ("{n} 道題", "{n} 道題")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{exam}的 {count}。正式考試在 {minutes} 分鐘內有 {questions} 道題；答案及解析見{answers}。",
                 "模擬考試答案", "（選擇 {n} 項）", "相關筆記：")
        case "zh":
            (contents, landmarks, reviewQuestions, answer, answerLabel, answers) = ("目录", "导览", "复习题", "答案", "正确答案：", "答案")
            (practiceExam, examAnswers, otherDomain, index, see, sources, alsoAbout) =
                ("模拟考试", "模拟考试答案", "其他", "索引", "参见 ", "来源", "关于{service}的其他笔记")
            seeAlso = "另见 "
            (services, notes, questions) = (("{n} 项服务", "{n} 项服务"), ("{n} 篇笔记", "{n} 篇笔记"), ("{n} 道复习题", "{n} 道复习题"))
            examQuestions = ("{n} 道题", "{n} 道题")
            (examIntro, examAnswersLink, choose, inTheNotes) =
                ("{exam}的 {count}。正式考试在 {minutes} 分钟内有 {questions} 道题；答案及解析见{answers}。",
                 "模拟考试答案", "（选择 {n} 项）", "相关笔记：")
        default:
            break
        }
    }
}

extension ProjectConfig {
    /// The book's words in the set's `language`.
    var bookWords: BookWords { BookWords(language: language) }
}
