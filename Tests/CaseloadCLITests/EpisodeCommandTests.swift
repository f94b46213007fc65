import Foundation
import XCTest

/// `caseload patient refer`: a known person referred again once their case has ended opens a
/// second episode on the same record, with its own contacts and GP code; the report counts
/// referrals and people.
final class EpisodeCommandTests: CLITestCase {
    func testAPersonDischargedAndReferredAgainHasTwoEpisodes() throws {
        initialise()
        let id = jsonObject(["patient", "add", "--name", "Ann Example", "--nhs-number", "943 476 5919", "--source", "gp", "--reason", "loneliness",
                             "--referral-date", "2026-06-01", "--consent", "--share-with-gp", "--as-of", "2026-06-01"])["id"] as! String
        ok(["session", "add", id, "--method", "phone", "--note", "first call", "--as-of", "2026-06-03"])
        refuses(["patient", "refer", id, "--reason", "moneyDebt", "--as-of", "2026-07-01"], mentioning: "current episode is still open")
        ok(["patient", "discharge", id, "--reason", "goals met", "--followups", "cancel", "--as-of", "2026-08-01"])

        // The same NHS number again is not a second person: the refusal says how to refer again.
        let again = CLI.run(["patient", "add", "--name", "Ann Example", "--nhs-number", "9434765919", "--as-of", asOf], dataDir: data)
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("caseload patient refer \(id.prefix(8))"), again.stderr)

        refuses(["patient", "refer", id, "--reason", "moneyDebt", "--referral-date", "2099-01-01", "--as-of", asOf], mentioning: "after today")
        let text = ok(["patient", "refer", "Ann Example", "--source", "selfReferral", "--reason", "moneyDebt", "--referral-date", "2026-11-02", "--as-of", asOf]).stdout
        XCTAssertTrue(text.contains("episode 2, referred 2026-11-02"), text)
        ok(["session", "add", id, "--method", "faceToFace", "--note", "debt advice", "--as-of", "2026-11-05"])

        let person = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(person["status"] as? String, "contacted", "the new episode's status")
        let episodes = try XCTUnwrap(person["episodes"] as? [[String: Any]])
        XCTAssertEqual(episodes.map { $0["status"] as? String }, ["discharged", "contacted"])
        XCTAssertEqual(episodes.map { $0["until"] as? String }, ["2026-11-02", nil])
        XCTAssertEqual((person["sessions"] as? [Any])?.count, 2, "the record keeps every contact")
        XCTAssertTrue(ok(["patient", "show", id, "--as-of", asOf]).stdout.contains("Episode 2 of 2 (earlier — 1: referred 2026-06-01 by GP, discharged)"))

        let letter = ok(["gp-summary", id, "--as-of", asOf]).stdout
        XCTAssertTrue(letter.contains("871731000000106 Referral to social prescribing service, 2026-11-05"), letter)
        XCTAssertFalse(letter.contains("2026-06-03"), "the first episode's contact is not in this message: \(letter)")
        XCTAssertTrue(letter.contains("earlier referral 2026-06-01"), letter)

        let report = jsonObject(["report", "--as-of", asOf])
        let people = try XCTUnwrap(report["people"] as? [String: Any])
        XCTAssertEqual(people["referred"] as? Int, 2)
        XCTAssertEqual(people["people"] as? Int, 1)
    }
}
