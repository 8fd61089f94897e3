import Foundation

/// Writes a new, working study set into a folder (`syllabus init`): a commented
/// `syllabus.yml`, a service catalog, the exam description, one note, one card file, one exam
/// question file, a `.gitignore` for `Output/`, the CI workflow and a copy of the default theme.
///
/// The catalog (`Content/services.yml`), `Content/exam.yml`, the theme (`Templates/`) and the
/// workflow (`docs/ci/syllabus.yml`) are copied from a Syllabus checkout, so a new set always
/// starts from the files the bundled study set is built and tested with.
public struct StudySetInitializer {
    /// Why nothing was written.
    enum Failure: Error, CustomStringConvertible {
        /// These files (paths relative to the destination) exist already.
        case wouldOverwrite([String])
        /// The Syllabus checkout lacks this file or folder.
        case missingSource(String)

        /// The message `syllabus init` prints.
        var description: String {
            switch self {
            case let .wouldOverwrite(paths):
                return "refusing to overwrite \(paths.count) existing file\(paths.count == 1 ? "" : "s") (nothing was written): "
                    + paths.joined(separator: ", ")
            case let .missingSource(path):
                return "cannot find \(path) to copy into the new study set; pass --from with the Syllabus checkout"
            }
        }
    }

    /// The folder to create the study set in; it may exist, but none of the files written may.
    var destination: URL
    /// A Syllabus checkout (holding `Templates/`, `Content/services.yml`, `Content/exam.yml`
    /// and `docs/ci/syllabus.yml`).
    var home: URL
    /// One example service (AWS Lambda) instead of the whole DVA-C02 catalog.
    var empty: Bool

    /// Writes nothing until `run` is called.
    public init(destination: URL, home: URL, empty: Bool = false) {
        self.destination = destination
        self.home = home
        self.empty = empty
    }

    /// The Syllabus checkout an executable was built in: the nearest folder above it holding
    /// `Package.swift`, `Templates/layout.mustache` and `Content/services.yml`, or nil.
    public static func home(containing executable: URL) -> URL? {
        var folder = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        let manager = FileManager.default
        while folder.path != "/" {
            if ["Package.swift", "Templates/layout.mustache", "Content/services.yml"].allSatisfy({
                manager.fileExists(atPath: folder.appendingPathComponent($0).path)
            }) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// How to run this executable again from another folder, for the next steps `init`
    /// prints: the name the shell found it by (`argv0` without a `/`, as `syllabus` run from
    /// PATH), or that name when the first `PATH` folder holding it holds this same file; else
    /// its absolute path (`.build/release/syllabus`, typed in the checkout as the README shows,
    /// no longer runs after `cd`), quoted for a POSIX shell (`shellWord`). `argv0` is
    /// `CommandLine.arguments[0]`, read relative to `currentDirectory`; `path` is the `PATH`
    /// variable.
    public static func command(invokedAs argv0: String, path: String?, currentDirectory: URL) -> String {
        guard argv0.contains("/") else { return argv0 }
        let executable = (argv0.hasPrefix("/") ? URL(fileURLWithPath: argv0) : currentDirectory.appendingPathComponent(argv0)).standardizedFileURL
        let name = executable.lastPathComponent
        for folder in (path ?? "").split(separator: ":") where folder.hasPrefix("/") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            guard FileManager.default.isExecutableFile(atPath: candidate.path) else { continue }
            if candidate.resolvingSymlinksInPath().path == executable.resolvingSymlinksInPath().path { return name }
            break
        }
        return shellWord(executable.path)
    }

    /// `text` as one word of a POSIX shell command: as it is when it holds only letters,
    /// digits and `/._-+@%:,~` (`~` only after the first character), else in single quotes.
    public static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && !text.hasPrefix("~") && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._-+@%:,~".unicodeScalars.contains($0)
        }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Every file of the new set, by path relative to the destination, in writing order.
    /// - Throws: `Failure.missingSource` when `home` lacks a file to copy or the theme;
    ///   Foundation's errors when one cannot be read.
    func files() throws -> [(path: String, data: Data)] {
        var files: [(String, Data)] = [
            ("syllabus.yml", Data(Self.config(empty: empty).utf8)),
            ("Content/services.yml", empty ? Data(Self.exampleCatalog.utf8) : try source("Content/services.yml")),
            ("Content/exam.yml", try source("Content/exam.yml")),
            ("Content/lambda/overview.md", Data(Self.note.utf8)),
            ("Content/lambda/lambda.cards.md", Data(Self.cards.utf8)),
            ("Content/lambda/lambda.exam.md", Data(Self.questions.utf8)),
            (".gitignore", Data("# Everything `syllabus build` writes; rebuilt from Content/ and Templates/.\nOutput/\n".utf8)),
            (".github/workflows/syllabus.yml", try source("docs/ci/syllabus.yml")),
        ]
        let templates = home.appendingPathComponent("Templates")
        guard let walker = FileManager.default.enumerator(at: templates, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw Failure.missingSource(templates.path)
        }
        var theme: [(String, Data)] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(templates.standardizedFileURL.path.count + 1))
            theme.append(("Templates/" + relative, try Data(contentsOf: url)))
        }
        if theme.isEmpty { throw Failure.missingSource(templates.path) }
        files += theme.sorted { $0.0 < $1.0 }
        return files
    }

    /// Writes the set and returns the paths written; writes nothing and throws
    /// `Failure.wouldOverwrite` when any of them exists (or is a dangling symlink).
    /// - Throws: also what `files()` throws, and Foundation's errors when a folder or file
    ///   cannot be written (files written before then stay).
    @discardableResult
    public func run() throws -> [String] {
        let files = try files()
        let existing = files.map(\.path).filter {
            (try? FileManager.default.attributesOfItem(atPath: destination.appendingPathComponent($0).path)) != nil
        }
        if !existing.isEmpty { throw Failure.wouldOverwrite(existing) }
        for (path, data) in files {
            let url = destination.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            // `withoutOverwriting` keeps the promise if a file appears after the check above.
            try data.write(to: url, options: .withoutOverwriting)
        }
        return files.map(\.path)
    }

    private func source(_ path: String) throws -> Data {
        let url = home.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw Failure.missingSource(url.path) }
        return data
    }

    /// The `author` that `config(empty:)` writes, for the writer to replace (a build making the
    /// EPUB warns while it is there).
    static let authorPlaceholder = "Your name"

    static func config(empty: Bool) -> String {
        let title = empty ? "My study notes" : "AWS Certified Developer – Associate Study Notes"
        let deck = empty ? "My study notes" : "AWS DVA-C02"
        return """
            # Syllabus configuration: what this study set is called and what `syllabus build` makes
            # from Content/ (see "syllabus.yml" in Syllabus's README).
            title: \(title)
            author: \(authorPlaceholder)
            language: en                # the language of the notes (site, EPUB)
            # Where Output/site is published; Anki cards link to their notes there. Unset, such
            # links become plain text.
            # base_url: https://study.example.com/
            deck: \(deck)               # the root Anki deck; each service gets a sub-deck
            outputs: [site, anki, epub, cheatsheets]
            unsafe_html: false          # true keeps raw HTML in notes
            # paper: A4                 # cheat sheet paper: A4 or letter
            # stale_months: 12          # warn about notes not checked against their sources for a year

            """
    }

    static let exampleCatalog = """
        # The service catalog: one entry per service, and one folder per id in Content/.
        # Names, short names and aliases are how prose mentions a service: the first mention
        # in each section links to the service's page.
        - id: lambda
          name: AWS Lambda
          short: Lambda
          aliases: [Lambda function, Lambda functions]
          category: Compute
          docs: https://docs.aws.amazon.com/lambda/latest/dg/welcome.html

        """

    static let note = """
        ---
        title: AWS Lambda overview
        sources:
          - https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
        ---

        # AWS Lambda overview

        A note is a Markdown file in a service's folder. This one belongs to Lambda because it
        sits in `Content/lambda/`. Lambda runs a function's code when an event arrives and bills
        for the time it runs.

        ## Key numbers

        A table under a heading named *Key numbers* goes onto the service's cheat sheet.

        | Limit | Value |
        |---|---|
        | Longest run of one invocation | 15 minutes (900 seconds) |
        | Memory | 128 MB to 10,240 MB |
        | Environment variables, all together | 4 KB |

        ## Exam traps

        - Lambda gives a function CPU in proportion to its memory setting: a CPU-bound function
          gets faster with more memory.
        - Code outside the handler runs once per execution environment, so connections made
          there are reused by warm invocations.

        """

    static let cards = """
        ---
        title: Lambda flashcards
        ---

        # Lambda flashcards

        In a card file, a line with two colons in the middle is a flashcard too:

        Where should a function open its database connection? :: Outside the handler, so warm invocations reuse it.

        ## What is the longest a single Lambda invocation can run?
        <!-- id: lambda-longest-invocation -->

        15 minutes (900 seconds); see the [key numbers](overview.md#key-numbers).

        ## Lambda allocates CPU in proportion to a function's ==memory== setting.
        <!-- id: lambda-cpu-follows-memory -->

        More memory makes a CPU-bound function faster, and often cheaper.

        """

    static let questions = """
        ---
        domain: troubleshooting
        ---

        # Lambda practice questions

        ## A slow image-resizing function
        <!-- id: lambda-slow-cpu-bound -->

        A Lambda function that resizes images has 256 MB of memory and uses 120 MB of it. Each
        invocation takes 9 seconds, limited by CPU. How can a developer make it faster without
        changing the code?

        - [ ] Turn on provisioned concurrency.
        - [x] Raise the function's memory setting.
        - [ ] Give the function more ephemeral storage.

        Lambda gives a function CPU in proportion to its memory ([exam traps](overview.md#exam-traps)).
        Provisioned concurrency only removes cold starts, and storage does not add CPU.

        """
}
