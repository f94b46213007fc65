import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal
import CaseloadSync

/// Row-level security, tried the way a curious or careless worker would: hand-written SQL as
/// their own database role, not through caseload.
final class PostgresSecurityTests: XCTestCase {
    var cluster: PostgresCluster!
    var root: URL!

    override func setUpWithError() throws {
        cluster = try PostgresCluster.start()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pgsec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        cluster?.stop()
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    /// A worker's device with a referral on it, synced to the server as that worker.
    func syncedDevice(_ name: String, team: String) throws -> CaseloadStore {
        let store = try DataDirectory.initialize(at: root.appendingPathComponent(name), workerName: name, team: team)
        try store.append([.patientReferred(PatientReferred(patientId: UUID(), name: "Patient of \(name)",
                                                           referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))])
        let db = try cluster.connect(store.workerId)
        defer { db.close() }
        _ = try PostgresSync(store: store, db: db).run()
        return store
    }

    func count(_ db: PostgresConnection, _ sql: String, _ params: [String?] = []) throws -> Int {
        Int(try db.query(sql, params).string(0, 0) ?? "-1") ?? -1
    }

    /// Asserts a statement is refused with one of the given SQLSTATEs.
    func refused(_ db: PostgresConnection, _ sql: String, _ params: [String?] = [], states: Set<String> = ["42501"],
                 why: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            try db.query(sql, params)
            XCTFail("allowed: \(why)", file: file, line: line)
        } catch PostgresError.query(let state, _) {
            XCTAssertTrue(state.map(states.contains) ?? false, "\(why): refused with \(state ?? "nil"), expected one of \(states)", file: file, line: line)
        } catch {
            XCTFail("\(why): \(error)", file: file, line: line)
        }
    }

    /// An event row as hand-written SQL would insert it: columns plus the payload bytes.
    func insertSQL() -> String {
        """
        INSERT INTO caseload.events (device, seq, id, clock_ms, clock_counter, author, team, type, payload)
        VALUES ($1::uuid, $2::bigint, $3::uuid, $4::bigint, $5::int, $6, $7, $8, convert_to($9, 'UTF8'))
        """
    }

    func row(_ e: Event, team: String, author: String? = nil) throws -> [String?] {
        [e.device.uuidString, "\(e.seq)", e.id.uuidString, "\(e.clock.wallMillis)", "\(e.clock.counter)",
         author ?? e.author, team, e.body.type, String(decoding: try e.encoded(), as: UTF8.self)]
    }

    func testWorkersSeeOnlyTheirTeamAndInsertOnlyTheirOwnEvents() throws {
        let admin = try cluster.admin()
        try ServerSchema.migrate(admin)
        for (name, team, supervisor) in [("Alice Xu", "X", false), ("Sam Xavier", "X", true), ("Bob Yates", "Y", false)] {
            let password = "pw-\(UUID().uuidString)"
            try ServerWorkers.add(admin, name: name, team: team, supervisor: supervisor, password: password)
            cluster.addPassword(role: DataDirectory.workerSlug(name), password: password)
        }
        let alice = try syncedDevice("Alice Xu", team: "X")
        let sam = try syncedDevice("Sam Xavier", team: "X")
        let bob = try syncedDevice("Bob Yates", team: "Y")
        let teamX = try count(admin, "SELECT count(*) FROM caseload.events WHERE team = 'X'")
        let teamY = try count(admin, "SELECT count(*) FROM caseload.events WHERE team = 'Y'")
        XCTAssertEqual(teamX, Int(alice.lastSeq + sam.lastSeq))
        XCTAssertEqual(teamY, Int(bob.lastSeq))

        let a = try cluster.connect("alice-xu")
        // Reading: her team's rows, however the query is written; never team Y's.
        XCTAssertEqual(try count(a, "SELECT count(*) FROM caseload.events"), teamX)
        XCTAssertEqual(try count(a, "SELECT count(*) FROM caseload.events WHERE team = 'Y'"), 0)
        XCTAssertEqual(try count(a, "SELECT count(*) FROM caseload.events WHERE author = 'bob-yates' OR device = $1::uuid", [bob.device.uuidString]), 0)
        XCTAssertEqual(try count(a, "SELECT count(*) FROM caseload.devices WHERE team = 'Y'"), 0)
        XCTAssertEqual(try count(a, "SELECT count(*) FROM caseload.workers"), 1, "only her own row")
        XCTAssertEqual(try count(a, "SELECT count(*) FROM caseload.events WHERE convert_from(payload, 'UTF8') LIKE '%Bob Yates%'"), 0)

        // Writing: nothing for team Y, nothing in someone else's name, nothing from someone else's device.
        let next = Event(id: UUID(), device: alice.device, seq: alice.lastSeq + 1, clock: HLC(wallMillis: 1_800_000_000_000),
                         author: alice.workerId, body: .serviceAdded(ServiceAdded(serviceId: UUID(), name: "Walking group")))
        refused(a, insertSQL(), try row(next, team: "Y"), why: "an event filed under team Y")
        let asBob = Event(id: UUID(), device: alice.device, seq: alice.lastSeq + 1, clock: next.clock, author: "bob-yates", body: next.body)
        refused(a, insertSQL(), try row(asBob, team: "X"), why: "an event authored by Bob")
        refused(a, insertSQL(), try row(asBob, team: "X", author: "alice-xu"), states: ["23514"], why: "Bob's event under her name in the author column only")
        let onSamsDevice = Event(id: UUID(), device: sam.device, seq: sam.lastSeq + 1, clock: next.clock, author: alice.workerId, body: next.body)
        refused(a, insertSQL(), try row(onSamsDevice, team: "X"), why: "her event on Sam's device")
        refused(a, "INSERT INTO caseload.devices (device, worker_id, team) VALUES ($1::uuid, 'bob-yates', 'Y')", [UUID().uuidString], why: "a device for Bob")
        refused(a, "INSERT INTO caseload.workers (role, worker_id, team) VALUES ('mallory', 'mallory', 'X')", why: "a new worker")
        refused(a, "UPDATE caseload.events SET team = 'X'", why: "changing rows")
        refused(a, "DELETE FROM caseload.events", why: "deleting rows")
        refused(a, "UPDATE caseload.workers SET team = 'Y'", why: "moving herself to team Y")
        refused(a, "SET ROLE \"bob-yates\"", why: "becoming Bob")
        // Her own next event, written properly, is accepted: the refusals above were about whose rows.
        XCTAssertNoThrow(try a.query(insertSQL(), try row(next, team: "X")))
        a.close()

        // The supervisor of X sees all of X and none of Y.
        let s = try cluster.connect("sam-xavier")
        XCTAssertEqual(try count(s, "SELECT count(*) FROM caseload.events"), teamX + 1)
        XCTAssertEqual(try count(s, "SELECT count(DISTINCT author) FROM caseload.events"), 2)
        XCTAssertEqual(try count(s, "SELECT count(*) FROM caseload.events WHERE team <> 'X'"), 0)
        refused(s, "DELETE FROM caseload.events WHERE author = 'alice-xu'", why: "a supervisor deleting a worker's rows")
        s.close()

        // Bob, in team Y, sees only his own team's rows.
        let b = try cluster.connect("bob-yates")
        XCTAssertEqual(try count(b, "SELECT count(*) FROM caseload.events"), teamY)
        b.close()
        admin.close()
    }
}
