import CaseloadCore
import CaseloadJournal
import Foundation
import XCTest

/// `caseload gp-summary` (only with consent to share with the GP) and `caseload export
/// --patient` (a subject access request: everything about one person).
final class GPSummaryAndRecordTests: CLITestCase {
    var tadeusz = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        initialise()
        tadeusz = jsonObject(["patient", "add", "--name", "Tadeusz Wiśniewski", "--nhs-number", "943 476 5919", "--dob", "1948-03-02",
                              "--gp-practice", "Riverside Surgery", "--source", "gp", "--referrer", "Dr Patel", "--reason", "loneliness",
                              "--reason", "bereavement", "--referral-date", "2026-10-01", "--consent", "--share-with-gp"])["id"] as! String
        ok(["session", "add", tadeusz, "--date", "2026-10-05", "--kind", "phone", "--minutes", "20", "--note", "First call"])
        ok(["session", "add", tadeusz, "--date", "2026-11-02", "--minutes", "45", "--note", "Met at the café"])
        let goal = jsonObject(["goal", "add", tadeusz, "--text", "Get out of the house twice a week", "--progress", "2", "--date", "2026-10-05"])["id"] as! String
        ok(["goal", "progress", goal, "6", "--date", "2026-11-02"])
        ok(["measure", "add", tadeusz, "--instrument", "swemwbs", "--answers", "2,2,3,2,3,2,3", "--date", "2026-10-05"])
        ok(["measure", "add", tadeusz, "--instrument", "swemwbs", "--answers", "4,3,4,3,4,3,4", "--date", "2026-11-02"])
        ok(["service", "add", "--name", "Thursday walking group", "--organisation", "Riverside Ramblers"])
        ok(["connect", tadeusz, "Thursday walking group", "--stage", "referred", "--accompanied", "--as-of", "2026-10-20"])
        ok(["patient", "status", tadeusz, "active", "--as-of", "2026-10-05"])
    }

    func testTheSummaryCarriesWhoWhenWhatMattersSupportOutcomesAndCodes() {
        let r = ok(["gp-summary", "9434765919", "--as-of", asOf])
        let expected = """
            To: Dr Patel, Riverside Surgery
            Re: Tadeusz Wiśniewski, NHS 943 476 5919, born 1948-03-02
            Social prescribing summary, 2026-11-23

            Referred on 2026-10-01 by GP (Dr Patel) for loneliness, bereavement.
            Seen 2 times between 2026-10-05 and 2026-11-02 (65 minutes in all).

            What matters to them:
            - Get out of the house twice a week: progress 2 → 6 of 10

            Support offered and taken up:
            - Thursday walking group (referred) since 2026-10-20, run by Riverside Ramblers, accompanied to the first visit

            Outcome measures (start → latest):
            - SWEMWBS metric score 16.88 → 22.35 (+5.47, a meaningful change), 2026-10-05 → 2026-11-02

            Still open (active) since 2026-10-05.

            SNOMED CT:
            - 871731000000106 Referral to social prescribing service (procedure), 2026-10-05

            Amira Haddad, social prescribing link worker, North

            """
        XCTAssertEqual(r.stdout, expected)

        let j = ok(["gp-summary", tadeusz, "--format", "json", "--as-of", asOf]).json as! [String: Any]
        XCTAssertEqual((j["person"] as! [String: Any])["nhsNumber"] as? String, "943 476 5919")
        XCTAssertEqual((j["codes"] as! [[String: Any]]).map { $0["code"] as! String }, ["871731000000106"])
        let outcome = (j["outcomes"] as! [[String: Any]])[0]
        XCTAssertEqual(outcome["start"] as? String, "metric 16.88 (raw 17)")
        XCTAssertEqual(outcome["latest"] as? String, "metric 22.35 (raw 25)")
        XCTAssertEqual(outcome["meaningful"] as? Bool, true)
        XCTAssertEqual((j["connections"] as! [[String: Any]])[0]["takenUp"] as? Bool, true)
        XCTAssertEqual((j["status"] as! [String: Any])["status"] as? String, "active")
    }

    func testADeclinedReferralCarriesTheDeclinedCode() {
        let p = jsonObject(["patient", "add", "--name", "Ann", "--referral-date", "2026-11-01", "--share-with-gp"])["id"] as! String
        ok(["patient", "status", p, "declined", "--reason", "Did not want support now", "--as-of", "2026-11-03"])
        let r = ok(["gp-summary", p, "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("Declined on 2026-11-03: Did not want support now."), r.stdout)
        XCTAssertTrue(r.stdout.contains("- 871711000000103 Social prescribing declined (situation), 2026-11-03"), r.stdout)
        XCTAssertFalse(r.stdout.contains("871731000000106"))
    }

    func testNoSummaryWithoutConsentToShareWithTheGP() {
        let p = jsonObject(["patient", "add", "--name", "Bob", "--referral-date", "2026-11-01"])["id"] as! String
        refuses(["gp-summary", p], mentioning: "consent to share with their GP is not recorded")
        ok(["patient", "consent", tadeusz, "shareWithGP", "--withdrawn"])
        refuses(["gp-summary", tadeusz], mentioning: "did not consent to sharing with their GP")
        refuses(["gp-summary", tadeusz, "--format", "json"], mentioning: "did not consent")
        refuses(["gp-summary", tadeusz, "--format", "pdf"], mentioning: "--format is text or json")
        let r = CLI.run(["gp-summary", tadeusz], dataDir: data)
        XCTAssertEqual(r.stdout, "", "nothing of the letter is printed")
        XCTAssertFalse(r.stderr.contains("Tadeusz"), "names stay off stderr")
    }

    // MARK: - Subject access request

    func testExportPatientHasEveryEventIncludingNoteHistoryDraftsAndUndos() throws {
        let other = jsonObject(["patient", "add", "--name", "Someone Else"])["id"] as! String
        ok(["session", "add", other, "--note", "not about Tadeusz"])
        let session = (jsonObject(["patient", "show", tadeusz])["sessions"] as! [[String: Any]])[0]["id"] as! String
        ok(["session", "amend", session, "--note", "First call (corrected)"])
        ok(["followup", "add", tadeusz, "--due", "2026-12-01"])
        ok(["undo"])
        // A draft the terminal app autosaved and nobody finished.
        let store = try CaseloadStore.open(dataDirectory: data)
        try store.append([.draftSaved(DraftSaved(draftId: UUID(), patientId: UUID(uuidString: tadeusz)!, date: Day("2026-11-20")!,
                                                 kind: .homeVisit, minutes: nil, text: "Half-written note about the garden"))])
        store.close()

        let out = root.appendingPathComponent("sar")
        let before = journalBytes
        ok(["export", "--patient", "943 476 5919", "--out", out.path, "--as-of", asOf])
        XCTAssertEqual(journalBytes, before)
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("record.json"))) as! [String: Any]
        let events = record["events"] as! [[String: Any]]
        let types = events.map { $0["type"] as! String }
        XCTAssertEqual(types.filter { $0 == "session.recorded" }.count, 2)
        XCTAssertTrue(types.contains("session.amended"))
        XCTAssertTrue(types.contains("draft.saved"))
        XCTAssertTrue(types.contains("followup.scheduled"))
        XCTAssertTrue(types.contains("change.undone"), "the undo of their follow-up is part of their record")
        XCTAssertTrue(types.contains("patient.consentRecorded"))
        XCTAssertFalse(String(decoding: try Data(contentsOf: out.appendingPathComponent("record.json")), as: UTF8.self).contains("not about Tadeusz"))
        XCTAssertEqual((record["drafts"] as! [[String: Any]]).count, 1)
        XCTAssertEqual((record["patient"] as! [String: Any])["name"] as? String, "Tadeusz Wiśniewski")

        let text = try String(contentsOf: out.appendingPathComponent("record.txt"), encoding: .utf8)
        XCTAssertTrue(text.hasPrefix("Everything Caseload holds about Tadeusz Wiśniewski\n"), text)
        XCTAssertTrue(text.contains("    First call\n"), "the first version of the note")
        XCTAssertTrue(text.contains("    First call (corrected)\n"), "the amended version")
        XCTAssertTrue(text.contains("    Half-written note about the garden\n"))
        XCTAssertTrue(text.contains("follow-up due 2026-12-01: First call [later undone]") || text.contains("follow-up due 2026-12-01 [later undone]"), text)
        XCTAssertFalse(text.contains("Someone Else"))
        for name in ["record.json", "record.txt"] {
            let mode = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(name).path)[.posixPermissions] as! Int
            XCTAssertEqual(mode & 0o777, 0o600)
        }
        refuses(["export", "--patient", "ffffffff", "--out", out.path], mentioning: "no patient matches")
        refuses(["export", "--patient", tadeusz, "--format", "csv", "--out", out.path], mentioning: "leave out --format")
    }
}
