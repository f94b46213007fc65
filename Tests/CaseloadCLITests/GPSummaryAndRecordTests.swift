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
        ok(["service", "add", "--name", "Knit and natter"])
        ok(["connect", tadeusz, "Knit and natter", "--as-of", "2026-10-22"])
        ok(["followup", "add", tadeusz, "--due", "2026-12-04"])
        ok(["patient", "update", tadeusz, "--address", "4 Mill Lane, Leeds LS6 2AB"])
    }

    func testTheSummaryFollowsThePRSBOrderWithActionsFirstAndTheSenderFromTheConfig() throws {
        try writeSenderConfig()
        let r = gpSummary(["9434765919", "--as-of", asOf])
        let expected = """
            To: Dr Patel, Riverside Surgery
            Re: Tadeusz Wiśniewski, NHS 943 476 5919, born 1948-03-02
            Social prescribing information back to GP, 2026-11-23

            Plan and actions
            Actions for the practice: No actions required.
            - Next contact with the link worker due 2026-12-04
            - Working towards: Get out of the house twice a week
            What matters to them:
            - Get out of the house twice a week: progress 2 → 6 of 10

            Person
            Name: Tadeusz Wiśniewski
            NHS number: 943 476 5919
            Date of birth: 1948-03-02
            Address: 4 Mill Lane, Leeds LS6 2AB
            GP practice: Riverside Surgery

            Referral
            Referred on 2026-10-01 by GP (Dr Patel) for loneliness, bereavement.

            Contacts
            2 contacts between 2026-10-05 and 2026-11-02 (65 minutes in all).
            By method: phone 1, face to face 1.
            Outcome: 2 attended.

            Assessments
            Baseline → latest:
            - SWEMWBS metric score 16.88 → 22.35 (+5.47, a meaningful change), 2026-10-05 → 2026-11-02
            Each assessment (item scores in question order):
            - 2026-10-05 SWEMWBS: items 2, 2, 3, 2, 3, 2, 3; total metric 16.88 (raw 17)
            - 2026-11-02 SWEMWBS: items 4, 3, 4, 3, 4, 3, 4; total metric 22.35 (raw 25)

            Services signposted and referred to
            - Thursday walking group: referred, referred since 2026-10-20, run by Riverside Ramblers, accompanied to the first visit
            - Knit and natter: signposted, suggested since 2026-10-22

            Risks
            Not recorded in Caseload (check the person's record before relying on this)

            Outcome and discharge
            Still open (active) since 2026-10-05.

            SNOMED CT codes
            - 871731000000106 Referral to social prescribing service, 2026-10-05

            From
            Amira Haddad, Social prescribing link worker
            Leeds North Primary Care Network
            0113 496 0000

            """
        XCTAssertEqual(r.stdout, expected)
        XCTAssertFalse(r.stdout.contains("(procedure)"), "the display term has no semantic tag")

        let j = try XCTUnwrap(gpSummary([tadeusz, "--json", "--as-of", asOf]).json as? [String: Any])
        XCTAssertEqual(j["sharing"] as? String, "full")
        XCTAssertEqual((j["person"] as! [String: Any])["nhsNumber"] as? String, "943 476 5919")
        XCTAssertEqual((j["codes"] as! [[String: Any]]).map { $0["code"] as! String }, ["871731000000106"])
        XCTAssertEqual((j["codes"] as! [[String: Any]])[0]["display"] as? String, "Referral to social prescribing service")
        let outcome = (j["outcomes"] as! [[String: Any]])[0]
        XCTAssertEqual(outcome["start"] as? String, "metric 16.88 (raw 17)")
        XCTAssertEqual(outcome["latest"] as? String, "metric 22.35 (raw 25)")
        XCTAssertEqual(outcome["meaningful"] as? Bool, true)
        XCTAssertEqual(((j["assessments"] as! [[String: Any]])[0]["items"] as! [[String: Any]]).map { $0["score"] as! Int }, [2, 2, 3, 2, 3, 2, 3])
        XCTAssertEqual((j["connections"] as! [[String: Any]]).map { $0["route"] as! String }, ["referred", "signposted"])
        XCTAssertEqual((j["connections"] as! [[String: Any]])[0]["takenUp"] as? Bool, true)
        XCTAssertEqual((j["status"] as! [String: Any])["status"] as? String, "active")
        XCTAssertEqual((j["plan"] as! [String: Any])["actionsForPractice"] as? [String], [])
        XCTAssertEqual((j["sender"] as! [String: Any])["contact"] as? String, "0113 496 0000")
        XCTAssertEqual(gpSummary([tadeusz, "--format", "json", "--as-of", asOf]).stdout + "\n", gpSummary([tadeusz, "--json", "--as-of", asOf]).stdout + "\n",
                       "--format json stays as it was")
    }

    func testADeclinedReferralCarriesTheDeclinedCode() {
        let p = jsonObject(["patient", "add", "--name", "Ann", "--referral-date", "2026-11-01", "--share-with-gp"])["id"] as! String
        ok(["patient", "status", p, "declined", "--reason", "Did not want support now", "--as-of", "2026-11-03"])
        let r = gpSummary([p, "--as-of", asOf])
        XCTAssertTrue(r.stdout.contains("Declined on 2026-11-03: Did not want support now."), r.stdout)
        XCTAssertTrue(r.stdout.contains("- 871711000000103 Social prescribing declined, 2026-11-03"), r.stdout)
        XCTAssertFalse(r.stdout.contains("871731000000106"))
    }

    func testNoSummaryWithoutConsentToSocialPrescribingOrSharing() {
        let p = jsonObject(["patient", "add", "--name", "Bob", "--referral-date", "2026-11-01"])["id"] as! String
        refuses(["gp-summary", p], mentioning: "consent to share with their GP is not recorded")
        refuses(["gp-summary", p, "--format", "fhir"], mentioning: "consent to share with their GP is not recorded")
        refuses(["gp-summary", tadeusz, "--format", "pdf"], mentioning: "--format is text, html or fhir")
        let r = CLI.run(["gp-summary", p], dataDir: data)
        XCTAssertEqual(r.stdout, "", "nothing of the letter is printed")
        XCTAssertFalse(r.stderr.contains("Bob"), "names stay off stderr")
    }

    func testConsentToSocialPrescribingButNotSharingSendsTheCodesAndDatesOnlyAndSaysSo() throws {
        ok(["patient", "consent", tadeusz, "shareWithGP", "--withdrawn"])
        let text = gpSummary([tadeusz, "--as-of", asOf]).stdout
        XCTAssertTrue(text.contains("They agreed to social prescribing but not to sharing details with the practice: this message carries the SNOMED CT codes and their dates only."), text)
        XCTAssertTrue(text.contains("- 871731000000106 Referral to social prescribing service, 2026-10-05"), text)
        XCTAssertTrue(text.contains("NHS number: 943 476 5919"), "the practice can file the code against the right person")
        for detail in ["loneliness", "Dr Patel", "walking group", "SWEMWBS", "Get out of the house", "Mill Lane", "minutes", "active"] {
            XCTAssertFalse(text.contains(detail), "'\(detail)' is detail the person did not agree to share")
        }
        let j = try XCTUnwrap(gpSummary([tadeusz, "--json", "--as-of", asOf]).json as? [String: Any])
        XCTAssertEqual(j["sharing"] as? String, "codesOnly")
        XCTAssertNil(j["connections"]); XCTAssertNil(j["assessments"]); XCTAssertNil(j["referral"])
        let fhir = gpSummary([tadeusz, "--format", "fhir", "--as-of", asOf]).stdout
        let types = try bundleTypes(fhir)
        XCTAssertFalse(types.contains("Observation"), "no measures leave without consent to share")
        XCTAssertTrue(types.contains("Procedure"))
        XCTAssertFalse(fhir.contains("walking group"))
        let html = gpSummary([tadeusz, "--format", "html", "--as-of", asOf]).stdout
        XCTAssertTrue(html.contains("codes and their dates only"))
        XCTAssertFalse(html.contains("SWEMWBS"))
    }

    func testTheHTMLPageIsSelfContainedPrintsOnA4AndEscapesEveryText() throws {
        ok(["goal", "add", tadeusz, "--text", "<script>alert('x')</script> & \"more\"", "--progress", "1", "--date", "2026-11-02"])
        let html = gpSummary([tadeusz, "--format", "html", "--as-of", asOf]).stdout
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("@page { size: A4"))
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;more&quot;"), "the goal's text is escaped")
        XCTAssertFalse(html.contains("<script"), "no script, not even one a person typed")
        for external in ["src=", "href=", "@import", "url(", "http://", "https://"] {
            XCTAssertFalse(html.contains(external), "nothing to fetch: \(external)")
        }
        let order = ["Plan and actions", "Person", "Referral", "Contacts", "Assessments", "Services signposted and referred to",
                     "Risks", "Outcome and discharge", "SNOMED CT codes", "From"].map { "<h2>\($0)</h2>" }
        let positions = order.map { html.range(of: $0)?.lowerBound }
        XCTAssertFalse(positions.contains(nil), "every section is there")
        XCTAssertEqual(positions.compactMap { $0 }, positions.compactMap { $0 }.sorted(), "in the standard's order")
        XCTAssertTrue(html.contains("<p>No actions required</p>") || html.contains("Actions for the practice: No actions required."))
    }

    func testTheFHIRBundleIsADocumentWithTheNHSNumberSenderMeasuresAndCodes() throws {
        try writeSenderConfig()
        let first = gpSummary([tadeusz, "--format", "fhir", "--as-of", asOf]).stdout
        XCTAssertEqual(gpSummary([tadeusz, "--format", "fhir", "--as-of", asOf]).stdout, first, "ids are deterministic from the data")
        let bundle = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        XCTAssertEqual(bundle["resourceType"] as? String, "Bundle")
        XCTAssertEqual(bundle["type"] as? String, "document")
        let entries = bundle["entry"] as! [[String: Any]]
        let resources = entries.map { $0["resource"] as! [String: Any] }
        XCTAssertEqual(resources.first?["resourceType"] as? String, "Composition", "a document starts with its Composition")
        XCTAssertTrue(entries.allSatisfy { ($0["fullUrl"] as! String).hasPrefix("urn:uuid:") })
        func only(_ type: String) -> [[String: Any]] { resources.filter { $0["resourceType"] as? String == type } }
        let identifier = (only("Patient")[0]["identifier"] as! [[String: Any]])[0]
        XCTAssertEqual(identifier["system"] as? String, "https://fhir.nhs.uk/Id/nhs-number")
        XCTAssertEqual(identifier["value"] as? String, "9434765919")
        XCTAssertEqual((only("Practitioner")[0]["name"] as! [[String: Any]])[0]["text"] as? String, "Amira Haddad")
        XCTAssertEqual(only("Organization")[0]["name"] as? String, "Leeds North Primary Care Network")
        XCTAssertEqual(only("Observation").count, 2, "one Observation per assessment")
        XCTAssertEqual((only("Observation")[0]["component"] as! [[String: Any]]).count, 7, "SWEMWBS items as components")
        let coding = ((only("Procedure")[0]["code"] as! [String: Any])["coding"] as! [[String: Any]])[0]
        XCTAssertEqual(coding["system"] as? String, "http://snomed.info/sct")
        XCTAssertEqual(coding["code"] as? String, "871731000000106")
        XCTAssertEqual(coding["display"] as? String, "Referral to social prescribing service")
        XCTAssertEqual(only("Procedure")[0]["performedDateTime"] as? String, "2026-10-05")
        let titles = ((resources[0]["section"] as! [[String: Any]]).map { $0["title"] as! String })
        XCTAssertEqual(titles, ["Plan and actions", "Person", "Referral", "Contacts", "Assessments", "Services signposted and referred to",
                                "Risks", "Outcome and discharge", "SNOMED CT codes", "From"])
    }

    /// The Bundle checked by an independent FHIR library (`fhir.resources`, R4B models, from
    /// PyPI; `.ci/run` installs it). Skipped locally without it; fails on CI.
    func testTheFHIRBundlePassesAnIndependentValidator() throws {
        let probe = Process.python(["-c", "import fhir.resources.R4B.bundle"])
        if probe.status != 0 {
            let message = "python3 with fhir.resources is needed (pip install fhir.resources): \(probe.stderr.suffix(200))"
            if ProcessInfo.processInfo.environment["CI"] == "true" { return XCTFail(message) }
            throw XCTSkip(message)
        }
        try writeSenderConfig()
        let declined = jsonObject(["patient", "add", "--name", "Ann", "--nhs-number", "999 510 5918", "--referral-date", "2026-11-01", "--consent"])["id"] as! String
        ok(["patient", "status", declined, "declined", "--reason", "not the right time", "--as-of", "2026-11-03"])
        ok(["measure", "add", tadeusz, "--instrument", "ons4", "--answers", "5,6,4,7", "--date", "2026-10-05"])
        ok(["measure", "add", tadeusz, "--instrument", "ucla3", "--answers", "3,2,3", "--date", "2026-10-05"])
        let script = Self.fixtures.appendingPathComponent("fhir/validate_bundle.py").path
        for (patient, label) in [(tadeusz, "full"), (declined, "codes only, declined")] {
            let file = root.appendingPathComponent("bundle-\(label.prefix(4)).json").path
            gpSummary([patient, "--format", "fhir", "-o", file, "--as-of", asOf])
            let r = Process.python([script, file])
            XCTAssertEqual(r.status, 0, "\(label): \(r.stdout)\(r.stderr)")
            XCTAssertTrue(r.stdout.contains("valid R4B document Bundle"), r.stdout)
        }
    }

    func testOutputFileIsPrivateFromTheFirstByteAndSaysWhereItWent() throws {
        let file = root.appendingPathComponent("letter.html")
        // An existing readable file is made private before the letter is written into it.
        FileManager.default.createFile(atPath: file.path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644])
        let r = gpSummary([tadeusz, "--format", "html", "-o", file.path, "--as-of", asOf])
        XCTAssertEqual(r.stdout, "Wrote the GP summary (html) to \(file.path)\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        XCTAssertTrue(try String(contentsOf: file, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let fresh = root.appendingPathComponent("letter.txt")
        gpSummary([tadeusz, "--out", fresh.path, "--as-of", asOf])
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: fresh.path)[.posixPermissions] as! Int) & 0o777, 0o600)
        refuses(["gp-summary", tadeusz, "-o", root.appendingPathComponent("no/such/dir/x.txt").path], mentioning: "cannot write")
    }

    func testAPatientIsFoundByAUniqueNameAndTwoOfTheSameNameAreRefusedWithoutNamingThem() {
        XCTAssertTrue(gpSummary(["tadeusz wisniewski", "--as-of", asOf]).stdout.contains("NHS number: 943 476 5919"))
        ok(["patient", "add", "--name", "Tadeusz Wiśniewski", "--referral-date", "2026-11-01", "--share-with-gp"])
        let r = CLI.run(["gp-summary", "Tadeusz Wiśniewski"], dataDir: data)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("2 patients have that name; give the id or NHS number"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Tadeusz"), "names stay off stderr")
        let none = CLI.run(["gp-summary", "Nobody Here"], dataDir: data)
        XCTAssertTrue(none.stderr.contains("no patient has that id, NHS number or full name"), none.stderr)
        XCTAssertFalse(none.stderr.contains("Nobody"))
    }

    // MARK: helpers

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    var configHome: URL { root.appendingPathComponent("config") }

    /// gp-summary with this test's own config folder, so a config on the machine never leaks in.
    @discardableResult
    func gpSummary(_ args: [String], file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        let r = CLI.run(["gp-summary"] + args, dataDir: data, environment: ["XDG_CONFIG_HOME": configHome.path])
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return r
    }

    func writeSenderConfig() throws {
        let dir = configHome.appendingPathComponent("caseload")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            theme = "default"
            sender_organisation = "Leeds North Primary Care Network"
            sender_contact = "0113 496 0000"
            """.write(to: dir.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    }

    func bundleTypes(_ json: String) throws -> [String] {
        let bundle = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return (bundle["entry"] as! [[String: Any]]).map { ($0["resource"] as! [String: Any])["resourceType"] as! String }
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
        // Nothing in the record changes; the export itself is in the audit (one view, appended).
        XCTAssertEqual(journalBytes.prefix(before.count), before)
        let views = (CLI.run(["audit", tadeusz, "--json"], dataDir: data).json as? [[String: Any]] ?? []).filter { $0["view"] as? Bool == true }
        XCTAssertEqual(views.map { $0["what"] as? String }, ["viewed (patient show)", "viewed (export)"])
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

extension Process {
    /// Runs python3 (the PATH's) with these arguments.
    static func python(_ args: [String]) -> CLIResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { return CLIResult(status: 127, stdout: "", stderr: "\(error)") }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLIResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}
