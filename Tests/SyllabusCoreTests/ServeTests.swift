import Foundation
import XCTest
#if canImport(Glibc)
import Glibc

private let streamSocket = Int32(SOCK_STREAM.rawValue)
private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { Glibc.send(fd, bytes, count, 0) }
#elseif canImport(Darwin)
import Darwin

private let streamSocket = SOCK_STREAM
private func sendBytes(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { Darwin.send(fd, bytes, count, 0) }
#endif
@testable import SyllabusCore
@testable import SyllabusServe
import ZIPFoundation

/// A plain HTTP/1.1 client over a socket, so requests go out exactly as written (URLSession
/// would tidy `..` and `%2e` away before sending).
final class RawConnection {
    private let fd: Int32
    private(set) var received = ""
    /// What came, as bytes (`received` is it decoded as UTF-8).
    private(set) var receivedBytes: [UInt8] = []

    init(port: UInt16) throws {
        fd = socket(AF_INET, streamSocket, 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw EndToEndSupport.Failure.process("cannot connect to port \(port)") }
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { sendBytes(fd, $0.baseAddress, $0.count - 1) }
    }

    /// Reads until `done` holds for what came so far, the peer closes, or `seconds` pass.
    @discardableResult
    func read(for seconds: Double = 20, until done: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !done(received), Date() < deadline {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { break }
            if count > 0 {
                received += String(decoding: buffer[..<count], as: UTF8.self)
                receivedBytes += buffer[..<count]
            }
        }
        return received
    }

    /// One GET of a binary file: the body's bytes (everything after the header).
    static func getBytes(_ target: String, port: UInt16) throws -> [UInt8] {
        let connection = try RawConnection(port: port)
        connection.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        connection.read { _ in false }
        let bytes = connection.receivedBytes
        let separator = Array("\r\n\r\n".utf8)
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else { return [] }
        return Array(bytes[(end + 4)...])
    }

    /// One GET: the status code and the body.
    static func get(_ target: String, port: UInt16) throws -> (status: Int, body: String) {
        let connection = try RawConnection(port: port)
        connection.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let response = connection.read { _ in false }
        let status = Int(response.split(separator: " ").dropFirst().first ?? "") ?? 0
        let body = response.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return (status, body)
    }
}

final class ServeTests: XCTestCase {
    private var fixture: Fixture!
    private var task: Task<Void, Error>?
    private var port: UInt16 = 0

    override func tearDown() {
        task?.cancel()
        if let fixture { try? FileManager.default.removeItem(at: fixture.root) }
    }

    /// What the server printed for the terminal.
    private let terminal = TerminalLines()

    private var server: DevServer!

    /// A built study set served on a free port of 127.0.0.1; `progress` hears the builds' stages.
    private func serve(outputs: String = "[site, cheatsheets]", overview: String = "# Lambda\n\nFirst words.\n\n## Limits\n\nSome.\n",
                       progress: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        var fixture = try Fixture(["lambda/overview.md": overview,
                                   "lambda/lambda.cards.md": "## What runs code?\n\nLambda.\n",
                                   "s3/overview.md": "# S3\n\nObjects.\n"],
                                  config: "title: Test\ndeck: Test\noutputs: \(outputs)\n")
        // Templates of its own, so a test can change the stylesheet.
        let templates = fixture.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: templates)
        fixture.templatesRoot = templates
        self.fixture = fixture
        let server = try DevServer(options: fixture.options, host: "127.0.0.1", port: 0, log: { [terminal] in terminal.append($0) },
                                   progress: progress)
        self.server = server
        let ready = AsyncStream.makeStream(of: URL.self)
        task = Task { try await server.run { ready.continuation.yield($0) } }
        var iterator = ready.stream.makeAsyncIterator()
        let first = await iterator.next()
        let url = try XCTUnwrap(first)
        port = UInt16(try XCTUnwrap(url.port))
    }

    /// Before the first build, which takes seconds on a large set (a published guide's 500
    /// pages made the user wait for the whole site to hear that the port was taken).
    func testAPortInUseIsReportedAtOnceByName() async throws {
        try await serve()
        let stages = TerminalLines()
        // Another output folder: a second server on the same one is refused before the port
        // is tried (see testASecondServerOnTheSameOutputIsRefusedNamingTheFirst).
        var elsewhere = fixture.options
        elsewhere.outputRoot = fixture.root.appendingPathComponent("Other")
        let second = try DevServer(options: elsewhere, host: "127.0.0.1", port: port, log: { _ in }, progress: { stages.append($0) })
        do {
            try await second.run { _ in XCTFail("a second server cannot listen on a port in use") }
            XCTFail("run returned without an error")
        } catch let failure as DevServer.ListenFailure {
            // The bind error, found before the first build and naming the port.
            XCTAssertTrue(failure.description.contains("port \(port) is in use"), failure.description)
        }
        XCTAssertEqual(stages.lines, [], "no build began")
    }

    func testServesTheSiteWithTheReloadScriptThatBuildNeverWrites() async throws {
        try await serve()
        let home = try RawConnection.get("/", port: port)
        XCTAssertEqual(home.status, 200)
        XCTAssertTrue(home.body.contains(LiveReloadScript.tag(build: 1)), "serve adds the script, with the build the page is of")
        XCTAssertFalse(try fixture.read("Output/site/index.html").contains("__syllabus"), "the built file has no script")
        XCTAssertEqual(try RawConnection.get(LiveReloadScript.path, port: port).status, 200)
        let downloads = try RawConnection.get("/__syllabus/outputs/", port: port)
        XCTAssertTrue(downloads.body.contains("<a href=\"/__syllabus/outputs/cheatsheets/lambda.html\">"), downloads.body)
        XCTAssertEqual(try RawConnection.get("/__syllabus/outputs/cheatsheets/all.html", port: port).status, 200)
        let missing = try RawConnection.get("/no-such-page.html?from=search", port: port)
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.body.contains("<h1>No page at /no-such-page.html</h1>") && missing.body.contains(LiveReloadScript.tag(build: 1)),
                      "a missing page says so and reloads with the next build: \(missing.body)")
        XCTAssertTrue(missing.body.contains("<link rel=\"icon\""), missing.body)
        // Answers that are no page: never cached, and a refused method names those taken.
        for (request, status) in [("GET /no-such-page.html", "404"), ("POST /index.html", "405")] {
            let connection = try RawConnection(port: port)
            connection.send("\(request) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            let header = connection.read { _ in false }.components(separatedBy: "\r\n\r\n")[0].lowercased()
            XCTAssertTrue(header.hasPrefix("http/1.1 \(status)"), header)
            XCTAssertTrue(header.contains("cache-control: no-store"), header)
            XCTAssertEqual(header.contains("allow: get, head"), status == "405", header)
        }
    }

    /// Each trick asks for `Output/secret.txt`, which sits beside the site folder.
    private func assertRefused(_ target: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await serve()
        try fixture.write("Output/secret.txt", "SECRET")
        try? FileManager.default.createSymbolicLink(atPath: fixture.root.appendingPathComponent("Output/site/out.txt").path,
                                                    withDestinationPath: "../secret.txt")
        let response = try RawConnection.get(target, port: port)
        XCTAssertNotEqual(response.status, 200, target, file: file, line: line)
        XCTAssertFalse(response.body.contains("SECRET"), target, file: file, line: line)
        XCTAssertNil(SitePath.file(for: target, in: fixture.root.appendingPathComponent("Output/site")), target, file: file, line: line)
    }

    func testRefusesParentSteps() async throws { try await assertRefused("/../secret.txt") }
    func testRefusesPercentEncodedDots() async throws { try await assertRefused("/%2e%2e/secret.txt") }
    func testRefusesPercentEncodedDotsAndSlash() async throws { try await assertRefused("/%2E%2E%2Fsecret.txt") }
    func testRefusesBackslashes() async throws { try await assertRefused("/..\\secret.txt") }
    func testRefusesEncodedBackslashes() async throws { try await assertRefused("/..%5Csecret.txt") }
    func testRefusesAbsolutePaths() async throws { try await assertRefused("//\(NSTemporaryDirectory())secret.txt") }
    func testRefusesAbsoluteURLs() async throws { try await assertRefused("http://127.0.0.1/../secret.txt") }
    func testRefusesSymlinksOutOfTheSite() async throws { try await assertRefused("/out.txt") }

    /// The pages are told once the site is in place, before the book is built; the book's
    /// download link meanwhile serves the last complete book, and then the new one.
    func testTheBookLinkServesAWholeBookWhileTheBookIsBuiltAfterThePages() async throws {
        try await serve(outputs: "[site, epub]")
        let events = try RawConnection(port: port)
        events.send("GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        events.read { $0.contains(": connected") }
        let before = try RawConnection.getBytes("/ebook/test.epub", port: port)
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nSecond words.\n\n## Limits\n\nSome.\n")
        XCTAssertTrue(events.read { $0.contains("event: reload") }.contains("event: reload"), events.received)
        XCTAssertTrue(try RawConnection.get("/lambda/overview.html", port: port).body.contains("Second words."))
        // Whole books only (a ZIP ends with its end-of-central-directory record), old then new.
        var book = before
        for _ in 0..<200 where book == before {
            try await Task.sleep(nanoseconds: 50_000_000)
            book = try RawConnection.getBytes("/ebook/test.epub", port: port)
            XCTAssertEqual(Array(book.prefix(2)), Array("PK".utf8))
            XCTAssertEqual(Array(book.suffix(22).prefix(4)), [0x50, 0x4B, 0x05, 0x06], "a whole book")
        }
        XCTAssertNotEqual(book, before, "the new book comes after the pages")
    }

    /// A save that comes while the book of the last save is made does not wait for that book:
    /// the book is left (whole, as it was) and the save's pages are built and told at once;
    /// the book is made once no save waits, from the last save.
    func testASaveWhileTheBookIsMadeIsBuiltWithoutWaitingForTheBook() async throws {
        let overview = { (words: String) in "# Lambda\n\n\(words)\n\n## Limits\n\nSome.\n" }
        let saveWhileMakingTheBook = Locked(false)
        let root = Locked<URL?>(nil)
        let queue = Locked<BuildQueue?>(nil)
        try await serve(outputs: "[site, epub]") { stage in
            // The second save lands while the first save's book is being made, and the book
            // goes on only once the server has queued it (no race with the watcher).
            guard stage == "Rendering ebook", saveWhileMakingTheBook.value, let root = root.value, let queue = queue.value else { return }
            saveWhileMakingTheBook.value = false
            try? Data(overview("Third words.").utf8).write(to: root.appendingPathComponent("Content/lambda/overview.md"))
            for _ in 0..<3000 where !queue.hasPending { Thread.sleep(forTimeInterval: 0.01) }
        }
        root.value = fixture.root
        queue.value = server.builds
        let events = try RawConnection(port: port)
        events.send("GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        events.read { $0.contains(": connected") }
        let before = try RawConnection.getBytes("/ebook/test.epub", port: port)
        XCTAssertTrue(try bookText(before).contains("First words."))

        saveWhileMakingTheBook.value = true
        try fixture.write("Content/lambda/overview.md", overview("Second words."))
        var reloads = 0
        while reloads < 10, !(try RawConnection.get("/lambda/overview.html", port: port).body.contains("Third words.")) {
            reloads += 1
            events.read { $0.components(separatedBy: "event: reload").count > reloads }
        }
        XCTAssertTrue(try RawConnection.get("/lambda/overview.html", port: port).body.contains("Third words."), events.received)
        XCTAssertTrue(terminal.lines.contains { $0.hasPrefix("Built ") && $0.contains(" s (ebook at the next build): ") },
                      "the first save's book was left for later: \(terminal.lines)")

        // Then the book of the last save, whole; never the one of the save it left.
        var book = before
        for _ in 0..<600 where !(try bookText(book).contains("Third words.")) {
            try await Task.sleep(nanoseconds: 50_000_000)
            book = try RawConnection.getBytes("/ebook/test.epub", port: port)
            XCTAssertFalse(try bookText(book).contains("Second words."), "the book left for later never goes live")
        }
        XCTAssertTrue(try bookText(book).contains("Third words."), "the book is made once no save waits")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: fixture.root.appendingPathComponent("Output").path)
            .contains { $0.hasPrefix(".staging-") }, "the abandoned book's staging is gone")
    }

    #if os(Linux)
    /// The watcher starts the build almost at once after a save that wrote a file in place, and
    /// waits longer while a save may be half done: a file open for writing, or one deleted or
    /// moved away (the first step of an editor's save by rename).
    func testTheWatcherTellsAWholeSaveFromOneHalfDone() {
        func settled(_ events: [Int32]) -> Bool {
            events.reduce(nil as Bool?) { ChangeWatcher.settles(UInt32($1), before: $0) } ?? true
        }
        XCTAssertTrue(settled([IN_MODIFY, IN_MODIFY, IN_CLOSE_WRITE]), "written in place and closed")
        XCTAssertTrue(settled([IN_CLOSE_WRITE, IN_ATTRIB]))
        XCTAssertTrue(settled([IN_MOVED_TO]), "renamed over")
        XCTAssertFalse(settled([IN_MODIFY]), "still open")
        XCTAssertFalse(settled([IN_CREATE]), "made, not yet written")
        XCTAssertFalse(settled([IN_MOVED_FROM]), "moved away, maybe written anew next")
        XCTAssertFalse(settled([IN_DELETE]))
        XCTAssertFalse(settled([IN_CREATE | IN_ISDIR]), "a new folder fills up")
        XCTAssertTrue(settled([IN_MOVED_FROM, IN_CREATE, IN_MODIFY, IN_CLOSE_WRITE]), "written anew")
        XCTAssertGreaterThan(ChangeWatcher.burstWaitMs, ChangeWatcher.settledWaitMs)
    }
    #endif

    /// Every file of a whole EPUB (a ZIP ending with its end-of-central-directory record), as text.
    private func bookText(_ bytes: [UInt8]) throws -> String {
        XCTAssertEqual(Array(bytes.suffix(22).prefix(4)), [0x50, 0x4B, 0x05, 0x06], "a whole book")
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }.joined()
    }

    /// The save → event order: the page is told only once the new page is served, a broken
    /// note shows its diagnostics until it is fixed, and a stylesheet change is a `css` event.
    func testSavesReloadErrorsShowUntilFixedAndStylesheetsSwap() async throws {
        try await serve()
        let events = try RawConnection(port: port)
        events.send("GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        XCTAssertTrue(events.read { $0.contains(": connected") }.contains("text/event-stream"))

        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nSecond words.\n\n## Limits\n\nSome.\n")
        XCTAssertTrue(events.read { $0.contains("event: reload") }.contains("event: reload"), events.received)
        let page = try RawConnection.get("/lambda/overview.html", port: port)
        XCTAssertTrue(page.body.contains("Second words."), "the new page is in place when the event comes")

        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nSee [gone](missing.md).\n")
        XCTAssertTrue(events.read { $0.contains("event: errors") }.contains("event: errors"), events.received)
        XCTAssertTrue(events.received.contains("lambda/overview.md:3:"), events.received)
        XCTAssertTrue(try RawConnection.get("/lambda/overview.html", port: port).body.contains("Second words."), "the last good build stays")

        let before = events.received.components(separatedBy: "event: reload").count
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nThird words.\n")
        events.read { $0.components(separatedBy: "event: reload").count > before }
        XCTAssertGreaterThan(events.received.components(separatedBy: "event: reload").count, before, "a good build reloads, clearing the overlay")

        let style = fixture.root.appendingPathComponent("Templates/assets/style.css")
        try (try String(contentsOf: style, encoding: .utf8) + "\nbody { outline: 0; }\n").write(to: style, atomically: false, encoding: .utf8)
        XCTAssertTrue(events.read { $0.contains("event: css") }.contains("event: css"), events.received)
    }

    /// A page reloading after one build connects its stream only once it has loaded; a build
    /// that ends before that (the next save's) is still told to it: it connects with the build
    /// it was served after and gets what it missed at once.
    func testAPageThatConnectsAfterABuildIsToldWhatItMissed() async throws {
        try await serve()
        let page = try RawConnection.get("/lambda/overview.html", port: port)
        XCTAssertTrue(page.body.contains(LiveReloadScript.tag(build: 1)), page.body)
        let current = try RawConnection(port: port)
        current.send("GET /__syllabus/events?since=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        current.read { $0.contains(": connected") }

        // A save's build ends while no stream is open for the page served before it.
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nSecond words.\n\n## Limits\n\nSome.\n")
        XCTAssertTrue(current.read { $0.contains("event: reload") }.contains("event: reload"), current.received)
        let late = try RawConnection(port: port)
        late.send("GET /__syllabus/events?since=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        XCTAssertTrue(late.read { $0.contains("event: reload") }.contains("event: reload"), "missed: \(late.received)")
        XCTAssertTrue(try RawConnection.get("/lambda/overview.html", port: port).body.contains(LiveReloadScript.tag(build: 2)))

        // A page of the latest build hears nothing until the next one; after a stylesheet-only
        // build, an older page that missed it is told `css`.
        let style = fixture.root.appendingPathComponent("Templates/assets/style.css")
        try (try String(contentsOf: style, encoding: .utf8) + "\nbody { outline: 0; }\n").write(to: style, atomically: false, encoding: .utf8)
        XCTAssertTrue(current.read { $0.contains("event: css") }.contains("event: css"), current.received)
        let missedStyle = try RawConnection(port: port)
        missedStyle.send("GET /__syllabus/events?since=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        XCTAssertTrue(missedStyle.read { $0.contains("event: css") }.contains("event: css"), missedStyle.received)
        XCTAssertFalse(missedStyle.received.contains("event: reload"), missedStyle.received)
        let upToDate = try RawConnection(port: port)
        upToDate.send("GET /__syllabus/events?since=3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        upToDate.read { $0.contains(": connected") }
        XCTAssertFalse(upToDate.received.contains("event:"), upToDate.received)
    }

    /// When the first build fails there is no site to keep: a page asked for is the server's
    /// own, listing each diagnostic (escaped) with the live script, and the terminal says so;
    /// the next good build's reload brings the site.
    func testAFailedFirstBuildServesItsDiagnosticsUntilABuildSucceeds() async throws {
        try await serve(overview: "# Lambda\n\nSee [gone](a&b.md).\n")
        let page = try RawConnection.get("/", port: port)
        XCTAssertEqual(page.status, 503)
        XCTAssertTrue(page.body.contains("<li class=\"syllabus-diagnostic syllabus-error\" data-severity=\"error\""), page.body)
        XCTAssertTrue(page.body.range(of: #"lambda/overview\.md:3:\d+: error: link to 'a&amp;b\.md'"#, options: .regularExpression) != nil, page.body)
        XCTAssertTrue(page.body.contains(LiveReloadScript.tag(build: 0)), page.body)
        XCTAssertTrue(page.body.contains(LiveReloadScript.noBuildTitle), page.body)
        // The theme's icon, as the site's pages link it, though there is no site yet.
        XCTAssertTrue(page.body.contains("<link rel=\"icon\" href=\"/assets/favicon.svg\" type=\"image/svg+xml\">"), page.body)
        let icon = try fetch("/assets/favicon.svg")
        XCTAssertTrue(icon.header.hasPrefix("http/1.1 200") && icon.header.contains("content-type: image/svg+xml"), icon.header)
        XCTAssertEqual(icon.body, try String(contentsOf: fixture.root.appendingPathComponent("Templates/assets/favicon.svg"), encoding: .utf8))
        XCTAssertTrue(try RawConnection.get("/lambda/overview.html", port: port).body.contains(LiveReloadScript.tag(build: 0)), "every page asked for")
        XCTAssertEqual(try RawConnection.get("/assets/style.css", port: port).status, 404, "not for a stylesheet")
        XCTAssertTrue(terminal.lines.contains("build failed: 1 error, 0 warnings; there is no good build yet; the browser shows these errors until a build succeeds"),
                      "\(terminal.lines)")
        XCTAssertFalse(terminal.lines.contains { $0.contains("last good build") }, "\(terminal.lines)")

        let events = try RawConnection(port: port)
        events.send("GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        XCTAssertTrue(events.read { $0.contains("event: errors") }.contains("a&b.md"), events.received)
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nFixed words.\n")
        XCTAssertTrue(events.read { $0.contains("event: reload") }.contains("event: reload"), events.received)
        let site = try RawConnection.get("/lambda/overview.html", port: port)
        XCTAssertEqual(site.status, 200)
        XCTAssertTrue(site.body.contains("Fixed words."), site.body)
    }

    /// A failed build's warnings are shown with its errors, but told apart: the errors (what
    /// failed the build) first, each item marked and styled by its severity, the counts above,
    /// every line escaped; the event carries each diagnostic's severity with its line.
    func testTheDiagnosticsListErrorsFirstEachMarkedWithItsSeverity() async throws {
        try await serve(overview: "# Lambda\n\nSee [S3](../s3/overview.md#nope).\n\nSee [gone](a<b&c.md).\n")
        let page = try RawConnection.get("/", port: port)
        XCTAssertEqual(page.status, 503)
        XCTAssertTrue(page.body.contains("<p class=\"syllabus-counts\">1 error, 1 warning</p>"), page.body)
        let items = page.body.components(separatedBy: "<li ").dropFirst().map { $0.components(separatedBy: "</li>")[0] }
        XCTAssertEqual(items.count, 2, page.body)
        XCTAssertTrue(items[0].hasPrefix("class=\"syllabus-diagnostic syllabus-error\" data-severity=\"error\" style=\"\(ShownDiagnostic.errorStyle)\">"), items[0])
        XCTAssertTrue(items[0].range(of: #"lambda/overview\.md:5:\d+: error: link to 'a&lt;b&amp;c\.md'"#, options: .regularExpression) != nil, items[0])
        XCTAssertTrue(items[1].hasPrefix("class=\"syllabus-diagnostic syllabus-warning\" data-severity=\"warning\" style=\"\(ShownDiagnostic.warningStyle)\">"), items[1])
        XCTAssertTrue(items[1].range(of: #"lambda/overview\.md:3:\d+: warning: "#, options: .regularExpression) != nil, items[1])
        XCTAssertNotEqual(ShownDiagnostic.errorStyle, ShownDiagnostic.warningStyle)

        let events = try RawConnection(port: port)
        events.send("GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let received = events.read { $0.components(separatedBy: "event: errors\ndata: ").dropFirst().first?.contains("\n") == true }
        let data = try XCTUnwrap(received.components(separatedBy: "event: errors\ndata: ").last?.components(separatedBy: "\n").first)
        let sent = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [[String: String]], data)
        XCTAssertEqual(sent.map { $0["severity"] }, ["error", "warning"], data)
        XCTAssertTrue(sent[0]["line"]?.contains(": error: link to 'a<b&c.md'") == true, data)
    }

    /// A template that does not parse, under `serve`: its diagnostic line once, as `build` prints it,
    /// and the counts as a failed build prints them, the set's warnings included.
    func testATemplateErrorPrintsItsDiagnosticLineOnce() async throws {
        try await serve(overview: "# Lambda\n\nSee [S3](../s3/overview.md#nope).\n")
        let layout = fixture.root.appendingPathComponent("Templates/layout.mustache")
        try ("{{#broken}}\n" + (try String(contentsOf: layout, encoding: .utf8))).write(to: layout, atomically: false, encoding: .utf8)
        let events = try RawConnection(port: port)
        events.send("GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        XCTAssertTrue(events.read { $0.contains("event: errors") }.contains("never closed"), events.received)
        let line = SourceLocation.displayPath(layout.standardizedFileURL.path) + ":1:1: error: the section {{#broken}} is never closed with {{/broken}}"
        XCTAssertTrue(terminal.lines.contains(line), "\(terminal.lines)")
        XCTAssertTrue(terminal.lines.contains("build failed: 1 error, 1 warning (1 new); the site shows the last good build"), "\(terminal.lines)")
    }

    /// A set with warnings it lives with does not print them again on every save: a rebuild
    /// prints the warnings that are new (or moved), an error every time it fails the build,
    /// and always one line of counts, as `build` counts them.
    func testARebuildPrintsOnlyNewWarningsAndAlwaysItsCounts() async throws {
        let dead = "# Lambda\n\nSee [S3](../s3/overview.md#nope).\n"
        try await serve(overview: dead)
        func waitForBuild(_ count: Int) async throws -> [String] {
            for _ in 0..<600 where terminal.lines.filter({ $0.hasPrefix("Built ") || $0.hasPrefix("build failed") }).count < count {
                try await Task.sleep(nanoseconds: 50_000_000)
            }
            let lines = terminal.lines
            let ends = lines.indices.filter { lines[$0].hasPrefix("Built ") || lines[$0].hasPrefix("build failed") }
            XCTAssertEqual(ends.count, count, "\(lines)")
            // The lines of the last build: after the one that ended the build before it.
            return Array(lines[(ends.dropLast().last.map { $0 + 1 } ?? 0)...])
        }
        let first = try await waitForBuild(1)
        XCTAssertEqual(first.filter { $0.contains("lambda/overview.md:3:") && $0.contains(": warning: ") }.count, 1, "the first build prints every warning: \(first)")
        XCTAssertTrue(first.last?.hasSuffix(": 0 errors, 1 warning") == true, "\(first)")

        try fixture.write("Content/s3/overview.md", "# S3\n\nObjects and buckets.\n")
        let unrelated = try await waitForBuild(2)
        XCTAssertFalse(unrelated.contains { $0.contains(": warning: ") }, "an unchanged warning is not printed again: \(unrelated)")
        XCTAssertTrue(unrelated.last?.hasSuffix(": 0 errors, 1 warning (none new)") == true, "\(unrelated)")

        try fixture.write("Content/lambda/overview.md", dead + "\nAnd [again](../s3/overview.md#gone).\n")
        let added = try await waitForBuild(3)
        XCTAssertEqual(added.filter { $0.contains(": warning: ") }.count, 1, "only the new warning: \(added)")
        XCTAssertTrue(added.contains { $0.contains("lambda/overview.md:5:") && $0.contains("#gone") }, "\(added)")
        XCTAssertTrue(added.last?.hasSuffix(": 0 errors, 2 warnings (1 new)") == true, "\(added)")

        // A broken link fails the build: its error is printed on every failed build, the
        // warnings as before are not.
        for (index, words) in ["broken", "still broken"].enumerated() {
            try fixture.write("Content/lambda/overview.md", dead + "\nAnd [again](../s3/overview.md#gone).\n\n[A link](missing.md), \(words).\n")
            let failed = try await waitForBuild(4 + index)
            XCTAssertEqual(failed.filter { $0.contains(": error: link to 'missing.md'") }.count, 1, "\(failed)")
            XCTAssertFalse(failed.contains { $0.contains(": warning: ") }, "\(failed)")
            XCTAssertEqual(failed.last, "build failed: 1 error, 2 warnings (\(index == 0 ? "1" : "none") new); the site shows the last good build")
        }
    }

    /// The header (lowercased) and body of one GET.
    private func fetch(_ target: String) throws -> (header: String, body: String) {
        let connection = try RawConnection(port: port)
        connection.send("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let parts = connection.read { _ in false }.components(separatedBy: "\r\n\r\n")
        return (parts[0].lowercased(), parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Every page of the default theme links its icon, which the site has, so a browser never
    /// asks for `/favicon.ico`; a page that links none (a cheat sheet) is answered with
    /// nothing rather than a 404.
    func testPagesLinkTheThemesIconAndFaviconIcoIsNoError() async throws {
        try await serve()
        for page in ["/", "/lambda/overview.html"] {
            let body = try RawConnection.get(page, port: port).body
            XCTAssertNotNil(body.range(of: #"<link rel="icon" href="(\.\./)*assets/favicon\.svg" type="image/svg\+xml">"#, options: .regularExpression), body)
        }
        let icon = try fetch("/assets/favicon.svg")
        XCTAssertTrue(icon.header.hasPrefix("http/1.1 200"), icon.header)
        XCTAssertTrue(icon.header.contains("content-type: image/svg+xml"), icon.header)
        XCTAssertTrue(icon.body.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""), icon.body)
        XCTAssertLessThan(icon.body.utf8.count, 1024, "a small icon")
        let favicon = try fetch("/favicon.ico")
        XCTAssertTrue(favicon.header.hasPrefix("http/1.1 204"), favicon.header)
        XCTAssertTrue(try RawConnection.get("/__syllabus/outputs/", port: port).body.contains("<link rel=\"icon\" href=\"/assets/favicon.svg\""))
    }

    /// A theme made before the icon (its layout links none, its assets have none) builds and
    /// serves as before; the server's own pages then link no icon either.
    func testAThemeWithoutTheIconStillWorks() async throws {
        try await serve()
        let events = try RawConnection(port: port)
        events.send("GET /__syllabus/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        events.read { $0.contains(": connected") }
        let templates = fixture.root.appendingPathComponent("Templates")
        try FileManager.default.removeItem(at: templates.appendingPathComponent("assets/favicon.svg"))
        let layout = templates.appendingPathComponent("layout.mustache")
        let linked = try String(contentsOf: layout, encoding: .utf8)
        try linked.components(separatedBy: "\n").filter { !$0.contains("rel=\"icon\"") }.joined(separator: "\n")
            .write(to: layout, atomically: false, encoding: .utf8)
        XCTAssertTrue(events.read { $0.contains("event: reload") }.contains("event: reload"), "\(events.received) \(terminal.lines)")
        let home = try RawConnection.get("/", port: port)
        XCTAssertEqual(home.status, 200)
        XCTAssertFalse(home.body.contains("rel=\"icon\""), home.body)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output/site/assets/favicon.svg").path))
        XCTAssertFalse(try RawConnection.get("/__syllabus/outputs/", port: port).body.contains("rel=\"icon\""))
        XCTAssertTrue(try fetch("/favicon.ico").header.hasPrefix("http/1.1 204"))
    }

    /// Before the first good build the downloads page is not an empty list: it says there is
    /// no build yet and shows the failed build's diagnostics, until a build succeeds.
    func testTheDownloadsPageBeforeTheFirstGoodBuildShowsWhy() async throws {
        try await serve(overview: "# Lambda\n\nSee [gone](a<b.md).\n")
        let downloads = try RawConnection.get("/__syllabus/outputs/", port: port)
        XCTAssertEqual(downloads.status, 503)
        XCTAssertTrue(downloads.body.contains("No build yet, so nothing to download"), downloads.body)
        XCTAssertTrue(downloads.body.range(of: #"lambda/overview\.md:3:\d+: error: link to 'a&lt;b\.md'"#, options: .regularExpression) != nil, downloads.body)
        XCTAssertTrue(downloads.body.contains(LiveReloadScript.tag(build: 0)), "reloaded into the list by the next good build")

        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nFixed.\n")
        var listed = try RawConnection.get("/__syllabus/outputs/", port: port)
        // The site goes live before the cheat sheets are made: waited for until they are listed.
        for _ in 0..<400 where listed.status != 200 || !listed.body.contains("cheatsheets/all.html") {
            try await Task.sleep(nanoseconds: 50_000_000)
            listed = try RawConnection.get("/__syllabus/outputs/", port: port)
        }
        XCTAssertEqual(listed.status, 200)
        XCTAssertTrue(listed.body.contains("<a href=\"/__syllabus/outputs/cheatsheets/all.html\">"), listed.body)
        XCTAssertFalse(listed.body.contains("syllabus-no-downloads"), listed.body)
    }

    /// A set whose outputs are the site alone has nothing to download, and the page says why.
    func testTheDownloadsPageOfASiteAloneSaysThereIsNothing() async throws {
        try await serve(outputs: "[site]")
        let downloads = try RawConnection.get("/__syllabus/outputs/", port: port)
        XCTAssertEqual(downloads.status, 200)
        XCTAssertTrue(downloads.body.contains("Nothing to download: the build makes no EPUB, decks or cheat sheets"), downloads.body)
    }

    /// A second server on the same output folder is refused before it builds or listens,
    /// naming the first (this process) and its address; once the first stops, another starts.
    func testASecondServerOnTheSameOutputIsRefusedNamingTheFirst() async throws {
        try await serve()
        let address = await server.address()
        let first = try XCTUnwrap(address)
        let stages = TerminalLines()
        let second = try DevServer(options: fixture.options, host: "127.0.0.1", port: 0, log: { _ in }, progress: { stages.append($0) })
        // Stopped should it serve after all, so that the test fails rather than hangs.
        let attempt = Task { try await second.run { _ in XCTFail("a second server on the same output must not listen") } }
        let watchdog = Task { try await Task.sleep(nanoseconds: 20_000_000_000); attempt.cancel() }
        defer { watchdog.cancel() }
        do {
            try await attempt.value
            XCTFail("run returned without an error")
        } catch let held as ServeLock.Held {
            XCTAssertEqual(held.pid, getpid())
            XCTAssertEqual(held.url, first.absoluteString)
            XCTAssertTrue(held.description.contains("is already served by syllabus serve (process \(getpid())) at \(first.absoluteString)"),
                          held.description)
        }
        XCTAssertEqual(stages.lines, [], "no build began")

        task?.cancel()
        _ = try? await task?.value
        let ready = AsyncStream.makeStream(of: URL.self)
        let third = Task { try await second.run { ready.continuation.yield($0) } }
        defer { third.cancel() }
        var iterator = ready.stream.makeAsyncIterator()
        let listening = await iterator.next()
        XCTAssertNotNil(listening, "the folder is free once the first server stopped")
    }

    /// `build` on the folder a server serves goes ahead: the two take turns on the output
    /// folder's build lock, and the server's next save builds from what `build` left.
    func testABuildIntoTheServedFolderGoesAheadAndTheNextSaveStillShows() async throws {
        try await serve()
        try fixture.write("Content/s3/overview.md", "# S3\n\nBuilt by build.\n")
        let report = try await Pipeline(options: fixture.options).build()
        XCTAssertFalse(report.failed)
        XCTAssertTrue(try RawConnection.get("/s3/overview.html", port: port).body.contains("Built by build."))
        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nSaved while served.\n")
        var page = try RawConnection.get("/lambda/overview.html", port: port).body
        for _ in 0..<400 where !page.contains("Saved while served.") {
            try await Task.sleep(nanoseconds: 50_000_000)
            page = try RawConnection.get("/lambda/overview.html", port: port).body
        }
        XCTAssertTrue(page.contains("Saved while served."), page)
        XCTAssertTrue(try RawConnection.get("/s3/overview.html", port: port).body.contains("Built by build."))
    }
}

/// Lines handed from the server's task to the test.
final class TerminalLines: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
}
