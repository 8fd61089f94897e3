import ArgumentParser
import Foundation
import SyllabusCore
import SyllabusServe

@main
struct Syllabus: AsyncParsableCommand {
    // Every command names itself (`commandName`): ArgumentParser otherwise derives each name
    // from its type's, through the runtime's reflection, on every start of the process.
    static let configuration = CommandConfiguration(
        commandName: "syllabus",
        abstract: "Builds a study website, Anki decks, an EPUB and cheat sheets from Markdown notes.",
        version: SyllabusVersion.current,
        subcommands: [Init.self, Build.self, Serve.self, Check.self, Clean.self, Cards.self, Import.self])

    /// ArgumentParser's own `main`, with the malloc settings for `build`: they must come
    /// before any thread allocates (see `MemoryPolicy`), and are for a process that exits
    /// after one build, never for `serve`.
    static func main() async {
        suggestCommand(for: Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot()
            if command is Build { MemoryPolicy.tuneForOneRun() }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // ArgumentParser starts its messages with "Error:"; every other message of the
            // tool starts with "error:", as a compiler's do. Help and version (success) are
            // left to ArgumentParser, which writes them to standard output.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            guard code != .success, message.hasPrefix("Error: ") else { exit(withError: error) }
            FileHandle.standardError.write(Data(("error: " + message.dropFirst("Error: ".count) + "\n").utf8))
            Foundation.exit(code.rawValue)
        }
    }

    /// The root takes no argument of its own, so a first word that names no subcommand is a
    /// mistyped one: ArgumentParser would only say "Unexpected argument"; this names the
    /// closest command and exits with ArgumentParser's usage status.
    static func suggestCommand(for arguments: [String]) {
        guard let typed = arguments.first, !typed.hasPrefix("-") else { return }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        guard !names.contains(typed), let close = Suggestion.closest(to: typed, among: names) else { return }
        FileHandle.standardError.write(Data("error: unknown command '\(typed)'; did you mean '\(close)'?\n".utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }
}

/// Where the content and its configuration are; every command that reads them shares these.
struct ContentOptions: ParsableArguments {
    @Option(help: "The content folder: services.yml and one folder of notes per service.")
    var content = "Content"

    @Option(help: "The configuration file (default: syllabus.yml; a file named here must exist).")
    var config: String?

    /// A mistyped `--content` is named as such, not as a missing services.yml inside it.
    /// Called first in `run`, not as `validate()`: ArgumentParser validates option groups
    /// before the command, and a contradiction in the flags is the first thing to say.
    func checkContentFolder() throws {
        do {
            try ContentFolder.check(content)
        } catch let missing as ContentFolder.Missing {
            FileHandle.standardError.write(Data("error: \(missing)\n".utf8))
            throw ExitCode(1)
        }
    }

    /// `check` and `cards` stop before rendering, so they never read templates or write output.
    func buildOptions(templates: String = "Templates", output: String = "Output") -> BuildOptions {
        var options = BuildOptions(contentRoot: URL(fileURLWithPath: content), templatesRoot: URL(fileURLWithPath: templates),
                                   outputRoot: URL(fileURLWithPath: output), configFile: URL(fileURLWithPath: config ?? "syllabus.yml"))
        // Only the default may be missing (then the defaults apply): a path the user typed is
        // meant to be read.
        options.configRequired = config != nil
        return options
    }
}

/// Where `build` and `serve` read the theme from and write the outputs to.
struct RenderOptions: ParsableArguments {
    @Option(help: "The templates folder (layout, pages, assets).")
    var templates = "Templates"

    @Option(help: "The output folder. Syllabus replaces only the folders it generated there.")
    var output = "Output"
}

/// Writes a line to standard error.
@Sendable func printNotice(_ text: String) {
    FileHandle.standardError.write(Data("syllabus: \(text)\n".utf8))
}

/// Refuses an empty output path before it is read as the working directory.
func validateOutputPath(_ output: String) throws {
    guard !output.isEmpty else { throw ValidationError(OutputFolder.Refusal.emptyPath.description) }
}

/// Prints diagnostics like a compiler, to standard error, one a line.
func printDiagnosticLines(_ diagnostics: [Diagnostic]) {
    for diagnostic in diagnostics {
        FileHandle.standardError.write(Data("\(diagnostic)\n".utf8))
    }
}

/// Prints diagnostics like a compiler, to standard error, then their count.
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    guard !diagnostics.isEmpty else { return }
    printDiagnosticLines(diagnostics)
    let errors = diagnostics.filter { $0.severity == .error }.count
    FileHandle.standardError.write(Data("\(counted(errors, "error")), \(counted(diagnostics.count - errors, "warning"))\n".utf8))
}

/// On a terminal, one line on standard error that each stage overwrites; elsewhere nothing,
/// so logs and pipes get only the summary.
enum TerminalProgress {
    static let enabled = isatty(STDERR_FILENO) == 1

    static let show: @Sendable (String) -> Void = { stage in
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(stage)…".utf8))
    }

    static let silent: @Sendable (String) -> Void = { _ in }

    /// For `--verbose`: each stage on its own line, with the time since the build started.
    static func timed() -> @Sendable (String) -> Void {
        let start = Date()
        return { stage in
            FileHandle.standardError.write(Data(String(format: "%6.3f s  %@\n", Date().timeIntervalSince(start), stage).utf8))
        }
    }

    static func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build", abstract: "Build every output enabled in syllabus.yml.")

    @OptionGroup var options: ContentOptions

    @OptionGroup var folders: RenderOptions

    @Flag(help: "Print only diagnostics.")
    var quiet = false

    @Flag(help: "Print each stage with its start time, and what was written.")
    var verbose = false

    @Flag(help: "Treat every warning as an error (as `strict: true` in syllabus.yml does).")
    var strict = false

    @Flag(help: "Print each stage's wall-clock and CPU seconds to standard error when the build ends (`timing: 0.123 Linking`, `cpu: 0.201 Linking`).")
    var timings = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose contradict each other: pass one of them") }
        try validateOutputPath(folders.output)
    }

    @Flag(help: "Also print each cheat sheet to PDF (Output/cheatsheets/*.pdf) with headless Chromium, which must be on PATH.")
    var pdf = false

    func run() async throws {
        try options.checkContentFolder()
        var buildOptions = options.buildOptions(templates: folders.templates, output: folders.output)
        if pdf { buildOptions.pdfPrinter = try checkedPDFPrinter(buildOptions) }
        let report: BuildReport
        do {
            defer { TerminalProgress.clear() }
            let shown = verbose ? TerminalProgress.timed() : quiet ? TerminalProgress.silent : TerminalProgress.show
            let stages = timings ? StageTimings() : nil
            var progress = shown
            if let stages { progress = { stage in stages.mark(stage); shown(stage) } }
            buildOptions.keepsModelUntilExit = true
            buildOptions.givesBackFreedMemory = true
            buildOptions.strict = strict
            report = try await Pipeline(options: buildOptions, progress: progress, notice: printNotice).build()
            stages?.finish()
            if let stages { FileHandle.standardError.write(Data(stages.lines.map { $0 + "\n" }.joined().utf8)) }
        } catch let failure as TemplateSet.Failure {
            FileHandle.standardError.write(Data("\(failure.line)\n".utf8))
            throw ExitCode(1)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        printDiagnostics(report.diagnostics)
        if report.failed {
            FileHandle.standardError.write(Data("build failed: nothing was written\n".utf8))
            throw ExitCode(1)
        }
        for note in report.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        if !quiet {
            let counts = "\(counted(report.pages, "note")), \(counted(report.services, "service")), \(counted(report.cards, "card"))"
            var line = report.upToDate
                ? "Up to date (nothing changed): \(counts), checked in \(String(format: "%.2f", report.seconds)) s"
                : "Built \(counts)\(report.changedFiles) in \(String(format: "%.2f", report.seconds)) s"
            if let written = report.written, verbose {
                line += " (\(counted(report.notesRead, "note")) read, \(counted(written.written, "file")) written, \(written.unchanged) unchanged)"
            }
            print(line)
        }
    }

}

/// The printer for `--pdf` (`build`, `serve`), checked before building: fails clearly when
/// Chromium is missing or the cheat sheets are not built.
func checkedPDFPrinter(_ build: BuildOptions) throws -> PDFPrinter {
    guard ProjectConfig.load(from: build.configFile, diagnostics: DiagnosticLog()).outputs.contains(.cheatsheets) else {
        FileHandle.standardError.write(Data("error: --pdf prints cheat sheets, but syllabus.yml does not enable the 'cheatsheets' output\n".utf8))
        throw ExitCode(1)
    }
    guard let printer = PDFPrinter.find() else {
        FileHandle.standardError.write(Data("error: \(PDFPrinter.Failure.browserMissing)\n".utf8))
        throw ExitCode(1)
    }
    return printer
}

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new study set: syllabus.yml, Content/, Templates/, .gitignore and a CI workflow.",
        discussion: "Refuses to overwrite any file; writes nothing when one of them exists.")

    @Argument(help: "The folder to create the study set in (made if missing).")
    var directory = "."

    @Flag(help: "Start with one example service (AWS Lambda) instead of the DVA-C02 catalog.")
    var empty = false

    @Option(help: "The Syllabus checkout to copy the default theme, catalog and CI workflow from (default: the one this syllabus was built in).")
    var from: String?

    func run() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        guard let home = from.map({ URL(fileURLWithPath: $0) }) ?? StudySetInitializer.home(containing: Bundle.main.executableURL ?? executable) else {
            FileHandle.standardError.write(Data("error: cannot find the Syllabus checkout this executable was built in; pass --from with its path\n".utf8))
            throw ExitCode(1)
        }
        let written: [String]
        do {
            written = try StudySetInitializer(destination: URL(fileURLWithPath: directory), home: home, empty: empty).run()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let theme = written.filter { $0.hasPrefix("Templates/") }.count
        print("Created a study set in \(directory): \(written.count - theme) files and the default theme (\(theme) files in Templates/). Next:")
        let syllabus = StudySetInitializer.command(invokedAs: CommandLine.arguments[0], path: ProcessInfo.processInfo.environment["PATH"],
                                                   currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        // One `cd`, on its own line: the lines are typed in order, and a second `cd` would fail.
        if directory != "." { print("  cd \(StudySetInitializer.shellWord(directory))") }
        print("  \(syllabus) serve    # preview at http://127.0.0.1:8000/, updated on every save (Ctrl-C stops it)")
        print("  \(syllabus) build    # the site, decks, EPUB and cheat sheets in Output/")
        print("Write your name as author in syllabus.yml: the EPUB names its author from there.")
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build, serve the site over HTTP and rebuild on every change, updating open pages.")

    @OptionGroup var options: ContentOptions

    @OptionGroup var folders: RenderOptions

    @Option(help: "The address to listen on; 0.0.0.0 opens it to other machines.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port: UInt16 = 8000

    @Flag(help: "Open the site in the default browser once it is served.")
    var open = false

    @Flag(help: "Also print each changed cheat sheet to PDF (Output/cheatsheets/*.pdf) with headless Chromium, which must be on PATH.")
    var pdf = false

    @Flag(help: "Print when each change is seen and each build stage starts, with the time of day (UTC) to the millisecond.")
    var verbose = false

    func validate() throws {
        guard DevServer.isAddress(listenAddress) else {
            throw ValidationError("--host \(host): not an IPv4 or IPv6 address (such as 127.0.0.1, 0.0.0.0 or ::1) nor localhost")
        }
    }

    /// `--host` as an address: `localhost` is this machine's IPv4 loopback, as a browser
    /// reads it; other names are not looked up.
    private var listenAddress: String { host == "localhost" ? "127.0.0.1" : host }

    func run() async throws {
        try options.checkContentFolder()
        // A shell starts a background job with SIGINT ignored, and the process would keep
        // that: Ctrl-C (or `kill -INT`) must stop serve however it was started.
        signal(SIGINT, SIG_DFL)
        let say: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data("\(line)\n".utf8)) }
        var stages: @Sendable (String) -> Void = { _ in }
        if verbose { stages = { stage in say(Serve.timeOfDay() + "  " + stage) } }
        // No `keepsModelUntilExit` here: a long-running process frees each build's model.
        var buildOptions = options.buildOptions(templates: folders.templates, output: folders.output)
        if pdf { buildOptions.pdfPrinter = try checkedPDFPrinter(buildOptions) }
        let server: DevServer
        do {
            server = try DevServer(options: buildOptions, host: listenAddress, port: port, log: say, progress: stages)
        } catch {
            say("error: --host \(host): \(error)")
            throw ExitCode(1)
        }
        do {
            try await run(server, say: say)
        } catch let failure as DevServer.ListenFailure {
            say("error: \(failure)")
            throw ExitCode(1)
        } catch let held as ServeLock.Held {
            say("error: \(held)")
            throw ExitCode(1)
        } catch let refusal as OutputFolder.Refusal {
            say("error: \(refusal)")
            throw ExitCode(1)
        }
    }

    private func run(_ server: DevServer, say: @escaping @Sendable (String) -> Void) async throws {
        let host = listenAddress, output = folders.output, open = self.open
        try await server.run { listening in
            // Listening on every address (0.0.0.0, ::), the server has none a browser can go
            // to: this machine's loopback is shown and opened instead.
            let everyAddress = host == "0.0.0.0" || host == "::"
            let url = everyAddress ? Serve.loopback(of: listening, ipv6: host == "::") : listening
            let reach = host == "127.0.0.1" || host == "::1" ? "this machine only (--host 0.0.0.0 to share it)"
                : everyAddress ? "every machine that can reach this one, at any of its addresses" : "every machine that can reach \(host)"
            say("Serving \(output)/site at \(url) on \(host), for \(reach)")
            say("Downloads (EPUB, decks, cheat sheets): \(url)__syllabus/outputs/  ·  watching for changes; Ctrl-C stops")
            if open { Serve.openInBrowser(url) }
        }
    }

    /// `url` with this machine's loopback address (`127.0.0.1`, or `[::1]`) as its host.
    static func loopback(of url: URL, ipv6: Bool) -> URL {
        var parts = URLComponents(url: url, resolvingAgainstBaseURL: false)
        parts?.host = ipv6 ? "[::1]" : "127.0.0.1"
        return parts?.url ?? url
    }

    /// `HH:MM:SS.mmm`, UTC: what `--verbose` stamps its lines with, comparable with a script's
    /// clock (the save-to-page benchmark's, say).
    static func timeOfDay() -> String {
        let now = Date().timeIntervalSince1970
        let milliseconds = Int((now * 1000).rounded(.down))
        let (h, m, s, ms) = (milliseconds / 3_600_000 % 24, milliseconds / 60_000 % 60, milliseconds / 1000 % 60, milliseconds % 1000)
        return String(format: "%02d:%02d:%02d.%03d", h, m, s, ms)
    }

    static func openInBrowser(_ url: URL) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        #if os(macOS)
        process.arguments = ["open", url.absoluteString]
        #else
        process.arguments = ["xdg-open", url.absoluteString]
        #endif
        try? process.run()
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Report every problem in the content; write nothing.")

    @OptionGroup var options: ContentOptions

    @Option(help: "Warn about notes and cards not checked within this many months, or naming no sources (overrides stale_months in syllabus.yml).")
    var stale: Int?

    @Flag(help: "Treat every warning as an error (as `strict: true` in syllabus.yml does).")
    var strict = false

    func validate() throws {
        if let stale, stale < 1 { throw ValidationError("--stale takes a number of months above 0") }
    }

    func run() async throws {
        try options.checkContentFolder()
        let diagnostics = DiagnosticLog()
        var buildOptions = options.buildOptions()
        buildOptions.staleMonths = stale
        buildOptions.strict = strict
        let set = Pipeline(options: buildOptions).analyze(diagnostics)
        printDiagnostics(diagnostics.all)
        if diagnostics.hasErrors { throw ExitCode(1) }
        // The warnings just listed are counted here too, so that "OK" does not read as "clean".
        let warnings = diagnostics.all.count
        print("OK: \(counted(set.noteCount, "note")), \(counted(set.studySet.cards.count, "card")), no errors"
              + (warnings > 0 ? ", \(counted(warnings, "warning"))" : ""))
    }
}

struct Clean: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean", abstract: "Remove what Syllabus generated in the output folder, nothing else.")

    @Option(help: "The output folder.")
    var output = "Output"

    func validate() throws { try validateOutputPath(output) }

    func run() async throws {
        let removed: [String]
        do {
            removed = try OutputWriter(outputRoot: URL(fileURLWithPath: output)).clean { holder in
                printNotice("waiting for the build \(holder.map { "by process \($0) " } ?? "")that is writing \(output)")
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print(removed.isEmpty ? "Nothing to clean" : "Removed \(removed.map { "\(output)/\($0)" }.joined(separator: ", "))")
    }
}

struct Cards: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cards",
        abstract: "Work with flashcards in the content.",
        discussion: "--pin-ids writes <!-- id: … --> after every card that has none, keeping its current Anki GUID, so that later edits of a front update the same Anki note.")

    @OptionGroup var options: ContentOptions

    @Flag(name: .customLong("pin-ids"), help: "Write a stable id into every card that lacks one.")
    var pinIDs = false

    func run() async throws {
        try options.checkContentFolder()
        guard pinIDs else { throw ValidationError("say what to do, e.g. --pin-ids") }
        let diagnostics = DiagnosticLog()
        let build = options.buildOptions()
        let set = Pipeline(options: build).analyze(diagnostics)
        // Only what stops the pinning is printed; the warnings are counted (`check` lists them).
        let errors = diagnostics.all.filter { $0.severity == .error }
        let warnings = diagnostics.all.count - errors.count
        if !errors.isEmpty {
            printDiagnosticLines(errors)
            FileHandle.standardError.write(Data(("\(counted(errors.count, "error")); fix the errors first: no file was changed"
                + (warnings == 0 ? "" : " (and \(counted(warnings, "warning")): `syllabus check` lists them)") + "\n").utf8))
            throw ExitCode(1)
        }
        let changed = try IDPinner.pin(set.studySet, contentRoot: build.contentRoot)
        for (pageID, text) in changed.sorted(by: { $0.key < $1.key }) {
            let url = build.contentRoot.appendingPathComponent(pageID)
            try Data(text.utf8).write(to: url, options: .atomic)
        }
        let count = set.studySet.cards.filter { $0.pinnedID == nil }.count
        print(IDPinner.summary(cards: count, files: changed.count, warnings: warnings))
    }
}

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn an Anki or Quizlet deck into card files in the content folder.",
        discussion: """
            Reads an Anki "Notes in Plain Text" export (.txt, with its # header lines), an Anki package (.apkg) or a \
            Quizlet export, and writes Content/<service>/imported-<file name>.cards.md per service, the service named by \
            a card's deck or else by its text (the rest: Content/imported-<file name>.cards.md; the report says how many \
            and why). Decks are kept as deck:: tags (not Anki's catch-all Default deck). Anki GUIDs become card ids, so the next build updates the notes \
            already in your collection; a note that is already a card or exam question of the study set (an export of a \
            deck built here) is left as it is. An existing file is updated in place, never replaced.
            """)

    @Argument(help: "The export to import.")
    var file: String

    @Option(help: "anki (Notes in Plain Text), apkg or quizlet (default: from the extension and the file's header lines).")
    var format: CardImporter.Options.Format?

    @Option(help: "Put every card into this service (a service id of services.yml, or general).")
    var service: String?

    @Option(name: .customLong("term-separator"), help: "Quizlet: between term and definition (\\t is a tab, \\n a line break).")
    var termSeparator = "\\t"

    @Option(name: .customLong("card-separator"), help: "Quizlet: between cards (\\t is a tab, \\n a line break).")
    var cardSeparator = "\\n"

    /// The set's own cards are found as `check` finds them, under the same configuration.
    @OptionGroup var folders: ContentOptions

    @Flag(name: .customLong("dry-run"), help: "Print what would be written, and write nothing.")
    var dryRun = false

    func run() async throws {
        var options = CardImporter.Options(file: URL(fileURLWithPath: file), studySet: folders.buildOptions())
        // As for `build` and `check`, only the default may be missing: a file the user named is meant to be read.
        if let named = folders.config, !FileManager.default.fileExists(atPath: named) {
            FileHandle.standardError.write(Data("\(named):1:1: error: no such configuration file\n".utf8))
            throw ExitCode(1)
        }
        options.format = format
        options.service = service
        options.termSeparator = QuizletReader.unescape(termSeparator)
        options.cardSeparator = QuizletReader.unescape(cardSeparator)
        options.dryRun = dryRun
        guard !options.termSeparator.isEmpty, !options.cardSeparator.isEmpty, options.termSeparator != options.cardSeparator else {
            throw ValidationError("the term and card separators must be different and not empty")
        }
        let importer = CardImporter(options)
        do {
            let plan = try importer.plan()
            if dryRun { importer.discard(plan) } else { try importer.write(plan) }
            print(CardImporter.report(plan, dryRun: dryRun), terminator: "")
            if plan.failed { throw ExitCode(1) }
        } catch let error as ImportError {
            printDiagnosticLines(error.diagnostics)
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension CardImporter.Options.Format: ExpressibleByArgument {}

/// glibc malloc settings for a process that does one job and exits. A thread's malloc heap
/// grows one `mprotect` at a time, taking the process's memory lock each time (tens of
/// thousands of calls in a large build, page faults of the other threads waiting behind them;
/// the figure is in Benchmarks/README.md); with a top pad of 16 MiB it grows in larger steps
/// (a full build of the benchmark corpus: 13,600 calls instead of 37,000; README,
/// Performance). Untouched pages cost nothing. The pad is also what glibc keeps of the
/// memory freed at a heap's top instead of giving it back, so it is not as large as a heap: a
/// pad of 64 MiB kept every heap whole, and the renderers' large transient buffers resident
/// (peak RSS of a full build of the 2,001-note corpus about 10-15 MB higher, Benchmarks/README.md).
enum MemoryPolicy {
    /// Sets glibc's top pad, and has malloc keep blocks of up to 32 MiB in its heaps (see
    /// `FreedMemory.keepLargeBlocks`: a build that makes many files puts that back before
    /// rendering); elsewhere (macOS's malloc has no such settings) it does nothing.
    static func tuneForOneRun() {
        #if os(Linux)
        // Looked up at run time: Swift's Glibc module does not include <malloc.h>.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        let topPad: Int32 = -2  // M_TOP_PAD in <malloc.h>
        _ = mallopt(topPad, 16 << 20)
        #endif
        // Until the build knows it makes many files (see `BuildOptions.givesBackFreedMemory`).
        FreedMemory.keepLargeBlocks()
    }
}

