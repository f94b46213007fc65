import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// What a link worker acts on (name, worker, what is due, the phone) is never cut at 80x24;
/// wider terminals give their room to the text columns; hints are reworded, not cut.
final class LayoutByPriorityTests: XCTestCase {
    static let longReasons: [ReferralReason] = [.loneliness, .moneyDebt, .housing, .mentalWellbeing, .bereavement]

    func longCaseload() -> Fixture {
        var f = Fixture.standard()
        f.add(.workerRegistered(WorkerRegistered(workerId: "tomasz", name: "Tomasz Nowakowski-Wiśniewski", team: "North")))
        f.add(.patientReferred(PatientReferred(
            patientId: Fixture.id(9), name: "Aaliyah Ó Súilleabháin-Wiśniewska", dateOfBirth: Day("1948-03-12"),
            nhsNumber: NHSNumber("401 023 2137"), phone: "07700 900777", worker: "tomasz",
            referral: Referral(date: Day("2026-11-02")!, source: .hospital, referrer: "Nurse Hughes-Ogundipe", reasons: Self.longReasons))))
        for kind in ConsentKind.allCases {
            f.add(.consentRecorded(ConsentRecorded(patientId: Fixture.id(9), kind: kind, given: true, date: Day("2026-11-02")!)))
        }
        f.add(.followupScheduled(FollowupScheduled(followupId: Fixture.id(610), patientId: Fixture.id(9), due: Day("2026-11-20")!,
                                                   reason: "ring about the Riverside Thursday walking group", worker: "tomasz")))
        return f
    }

    func app(width: Int, height: Int = 24) -> AppState {
        AppState(caseload: longCaseload().state, workerId: "amira", asOf: Fixture.asOf, width: width, height: height)
    }

    func testPatientHeaderAt80x24KeepsWorkerReasonsAndPhone() {
        var s = app(width: 80)
        send(&s, .key(.enter))
        let g = view(s)
        XCTAssertTrue(g.rowText(1).hasPrefix(" Aaliyah Ó Súilleabháin-Wiśniewska  "), g.text)
        XCTAssertTrue(g.rowText(1).contains("referred · worker Tomasz N."), g.rowText(1))
        for reason in Self.longReasons {
            XCTAssertTrue(g.rowText(2).contains(reason.label), "\(reason.label) cut: \(g.rowText(2))")
        }
        XCTAssertTrue(g.rowText(3).contains("tel 07700 900777"), g.rowText(3))
        XCTAssertFalse((1...3).contains { g.rowText($0).contains("…") }, g.text)
    }

    func testPatientHeaderAt60ColumnsKeepsThePhone() {
        var s = app(width: 60)
        send(&s, .key(.enter))
        let g = view(s)
        XCTAssertTrue(g.rowText(1).contains("worker Tomasz N."), g.rowText(1))
        XCTAssertTrue(g.rowText(3).contains("tel 07700 900777"), g.rowText(3))
    }

    func testQueueAt60ColumnsKeepsTheWorker() {
        var s = app(width: 60)
        send(&s, .key(.char("f")))
        let g = view(s)
        XCTAssertTrue(g.text.contains("Ben O."), g.text)
        XCTAssertTrue(g.text.contains("Tomasz N."), g.text)
        XCTAssertTrue(g.text.contains("! 12d overdue"), g.text)
    }

    func testQueueAt120ColumnsShowsLongReasonsWhole() {
        var s = app(width: 120)
        send(&s, .key(.char("f")))
        let g = view(s)
        assertContains(g, "ring about the Riverside Thursday walking group")
        assertContains(g, "Aaliyah Ó Súilleabháin-Wiśniewska ! 4d overdue")
    }

    func testAStatusHintThatDoesNotFitIsRewordedNotCut() {
        var s = app(width: 60)
        s.status = StatusMessage("Unsaved draft note for Aaliyah Ó Súilleabháin-Wiśniewska: press D to restore it", kind: .info,
                                 shorter: ["Draft note for Aaliyah Ó Súilleabháin-Wiśniewska: D restores", "Unsaved draft note: D restores"])
        let g = view(s)
        XCTAssertTrue(g.rowText(23).hasPrefix(" Unsaved draft note: D restores"), g.rowText(23))
    }
}
