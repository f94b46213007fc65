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
}
