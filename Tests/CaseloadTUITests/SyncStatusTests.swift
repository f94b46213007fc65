import CaseloadCore
@testable import CaseloadTUI
import Foundation
import XCTest

final class SyncStatusTests: XCTestCase {
    func testTheTeamViewSaysWhenAWorkerLastSyncedAndMarksOldDataAsStale() {
        var f = Fixture.standard()
        // Ben's device last synced on Sunday 15 November (clock in ms, UTC noon).
        let sunday = Int64(Day("2026-11-15")!.ordinal) * 86_400_000 + 43_200_000
        f.events.append(Event(id: UUID(), device: UUID(), seq: 1, clock: HLC(wallMillis: sunday), author: "ben",
                              body: .deviceSynced(DeviceSynced(target: "folder"))))
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 120, height: 40)
        send(&s, .key(.char("t")))
        let g = view(s)
        XCTAssertEqual(g.rowText(2), "  Ben Ortiz · 2 open · 1 overdue · last synced Sun 15 Nov — may be out of date")
        XCTAssertEqual(g.rowText(4), "  Amira Khan · 4 open · 1 overdue")
        // Two days after that sync it is still fresh.
        s.asOf = Day("2026-11-17")!
        XCTAssertTrue(view(s).rowText(2).hasSuffix("last synced Sun 15 Nov"), view(s).rowText(2))
    }

    func testTheStatusLineShowsTheLastSyncAndWhatIsWaiting() {
        var s = Fixture.app(width: 100, height: 24)
        let events = Fixture.standard().events.count
        let at = Date(timeIntervalSince1970: 1_795_528_920)  // 14:02 UTC on Tuesday 24 November 2026
        s.sync = SyncStatus(device: Fixture.device, lastAt: Int64(at.timeIntervalSince1970 * 1000), pushedSeq: UInt64(events - 3))
        XCTAssertEqual(s.sync?.label(in: s.caseload, now: at, timeZone: TimeZone(identifier: "UTC")!), "last sync 14:02 · 3 waiting")
        XCTAssertEqual(s.sync?.label(in: s.caseload, now: at.addingTimeInterval(86_400), timeZone: TimeZone(identifier: "UTC")!), "last sync Tue 24 Nov · 3 waiting")
        s.sync?.pushedSeq = UInt64(events)
        XCTAssertEqual(s.sync?.label(in: s.caseload, now: at, timeZone: TimeZone(identifier: "UTC")!), "last sync 14:02")
        XCTAssertTrue(view(s).rowText(23).contains("last sync "), view(s).rowText(23))
    }
}
