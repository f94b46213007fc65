import Foundation
import XCTest

/// Who opened which record, through the real binary: every way of opening one records a view
/// (no content), `caseload audit` lists views and changes, restricted records are kept but
/// not used, and the audit travels through a folder sync like every other event.
final class AuditCommandTests: CLITestCase {
    func addPatient(_ name: String, _ extra: [String] = [], dir: URL? = nil) -> String {
        let r = CLI.run(["patient", "add", "--name", name, "--json"] + extra, dataDir: dir ?? data)
        XCTAssertEqual(r.status, 0, r.stderr)
        return (r.json as? [String: Any])?["id"] as? String ?? ""
    }

    func audit(_ args: [String] = [], dir: URL? = nil) -> [[String: Any]] {
        let r = CLI.run(["audit"] + args + ["--json"], dataDir: dir ?? data)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.json as? [[String: Any]] ?? []
    }

    func testEveryWayOfOpeningARecordIsAuditedWithoutItsContent() throws {
        initialise()
        let ann = addPatient("Ann Sandhu", ["--nhs-number", "943 476 5919", "--consent", "--share-with-gp", "--gp-practice", "Riverside"])
        let bo = addPatient("Bo Whitfield")
        ok(["session", "add", ann, "--note", "Talked about her debts with the landlord"])

        ok(["patient", "show", ann])
        ok(["patient", "show", ann, "--json"])
        ok(["gp-summary", ann])
        ok(["export", "--patient", ann, "--out", root.appendingPathComponent("sar").path])
        // Refused before anything is shown: no consent to write to Bo's GP, so no view.
        XCTAssertNotEqual(CLI.run(["gp-summary", bo], dataDir: data).status, 0)

        let views = audit([ann]).filter { $0["view"] as? Bool == true }
        XCTAssertEqual(views.map { $0["what"] as? String }, ["viewed (patient show)", "viewed (patient show)", "viewed (gp-summary)", "viewed (export)"])
        XCTAssertEqual(Set(views.compactMap { $0["worker"] as? String }), ["amira-haddad"])
        XCTAssertTrue(views.allSatisfy { ($0["date"] as? String)?.count == 10 && $0["patientId"] as? String == ann })
        XCTAssertEqual(audit([bo]).compactMap { $0["what"] as? String }, ["referred"], "Bo was never opened")

        let text = ok(["audit"]).stdout
        XCTAssertTrue(text.contains("session added"), text)
        for secret in ["Ann", "Sandhu", "debts", "943", "Riverside"] {
            XCTAssertFalse(text.contains(secret), "the audit shows \(secret):\n\(text)")
        }
        XCTAssertEqual(audit(["--worker", "amira-haddad"]).count, audit().count)
        refuses(["audit", "--worker", "nobody"], mentioning: "no worker")
    }

    func testAViewThatCannotBeWrittenStillShowsTheRecordAndSaysSo() throws {
        initialise()
        let ann = addPatient("Ann Sandhu")
        // The app holds the journal's lock while it is open.
        let fd = open(journalPath, O_RDWR)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        let r = CLI.run(["patient", "show", ann], dataDir: data)
        close(fd)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("Ann Sandhu"))
        XCTAssertTrue(r.stderr.contains("not in the audit"), r.stderr)
        XCTAssertEqual(audit([ann]).filter { $0["view"] as? Bool == true }.count, 0)
    }

    func testARestrictedRecordIsKeptOffEveryListAndCannotBeChanged() throws {
        initialise()
        let ann = addPatient("Ann Sandhu", ["--followup", "2026-11-01"])
        _ = addPatient("Bo Whitfield")
        ok(["patient", "restrict", ann, "--reason", "she contests the record", "--as-of", asOf])

        let list = ok(["patient", "list"]).stdout
        XCTAssertFalse(list.contains("Ann Sandhu"), list)
        XCTAssertTrue(list.contains("1 person (1 restricted"), list)
        XCTAssertEqual(jsonArray(["patient", "list"]).count, 1)
        XCTAssertTrue(ok(["patient", "list", "--restricted"]).stdout.contains("Ann Sandhu"))
        XCTAssertEqual(jsonArray(["overdue", "--as-of", asOf]).count, 0, "her overdue follow-up is off the queue")
        XCTAssertEqual(jsonArray(["inbox", "--as-of", asOf]).count, 1, "only Bo waits in the inbox")
        let people = (jsonObject(["report"])["people"] as? [String: Any])?["people"] as? Int
        XCTAssertEqual(people, 2, "reports still count her")

        let show = ok(["patient", "show", ann]).stdout
        XCTAssertTrue(show.contains("! Restricted since \(asOf)"), show)
        XCTAssertEqual((jsonObject(["patient", "show", ann])["restricted"] as? [String: Any])?["since"] as? String, asOf)

        let short = String(ann.prefix(8))
        refuses(["session", "add", ann, "--note", "called"], mentioning: "\(short) is restricted since \(asOf): unrestrict it first")
        refuses(["patient", "update", ann, "--phone", "07700 900123"], mentioning: "is restricted since")
        refuses(["patient", "restrict", ann, "--reason", "again"], mentioning: "already restricted")
        XCTAssertEqual(CLI.run(["session", "add", ann, "--note", "called"], dataDir: data).stderr.split(separator: "\n").count, 1, "one line")

        ok(["patient", "unrestrict", ann])
        XCTAssertTrue(ok(["patient", "list"]).stdout.contains("Ann Sandhu"))
        ok(["session", "add", ann, "--note", "called"])
        refuses(["patient", "unrestrict", ann], mentioning: "not restricted")
        XCTAssertEqual(audit([ann]).compactMap { $0["what"] as? String }.filter { $0.contains("restricted") }, ["restricted", "unrestricted"])
    }

    func testViewsSyncThroughAFolderAndASupervisorSeesHerTeamsAWorkerHerOwn() throws {
        let stick = root.appendingPathComponent("stick"), amira = root.appendingPathComponent("amira")
        let grace = root.appendingPathComponent("grace"), ben = root.appendingPathComponent("ben")
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        for (dir, args) in [(amira, ["--worker", "Amira Haddad", "--team", "North"]), (grace, ["--worker", "Grace Obi", "--team", "North", "--supervisor"]),
                            (ben, ["--worker", "Ben Okafor", "--team", "South"])] {
            XCTAssertEqual(CLI.run(["init"] + args, dataDir: dir).status, 0)
        }
        let ann = addPatient("Ann Sandhu", dir: amira)
        XCTAssertEqual(CLI.run(["patient", "show", ann], dataDir: amira).status, 0)
        let chen = addPatient("Mr Chen", dir: ben)
        XCTAssertEqual(CLI.run(["patient", "show", chen], dataDir: ben).status, 0)
        for dir in [amira, ben, grace, amira, ben] { XCTAssertEqual(CLI.run(["sync", "folder", stick.path], dataDir: dir).status, 0) }

        let team = audit(dir: grace)
        XCTAssertTrue(team.contains { $0["what"] as? String == "viewed (patient show)" && $0["worker"] as? String == "amira-haddad" && $0["patientId"] as? String == ann },
                      "the supervisor sees Amira's view after a sync: \(team)")
        XCTAssertFalse(team.contains { $0["patientId"] as? String == chen }, "another team's are not hers")
        XCTAssertFalse(audit(dir: amira).contains { $0["patientId"] as? String == chen }, "a worker sees her own and her people's")
        XCTAssertTrue(audit(dir: ben).contains { $0["patientId"] as? String == chen && $0["view"] as? Bool == true })
    }
}
