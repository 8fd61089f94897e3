import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import SyllabusCore

/// `syllabus serve`: builds, serves the site folder over HTTP, watches the content, templates
/// and configuration, rebuilds (incrementally) on every change and tells the open pages once
/// the new files are in place (see `LiveReloadHub`).
///
/// Besides the site's own files it answers `/__syllabus/live.js` (the script it adds to every
/// HTML page it sends), `/__syllabus/events` (the event stream) and `/__syllabus/outputs/`
/// (download links to the EPUB, the decks and the cheat sheets, served from their folders).
///
/// The HTTP server is Hummingbird's (on SwiftNIO), answering every request with `Router`.
public final class DevServer: Sendable {
    /// The folders of the output folder offered for download, besides the site.
    static let downloadFolders = ["ebook", "anki", "cheatsheets"]

    /// What each build reads and writes; the site served is `options.outputRoot/site`.
    public let options: BuildOptions
    let host: String
    let port: UInt16
    /// The open pages, told when a build went live or failed.
    public let hub = LiveReloadHub()
    /// The address listened on, once listening.
    private let listening = ListeningAddress()
    private let log: @Sendable (String) -> Void
    /// Told the name of each stage of each build as it starts (`Pipeline`'s progress).
    private let progress: @Sendable (String) -> Void
    let builds = BuildQueue()
    /// What each build keeps for the next (the build cache, in memory).
    private let session = BuildSession()
    /// Set once the first build was reported.
    private let hadFirstBuild = Flag()
    /// Which diagnostics the terminal was shown (each build prints only the new ones).
    private let shownInTerminal = TerminalDiagnostics()

    /// A server for `options`' build on `host` (an IPv4 or IPv6 address) and `port` (0: any
    /// free port). `log` receives what the terminal shows: each build's result and diagnostics;
    /// `progress` each build's stages as they start, and `Change seen` when the watcher
    /// reports a change (for `serve --verbose`).
    /// - Throws: `NotAnAddress` when `host` is not an IPv4 or IPv6 address.
    public init(options: BuildOptions, host: String, port: UInt16, log: @escaping @Sendable (String) -> Void,
                progress: @escaping @Sendable (String) -> Void = { _ in }) throws {
        guard Self.isAddress(host) else { throw NotAnAddress() }
        self.options = options
        self.host = host
        self.port = port
        self.log = log
        self.progress = progress
    }

    /// Whether `host` is an IPv4 or IPv6 address (names are not looked up).
    public static func isAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// `--host` named no address (a name such as `localhost` is not looked up).
    public struct NotAnAddress: Error, CustomStringConvertible {
        public var description: String { "not an IPv4 or IPv6 address (such as 127.0.0.1, 0.0.0.0 or ::1)" }
    }

    /// Builds once, then serves and watches until the task is cancelled. `ready` gets the
    /// address it listens on. Before building it claims the output folder for this process
    /// until it returns (see `ServeLock`), then checks the address.
    /// - Throws: `ServeLock.Held` when another `serve` has the output folder (checked first:
    ///   that one most likely holds the port as well, and is the thing to name);
    ///   `OutputFolder.Refusal` for an output folder no build may write; `ListenFailure` when
    ///   the address cannot be bound (see `checkAddress`).
    public func run(ready: @escaping @Sendable (URL) -> Void) async throws {
        let claim = try ServeLock(options)
        defer { withExtendedLifetime(claim) {} }
        try await checkAddress()
        if builds.begin([]) { await runBuilds() }
        let watcher = ChangeWatcher(roots: [options.contentRoot, options.templatesRoot, options.configFile]) { [self] paths in
            progress("Change seen")
            // Queued on the watcher's thread: a build making the outputs that come after the
            // pages sees the change at its next safe point, however busy the threads are.
            if builds.begin(paths) { Task { await self.runBuilds() } }
        }
        watcher.start()
        let pings = Task { [hub] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 10_000_000_000)
                await hub.ping()
            }
        }
        defer { pings.cancel() }
        let application = Application(
            responder: Router(options: options, hub: hub),
            configuration: ApplicationConfiguration(address: .hostname(host, port: Int(port))),
            onServerRunning: { [listening] channel in
                guard let url = channel.localAddress.flatMap(Self.url) else { return }
                listening.set(url)
                claim.record(url: url)
                ready(url)
            },
            logger: Self.silentLogger)
        do {
            // Serves until the task is cancelled (which ends the open event streams too). No
            // signal is trapped: Ctrl-C ends the process at once, as it always did.
            try await application.run()
        } catch let error as IOError {
            throw ListenFailure(host: host, port: port, errno: error.errnoCode)
        }
    }

    /// Hummingbird logs each start and failure to standard output; the terminal gets
    /// `serve`'s own lines only.
    private static let silentLogger = Logger(label: "syllabus-serve") { _ in SwiftLogNoOpLogHandler() }

    /// `http://127.0.0.1:8000/`, `http://[::1]:8000/`: the URL of a socket address.
    private static func url(_ address: SocketAddress) -> URL? {
        guard let ip = address.ipAddress, let port = address.port else { return nil }
        return URL(string: address.protocol == .inet6 ? "http://[\(ip)]:\(port)/" : "http://\(ip):\(port)/")
    }

    /// Binds a socket to `host:port` and closes it, so that a port in use (or an address that
    /// is not this machine's) stops `serve` at once rather than after the first build, which
    /// takes seconds on a large set. The socket is made as Hummingbird makes its own (a
    /// SwiftNIO server socket with address reuse on), so it refuses what the server's would;
    /// port 0 (any free port) needs no check.
    /// - Throws: `ListenFailure` with the system's error.
    func checkAddress() async throws {
        guard port != 0 else { return }
        do {
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: Int(port)).get()
            try await channel.close()
        } catch let error as IOError {
            throw ListenFailure(host: host, port: port, errno: error.errnoCode)
        }
    }

    /// The server could not listen: the port is taken or the address is not this machine's.
    public struct ListenFailure: Error, CustomStringConvertible {
        /// The address asked for.
        public let host: String
        /// The port asked for.
        public let port: UInt16
        /// The system's error number (`EADDRINUSE`: the port is taken).
        let errno: Int32

        /// One line for the command line: a port in use says how to choose another.
        public var description: String {
            let why = errno == EADDRINUSE ? "port \(port) is in use by another program (choose another with --port, or --port 0 for any free one)"
                : "bind: " + String(cString: strerror(errno))
            return "cannot listen on \(host):\(port): \(why)"
        }
    }

    /// The address it listens on, once listening.
    public func address() async -> URL? {
        listening.get()
    }

    /// One build at a time; changes during a build make one more build after it. The site and
    /// the decks are built first (see `BuildSession`): the pages hear of a build once those
    /// files were swapped in, and the EPUB and cheat sheets are built after that. A change
    /// that comes while they are built abandons them (the one being made at its next safe
    /// point: see `OutputSink.checkpoint`), so the new change's pages wait for no book; the
    /// next build makes them (a build with nothing changed follows when no change comes).
    /// The download links serve the last complete file meanwhile: every output folder is
    /// swapped in whole. Called by whoever `BuildQueue.begin` told to build.
    private func runBuilds() async {
        // Builds since memory was last given back (`FreedMemory.giveBack`).
        var untrimmedBuilds = 0
        while let paths = builds.next() {
            let told = Flag()
            let report: BuildReport
            do {
                report = try await Pipeline(options: options, progress: progress).build(session: session, pagesLive: { [self] shown in
                    told.set()
                    printNew(shown.diagnostics)
                    await published(shown, paths: paths)
                    return true
                }, abandons: { [builds] in builds.hasPending })
            } catch {
                let line = (error as? TemplateSet.Failure)?.line ?? "error: \(error)"
                log(line)
                log("build failed: \(shownInTerminal.abandonBuild(failure: line)); " + failedBuildNote)
                await hub.built(diagnostics: [ShownDiagnostic(severity: .error, line: line)], stylesheetsOnly: false)
                continue
            }
            // The diagnostics of the outputs made after the pages, or all of a build that
            // told no pages (a failed one, or one with nothing changed).
            printNew(report.diagnostics)
            if report.failed || !told.isSet { await published(report, paths: paths) }
            let counts = shownInTerminal.counts(report.diagnostics, partial: report.failed || !report.postponed.isEmpty)
            if report.failed {
                log("build failed: \(counts); " + failedBuildNote)
            } else if report.upToDate {
                log("Up to date: \(counts)")
            } else {
                log("Built \(counted(report.pages, "note"))\(report.changedFiles) in \(String(format: "%.2f", report.seconds)) s"
                    + (report.postponed.isEmpty ? "" : " (\(report.postponed.joined(separator: ", ")) at the next build)") + ": \(counts)")
            }
            // Outputs left for later are made as soon as no change waits.
            if !report.postponed.isEmpty { builds.add([]) }
            // Not while a change waits: its build comes first. After every few builds anyway,
            // for an author who saves faster than the book is made.
            untrimmedBuilds += 1
            if !builds.hasPending || untrimmedBuilds >= Self.buildsPerTrim {
                FreedMemory.giveBack()
                untrimmedBuilds = 0
            }
        }
    }

    /// At most this many builds in a row leave freed memory to the allocator.
    static let buildsPerTrim = 8

    /// Prints the diagnostics of `diagnostics` the terminal has not shown (see `TerminalDiagnostics`).
    private func printNew(_ diagnostics: [Diagnostic]) {
        for diagnostic in shownInTerminal.toPrint(diagnostics) { log(diagnostic.description) }
    }

    /// Tells the pages about a build whose pages are in place: `reload` or `css`, or the
    /// diagnostics of a failed build. A good build with no changed paths (the
    /// first, or one making outputs a build left for later) changed no page: nothing to tell.
    private func published(_ report: BuildReport, paths: [String]) async {
        if paths.isEmpty && !report.failed && hadFirstBuild.isSet { return }
        hadFirstBuild.set()
        if report.failed {
            await hub.built(diagnostics: report.diagnostics.map(ShownDiagnostic.init), stylesheetsOnly: false)
        } else {
            let templates = options.templatesRoot.standardizedFileURL.path + "/"
            let stylesheetsOnly = !paths.isEmpty && paths.allSatisfy { $0.hasPrefix(templates) && $0.hasSuffix(".css") }
            await hub.built(diagnostics: nil, stylesheetsOnly: stylesheetsOnly)
        }
    }
}

extension DevServer {
    /// What the terminal says after a failed build, after its counts: the site keeps the last
    /// good build, or, when no build succeeded yet, the browser shows the diagnostics on a page
    /// of the server's own.
    var failedBuildNote: String {
        Router.hasSite(options)
            ? "the site shows the last good build"
            : "there is no good build yet; the browser shows these errors until a build succeeds"
    }
}

/// The URL a server listens on, set once it listens.
private final class ListeningAddress: @unchecked Sendable {
    private let lock = NSLock()
    private var url: URL?

    func set(_ value: URL) { lock.withLock { url = value } }
    func get() -> URL? { lock.withLock { url } }
}

/// A flag set once, read after.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// Gathers the changes that arrive while a build runs into the next build. A lock, not an
/// actor: a build's render threads ask `hasPending` at their safe points, without awaiting.
final class BuildQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var running = false
    private var pending: [String]?

    /// True when the caller should build (and then call `next` until it returns nil).
    func begin(_ paths: [String]) -> Bool {
        lock.withLock {
            pending = (pending ?? []) + paths
            guard !running else { return false }
            running = true
            return true
        }
    }

    /// Asks for one more build by the caller that is running builds.
    func add(_ paths: [String]) {
        lock.withLock { pending = (pending ?? []) + paths }
    }

    /// True when a change waits for the next build.
    var hasPending: Bool { lock.withLock { pending != nil } }

    /// The paths the next build is for (gathered since the last call), or nil when none waits;
    /// then the caller stops running builds.
    func next() -> [String]? {
        lock.withLock {
            guard let paths = pending else {
                running = false
                return nil
            }
            pending = nil
            return paths
        }
    }
}

/// Answers every request: the site's files (HTML with the live-reload script added), the
/// script, the event stream and the downloads. (`serve`'s own; Hummingbird's router, which
/// matches route patterns, is not used.)
struct Router: HTTPResponder {
    let options: BuildOptions
    let hub: LiveReloadHub

    func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            // HTTP asks a 405 to name the methods the resource takes.
            var refused = Self.status(.methodNotAllowed)
            refused.headers[.allow] = "GET, HEAD"
            return refused
        }
        let response = await answer(request.uri.string)
        // A HEAD request gets the headers, Content-Length included, without the body.
        return request.method == .head ? response.createHeadResponse() : response
    }

    /// The response to a GET of `target`, the request's target as sent (`/lambda/?x=1`,
    /// not decoded).
    private func answer(_ target: String) async -> Response {
        let path = String(target.prefix { $0 != "?" })
        switch path {
        case "/__syllabus/events":
            return Self.eventStream(await hub.connect(since: Self.since(target)))
        case LiveReloadScript.path:
            return Self.ok(Data(LiveReloadScript.source.utf8), type: "text/javascript; charset=utf-8")
        case "/__syllabus/outputs", "/__syllabus/outputs/":
            return await downloadsPage()
        default:
            break
        }
        let prefix = "/__syllabus/outputs/"
        if path.hasPrefix(prefix) {
            return download(target.dropFirst(prefix.count)) ?? Self.status(.notFound)
        }
        // Counted before the file is read: a build that ends in between makes the page look
        // older than it is (one reload too many), never newer (a reload missed).
        let builds = await hub.builds
        if let file = SitePath.file(for: target, in: options.outputRoot.appendingPathComponent("site")),
           let data = FileManager.default.contents(atPath: file.path) {
            let type = SitePath.mediaType(of: file)
            return Self.ok(type.hasPrefix("text/html") ? LiveReloadScript.inject(into: data, build: builds) : data, type: type)
        }
        // The icon the server's pages link, before the first good build made the site's.
        if path == "/" + Self.iconPath, let icon, let data = FileManager.default.contents(atPath: icon.path) {
            return Self.ok(data, type: "image/svg+xml")
        }
        // The home page's Downloads links (`../ebook/…`, made for file://) arrive as `/ebook/…`.
        if let response = download(target.dropFirst()) { return response }
        // No good build yet (the first one failed): a page asked for shows why, and turns into
        // the site with the live script's reload once a build succeeds.
        if !Self.hasSite(options), SitePath.isPage(path), let diagnostics = await hub.failure {
            return Self.serverPage(Self.failurePage(diagnostics, builds: builds, icon: iconLink), status: .serviceUnavailable)
        }
        // What a browser asks for on a page that links no icon (a cheat sheet, the server's
        // page before the first build, a theme without one): nothing, rather than an error
        // logged for every page.
        if path == "/favicon.ico" { return Response(status: .noContent, headers: [.cacheControl: "no-store"]) }
        if SitePath.isPage(path) { return Self.serverPage(Self.notFoundPage(path, builds: builds, icon: iconLink), status: .notFound) }
        return Self.status(.notFound)
    }

    /// The page for `path` (as requested, not decoded) that the site lacks: says so, links the
    /// home page and the downloads, and carries the live script, so that a page opened before
    /// its note first builds (a new note's address, typed while writing it) turns into the
    /// note with the next build's reload.
    static func notFoundPage(_ path: String, builds: Int, icon: String) -> Data {
        let html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title>\(icon)</head><body>"
            + "<h1>No page at \(escape(path))</h1><p>The last build made no such page. This page reloads after each build, "
            + "so a note being written shows here once its page is made.</p>"
            + "<p><a href=\"/\">Home</a> · <a href=\"/__syllabus/outputs/\">Downloads</a></p>"
            + LiveReloadScript.tag(build: builds) + "</body></html>"
        return Data(html.utf8)
    }

    /// The `<link rel="icon">` of the server's own pages, the one the theme's pages have
    /// (`/assets/favicon.svg`, the default theme's icon), when there is an `icon`; else nothing.
    private var iconLink: String {
        icon == nil ? "" : "<link rel=\"icon\" href=\"/\(Self.iconPath)\" type=\"image/svg+xml\">"
    }

    /// The site's icon; before a good build made the site (the page that shows the first
    /// build's errors), the theme's; nil when neither has one.
    private var icon: URL? {
        [options.outputRoot.appendingPathComponent("site/" + Self.iconPath), options.templatesRoot.appendingPathComponent(Self.iconPath)]
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Where the default theme's icon is in the site.
    static let iconPath = "assets/favicon.svg"

    /// A page of the server's own (HTML, never cached) with `status`: 503 while there is no
    /// good build to show, 404 for a page the site lacks.
    static func serverPage(_ page: Data, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: page)))
    }

    /// The event stream of one page (Server-Sent Events): each event is written, and so sent,
    /// as it comes (chunked); the body ends when the stream does or the page goes (a write
    /// then fails), which ends the page's stream in the hub.
    static func eventStream(_ events: AsyncStream<Data>) -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"],
                 body: ResponseBody { writer in
                     for await event in events { try await writer.write(ByteBuffer(bytes: event)) }
                     try await writer.finish(nil)
                 })
    }

    /// The build count a page's stream connects with (`/__syllabus/events?since=3`), or nil.
    static func since(_ target: String) -> Int? {
        URLComponents(string: target)?.queryItems?.first { $0.name == "since" }?.value.flatMap { Int($0) }
    }

    /// True when the site folder holds a build (its home page): the one the site keeps when a
    /// build fails.
    static func hasSite(_ options: BuildOptions) -> Bool {
        FileManager.default.fileExists(atPath: options.outputRoot.appendingPathComponent("site/index.html").path)
    }

    /// The page shown while no build succeeded: each diagnostic (`file:line:col: error: …`),
    /// escaped, errors first and each styled by its severity, in the same overlay the live
    /// script draws over a page, and the script, which reloads it into the site after the next
    /// good build. `note` (HTML) comes under the title; `icon` is the head's icon link.
    static func failurePage(_ diagnostics: [ShownDiagnostic], builds: Int, note: String = "", icon: String = "") -> Data {
        var html = "<!DOCTYPE html><html lang=\"en\" data-syllabus-no-build><head><meta charset=\"utf-8\"><title>Build failed</title>\(icon)</head><body>"
        html += "<div id=\"syllabus-errors\" role=\"alert\" style=\"\(ShownDiagnostic.overlayStyle)\"><h2>\(LiveReloadScript.noBuildTitle)</h2>\(note)"
        html += "<p class=\"syllabus-counts\">\(ShownDiagnostic.counts(diagnostics))</p><ul>"
        for diagnostic in ShownDiagnostic.errorsFirst(diagnostics) {
            let severity = diagnostic.severity == .error ? "error" : "warning"
            let style = diagnostic.severity == .error ? ShownDiagnostic.errorStyle : ShownDiagnostic.warningStyle
            html += "<li class=\"syllabus-diagnostic syllabus-\(severity)\" data-severity=\"\(severity)\" style=\"\(style)\">\(escape(diagnostic.line))</li>"
        }
        html += "</ul></div>" + LiveReloadScript.tag(build: builds) + "</body></html>"
        return Data(html.utf8)
    }

    /// The response for `rest` (`ebook/book.epub`) from a download folder, or nil when it
    /// names no file there.
    private func download(_ rest: Substring) -> Response? {
        let folder = String(rest.prefix { $0 != "/" })
        guard DevServer.downloadFolders.contains(folder),
              let file = SitePath.file(for: String(rest.dropFirst(folder.count)), in: options.outputRoot.appendingPathComponent(folder)),
              let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return Self.ok(data, type: SitePath.mediaType(of: file))
    }

    /// A page linking every file of the download folders. Before the first good build (the
    /// first one failed) there is none: the page says so and lists that build's diagnostics,
    /// as every page does then (status 503), and the live script turns it into the list once a
    /// build succeeds. A build making none of those outputs gets a page saying so.
    private func downloadsPage() async -> Response {
        let builds = await hub.builds
        if !Self.hasSite(options), let diagnostics = await hub.failure {
            let note = "<p class=\"syllabus-no-downloads\">No build yet, so nothing to download: the first build failed with the "
                + "diagnostics below (the terminal shows them too). Fix them and save; this page then lists the downloads.</p>"
            return Self.serverPage(Self.failurePage(diagnostics, builds: builds, note: note, icon: iconLink), status: .serviceUnavailable)
        }
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Downloads</title>\(iconLink)</head><body><h1>Downloads</h1>"
        var listed = false
        for folder in DevServer.downloadFolders {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: options.outputRoot.appendingPathComponent(folder).path)) ?? [])
                .filter { !$0.hasPrefix(".") }.sorted()
            guard !names.isEmpty else { continue }
            listed = true
            html += "<h2>\(folder)</h2><ul>"
            for name in names {
                let href = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
                html += "<li><a href=\"/__syllabus/outputs/\(folder)/\(Self.escape(href))\">\(Self.escape(name))</a></li>"
            }
            html += "</ul>"
        }
        if !listed {
            html += Self.hasSite(options)
                ? "<p class=\"syllabus-no-downloads\">Nothing to download: the build makes no EPUB, decks or cheat sheets "
                    + "(<code>outputs:</code> in syllabus.yml lists none of ebook, anki and cheatsheets).</p>"
                : "<p class=\"syllabus-no-downloads\">No build yet, so nothing to download.</p>"
        }
        html += "<p><a href=\"/\">Back to the site</a></p>" + LiveReloadScript.tag(build: builds) + "</body></html>"
        return Self.ok(Data(html.utf8), type: "text/html; charset=utf-8")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func ok(_ data: Data, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A status with its code and phrase as the body; never cached, as no answer of a
    /// development server is (a 404 now may be a page after the next save).
    static func status(_ status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: "\(status.code) \(status.reasonPhrase)\n")))
    }
}

