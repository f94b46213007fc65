import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal
import CaseloadSync

/// The team server tried as an unlucky user and a hostile colleague would: a frozen server,
/// forged authors, registrations for someone else, poisoned clocks.
extension PostgresSyncTests {
    func testAFrozenServerMakesSyncFailWithinItsTimeoutAndChangesNothing() throws {
        setUpServer([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        ok(["patient", "add", "--name", "Zoë"], a)
        sync(a, role: "amira-haddad")
        ok(["patient", "add", "--name", "Mr Chen"], a)
        let before = journalBytes(a)

        // Frozen before we connect: the connection itself gives up.
        cluster.freeze()
        defer { cluster.thaw() }
        var start = Date()
        let r = CLI.run(["sync", "postgres", "--timeout", "2"], dataDir: a)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "gave up within its timeout, not for ever")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("timeout"), r.stderr)
        XCTAssertEqual(journalBytes(a), before, "nothing local changed")

        // Frozen once connected, mid-sync: the first statement that gets no answer gives up.
        cluster.thaw()
        let store = try CaseloadStore.open(dataDirectory: a)
        let db = try PostgresConnection(try ServerAddress(url: cluster.url("amira-haddad")), timeout: 2)
        cluster.freeze()
        start = Date()
        XCTAssertThrowsError(try PostgresSync(store: store, db: db).run()) { error in
            XCTAssertEqual(error as? PostgresError, .timedOut(seconds: 2))
            XCTAssertTrue("\(error)".contains("did not answer for 2 s"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        store.close()
        XCTAssertEqual(journalBytes(a), before, "nothing local changed")

        // Once the server is back, the same device syncs as before.
        cluster.thaw()
        XCTAssertGreaterThan(sync(a)["sent"] as? Int ?? 0, 0, "what waited goes out")
    }

    /// The app asks while it waits (reading keys): Esc gives up a statement the frozen server
    /// never answers, long before the timeout, and nothing local changes.
    func testWaitingOnAFrozenServerCanBeCancelled() throws {
        setUpServer([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        ok(["patient", "add", "--name", "Zoë"], a)
        sync(a, role: "amira-haddad")
        ok(["patient", "add", "--name", "Mr Chen"], a)
        let before = journalBytes(a)
        let store = try CaseloadStore.open(dataDirectory: a)
        let db = try PostgresConnection(try ServerAddress(url: cluster.url("amira-haddad")), timeout: 30)
        var asked = 0
        db.whileWaiting = { asked += 1; return asked >= 5 }
        cluster.freeze()
        defer { cluster.thaw() }
        let start = Date()
        XCTAssertThrowsError(try PostgresSync(store: store, db: db).run()) { error in
            XCTAssertEqual(error as? SyncError, .cancelled)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "cancelled while waiting, not after the 30 s timeout")
        XCTAssertEqual(asked, 5)
        store.close()
        XCTAssertEqual(journalBytes(a), before, "nothing local changed")
        cluster.thaw()
        XCTAssertGreaterThan(sync(a)["sent"] as? Int ?? 0, 0, "the next sync sends what waited")
    }

    func testAnImportedCaseloadReachesTheServerWholeAndKeepsWhoWroteEachSession() throws {
        setUpServer([("Amira Haddad", "North", false), ("Nina Patel", "North", true)])
        // A caseload written by several workers, exported, brought in by Amira.
        let source = dir("source")
        ok(["demo", "--patients", "40", "--as-of", asOf], source)
        let export = dir("export")
        ok(["export", "--format", "csv", "--out", export.path, "--as-of", asOf], source)
        let a = device("a", worker: "Amira Haddad")
        ok(["import", "caseload", export.path, "--as-of", asOf], a)
        let report = sync(a, role: "amira-haddad")
        let written = try CaseloadStore.open(dataDirectory: a, mode: .readOnly).lastSeq
        XCTAssertEqual(report["sent"] as? Int, Int(written), "every imported event reached the server")
        XCTAssertEqual(report["waiting"] as? Int, 0)

        // Her supervisor's fresh device sees the whole caseload, with each session's first author.
        let n = device("n", worker: "Nina Patel")
        sync(n, role: "nina-patel")
        let people = { (d: URL) in (self.ok(["patient", "list", "--json"], d).json as? [[String: Any]])?.count ?? -1 }
        XCTAssertEqual(people(n), 40)
        XCTAssertEqual(people(a), 40)
        sync(a) // and Amira takes in Nina's registration
        assertSameLines(view(a), view(n), "the supervisor sees what Amira imported")
        let sessions = { (d: URL) in
            (try? String(contentsOf: d.appendingPathComponent("sessions.csv"), encoding: .utf8))?.split(separator: "\n").map(String.init).sorted() ?? []
        }
        let again = dir("export-n")
        ok(["export", "--format", "csv", "--out", again.path, "--as-of", asOf], n)
        XCTAssertEqual(sessions(again), sessions(export), "sessions keep the author who wrote them")
        XCTAssertGreaterThan(sessions(export).count, 10)
    }

    func testTheServerIsRememberedFromAKilledFirstSync() throws {
        setUpServer([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        ok(["debug-append", "--count", "900"], a, program: CLI.bench)
        killedSync(a, role: "amira-haddad", batch: 300, killAfter: "sending:300")
        let again = sync(a) // no --url
        XCTAssertGreaterThan(again["sent"] as? Int ?? 0, 0)
    }
}

extension PostgresSecurityTests {
    /// Team North: Alice and Ben (workers), Sam (supervisor); each has synced once.
    func northTeam() throws -> (admin: PostgresConnection, alice: CaseloadStore, ben: CaseloadStore, sam: CaseloadStore) {
        let admin = try cluster.admin()
        try ServerSchema.migrate(admin)
        for (name, supervisor) in [("Alice Xu", false), ("Ben Okafor", false), ("Sam Xavier", true)] {
            let password = "pw-\(UUID().uuidString)"
            try ServerWorkers.add(admin, name: name, team: "North", supervisor: supervisor, password: password)
            cluster.addPassword(role: DataDirectory.workerSlug(name), password: password)
        }
        return (admin, try syncedDevice("Alice Xu", team: "North"), try syncedDevice("Ben Okafor", team: "North"),
                try syncedDevice("Sam Xavier", team: "North"))
    }

    func next(_ store: CaseloadStore, offset: UInt64 = 1, clock: HLC = HLC(wallMillis: 1_800_000_000_000), _ body: EventBody) -> Event {
        Event(id: UUID(), device: store.device, seq: store.lastSeq + offset, clock: clock, author: store.workerId, body: body)
    }

    /// An event's bytes with `"author"` given a second time, just before the closing brace:
    /// jsonb keeps the last, Caseload's reader the first.
    func withSecondAuthor(_ e: Event, _ second: String) throws -> String {
        var text = String(decoding: try e.encoded(), as: UTF8.self)
        text.removeLast()
        return text + ",\"author\":\"\(second)\"}"
    }

    func testTheServerRefusesAForgedAuthorARegistrationOfAColleagueAndAPoisonedCounter() throws {
        let (admin, alice, ben, _) = try northTeam()
        defer { admin.close() }
        let a = try cluster.connect(alice.workerId)
        defer { a.close() }

        // Ben's name first in the bytes, hers last (what jsonb and the author column see).
        let body = EventBody.serviceAdded(ServiceAdded(serviceId: UUID(), name: "Walking group"))
        let asBen = Event(id: UUID(), device: alice.device, seq: alice.lastSeq + 1, clock: HLC(wallMillis: 1_800_000_000_000),
                          author: "ben-okafor", body: body)
        var forged = try row(asBen, team: "North", author: alice.workerId)
        forged[8] = try withSecondAuthor(asBen, alice.workerId)
        refused(a, insertSQL(), forged, states: ["23514"], why: "a payload naming Ben first and her last")

        // A registration moving Ben to team South, written by Alice: refused. Her own is not.
        let moveBen = next(alice, .workerRegistered(WorkerRegistered(workerId: "ben-okafor", name: "Ben Okafor", team: "South")))
        refused(a, insertSQL(), try row(moveBen, team: "North"), why: "Alice registering Ben")
        // The same with her id second in the body, where the server would read it and devices not.
        var twice = try row(moveBen, team: "North")
        twice[8] = twice[8]!.replacingOccurrences(of: "\"workerId\":\"ben-okafor\"", with: "\"workerId\":\"ben-okafor\",\"workerId\":\"\(alice.workerId)\"")
        XCTAssertTrue(twice[8]!.contains("\"workerId\":\"\(alice.workerId)\""), twice[8]!)
        refused(a, insertSQL(), twice, states: ["23514"], why: "Ben's id first in the body, hers second")
        let poisoned = next(alice, clock: HLC(wallMillis: 1_800_000_000_000, counter: 2_147_483_647), body)
        refused(a, insertSQL(), try row(poisoned, team: "North"), states: ["23514"], why: "a clock counter of 2^31-1")
        let promoteBen = next(alice, .workerRegistered(WorkerRegistered(workerId: "ben-okafor", name: "Ben Okafor", team: "North", role: "supervisor")))
        refused(a, insertSQL(), try row(promoteBen, team: "North"), why: "Alice making Ben a supervisor")
        // Naming him as he is (an imported list of colleagues does) changes nothing, and is taken.
        let nameBen = next(alice, .workerRegistered(WorkerRegistered(workerId: "ben-okafor", name: "Ben Okafor", team: "North")))
        XCTAssertNoThrow(try a.query(insertSQL(), try row(nameBen, team: "North")), "naming a colleague in his own team")
        let herself = next(alice, offset: 2, .workerRegistered(WorkerRegistered(workerId: alice.workerId, name: "Alice Xu", team: "North")))
        XCTAssertNoThrow(try a.query(insertSQL(), try row(herself, team: "North")), "her own registration")

        // What a device could not send is reported only for one's own device.
        refused(a, "INSERT INTO caseload.unsent (device, worker_id, team, events) VALUES ($1::uuid, 'ben-okafor', 'North', 5)",
                [ben.device.uuidString], why: "a report for Ben's device")
        refused(a, "INSERT INTO caseload.unsent (device, worker_id, team, events) VALUES ($1::uuid, $2, 'South', 5)",
                [alice.device.uuidString, alice.workerId], why: "a report filed under another team")
        XCTAssertNoThrow(try a.query("INSERT INTO caseload.unsent (device, worker_id, team, events) VALUES ($1::uuid, $2, 'North', 0)",
                                     [alice.device.uuidString, alice.workerId]))

        // Her supervisor may change Ben.
        let sam = try cluster.connect("sam-xavier")
        defer { sam.close() }
        let samDevice = try CaseloadStore.open(dataDirectory: root.appendingPathComponent("Sam Xavier"))
        let bySam = next(samDevice, .workerRegistered(WorkerRegistered(workerId: "ben-okafor", name: "Ben Okafor", team: "North", role: nil)))
        XCTAssertNoThrow(try sam.query(insertSQL(), try row(bySam, team: "North")), "a supervisor changes a worker")
        samDevice.close()
        _ = ben
    }

    func testDevicesSkipPoisonedAndForgedRowsAServerHeldFromBeforeAndStillSync() throws {
        let (admin, alice, ben, _) = try northTeam()
        defer { admin.close() }
        // Rows from before the server refused them (schema version 1): the admin lifts the checks
        // for a moment, as the old server did not have them.
        try admin.query("ALTER TABLE caseload.events DROP CONSTRAINT clock_counter_bounded")
        try admin.query("CREATE OR REPLACE FUNCTION caseload.payload_matches(payload bytea, device uuid, seq bigint, id uuid, clock_ms bigint, clock_counter int, author text, type text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$")
        let a = try cluster.connect(alice.workerId)
        let body = EventBody.serviceAdded(ServiceAdded(serviceId: UUID(), name: "Walking group"))
        let fine = next(alice, body)
        let poisoned = next(alice, offset: 2, clock: HLC(wallMillis: 1_800_000_000_000, counter: 2_147_483_647), body)
        try a.query(insertSQL(), try row(fine, team: "North"))
        try a.query(insertSQL(), try row(poisoned, team: "North"))
        a.close()

        // Ben pulls: Alice's good event comes in, the poisoned one does not, with a warning;
        // his clock stays sane and his own next events still reach the server.
        let db = try cluster.connect(ben.workerId)
        defer { db.close() }
        let report = try PostgresSync(store: ben, db: db).run()
        XCTAssertTrue(report.problems.contains { $0.contains("clock counter 2147483647") }, "\(report.problems)")
        XCTAssertLessThanOrEqual(ben.state.latestClock.counter, ClockBounds.maxAdoptedCounter)
        XCTAssertEqual(try ben.heldSeqs()[alice.device], fine.seq)
        try ben.append([.serviceAdded(ServiceAdded(serviceId: UUID(), name: "Choir"))])
        let again = try PostgresSync(store: ben, db: db).run()
        XCTAssertGreaterThan(again.sent, 0, "Ben can still push")

        // A worker set up later syncs for the first time.
        let password = "pw-\(UUID().uuidString)"
        try ServerWorkers.add(admin, name: "Dee Late", team: "North", supervisor: false, password: password)
        cluster.addPassword(role: "dee-late", password: password)
        XCTAssertNoThrow(try syncedDevice("Dee Late", team: "North"), "a new worker's first sync")
    }

    func testADeviceSkipsARowWhoseBytesNameAnotherAuthorThanTheServerRecorded() throws {
        let (admin, alice, _, sam) = try northTeam()
        defer { admin.close() }
        try admin.query("CREATE OR REPLACE FUNCTION caseload.payload_matches(payload bytea, device uuid, seq bigint, id uuid, clock_ms bigint, clock_counter int, author text, type text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$")
        let a = try cluster.connect(alice.workerId)
        let service = UUID()
        let asBen = Event(id: UUID(), device: alice.device, seq: alice.lastSeq + 1, clock: HLC(wallMillis: 1_800_000_000_000),
                          author: "ben-okafor", body: .serviceAdded(ServiceAdded(serviceId: service, name: "Walking group")))
        var forged = try row(asBen, team: "North", author: alice.workerId)
        forged[8] = try withSecondAuthor(asBen, alice.workerId)
        try a.query(insertSQL(), forged)
        a.close()
        let db = try cluster.connect(sam.workerId)
        defer { db.close() }
        let report = try PostgresSync(store: sam, db: db).run()
        // Refused by the decoder (a key twice) or, past it, by the server's author column.
        XCTAssertTrue(report.problems.contains { $0.contains("another author") || $0.contains("appears twice") }, "\(report.problems)")
        XCTAssertNil(sam.state.services[service], "the forged event is not folded")
        XCTAssertNotEqual(sam.state.workerActivity["ben-okafor"]?.lastEvent, asBen.clock, "nor shown as Ben's work")
    }
}

extension PostgresSyncTests {
    func testEventsTheServerWillNotTakeAreCountedAndShownOnThePushingDevice() throws {
        setUpServer([("Amira Haddad", "North", false)])
        let demo = dir("demo")
        ok(["demo", "--patients", "3"], demo)
        let r = CLI.run(["sync", "postgres", "--json", "--url", cluster.url("amira-haddad")], dataDir: demo)
        let total = try CaseloadStore.open(dataDirectory: demo, mode: .readOnly).lastSeq
        XCTAssertEqual(r.status, 1, r.stderr)
        let json = r.json as? [String: Any] ?? [:]
        let sent = json["sent"] as? Int ?? -1
        let waiting = json["waiting"] as? Int ?? -1
        XCTAssertEqual(sent + waiting, Int(total), "every event is either on the server or counted as waiting: \(json)")
        XCTAssertGreaterThan(waiting, 0)
        XCTAssertTrue(r.stderr.contains("\(waiting) of this device's events were not sent"), r.stderr)
        let admin = try cluster.admin()
        defer { admin.close() }
        XCTAssertEqual(try admin.query("SELECT count(*) FROM caseload.events").string(0, 0), "\(sent)", "what the device says went out did")
        // The text output says it too, and exits non-zero.
        let text = CLI.run(["sync", "postgres"], dataDir: demo)
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stderr.contains("of this device's events are not on the server"), text.stderr)
        XCTAssertEqual(text.stderr.split(separator: "\n").count, 2, "the warning and one line of error: \(text.stderr)")

        // Her supervisor's team view says so, on his own device.
        setUpServerWorkersOnly([("Nina Patel", "North", true)])
        let n = device("n", worker: "Nina Patel")
        sync(n, role: "nina-patel")
        let team = ok(["overdue", "--team", "North", "--as-of", asOf], n).stdout
        let stuck = try CaseloadStore.open(dataDirectory: demo, mode: .readOnly).lastSeq - UInt64(sent)
        XCTAssertTrue(team.contains("\(stuck) events the server refused"), team)
        let rows = (ok(["overdue", "--team", "North", "--json", "--as-of", asOf], n).json as? [String: Any])?["workers"] as? [[String: Any]] ?? []
        XCTAssertEqual(rows.first { $0["workerId"] as? String == "amira-haddad" }?["notOnServer"] as? Int, Int(stuck))
    }
}
