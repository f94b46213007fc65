import XCTest
@testable import CaseloadCore

/// Builds events the way a device would: increasing seq and clock.
struct EventMaker {
    var device = UUID()
    var seq: UInt64 = 0
    var clock = HLC(wallMillis: 1_700_000_000_000)
    var author = "amira"

    mutating func make(_ body: EventBody, author: String? = nil) -> Event {
        seq += 1
        clock = clock.tick(now: clock.wallMillis + 1000)
        return Event(id: UUID(), device: device, seq: seq, clock: clock, author: author ?? self.author, body: body)
    }
}

final class ProjectionTests: XCTestCase {
    let day = Day("2026-11-23")!
    let pid = UUID()

    func referral(name: String = "Tadeusz Wiśniewski") -> EventBody {
        .patientReferred(PatientReferred(patientId: pid, name: name, nhsNumber: NHSNumber("943 476 5919"),
                                         referral: Referral(date: day, source: .gp, referrer: "Dr Patel", reasons: [.loneliness, .bereavement])))
    }

    func testAReferralBecomesAPatientWithItsHistory() {
        var m = EventMaker()
        let state = CaseloadState.fold([
            m.make(referral()),
            m.make(.patientStatusChanged(PatientStatusChanged(patientId: pid, status: .contacted, date: day))),
            m.make(.consentRecorded(ConsentRecorded(patientId: pid, kind: .shareWithGP, given: true, date: day))),
        ])
        let p = try! XCTUnwrap(state.patients[pid])
        XCTAssertEqual(p.name, "Tadeusz Wiśniewski")
        XCTAssertEqual(p.worker, "amira", "the referring worker is assigned by default")
        XCTAssertEqual(p.status, .contacted)
        XCTAssertEqual(p.statusHistory.map(\.status), [.referred, .contacted])
        XCTAssertEqual(p.consent[.shareWithGP]?.given, true)
        XCTAssertEqual(state.resolvePatient("9434765919").success?.id, pid)
        XCTAssertEqual(state.resolvePatient(String(pid.uuidString.prefix(6)).lowercased()).success?.id, pid)
    }

    func testAnAmendmentKeepsEveryVersionOfTheNote() {
        var m = EventMaker()
        let sid = UUID()
        let referred = m.make(referral())
        let recorded = m.make(.sessionRecorded(SessionRecorded(sessionId: sid, patientId: pid, date: day, kind: .phone, minutes: 20, note: "first")))
        let amended = m.make(.sessionAmended(SessionAmended(sessionId: sid, note: "second", basedOn: recorded.id)))
        let state = CaseloadState.fold([referred, recorded, amended].shuffled())
        let s = state.sessions[sid]!
        XCTAssertEqual(s.note, "second")
        XCTAssertEqual(s.versions.map(\.text), ["first", "second"])
        XCTAssertTrue(s.conflictingVersions.isEmpty)
        XCTAssertEqual(state.patients[pid]?.lastContact, day)
    }

    func testConcurrentAmendmentsFromTwoDevicesAreBothKeptAndFlagged() {
        var a = EventMaker(), b = EventMaker()
        b.clock = a.clock
        let sid = UUID()
        let ref = a.make(referral())
        let rec = a.make(.sessionRecorded(SessionRecorded(sessionId: sid, patientId: pid, date: day, kind: .phone, minutes: nil, note: "v1")))
        b.clock = rec.clock
        let fromA = a.make(.sessionAmended(SessionAmended(sessionId: sid, note: "A's words", basedOn: rec.id)))
        let fromB = b.make(.sessionAmended(SessionAmended(sessionId: sid, note: "B's words", basedOn: rec.id)), author: "ben")
        let s = CaseloadState.fold([ref, rec, fromA, fromB]).sessions[sid]!
        XCTAssertEqual(Set(s.versions.map(\.text)), ["v1", "A's words", "B's words"])
        XCTAssertEqual(Set(s.conflictingVersions.map(\.text)), ["A's words", "B's words"])
    }

    func testOverdueIsOpenAndDueBeforeAsOfMostOverdueFirst() {
        var m = EventMaker()
        let other = UUID()
        let f1 = UUID(), f2 = UUID(), f3 = UUID(), f4 = UUID()
        let events = [
            m.make(referral()),
            m.make(.patientReferred(PatientReferred(patientId: other, name: "Zoë Łukasz 王小明", referral: Referral(date: day, source: .selfReferral, reasons: [])))),
            m.make(.followupScheduled(FollowupScheduled(followupId: f1, patientId: pid, due: day.adding(days: -3), reason: "call", worker: nil))),
            m.make(.followupScheduled(FollowupScheduled(followupId: f2, patientId: other, due: day.adding(days: -10), reason: "visit", worker: "ben"))),
            m.make(.followupScheduled(FollowupScheduled(followupId: f3, patientId: other, due: day, reason: "today", worker: nil))),
            m.make(.followupScheduled(FollowupScheduled(followupId: f4, patientId: pid, due: day.adding(days: -20), reason: "done", worker: nil))),
            m.make(.followupCompleted(FollowupCompleted(followupId: f4, date: day))),
        ]
        let state = CaseloadState.fold(events)
        let overdue = state.overdue(asOf: day)
        XCTAssertEqual(overdue.map(\.followupId), [f2, f1], "due today is not overdue; done is not overdue")
        XCTAssertEqual(overdue.map(\.daysOverdue), [10, 3])
        XCTAssertEqual(overdue[0].worker, "ben")
        XCTAssertEqual(state.overdue(asOf: day, worker: "amira").map(\.followupId), [f1])
    }

    func testARescheduleKeepsHistoryAndMovesItOffTheOverdueList() {
        var m = EventMaker()
        let f = UUID()
        let state = CaseloadState.fold([
            m.make(referral()),
            m.make(.followupScheduled(FollowupScheduled(followupId: f, patientId: pid, due: day.adding(days: -2), reason: "call", worker: nil))),
            m.make(.followupRescheduled(FollowupRescheduled(followupId: f, due: day.adding(days: 5), reason: "no answer", date: day))),
        ])
        XCTAssertTrue(state.overdue(asOf: day).isEmpty)
        XCTAssertEqual(state.followups[f]?.reschedules, [FollowupChange(date: day, from: day.adding(days: -2), to: day.adding(days: 5), reason: "no answer")])
    }

    func testCompletedOnOneDeviceThenRescheduledOnAnotherStaysVisible() {
        var a = EventMaker(), b = EventMaker()
        let f = UUID()
        let ref = a.make(referral())
        let sched = a.make(.followupScheduled(FollowupScheduled(followupId: f, patientId: pid, due: day.adding(days: -1), reason: "call", worker: nil)))
        let done = a.make(.followupCompleted(FollowupCompleted(followupId: f, date: day)))
        b.clock = done.clock
        let moved = b.make(.followupRescheduled(FollowupRescheduled(followupId: f, due: day.adding(days: 7), reason: nil, date: day)), author: "ben")
        let fu = CaseloadState.fold([moved, done, sched, ref]).followups[f]!
        XCTAssertEqual(fu.status, .open)
        XCTAssertNotNil(fu.conflict, "the disagreement is shown, not silently resolved")
    }

    func testUndoCancelsTheEventAndNothingElse() {
        var m = EventMaker()
        let f = UUID()
        let referred = m.make(referral())
        let sched = m.make(.followupScheduled(FollowupScheduled(followupId: f, patientId: pid, due: day.adding(days: -1), reason: nil, worker: nil)))
        let done = m.make(.followupCompleted(FollowupCompleted(followupId: f, date: day)))
        let undo = m.make(.changeUndone(ChangeUndone(eventId: done.id)))
        let state = CaseloadState.fold([undo, done, sched, referred])
        XCTAssertEqual(state.followups[f]?.status, .open)
        XCTAssertEqual(state.overdue(asOf: day).count, 1)
    }

    func testUnknownEventTypesFromNewerVersionsAreKeptButNotFolded() throws {
        let json = #"{"author":"amira","body":{"x":1},"clock":"1.0","device":"\#(UUID().uuidString)","id":"\#(UUID().uuidString)","seq":1,"type":"future.thing"}"#
        let e = try Event.decode(Data(json.utf8))
        XCTAssertEqual(e.body, .unknown(type: "future.thing"))
        XCTAssertEqual(CaseloadState.fold([e]).eventCount, 1)
    }

    func testEventsRoundTripThroughTheirJournalEncoding() throws {
        var m = EventMaker()
        let e = m.make(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: day, kind: .homeVisit, minutes: 45,
                                                        note: "Siobhán said \"hello\"\n\nNew paragraph: 王小明 🙂")))
        let data = try e.encoded()
        XCTAssertEqual(try Event.decode(data), e)
        XCTAssertTrue(String(decoding: data, as: UTF8.self).contains("\"type\":\"session.recorded\""))
    }

    func testSearchIgnoresCaseAndAccents() {
        var m = EventMaker()
        let state = CaseloadState.fold([m.make(referral(name: "Zoë Łukasz 王小明"))])
        XCTAssertEqual(state.patientList(search: "zoe").count, 1)
        XCTAssertEqual(state.patientList(search: "lukasz").count, 1)
        XCTAssertEqual(state.patientList(search: "王小").count, 1)
        XCTAssertEqual(state.patientList(search: "943 476").count, 1)
        XCTAssertEqual(state.patientList(search: "bereave").count, 1)
        XCTAssertEqual(state.patientList(search: "nobody").count, 0)
    }

    func testMeasureSummaryGivesBaselineLatestAndChange() {
        var m = EventMaker()
        let events = [
            m.make(referral()),
            m.make(.measureRecorded(MeasureRecorded(measureId: UUID(), patientId: pid, instrument: .swemwbs, answers: [3, 3, 2, 3, 2, 3, 2], date: day))),
            m.make(.measureRecorded(MeasureRecorded(measureId: UUID(), patientId: pid, instrument: .swemwbs, answers: [4, 3, 3, 4, 3, 4, 3], date: day.adding(days: 60)))),
            m.make(.measureRecorded(MeasureRecorded(measureId: UUID(), patientId: pid, instrument: .ucla3, answers: [3, 3, 2], date: day))),
        ]
        let summaries = CaseloadState.fold(events).measureSummaries(of: pid)
        let sw = summaries.first { $0.instrument == .swemwbs }!
        XCTAssertEqual(sw.baseline.score?.headline, 17.43)
        XCTAssertEqual(sw.latest.score?.headline, 21.54)
        XCTAssertEqual(sw.change!, 4.11, accuracy: 0.001)
        XCTAssertEqual(sw.improved, true)
        let ucla = summaries.first { $0.instrument == .ucla3 }!
        XCTAssertNil(ucla.change, "one measure is a baseline, not a change")
    }
}

extension Result {
    var success: Success? { if case .success(let s) = self { return s } else { return nil } }
}
