import Foundation

/// Prints cheat sheets to PDF with headless Chromium, after the build has written them.
public struct PDFPrinter: Sendable {
    /// Why a sheet was not printed.
    public enum Failure: Error, CustomStringConvertible {
        /// No Chromium on `PATH` (`build --pdf` needs one).
        case browserMissing
        /// Chromium failed on the sheet (its file name) or wrote no PDF; what it said.
        case failed(String, String)

        /// One line for the command line, saying how to get a browser when it is missing.
        public var description: String {
            switch self {
            case .browserMissing:
                return "no Chromium found on PATH (looked for \(PDFPrinter.browserNames.joined(separator: ", "))): "
                    + "install it (Debian/Ubuntu: apt-get install chromium) to print cheat sheets to PDF; "
                    + "the HTML sheets in the output folder print from any browser"
            case let .failed(file, message): return "printing \(file) to PDF failed: \(message)"
            }
        }
    }

    /// The executable names looked for on `PATH`, in this order.
    static let browserNames = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]

    /// The Chromium executable that prints.
    let browser: URL

    /// A printer using `browser` (not checked until it prints).
    init(browser: URL) {
        self.browser = browser
    }

    #if os(macOS)
    /// Where macOS keeps the browsers' executables: inside their application bundles, not on `PATH`.
    static let applicationPaths = ["/Applications/Chromium.app/Contents/MacOS/Chromium",
                                   "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"]
    #endif

    /// A printer using the first Chromium on `PATH` (on macOS, then the first in
    /// `applicationPaths`), or nil when there is none.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> PDFPrinter? {
        let paths = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        for name in browserNames {
            for directory in paths {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return PDFPrinter(browser: candidate) }
            }
        }
        #if os(macOS)
        if let path = applicationPaths.first(where: FileManager.default.isExecutableFile(atPath:)) {
            return PDFPrinter(browser: URL(fileURLWithPath: path))
        }
        #endif
        return nil
    }

    /// Prints every `*.html` of `folder` to a `.pdf` beside it; returns the PDFs written.
    @discardableResult
    func printSheets(in folder: URL) throws -> [URL] {
        let sheets = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "html" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        // A few browsers at once: each spends most of its time starting up.
        let results = parallelMap(sheets.count, workers: min(4, ProcessInfo.processInfo.activeProcessorCount)) { index -> Result<URL, Error> in
            let pdf = sheets[index].deletingPathExtension().appendingPathExtension("pdf")
            return Result { try print(sheets[index], to: pdf); return pdf }
        }
        return try results.map { try $0.get() }
    }

    /// The PDF of one self-contained HTML page (`html`, its bytes; `name` for messages),
    /// printed from a temporary file.
    func pdf(of html: Data, named name: String) throws -> Data {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-print-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent((name as NSString).lastPathComponent)
        try html.write(to: page)
        let pdf = page.deletingPathExtension().appendingPathExtension("pdf")
        try print(page, to: pdf)
        return try Data(contentsOf: pdf)
    }

    /// The number of pages of a PDF: the `/Count` of its page tree's root, the largest of the
    /// `/Type /Pages` dictionaries (ISO 32000-1, 7.7.3.2); nil when it has none in plain text
    /// (Chromium writes them so, not in compressed object streams).
    static func pageCount(of pdf: Data) -> Int? {
        let bytes = [UInt8](pdf)
        let marker = Array("/Type /Pages".utf8), count = Array("/Count ".utf8)
        var largest: Int?
        var index = 0
        while let found = Self.find(marker, in: bytes, from: index) {
            index = found + marker.count
            // The dictionary around the marker: from its `<<` to its `>>`.
            let start = Self.findBackward(Array("<<".utf8), in: bytes, before: found) ?? found
            let end = Self.find(Array(">>".utf8), in: bytes, from: index) ?? bytes.count
            guard let at = Self.find(count, in: bytes, from: start), at < end else { continue }
            let digits = bytes[(at + count.count)...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            if let value = Int(String(decoding: digits, as: UTF8.self)) { largest = max(largest ?? 0, value) }
        }
        return largest
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard start <= bytes.count - needle.count else { return nil }
        return (start...(bytes.count - needle.count)).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    private static func findBackward(_ needle: [UInt8], in bytes: [UInt8], before end: Int) -> Int? {
        guard end - needle.count >= 0 else { return nil }
        return stride(from: end - needle.count, through: 0, by: -1).first { bytes[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    /// Prints one HTML file to `pdf`, through a temporary profile so no user state leaks in.
    func print(_ html: URL, to pdf: URL) throws {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("syllabus-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let partial = pdf.deletingLastPathComponent().appendingPathComponent(".\(pdf.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: partial)
        let process = Process()
        process.executableURL = browser
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--user-data-dir=\(profile.path)",
            "--print-to-pdf=\(partial.path)",
            html.standardizedFileURL.absoluteString,
        ]
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let output = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: partial.path) else {
            let message = String(decoding: output, as: UTF8.self).split(separator: "\n").suffix(3).joined(separator: " ")
            throw Failure.failed(html.lastPathComponent, "chromium exited with status \(process.terminationStatus): \(message)")
        }
        try? FileManager.default.removeItem(at: pdf)
        try FileManager.default.moveItem(at: partial, to: pdf)
    }
}
