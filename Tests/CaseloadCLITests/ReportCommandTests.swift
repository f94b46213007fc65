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
        ok(["patient", "status", b, "declined", "--reason", "prefers to manage alone", "--as-of", "2026-02-20"])
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
        XCTAssertTrue(source.hasPrefix("\"source\",\"people\",\"of\",\"%\"\r\n\"GP\",1,2,50\r\n"), source)
        let demand = try String(contentsOf: dir.appendingPathComponent("demand-by-month.csv"), encoding: .utf8)
        XCTAssertTrue(demand.hasPrefix("\"service\",\"2026-01\",\"2026-02\",\"2026-03\",\"people\"\r\n\"Walking group\",1,0,0,1\r\n"), demand)
    }

    /// Read back with Python's csv module as a spreadsheet does (QUOTE_NONNUMERIC: a bare
    /// field is a number, a quoted one text): counts, denominators, percentages and a
    /// negative mean change are numbers; text is text, without a stray apostrophe.
    func testCSVReadsBackAsNumbersInASpreadsheetReader() throws {
        makeCaseload()
        // D: SWEMWBS falls (raw 20 → 17: 18.59 → 16.88, -1.71), signposted to the walking group.
        let d = jsonObject(["patient", "add", "--name", "D", "--source", "gp", "--gp-practice", "=HYPERLINK(\"x\")",
                            "--referral-date", "2026-01-20", "--as-of", "2026-01-20"])["id"] as! String
        ok(["measure", "add", d, "--instrument", "swemwbs", "--answers", "3,3,3,3,3,3,2", "--date", "2026-01-21"])
        ok(["measure", "add", d, "--instrument", "swemwbs", "--answers", "3,3,3,2,2,2,2", "--date", "2026-03-02"])
        ok(["connect", d, "Walking group", "--as-of", "2026-01-21"])
        let dir = root.appendingPathComponent("report")
        ok(["report", "--csv", dir.path] + period)
        let script = """
            import csv, json, sys
            out = {}
            for name in sys.argv[1:]:
                with open(name, newline="", encoding="utf-8") as f:
                    rows = list(csv.reader(f, quoting=csv.QUOTE_NONNUMERIC))
                out[name.rsplit("/", 1)[-1]] = [[{"n": c} if isinstance(c, float) else {"t": c} for c in r] for r in rows]
            print(json.dumps(out))
            """
        let files = ["measures.csv", "referrals-by-source.csv", "connections-by-service.csv", "referrals-from-gp-practices.csv", "first-contact.csv"]
        let r = Process.python(["-c", script] + files.map { dir.appendingPathComponent($0).path })
        if r.status == 127 || r.stderr.contains("No such file or directory: 'python3'") {
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail("python3 is needed: \(r.stderr)") }
            throw XCTSkip("python3 is not installed")
        }
        XCTAssertEqual(r.status, 0, r.stderr)
        let sheets = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: [[[String: Any]]]])
        func row(_ file: String, _ label: String) -> [Any] {
            (sheets[file]?.first { $0.first?["t"] as? String == label } ?? []).map { $0["n"] ?? $0["t"]! }
        }
        XCTAssertEqual(sheets["measures.csv"]?[0].compactMap { $0["t"] as? String },
                       ["measure", "with baseline", "with baseline of", "with follow-up", "with follow-up of", "mean baseline", "mean follow-up", "mean change", "better is"])
        let sw = row("measures.csv", "SWEMWBS (metric)")
        XCTAssertEqual(sw.count, 9, "\(sw)")
        XCTAssertEqual(sw[1] as? Double, 2, "with baseline: a number")
        XCTAssertEqual(sw[2] as? Double, 3, "of 3 referred: its own numeric column")
        XCTAssertEqual(sw[7] as? Double, 0.78, "mean change (+3.27 and -1.71) is a number, no apostrophe")
        let gp = row("referrals-by-source.csv", "GP")
        XCTAssertEqual(gp.dropFirst().compactMap { $0 as? Double }, [2, 3, 67], "people, of and a percentage, each a number: \(gp)")
        let walking = row("connections-by-service.csv", "Walking group")
        let header = sheets["connections-by-service.csv"]![0].compactMap { $0["t"] as? String }
        XCTAssertEqual(walking[header.firstIndex(of: "signposted")!] as? Double, 1)
        XCTAssertEqual(walking[header.firstIndex(of: "referred to")!] as? Double, 1)
        XCTAssertEqual(row("referrals-from-gp-practices.csv", "'=HYPERLINK(\"x\")").count, 4, "text that would run as a formula stays guarded")
        XCTAssertEqual(row("first-contact.csv", "median days")[1] as? Double, 4)
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
