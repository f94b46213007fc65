import Foundation
import XCTest

/// Two devices, each recording offline, syncing through one folder with the real binary:
/// in either order, several times, with a SIGKILL in the middle of a sync.
final class SyncCLITests: CLITestCase {
    var stick: URL { root.appendingPathComponent("stick") }
    var amira: URL { root.appendingPathComponent("amira") }
    var ben: URL { root.appendingPathComponent("ben") }

    @discardableResult
    func run(_ args: [String], _ dir: URL, environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        let r = CLI.run(args, dataDir: dir, environment: environment)
        XCTAssertEqual(r.status, 0, "caseload \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    func sync(_ dir: URL, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        (run(["sync", "folder", stick.path, "--json"], dir, file: file, line: line).json as? [String: Any]) ?? [:]
    }

    func addPatient(_ dir: URL, _ name: String, due: String) -> (patient: String, followup: String) {
        let o = run(["patient", "add", "--name", name, "--followup", due, "--json"], dir).json as! [String: Any]
        let f = (o["followups"] as! [[String: Any]])[0]
        return (o["id"] as! String, f["id"] as! String)
    }

    /// Everything both devices must agree on.
    func views(_ dir: URL, patient: String) -> [String] {
        [run(["overdue", "--as-of", asOf, "--json"], dir).stdout,
         run(["patient", "show", patient, "--as-of", asOf, "--json"], dir).stdout,
         run(["patient", "list", "--json"], dir).stdout]
    }

    func testTwoDevicesRecordOfflineSyncInEitherOrderSurviveAKillAndAgree() throws {
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        run(["init", "--worker", "Amira Haddad", "--team", "North"], amira)
        run(["init", "--worker", "Ben Okafor", "--team", "North"], ben)

        // Offline, each records their own people.
        let begum = addPatient(amira, "Mrs Begum", due: "2026-11-13")
        _ = addPatient(amira, "Tadeusz Wiśniewski", due: "2026-11-30")
        _ = addPatient(ben, "Mr Chen", due: "2026-11-16")
        XCTAssertEqual(sync(amira)["sent"] as? Int, 6, "registration, two referrals with follow-ups, the sync record")
        let first = sync(ben)
        XCTAssertEqual(first["received"] as? Int, 6)
        XCTAssertEqual(first["devices"] as? Int, 1)
        XCTAssertEqual(sync(amira)["received"] as? Int, 4)

        // Both work on Mrs Begum offline: a note each, and the follow-up done on one device
        // while rescheduled on the other.
        // --keep-followup: the follow-up is then closed on one device and moved on the other.
        run(["session", "add", begum.patient, "--note", "Phoned; going to the lunch club", "--keep-followup"], amira)
        run(["session", "add", begum.patient, "--note", "Met her daughter", "--keep-followup"], ben)
        run(["followup", "done", begum.followup], amira)
        run(["followup", "reschedule", begum.followup, "--due", "2026-11-28", "--reason", "away"], ben)
        // A longer stretch of offline work on ben's device, so his next sync takes several batches.
        for i in 0..<6 { _ = addPatient(ben, "Person \(i)", due: "2026-11-0\(i + 1)") }

        // Ben's sync is killed after the first batch has gone to the stick.
        let killed = CLI.run(["debug-sync", "folder", stick.path, "--batch", "4", "--kill-after", "sending:4"], dataDir: ben, program: CLI.bench)
        XCTAssertNotEqual(killed.status, 0, "the sync was killed")
        // Amira's sync is killed while taking in what ben had sent.
        let killedToo = CLI.run(["debug-sync", "folder", stick.path, "--batch", "2", "--kill-after", "receiving:2"], dataDir: amira, program: CLI.bench)
        XCTAssertNotEqual(killedToo.status, 0)
        // Run again, in the other order, several times.
        for _ in 0..<2 {
            _ = sync(ben)
            _ = sync(amira)
        }
        _ = sync(ben)
        XCTAssertEqual(views(amira, patient: begum.patient), views(ben, patient: begum.patient))
        run(["export", "--format", "json", "--out", root.appendingPathComponent("ea").path], amira)
        run(["export", "--format", "json", "--out", root.appendingPathComponent("eb").path], ben)
        XCTAssertEqual(try Data(contentsOf: root.appendingPathComponent("ea/caseload.json")),
                       try Data(contentsOf: root.appendingPathComponent("eb/caseload.json")))
        // Nothing twice, nothing damaged.
        for dir in [amira, ben] { XCTAssertTrue(run(["verify"], dir).stdout.contains("OK")) }
        XCTAssertEqual((run(["patient", "list", "--json"], amira).json as? [Any])?.count, 9)

        // Both notes and the follow-up conflict are there for a person to see and resolve.
        let shown = run(["patient", "show", begum.patient, "--as-of", asOf, "--json"], amira).json as! [String: Any]
        XCTAssertEqual((shown["sessions"] as? [Any])?.count, 2)
        let followup = (shown["followups"] as! [[String: Any]]).first { $0["id"] as? String == begum.followup }!
        XCTAssertEqual(followup["status"] as? String, "open")
        XCTAssertEqual(followup["due"] as? String, "2026-11-28")
        XCTAssertNotNil(followup["conflict"] as? String)
        run(["followup", "done", begum.followup], ben)
        _ = sync(ben)
        _ = sync(amira)
        let resolved = run(["patient", "show", begum.patient, "--json"], amira).json as! [String: Any]
        let after = (resolved["followups"] as! [[String: Any]]).first { $0["id"] as? String == begum.followup }!
        XCTAssertEqual(after["status"] as? String, "done")
        XCTAssertNil(after["conflict"] as? String)

        // Both amend the same note before the next sync: both versions survive, marked.
        let sessions = shown["sessions"] as! [[String: Any]]
        let note = sessions.first { $0["author"] as? String == "amira-haddad" }!["id"] as! String
        run(["session", "amend", note, "--note", "Phoned; lunch club on Thursdays"], amira)
        run(["session", "amend", note, "--note", "Phoned; daughter will drive her"], ben)
        _ = sync(amira); _ = sync(ben); _ = sync(amira)
        XCTAssertEqual(views(amira, patient: begum.patient), views(ben, patient: begum.patient))
        let amended = (run(["patient", "show", begum.patient, "--json"], ben).json as! [String: Any])["sessions"] as! [[String: Any]]
        let both = amended.first { $0["id"] as? String == note }!
        XCTAssertEqual(both["conflict"] as? Bool, true)
        XCTAssertEqual(both["conflictNote"] as? String, "2 versions written at the same time on different devices")
        XCTAssertEqual((both["versions"] as? [Any])?.count, 3)
        // The readable record shows both versions, not only the one that sorts last.
        let text = run(["patient", "show", begum.patient], ben).stdout
        XCTAssertTrue(text.contains("Phoned; lunch club on Thursdays") && text.contains("Phoned; daughter will drive her"), text)

        // The view `patient show` just recorded on amira's device goes out, with the sync's
        // record of itself; after that, a no-op sync sends and receives nothing.
        XCTAssertEqual(sync(amira)["sent"] as? Int, 2)
        let again = sync(amira)
        XCTAssertEqual(again["sent"] as? Int, 0)
        XCTAssertEqual(again["received"] as? Int, 0)
        XCTAssertEqual(again["waiting"] as? Int, 0)
    }

    func testTheTeamViewMarksAWorkerWhoHasNotSyncedAsStale() throws {
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        run(["init", "--worker", "Amira Haddad", "--team", "North", "--supervisor"], amira)
        run(["init", "--worker", "Ben Okafor", "--team", "North"], ben)
        _ = addPatient(ben, "Mr Chen", due: "2026-11-16")
        _ = sync(ben)
        _ = sync(amira)
        let today = run(["overdue", "--team", "North", "--json"], amira).json as! [String: Any]
        let workers = today["workers"] as! [[String: Any]]
        XCTAssertEqual(workers.map { $0["workerId"] as? String }, ["ben-okafor"], "a supervisor without a caseload is not a row")
        XCTAssertEqual(workers[0]["caseloadSize"] as? Int, 1)
        XCTAssertEqual(workers[0]["overdueCount"] as? Int, 1)
        XCTAssertEqual(workers[0]["stale"] as? Bool, false)
        XCTAssertNotNil(workers[0]["lastSynced"] as? String)
        // A week later nothing new has come from ben: his list may be out of date.
        let later = Calendar(identifier: .gregorian).date(byAdding: .day, value: 7, to: Date())!
        let weekLater = ISO8601DateFormatter.string(from: later, timeZone: TimeZone(identifier: "Europe/London")!, formatOptions: [.withFullDate])
        let stale = run(["overdue", "--team", "North", "--as-of", weekLater, "--json"], amira).json as! [String: Any]
        let row = (stale["workers"] as! [[String: Any]])[0]
        XCTAssertEqual(row["stale"] as? Bool, true)
        XCTAssertTrue((row["syncNote"] as? String ?? "").contains("may be out of date"))
        let text = run(["overdue", "--team", "North", "--as-of", weekLater], amira).stdout
        XCTAssertTrue(text.contains("Ben Okafor · 1 open · 1 overdue · last synced"), text)
        XCTAssertTrue(text.contains("may be out of date"), text)
    }

    func testAMissingFolderIsAClearErrorAndAFutureFileIsSkipped() throws {
        let device = (run(["init", "--worker", "Amira Haddad", "--team", "North", "--json"], amira).json as! [String: Any])["device"] as! String
        let missing = CLI.run(["sync", "folder", root.appendingPathComponent("no-stick").path], dataDir: amira)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("does not exist"), missing.stderr)
        XCTAssertFalse(missing.stderr.contains("Fatal error"))
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        try Data("CSLDJRNL-not-really".utf8).write(to: stick.appendingPathComponent("\(UUID().uuidString.lowercased()).journal"))
        let r = CLI.run(["sync", "folder", stick.path], dataDir: amira)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("skipped"), r.stderr)
        XCTAssertTrue(r.stdout.contains("sent 2 events, received none"), r.stdout)
        // Our own file in the folder cannot be written: a warning, and a failing exit code.
        let own = "\(device).journal"
        try FileManager.default.removeItem(at: stick.appendingPathComponent(own))
        try FileManager.default.createDirectory(at: stick.appendingPathComponent(own), withIntermediateDirectories: false)
        let blocked = CLI.run(["sync", "folder", stick.path], dataDir: amira)
        XCTAssertNotEqual(blocked.status, 0)
        XCTAssertTrue(blocked.stderr.contains("could not send"), blocked.stderr)
        XCTAssertFalse(blocked.stderr.contains("Fatal error"))
    }
}
