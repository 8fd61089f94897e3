import FlyingFox
import FlyingSocks
import Foundation

/// The open pages, each listening on one Server-Sent Events stream (`/__syllabus/events`).
/// Events: `reload` (a build replaced the site), `css` (only stylesheets changed), `errors`
/// (the build failed; `data` is a JSON array of its diagnostics, `file:line:col: …`).
///
/// A page reloading after one build misses what is broadcast before its new stream connects
/// (the next save's build may end in that gap), so each page is served with the number of good
/// builds so far (`builds`) and connects with it: a page older than the last build is told at
/// once what it missed.
public actor LiveReloadHub {
    private var clients: [UUID: AsyncStream<Data>.Continuation] = [:]
    /// The diagnostics of the last build when it failed: a page opened since gets them at once.
    private(set) var failure: [String]?
    /// Good builds so far: a page served now shows the site of this one (or a later one).
    private(set) var builds = 0
    /// The last good build that changed more than stylesheets.
    private var lastReload = 0

    /// A hub with no pages listening and no failure to show.
    public init() {}

    /// The number of pages listening.
    public var count: Int { clients.count }

    /// A new listener's stream. It keeps at most a few events unread, so a page that stops
    /// reading cannot make the server hold more. `since`: the `builds` count the page was
    /// served with (nil: unknown, nothing is replayed); a page older than the last good build
    /// gets `reload` (or `css`, when only stylesheets changed since) at once.
    func connect(since: Int? = nil) -> AsyncStream<Data> {
        let (stream, continuation) = AsyncStream.makeStream(of: Data.self, bufferingPolicy: .bufferingNewest(8))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in Task { await self?.disconnect(id) } }
        clients[id] = continuation
        continuation.yield(Self.frame(comment: "connected"))
        if let since, since < builds {
            continuation.yield(Self.frame(event: since < lastReload ? "reload" : "css", data: ""))
        }
        if let failure { continuation.yield(Self.frame(event: "errors", data: Self.json(failure))) }
        return stream
    }

    private func disconnect(_ id: UUID) {
        clients[id] = nil
    }

    /// Tells every page that a build finished: `reload` or `css` after a good one, `errors`
    /// after a failed one.
    public func built(diagnostics: [String]?, stylesheetsOnly: Bool) {
        failure = diagnostics
        if let diagnostics {
            broadcast(Self.frame(event: "errors", data: Self.json(diagnostics)))
        } else {
            builds += 1
            if !stylesheetsOnly { lastReload = builds }
            broadcast(Self.frame(event: stylesheetsOnly ? "css" : "reload", data: ""))
        }
    }

    /// A comment every few seconds keeps idle connections open and finds closed ones.
    func ping() {
        broadcast(Self.frame(comment: "ping"))
    }

    private func broadcast(_ frame: Data) {
        for continuation in clients.values { continuation.yield(frame) }
    }

    static func frame(event: String, data: String) -> Data {
        Data("event: \(event)\ndata: \(data)\n\n".utf8)
    }

    static func frame(comment: String) -> Data {
        Data(": \(comment)\n\n".utf8)
    }

    static func json(_ lines: [String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: lines, options: [.withoutEscapingSlashes])) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// An event stream as an HTTP body that FlyingFox sends chunk by chunk as events come.
struct EventStreamBody: AsyncBufferedSequence {
    typealias Element = UInt8
    let events: AsyncStream<Data>

    func makeAsyncIterator() -> Iterator { Iterator(events: events.makeAsyncIterator()) }

    struct Iterator: AsyncBufferedIteratorProtocol {
        var events: AsyncStream<Data>.Iterator
        var pending: [UInt8] = []

        mutating func next() async -> UInt8? {
            await nextBuffer(suggested: 1)?.first
        }

        mutating func nextBuffer(suggested count: Int) async -> [UInt8]? {
            if pending.isEmpty {
                guard let event = await events.next() else { return nil }
                pending = Array(event)
            }
            let buffer = Array(pending.prefix(Swift.max(1, count)))
            pending.removeFirst(buffer.count)
            return buffer
        }
    }
}

/// The script `serve` adds to every HTML page it sends (never written to the output): it
/// listens for build events, reloads keeping the scroll position, swaps stylesheets in
/// place, and shows a failed build's diagnostics over the page.
enum LiveReloadScript {
    static let path = "/__syllabus/live.js"
    /// The script's element for a page served after `build` good builds (see `LiveReloadHub`).
    static func tag(build: Int) -> String { "<script src=\"\(path)\" data-syllabus-build=\"\(build)\"></script>" }
    /// The overlay's title over a page of the last good build.
    static let lastGoodTitle = "Build failed: the page shows the last good build"
    /// The overlay's title on the server's own page (`<html data-syllabus-no-build>`) while no build succeeded.
    static let noBuildTitle = "Build failed: there is no good build to show yet"

    /// `html` with the script tag (`tag(build:)`) before its last `</body>` (or at the end).
    static func inject(into html: Data, build: Int) -> Data {
        let tag = tag(build: build)
        let text = String(decoding: html, as: UTF8.self)
        guard let end = text.range(of: "</body>", options: [.backwards, .caseInsensitive]) else { return Data((text + tag).utf8) }
        return Data(text.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: tag).utf8)
    }

    static let source = #"""
        (function () {
          "use strict";
          var key = "syllabus-scroll " + location.pathname;
          var saved = sessionStorage.getItem(key);
          if (saved !== null) {
            sessionStorage.removeItem(key);
            var restore = function () { window.scrollTo(0, Number(saved)); };
            restore();
            window.addEventListener("load", restore);
          }
          function overlay(lines) {
            var old = document.getElementById("syllabus-errors");
            if (old) old.remove();
            if (!lines) return;
            var box = document.createElement("div");
            box.id = "syllabus-errors";
            box.setAttribute("role", "alert");
            box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5em;" +
              "background:rgba(30,0,0,.92);color:#fff;font:14px/1.5 ui-monospace,monospace";
            var title = document.createElement("h2");
            title.textContent = document.documentElement.hasAttribute("data-syllabus-no-build")
              ? "\#(noBuildTitle)" : "\#(lastGoodTitle)";
            title.style.cssText = "margin:0 0 1em;font:700 18px/1.3 system-ui,sans-serif";
            var list = document.createElement("ul");
            list.style.cssText = "margin:0;padding-left:1.2em";
            lines.forEach(function (line) {
              var item = document.createElement("li");
              item.className = "syllabus-diagnostic";
              item.textContent = line;
              list.appendChild(item);
            });
            box.appendChild(title);
            box.appendChild(list);
            document.body.appendChild(box);
          }
          // The build this page was served after: a build that ended before the stream below
          // connects is then still told (see LiveReloadHub).
          var script = document.currentScript;
          var build = script && script.getAttribute("data-syllabus-build");
          var events = new EventSource("/__syllabus/events" + (build ? "?since=" + encodeURIComponent(build) : ""));
          events.addEventListener("reload", function () {
            sessionStorage.setItem(key, String(window.scrollY));
            location.reload();
          });
          events.addEventListener("css", function () {
            overlay(null);
            document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
              var url = new URL(link.href);
              url.searchParams.set("v", String(Date.now()));
              var next = link.cloneNode();
              next.href = url.href;
              next.addEventListener("load", function () { link.remove(); });
              link.after(next);
            });
          });
          events.addEventListener("errors", function (event) { overlay(JSON.parse(event.data)); });
        })();

        """#
}
