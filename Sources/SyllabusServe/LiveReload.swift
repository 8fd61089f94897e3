import Foundation
import SyllabusCore

/// The open pages, each listening on one Server-Sent Events stream (`/__syllabus/events`).
/// Events: `reload` (a build replaced the site), `css` (only stylesheets changed), `errors`
/// (the build failed; `data` is a JSON array of its diagnostics, errors first, each
/// `{"severity": "error", "line": "file:line:col: error: …"}`).
///
/// A page reloading after one build misses what is broadcast before its new stream connects
/// (the next save's build may end in that gap), so each page is served with the number of good
/// builds so far (`builds`) and connects with it: a page older than the last build is told at
/// once what it missed.
public actor LiveReloadHub {
    private var clients: [UUID: AsyncStream<Data>.Continuation] = [:]
    /// The diagnostics of the last build when it failed: a page opened since gets them at once.
    private(set) var failure: [ShownDiagnostic]?
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
    /// after a failed one (`diagnostics`, which it shows errors first).
    public func built(diagnostics: [ShownDiagnostic]?, stylesheetsOnly: Bool) {
        let diagnostics = diagnostics.map(ShownDiagnostic.errorsFirst)
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

    /// One line of JSON (an event's `data` may hold no line break; JSON escapes them in strings).
    static func json(_ diagnostics: [ShownDiagnostic]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(diagnostics)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A diagnostic as `serve` shows it over a page: its severity, and its line as the terminal
/// prints it (`file:line:col: error: …`).
public struct ShownDiagnostic: Sendable, Equatable, Encodable {
    /// `error` or `warning`.
    public var severity: Severity
    /// The compiler-style line.
    public var line: String

    /// A diagnostic of the build.
    public init(_ diagnostic: Diagnostic) {
        self.init(severity: diagnostic.severity, line: diagnostic.description)
    }

    /// A line of `severity` (a template that does not parse is an error with no `Diagnostic`).
    public init(severity: Severity, line: String) {
        self.severity = severity
        self.line = line
    }

    /// `diagnostics` with the errors (what failed the build) before the warnings, each group
    /// in the order given (file order).
    static func errorsFirst(_ diagnostics: [ShownDiagnostic]) -> [ShownDiagnostic] {
        diagnostics.filter { $0.severity == .error } + diagnostics.filter { $0.severity != .error }
    }

    /// "2 errors, 1 warning": what the overlay says above the list.
    static func counts(_ diagnostics: [ShownDiagnostic]) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count, warnings = diagnostics.count - errors
        func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
        return warnings == 0 ? count(errors, "error") : count(errors, "error") + ", " + count(warnings, "warning")
    }

    /// The inline style of the overlay's box, the same on the server's page and over a page:
    /// opaque (a page's header showed through a slightly see-through one) and dark whatever
    /// the page's theme, with light text.
    static let overlayStyle = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:1.5em;"
        + "background:#1e0000;color:#fff;color-scheme:dark;font:14px/1.5 ui-monospace,monospace"
    /// The inline style of an item of each severity, the same on the server's page and in the
    /// live script's overlay: an error in red, a warning in amber, each with a bar at its left.
    static let errorStyle = "margin:0 0 .5em;padding:.2em .6em;border-left:4px solid #ff5449;background:rgba(255,84,73,.16)"
    static let warningStyle = "margin:0 0 .5em;padding:.2em .6em;border-left:4px solid #e0a800;background:rgba(224,168,0,.12);color:#ffe9a8"
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
    /// The overlay's button that puts it away over a page of the last good build (Escape does too).
    static let closeLabel = "Show the last good page"
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
            box.style.cssText = "\#(ShownDiagnostic.overlayStyle)";
            var title = document.createElement("h2");
            title.textContent = document.documentElement.hasAttribute("data-syllabus-no-build")
              ? "\#(noBuildTitle)" : "\#(lastGoodTitle)";
            title.style.cssText = "margin:0 0 1em;font:700 18px/1.3 system-ui,sans-serif";
            // Errors (which failed the build) come first, each item styled by its severity; the
            // text goes in as text, never as markup.
            var errors = lines.filter(function (d) { return d.severity === "error"; }).length, warnings = lines.length - errors;
            var counts = document.createElement("p");
            counts.className = "syllabus-counts";
            counts.textContent = errors + (errors === 1 ? " error" : " errors") +
              (warnings ? ", " + warnings + (warnings === 1 ? " warning" : " warnings") : "");
            counts.style.cssText = "margin:0 0 1em";
            var list = document.createElement("ul");
            list.style.cssText = "margin:0;padding:0;list-style:none";
            lines.forEach(function (d) {
              var item = document.createElement("li");
              var error = d.severity === "error";
              item.className = "syllabus-diagnostic " + (error ? "syllabus-error" : "syllabus-warning");
              item.setAttribute("data-severity", error ? "error" : "warning");
              item.style.cssText = error ? "\#(ShownDiagnostic.errorStyle)" : "\#(ShownDiagnostic.warningStyle)";
              item.textContent = d.line;
              list.appendChild(item);
            });
            box.appendChild(title);
            box.appendChild(counts);
            box.appendChild(list);
            // Over a page of the last good build, the page is still worth reading (and the
            // downloads page's files worth taking): a button, or Escape, puts the list away
            // until the next build. With no good build there is nothing under it.
            if (!document.documentElement.hasAttribute("data-syllabus-no-build")) {
              var close = document.createElement("button");
              close.type = "button";
              close.className = "syllabus-close";
              close.textContent = "\#(closeLabel)";
              close.style.cssText = "margin:1em 0 0;font:inherit;padding:.4em .9em;cursor:pointer";
              close.addEventListener("click", function () { overlay(null); });
              box.appendChild(close);
            }
            document.body.appendChild(box);
          }
          document.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && !document.documentElement.hasAttribute("data-syllabus-no-build")) overlay(null);
          });
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
