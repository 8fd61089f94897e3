import Foundation
import XCTest
@testable import SyllabusCore

/// A note page read on a 390 px wide phone does not scroll sideways: long unbreakable words
/// (exception names, API actions in bold) wrap, and wide tables and code scroll inside their
/// own box. Measured in headless Chromium from `file://`, in a 390 px iframe (Chromium's
/// headless window will not go below 500 px).
final class PhoneLayoutTests: XCTestCase {
    func testNotePageFitsAPhoneWidth() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let work = try EndToEndSupport.temporaryFolder("phone-layout")
        defer { try? FileManager.default.removeItem(at: work) }
        let wideRow = "| " + (1...12).map { "column \($0)" }.joined(separator: " | ") + " |"
        try EndToEndSupport.writeFixture([
            "Content/services.yml": Fixture.plainServices,
            "syllabus.yml": "title: Phone\ndeck: Phone\noutputs: [site]\n",
            "Content/dynamodb-errors.md": """
                # Throttling errors

                A table over its capacity answers **ProvisionedThroughputExceededExceptionFromTheDynamoDBTable**,
                and the SDK retries with backoff: `ThisIsAVeryLongIdentifierThatDoesNotBreakAnywhereAtAll`.

                \(wideRow)
                \(String(repeating: "| - ", count: 12))|
                \(String(repeating: "| x ", count: 12))|

                ```
                aws dynamodb update-table --table-name Orders --provisioned-throughput ReadCapacityUnits=100,WriteCapacityUnits=100
                ```
                """,
        ], in: work)
        try EndToEndSupport.build(in: work)
        let site = work.appendingPathComponent("Output/site")
        let note = try XCTUnwrap(FileManager.default.enumerator(atPath: site.path)?
            .compactMap { $0 as? String }.first { $0.hasSuffix("dynamodb-errors.html") })
        try assertFitsAPhone(note, in: site, chromium: chromium)
    }

    /// The exam page of the bundled study set: its "Questions from" list names the exam's
    /// longest domain ("Development with AWS Services"), which must not push the page wider.
    func testExamPageFitsAPhoneWidth() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else { throw missingTool("no chromium in PATH") }
        let work = try EndToEndSupport.temporaryFolder("phone-exam")
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.copyItem(at: Fixture.repository.appendingPathComponent("Content"), to: work.appendingPathComponent("Content"))
        let config = try String(contentsOf: Fixture.repository.appendingPathComponent("syllabus.yml"), encoding: .utf8)
        try config.replacingOccurrences(of: "outputs: [site, anki, epub, cheatsheets]", with: "outputs: [site]")
            .write(to: work.appendingPathComponent("syllabus.yml"), atomically: true, encoding: .utf8)
        try EndToEndSupport.build(in: work)
        try assertFitsAPhone("exam/index.html", in: work.appendingPathComponent("Output/site"), chromium: chromium)
    }

    /// Measures `page` (a path in `site`) in a 390 px wide iframe: it must not scroll sideways.
    private func assertFitsAPhone(_ page: String, in site: URL, chromium: String, line: UInt = #line) throws {
        let harness = site.appendingPathComponent("phone-harness.html")
        try """
            <!DOCTYPE html><html><head><title>harness</title></head><body style="margin:0">
            <iframe id="frame" src="\(page)" style="width:390px;height:844px;border:0"></iframe>
            <script>
            document.getElementById("frame").addEventListener("load", function () {
              var page = this.contentDocument.documentElement;
              var out = document.createElement("pre"); out.id = "width";
              out.textContent = page.scrollWidth + "/" + page.clientWidth;
              document.body.appendChild(out);
            });
            </script></body></html>
            """.write(to: harness, atomically: true, encoding: .utf8)
        let dom = try PracticePageTests.dumpDOM(harness, chromium: chromium)
        let marker = try XCTUnwrap(dom.range(of: "<pre id=\"width\">"), "the harness did not measure the page", line: line)
        let widths = dom[marker.upperBound...].prefix { $0 != "<" }.split(separator: "/").compactMap { Int($0) }
        XCTAssertEqual(widths.count, 2, line: line)
        XCTAssertLessThanOrEqual(widths.first ?? .max, widths.last ?? 0, "\(page) is wider than the phone's viewport: \(widths)", line: line)
    }
}
