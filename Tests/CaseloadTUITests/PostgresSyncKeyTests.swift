import CaseloadCore
@testable import CaseloadTUI
import Foundation
import XCTest

/// `Y` in the app syncs again with wherever the last sync went: the team's PostgreSQL server too.
final class PostgresSyncKeyTests: XCTestCase {
    func testYSyncsWithTheTeamServerWhenThatWasTheLastSync() {
        var s = Fixture.app(width: 100, height: 24)
        var last = SyncStatus(device: Fixture.device, lastAt: 1_795_528_920_000, pushedSeq: 0)
        last.viaPostgres = true
        s.sync = last
        XCTAssertEqual(send(&s, .key(.char("Y"))), [.syncPostgres])
        XCTAssertEqual(s.status?.text, "Syncing with the team server…")
        _ = update(&s, .syncFailed(message: "cannot connect to the PostgreSQL server: connection refused"))
        XCTAssertEqual(s.status?.kind, .error)
        XCTAssertTrue(s.status?.text.contains("cannot connect") ?? false)
        // A folder sync since then: Y goes back to the folder.
        s.sync = SyncStatus(device: Fixture.device, lastAt: 1_795_528_920_000, pushedSeq: 0, folder: "/media/stick/caseload")
        XCTAssertEqual(send(&s, .key(.char("Y"))), [.syncFolder(path: "/media/stick/caseload")])
    }

    func testYSyncsWithARememberedServerWhoseFirstSyncWasCutOff() {
        var s = Fixture.app(width: 100, height: 24)
        XCTAssertEqual(send(&s, .key(.char("Y"))), [], "nothing to sync with yet")
        s.serverRemembered = true
        XCTAssertEqual(send(&s, .key(.char("Y"))), [.syncPostgres])
    }
}
