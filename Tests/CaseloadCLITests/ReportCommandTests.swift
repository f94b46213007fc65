import CaseloadCore
import CaseloadJournal
import Foundation
import XCTest

/// `caseload report` on a caseload made with the command line, figures worked out by hand.
final class ReportCommandTests: CLITestCase {
    let period = ["--from", "2026-01-01", "--to", "2026-03-31", "--as-of", "2026-04-01"]

    /// A: GP, Riverside, referred 01-05, first session 01-09 (4 days), SWEMWBS raw 14 → 20
    /// (15.32 → 18.59, +3.27), an accompanied connection, a follow-up due 03-20.
    /// B: self-referral 02-10, declined 02-20. C: referred after the period.
    func makeCaseload() {
        initialise()
        ok(["service", "add", "--name", "Walking group", "--category", "physical activity"])
        let a = jsonObject(["patient", "add", "--name", "Zoë A", "--source", "gp", "--gp-practice", "Riverside", "--reason", "loneliness",
                            "--referral-date", "2026-01-05", "--as-of", "2026-01-05"])["id"] as! String
        ok(["session", "add", a, "--date", "2026-01-09", "--note", "first call"])
        ok(["measure", "add", a, "--instrument", "swemwbs", "--answers", "2,2,2,2,2,2,2", "--date", "2026-01-09"])
        ok(["measure", "add", a, "--instrument", "swemwbs", "--answers", "3,3,3,3,3,3,2", "--date", "2026-03-01"])
        ok(["connect", a, "Walking group", "--stage", "referred", "--accompanied", "--as-of", "2026-01-09"])
        ok(["followup", "add", a, "--due", "2026-03-20", "--as-of", "2026-03-01"])
        let b = jsonObject(["patient", "add", "--name", "B", "--source", "self", "--reason", "housing", "--reason", "debt",
                            "--referral-date", "2026-02-10", "--as-of", "2026-02-10"])["id"] as! String
        ok(["patient", "status", b, "declined", "--as-of", "2026-02-20"])
        ok(["patient", "add", "--name", "C", "--source", "gp", "--referral-date", "2026-05-01", "--as-of", "2026-05-01"])
    }

    func testJSONFiguresByHand() throws {
        makeCaseload()
        let r = jsonObject(["report"] + period)
        XCTAssertEqual(r["from"] as? String, "2026-01-01")
        XCTAssertEqual(r["to"] as? String, "2026-03-31")
        let people = try XCTUnwrap(r["people"] as? [String: Any])
        XCTAssertEqual(people["referred"] as? Int, 2)
        let sources = (people["bySource"] as! [[String: Any]]).filter { ($0["count"] as! Int) > 0 }.map { "\($0["key"]!)=\($0["count"]!)" }
        XCTAssertEqual(sources, ["gp=1", "selfReferral=1"])
        let contact = people["firstContact"] as! [String: Any]
        XCTAssertEqual(contact["contacted"] as? Int, 1)
        XCTAssertEqual(contact["notYetContacted"] as? Int, 1)
        XCTAssertEqual(contact["medianDays"] as? Double, 4)
        let status = (people["statusAtEnd"] as! [[String: Any]]).filter { ($0["count"] as! Int) > 0 }.map { "\($0["key"]!)=\($0["count"]!)" }
        XCTAssertEqual(status, ["contacted=1", "declined=1"])
        let swemwbs = (people["measures"] as! [[String: Any]]).first { $0["measure"] as? String == "swemwbs" }!
        XCTAssertEqual(swemwbs["withBaselineAndFollowUp"] as? Int, 1)
        XCTAssertEqual(swemwbs["meanChange"] as? Double, 3.27)
        XCTAssertEqual(swemwbs["improved"] as? Int, 1)
        let community = r["community"] as! [String: Any]
        XCTAssertEqual(community["connections"] as? Int, 1)
        XCTAssertEqual(community["accompanied"] as? Int, 1)
        let system = r["system"] as! [String: Any]
        XCTAssertEqual(system["fromGPPractices"] as? Int, 1)
        XCTAssertEqual(system["overdue"] as? Int, 1)
        XCTAssertEqual((system["overdueByWorker"] as! [[String: Any]]).first?["mostDaysOverdue"] as? Int, 12)

        // A higher threshold: +3.27 is no longer a meaningful improvement.
        let strict = jsonObject(["report", "--swemwbs-threshold", "4"] + period)
        let strictSw = ((strict["people"] as! [String: Any])["measures"] as! [[String: Any]]).first { $0["measure"] as? String == "swemwbs" }!
        XCTAssertEqual(strictSw["improved"] as? Int, 0)
        XCTAssertEqual(strictSw["noMeaningfulChange"] as? Int, 1)
    }

    func testTextSaysWhatEachFigureCounts() {
        makeCaseload()
        let out = ok(["report"] + period).stdout
        XCTAssertTrue(out.contains("Referrals by source (of 2 people referred 2026-01-01 to 2026-03-31)"), out)
        XCTAssertTrue(out.contains("SWEMWBS (metric)"), out)
        XCTAssertTrue(out.contains("1 of 2"), "a figure with its denominator: \(out)")
        XCTAssertTrue(out.contains("Accompanied first visits"), out)
        XCTAssertTrue(out.contains("== Health and care system =="), out)
    }

    func testCSVIsOneFilePerTablePrivateAndISODated() throws {
        makeCaseload()
        let dir = root.appendingPathComponent("report")
        ok(["report", "--csv", dir.path] + period)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        XCTAssertTrue(names.contains("referrals-by-source.csv"), "\(names)")
        XCTAssertTrue(names.contains("demand-by-month.csv"), "\(names)")
        XCTAssertTrue(names.contains("report.csv"), "\(names)")
        for n in names {
            let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(n).path)[.posixPermissions] as! Int
            XCTAssertEqual(mode, 0o600, n)
        }
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: dir.path)[.posixPermissions] as? Int, 0o700)
        let source = try String(contentsOf: dir.appendingPathComponent("referrals-by-source.csv"), encoding: .utf8)
        XCTAssertTrue(source.hasPrefix("source,people,of,%\r\nGP,1,2,50%\r\n"), source)
        let demand = try String(contentsOf: dir.appendingPathComponent("demand-by-month.csv"), encoding: .utf8)
        XCTAssertTrue(demand.hasPrefix("service,2026-01,2026-02,2026-03,people\r\nWalking group,1,0,0,1\r\n"), demand)
    }

    func testAPeriodEndingAfterTodaySaysItsFiguresAreSoFar() {
        makeCaseload()
        let quarter = ok(["report", "--from", "2026-01-01", "--to", "2026-03-31", "--as-of", "2026-02-15"]).stdout
        XCTAssertTrue(quarter.contains("The period ends after 2026-02-15 (today): figures at its end are as recorded up to today."), quarter)
        let past = ok(["report"] + period).stdout
        XCTAssertFalse(past.contains("The period ends after"), past)
    }

    func testBadInputIsRefusedWithOneLine() throws {
        makeCaseload()
        refuses(["report", "--from", "2026-04-01", "--to", "2026-03-01"], mentioning: "after")
        refuses(["report", "--team", "North", "--worker", "amira-haddad"], mentioning: "not both")
        refuses(["report", "--worker", "nobody"], mentioning: "no worker 'nobody'")
        refuses(["report", "--team", "West"], mentioning: "no team 'West'")
        refuses(["report", "--from", "01/02/2026"], mentioning: "--from")
        refuses(["report", "--ons4-threshold", "0"], mentioning: "above 0")
        refuses(["report", "--json", "--csv", root.appendingPathComponent("x").path], mentioning: "not both")
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("x").path))
        // Two workers with one name: the id decides.
        let demo = root.appendingPathComponent("demo")
        XCTAssertEqual(CLI.run(["demo", "--patients", "0"], dataDir: demo).status, 0)
        XCTAssertEqual(CLI.run(["report", "--worker", "Amira Haddad"], dataDir: demo).status, 0, "the demo has one Amira")
        let store = try CaseloadStore.open(dataDirectory: demo)
        try store.append([.workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira Haddad", team: "South"))])
        store.close()
        let twoAmiras = CLI.run(["report", "--worker", "Amira Haddad"], dataDir: demo)
        XCTAssertNotEqual(twoAmiras.status, 0)
        XCTAssertTrue(twoAmiras.stderr.contains("names 2 workers (amira, amira-haddad)"), twoAmiras.stderr)
        // A worker by name works as well as by id.
        XCTAssertEqual((jsonObject(["report", "--worker", "amira haddad"] + period)["worker"] as? String), "amira-haddad")
    }
}
