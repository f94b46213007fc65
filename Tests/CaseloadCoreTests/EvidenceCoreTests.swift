import CaseloadCore
import Foundation
import XCTest

/// The pure parts behind gp-summary, import directory and export --patient.
final class EvidenceCoreTests: XCTestCase {
    var events: [Event] = []

    func add(_ body: EventBody, author: String = "amira") {
        let seq = UInt64(events.count + 1)
        events.append(Event(id: UUID(), device: UUID(uuidString: "00000000-0000-0000-0000-00000000000D")!, seq: seq,
                            clock: HLC(wallMillis: 1_700_000_000_000 + Int64(seq) * 1000), author: author, body: body))
    }

    var state: CaseloadState { CaseloadState.fold(events) }

    func refer(_ name: String, on date: String = "2026-10-01") -> UUID {
        let id = UUID()
        add(.patientReferred(PatientReferred(patientId: id, name: name, referral: Referral(date: Day(date)!, source: .gp, reasons: [.loneliness]))))
        return id
    }

    func codes(_ id: UUID) -> [String] {
        GPSummary(patientId: id, state: state, workerId: "amira", asOf: Day("2026-11-23")!)!.codes.map { "\($0.code) \($0.date)" }
    }

    func testSNOMEDCodesFollowWhatHappenedToTheReferral() {
        let untouched = refer("Untouched")
        let seen = refer("Seen")
        add(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: seen, date: Day("2026-10-04")!, kind: .phone, minutes: 10, note: "")))
        add(.patientStatusChanged(PatientStatusChanged(patientId: seen, status: .active, date: Day("2026-10-06")!)))
        add(.patientStatusChanged(PatientStatusChanged(patientId: seen, status: .discharged, date: Day("2026-11-06")!)))
        let declined = refer("Declined")
        add(.patientStatusChanged(PatientStatusChanged(patientId: declined, status: .declined, date: Day("2026-10-02")!)))
        let unreachable = refer("Unreachable")
        add(.patientStatusChanged(PatientStatusChanged(patientId: unreachable, status: .unableToContact, date: Day("2026-10-20")!)))
        XCTAssertEqual(codes(untouched), [])
        XCTAssertEqual(codes(seen), ["871731000000106 2026-10-04"], "dated the first interaction, once")
        XCTAssertEqual(codes(declined), ["871711000000103 2026-10-02"])
        XCTAssertEqual(codes(unreachable), [])
    }

    func testConsentDecidesWhetherTheSummaryMayGo() {
        let p = refer("Ann")
        XCTAssertNotNil(GPSummary.consentProblem(state.patients[p]!))
        add(.consentRecorded(ConsentRecorded(patientId: p, kind: .shareWithGP, given: true, date: Day("2026-10-01")!)))
        XCTAssertNil(GPSummary.consentProblem(state.patients[p]!))
        add(.consentRecorded(ConsentRecorded(patientId: p, kind: .shareWithGP, given: false, date: Day("2026-10-09")!)))
        XCTAssertEqual(GPSummary.consentProblem(state.patients[p]!), "they did not consent to sharing with their GP (withdrawn on 2026-10-09)")
    }

    func testAConnectionKeepsSignpostedOrReferredAndOldJournalsImplyItFromTheFirstStage() {
        let p = refer("Ann")
        let old1 = UUID(), old2 = UUID(), told = UUID(), s = UUID()
        add(.serviceAdded(ServiceAdded(serviceId: s, name: "Walk")))
        // Written before the route was recorded: no route field.
        add(.connectionMade(ConnectionMade(connectionId: old1, patientId: p, serviceId: s, stage: .suggested, accompanied: false, date: Day("2026-10-02")!)))
        add(.connectionMade(ConnectionMade(connectionId: old2, patientId: p, serviceId: s, stage: .referred, accompanied: false, date: Day("2026-10-02")!)))
        add(.connectionMade(ConnectionMade(connectionId: told, patientId: p, serviceId: s, stage: .enrolled, accompanied: false, date: Day("2026-10-02")!, route: .signposted)))
        let st = state
        XCTAssertEqual(st.connections[old1]?.route, .signposted)
        XCTAssertEqual(st.connections[old2]?.route, .referred)
        XCTAssertEqual(st.connections[told]?.route, .signposted, "what was recorded wins over the stage")
        XCTAssertEqual(try StateSnapshot.encode(st).withUnsafeBytes { try StateSnapshot.decode($0) }.connections[told]?.route, .signposted, "the snapshot keeps it")
        XCTAssertNotNil(st.openConnection(patientId: p, serviceId: s))
        for c in [old1, old2, told] { add(.connectionStageChanged(ConnectionStageChanged(connectionId: c, stage: .completed, date: Day("2026-11-01")!))) }
        XCTAssertNil(state.openConnection(patientId: p, serviceId: s), "once ended, the service can be connected again")
    }

    func testDirectoryPlanOnlyTouchesItsOwnSource() {
        let mine = UUID(), other = UUID(), byHand = UUID()
        add(.serviceAdded(ServiceAdded(serviceId: mine, name: "Walk", externalId: "w1", source: "ORUK", lastModified: "1")))
        add(.serviceAdded(ServiceAdded(serviceId: other, name: "Choir", externalId: "c1", source: "Another directory")))
        add(.serviceAdded(ServiceAdded(serviceId: byHand, name: "Knit and natter")))
        var plan = state.planDirectoryImport([], source: "ORUK")
        XCTAssertEqual(plan.removed.map(\.id), [mine])
        let delist = plan.events(on: Day("2026-11-23")!)
        XCTAssertEqual(delist, [.serviceDelisted(ServiceDelisted(serviceId: mine, date: Day("2026-11-23")!, reason: "no longer listed in ORUK"))])
        for b in delist { add(b) }
        XCTAssertFalse(state.services[mine]!.isListed)
        XCTAssertTrue(state.services[other]!.isListed && state.services[byHand]!.isListed)

        // Listed again, unchanged otherwise: it comes back under the same id.
        plan = state.planDirectoryImport([DirectoryEntry(externalId: "w1", name: "Walk", lastModified: "1")], source: "ORUK")
        XCTAssertEqual(plan.updated.map(\.changed), [["listed again"]])
        for b in plan.events(on: Day("2026-11-24")!) { add(b) }
        XCTAssertTrue(state.services[mine]!.isListed)
        XCTAssertEqual(state.services.count, 3)
        XCTAssertTrue(state.planDirectoryImport([DirectoryEntry(externalId: "w1", name: "Walk", lastModified: "1")], source: "ORUK").isEmpty)
    }

    func testSubjectAccessPicksEverythingAboutThePersonAndNothingElse() {
        let p = refer("Ann"), q = refer("Bob")
        let s = UUID(), d = UUID(), f = UUID()
        add(.sessionRecorded(SessionRecorded(sessionId: s, patientId: p, date: Day("2026-10-02")!, kind: .phone, minutes: nil, note: "v1")))
        add(.sessionAmended(SessionAmended(sessionId: s, note: "v2", basedOn: events.last!.id)))
        add(.draftSaved(DraftSaved(draftId: d, patientId: p, date: Day("2026-10-03")!, kind: .phone, minutes: nil, text: "draft")))
        add(.draftDiscarded(DraftDiscarded(draftId: d)))
        add(.followupScheduled(FollowupScheduled(followupId: f, patientId: p, due: Day("2026-10-10")!, reason: nil, worker: nil)))
        add(.changeUndone(ChangeUndone(eventId: events.last!.id)))
        add(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: q, date: Day("2026-10-02")!, kind: .phone, minutes: nil, note: "Bob's")))
        add(.serviceAdded(ServiceAdded(serviceId: UUID(), name: "Walk")))
        let picked = SubjectAccess.events(about: p, in: events.reversed())
        XCTAssertEqual(picked.map(\.body.type), ["patient.referred", "session.recorded", "session.amended", "draft.saved", "draft.discarded",
                                                  "followup.scheduled", "change.undone"])
        let text = SubjectAccess.text(state.patients[p]!, events: picked, state: state, asOf: Day("2026-11-23")!)
        XCTAssertTrue(text.contains("    v1\n") && text.contains("    v2\n") && text.contains("    draft\n"), text)
        XCTAssertTrue(text.contains("follow-up due 2026-10-10 [later undone]"), text)
        XCTAssertFalse(text.contains("Bob"))
    }
}
