import Foundation
import XCTest

/// `demo` and `import` show how far they have got when stderr is a terminal, and say nothing
/// extra when it is piped (a script's stderr keeps only warnings and errors).
final class ProgressTests: CLITestCase {
    /// Runs the binary with stderr on a new pseudo-terminal; returns the exit status and what it wrote there.
    func runWithStderrOnATerminal(_ args: [String]) throws -> (status: Int32, stderr: String) {
        let master = c_posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, c_grantpt(master) == 0, c_unlockpt(master) == 0, let name = c_ptsname(master) else { throw XCTSkip("no pseudo-terminals here") }
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw XCTSkip("cannot open the pseudo-terminal") }
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args + ["--data-dir", data.path]
        p.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        p.standardOutput = Pipe()
        p.standardInput = FileHandle.nullDevice
        try p.run()
        close(slave)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }   // EIO once the app has exited and the terminal has no one left
            bytes += buffer[0..<n]
        }
        close(master)
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: bytes, as: UTF8.self))
    }

    func testTheDemoShowsProgressOnATerminalAndNothingWhenPiped() throws {
        let shown = try runWithStderrOnATerminal(["demo", "--patients", "150", "--as-of", asOf])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stderr.contains("making 100/150 people"), shown.stderr)
        XCTAssertTrue(shown.stderr.range(of: #"writing (\d+)/\1 events"#, options: .regularExpression) != nil, shown.stderr)
        XCTAssertTrue(shown.stderr.hasSuffix("\r\u{1B}[K"), "the line is cleared at the end")
        try FileManager.default.removeItem(at: data)
        let piped = CLI.run(["demo", "--patients", "150", "--as-of", asOf], dataDir: data)
        XCTAssertEqual(piped.status, 0)
        XCTAssertEqual(piped.stderr, "", "no progress when piped")
    }

    func testAnImportShowsProgressOnATerminalAndNothingWhenPiped() throws {
        initialise()
        let csv = root.appendingPathComponent("people.csv")
        try ("Name,Referral date\n" + (1...600).map { "Person \($0),2026-11-01\n" }.joined()).write(to: csv, atomically: true, encoding: .utf8)
        let shown = try runWithStderrOnATerminal(["import", "caseload", csv.path, "--dry-run", "--as-of", asOf])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stderr.contains("checking 500/600 rows"), shown.stderr)
        XCTAssertTrue(shown.stderr.contains("checking 600/600 rows"), shown.stderr)
        let written = try runWithStderrOnATerminal(["import", "caseload", csv.path, "--as-of", asOf])
        XCTAssertTrue(written.stderr.contains("writing 0/600 events"), written.stderr)
        let piped = CLI.run(["import", "caseload", csv.path, "--as-of", asOf], dataDir: data)
        XCTAssertEqual(piped.status, 0)
        XCTAssertEqual(piped.stderr, "", "no progress when piped")
    }
}

/// The C library's pseudo-terminal calls, which Swift's Glibc module leaves out (they sit
/// behind _XOPEN_SOURCE); their C signatures are plain ints and a pointer.
@_silgen_name("posix_openpt") private func c_posix_openpt(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func c_grantpt(_ fd: Int32) -> Int32
@_silgen_name("unlockpt") private func c_unlockpt(_ fd: Int32) -> Int32
@_silgen_name("ptsname") private func c_ptsname(_ fd: Int32) -> UnsafeMutablePointer<CChar>?
