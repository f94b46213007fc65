import Foundation
import XCTest
import CaseloadJournal

/// Each bad input gives one clear line on stderr, a non-zero exit, and leaves the journal as it was.
final class BadInputTests: CLITestCase {
    var patient = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        initialise()
        let r = ok(["patient", "add", "--name", "Mr Chen", "--json"])
        patient = (r.json as! [String: Any])["id"] as! String
    }

    func testInvalidNHSNumbers() {
        refuses(["patient", "add", "--name", "Tadeusz", "--nhs-number", "943 476 5918"], mentioning: "check digit")
        refuses(["patient", "add", "--name", "Tadeusz", "--nhs-number", "943 476 591"], mentioning: "10 digits")
        refuses(["patient", "add", "--name", "Tadeusz", "--nhs-number", "943 476 59l9"], mentioning: "only digits")
    }

    func testImpossibleDates() {
        refuses(["followup", "add", patient, "--due", "2026-02-30"], mentioning: "2026-02-30")
        refuses(["overdue", "--as-of", "23/11/2026"], mentioning: "23/11/2026")
        refuses(["patient", "add", "--name", "X", "--dob", "1950-13-01"], mentioning: "1950-13-01")
    }

    func testUnknownAndAmbiguousIds() {
        refuses(["patient", "show", "ffffffff"], mentioning: "no patient matches")
        // Add patients until two ids share a first hex digit, then ask for that one digit + ... prefix.
        var ids = [patient]
        while true {
            let r = ok(["patient", "add", "--name", "P\(ids.count)", "--json"])
            ids.append((r.json as! [String: Any])["id"] as! String)
            let firstFour = Dictionary(grouping: ids) { String($0.prefix(1)) }.first { $0.value.count > 1 }
            if let shared = firstFour {
                let a = shared.value[0], b = shared.value[1]
                let common = String(zip(a, b).prefix { $0 == $1 }.map { $0.0 })
                if common.count >= 4 {
                    refuses(["patient", "show", common], mentioning: "matches 2")
                } else {
                    // Prefixes shorter than 4 characters are never accepted, so this is "no match".
                    refuses(["patient", "show", common], mentioning: "no patient matches")
                }
                break
            }
        }
        refuses(["followup", "done", "0000"], mentioning: "no follow-up matches")
    }

    func testMeasureAnswersOutOfRangeOrWrongCount() {
        refuses(["measure", "add", patient, "--instrument", "swemwbs", "--answers", "3,3,3,3,3,3"], mentioning: "7 answers")
        refuses(["measure", "add", patient, "--instrument", "swemwbs", "--answers", "3,3,3,6,3,3,3"], mentioning: "answer 4 is 6")
        refuses(["measure", "add", patient, "--instrument", "swemwbs", "--answers", "3,3,x,3,3,3,3"], mentioning: "not a whole number")
        refuses(["measure", "add", patient, "--instrument", "phq9", "--answers", "1"], mentioning: "phq9")
        refuses(["goal", "progress", "abcd", "11"], mentioning: "0 to 10")
    }

    func testEmptyName() {
        refuses(["patient", "add", "--name", "   "], mentioning: "name is empty")
    }

    func testNoteFileMissingOrNotUTF8() throws {
        refuses(["session", "add", patient, "--note-file", root.appendingPathComponent("nope.txt").path], mentioning: "does not exist")
        let latin1 = root.appendingPathComponent("latin1.txt")
        try Data([0x53, 0x69, 0x6F, 0x62, 0x68, 0xE1, 0x6E]).write(to: latin1)  // "Siobhán" in Latin-1
        refuses(["session", "add", patient, "--note-file", latin1.path], mentioning: "not UTF-8")
    }

    func testASecondWriterGetsAClearMessage() throws {
        let config = try DataDirectory.readConfig(data)
        let holder = try JournalFile(path: DataDirectory.journalPath(data, device: config.device), device: config.device)
        refuses(["patient", "add", "--name", "Blocked"], mentioning: "open in another caseload process")
        // Readers are never blocked by the writer.
        XCTAssertEqual(CLI.run(["patient", "list", "--json"], dataDir: data).status, 0)
        holder.close()
    }

    func testAFlippedByteInTheMiddleIsRefusedAndReported() throws {
        ok(["patient", "add", "--name", "Second"])
        var bytes = [UInt8](FileManager.default.contents(atPath: journalPath)!)
        bytes[40] ^= 0x20
        FileManager.default.createFile(atPath: journalPath, contents: Data(bytes))
        refuses(["patient", "add", "--name", "Third"], mentioning: "damaged at byte 32")
        let v = CLI.run(["verify"], dataDir: data)
        XCTAssertNotEqual(v.status, 0)
        XCTAssertTrue(v.stdout.contains("damaged bytes"), v.stdout)
    }

    func testATruncatedJournalIsRecoveredAndSaysSo() throws {
        ok(["patient", "add", "--name", "Second"])
        let bytes = FileManager.default.contents(atPath: journalPath)!
        FileManager.default.createFile(atPath: journalPath, contents: bytes.prefix(bytes.count - 5))
        let r = CLI.run(["patient", "add", "--name", "Third", "--json"], dataDir: data)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("last record was incomplete"), r.stderr)
        let names = (CLI.run(["patient", "list", "--json"], dataDir: data).json as! [[String: Any]]).map { $0["name"] as! String }
        XCTAssertEqual(names.sorted(), ["Mr Chen", "Third"])
        let side = try FileManager.default.contentsOfDirectory(atPath: data.appendingPathComponent("journal").path).filter { $0.contains("torn-tail") }
        XCTAssertEqual(side.count, 1, "the cut bytes are kept beside the journal")
    }

    func testANonWritableDataDirectory() throws {
        let journalDir = data.appendingPathComponent("journal").path
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: journalDir)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: journalDir) }
        refuses(["patient", "add", "--name", "Nope"], mentioning: "cannot write")
        let file = root.appendingPathComponent("a-file")
        FileManager.default.createFile(atPath: file.path, contents: Data())
        let r = CLI.run(["init", "--worker", "X"], dataDir: file.appendingPathComponent("sub"))
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot write"), r.stderr)
    }

    func testNoCaseloadYet() {
        let r = CLI.run(["patient", "list"], dataDir: root.appendingPathComponent("empty"))
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("caseload init"), r.stderr)
    }
}
