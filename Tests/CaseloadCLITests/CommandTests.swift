import Foundation
import XCTest

/// Amira's day, driven through the command line.
final class CommandTests: CLITestCase {
    func addTadeusz() -> String {
        let p = jsonObject(["patient", "add", "--name", "Tadeusz Wiśniewski", "--nhs-number", "943 476 5919", "--source", "gp",
                            "--referrer", "Dr Patel", "--reason", "loneliness", "--reason", "bereavement", "--share-with-gp", "--consent",
                            "--followup", "2026-11-24", "--as-of", asOf])
        return p["id"] as! String
    }

    func testAReferralIsAddedAndShownWithItsPolishLetters() {
        initialise()
        let id = addTadeusz()
        XCTAssertEqual(id.count, 36)
        let shown = jsonObject(["patient", "show", String(id.prefix(8)), "--as-of", asOf])
        XCTAssertEqual(shown["name"] as? String, "Tadeusz Wiśniewski")
        XCTAssertEqual(shown["nhsNumber"] as? String, "9434765919")
        XCTAssertEqual(shown["status"] as? String, "referred")
        let referral = shown["referral"] as! [String: Any]
        XCTAssertEqual(referral["source"] as? String, "gp")
        XCTAssertEqual(referral["reasons"] as? [String], ["loneliness", "bereavement"])
        XCTAssertEqual((shown["consent"] as! [String: Any]).keys.sorted(), ["shareWithGP", "socialPrescribing"])
        XCTAssertEqual(((shown["followups"] as! [[String: Any]]).first)?["due"] as? String, "2026-11-24")
        // By NHS number too, as a person would type it.
        XCTAssertEqual(jsonObject(["patient", "show", "9434765919"])["id"] as? String, id)
        let text = ok(["patient", "show", id, "--as-of", asOf]).stdout
        XCTAssertTrue(text.contains("Tadeusz Wiśniewski"))
        XCTAssertTrue(text.contains("NHS 943 476 5919"))
    }

    func testListFiltersByStatusAndSearch() {
        initialise()
        addTadeusz()
        ok(["patient", "add", "--name", "Siobhán Ní Bhriain", "--reason", "money"])
        XCTAssertEqual(jsonArray(["patient", "list"]).count, 2)
        XCTAssertEqual(jsonArray(["patient", "list", "--search", "siobhan"]).map { $0["name"] as? String }, ["Siobhán Ní Bhriain"])
        XCTAssertEqual(jsonArray(["patient", "list", "--search", "wisniewski"]).count, 1)
        XCTAssertEqual(jsonArray(["patient", "list", "--status", "referred"]).count, 2)
        XCTAssertEqual(jsonArray(["patient", "list", "--status", "active"]).count, 0)
        let table = ok(["patient", "list"]).stdout
        XCTAssertTrue(table.contains("2 people"))
    }

    func testStatusChangesAndUpdates() {
        initialise()
        let id = addTadeusz()
        ok(["patient", "status", id, "active"])
        ok(["patient", "status", id, "discharged", "--reason", "Goals met", "--followups", "complete"])
        let p = jsonObject(["patient", "show", id])
        XCTAssertEqual(p["status"] as? String, "discharged")
        XCTAssertEqual((p["statusHistory"] as! [[String: Any]]).map { $0["status"] as? String }, ["referred", "active", "discharged"])
        ok(["patient", "update", id, "--phone", "01632 960123", "--preferred-name", "Tad"])
        XCTAssertEqual(jsonObject(["patient", "show", id])["preferredName"] as? String, "Tad")
    }

    func testSessionsKeepEveryVersionOfANote() throws {
        initialise()
        let id = addTadeusz()
        let note = root.appendingPathComponent("note.txt")
        try "Talked about his wife, Halina.\n\nHe'd like to try the Men's Shed — Łódź-born, loves woodwork. 🙂".write(to: note, atomically: true, encoding: .utf8)
        let s = jsonObject(["session", "add", id, "--kind", "phone", "--minutes", "20", "--note-file", note.path, "--as-of", asOf])
        XCTAssertEqual(s["kind"] as? String, "phone")
        let sid = s["id"] as! String
        ok(["session", "amend", String(sid.prefix(8)), "--note", "Corrected: he would like to try the Men's Shed."])
        let shown = jsonObject(["patient", "show", id])
        let session = (shown["sessions"] as! [[String: Any]])[0]
        XCTAssertEqual(session["note"] as? String, "Corrected: he would like to try the Men's Shed.")
        XCTAssertEqual((session["versions"] as! [[String: Any]]).count, 2)
        XCTAssertEqual(shown["status"] as? String, "contacted", "the first session moves a referral on")
        // A note from standard input.
        ok(["session", "add", id, "--note-file", "-"], stdin: "From stdin: Zoë\n")
        XCTAssertEqual(((jsonObject(["patient", "show", id])["sessions"] as! [[String: Any]]).last)?["note"] as? String, "From stdin: Zoë\n")
    }

    func testGoalsAndMeasuresWithComputedScores() {
        initialise()
        let id = addTadeusz()
        let g = jsonObject(["goal", "add", id, "--text", "Get out of the house twice a week", "--progress", "2"])
        let gid = g["id"] as! String
        ok(["goal", "progress", gid, "5"])
        ok(["goal", "progress", gid, "7"])
        XCTAssertEqual((jsonObject(["goal", "progress", gid, "7"])["progress"] as! [[String: Any]]).map { $0["score"] as? Int }, [2, 5, 7, 7])
        let m = jsonObject(["measure", "add", id, "--instrument", "swemwbs", "--answers", "3,3,2,3,2,3,2", "--date", "2026-09-01"])
        XCTAssertEqual(m["raw"] as? Int, 18)
        XCTAssertEqual(m["metric"] as? Double, 17.43)
        ok(["measure", "add", id, "--instrument", "swemwbs", "--answers", "4,3,3,4,3,4,3", "--date", "2026-11-20"])
        ok(["measure", "add", id, "--instrument", "ons4", "--answers", "6,7,5,3"])
        ok(["measure", "add", id, "--instrument", "ucla3", "--answers", "3,2,3"])
        let shown = jsonObject(["patient", "show", id])
        let measures = shown["measures"] as! [[String: Any]]
        XCTAssertEqual(measures.count, 4)
        let ons = measures.first { $0["instrument"] as? String == "ons4" }!
        XCTAssertEqual((ons["bands"] as! [String: String])["anxiety"], "low")
        XCTAssertEqual(measures.first { $0["instrument"] as? String == "ucla3" }!["total"] as? Int, 8)
        let sw = (shown["measureSummaries"] as! [[String: Any]]).first { $0["instrument"] as? String == "swemwbs" }!
        XCTAssertEqual(sw["change"] as? Double, 4.11)
        XCTAssertEqual(sw["meaningful"] as? Bool, true)
        XCTAssertEqual((sw["latest"] as! [String: Any])["metric"] as? Double, 21.54)
    }

    func testServicesAndConnections() {
        initialise()
        let id = addTadeusz()
        ok(["service", "add", "--name", "Thursday Walking Group", "--category", "physical activity", "--times", "Thursdays 10:00"])
        let c = jsonObject(["connect", id, "Thursday Walking Group", "--stage", "referred", "--accompanied"])
        XCTAssertEqual(c["service"] as? String, "Thursday Walking Group")
        XCTAssertEqual(c["accompanied"] as? Bool, true)
        ok(["connection", "stage", c["id"] as! String, "engaged"])
        XCTAssertEqual(((jsonObject(["patient", "show", id])["connections"] as! [[String: Any]])[0])["stage"] as? String, "engaged")
        XCTAssertEqual(jsonArray(["service", "list"]).count, 1)
    }

    func testFollowupsDoneRescheduleAndOverdue() {
        initialise()
        let t = addTadeusz()
        let b = jsonObject(["patient", "add", "--name", "Mrs Begum"])["id"] as! String
        let f1 = jsonObject(["followup", "add", b, "--due", "2026-11-13", "--reason", "Check in"])["id"] as! String
        let f2 = jsonObject(["followup", "add", t, "--due", "2026-11-20", "--reason", "After first walk"])["id"] as! String
        var overdue = jsonArray(["overdue", "--as-of", asOf])
        XCTAssertEqual(overdue.map { $0["followupId"] as? String }, [f1, f2], "most overdue first")
        XCTAssertEqual(overdue.map { $0["daysOverdue"] as? Int }, [10, 3])
        XCTAssertEqual(overdue[0]["patientName"] as? String, "Mrs Begum")
        XCTAssertEqual(overdue[0]["due"] as? String, "2026-11-13")
        XCTAssertEqual(overdue[0]["worker"] as? String, "amira-haddad")
        XCTAssertEqual(overdue[0]["reason"] as? String, "Check in")
        XCTAssertNotNil(overdue[0]["patientId"] as? String)
        // Mrs Begum doesn't answer: a week on, with a reason. Mr Wiśniewski's is done.
        let moved = jsonObject(["followup", "reschedule", f1, "--in-days", "7", "--reason", "No answer", "--as-of", asOf])
        XCTAssertEqual(moved["due"] as? String, "2026-11-30")
        XCTAssertEqual((moved["reschedules"] as! [[String: Any]]).count, 1)
        ok(["followup", "done", f2, "--as-of", asOf])
        overdue = jsonArray(["overdue", "--as-of", asOf])
        XCTAssertEqual(overdue.count, 0)
        XCTAssertEqual(jsonArray(["followup", "list", "--as-of", asOf]).count, 2, "Tadeusz's first call and Mrs Begum's moved one")
        XCTAssertEqual(jsonArray(["followup", "list", "--all"]).count, 3)
        XCTAssertTrue(ok(["overdue", "--as-of", asOf]).stdout.contains("Nothing overdue"))
    }

    func testUndoTheLastChange() {
        initialise()
        let t = addTadeusz()
        ok(["patient", "status", t, "declined", "--reason", "moved away", "--followups", "cancel"])
        ok(["undo"])
        XCTAssertEqual(jsonObject(["patient", "show", t])["status"] as? String, "referred")
    }

    func testExportJSONAndCSV() throws {
        initialise()
        let t = addTadeusz()
        ok(["session", "add", t, "--note", "Line one, with a comma\nand \"quotes\""])
        ok(["export", "--format", "json", "--out", root.appendingPathComponent("j").path])
        let bundle = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("j/caseload.json"))) as! [String: Any]
        XCTAssertEqual((bundle["patients"] as! [[String: Any]]).count, 1)
        ok(["export", "--format", "csv", "--out", root.appendingPathComponent("c").path, "--bom"])
        let csv = try Data(contentsOf: root.appendingPathComponent("c/sessions.csv"))
        XCTAssertEqual(Array(csv.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertTrue(String(decoding: csv, as: UTF8.self).contains("\"Line one, with a comma\nand \"\"quotes\"\"\""))
        let mode = try FileManager.default.attributesOfItem(atPath: root.appendingPathComponent("c/patients.csv").path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
    }

    func testDemoThenOverdue() {
        let r = ok(["demo", "--patients", "60", "--seed", "5", "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("60 people"))
        let overdue = jsonArray(["overdue", "--as-of", asOf])
        XCTAssertGreaterThan(overdue.count, 0)
        let days = overdue.map { $0["daysOverdue"] as! Int }
        XCTAssertEqual(days, days.sorted(by: >))
        XCTAssertTrue(ok(["verify"]).stdout.contains("OK"))
        XCTAssertEqual(jsonArray(["patient", "list"]).count, 60)
        // The same seed gives the same caseload in another folder.
        let other = CLI.run(["demo", "--patients", "60", "--seed", "5", "--as-of", asOf], dataDir: root.appendingPathComponent("other"))
        XCTAssertEqual(other.status, 0)
        let otherOverdue = CLI.run(["overdue", "--as-of", asOf, "--json"], dataDir: root.appendingPathComponent("other"))
        XCTAssertEqual(otherOverdue.stdout, ok(["overdue", "--as-of", asOf, "--json"]).stdout)
    }

    func testInitRefusesAnExistingCaseload() {
        initialise()
        refuses(["init", "--worker", "Someone Else"], mentioning: "already holds a caseload")
    }
}
