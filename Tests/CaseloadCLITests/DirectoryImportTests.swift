import Foundation
import XCTest

/// `caseload import directory` on a small Open Referral UK package (Fixtures/oruk): a first
/// import, a re-import with one changed and one removed service, and broken packages.
final class DirectoryImportTests: CLITestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/oruk")
    var v1: String { Self.fixtures.appendingPathComponent("package-v1").path }
    var v2: String { Self.fixtures.appendingPathComponent("package-v2").path }

    override func setUpWithError() throws {
        try super.setUpWithError()
        initialise()
    }

    func services() -> [String: [String: Any]] {
        Dictionary(uniqueKeysWithValues: jsonArray(["service", "list"]).map { ($0["name"] as! String, $0) })
    }

    func testImportMapsThePackageToServices() {
        let r = ok(["import", "directory", v1, "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("4 added, 0 updated, 0 unchanged, 0 no longer listed"), r.stdout)
        let s = services()
        XCTAssertEqual(Set(s.keys), ["Thursday walking group", "Men's Shed", "Debt advice drop-in", "Bereavement café"])
        let walk = s["Thursday walking group"]!
        XCTAssertEqual(walk["organisation"] as? String, "Riverside Ramblers")
        XCTAssertEqual(walk["category"] as? String, "Physical activity")
        XCTAssertEqual(walk["contact"] as? String, "Jo Evans 01632 960001")
        XCTAssertEqual(walk["address"] as? String, "Riverside Park gates, Park Road, Riverside, RV1 2AB")
        XCTAssertEqual(walk["times"] as? String, "Thu 10:00-11:00")
        XCTAssertEqual(walk["externalId"] as? String, "5b2e1d3f-0002-4e3b-8d4f-000000000001")
        XCTAssertEqual(walk["lastModified"] as? String, "2026-01-10T09:00:00.000Z")
        XCTAssertEqual(walk["source"] as? String, "Open Referral UK")
        XCTAssertEqual(s["Men's Shed"]?["times"] as? String, "Tue, Fri 10:00-15:00", "days with the same hours together")
        XCTAssertEqual(s["Debt advice drop-in"]?["times"] as? String, "Mondays 9:30 to 12:30, drop in")
        XCTAssertEqual(s["Debt advice drop-in"]?["contact"] as? String, "01632 960003; https://advice.example.org")
    }

    func testReimportUpdatesChangedDelistsRemovedAndKeepsConnections() {
        ok(["import", "directory", v1, "--as-of", asOf])
        let before = services()
        let walkId = before["Thursday walking group"]!["id"] as! String
        let patient = jsonObject(["patient", "add", "--name", "Tadeusz Wiśniewski"])["id"] as! String
        ok(["connect", patient, "Thursday walking group", "--stage", "enrolled", "--as-of", asOf])
        ok(["connect", patient, "Bereavement café", "--as-of", asOf])

        // A dry run says what would change and writes nothing.
        let journal = journalBytes
        let dry = ok(["import", "directory", v2, "--dry-run", "--as-of", asOf])
        XCTAssertTrue(dry.stdout.contains("~ updated    Thursday walking group (times, last_modified)"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("- not listed Bereavement café"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("would be 0 added, 1 updated, 2 unchanged, 1 no longer listed"), dry.stdout)
        XCTAssertEqual(journalBytes, journal, "a dry run wrote to the journal")

        ok(["import", "directory", v2, "--as-of", "2026-11-24"])
        let after = services()
        XCTAssertEqual(after.count, 4, "nothing duplicated, nothing deleted")
        XCTAssertEqual(after["Thursday walking group"]?["id"] as? String, walkId, "the same service, updated in place")
        XCTAssertEqual(after["Thursday walking group"]?["times"] as? String, "Thu 10:00-12:00")
        XCTAssertEqual(after["Thursday walking group"]?["lastModified"] as? String, "2026-11-01T08:30:00.000Z")
        XCTAssertEqual(after["Bereavement café"]?["listed"] as? Bool, false)
        XCTAssertEqual(after["Bereavement café"]?["delistedOn"] as? String, "2026-11-24")
        XCTAssertEqual(after["Men's Shed"]?["listed"] as? Bool, true)
        XCTAssertTrue(ok(["service", "list"]).stdout.contains("Bereavement café (no longer listed)"))

        // The connections still point at the same services, with their history.
        let show = jsonObject(["patient", "show", patient])
        let connections = show["connections"] as! [[String: Any]]
        let walk = connections.first { $0["serviceId"] as? String == walkId }
        XCTAssertEqual(walk?["service"] as? String, "Thursday walking group")
        XCTAssertEqual(walk?["stage"] as? String, "enrolled")
        XCTAssertTrue(connections.contains { $0["service"] as? String == "Bereavement café" })

        // Importing the same package again changes nothing at all.
        let settled = journalBytes
        let again = ok(["import", "directory", v2, "--as-of", asOf])
        XCTAssertTrue(again.stdout.contains("0 added, 0 updated, 3 unchanged, 0 no longer listed"), again.stdout)
        XCTAssertEqual(journalBytes, settled)
    }

    func testJSONServiceListInTheAPIShape() {
        ok(["import", "directory", v1, "--as-of", asOf])
        let r = ok(["import", "directory", Self.fixtures.appendingPathComponent("services.json").path, "--dry-run", "--json"])
        let o = r.json as! [String: Any]
        XCTAssertEqual((o["updated"] as! [[String: Any]]).map { $0["name"] as! String }, ["Men's Shed"], "the list has no e-mail for the shed")
        XCTAssertEqual(o["unchanged"] as? Int, 1)
        XCTAssertEqual((o["removed"] as! [[String: Any]]).count, 2)

        // Into an empty caseload: the nested organisation, contacts, locations, schedules and taxonomies.
        let other = root.appendingPathComponent("other")
        XCTAssertEqual(CLI.run(["init", "--worker", "Ben"], dataDir: other).status, 0)
        XCTAssertEqual(CLI.run(["import", "directory", Self.fixtures.appendingPathComponent("services.json").path], dataDir: other).status, 0)
        let list = CLI.run(["service", "list", "--json"], dataDir: other).json as! [[String: Any]]
        let walk = list.first { $0["name"] as? String == "Thursday walking group" }!
        XCTAssertEqual(walk["organisation"] as? String, "Riverside Ramblers")
        XCTAssertEqual(walk["contact"] as? String, "Jo Evans 01632 960001")
        XCTAssertEqual(walk["address"] as? String, "Riverside Park gates, Park Road, Riverside, RV1 2AB")
        XCTAssertEqual(walk["times"] as? String, "Thu 10:00-11:00")
        XCTAssertEqual(walk["category"] as? String, "Physical activity")
    }

    // MARK: - Broken packages: a clear report, and nothing half-imported

    /// A copy of package v1 to break.
    func brokenCopy(_ change: (URL) throws -> Void) rethrows -> String {
        let dir = root.appendingPathComponent("broken-\(UUID().uuidString.prefix(6))")
        try! FileManager.default.copyItem(atPath: v1, toPath: dir.path)
        try change(dir)
        return dir.path
    }

    func edit(_ dir: URL, _ file: String, _ transform: (String) -> String) throws {
        let url = dir.appendingPathComponent(file)
        try transform(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }

    func refusesPackage(_ path: String, mentioning words: String, file: StaticString = #filePath, line: UInt = #line) {
        refuses(["import", "directory", path], mentioning: words, file: file, line: line)
        refuses(["import", "directory", path, "--dry-run"], mentioning: words, file: file, line: line)
        XCTAssertEqual(jsonArray(["service", "list"]).count, 0, "something was imported", file: file, line: line)
    }

    func testMissingTableFile() throws {
        let p = try brokenCopy { try FileManager.default.removeItem(at: $0.appendingPathComponent("organization.csv")) }
        refusesPackage(p, mentioning: "organization.csv: listed in datapackage.json, but the file is missing")
    }

    func testPackageWithoutAServiceTable() throws {
        let p = try brokenCopy { dir in
            try edit(dir, "datapackage.json") { $0.replacingOccurrences(of: "\"name\": \"service\",", with: "\"name\": \"services_old\",") }
        }
        refusesPackage(p, mentioning: "datapackage.json: no service table")
    }

    func testUnknownColumn() throws {
        let p = try brokenCopy { dir in try edit(dir, "service.csv") { $0.replacingOccurrences(of: "last_modified\r\n", with: "last_modifed\r\n") } }
        refusesPackage(p, mentioning: "unknown column \"last_modifed\"")
    }

    func testBadQuoting() throws {
        let p = try brokenCopy { dir in try edit(dir, "service.csv") { $0.replacingOccurrences(of: "\"Woodwork, repairs, a brew\"", with: "\"Woodwork, repairs\" a brew") } }
        refusesPackage(p, mentioning: "service.csv: line 3: text follows a closing quote")
    }

    func testUnclosedQuote() throws {
        let p = try brokenCopy { dir in try edit(dir, "location.csv") { $0 + "l9,\"Broken hall,,,\r\n" } }
        refusesPackage(p, mentioning: "never closed")
    }

    func testServiceWithoutNameOrId() throws {
        let p = try brokenCopy { dir in
            try edit(dir, "service.csv") {
                $0.replacingOccurrences(of: ",Men's Shed,", with: ",,").replacingOccurrences(of: "5b2e1d3f-0002-4e3b-8d4f-000000000003,", with: ",")
            }
        }
        let before = journalBytes
        let r = CLI.run(["import", "directory", p], dataDir: data)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("service.csv:3: service 5b2e1d3f-0002-4e3b-8d4f-000000000002 has no name"), r.stderr)
        XCTAssertTrue(r.stderr.contains("service.csv:4: service has no id"), r.stderr)
        XCTAssertTrue(r.stderr.contains("2 problems"), r.stderr)
        XCTAssertEqual(journalBytes, before)
    }

    func testServiceNamingAMissingOrganisation() throws {
        let p = try brokenCopy { dir in try edit(dir, "organization.csv") { $0.components(separatedBy: "\r\n").filter { !$0.contains("Cruse") }.joined(separator: "\r\n") } }
        refusesPackage(p, mentioning: "not in the organization table")
    }

    func testNotAPackage() throws {
        let notJSON = root.appendingPathComponent("services.json")
        try Data("<html>not json</html>".utf8).write(to: notJSON)
        refusesPackage(notJSON.path, mentioning: "not valid JSON")
        let empty = root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        refusesPackage(empty.path, mentioning: "no datapackage.json")
        refusesPackage(root.appendingPathComponent("nowhere").path, mentioning: "does not exist")
    }

    // MARK: - What describes a service, from the published shapes

    static var hsds: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hsds") }

    /// The HSDS 3 `/services/{id}` response: one service object, not a list.
    func testASingleServiceObjectImportsWithEveryDetailShownAndSearched() throws {
        let r = ok(["import", "directory", Self.hsds.appendingPathComponent("service.json").path, "--source", "Riverside directory", "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("1 added"), r.stdout)
        let show = ok(["service", "show", "Knit and natter"]).stdout
        let expected = """
            Service: Knit and natter
            Organisation: Riverside Library
            Category: Social activity
            About: A friendly knitting group. Bring a project or learn from scratch; tea provided.
            When: Thu, Fri 10:00-18:00
            Where: Riverside Library, 1 High Street, Riverside, RV1 3CD
            Who it is for: Adults living in Riverside
            Ages: 18 and over
            Cost: Free; wool provided; £0 Materials for the first project
            Languages: English; Polish
            Accessibility: Step-free entrance: ramp at the side door; Hearing loop
            Areas served: Riverside ward
            Postcodes: RV1 3CD
            Contact: Sam Okoro sam@library.example.org 07700 900456; +44 1632 960100; knit@library.example.org; https://library.example.org/knit
            Directory: Riverside directory (c8e7c3a5-3f1e-4b7d-9a55-0000000000a1)
            Last modified: 2026-09-01T10:00:00Z

            """
        XCTAssertEqual(show, expected)
        XCTAssertFalse(show.contains("\r"), "a carriage return in the description never reaches the terminal")
        let j = jsonObject(["service", "show", "knit and natter", "--json"])
        XCTAssertEqual((j["details"] as? [String: Any])?["languages"] as? String, "English; Polish")
        for needle in ["polish", "RV1 3CD", "thu", "step-free", "riverside ward", "knitting"] {
            XCTAssertEqual(jsonArray(["service", "list", "--search", needle]).map { $0["name"] as! String }, ["Knit and natter"], needle)
        }
        XCTAssertEqual(jsonArray(["service", "list", "--search", "swimming"]).count, 0)
    }

    /// HSDS 1.x: numeric weekdays (ISO 8601, 1 Monday … 7 Sunday), eligibility and languages
    /// as lists of objects, accessibility on the location.
    func testHSDS1NumericWeekdaysPrintAsDaysAndTheScheduleKeepsItsHours() {
        ok(["import", "directory", Self.hsds.appendingPathComponent("services-v1.json").path, "--source", "HSDS 1", "--as-of", asOf])
        let show = ok(["service", "show", "Chair yoga"]).stdout
        XCTAssertTrue(show.contains("When: Thu 09:00-17:00; Sun 11:00-12:00\n"), "not '4 09:00-17:00', and not the description in place of the hours: \(show)")
        XCTAssertTrue(show.contains("Who it is for: Over 60s\n"), show)
        XCTAssertTrue(show.contains("Accessibility: Wheelchair accessible\n"), show)
        XCTAssertTrue(show.contains("Areas served: Riverside and Westbank\n"), show)
        XCTAssertTrue(show.contains("Cost: £2 a class\n"), show)
        XCTAssertTrue(show.contains("Postcodes: RV2 4EF\n"), show)
    }

    func testTheSameServiceIsNotConnectedTwiceWhileTheFirstIsOpenAndTheRouteIsCounted() {
        ok(["import", "directory", v1, "--as-of", asOf])
        let p = jsonObject(["patient", "add", "--name", "Ann", "--referral-date", "2026-11-01", "--as-of", asOf])["id"] as! String
        let first = jsonObject(["connect", p, "Men's Shed", "--route", "referred", "--as-of", asOf])
        XCTAssertEqual(first["route"] as? String, "referred")
        refuses(["connect", p, "Men's Shed", "--as-of", asOf], mentioning: "already connected to this service")
        ok(["connection", "stage", first["id"] as! String, "droppedOut", "--as-of", asOf])
        let again = jsonObject(["connect", p, "Men's Shed", "--as-of", asOf])
        XCTAssertEqual(again["route"] as? String, "signposted", "a suggestion is signposting unless told otherwise")
        let report = jsonObject(["report", "--as-of", asOf])
        let shed = ((report["community"] as! [String: Any])["byService"] as! [[String: Any]]).first { $0["label"] as? String == "Men's Shed" }!
        XCTAssertEqual(shed["signposted"] as? Int, 1)
        XCTAssertEqual(shed["referredTo"] as? Int, 1)
    }
}
