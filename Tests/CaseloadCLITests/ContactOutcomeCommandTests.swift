import Foundation
import XCTest

/// Contacts with outcomes on the command line: a missed contact never closes the case, three in
/// a row flag the person for review, an attended one closes the due follow-up, and a discharge
/// says what happens to open follow-ups.
final class ContactOutcomeCommandTests: CLITestCase {
    /// Mrs Begum, referred a fortnight ago, her first call overdue since 2026-11-20.
    func addBegum() -> String {
        let p = jsonObject(["patient", "add", "--name", "Rahima Begum", "--source", "gp", "--reason", "moneyDebt",
                            "--referral-date", "2026-11-09", "--followup", "2026-11-20", "--as-of", asOf])
        return p["id"] as! String
    }

    func overdueIds() -> [String] { jsonArray(["overdue", "--as-of", asOf]).compactMap { $0["patientId"] as? String } }

    func testADidNotAttendKeepsTheCaseAndItsFollowupOpenAndSuggestsTheNextTry() {
        initialise()
        let id = addBegum()
        let r = ok(["session", "add", id, "--outcome", "did-not-attend", "--method", "face to face", "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("Saved did not attend contact"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Next try: 2026-11-25 (book it with --next-in-days 2)"), r.stdout)
        let p = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(p["status"] as? String, "referred", "a missed contact is not a first contact")
        XCTAssertNil(p["lastContact"] as? String, "nobody was seen")
        XCTAssertEqual((p["sessions"] as! [[String: Any]]).first?["outcome"] as? String, "didNotAttend")
        XCTAssertEqual(overdueIds(), [id], "the follow-up is still overdue")
        XCTAssertFalse(ok(["overdue", "--as-of", asOf]).stdout.contains("Nothing overdue"))
    }

    /// One action, one change: `undo` takes back the contact, the follow-up it closed and the
    /// status it moved together, as the app's `u` does, and a second undo goes further back.
    func testUndoTakesBackTheWholeContactWithTheFollowupAndStatusItChanged() {
        initialise()
        let id = addBegum()
        ok(["session", "add", id, "--method", "phone", "--note", "Spoke at last", "--as-of", asOf])
        var p = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(p["status"] as? String, "contacted")
        XCTAssertEqual((p["followups"] as! [[String: Any]]).map { $0["status"] as? String }, ["done"])
        let undo = jsonObject(["undo"])
        XCTAssertEqual((undo["types"] as? [String])?.sorted(), ["followup.completed", "patient.statusChanged", "session.recorded"].sorted(), "\(undo)")
        p = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(p["status"] as? String, "referred")
        XCTAssertEqual((p["sessions"] as! [[String: Any]]).count, 0)
        XCTAssertEqual((p["followups"] as! [[String: Any]]).map { $0["status"] as? String }, ["open"])
        XCTAssertEqual(overdueIds(), [id], "back on the overdue list")
        // The next undo is the referral, with the follow-up it booked.
        let again = jsonObject(["undo"])
        XCTAssertTrue((again["types"] as? [String])?.contains("patient.referred") ?? false, "\(again)")
    }

    func testThreeMissedInARowFlagThePersonAndNextInDaysMovesTheFollowupOn() {
        initialise()
        let id = addBegum()
        ok(["session", "add", id, "--outcome", "no-answer", "--method", "phone", "--date", "2026-11-20", "--as-of", asOf])
        ok(["session", "add", id, "--outcome", "no answer", "--method", "phone", "--date", "2026-11-21", "--as-of", asOf])
        XCTAssertNil(jsonObject(["patient", "show", id, "--as-of", asOf])["review"] as? String, "two are not yet a run")
        let third = ok(["session", "add", id, "--outcome", "noAnswer", "--method", "phone", "--next-in-days", "2", "--as-of", asOf]).stdout
        XCTAssertTrue(third.contains("moved to 2026-11-25"), third)
        XCTAssertTrue(third.contains("Flagged for review: 3 missed contacts in a row"), third)
        let p = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(p["status"] as? String, "referred", "never closed silently")
        XCTAssertEqual(p["review"] as? String, "3 missed contacts in a row")
        XCTAssertEqual(p["missedInARow"] as? Int, 3)
        let followups = p["followups"] as! [[String: Any]]
        XCTAssertEqual(followups.map { $0["status"] as? String }, ["open"])
        XCTAssertEqual(followups.first?["due"] as? String, "2026-11-25")
        XCTAssertTrue(ok(["patient", "show", id, "--as-of", asOf]).stdout.contains("! Flagged for review: 3 missed contacts in a row"))
        XCTAssertTrue(ok(["patient", "list"]).stdout.contains("referred (review)"))
        // An attended contact ends the run.
        ok(["session", "add", id, "--method", "phone", "--note", "Answered at last", "--as-of", asOf])
        XCTAssertNil(jsonObject(["patient", "show", id, "--as-of", asOf])["review"] as? String)
    }

    func testTheReviewThresholdIsAConfigKey() throws {
        initialise()
        let id = addBegum()
        let config = root.appendingPathComponent("config/caseload")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "missed_contacts_for_review = 1\n".write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": root.appendingPathComponent("config").path]
        let r = CLI.run(["session", "add", id, "--outcome", "dna", "--as-of", asOf], dataDir: data, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Flagged for review: 1 missed contacts in a row"), r.stdout)
    }

    func testAnAttendedContactClosesTheDueFollowupAndMovesReferredToContacted() {
        initialise()
        let id = addBegum()
        let r = ok(["session", "add", id, "--method", "phone", "--minutes", "20", "--note", "Talked through the bills", "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("done"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Status: contacted"), r.stdout)
        let p = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(p["status"] as? String, "contacted")
        XCTAssertEqual(p["lastContact"] as? String, asOf)
        XCTAssertEqual((p["followups"] as! [[String: Any]]).map { $0["status"] as? String }, ["done"])
        XCTAssertEqual((p["sessions"] as! [[String: Any]]).first?["outcome"] as? String, "attended")
        XCTAssertEqual(overdueIds(), [])
    }

    func testKeepFollowupLeavesItOpenAndNextInDaysBooksOneForThePersonsWorker() {
        initialise()
        let id = addBegum()
        ok(["session", "add", id, "--method", "phone", "--note", "Quick call", "--keep-followup", "--next-in-days", "7", "--as-of", asOf])
        let f = jsonObject(["patient", "show", id, "--as-of", asOf])["followups"] as! [[String: Any]]
        XCTAssertEqual(f.map { $0["status"] as? String }, ["open", "open"])
        XCTAssertEqual(f.map { $0["due"] as? String }, ["2026-11-20", "2026-11-30"])
        XCTAssertEqual(Set(f.compactMap { $0["worker"] as? String }).count, 1, "the booked one goes to the person's worker")
    }

    func testAFutureContactAndABadOutcomeAreRefused() {
        initialise()
        let id = addBegum()
        refuses(["session", "add", id, "--date", "2026-11-24", "--note", "not yet", "--as-of", asOf], mentioning: "after today")
        refuses(["session", "add", id, "--outcome", "maybe", "--as-of", asOf], mentioning: "outcome")
        refuses(["session", "add", id, "--outcome", "dna", "--next-in-days", "99999", "--as-of", asOf], mentioning: "0 to 3650 days")
        refuses(["patient", "status", id, "dna", "--as-of", asOf], mentioning: "outcome of a contact")
    }

    func testDischargeWithOpenFollowupsAsksWhatToDoWithThem() {
        initialise()
        let id = addBegum()
        let open = jsonObject(["patient", "show", id, "--as-of", asOf])["followups"] as! [[String: Any]]
        let short = String((open.first?["id"] as! String).prefix(8))
        refuses(["patient", "discharge", id, "--reason", "moved away", "--as-of", asOf], mentioning: short)
        refuses(["patient", "discharge", id, "--as-of", asOf], mentioning: "--followups complete or --followups cancel")
        let r = ok(["patient", "discharge", id, "--reason", "moved away", "--followups", "cancel", "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("1 open follow-up cancelled"), r.stdout)
        let p = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(p["status"] as? String, "discharged")
        XCTAssertEqual((p["followups"] as! [[String: Any]]).map { $0["status"] as? String }, ["cancelled"])
        XCTAssertEqual(jsonArray(["followup", "list", "--all"]).filter { $0["status"] as? String == "open" }.count, 0, "nothing left dangling")
    }

    func testDischargeWithNothingOpenNeedsNoChoice() {
        initialise()
        let id = addBegum()
        ok(["session", "add", id, "--method", "phone", "--note", "All sorted", "--as-of", asOf])
        ok(["patient", "discharge", id, "--reason", "goals met", "--as-of", asOf])
        XCTAssertEqual(jsonObject(["patient", "show", id, "--as-of", asOf])["status"] as? String, "discharged")
    }

    func testTheReportAndTheGPMessageCountOutcomes() throws {
        initialise()
        let id = addBegum()
        ok(["session", "add", id, "--outcome", "no-answer", "--method", "phone", "--date", "2026-11-20", "--as-of", asOf])
        ok(["session", "add", id, "--outcome", "dna", "--method", "home visit", "--date", "2026-11-21", "--as-of", asOf])
        ok(["session", "add", id, "--method", "text", "--note", "Replied by text", "--as-of", asOf])
        let report = jsonObject(["report", "--as-of", asOf])
        let contacts = try XCTUnwrap(report["contacts"] as? [String: Any])
        let all = try XCTUnwrap(contacts["all"] as? [String: Any])
        XCTAssertEqual([all["contacts"], all["didNotAttend"], all["noAnswer"], all["attended"]].map { $0 as? Int }, [3, 1, 1, 1])
        let gp = (contacts["bySource"] as? [[String: Any]])?.first { $0["key"] as? String == "gp" }
        XCTAssertEqual(gp?["didNotAttend"] as? Int, 1)
        let text = ok(["report", "--as-of", asOf]).stdout
        XCTAssertTrue(text.contains("Contact outcomes by worker"), text)
        XCTAssertTrue(text.contains("Contact outcomes by referral source"), text)
        ok(["patient", "consent", id, "socialPrescribing", "--as-of", asOf])
        ok(["patient", "consent", id, "shareWithGP", "--as-of", asOf])
        let letter = ok(["gp-summary", id, "--as-of", asOf]).stdout
        XCTAssertTrue(letter.contains("By method: phone 1, home visit 1, text or email 1."), letter)
        XCTAssertTrue(letter.contains("Outcome: 1 attended, 1 did not attend, 1 no answer."), letter)
    }
}

/// The risk register on the command line.
final class RiskCommandTests: CLITestCase {
    func testRiskAddNoneAndResolve() throws {
        initialise()
        let p = jsonObject(["patient", "add", "--name", "Siobhán Ní Bhriain", "--source", "gp", "--share-with-gp", "--consent", "--as-of", asOf])
        let id = p["id"] as! String
        XCTAssertTrue(ok(["patient", "show", id, "--as-of", asOf]).stdout.contains("Risks: not recorded"))
        let risk = jsonObject(["risk", "add", id, "--kind", "lone-working", "--note", "landlord's dog", "--as-of", asOf])
        let rid = try XCTUnwrap(risk["id"] as? String)
        XCTAssertEqual(risk["kind"] as? String, "loneWorking")
        let shown = ok(["patient", "show", id, "--as-of", asOf]).stdout
        XCTAssertTrue(shown.contains("! Risk [\(rid.prefix(8))]: lone working since \(asOf): landlord's dog"), shown)
        XCTAssertTrue(ok(["gp-summary", id, "--as-of", asOf]).stdout.contains("Lone working since \(asOf): landlord's dog."))
        refuses(["risk", "none", id, "--as-of", asOf], mentioning: "resolve it first")
        refuses(["risk", "add", id, "--kind", "other", "--as-of", asOf], mentioning: "say what the risk is")
        refuses(["risk", "add", id, "--kind", "fire", "--as-of", asOf], mentioning: "kind")
        ok(["risk", "resolve", String(rid.prefix(8)), "--reason", "moved flat", "--as-of", asOf])
        refuses(["risk", "resolve", rid, "--as-of", asOf], mentioning: "already resolved")
        ok(["risk", "none", id, "--as-of", asOf])
        let detail = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(detail["noKnownRisks"] as? String, asOf)
        XCTAssertEqual((detail["risks"] as? [[String: Any]])?.first?["open"] as? Bool, false)
        XCTAssertTrue(ok(["gp-summary", id, "--as-of", asOf]).stdout.contains("No known risks (recorded \(asOf))."))
    }

    func testRisksAndOutcomesSurviveAnExportAndImport() throws {
        initialise()
        let a = jsonObject(["patient", "add", "--name", "Siobhán Ní Bhriain", "--source", "gp", "--as-of", asOf])["id"] as! String
        let b = jsonObject(["patient", "add", "--name", "Wei Chen", "--source", "gp", "--as-of", asOf])["id"] as! String
        ok(["risk", "add", a, "--kind", "safeguarding", "--raised-with", "MASH", "--note", "neighbour's concern", "--as-of", asOf])
        ok(["risk", "none", b, "--as-of", asOf])
        ok(["session", "add", b, "--outcome", "no-answer", "--method", "phone", "--as-of", asOf])
        let out = root.appendingPathComponent("export")
        ok(["export", "--format", "csv", "--out", out.path, "--as-of", asOf])
        let target = root.appendingPathComponent("target")
        XCTAssertEqual(CLI.run(["init", "--worker", "Amira Haddad", "--team", "North"], dataDir: target).status, 0)
        let r = CLI.run(["import", "caseload", out.path, "--as-of", asOf], dataDir: target)
        XCTAssertEqual(r.status, 0, r.stderr + r.stdout)
        let shownA = CLI.run(["patient", "show", a, "--json", "--as-of", asOf], dataDir: target).json as? [String: Any]
        let risk = (shownA?["risks"] as? [[String: Any]])?.first
        XCTAssertEqual(risk?["kind"] as? String, "safeguarding")
        XCTAssertEqual(risk?["raisedWith"] as? String, "MASH")
        let shownB = CLI.run(["patient", "show", b, "--json", "--as-of", asOf], dataDir: target).json as? [String: Any]
        XCTAssertEqual(shownB?["noKnownRisks"] as? String, asOf)
        XCTAssertEqual((shownB?["sessions"] as? [[String: Any]])?.first?["outcome"] as? String, "noAnswer")
    }
}
