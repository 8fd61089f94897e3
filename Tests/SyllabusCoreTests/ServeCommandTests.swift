import Foundation
import XCTest

/// `syllabus serve` as a process, as a script or a terminal starts it.
final class ServeCommandTests: XCTestCase {
    /// A shell starts a background job with SIGINT ignored, and exec keeps that: serve puts
    /// SIGINT's default back, so `kill -INT` (Ctrl-C) stops it all the same. Its address is
    /// read from the line it prints.
    func testSIGINTStopsServeStartedWithSIGINTIgnored() throws {
        let syllabus = try EndToEndSupport.executable()
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' INT; exec \"$0\" serve --port 0 --host localhost --templates \"$1\"", syllabus.path,
                             Fixture.repository.appendingPathComponent("Templates").path]
        process.currentDirectoryURL = fixture.root
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var said = ""
        let deadline = Date().addingTimeInterval(60)
        while !said.contains("Serving"), Date() < deadline, process.isRunning {
            said += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        }
        XCTAssertTrue(said.contains("Built 1 note"), said)
        XCTAssertTrue(said.contains("at http://127.0.0.1:"), "localhost is the IPv4 loopback: \(said)")
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(10)
        while process.isRunning, Date() < stopBy { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal, said)
        XCTAssertEqual(process.terminationStatus, SIGINT, said)
    }

    /// `serve` started in `folder` on any free port, with the repository's theme, and what it
    /// said up to its "Serving" line (its address).
    private func startServe(in folder: URL) throws -> (process: Process, said: String, errors: Pipe) {
        let process = Process()
        process.executableURL = try EndToEndSupport.executable()
        process.arguments = ["serve", "--port", "0", "--templates", Fixture.repository.appendingPathComponent("Templates").path]
        process.currentDirectoryURL = folder
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var said = ""
        let deadline = Date().addingTimeInterval(60)
        while !said.contains("Downloads"), Date() < deadline, process.isRunning {
            said += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        }
        return (process, said, errors)
    }

    /// A second `serve` on the same output folder stops at once (status 1), naming the first
    /// by its process id and address, before building; a `serve` killed with SIGKILL leaves
    /// no claim behind (the kernel drops its lock), so the next one starts.
    func testASecondServeOnTheSameOutputIsRefusedAndAKilledOneBlocksNobody() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let first = try startServe(in: fixture.root)
        defer { if first.process.isRunning { first.process.terminate() } }
        let url = try XCTUnwrap(first.said.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression).map { String(first.said[$0]) },
                                first.said)
        // A second `serve` that is not refused serves until the timeout ends it.
        let second = try EndToEndSupport.run(try EndToEndSupport.executable().path,
                                             ["serve", "--port", "0", "--templates", Fixture.repository.appendingPathComponent("Templates").path],
                                             timeout: 20, in: fixture.root)
        XCTAssertEqual(second.status, 1, second.err)
        XCTAssertEqual(second.err, "error: \(fixture.root.appendingPathComponent("Output").path) is already served by syllabus serve "
                       + "(process \(first.process.processIdentifier)) at \(url); stop that one (Ctrl-C in its terminal) "
                       + "or give this one another --output\n")

        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        let next = try startServe(in: fixture.root)
        defer { if next.process.isRunning { next.process.terminate(); next.process.waitUntilExit() } }
        XCTAssertTrue(next.said.contains("Serving Output/site at http://127.0.0.1:"), next.said)
    }

    /// A `--host` that is no address is a usage error (exit 64), before anything is built.
    func testAHostThatIsNoAddressIsAUsageError() throws {
        let fixture = try Fixture(["lambda/overview.md": "# Lambda\n\nRuns code.\n"])
        defer { try? FileManager.default.removeItem(at: fixture.root) }
        let run = try CLI.run(["serve", "--host", "example.invalid", "--port", "0"], in: fixture.root)
        XCTAssertEqual(run.status, 64, run.err)
        XCTAssertTrue(run.err.contains("--host example.invalid: not an IPv4 or IPv6 address"), run.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: fixture.root.appendingPathComponent("Output").path))
    }
}
