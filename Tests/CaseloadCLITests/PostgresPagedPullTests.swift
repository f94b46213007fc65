import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal
import CaseloadSync

/// The server's events come in a page at a time through the same engine as a folder's.
extension PostgresSecurityTests {
    func testAPagedPullCancelledPartWayShowsWhatCameInAndTheNextSyncFinishesIt() throws {
        let (admin, alice, ben, _) = try northTeam()
        defer { admin.close() }
        func referral(_ name: String) -> EventBody {
            .patientReferred(PatientReferred(patientId: UUID(), name: name, referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))
        }
        for i in 0..<20 { try alice.append([referral("Alice's \(i)")]) }
        let asAlice = try cluster.connect(alice.workerId)
        _ = try PostgresSync(store: alice, db: asAlice).run()
        asAlice.close()
        // Ben wrote something newer than all of that before he syncs: the pull is folded afresh.
        ben.now = { Int64(Date().timeIntervalSince1970 * 1000) + 60_000 }
        try ben.append([referral("Ben's newest")])

        let db = try cluster.connect(ben.workerId)
        defer { db.close() }
        let s = PostgresSync(store: ben, db: db)
        s.pullPage = 4
        var pages = 0
        s.progress = { p in if p.phase == .receiving { pages += 1 } }
        s.shouldCancel = { pages == 2 }
        XCTAssertThrowsError(try s.run()) { XCTAssertEqual($0 as? SyncError, .cancelled) }
        let shown = ben.state
        XCTAssertGreaterThan(shown.patients.count, 2, "the pages that came in are shown")
        XCTAssertLessThan(shown.patients.count, 24)
        let dir = ben.dataDirectory
        ben.close()
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        XCTAssertEqual(try CaseloadStore.open(dataDirectory: dir, mode: .readOnly).state, shown, "and they are what the journals hold")

        let again = try CaseloadStore.open(dataDirectory: dir)
        let finish = PostgresSync(store: again, db: db)
        finish.pullPage = 4
        _ = try finish.run()
        XCTAssertEqual(again.state.patients.count, 3 + 20 + 1, "everyone's first patient, alice's twenty and ben's newest, each once")
        let state = again.state
        again.close()
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        XCTAssertEqual(try CaseloadStore.open(dataDirectory: dir, mode: .readOnly).state, state)
    }
}
