import CaseloadCore
import CaseloadJournal
import Foundation
import XCTest

/// Issue 12, the local part, as a user meets it on the command line.
final class IntegrityLocalTests: CLITestCase {
    var patient = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        initialise()
        patient = (ok(["patient", "add", "--name", "Mr Chen", "--json"]).json as! [String: Any])["id"] as! String
    }

    func testA3MBControlCharacterNoteFileIsRefusedNamingTheLimitAndTheJournalStaysWritable() throws {
        let file = root.appendingPathComponent("note.txt")
        try Data(repeating: 0x01, count: 3_000_000).write(to: file)
        refuses(["session", "add", patient, "--note-file", file.path], mentioning: "note is too long")
        XCTAssertTrue(CLI.run(["session", "add", patient, "--note-file", file.path], dataDir: data).stderr.contains("1 MiB"))
        ok(["session", "add", patient, "--note", "Called back."])
        XCTAssertEqual(ok(["verify"]).status, 0)
    }

    func testRescheduleByAHugeNumberOfDaysIsRefusedNotWrittenOrCrashing() {
        let f = (ok(["followup", "add", patient, "--due", "2026-11-30", "--json"]).json as! [String: Any])["id"] as! String
        refuses(["followup", "reschedule", f, "--in-days", "100000000", "--as-of", asOf], mentioning: "--in-days must be between 0 and 3650")
        refuses(["followup", "reschedule", f, "--in-days", "9223372036854775807", "--as-of", asOf], mentioning: "--in-days")
        refuses(["followup", "reschedule", f, "--in-days", "-9223372036854775808", "--as-of", asOf], mentioning: "--in-days")
        let moved = ok(["followup", "reschedule", f, "--in-days", "7", "--as-of", asOf])
        XCTAssertTrue(moved.stdout.contains("2026-11-30"), moved.stdout)
        XCTAssertEqual(ok(["verify"]).status, 0)
    }

    func testNoteDashReadsTheNoteFromStandardInput() {
        let r = ok(["session", "add", patient, "--note", "-", "--json"], stdin: "Said the walk helped.\nSecond line.")
        XCTAssertEqual((r.json as? [String: Any])?["note"] as? String, "Said the walk helped.\nSecond line.")
        let sid = (r.json as! [String: Any])["id"] as! String
        let amended = ok(["session", "amend", sid, "--note", "-", "--json"], stdin: "Corrected.")
        XCTAssertEqual((amended.json as? [String: Any])?["note"] as? String, "Corrected.")
    }

    private func sheet(_ lines: [String]) throws -> String {
        let url = root.appendingPathComponent("people.csv")
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: url)
        return url.path
    }

    func testA17MBNameInASpreadsheetIsRefusedWithItsLineAndNothingIsImported() throws {
        let file = try sheet(["Name,Referral date", "Ann,2026-11-01", String(repeating: "\u{1}", count: 17_000_000) + ",2026-11-02"])
        let before = journalBytes
        let r = CLI.run(["import", "caseload", file], dataDir: data)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("people.csv line 3, column \"Name\": the name is too long: 16.2 MiB, and a name can be at most 4 KiB"), String(r.stdout.prefix(500)))
        XCTAssertEqual(journalBytes, before)
        ok(["patient", "add", "--name", "Still writable"])
    }

    func testAMisspeltWorkerInASpreadsheetIsRefusedWithTheLineAndTheKnownNames() throws {
        let file = try sheet(["Name,Referral date,Worker", "Ann,2026-11-01,Amira Haddad", "Bob,2026-11-02,Amria Hadad"])
        let before = journalBytes
        let r = CLI.run(["import", "caseload", file], dataDir: data)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("people.csv line 3, column \"Worker\": 'Amria Hadad' is not a worker of this caseload (known: Amira Haddad)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("--create-workers"), r.stdout)
        XCTAssertEqual(journalBytes, before)
        let created = ok(["import", "caseload", file, "--create-workers"])
        XCTAssertTrue(created.stdout.contains("Imported 2 people"), created.stdout)
        let workers = Set(jsonArray(["patient", "list"]).compactMap { $0["worker"] as? String })
        XCTAssertEqual(workers, ["amira-haddad", "amria-hadad"])
    }

    /// A name that would set the title, write the clipboard (OSC 52), clear the screen and overprint.
    static let hostileName = "Eve\u{1b}]0;owned\u{7}\u{1b}]52;c;ZWNobyBoaQ==\u{7}\u{1b}[2J\rX\u{9b}31m\u{202e}"

    func testNamesNotesAndReasonsAreTerminalSafeInTextOutputAndExactInJSON() {
        let name = Self.hostileName
        let id = (ok(["patient", "add", "--name", name, "--consent", "--share-with-gp", "--followup", "2026-11-01", "--followup-reason", name, "--json"]).json as! [String: Any])["id"] as! String
        ok(["session", "add", id, "--note", name, "--date", "2026-11-02", "--keep-followup"])  // the follow-up stays listed
        ok(["service", "add", "--name", name])
        let commands: [[String]] = [["patient", "list"], ["patient", "show", id], ["overdue", "--as-of", asOf], ["followup", "list"],
                                    ["gp-summary", id, "--as-of", asOf], ["service", "list"]]
        for args in commands {
            let out = ok(args).stdout
            for control in ["\u{1b}", "\u{7}", "\r", "\u{9b}", "\u{202e}"] {
                XCTAssertFalse(out.contains(control), "caseload \(args.joined(separator: " ")) printed a raw control character: \(out.debugDescription)")
            }
            XCTAssertTrue(out.contains("Eve␛]0;owned␇"), "caseload \(args.joined(separator: " ")): \(out)")
        }
        XCTAssertEqual(jsonObject(["patient", "show", id])["name"] as? String, name, "JSON keeps the exact value")
    }

    /// Runs a command with standard output on /dev/full (a disk with no space left).
    private func runToFullDisk(_ args: [String]) throws -> (status: Int32, stderr: String) {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = args + ["--data-dir", data.path]
        p.standardOutput = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: e, as: UTF8.self))
    }

    func testAFailedWriteToStandardOutputIsOneLineOnStderrAndExitStatus1() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full (Linux)")
        for args in [["patient", "list", "--json"], ["patient", "list"], ["keys"]] {
            let r = try runToFullDisk(args)
            XCTAssertEqual(r.status, 1, "caseload \(args.joined(separator: " ")): \(r.stderr)")
            XCTAssertEqual(r.stderr, "caseload: error: cannot write the output: No space left on device\n")
        }
    }

    /// Every file the command creates under `folder`, with the mode it was created with, as
    /// strace sees the system calls: created private means `open(…, O_CREAT…, 0600)`.
    private func createdModes(_ args: [String], under folder: URL) throws -> [String] {
        let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if strace == nil, ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("strace is required on CI (.ci/run installs it)") }
        let tool = try XCTUnwrap(strace.map { URL(fileURLWithPath: $0) }, "needs strace")
        let log = root.appendingPathComponent("strace.log")
        let p = Process()
        p.executableURL = tool
        p.arguments = ["-f", "-qq", "-e", "trace=open,openat,creat", "-o", log.path, CLI.binary.path] + args + ["--data-dir", data.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "caseload \(args.joined(separator: " "))")
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        return lines.filter { $0.contains("\"" + folder.path + "/") && $0.contains("O_CREAT") }
            .map { line in String(line.split(separator: ",").last { $0.contains("0") && !$0.contains("O_") }?.split(separator: ")").first ?? "?").trimmingCharacters(in: .whitespaces) }
    }

    func testExportsRecordsReportsAndRejectsAreCreatedPrivateFromTheFirstByte() throws {
        ok(["session", "add", patient, "--note", "A note."])
        let out = root.appendingPathComponent("out")
        let cases: [[String]] = [
            ["export", "--format", "csv", "--out", out.appendingPathComponent("csv").path],
            ["export", "--format", "json", "--out", out.appendingPathComponent("json").path],
            ["export", "--patient", patient, "--out", out.appendingPathComponent("sar").path],
            ["report", "--csv", out.appendingPathComponent("report").path, "--as-of", asOf],
            ["import", "caseload", try sheet(["Name,Referral date", "Ann,2026-11-01", "Bob,not a date"]), "--skip-invalid", "--rejects", out.appendingPathComponent("rejects.csv").path],
        ]
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        for args in cases {
            let modes = try createdModes(args, under: out)
            XCTAssertFalse(modes.isEmpty, "caseload \(args.joined(separator: " ")) created no file")
            XCTAssertEqual(Set(modes), ["0600"], "caseload \(args.joined(separator: " ")) created files with modes \(modes)")
        }
    }

    /// Runs the binary and returns its exit status and peak resident memory in bytes. Through a
    /// small python3 parent: a child spawned straight from this test process starts out
    /// counting this process's own resident memory (vfork shares it until exec, and Linux keeps
    /// that high-water mark), which is hundreds of MiB late in the suite.
    private func peakMemory(_ args: [String]) throws -> (status: Int32, bytes: Int) {
        let script = "import resource, subprocess, sys\n"
            + "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
            + "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, CLI.binary.path] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let words = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(whereSeparator: \.isWhitespace)
        XCTAssertEqual(words.count, 2, "python3 is needed to measure a child's memory")
        guard words.count == 2, let status = Int32(words[0]), let kb = Int(words[1]) else { return (-1, 0) }
        return (status, kb * 1024)
    }

    func testVerifyReadsALargeJournalInBoundedMemory() throws {
        let path = root.appendingPathComponent("big.journal").path
        let device = UUID()
        let file = try JournalFile(path: path, device: device)
        let note = String(repeating: "Long note. ", count: RecordLimits.maxLongText / 11)
        var seq: UInt64 = 0
        for _ in 0..<16 {
            let payloads = try (0..<10).map { _ -> Data in
                seq += 1
                return try Event(id: UUID(), device: device, seq: seq, clock: HLC(wallMillis: Int64(seq)), author: "amira",
                                 body: .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: UUID(), date: Day("2026-11-23")!, kind: .phone, minutes: nil, note: note))).encoded()
            }
            try file.append(payloads)
        }
        file.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        XCTAssertGreaterThan(size, 160 << 20)
        let r = try peakMemory(["verify", "--file", path])
        XCTAssertEqual(r.status, 0)
        // Holding the journal (and a copy of its records) took more than twice its size.
        XCTAssertLessThan(r.bytes, 110 << 20, "verify of a \(size >> 20) MiB journal peaked at \(r.bytes >> 20) MiB")
    }
}
