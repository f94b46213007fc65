import Foundation
import XCTest

/// The referral inbox on the command line: people referred and not yet seen, however long ago,
/// each with its age against the response deadline; accept or decline (with a reason, coded
/// for the GP).
final class InboxCommandTests: CLITestCase {
    func refer(_ name: String, on date: String, worker: String? = nil) -> String {
        var args = ["patient", "add", "--name", name, "--source", "gp", "--reason", "loneliness", "--referral-date", date, "--consent", "--share-with-gp", "--as-of", asOf]
        if let worker { args += ["--worker", worker] }
        return jsonObject(args)["id"] as! String
    }

    func testTheInboxListsReferralsNotYetSeenOldestFirstWithTheirDeadline() throws {
        initialise()
        let old = refer("Rahima Begum", on: "2026-11-07")
        let fresh = refer("Zoë Ó Súilleabháin", on: "2026-11-20")
        let seen = refer("Mr Chen", on: "2026-11-10")
        ok(["session", "add", seen, "--method", "phone", "--note", "Spoke", "--as-of", asOf])
        let entries = jsonArray(["inbox", "--as-of", asOf])
        XCTAssertEqual(entries.map { $0["patientId"] as? String }, [old, fresh], "oldest first; someone already seen is out")
        XCTAssertEqual(entries.map { $0["ageDays"] as? Int }, [16, 3])
        XCTAssertEqual(entries.map { $0["late"] as? Bool }, [true, false])
        let text = ok(["inbox", "--as-of", asOf]).stdout
        XCTAssertTrue(text.contains("16 days old · 2 days late"), text)
        XCTAssertTrue(text.contains("2 waiting, 1 past the 14-day deadline"), text)

        // The deadline is the config's response_deadline_days, or --deadline-days.
        let config = root.appendingPathComponent("config/caseload")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "response_deadline_days = 21\n".write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": root.appendingPathComponent("config").path]
        let relaxed = CLI.run(["inbox", "--json", "--as-of", asOf], dataDir: data, environment: env).json as? [[String: Any]]
        XCTAssertEqual(relaxed?.map { $0["late"] as? Bool }, [false, false])
        XCTAssertNotEqual(CLI.run(["inbox", "--deadline-days", "0"], dataDir: data).status, 0)
    }

    func testAcceptAndDeclineWithAReasonCodedForTheGP() {
        initialise()
        let accepted = refer("Rahima Begum", on: "2026-11-07")
        let declined = refer("Mr Chen", on: "2026-11-10")
        ok(["inbox", "accept", accepted, "--as-of", asOf])
        XCTAssertEqual(jsonObject(["patient", "show", accepted, "--as-of", asOf])["status"] as? String, "contacted")
        let refused = CLI.run(["inbox", "decline", declined, "--reason", " ", "--as-of", asOf], dataDir: data)
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("say why the person declined"), refused.stderr)
        ok(["inbox", "decline", declined, "--reason", "Managing with family for now", "--as-of", asOf])
        XCTAssertEqual(jsonArray(["inbox", "--as-of", asOf]).count, 0, "both have left the inbox")
        let letter = ok(["gp-summary", declined, "--as-of", asOf]).stdout
        XCTAssertTrue(letter.contains("871711000000103"), letter)
    }
}
