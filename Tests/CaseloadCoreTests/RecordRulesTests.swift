import XCTest
@testable import CaseloadCore

/// The single-record rules both faces call: what they refuse and what they write.
final class RecordRulesTests: XCTestCase {
    let today = Day("2026-11-23")!
    let ann = UUID(), nobodys = UUID(), followup = UUID(), session = UUID(), goal = UUID()
    var events: [Event] = []
    var maker = EventMaker()

    override func setUp() {
        maker = EventMaker()
        events = [
            maker.make(.patientReferred(PatientReferred(patientId: ann, name: "Ann Sandhu", worker: "amira", referral: Referral(date: today, source: .gp, reasons: [])))),
            maker.make(.patientReferred(PatientReferred(patientId: nobodys, name: "Mr Chen", referral: Referral(date: today, source: .gp, reasons: [])))),
            maker.make(.followupScheduled(FollowupScheduled(followupId: followup, patientId: ann, due: today, reason: "call", worker: "amira"))),
            maker.make(.sessionRecorded(SessionRecorded(sessionId: session, patientId: ann, date: today, kind: .phone, minutes: 10, note: "talked"))),
            maker.make(.goalSet(GoalSet(goalId: goal, patientId: ann, text: "walk", date: today))),
        ]
    }

    var state: CaseloadState { CaseloadState.fold(events) }
    var context: RuleContext { RuleContext(asOf: today, actor: "ben") }

    func problems(_ r: Rules.Outcome) -> [String] {
        if case .failure(let p) = r { return p.items.map { "\($0.field): \($0.message)" } }
        return []
    }

    func testAGoalNeedsItsWordsAScoreFromZeroToTenAndADayNotAfterToday() {
        XCTAssertEqual(problems(Rules.addGoal(patientId: ann, text: "  ", progress: nil, date: today, state: state, context: context, goalId: UUID())),
                       ["text: the goal is needed, in the person's words"])
        XCTAssertEqual(problems(Rules.addGoal(patientId: ann, text: "garden", progress: 11, date: today, state: state, context: context, goalId: UUID())),
                       ["progress: progress is 0 to 10, not 11"])
        XCTAssertEqual(problems(Rules.recordProgress(goalId: goal, score: 6, date: today.adding(days: 1), state: state, context: context)),
                       ["date: the date is after today (2026-11-23): record it on the day, or earlier"])
        XCTAssertEqual(problems(Rules.changeGoalStatus(goalId: goal, to: .active, state: state, context: context)), ["status: the goal is already active"])
        XCTAssertEqual(try Rules.addGoal(patientId: ann, text: " garden ", progress: 3, date: today, state: state, context: context, goalId: goal).get(),
                       [.goalSet(GoalSet(goalId: goal, patientId: ann, text: "garden", date: today, progress: 3))])
    }

    func testAFollowupGoesToTheNamedWorkerElseThePersonsElseWhoeverBooksIt() throws {
        func worker(_ patient: UUID, _ named: String?) throws -> String? {
            guard case .followupScheduled(let f) = try Rules.bookFollowup(patientId: patient, due: today, reason: nil, worker: named, state: state,
                                                                          context: context, followupId: UUID()).get().first else { return nil }
            return f.worker
        }
        XCTAssertEqual(try worker(ann, nil), "amira")
        XCTAssertEqual(try worker(nobodys, nil), state.patients[nobodys]?.worker, "whoever referred him is his worker")
        XCTAssertEqual(try worker(ann, "ben"), "ben")
        XCTAssertEqual(problems(Rules.bookFollowup(patientId: ann, due: today.adding(days: 3651), reason: nil, state: state, context: context, followupId: UUID())),
                       ["due: the due date is more than 10 years ahead"])
    }

    func testAClosedFollowupIsNotClosedMovedOrCancelledAgain() throws {
        for b in try Rules.completeFollowup(followup, state: state, context: context).get() { events.append(maker.make(b)) }
        let done = "followup: follow-up \(CaseloadState.shortId(followup)) is already done"
        XCTAssertEqual(problems(Rules.completeFollowup(followup, state: state, context: context)), [done])
        XCTAssertEqual(problems(Rules.rescheduleFollowup(followup, to: today.adding(days: 7), reason: nil, state: state, context: context)), [done])
        XCTAssertEqual(problems(Rules.cancelFollowup(followup, reason: "moved away", state: state, context: context)), [done])
    }

    func testAnAmendmentNeedsANewTextAndKeepsTheVersionItWasBasedOn() throws {
        XCTAssertEqual(problems(Rules.amendSession(sessionId: session, note: "talked", state: state)), ["note: no change to save"])
        XCTAssertEqual(problems(Rules.amendSession(sessionId: session, note: " \n", state: state)), ["note: the note is empty: write something first"])
        let latest = try XCTUnwrap(state.sessions[session]?.versions.last?.eventId)
        XCTAssertEqual(try Rules.amendSession(sessionId: session, note: "talked about the garden", state: state).get(),
                       [.sessionAmended(SessionAmended(sessionId: session, note: "talked about the garden", basedOn: latest))])
    }

    func testAMeasureIsCheckedAgainstItsQuestionnaire() {
        XCTAssertEqual(problems(Rules.recordMeasure(patientId: ann, instrument: .ucla3, answers: [1, 2], date: today, state: state, context: context,
                                                    measureId: UUID())).count, 1)
        XCTAssertEqual(problems(Rules.recordMeasure(patientId: ann, instrument: .ucla3, answers: [1, 2, 3], date: today, state: state, context: context,
                                                    measureId: UUID())), [])
    }
}
