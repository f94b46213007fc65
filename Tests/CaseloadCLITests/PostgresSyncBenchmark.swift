import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal
import CaseloadSync

/// `CASELOAD_BENCH=1 swift test -c release --filter PostgresSyncBenchmark`: pushes 100,000
/// events to a PostgreSQL server (a throwaway local cluster with fsync on, over its Unix socket),
/// pulls them into an empty device, then re-syncs with nothing new.
/// Goals: under 5 s, under 5 s, under 100 ms.
final class PostgresSyncBenchmark: XCTestCase {
    func testPushPullAndNoOpOf100kEvents() throws {
        guard ProcessInfo.processInfo.environment["CASELOAD_BENCH"] == "1" else {
            throw XCTSkip("set CASELOAD_BENCH=1 to run the PostgreSQL sync benchmark")
        }
        let cluster = try PostgresCluster.start(fsync: true)
        defer { cluster.stop() }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pgb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }

        let admin = try cluster.admin()
        try ServerSchema.migrate(admin)
        for name in ["Amira Haddad", "Ben Okafor"] {
            let password = "pw-\(UUID().uuidString)"
            try ServerWorkers.add(admin, name: name, team: "North", supervisor: false, password: password)
            cluster.addPassword(role: DataDirectory.workerSlug(name), password: password)
        }
        // A realistic mix of events (referrals, notes, measures…), all written by Amira: the
        // server accepts only a worker's own events from their device.
        let a = try DataDirectory.initialize(at: root.appendingPathComponent("a"), workerName: "Amira Haddad", team: "North")
        let items = DemoCaseload.generate(patients: 3_200, seed: 1, asOf: Day("2026-11-23")!)
        var pending = items.prefix(100_000 - 1).map { PendingEvent($0.body, id: $0.id, clock: $0.clock, author: a.workerId) }
        while !pending.isEmpty {
            try a.append(Array(pending.prefix(20_000)))
            pending.removeFirst(min(20_000, pending.count))
        }
        let b = try DataDirectory.initialize(at: root.appendingPathComponent("b"), workerName: "Ben Okafor", team: "North")

        func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        func time(_ label: String, _ store: CaseloadStore) throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            let db = try cluster.connect(store.workerId)
            defer { db.close() }
            let connected = seconds(since: start)
            let report = try PostgresSync(store: store, db: db).run()
            let total = seconds(since: start)
            print(String(format: "postgres sync benchmark: %@: %.3f s, of which connecting %.3f s (%@)", label, total, connected, report.summary))
            return total
        }
        // How much of a push is reading our own journal (the rest is the server).
        let reading = DispatchTime.now().uptimeNanoseconds
        let own = try a.payloads(of: a.device, after: 0)
        print(String(format: "postgres sync benchmark: reading the %d payloads to send from the journal: %.3f s", own.count, seconds(since: reading)))
        let push = try time("push \(a.lastSeq) events to an empty server", a)
        let pull = try time("pull them into an empty device", b)
        _ = try time("sending device takes in the 2 events of the other", a)
        let noOpB = try time("no-op re-sync, receiving device", b)
        let noOpA = try time("no-op re-sync, sending device", a)
        XCTAssertEqual(b.state.eventCount, 100_003, "a's 100,000 and its sync record, b's registration and sync record")
        XCTAssertEqual(b.state.patients, a.state.patients)
        XCTAssertEqual(b.state.followups, a.state.followups)
        let rows = try admin.query("SELECT count(*), pg_size_pretty(pg_total_relation_size('caseload.events')) FROM caseload.events")
        print("postgres sync benchmark: server holds \(rows.string(0, 0) ?? "?") events in \(rows.string(0, 1) ?? "?")")
        admin.close()

        // The command as a user runs it (which also opens the 100,000-event caseload first).
        a.close()
        let start = DispatchTime.now().uptimeNanoseconds
        let r = CLI.run(["sync", "postgres", "--json"], dataDir: a.dataDirectory)
        let cli = seconds(since: start)
        XCTAssertEqual(r.status, 0, r.stderr)
        print(String(format: "postgres sync benchmark: `caseload sync postgres` with nothing new: %.3f s wall (%@)", cli,
                     ((r.json as? [String: Any])?["seconds"] as? Double).map { String(format: "%.3f s inside", $0) } ?? "?"))
        print(String(format: "postgres sync benchmark: goals push < 5 s (%.2f), pull < 5 s (%.2f), no-op < 0.1 s (%.3f, %.3f)", push, pull, noOpB, noOpA))
    }
}
