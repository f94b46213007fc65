import XCTest
@testable import CaseloadCore

/// Two devices add the same person offline: after sync the pair is a likely duplicate; a merge
/// keeps everything of both on one record, and what either device writes later lands there.
final class DuplicateTests: XCTestCase {
    let day = Day("2026-11-23")!
    let kept = UUID(), other = UUID(), stranger = UUID()
    let otherSession = UUID(), otherFollowup = UUID(), otherRisk = UUID()

    /// Amira adds Rahima on one device; Ben, offline, adds her again and sees her.
    func twoRecords() -> [Event] {
        var a = EventMaker(), b = EventMaker()
        b.author = "ben"
        return [
            a.make(.patientReferred(PatientReferred(patientId: kept, name: "Rahima Begum", dateOfBirth: Day("1961-04-02"), phone: "07700 900123",
                                                    referral: Referral(date: Day("2026-11-20")!, source: .gp, reasons: [.loneliness])))),
            b.make(.patientReferred(PatientReferred(patientId: other, name: "rahima  BEGUM", dateOfBirth: Day("1961-04-02"),
                                                    nhsNumber: NHSNumber("9434765919"), address: "1 High Street",
                                                    referral: Referral(date: Day("2026-11-21")!, source: .gp, reasons: [.moneyDebt])))),
            b.make(.sessionRecorded(SessionRecorded(sessionId: otherSession, patientId: other, date: Day("2026-11-22")!, kind: .phone, minutes: 10, note: "called"))),
            b.make(.patientStatusChanged(PatientStatusChanged(patientId: other, status: .contacted, date: Day("2026-11-22")!))),
            b.make(.followupScheduled(FollowupScheduled(followupId: otherFollowup, patientId: other, due: day, reason: "call back", worker: "ben"))),
            b.make(.riskRecorded(RiskRecorded(riskId: otherRisk, patientId: other, kind: .loneWorking, note: "dog", date: Day("2026-11-22")!))),
            // Someone else entirely, with the same name but another NHS number.
            a.make(.patientReferred(PatientReferred(patientId: stranger, name: "Rahima Begum", dateOfBirth: Day("1961-04-02"),
                                                    nhsNumber: NHSNumber("4010232137"), referral: Referral(date: day, source: .gp, reasons: [])))),
        ]
    }

    func merge(_ events: [Event], author: String = "amira") -> [Event] {
        var m = EventMaker()
        m.clock = events.map(\.clock).max()!
        return events + [m.make(.duplicateResolved(DuplicateResolved(patientId: kept, otherId: other, merged: true, date: day)))]
    }

    func testTheSameNameAndBirthDateIsALikelyDuplicateUnlessTheNHSNumbersDiffer() {
        let state = CaseloadState.fold(twoRecords())
        let found = state.likelyDuplicates(of: other)
        XCTAssertEqual(found.map { [$0.keep, $0.other] }, [[kept, other]], "the stranger's NHS number tells her apart from the other record")
        XCTAssertEqual(found.first?.keep, kept, "the earlier referral is the one to keep")
        XCTAssertEqual(found.first?.reason, "the same name and date of birth")
        // The kept record has no NHS number, so nothing tells it apart from the stranger.
        XCTAssertEqual(state.likelyDuplicates(of: stranger).map { Set([$0.keep, $0.other]) }, [[kept, stranger]])
    }

    func testMergingKeepsEverythingOfBothOnOneRecord() throws {
        let state = CaseloadState.fold(merge(twoRecords()))
        XCTAssertNil(state.patients[other], "one record")
        let p = try XCTUnwrap(state.patients[kept])
        XCTAssertEqual(p.name, "Rahima Begum")
        XCTAssertEqual(p.phone, "07700 900123")
        XCTAssertEqual(p.nhsNumber?.digits, "9434765919", "what the kept record lacked comes from the other")
        XCTAssertEqual(p.address, "1 High Street")
        XCTAssertEqual(state.sessions(of: kept).map(\.id), [otherSession])
        XCTAssertEqual(state.sessions[otherSession]?.patientId, kept)
        XCTAssertEqual(state.followups(of: kept).map(\.id), [otherFollowup])
        XCTAssertEqual(state.risks(of: kept).map(\.id), [otherRisk])
        XCTAssertEqual(p.status, .contacted, "the contact on the other device moved her on")
        XCTAssertEqual(Set(p.referral.reasons), [.loneliness, .moneyDebt])
        XCTAssertEqual(p.mergedRecords.map(\.name), ["rahima  BEGUM"])
        XCTAssertEqual(p.lastContact, Day("2026-11-22"))
        XCTAssertEqual(state.overdue(asOf: day.adding(days: 1)).map(\.followupId), [otherFollowup])
        XCTAssertEqual(state.likelyDuplicates(), [], "merged, the record has the other's NHS number, which tells it apart from the stranger")
        XCTAssertEqual(state.resolvePatient(other.uuidString).success?.id, kept, "the old id still finds her")
    }

    /// Both devices contacted her: the kept record (referred first) was contacted on the 21st, the
    /// other was referred on the 21st and contacted on the 22nd. One referral recorded twice is one
    /// story, so her status never goes back to "referred" between the two contacts.
    func testAMergedStatusHistoryDoesNotGoBackToReferred() throws {
        var a = EventMaker()
        a.clock = twoRecords().map(\.clock).max()!
        let amiraContact = a.make(.patientStatusChanged(PatientStatusChanged(patientId: kept, status: .contacted, date: Day("2026-11-21")!)))
        let state = CaseloadState.fold(merge(twoRecords() + [amiraContact]))
        let p = try XCTUnwrap(state.patients[kept])
        XCTAssertEqual(p.statusHistory.map(\.status), [.referred, .contacted])
        XCTAssertEqual(p.statusHistory.map(\.date), [Day("2026-11-20")!, Day("2026-11-21")!])
        XCTAssertEqual(p.status, .contacted)
    }

    func testWhatTheOtherDeviceWritesLaterAboutTheMergedRecordLandsOnTheKeptOne() {
        var b = EventMaker()
        b.author = "ben"
        var events = merge(twoRecords())
        b.clock = events.map(\.clock).max()!
        let late = UUID()
        events.append(b.make(.sessionRecorded(SessionRecorded(sessionId: late, patientId: other, date: day, kind: .faceToFace, minutes: 30, note: "met"))))
        let state = CaseloadState.fold(events)
        XCTAssertEqual(state.sessions[late]?.patientId, kept)
        XCTAssertTrue(state.patients[kept]!.sessionIDs.contains(late))
    }

    func testDifferentPeopleAreNotOfferedAgainAndDifferentNHSNumbersAreNotMerged() throws {
        var m = EventMaker()
        let events = twoRecords()
        m.clock = events.map(\.clock).max()!
        let state = CaseloadState.fold(events + [m.make(.duplicateResolved(DuplicateResolved(patientId: kept, otherId: other, merged: false, date: day)))])
        XCTAssertEqual(state.likelyDuplicates(of: other), [], "told apart: not offered again")
        XCTAssertEqual(state.likelyDuplicates().count, 1, "the stranger is still to be told apart")
        XCTAssertEqual(state.patients.count, 3)
        let refused = Rules.resolveDuplicate(keep: stranger, other: other, merge: true, state: state, context: RuleContext(asOf: day))
        guard case .failure(let problems) = refused else { return XCTFail("two NHS numbers merged") }
        XCTAssertTrue(problems.items[0].message.contains("different NHS numbers"))
    }

    func testUndoingAMergeGivesBothRecordsBack() {
        var events = merge(twoRecords())
        var m = EventMaker()
        m.clock = events.map(\.clock).max()!
        events.append(m.make(.changeUndone(ChangeUndone(eventId: events.last!.id))))
        let state = CaseloadState.fold(events)
        XCTAssertNotNil(state.patients[other])
        XCTAssertEqual(state.sessions[otherSession]?.patientId, other)
        XCTAssertEqual(state.likelyDuplicates(of: other).count, 1)
    }

    func testAMergedCaseloadComesBackFromASnapshot() throws {
        var m = EventMaker()
        var events = merge(twoRecords())
        m.clock = events.map(\.clock).max()!
        events.append(m.make(.duplicateResolved(DuplicateResolved(patientId: kept, otherId: stranger, merged: false, date: day))))
        let state = CaseloadState.fold(events)
        XCTAssertEqual(state.distinctPairs.count, 1)
        let back = try StateSnapshot.encode(state).withUnsafeBytes { try StateSnapshot.decode($0) }
        XCTAssertEqual(back, state)
    }

    func testOnePersonsDuplicatesAreTheWholeListsForThem() {
        for state in [CaseloadState.fold(twoRecords()), CaseloadState.fold(merge(twoRecords()))] {
            let all = state.likelyDuplicates()
            for id in state.patients.keys {
                XCTAssertEqual(state.likelyDuplicates(of: id), all.filter { $0.keep == id || $0.other == id })
            }
        }
    }
}
