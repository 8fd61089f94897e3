import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import SyllabusCore
@testable import SyllabusServe

/// Headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe`: the
/// browser reads commands (JSON, each ended by a NUL byte) on its fd 3 and writes replies and
/// events on its fd 4. Stdlib only, so the test needs no WebSocket client.
final class DevToolsPipe {
    private let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private let profile: URL
    private var buffer = [UInt8]()
    private var nextID = 0
    /// The page's session, once `open` attached to it.
    private var session: String?

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(chromium: String) throws {
        try TestTier.mayLaunch(chromium)
        profile = try EndToEndSupport.temporaryFolder("chromium-profile")
        var commands: [Int32] = [0, 0], replies: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&replies) == 0 else { throw Failure(description: "no pipe") }
        // The child's ends first go above 2…4, so moving them onto 3 and 4 cannot overwrite one another.
        let childRead = fcntl(commands[0], F_DUPFD, 10), childWrite = fcntl(replies[1], F_DUPFD, 10)
        close(commands[0]); close(replies[1])
        toBrowser = commands[1]
        fromBrowser = replies[0]
        // The parent's ends must not stay open in the browser, or closing them would not end it.
        _ = fcntl(toBrowser, F_SETFD, FD_CLOEXEC)
        _ = fcntl(fromBrowser, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childRead, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrite, 4)
        posix_spawn_file_actions_addclose(&actions, childRead)
        posix_spawn_file_actions_addclose(&actions, childWrite)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         "--window-size=800,600", "--user-data-dir=\(profile.path)", "about:blank"]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, chromium, &actions, nil, &argv, environ)
        close(childRead); close(childWrite)
        guard status == 0 else { throw Failure(description: "cannot start \(chromium): \(status)") }
        pid = child
    }

    deinit {
        _ = try? call("Browser.close", timeout: 5)
        close(toBrowser)
        close(fromBrowser)
        var status: Int32 = 0
        for _ in 0..<50 where waitpid(pid, &status, WNOHANG) == 0 { usleep(100_000) }
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        try? FileManager.default.removeItem(at: profile)
    }

    /// Sends one command (to the page's session when `page` is true) and returns its result,
    /// skipping the events that come before it. Throws on a protocol error or after `timeout` seconds.
    @discardableResult
    func call(_ method: String, _ params: [String: Any] = [:], page: Bool = false, timeout: Double = 30) throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if page, let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message)) + [0]
        while !bytes.isEmpty {
            let written = write(toBrowser, bytes, bytes.count)
            guard written > 0 else { throw Failure(description: "chromium closed the DevTools pipe") }
            bytes.removeFirst(written)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            while let end = buffer.firstIndex(of: 0) {
                let raw = Data(buffer[..<end])
                buffer.removeFirst(end + 1)
                guard let reply = try JSONSerialization.jsonObject(with: raw) as? [String: Any],
                      reply["id"] as? Int == nextID else { continue }
                if let error = reply["error"] { throw Failure(description: "\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "\(method): no answer in \(timeout) s") }
            var ready = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, Int32(left * 1000)) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = read(fromBrowser, &chunk, chunk.count)
            guard count > 0 else { throw Failure(description: "chromium closed the DevTools pipe") }
            buffer += chunk[..<count]
        }
    }

    /// Opens `url` in a new tab and attaches to it; later `evaluate` calls run there.
    func open(_ url: URL) throws {
        let target = try call("Target.createTarget", ["url": url.absoluteString])["targetId"] as? String ?? ""
        session = try call("Target.attachToTarget", ["targetId": target, "flatten": true])["sessionId"] as? String
    }

    /// The value of a JavaScript expression in the page (nil when it throws or is not JSON).
    func evaluate(_ expression: String) throws -> Any? {
        let reply = try call("Runtime.evaluate", ["expression": expression, "returnByValue": true], page: true)
        guard reply["exceptionDetails"] == nil else { return nil }
        return (reply["result"] as? [String: Any])?["value"]
    }

    /// Waits until `expression` is true in the page (it may reload meanwhile); false after `seconds`.
    func wait(until expression: String, seconds: Double = 30) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? evaluate(expression)) as? Bool == true { return true }
            usleep(100_000)
        }
        return false
    }
}

/// `serve` as an author sees it: a page open in headless Chromium follows the saves on its
/// own, shows a failed build's diagnostics over the page until the next good build, and takes
/// a new stylesheet without reloading.
final class ServeBrowserTests: XCTestCase {
    func testOpenPageFollowsSavesShowsAndClearsTheErrorOverlayAndSwapsStylesheets() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        // A page long enough to scroll.
        let filler = (1...60).map { "Paragraph \($0) of the overview, long enough to fill a line or two of the page." }
            .joined(separator: "\n\n")
        func overview(_ first: String) -> String { "# Lambda\n\n\(first)\n\n\(filler)\n" }
        var fixture = try Fixture(["lambda/overview.md": overview("First words."),
                                   "s3/overview.md": "# S3\n\nObjects.\n"],
                                  config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let templates = fixture.root.appendingPathComponent("Templates")
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Templates"), to: templates)
        fixture.templatesRoot = templates

        let (server, root, task) = try startServer(fixture)
        defer { task.cancel() }

        let browser = try DevToolsPipe(chromium: chromium)
        try browser.open(root.appendingPathComponent("lambda/overview.html"))
        XCTAssertTrue(try browser.wait(until: "document.readyState === 'complete' && document.body.textContent.includes('First words.')"))
        waitForOnePage(server)
        _ = try browser.evaluate("window.scrollTo(0, 700)")
        let scrolled = try XCTUnwrap(try browser.evaluate("window.scrollY") as? Double)
        XCTAssertGreaterThan(scrolled, 600, "the page scrolls")

        // (a) A prose edit: the page shows it by itself, at the same scroll position.
        try fixture.write("Content/lambda/overview.md", overview("Second words."))
        XCTAssertTrue(try browser.wait(until: "document.readyState === 'complete' && document.body.textContent.includes('Second words.')"),
                      "the page did not follow the save")
        XCTAssertTrue(try browser.wait(until: "Math.abs(window.scrollY - \(scrolled)) < 2", seconds: 5),
                      "scroll position lost: \(String(describing: try? browser.evaluate("window.scrollY")))")

        // (b) A broken link: the overlay lists the diagnostic with file:line:col, over the last good page.
        try fixture.write("Content/lambda/overview.md", overview("See [gone](missing.md)."))
        XCTAssertTrue(try browser.wait(until: "!!document.getElementById('syllabus-errors')"), "no overlay")
        let lines = try XCTUnwrap(try browser.evaluate(
            "Array.from(document.querySelectorAll('#syllabus-errors .syllabus-diagnostic')).map(function (li) { return li.textContent; })") as? [String])
        XCTAssertTrue(lines.contains { $0.range(of: #"lambda/overview\.md:3:\d+: "#, options: .regularExpression) != nil && $0.contains("missing.md") },
                      "\(lines)")
        XCTAssertEqual(try browser.evaluate("document.body.textContent.includes('Second words.')") as? Bool, true, "the last good page stays")
        // Opaque: the page's header does not show through it (a phone trial read both at once).
        XCTAssertEqual(try browser.evaluate("getComputedStyle(document.getElementById('syllabus-errors')).backgroundColor") as? String, "rgb(30, 0, 0)")
        XCTAssertEqual(try browser.evaluate("""
            (function () { window.scrollTo(0, 0); var r = document.querySelector('.site-header').getBoundingClientRect();
              var top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
              return !!top && !!top.closest('#syllabus-errors'); })()
            """) as? Bool, true, "the overlay covers the header")
        // Put away (found by a fresh-user trial: the downloads page's files could not be reached
        // under it): its button shows the last good page, and the next failed build shows it again.
        XCTAssertEqual(try browser.evaluate("document.querySelector('#syllabus-errors .syllabus-close').textContent") as? String,
                       LiveReloadScript.closeLabel)
        _ = try browser.evaluate("document.querySelector('#syllabus-errors .syllabus-close').click()")
        XCTAssertTrue(try browser.wait(until: "!document.getElementById('syllabus-errors')"), "the button did not put the overlay away")
        try fixture.write("Content/lambda/overview.md", overview("See [gone](missing.md) again."))
        XCTAssertTrue(try browser.wait(until: "!!document.getElementById('syllabus-errors')"), "no overlay after the next failed build")
        _ = try browser.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))")
        XCTAssertTrue(try browser.wait(until: "!document.getElementById('syllabus-errors')"), "Escape did not put the overlay away")

        // (c) Fixed: the overlay goes with the next good build.
        try fixture.write("Content/lambda/overview.md", overview("Third words."))
        XCTAssertTrue(try browser.wait(until: "document.body.textContent.includes('Third words.') && !document.getElementById('syllabus-errors')"),
                      "the overlay stayed after a good build")

        // (d) A stylesheet change applies without a reload: a value set on the page survives.
        _ = try browser.evaluate("window.syllabusTestMark = 'kept'")
        let style = templates.appendingPathComponent("assets/style.css")
        try (try String(contentsOf: style, encoding: .utf8) + "\nbody { outline: 3px solid rgb(1, 2, 3); }\n")
            .write(to: style, atomically: false, encoding: .utf8)
        XCTAssertTrue(try browser.wait(until: "getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'"), "the stylesheet was not swapped")
        XCTAssertEqual(try browser.evaluate("window.syllabusTestMark") as? String, "kept", "the page reloaded for a stylesheet")
    }

    /// A first build that fails leaves no site: the page open on the server shows the overlay
    /// with each diagnostic, errors first and each marked by its severity, its text as text,
    /// and becomes the site once a save fixes the note.
    func testAPageOpenOnAFailedFirstBuildBecomesTheSiteAfterTheFix() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nSee [S3](../s3/overview.md#nope).\n\nSee [gone](nope<i>.md).\n",
                                   "s3/overview.md": "# S3\n\nObjects.\n"],
                                  config: "title: Test\ndeck: Test\noutputs: [site]\n")
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let (server, root, task) = try startServer(fixture)
        defer { task.cancel() }

        let browser = try DevToolsPipe(chromium: chromium)
        try browser.open(root.appendingPathComponent("lambda/overview.html"))
        XCTAssertTrue(try browser.wait(until: "!!document.getElementById('syllabus-errors')"), "no overlay")
        waitForOnePage(server)
        let lines = try XCTUnwrap(try browser.evaluate(
            "Array.from(document.querySelectorAll('#syllabus-errors .syllabus-diagnostic')).map(function (li) { return li.textContent; })") as? [String])
        XCTAssertEqual(lines.count, 2, "\(lines)")
        XCTAssertTrue(lines.first?.range(of: #"lambda/overview\.md:5:\d+: error: .*'nope<i>\.md'"#, options: .regularExpression) != nil, "errors first: \(lines)")
        XCTAssertTrue(lines.last?.range(of: #"lambda/overview\.md:3:\d+: warning: "#, options: .regularExpression) != nil, "\(lines)")
        XCTAssertEqual(try browser.evaluate("document.querySelector('#syllabus-errors h2').textContent") as? String, LiveReloadScript.noBuildTitle)
        // The live script's overlay (drawn over the server's page when the stream connects)
        // marks each item by its severity and styles the two apart; the text is never markup.
        XCTAssertTrue(try browser.wait(until: "!!document.querySelector('#syllabus-errors .syllabus-error')"))
        let shown = try XCTUnwrap(try browser.evaluate("""
            (function () {
              var items = Array.from(document.querySelectorAll('#syllabus-errors .syllabus-diagnostic'));
              return [document.querySelector('#syllabus-errors .syllabus-counts').textContent,
                      items.map(function (li) { return li.getAttribute('data-severity'); }).join(' '),
                      items.map(function (li) { return getComputedStyle(li).borderLeftColor; }).join(' / '),
                      String(document.querySelectorAll('#syllabus-errors i').length)].join(' | ');
            })()
            """) as? String)
        let parts = shown.components(separatedBy: " | ")
        XCTAssertEqual(parts.count, 4, shown)
        XCTAssertEqual(parts.first, "1 error, 1 warning", shown)
        XCTAssertEqual(parts.dropFirst().first, "error warning", shown)
        let colors = parts[2].components(separatedBy: " / ")
        XCTAssertEqual(colors.count, 2, shown)
        XCTAssertNotEqual(colors.first, colors.last, "errors and warnings look alike: \(shown)")
        XCTAssertEqual(parts.last, "0", "a diagnostic's text became markup: \(shown)")

        try fixture.write("Content/lambda/overview.md", "# Lambda\n\nFixed words.\n")
        XCTAssertTrue(try browser.wait(until: "document.body.textContent.includes('Fixed words.') && !document.getElementById('syllabus-errors')"),
                      "the page did not become the site")
    }

    /// The number of pages listening, read from the hub without blocking the test's thread on the actor.
    /// Starts `serve` on `fixture` at a free loopback port; the caller cancels the task.
    private func startServer(_ fixture: Fixture) throws -> (server: DevServer, root: URL, task: Task<Void, Error>) {
        let server = try DevServer(options: fixture.options, host: "127.0.0.1", port: 0) { _ in }
        let ready = DispatchSemaphore(value: 0)
        let address = LockedURL()
        let task = Task { try await server.run { address.set($0); ready.signal() } }
        XCTAssertEqual(ready.wait(timeout: .now() + 120), .success, "serve did not start")
        return (server, try XCTUnwrap(address.get()), task)
    }

    /// Waits until the open page's script is listening on the event stream (the server counts it).
    private func waitForOnePage(_ server: DevServer) {
        let listening = Date().addingTimeInterval(30)
        while listenerCount(server) == 0, Date() < listening { usleep(100_000) }
        XCTAssertEqual(listenerCount(server), 1, "the page's script did not connect")
    }

    private func listenerCount(_ server: DevServer) -> Int {
        let done = DispatchSemaphore(value: 0)
        let count = LockedURL.Box()
        Task { count.value = await server.hub.count; done.signal() }
        done.wait()
        return count.value
    }
}

/// A value handed from the server's task to the test's thread.
private final class LockedURL: @unchecked Sendable {
    private let lock = NSLock()
    private var url: URL?
    func set(_ value: URL) { lock.withLock { url = value } }
    func get() -> URL? { lock.withLock { url } }

    final class Box: @unchecked Sendable { var value = 0 }
}
