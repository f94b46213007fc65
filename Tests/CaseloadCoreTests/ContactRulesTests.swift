import XCTest
@testable import CaseloadCore

/// `Rules.recordContact` and `Rules.changeStatus`, the rules both faces call, and how older
/// journals read: sessions without an outcome attended, the person-level "did not attend" open.
final class ContactRulesTests: XCTestCase {
    let today = Day("2026-11-23")!
    let pid = UUID(), fid = UUID()

    func caseload(_ extra: [EventBody] = []) -> CaseloadState {
        var m = EventMaker()
        let bodies: [EventBody] = [
            .patientReferred(PatientReferred(patientId: pid, name: "Rahima Begum", worker: "ben",
                                             referral: Referral(date: Day("2026-11-09")!, source: .gp, reasons: [.moneyDebt]))),
            .followupScheduled(FollowupScheduled(followupId: fid, patientId: pid, due: Day("2026-11-20")!, reason: "first call", worker: "ben")),
        ] + extra
        return CaseloadState.fold(bodies.map { m.make($0) })
    }

    func plan(_ input: ContactInput, _ state: CaseloadState, reviewAfter: Int = 3) throws -> ContactPlan {
        try Rules.recordContact(input, state: state, context: RuleContext(asOf: today, reviewAfterMissed: reviewAfter)).get()
    }

    func applied(_ bodies: [EventBody], to state: CaseloadState) -> CaseloadState {
        var m = EventMaker()
        m.clock = state.latestClock
        var s = state
        for b in bodies { s.apply(m.make(b)) }
        return s
    }

    func testAMissedContactKeepsStatusAndFollowupAndOffersTheNextTry() throws {
        let state = caseload()
        let p = try plan(ContactInput(patientId: pid, date: today, method: .phone, outcome: .noAnswer), state)
        XCTAssertEqual(p.bodies.count, 1, "only the session: nothing closes")
        XCTAssertEqual(p.suggestedNext, Day("2026-11-25"))
        let after = applied(p.bodies, to: state)
        XCTAssertEqual(after.patients[pid]?.status, .referred)
        XCTAssertNil(after.patients[pid]?.lastContact)
        XCTAssertEqual(after.overdue(asOf: today).map(\.followupId), [fid])
        XCTAssertEqual(after.sessions[p.sessionId]?.outcome, .noAnswer)
    }

    func testTheThirdMissedContactInARowFlagsForReview() throws {
        var state = caseload()
        var flags: [Bool] = []
        for n in 0..<3 {
            let p = try plan(ContactInput(patientId: pid, date: today.adding(days: n - 2), method: .phone, outcome: .didNotAttend), state)
            flags.append(p.flaggedForReview)
            state = applied(p.bodies, to: state)
        }
        XCTAssertEqual(flags, [false, false, true])
        XCTAssertEqual(state.missedInARow(of: pid), 3)
        XCTAssertEqual(state.reviewReason(of: pid, after: 3), "3 missed contacts in a row")
        XCTAssertNil(state.reviewReason(of: pid, after: 4))
        XCTAssertTrue(state.patients[pid]!.status.isOpen)
    }

    func testAnAttendedContactCompletesTheDueFollowupAndMovesReferredToContacted() throws {
        let state = caseload()
        let p = try plan(ContactInput(patientId: pid, date: today, method: .textOrEmail, note: "Replied by text"), state)
        XCTAssertEqual(p.completed, [fid])
        XCTAssertEqual(p.newStatus, .contacted)
        let after = applied(p.bodies, to: state)
        XCTAssertEqual(after.followups[fid]?.status, .done)
        XCTAssertEqual(after.patients[pid]?.status, .contacted)
        XCTAssertEqual(after.patients[pid]?.lastContact, today)
        let kept = try plan(ContactInput(patientId: pid, date: today, method: .phone, note: "x", completeDueFollowups: false), state)
        XCTAssertEqual(kept.completed, [])
    }

    func testAFutureContactIsRefusedByField() {
        let r = Rules.recordContact(ContactInput(patientId: pid, date: today.adding(days: 1), method: .phone, minutes: 2000),
                                    state: caseload(), context: RuleContext(asOf: today))
        guard case .failure(let problems) = r else { return XCTFail("accepted") }
        XCTAssertEqual(problems.items.map(\.field), ["date", "minutes"])
    }

    func testNextInDaysAfterAMissedContactMovesTheDueFollowupAndBooksForTheWorkerOtherwise() throws {
        let state = caseload()
        let moved = try plan(ContactInput(patientId: pid, date: today, method: .phone, outcome: .noAnswer, nextInDays: 2), state)
        XCTAssertEqual(moved.moved, [fid])
        XCTAssertEqual(applied(moved.bodies, to: state).followups[fid]?.due, Day("2026-11-25"))
        let attended = try plan(ContactInput(patientId: pid, date: today, method: .phone, note: "ok", nextInDays: 14), state)
        guard case .followupScheduled(let f)? = attended.bodies.last else { return XCTFail("\(attended.bodies)") }
        XCTAssertEqual(f.worker, "ben", "the person's worker, whoever records it")
        XCTAssertEqual(f.due, Day("2026-12-07"))
    }

    func testEndingACaseWithOpenFollowupsNeedsADecision() throws {
        let state = caseload()
        let ctx = RuleContext(asOf: today)
        guard case .failure(let p) = Rules.changeStatus(StatusInput(patientId: pid, status: .discharged, date: today), state: state, context: ctx) else {
            return XCTFail("a discharge with an open follow-up was accepted")
        }
        XCTAssertEqual(p.items.map(\.field), ["followups"])
        XCTAssertTrue(p.items[0].message.contains(fid.uuidString.prefix(8).lowercased()))
        let bodies = try Rules.changeStatus(StatusInput(patientId: pid, status: .discharged, date: today, openFollowups: .complete), state: state, context: ctx).get()
        let after = applied(bodies, to: state)
        XCTAssertEqual(after.followups[fid]?.status, .done)
        XCTAssertEqual(after.patients[pid]?.status, .discharged)
        // Staying open needs no decision.
        XCTAssertEqual(try Rules.changeStatus(StatusInput(patientId: pid, status: .active, date: today), state: state, context: ctx).get().count, 1)
    }

    func testTheOldPersonLevelDidNotAttendReadsAsOpenAndFlagged() throws {
        let state = caseload([.patientStatusChanged(PatientStatusChanged(patientId: pid, status: .didNotAttend, date: today, reason: "no reply"))])
        XCTAssertEqual(state.patients[pid]?.status, .didNotAttend)
        XCTAssertTrue(state.patients[pid]!.status.isOpen)
        XCTAssertEqual(state.overdue(asOf: today).map(\.followupId), [fid], "their follow-up stays on the overdue list")
        XCTAssertEqual(state.reviewReason(of: pid, after: 3), "recorded as did not attend")
        // Seen again: back to contacted, no longer flagged.
        let p = try plan(ContactInput(patientId: pid, date: today, method: .phone, note: "Answered"), state)
        let after = applied(p.bodies, to: state)
        XCTAssertEqual(after.patients[pid]?.status, .contacted)
        XCTAssertNil(after.reviewReason(of: pid, after: 3))
    }

    func testSessionsWithoutAnOutcomeReadAsAttended() throws {
        // As every session before outcomes were kept was written: no "outcome" key.
        var m = EventMaker()
        let old = m.make(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: today, kind: .phone, minutes: nil, note: "hi")))
        let json = String(decoding: try old.encoded(), as: UTF8.self)
        XCTAssertFalse(json.contains("outcome"))
        let e = try Event.decode(Data(json.utf8))
        guard case .sessionRecorded(let s) = e.body else { return XCTFail() }
        XCTAssertNil(s.outcome)
        var state = caseload()
        state.apply(e)
        XCTAssertEqual(state.sessions[s.sessionId]?.outcome, .attended)
    }

    func testAMissedContactWithALaterFollowupOffersNoOtherTry() throws {
        var m = EventMaker()
        var state = caseload()
        m.clock = state.latestClock
        state.apply(m.make(.followupCompleted(FollowupCompleted(followupId: fid, date: today))))
        state.apply(m.make(.followupScheduled(FollowupScheduled(followupId: UUID(), patientId: pid, due: Day("2026-11-30")!, reason: nil, worker: "ben"))))
        let p = try plan(ContactInput(patientId: pid, date: today, method: .phone, outcome: .noAnswer), state)
        XCTAssertNil(p.suggestedNext)
        XCTAssertEqual(p.alreadyBooked, Day("2026-11-30"))
    }
}
