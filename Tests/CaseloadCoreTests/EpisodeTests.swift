import XCTest
@testable import CaseloadCore

/// A person referred again after their case ended: one record, two episodes of care, each with
/// its own referral, contacts, outcome and GP code; reports count referrals and people.
final class EpisodeTests: XCTestCase {
    let pid = UUID()
    let first = Day("2026-01-05")!, again = Day("2026-03-01")!, today = Day("2026-03-10")!

    var referral: Referral { Referral(date: again, source: .selfReferral, reasons: [.moneyDebt]) }

    /// Referred in January, seen, discharged in February.
    func endedEpisode() -> [EventBody] {
        [.patientReferred(PatientReferred(patientId: pid, name: "Ann Example", nhsNumber: NHSNumber("9434765919"), worker: "amira",
                                          referral: Referral(date: first, source: .gp, referrer: "Dr Patel", reasons: [.loneliness]))),
         .consentRecorded(ConsentRecorded(patientId: pid, kind: .shareWithGP, given: true, date: first)),
         .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: Day("2026-01-10")!, kind: .phone, minutes: 20, note: "first call")),
         .goalSet(GoalSet(goalId: UUID(), patientId: pid, text: "Walk twice a week", date: Day("2026-01-10")!, progress: 3)),
         .patientStatusChanged(PatientStatusChanged(patientId: pid, status: .contacted, date: Day("2026-01-10")!)),
         .patientStatusChanged(PatientStatusChanged(patientId: pid, status: .discharged, date: Day("2026-02-01")!, reason: "goals met"))]
    }

    func fold(_ bodies: [EventBody]) -> CaseloadState {
        var m = EventMaker()
        return CaseloadState.fold(bodies.map { m.make($0) })
    }

    func referredAgain() throws -> CaseloadState {
        let state = fold(endedEpisode())
        let bodies = try Rules.referAgain(ReReferralInput(patientId: pid, referral: referral), state: state, context: RuleContext(asOf: today)).get()
        return fold(endedEpisode() + bodies + [
            .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: Day("2026-03-05")!, kind: .faceToFace, minutes: 40, note: "debt advice")),
        ])
    }

    func testReferringAgainOpensASecondEpisodeOnTheSameRecord() throws {
        let state = try referredAgain()
        let p = try XCTUnwrap(state.patients[pid])
        XCTAssertEqual(state.patients.count, 1, "one person, not a second record")
        XCTAssertEqual(p.status, .referred, "the new episode starts as a new referral")
        XCTAssertEqual(p.referral, referral)
        XCTAssertEqual(p.episodes.map(\.number), [1, 2])
        XCTAssertEqual(p.episodes.map(\.status), [.discharged, .referred], "the first keeps how it ended")
        XCTAssertEqual(p.episodes[0].referral.referrer, "Dr Patel")
        XCTAssertEqual(p.episodes[0].until, again)
        XCTAssertEqual(p.consent[.shareWithGP]?.given, true, "consents are the person's, kept")

        let one = state.patient(p, in: p.episodes[0]), two = state.patient(p, in: p.episodes[1])
        XCTAssertEqual(state.sessions(of: pid).count, 2, "the person's record keeps both contacts")
        XCTAssertEqual(one.sessionIDs.compactMap { state.sessions[$0]?.note }, ["first call"])
        XCTAssertEqual(two.sessionIDs.compactMap { state.sessions[$0]?.note }, ["debt advice"])
        XCTAssertEqual(one.goalIDs.count, 1)
        XCTAssertEqual(two.goalIDs.count, 0, "the new episode's plan starts empty")
        XCTAssertEqual(one.lastContact, Day("2026-01-10"))
        XCTAssertEqual(two.statusHistory.map(\.status), [.referred])
    }

    func testAReReferralWaitsInTheInboxUntilSeenAndBooksItsFirstFollowup() throws {
        let state = fold(endedEpisode())
        let input = ReReferralInput(patientId: pid, referral: referral, firstFollowup: Day("2026-03-11"), followupReason: " first call ")
        let bodies = try Rules.referAgain(input, state: state, context: RuleContext(asOf: today)).get()
        var again = fold(endedEpisode() + bodies)
        XCTAssertEqual(again.nextFollowup(of: pid)?.due, Day("2026-03-11"))
        XCTAssertEqual(again.nextFollowup(of: pid)?.reason, "first call")
        XCTAssertEqual(again.nextFollowup(of: pid)?.worker, "amira", "their worker's, as no other was given")
        // January's contact was the first episode's: the new referral waits for its own.
        let entry = try XCTUnwrap(again.inbox(asOf: today, worker: "amira").first)
        XCTAssertEqual(entry.ageText, "9 days old · 5 days left")
        again = fold(endedEpisode() + bodies + [
            .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: again.patients[pid]!.referral.date, kind: .phone, minutes: 10, note: "rang")),
        ])
        XCTAssertEqual(again.inbox(asOf: today, worker: nil).count, 0, "a contact on the referral's day is the new episode's")

        let far = ReReferralInput(patientId: pid, referral: referral, firstFollowup: Day("2099-01-01"))
        guard case .failure(let problems) = Rules.referAgain(far, state: state, context: RuleContext(asOf: today)) else { return XCTFail("accepted") }
        XCTAssertEqual(problems.items.map(\.field), ["followup"])
    }

    func testAnOpenEpisodeIsNotReferredAgain() {
        let state = fold(Array(endedEpisode().dropLast()))
        let result = Rules.referAgain(ReReferralInput(patientId: pid, referral: referral), state: state, context: RuleContext(asOf: today))
        guard case .failure(let problems) = result else { return XCTFail("an open case was referred again") }
        XCTAssertEqual(problems.items.map(\.field), ["patient"])
        XCTAssertTrue(problems.items[0].message.contains("still open (contacted"), problems.items[0].message)
    }

    func testAReferralDatedAfterTodayOrBeforeTheEndIsRefused() {
        let state = fold(endedEpisode())
        for date in [Day("2026-03-11")!, Day("2026-01-20")!] {
            var r = referral
            r.date = date
            let result = Rules.referAgain(ReReferralInput(patientId: pid, referral: r), state: state, context: RuleContext(asOf: today))
            guard case .failure(let problems) = result else { return XCTFail("\(date) accepted") }
            XCTAssertEqual(problems.items.map(\.field), ["date"], "\(date)")
        }
    }

    func testTheMessageToTheGPIsAboutTheCurrentEpisodeWithItsOwnCode() throws {
        let state = try referredAgain()
        let summary = try XCTUnwrap(GPSummary(patientId: pid, state: state, workerId: "amira", asOf: today))
        XCTAssertEqual(summary.codes.map { "\($0.code) \($0.date)" }, ["871731000000106 2026-03-05"],
                       "coded at the new episode's first interaction, not again for January's")
        XCTAssertEqual(summary.detail?.contacts.sessions, 1)
        XCTAssertEqual(summary.detail?.goals.count, 0)
        XCTAssertEqual(summary.detail?.referral.earlierReferrals, [first])
        XCTAssertTrue(summary.rendered(.text).contains("Referred again: this message is about this referral only (earlier referral 2026-01-05)."))
        // The first episode's message, had it been sent then, carried its own code.
        let before = try XCTUnwrap(GPSummary(patientId: pid, state: fold(endedEpisode()), workerId: "amira", asOf: today))
        XCTAssertEqual(before.codes.map { "\($0.code) \($0.date)" }, ["871731000000106 2026-01-10"])
    }

    func testReportsCountEachEpisodeAndThePeople() throws {
        let state = try referredAgain()
        let r = CaseloadReport.make(state: state, period: nil, options: ReportOptions(asOf: today))
        XCTAssertEqual(r.people.referred, 2, "two referrals")
        XCTAssertEqual(r.people.people, 1, "of one person")
        XCTAssertEqual(r.people.bySource.first { $0.key == "gp" }?.count, 1)
        XCTAssertEqual(r.people.bySource.first { $0.key == "selfReferral" }?.count, 1)
        XCTAssertEqual(r.people.statusAtEnd.filter { $0.count > 0 }.map(\.key).sorted(), ["discharged", "referred"])
        XCTAssertEqual(r.people.firstContact.contacted, 2, "each episode had its first contact")
        XCTAssertEqual(r.people.referralsByMonth.map(\.month), ["2026-01", "2026-02", "2026-03"])
        let march = CaseloadReport.make(state: state, period: again...today, options: ReportOptions(asOf: today))
        XCTAssertEqual(march.people.referred, 1, "January's referral is not in March")
        XCTAssertTrue(r.tables()[0].counts.contains("2 referrals"), r.tables()[0].counts)
    }

    func testEpisodesComeBackFromASnapshot() throws {
        let state = try referredAgain()
        let back = try StateSnapshot.encode(state).withUnsafeBytes { try StateSnapshot.decode($0) }
        XCTAssertEqual(back, state)
        XCTAssertEqual(back.patients[pid]?.episodes.count, 2)
    }
}
