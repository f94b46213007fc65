import Foundation
import XCTest

/// Every command's patient argument: an id, an NHS number, or a name or the start of one.
final class PatientArgumentTests: CLITestCase {
    var rahimaBegum = "", rahimaKhan = "", zoe = ""

    override func setUpWithError() throws {
        try super.setUpWithError()
        initialise()
        func add(_ args: [String]) -> String {
            jsonObject(["patient", "add", "--referral-date", "2026-11-01", "--as-of", asOf, "--consent", "--share-with-gp"] + args)["id"] as? String ?? ""
        }
        rahimaBegum = add(["--name", "Rahima Begum"])
        rahimaKhan = add(["--name", "Rahima Khan"])
        zoe = add(["--name", "Zoë Łukasz", "--preferred-name", "Zo"])
        ok(["service", "add", "--name", "Men's Shed"])
    }

    /// The patient id a command's JSON names, whichever shape it prints.
    func patientId(_ o: [String: Any]) -> String? { (o["patientId"] ?? o["id"]) as? String }

    func testEveryCommandTakesAUniqueNameOrTheStartOfOne() throws {
        let commands: [[String]] = [
            ["patient", "show", "zoe lukasz", "--json"],
            ["patient", "update", "ZOË", "--phone", "07700 900123", "--json"],
            ["patient", "consent", "zo", "socialPrescribing", "--json"],
            ["goal", "add", "zoë łukasz", "--text", "Walk to the park", "--as-of", asOf, "--json"],
            ["followup", "add", "zoe", "--due", "2026-12-01", "--as-of", asOf, "--json"],
            ["connect", "zoe", "Men's Shed", "--as-of", asOf, "--json"],
            ["patient", "status", "zoe", "active", "--as-of", asOf, "--json"],
        ]
        for args in commands {
            let r = ok(args)
            let o = try XCTUnwrap(r.json as? [String: Any], "\(args): \(r.stdout)")
            XCTAssertEqual(patientId(o), zoe, args.joined(separator: " "))
        }
        XCTAssertTrue(ok(["session", "add", "Zoe L", "--note", "Rang.", "--as-of", asOf]).stdout.hasSuffix("for \(zoe.prefix(8))\n"))
        let measure = ok(["measure", "add", "Zoe", "--instrument", "ucla3", "--answers", "1,2,1", "--as-of", asOf])
        XCTAssertTrue(measure.stdout.hasPrefix("UCLA-3"), measure.stdout)
        XCTAssertEqual(jsonObject(["patient", "show", zoe])["measures"].map { ($0 as? [Any])?.count }, 1, "the measure went to Zoë")
        XCTAssertTrue(ok(["gp-summary", "rahima b", "--as-of", asOf]).stdout.contains("Rahima Begum"))
        let out = root.appendingPathComponent("sar")
        ok(["export", "--patient", "Rahima Khan", "--out", out.path, "--as-of", asOf])
        let record = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("record.json"))) as? [String: Any]
        XCTAssertEqual((record?["patient"] as? [String: Any])?["id"] as? String, rahimaKhan)
    }

    func testANameSharedOrStartedByTwoIsRefusedInOneLineWithTheIdsAndNoName() {
        XCTAssertEqual(patientId(jsonObject(["patient", "show", "RAHIMA K "])), rahimaKhan)
        ok(["patient", "add", "--name", "Rahima Khan", "--referral-date", "2026-11-01", "--as-of", asOf])
        for (key, says) in [("rahima", "3 patients' names start with that; give more of the name, the id or the NHS number"),
                            ("rahima khan", "2 patients have that name; give the id or NHS number")] {
            refuses(["session", "add", key, "--note", "Rang."], mentioning: says)
            let r = CLI.run(["session", "add", key, "--note", "Rang."], dataDir: data)
            XCTAssertEqual(r.status, 1)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains(String(rahimaKhan.prefix(8))), "the ids to choose from: \(r.stderr)")
            XCTAssertFalse(r.stderr.lowercased().contains("rahima"), "names stay off stderr: \(r.stderr)")
        }
        refuses(["followup", "add", "z", "--due", "2026-12-01"], mentioning: "no patient has that id, NHS number or full name")
    }

    func testPatientShowPrintsThePhoneAndAddressTerminalSafe() {
        ok(["patient", "update", zoe, "--phone", "07700 900123", "--address", "1 Mill Lane\nLeeds \u{1b}[2J"])
        let text = ok(["patient", "show", zoe, "--as-of", asOf]).stdout
        XCTAssertTrue(text.contains("tel 07700 900123 · address 1 Mill Lane, Leeds ␛[2J"), text)
        XCTAssertFalse(text.contains("\u{1b}"), "terminal-safe")
        XCTAssertEqual(jsonObject(["patient", "show", zoe])["address"] as? String, "1 Mill Lane\nLeeds \u{1b}[2J", "JSON stays exact")
        XCTAssertFalse(ok(["patient", "show", rahimaBegum]).stdout.contains("tel "), "no contact line when there is none")
    }
}

/// Every command that adds or changes something can print what it made, with its id, as JSON.
final class NewIdsJSONTests: CLITestCase {
    func uuid(_ value: Any?, file: StaticString = #filePath, line: UInt = #line) -> String {
        let s = value as? String ?? ""
        XCTAssertNotNil(UUID(uuidString: s), "not an id: \(String(describing: value))", file: file, line: line)
        return s
    }

    func testChangesPrintWhatTheyChangedWithItsId() {
        initialise()
        let p = uuid(jsonObject(["patient", "add", "--name", "Ann Lee", "--as-of", asOf])["id"])
        let consent = jsonObject(["patient", "consent", p, "shareWithGP", "--as-of", asOf])
        XCTAssertEqual(consent["patientId"] as? String, p)
        XCTAssertEqual(consent["given"] as? Bool, true)
        _ = uuid(consent["eventId"])
        let g = uuid(jsonObject(["goal", "add", p, "--text", "Sleep better", "--as-of", asOf])["id"])
        XCTAssertEqual(jsonObject(["goal", "status", g, "achieved", "--as-of", asOf])["status"] as? String, "achieved")
        let s = uuid(jsonObject(["service", "add", "--name", "Knit and natter"])["id"])
        let c = jsonObject(["connect", p, s, "--as-of", asOf])
        let stage = jsonObject(["connection", "stage", uuid(c["id"]), "enrolled", "--as-of", asOf])
        XCTAssertEqual(stage["id"] as? String, c["id"] as? String)
        XCTAssertEqual(stage["stage"] as? String, "enrolled")
        let f = uuid(jsonObject(["followup", "add", p, "--due", "2026-12-01", "--as-of", asOf])["id"])
        let cancelled = jsonObject(["followup", "cancel", f, "--as-of", asOf])
        XCTAssertEqual(cancelled["id"] as? String, f)
        XCTAssertEqual(cancelled["status"] as? String, "cancelled")
        XCTAssertEqual(ok(["patient", "consent", p, "socialPrescribing"]).stdout, "Recorded: social prescribing consent given for \(p.prefix(8))\n",
                       "the text stays as it was")
    }

    func testImportsPrintTheIdsOfWhatTheyAdded() throws {
        initialise()
        let services = jsonObject(["import", "directory", DirectoryImportTests.fixtures.appendingPathComponent("services.json").path, "--as-of", asOf])
        let added = try XCTUnwrap(services["added"] as? [[String: Any]])
        XCTAssertFalse(added.isEmpty)
        let listed = Set(jsonArray(["service", "list"]).compactMap { $0["id"] as? String })
        XCTAssertEqual(Set(added.map { uuid($0["id"]) }), listed)

        let csv = root.appendingPathComponent("people.csv")
        try "Name,Referral date\nAnn One,2026-11-01\nBen Two,2026-11-02\n".write(to: csv, atomically: true, encoding: .utf8)
        let people = try XCTUnwrap(jsonObject(["import", "caseload", csv.path, "--as-of", asOf])["people"] as? [[String: Any]])
        XCTAssertEqual(people.map { $0["line"] as? Int }, [2, 3])
        XCTAssertEqual(people.map { $0["added"] as? Bool }, [true, true])
        let names = Dictionary(uniqueKeysWithValues: jsonArray(["patient", "list"]).map { ($0["id"] as! String, $0["name"] as! String) })
        XCTAssertEqual(people.map { names[uuid($0["id"])] }, ["Ann One", "Ben Two"])
        let again = try XCTUnwrap(jsonObject(["import", "caseload", csv.path, "--as-of", asOf])["people"] as? [[String: Any]])
        XCTAssertEqual(again.map { $0["added"] as? Bool }, [false, false], "already there: the same ids, not added again")
        XCTAssertEqual(again.map { $0["id"] as? String }, people.map { $0["id"] as? String })
    }

    func testTheDemoSaysWhereItWentAndWhoseDeviceItIs() {
        let o = jsonObject(["demo", "--patients", "20", "--as-of", asOf])
        XCTAssertEqual(o["dataDir"] as? String, data.path)
        XCTAssertEqual(o["workerId"] as? String, "amira-haddad")
        XCTAssertEqual(o["patients"] as? Int, 20)
        _ = uuid(o["device"])
        XCTAssertEqual(jsonArray(["patient", "list"]).count, 20)
    }
}
