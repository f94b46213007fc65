import XCTest
@testable import CaseloadCore

/// Reports count did-not-attend and no-answer rates by worker and by referral source; the
/// message to the GP counts contacts by method and by outcome.
final class ContactReportTests: XCTestCase {
    let today = Day("2026-11-23")!
    let begum = UUID(), chen = UUID()

    func caseload() -> CaseloadState {
        var m = EventMaker()
        func contact(_ p: UUID, _ day: String, _ kind: SessionKind, _ outcome: ContactOutcome?, by author: String) -> Event {
            m.make(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: p, date: Day(day)!, kind: kind, minutes: nil, note: "",
                                                    outcome: outcome)), author: author)
        }
        return CaseloadState.fold([
            m.make(.workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira Haddad", team: "North"))),
            m.make(.workerRegistered(WorkerRegistered(workerId: "ben", name: "Ben Okoro", team: "North")), author: "ben"),
            m.make(.patientReferred(PatientReferred(patientId: begum, name: "Rahima Begum", worker: "ben",
                                                    referral: Referral(date: Day("2026-10-01")!, source: .gp, reasons: [.moneyDebt])))),
            m.make(.patientReferred(PatientReferred(patientId: chen, name: "Wei Chen", worker: "amira",
                                                    referral: Referral(date: Day("2026-10-05")!, source: .selfReferral, reasons: [.housing])))),
            contact(begum, "2026-10-10", .phone, .noAnswer, by: "ben"),
            contact(begum, "2026-10-12", .phone, .didNotAttend, by: "ben"),
            contact(begum, "2026-10-14", .faceToFace, nil, by: "ben"),
            contact(begum, "2026-10-20", .homeVisit, .didNotAttend, by: "ben"),
            contact(chen, "2026-10-06", .textOrEmail, .attended, by: "amira"),
            contact(chen, "2026-10-09", .phone, .cancelledByService, by: "amira"),
        ])
    }

    func testDNAAndNoAnswerRatesByWorkerAndSource() throws {
        let r = CaseloadReport.make(state: caseload(), period: nil, options: ReportOptions(asOf: today))
        XCTAssertEqual(r.contacts.all.contacts, 6)
        XCTAssertEqual(r.contacts.all.didNotAttend, 2)
        XCTAssertEqual(r.contacts.all.noAnswer, 1)
        XCTAssertEqual(r.contacts.byWorker.map(\.label), ["Amira Haddad", "Ben Okoro"])
        let ben = try XCTUnwrap(r.contacts.byWorker.last)
        XCTAssertEqual([ben.contacts, ben.attended, ben.didNotAttend, ben.noAnswer], [4, 1, 2, 1])
        let gp = try XCTUnwrap(r.contacts.bySource.first { $0.key == "gp" })
        XCTAssertEqual([gp.contacts, gp.didNotAttend], [4, 2])
        let own = try XCTUnwrap(r.contacts.bySource.first { $0.key == "selfReferral" })
        XCTAssertEqual([own.contacts, own.attended, own.cancelledByService], [2, 1, 1])
        let table = try XCTUnwrap(r.tables().first { $0.name == "contacts-by-worker" })
        XCTAssertEqual(table.rows.last, ["Ben Okoro", "4", "1", "2", "50%", "1", "25%", "0", "0"])
        XCTAssertNotNil(r.tables().first { $0.name == "contacts-by-source" })
        // Only attended contacts are sessions had and first contacts.
        XCTAssertEqual(r.people.sessions.sessions, 2)
        XCTAssertEqual(r.people.firstContact.contacted, 2)
    }

    func testThePeriodBoundsTheContacts() {
        let r = CaseloadReport.make(state: caseload(), period: Day("2026-10-11")!...Day("2026-10-31")!, options: ReportOptions(asOf: today))
        XCTAssertEqual(r.contacts.all.contacts, 3)
        XCTAssertEqual(r.contacts.byWorker.map(\.key), ["ben"])
    }

    func testTheGPMessageCountsContactsByMethodAndOutcome() throws {
        let summary = try XCTUnwrap(GPSummary(patientId: begum, state: caseload(), workerId: "ben", asOf: today))
        let c = try XCTUnwrap(summary.detail?.contacts)
        XCTAssertEqual(c.attended, 1)
        XCTAssertEqual(c.byOutcome.map(\.outcome), [.attended, .didNotAttend, .noAnswer])
        XCTAssertTrue(summary.text.contains("4 contacts between 2026-10-10 and 2026-10-20."), summary.text)
        XCTAssertTrue(summary.text.contains("By method: phone 2, face to face 1, home visit 1."), summary.text)
        XCTAssertTrue(summary.text.contains("Outcome: 1 attended, 2 did not attend, 1 no answer."), summary.text)
    }

    func testAMissedContactIsNotTheFirstInteractionTheReferralCodeIsDatedBy() throws {
        let summary = try XCTUnwrap(GPSummary(patientId: begum, state: caseload(), workerId: "ben", asOf: today))
        XCTAssertEqual(summary.codes.map { "\($0.code) \($0.date)" }, ["871731000000106 2026-10-14"], "the attended contact, not the no-answer on the 10th")
    }
}
