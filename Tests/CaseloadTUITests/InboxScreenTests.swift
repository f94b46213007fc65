import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// `i`: her new referrals, oldest first, each with its age against the response deadline;
/// `a` accepts, `x` declines with a reason, through the rule the command line uses.
final class InboxScreenTests: XCTestCase {
    func testTheInboxShowsHerNewReferralsOldestFirstWithTheirDeadline() {
        var s = Fixture.app()
        send(&s, .key(.char("i")))
        XCTAssertEqual(s.route, .inbox)
        XCTAssertEqual(s.inbox.rows.count, s.headerCounts.newReferrals, "the header's 'new' is this inbox")
        XCTAssertEqual(s.inbox.rows.map(\.ageDays), s.inbox.rows.map(\.ageDays).sorted(by: >))
        let g = view(s)
        assertContains(g, "Inbox · 3 new referrals · respond within 14 days · 1 late")
        assertContains(g, "! 35 days old · 21 days late")
        assertContains(g, "1 day old · 13 days left")
        assertContains(g, "Siobhán Ní Bhriain")
        XCTAssertFalse(g.text.contains("Rahima Begum"), "a colleague's referral is in hers, not this inbox")
        // At 60 columns the names stay whole; the referral's date and source give way.
        s.width = 60
        s.height = 20
        assertContains(view(s), "  Siobhán Ní Bhriain 14 days old · 0 days left    2026-11-10")
        XCTAssertFalse(view(s).text.split(separator: "\n").dropFirst(2).dropLast(2).contains { $0.contains("…") }, view(s).text)
        s.width = 80
        s.height = 24
        s.responseDeadlineDays = 60
        send(&s, .key(.escape), .key(.char("i")))
        assertContains(view(s), "respond within 60 days")
        XCTAssertFalse(view(s).text.contains(" late"))
    }

    func testAcceptMakesThemContactedAndDeclineAsksWhy() {
        var s = Fixture.app()
        send(&s, .key(.char("i")))
        let first = s.inbox.rows[0].patient
        let accept = send(&s, .key(.char("a")))
        guard case .append(let bodies, _)? = accept.first, case .patientStatusChanged(let c)? = bodies.last else { return XCTFail("\(accept)") }
        XCTAssertEqual(c.patientId, first.id)
        XCTAssertEqual(c.status, .contacted)

        send(&s, .key(.down), .key(.char("x")))
        XCTAssertEqual(s.route, .form)
        XCTAssertTrue(s.form?.title.hasPrefix("Decline the referral of") ?? false, s.form?.title ?? "")
        var effects = send(&s, .key(.ctrl("s")))
        XCTAssertTrue(effects.isEmpty, "no reason, not saved")
        assertContains(view(s), "say why the person declined")
        type(&s, "Wants to wait until after the operation")
        effects = send(&s, .key(.ctrl("s")))
        // Her follow-up is still open: the form asks what to do with it, as discharge does.
        XCTAssertTrue(effects.isEmpty)
        assertContains(view(s), "still open")
        send(&s, .key(.tab), .key(.tab), .key(.right), .key(.right))
        effects = send(&s, .key(.ctrl("s")))
        guard case .append(let declined, _)? = effects.first, case .patientStatusChanged(let d)? = declined.last else { return XCTFail("\(effects)") }
        XCTAssertEqual(d.status, .declined)
        XCTAssertEqual(d.reason, "Wants to wait until after the operation")
    }

    /// A referral declined from the inbox is coded in the message to the GP the app shows (M),
    /// as `caseload inbox decline` codes it (InboxCommandTests).
    func testADeclinedReferralIsCodedInTheMessageToTheGP() {
        var fx = Fixture.standard()
        fx.add(.consentRecorded(ConsentRecorded(patientId: Fixture.chen, kind: .shareWithGP, given: true, date: Day("2026-10-20")!)))
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        send(&s, .key(.char("i")))
        guard let row = s.inbox.rows.firstIndex(where: { $0.patient.id == Fixture.chen }) else { return XCTFail("Wei Chen is not in the inbox") }
        for _ in 0..<row { send(&s, .key(.down)) }
        send(&s, .key(.char("x")))
        type(&s, "Moved out of the area")
        send(&s, .key(.ctrl("s")))
        send(&s, .key(.tab), .key(.tab), .key(.right), .key(.right))
        carryOut(&s, send(&s, .key(.ctrl("s"))), fixture: &fx)
        XCTAssertEqual(s.caseload.patients[Fixture.chen]?.status, .declined)
        XCTAssertFalse(s.caseload.inbox(asOf: Fixture.asOf, worker: "amira").contains { $0.patient.id == Fixture.chen }, "out of the inbox")
        s.openPatient(Fixture.chen)
        send(&s, .key(.char("M")))
        XCTAssertEqual(s.route, .letter)
        s.height = 60  // the codes come after the contacts
        assertContains(view(s), "871711000000103")
    }
}
