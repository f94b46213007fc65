import CaseloadCore
import CaseloadJournal
import Foundation
import XCTest

/// `caseload import caseload` from spreadsheets as Excel writes them, its per-row report, and
/// the round trip export CSV → import into an empty caseload → the same caseload.
final class CaseloadImportTests: CLITestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        initialise()
    }

    /// Writes `text` as a spreadsheet file: CRLF line ends, optionally a UTF-8 BOM.
    func sheet(_ name: String, _ lines: [String], bom: Bool = false) -> String {
        var d = Data(bom ? [0xEF, 0xBB, 0xBF] : [])
        d.append(Data((lines.joined(separator: "\r\n") + "\r\n").utf8))
        let url = root.appendingPathComponent(name)
        try! d.write(to: url)
        return url.path
    }

    static let header = "Name,NHS number,Date of birth,Referral date,Referred by,Source,Reasons,Worker,Status,Phone,Consent,Share with GP"

    func people() -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: jsonArray(["patient", "list"]).map { ($0["name"] as! String, $0) })
    }

    func testExcelCSVWithBOMQuotesAndUKDates() {
        let file = sheet("caseload.csv", [
            Self.header,
            "Tadeusz Wiśniewski,943 476 5919,02/03/1948,23/11/2026,Dr Patel,GP,\"loneliness; grief\",Amira Haddad,active,07700 900123,yes,yes",
            "\"O'Brien, Siobhán\",,1990-07-14,2026-11-10,\"Nurse \"\"Jo\"\" Hughes\",nurse,money,Ben Okoro,DNA,,y,n",
            "\"Zoë\nLine two\",,,01/10/2026,,self,,,,,,",
            ",,,,,,,,,,,",
        ], bom: true)
        let r = ok(["import", "caseload", file, "--as-of", asOf, "--create-workers"])
        XCTAssertTrue(r.stdout.contains("Imported 3 people"), r.stdout)
        let p = people()
        let t = jsonObject(["patient", "show", "9434765919"])
        XCTAssertEqual(t["dateOfBirth"] as? String, "1948-03-02")
        XCTAssertEqual((t["referral"] as! [String: Any])["date"] as? String, "2026-11-23")
        XCTAssertEqual((t["referral"] as! [String: Any])["reasons"] as? [String], ["loneliness", "bereavement"])
        XCTAssertEqual((t["referral"] as! [String: Any])["referrer"] as? String, "Dr Patel")
        XCTAssertEqual(t["status"] as? String, "active")
        XCTAssertEqual(t["worker"] as? String, "amira-haddad", "a known worker's name is their id")
        XCTAssertEqual((t["consent"] as! [String: Any]).keys.sorted(), ["shareWithGP", "socialPrescribing"])
        let s = p["O'Brien, Siobhán"]!
        XCTAssertEqual(s["status"] as? String, "didNotAttend")
        XCTAssertEqual(s["reasons"] as? [String], ["moneyDebt"])
        XCTAssertEqual(s["worker"] as? String, "ben-okoro", "a new worker is registered when asked (--create-workers)")
        XCTAssertNotNil(p["Zoë\nLine two"], "a quoted line break stays in the field")
        XCTAssertEqual(p.count, 3, "the blank row is skipped")

        // The same file again: matched on NHS number (or, without one, on name, birth date
        // and referral date), nothing duplicated.
        let before = journalBytes
        let again = ok(["import", "caseload", file, "--as-of", asOf])
        XCTAssertTrue(again.stdout.contains("Imported 0 people; 3 already in the caseload"), again.stdout)
        XCTAssertEqual(journalBytes, before)
    }

    func testReimportDoesNotDuplicatePeople() {
        let file = sheet("people.csv", ["Name,NHS number,Referral date", "Ann,943 476 5919,2026-11-01", "Bob,999 000 0018,2026-11-02"])
        ok(["import", "caseload", file])
        let before = journalBytes
        let r = ok(["import", "caseload", file])
        XCTAssertTrue(r.stdout.contains("Imported 0 people; 2 already in the caseload"), r.stdout)
        XCTAssertEqual(journalBytes, before)
        XCTAssertEqual(people().count, 2)
    }

    func testEveryBadRowIsReportedWithLineAndColumnAndNothingIsWritten() {
        let file = sheet("bad.csv", [
            "Name,NHS number,Date of birth,Referral date,Source,Reasons",
            "Good Person,943 476 5919,1950-01-01,2026-11-01,gp,loneliness",
            "Wrong Check,943 476 5918,1950-01-01,2026-11-01,gp,",
            "US Date,,1950-01-01,11/23/2026,gp,",
            ",,,2026-11-01,gp,",
            "Short Year,,01/02/50,2026-11-01,astrologer,hobbies",
            "Same NHS,9434765919,,2026-11-01,,",
        ])
        let before = journalBytes
        let r = CLI.run(["import", "caseload", file], dataDir: data)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("5 rows have problems"), r.stderr)
        XCTAssertTrue(r.stderr.contains("nothing was imported"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Wrong Check"), "names stay off stderr")
        for expected in [
            "bad.csv line 3, column \"NHS number\": invalid NHS number '943 476 5918': the check digit does not match",
            "bad.csv line 4, column \"Referral date\": '11/23/2026' looks like a US month/day date",
            "bad.csv line 5, column \"Name\": the name is empty",
            "bad.csv line 6, column \"Date of birth\": '01/02/50': give the year in full",
            "bad.csv line 6, column \"Source\": 'astrologer' is not one of",
            "bad.csv line 6, column \"Reasons\": 'hobbies' is not one of",
            "bad.csv line 7, column \"NHS number\": NHS number 943 476 5919 is also on line 2",
        ] {
            XCTAssertTrue(r.stdout.contains(expected), "missing: \(expected)\n\(r.stdout)")
        }
        XCTAssertEqual(journalBytes, before, "nothing half-imported")

        let j = CLI.run(["import", "caseload", file, "--json"], dataDir: data)
        XCTAssertNotEqual(j.status, 0)
        let report = j.json as? [String: Any]
        XCTAssertEqual((report?["problems"] as? [String])?.count, 7, j.stdout)
        XCTAssertEqual(report?["rejected"] as? Int, 5)
        XCTAssertEqual(journalBytes, before)
    }

    func testSkipInvalidWritesTheRejectedRows() throws {
        let file = sheet("mixed.csv", ["Name,NHS number,Referral date", "Ann,943 476 5919,2026-11-01", "Bad,123,2026-11-01", "=cmd,,31/12/2026"])
        let rejects = root.appendingPathComponent("rejects.csv")
        refuses(["import", "caseload", file, "--skip-invalid"], mentioning: "go together")
        let r = ok(["import", "caseload", file, "--skip-invalid", "--rejects", rejects.path])
        XCTAssertTrue(r.stdout.contains("Imported 2 people; 1 rejected, written to"), r.stdout)
        XCTAssertEqual(Set(people().keys), ["Ann", "=cmd"])
        let text = try String(contentsOf: rejects, encoding: .utf8)
        XCTAssertEqual(text, "Name,NHS number,Referral date,problem\r\nBad,123,2026-11-01,\"NHS number: invalid NHS number '123': an NHS number has 10 digits, not 3\"\r\n")
        let mode = try FileManager.default.attributesOfItem(atPath: rejects.path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
    }

    func testMappingFileAndUnknownColumns() throws {
        let file = sheet("custom.csv", ["Client,NHS No.,Date referred,Keyworker notes,Borough", "Ann,943 476 5919,01/11/2026,likes walks,North"])
        refuses(["import", "caseload", file], mentioning: "problems (listed on standard output)")
        let r = CLI.run(["import", "caseload", file], dataDir: data)
        XCTAssertTrue(r.stdout.contains("custom.csv line 1, column \"Keyworker notes\": unknown column"), r.stdout)
        XCTAssertTrue(r.stdout.contains("custom.csv line 1, column \"Borough\": unknown column"), r.stdout)
        let map = root.appendingPathComponent("map.txt")
        try "# our spreadsheet\nname = \"Client\"\nnhsNumber = \"NHS No.\"\nreferralNote = \"Keyworker notes\"\nignore = \"Borough\"\n".write(to: map, atomically: true, encoding: .utf8)
        ok(["import", "caseload", file, "--map", map.path])
        let t = jsonObject(["patient", "show", "9434765919"])
        XCTAssertEqual((t["referral"] as! [String: Any])["text"] as? String, "likes walks")
        XCTAssertEqual((t["referral"] as! [String: Any])["date"] as? String, "2026-11-01")
        let badMap = root.appendingPathComponent("bad-map.txt")
        try "nhs_numbr = \"NHS No.\"\n".write(to: badMap, atomically: true, encoding: .utf8)
        refuses(["import", "caseload", file, "--map", badMap.path], mentioning: "unknown field \"nhs_numbr\"")
    }

    func testFilesThatAreNotUTF8CSV() throws {
        // "Siobhán" in Windows-1252: what Excel's plain "CSV" save writes.
        var cp1252 = Data("Name,Referral date\r\nAnn,2026-11-01\r\nSiobh".utf8)
        cp1252.append(contentsOf: [0xE1, 0x6E])
        cp1252.append(Data(",2026-11-01\r\n".utf8))
        let win = root.appendingPathComponent("windows.csv")
        try cp1252.write(to: win)
        refuses(["import", "caseload", win.path], mentioning: "line 3 is not UTF-8")
        refuses(["import", "caseload", win.path], mentioning: "CSV UTF-8")

        let xlsx = root.appendingPathComponent("caseload.xlsx")
        try Data([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]).write(to: xlsx)
        refuses(["import", "caseload", xlsx.path], mentioning: "not a CSV file")

        let prose = sheet("letter.txt", ["Dear Dr Patel", "Thank you for the referral of Mrs Jones"])
        refuses(["import", "caseload", prose], mentioning: "problems")
        let utf16 = root.appendingPathComponent("unicode.txt")
        try Data([0xFF, 0xFE, 0x4E, 0x00]).write(to: utf16)
        refuses(["import", "caseload", utf16.path], mentioning: "UTF-16")
        let ragged = sheet("ragged.csv", ["Name,Referral date", "Ann,2026-11-01,extra"])
        refuses(["import", "caseload", ragged], mentioning: "line 2 has 3 fields, but the header has 2")
        let quote = sheet("quote.csv", ["Name,Referral date", "Ann \"the\" Lamb,2026-11-01"])
        refuses(["import", "caseload", quote], mentioning: "a quote in the middle of an unquoted field")
        refuses(["import", "caseload", root.appendingPathComponent("missing.csv").path], mentioning: "does not exist")
    }

    // MARK: - Export, then import into an empty caseload

    func testExportedCSVIsSpreadsheetSafe() throws {
        let id = jsonObject(["patient", "add", "--name", "=HYPERLINK(\"http://x\",\"click\")", "--referral-date", "2026-11-01", "--phone", "+44 7700 900123"])["id"] as! String
        ok(["session", "add", id, "--note=-5 stars\n@home", "--date", "2026-11-02"])
        let out = root.appendingPathComponent("out")
        ok(["export", "--format", "csv", "--out", out.path])
        let patients = try String(contentsOf: out.appendingPathComponent("patients.csv"), encoding: .utf8)
        XCTAssertFalse(patients.hasPrefix("\u{FEFF}"), "no BOM unless asked")
        XCTAssertTrue(patients.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\","), patients)
        XCTAssertTrue(patients.contains(",\"+44 7700 900123\","), "a phone number is quoted text, with no apostrophe: \(patients)")
        XCTAssertTrue(patients.contains(",2026-11-01,"), "ISO dates")
        let sessions = try String(contentsOf: out.appendingPathComponent("sessions.csv"), encoding: .utf8)
        XCTAssertTrue(sessions.contains("\"'-5 stars\n@home\""), sessions)
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        XCTAssertEqual(files, ["connections.csv", "followups.csv", "goals.csv", "measures.csv", "patients.csv", "risks.csv", "services.csv", "sessions.csv", "workers.csv"])

        // Imported back, the protected cells are what was typed.
        let other = root.appendingPathComponent("other")
        XCTAssertEqual(CLI.run(["init", "--worker", "Amira Haddad"], dataDir: other).status, 0)
        XCTAssertEqual(CLI.run(["import", "caseload", out.path], dataDir: other).status, 0)
        let show = CLI.run(["patient", "show", String(id.prefix(8)), "--json"], dataDir: other).json as! [String: Any]
        XCTAssertEqual(show["name"] as? String, "=HYPERLINK(\"http://x\",\"click\")")
        XCTAssertEqual(show["phone"] as? String, "+44 7700 900123")
        XCTAssertEqual((show["sessions"] as! [[String: Any]])[0]["note"] as? String, "-5 stars\n@home")
    }

    /// Everything a caseload says: the commissioners' report (whole time, a period, a team),
    /// and every list and person, minus what an export does not carry (event ids, and the
    /// reasons given for earlier status, stage and date changes).
    func snapshot(_ dir: URL) -> [String: Any] {
        func run(_ args: [String]) -> Any {
            let r = CLI.run(args + ["--json", "--as-of", asOf], dataDir: dir)
            XCTAssertEqual(r.status, 0, r.stderr)
            return r.json ?? NSNull()
        }
        func strip(_ v: Any) -> Any {
            if let a = v as? [Any] { return a.map(strip) }
            guard let o = v as? [String: Any] else { return v }
            var out: [String: Any] = [:]
            for (k, x) in o where k != "eventId" { out[k] = strip(x) }
            for k in ["statusHistory", "history", "reschedules"] {
                if var list = out[k] as? [[String: Any]] {
                    for i in list.indices where !(k == "statusHistory" && i == list.count - 1) { list[i]["reason"] = nil }
                    out[k] = list
                }
            }
            return out
        }
        var snap: [String: Any] = ["report": run(["report"]), "report for spring and summer": run(["report", "--from", "2026-03-01", "--to", "2026-08-31"]),
                                   "report for the North team": run(["report", "--team", "North"]),
                                   "list": run(["patient", "list"]), "overdue": run(["overdue"]),
                                   "services": run(["service", "list"]), "followups": strip(run(["followup", "list", "--all"]))]
        for p in (snap["list"] as! [[String: Any]]) {
            let id = p["id"] as! String
            snap[id] = strip(run(["patient", "show", id]))
        }
        return snap
    }

    func testRoundTripExportCSVImportIntoAnEmptyCaseload() throws {
        let source = root.appendingPathComponent("source")
        XCTAssertEqual(CLI.run(["demo", "--patients", "40", "--as-of", asOf], dataDir: source).status, 0)
        let out = root.appendingPathComponent("export")
        XCTAssertEqual(CLI.run(["export", "--format", "csv", "--bom", "--out", out.path, "--as-of", asOf], dataDir: source).status, 0)
        let target = root.appendingPathComponent("target")
        XCTAssertEqual(CLI.run(["init", "--worker", "Amira Haddad", "--team", "North"], dataDir: target).status, 0)
        let journalDir = target.appendingPathComponent("journal")
        let before = try FileManager.default.contentsOfDirectory(atPath: journalDir.path).map { try Data(contentsOf: journalDir.appendingPathComponent($0)) }
        let r = CLI.run(["import", "caseload", out.path, "--as-of", asOf], dataDir: target)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        XCTAssertTrue(r.stdout.contains("Imported 40 people"), r.stdout)
        // The import only appended: what was in the journal is still there, byte for byte.
        let after = try FileManager.default.contentsOfDirectory(atPath: journalDir.path).map { try Data(contentsOf: journalDir.appendingPathComponent($0)) }
        XCTAssertEqual(after.count, 1)
        XCTAssertTrue(after[0].starts(with: before[0]))

        let a = snapshot(source), b = snapshot(target)
        XCTAssertEqual(a.count, b.count)
        for (k, v) in a {
            XCTAssertEqual(b[k].map { NSDictionary(dictionary: ["v": $0]) }, NSDictionary(dictionary: ["v": v]), "differs: \(k)")
        }

        // Importing the export again adds nothing.
        let settled = try Data(contentsOf: journalDir.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: journalDir.path)[0]))
        let again = CLI.run(["import", "caseload", out.path], dataDir: target)
        XCTAssertTrue(again.stdout.contains("Imported 0 people; 40 already in the caseload"), again.stdout)
        XCTAssertEqual(try Data(contentsOf: journalDir.appendingPathComponent(try FileManager.default.contentsOfDirectory(atPath: journalDir.path)[0])), settled)
    }

    func testAnExportFolderWithABrokenRelatedFileImportsNothing() throws {
        let id = jsonObject(["patient", "add", "--name", "Ann", "--referral-date", "2026-11-01"])["id"] as! String
        ok(["session", "add", id, "--note", "hello", "--date", "2026-11-02"])
        let out = root.appendingPathComponent("out")
        ok(["export", "--format", "csv", "--out", out.path])
        let sessions = out.appendingPathComponent("sessions.csv")
        let text = try String(contentsOf: sessions, encoding: .utf8).replacingOccurrences(of: "2026-11-02", with: "2026-13-02")
        try text.write(to: sessions, atomically: true, encoding: .utf8)
        let other = root.appendingPathComponent("other")
        XCTAssertEqual(CLI.run(["init", "--worker", "Amira Haddad"], dataDir: other).status, 0)
        let journal = other.appendingPathComponent("journal")
        let name = try FileManager.default.contentsOfDirectory(atPath: journal.path)[0]
        let before = try Data(contentsOf: journal.appendingPathComponent(name))
        let r = CLI.run(["import", "caseload", out.path], dataDir: other)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("sessions.csv line 2, column \"date\": '2026-13-02' is not a real date"), r.stdout)
        XCTAssertEqual(try Data(contentsOf: journal.appendingPathComponent(name)), before)
    }
}
