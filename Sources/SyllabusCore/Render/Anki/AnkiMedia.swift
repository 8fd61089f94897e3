import Foundation

/// Pictures in Anki fields. Anki keeps media in one flat folder per collection, a field names
/// a file by its bare name, and an import skips a file whose name the collection already
/// holds. So a picture beside a note is exported under `LocalFile.flatName`: its own name and
/// a hash of its bytes (`diagram-1a2b3c4d.png`). Two different pictures with one name in
/// different folders get different names, the same picture shown twice is one file, and a
/// changed picture gets a new name, which reaches the collection on the next import.
enum AnkiMedia {
    struct File: Equatable {
        /// The name in the package, the `media/` folder and the field.
        var name: String
        /// Path relative to the content folder.
        var source: String
        var data: Data
    }

    /// Where a card's links point in Anki: a picture it shows at its media name, anything else
    /// at the published site (`site`, the absolute href of a target), or nowhere (shown as text).
    /// A picture the content folder lacks (the link stage binds one only when its name is a
    /// plain file name, see `Linker.isAnkiMediaName`) keeps that name: Anki shows it from the
    /// collection's media folder, where a card imported from Anki has it.
    static func href(_ target: LinkTarget, in set: LinkedStudySet, site: (LinkTarget) -> String?) -> String? {
        if case let .file(path, true) = target {
            if let file = set.localFiles[path] { return file.isImage ? file.flatName : nil }
            return path.split(separator: "/").last.map(String.init)
        }
        return site(target)
    }

    /// The pictures every page with cards or questions shows, by media name: what the `media/`
    /// folder beside the TSV files holds. Worked out from the link stage's facts, without
    /// rendering a card, so an unchanged folder is known without making anything.
    static func pictures(of set: LinkedStudySet) -> [String: LocalFile] {
        var pictures: [String: LocalFile] = [:]
        for page in set.studySet.allPages where !page.cards.isEmpty || !page.questions.isEmpty {
            for case let .file(path, true) in set.links(of: page).targets {
                if let file = set.localFiles[path], file.isImage { pictures[file.flatName] = file }
            }
        }
        return pictures
    }

    /// The media names `html` shows (`<img src="NAME">`) among `known`, in order of first use.
    static func names(in html: String, known: [String: LocalFile]) -> [String] {
        var names: [String] = []
        var rest = Substring(html)
        while let tag = rest.range(of: "<img "), let source = rest[tag.upperBound...].range(of: "src=\""),
              let end = rest[source.upperBound...].firstIndex(of: "\"") {
            let name = String(rest[source.upperBound..<end])
            rest = rest[end...]
            if known[name] != nil, !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The files behind `names`, each read once; a file that cannot be read any more is left out.
    static func files(_ names: some Sequence<String>, known: [String: LocalFile], reader: LocalFiles?) -> [File] {
        Set(names).sorted().compactMap { name in
            guard let file = known[name], let data = reader?.data(file) else { return nil }
            return File(name: name, source: file.path, data: data)
        }
    }
}
