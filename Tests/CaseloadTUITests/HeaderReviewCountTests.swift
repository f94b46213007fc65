import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The header counts her people flagged for review beside her other counts, when it fits.
final class HeaderReviewCountTests: XCTestCase {
    func missed(_ fx: inout Fixture, _ patient: UUID, times: Int) {
        for i in 0..<times {
            fx.add(.sessionRecorded(SessionRecorded(sessionId: Fixture.id(900 + fx.events.count), patientId: patient, date: Day("2026-11-2\(i)")!, kind: .phone,
                                                    minutes: nil, note: "", outcome: .noAnswer)))
        }
    }

    func testThreeMissedInARowAreCountedInHerHeader() {
        var fx = Fixture.standard()
        missed(&fx, Fixture.chen, times: 2)
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        XCTAssertEqual(s.headerCounts.review, 0, "two missed are not yet a run to review")
        XCTAssertFalse(view(s).rowText(0).contains("review"))
        missed(&fx, Fixture.chen, times: 1)
        s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        XCTAssertTrue(view(s).rowText(0).hasSuffix("yours: 4 · 1 overdue · 1 due today · 3 new · 1 review"), view(s).rowText(0))
        // The threshold is hers to set: at 4 it is not yet flagged.
        s.reviewAfterMissed = 4
        XCTAssertFalse(view(s).rowText(0).contains("review"))
    }

    func testAColleaguesFlaggedPersonIsNotHersAndANarrowHeaderLeavesItOut() {
        var fx = Fixture.standard()
        missed(&fx, Fixture.begum, times: 3)
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        XCTAssertEqual(s.headerCounts.review, 0, "Rahima Begum is Ben's")
        missed(&fx, Fixture.chen, times: 3)
        s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 70, height: 24)
        XCTAssertEqual(s.headerCounts.review, 1)
        let header = view(s).rowText(0)
        XCTAssertTrue(header.hasPrefix(" Caseload · Amira Khan ") && header.hasSuffix("yours: 4 · 1 overdue · 1 due today · 3 new"),
                      "no room: her name stays whole: \(header)")
    }
}
