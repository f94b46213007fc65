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
        refuses(["patient", "refer", id, "--reason", "moneyDebt", "--followup", "2099-01-01", "--as-of", asOf], mentioning: "(--followup)")
        let text = ok(["patient", "refer", "Ann Example", "--source", "selfReferral", "--reason", "moneyDebt", "--referral-date", "2026-11-02",
                       "--followup", "2026-11-04", "--as-of", asOf]).stdout
        XCTAssertTrue(text.contains("episode 2, referred 2026-11-02"), text)
        // Waiting for a first contact in this episode, with its first call booked, as a first referral would.
        let waiting = jsonArray(["inbox", "--as-of", "2026-11-03"])
        XCTAssertEqual(waiting.map { $0["patientId"] as? String }, [id])
        let due = jsonArray(["followup", "list", "--as-of", "2026-11-03"])
        XCTAssertEqual(due.map { $0["due"] as? String }, ["2026-11-04"])
        XCTAssertEqual(due.first?["reason"] as? String, "First call")
        ok(["session", "add", id, "--method", "faceToFace", "--note", "debt advice", "--as-of", "2026-11-05"])

        let person = jsonObject(["patient", "show", id, "--as-of", asOf])
        XCTAssertEqual(person["status"] as? String, "contacted", "the new episode's status")
        XCTAssertEqual(jsonArray(["inbox", "--as-of", asOf]).count, 0, "seen in the new episode: out of the inbox")
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

/// Two devices add the same person offline; after a folder sync she is a likely duplicate on
/// both, and a merge on one device reaches the other with everything of both kept.
final class DuplicateCommandTests: CLITestCase {
    var stick: URL { root.appendingPathComponent("stick") }
    var amira: URL { root.appendingPathComponent("amira") }
    var ben: URL { root.appendingPathComponent("ben") }

    @discardableResult
    func run(_ args: [String], _ dir: URL, file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        let r = CLI.run(args, dataDir: dir)
        XCTAssertEqual(r.status, 0, "caseload \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    func testTheSamePersonAddedOnTwoDevicesIsShownAfterSyncAndMergedKeepingEverything() throws {
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        run(["init", "--worker", "Amira Haddad", "--team", "North"], amira)
        run(["init", "--worker", "Ben Okafor", "--team", "North"], ben)
        let a = (run(["patient", "add", "--name", "Rahima Begum", "--dob", "1961-04-02", "--phone", "07700 900123",
                      "--referral-date", "2026-11-20", "--json", "--as-of", asOf], amira).json as! [String: Any])["id"] as! String
        let b = (run(["patient", "add", "--name", "Rahima  begum", "--dob", "1961-04-02", "--nhs-number", "943 476 5919",
                      "--referral-date", "2026-11-21", "--json", "--as-of", asOf], ben).json as! [String: Any])["id"] as! String
        run(["session", "add", b, "--method", "phone", "--note", "called her", "--as-of", asOf], ben)

        run(["sync", "folder", stick.path], amira)
        XCTAssertTrue(run(["sync", "folder", stick.path], ben).stdout.contains("1 likely duplicate"))
        XCTAssertTrue(run(["sync", "folder", stick.path], amira).stdout.contains("1 likely duplicate"))
        let pairs = try XCTUnwrap(run(["patient", "duplicates", "--json"], amira).json as? [[String: Any]])
        XCTAssertEqual(pairs.map { [$0["keep"] as? String, $0["other"] as? String] }, [[a, b]], "the earlier referral is kept")
        XCTAssertEqual(pairs.first?["reason"] as? String, "the same name and date of birth")
        XCTAssertTrue(run(["patient", "show", a, "--as-of", asOf], amira).stdout.contains("! May be the same person as \(b.prefix(8))"))

        run(["patient", "merge", a, b, "--as-of", asOf], amira)
        run(["sync", "folder", stick.path], amira)
        run(["sync", "folder", stick.path], ben)
        for device in [amira, ben] {
            let list = try XCTUnwrap(run(["patient", "list", "--json"], device).json as? [[String: Any]])
            XCTAssertEqual(list.map { $0["id"] as? String }, [a], "one record on each device")
            let person = try XCTUnwrap(run(["patient", "show", b, "--as-of", asOf, "--json"], device).json as? [String: Any],
                                       "the merged record's id still finds her")
            XCTAssertEqual(person["id"] as? String, a)
            XCTAssertEqual(person["phone"] as? String, "07700 900123")
            XCTAssertEqual(person["nhsNumber"] as? String, "9434765919")
            XCTAssertEqual((person["sessions"] as? [[String: Any]])?.map { $0["note"] as? String }, ["called her"])
            XCTAssertEqual((person["mergedRecords"] as? [[String: Any]])?.map { $0["id"] as? String }, [b])
            XCTAssertEqual(run(["patient", "duplicates"], device).stdout, "No likely duplicates.\n")
        }
        // Two NHS numbers are two people.
        let c = (run(["patient", "add", "--name", "Rahima Begum", "--nhs-number", "401 023 2137", "--json", "--as-of", asOf], amira).json as! [String: Any])["id"] as! String
        let refused = CLI.run(["patient", "merge", a, c], dataDir: amira)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("different NHS numbers"), refused.stderr)
    }
}
