/// Where the practice page sends a card of a flashcard file for its explanation: the note of
/// its service whose title and headings share the most words with the card (see `best`).
///
/// Every title's and heading's words are found once per build and indexed by word, so a card
/// costs the places that share one of its words, not every heading of its service: comparing
/// each card with every heading made the practice page quadratic in the size of a service.
struct PracticeExplanations {
    /// A note's title (`heading` nil) or one of its headings of level 2 or more.
    private struct Place {
        let note: Int
        let heading: String?
    }

    private struct Service {
        var notes: [Page] = []
        /// In the order the notes and their headings come, so a lower index is the one an
        /// earlier note or heading had.
        var places: [Place] = []
        /// Word → the places whose title or heading has it (each place once).
        var postings: [String: [Int]] = [:]
    }

    private var services: [String: Service] = [:]

    /// - Parameter notes: the candidate notes, in the order a tie goes to the earlier one.
    init(notes: [Page]) {
        for note in notes {
            var service = services[note.serviceID] ?? Service()
            let index = service.notes.count
            service.notes.append(note)
            func add(_ text: String, heading: String?) {
                let place = service.places.count
                service.places.append(Place(note: index, heading: heading))
                for word in SiteRenderer.words(text) { service.postings[word, default: []].append(place) }
            }
            add(note.title, heading: nil)
            for heading in note.headings where heading.level >= 2 { add(heading.text, heading: heading.id) }
            services[note.serviceID] = service
        }
    }

    /// The note of `serviceID` that best explains a card with these words, and the id of its
    /// heading that does (nil: the note as a whole). A note scores the words its title shares
    /// with the card plus twice those its best heading shares (the first such heading); the
    /// highest score wins, the earlier note on a tie; nil when no note shares a word.
    func best(for words: Set<String>, serviceID: String) -> (page: Page, anchor: String?)? {
        guard let service = services[serviceID] else { return nil }
        // How many of the card's words each place shares; the places touched, each once.
        var shared = [Int32](repeating: 0, count: service.places.count), touched: [Int] = []
        for word in words {
            for place in service.postings[word] ?? [] {
                if shared[place] == 0 { touched.append(place) }
                shared[place] += 1
            }
        }
        var best: (score: Int, note: Int, anchor: String?)?
        // Places in order visit each note's title before its headings, and notes in order.
        var note = -1, title = 0, top = (count: 0, anchor: String?.none)
        func close() {
            guard note >= 0 else { return }
            let score = title + 2 * top.count
            if score > (best?.score ?? 0) { best = (score, note, top.anchor) }
        }
        for place in touched.sorted() {
            let entry = service.places[place], count = Int(shared[place])
            if entry.note != note {
                close()
                note = entry.note
                title = 0
                top = (0, nil)
            }
            if let heading = entry.heading {
                if count > top.count { top = (count, heading) }
            } else {
                title = count
            }
        }
        close()
        return best.map { (service.notes[$0.note], $0.anchor) }
    }
}
