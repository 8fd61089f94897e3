import Foundation
import XCTest
@testable import SyllabusCore

/// axe-core (the accessibility engine behind Lighthouse and browser audits) on the site's
/// pages in headless Chromium from `file://`: no violations on the practice page (before and
/// after revealing a card), the home, a service page, a note and the term index. axe comes
/// from the `axe-playwright-python` package in the test venv, which bundles `axe.min.js`
/// (installed without its Playwright dependency: only the script is used).
final class AccessibilityTests: XCTestCase {
    func testPagesHaveNoAxeViolations() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let axe = try Self.axeScript()
        let work = try EndToEndSupport.temporaryFolder("axe")
        defer { try? FileManager.default.removeItem(at: work) }
        try EndToEndSupport.writeFixture(PracticePageTests.fixture, in: work)
        try EndToEndSupport.build(in: work)
        let site = work.appendingPathComponent("Output/site")
        try FileManager.default.copyItem(at: axe, to: site.appendingPathComponent("axe.min.js"))

        let pages = ["index.html", "lambda/index.html", "lambda/limits.html", "terms/index.html", "practice/index.html"]
        var checked = 0
        for path in pages {
            for reveal in path.hasPrefix("practice/") ? [false, true] : [false] {
                let page = site.appendingPathComponent(path)
                let depth = path.split(separator: "/").count - 1
                let prefix = String(repeating: "../", count: depth)
                let html = try String(contentsOf: page, encoding: .utf8)
                let audit = """
                    <script src="\(prefix)axe.min.js"></script>
                    <script>
                    (function () {
                      \(reveal ? "var button = document.querySelector('[data-reveal]'); if (button) button.click();" : "")
                      axe.run(document, { resultTypes: ["violations"] }).then(function (result) {
                        var out = document.createElement("pre"); out.id = "axe-result";
                        out.textContent = encodeURIComponent(JSON.stringify(result.violations.map(function (v) {
                          return { id: v.id, help: v.help, nodes: v.nodes.map(function (n) { return n.target.join(" ") + ": " + n.failureSummary; }) };
                        })));
                        document.body.appendChild(out);
                      });
                    })();
                    </script>
                    </body>
                    """
                let harness = page.deletingLastPathComponent().appendingPathComponent("axe-harness.html")
                try html.replacingOccurrences(of: "</body>", with: audit).write(to: harness, atomically: true, encoding: .utf8)
                let dom = try PracticePageTests.dumpDOM(harness, chromium: chromium)
                let marker = try XCTUnwrap(dom.range(of: "<pre id=\"axe-result\">"), "\(path): axe did not finish")
                let encoded = String(dom[marker.upperBound...].prefix { $0 != "<" })
                let violations = try JSONSerialization.jsonObject(with: Data(try XCTUnwrap(encoded.removingPercentEncoding).utf8)) as? [[String: Any]]
                XCTAssertEqual(violations?.count, 0, "\(path)\(reveal ? " (revealed)" : ""): \(violations ?? [])")
                checked += 1
            }
        }
        XCTAssertEqual(checked, 6)
    }

    /// `axe.min.js` from the test venv (`ANKI_PYTHON`), found without importing the package.
    static func axeScript() throws -> URL {
        guard let python = ProcessInfo.processInfo.environment["ANKI_PYTHON"], !python.isEmpty else {
            throw missingTool("ANKI_PYTHON is not set (the test venv, with axe-playwright-python)")
        }
        let probe = try EndToEndSupport.run(python, ["-c", """
            import importlib.util, os
            spec = importlib.util.find_spec("axe_playwright_python")
            print(os.path.join(spec.submodule_search_locations[0], "axe.min.js") if spec else "")
            """], timeout: 30)
        let path = probe.out.trimmingCharacters(in: .whitespacesAndNewlines)
        guard probe.status == 0, !path.isEmpty, FileManager.default.fileExists(atPath: path) else {
            throw missingTool("axe-playwright-python is not installed in \(python)'s venv (pip install --no-deps axe-playwright-python)")
        }
        return URL(fileURLWithPath: path)
    }
}
