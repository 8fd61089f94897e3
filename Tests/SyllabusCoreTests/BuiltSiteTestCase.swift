import Foundation
import XCTest
@testable import SyllabusCore

/// Tests that drive a built site's pages in headless Chromium: each test gets the fixture of
/// its class (`siteFixture`) built afresh in a temporary folder, and skips when there is no
/// Chromium.
class BuiltSiteTestCase: XCTestCase {
    /// The temporary folder's name and the files to build there (path -> text). Every subclass
    /// names its own.
    class var siteFixture: (name: String, files: [String: String]) { ("site", [:]) }

    /// The temporary folder the fixture was built in.
    var work: URL!
    /// The Chromium executable found on `PATH`.
    var chromium: String!

    override func setUpWithError() throws {
        guard let chromium = EndToEndSupport.which(PDFPrinter.browserNames) else {
            throw missingTool("no chromium in PATH")
        }
        self.chromium = chromium
        let fixture = Self.siteFixture
        work = try EndToEndSupport.temporaryFolder(fixture.name)
        try EndToEndSupport.writeFixture(fixture.files, in: work)
        try EndToEndSupport.build(in: work)
    }

    override func tearDownWithError() throws {
        if let work { try? FileManager.default.removeItem(at: work) }
    }
}
