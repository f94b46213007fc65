import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// After a sync brings in a second record of someone already here, both records' screens say
/// so, at 80 columns, until they are merged or told apart.
final class DuplicateBannerTests: XCTestCase {
    func testBothRecordsOfThePersonSayTheyMayBeTheSamePerson() {
        var fx = Fixture.standard()
        let twin = Fixture.id(900)
        fx.add(.patientReferred(PatientReferred(patientId: twin, name: "Tadeusz Wisniewski", nhsNumber: NHSNumber("943 476 5919"), worker: "ben",
                                                referral: Referral(date: Fixture.asOf, source: .gp, reasons: [.loneliness]))), author: "ben")
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(Fixture.tadeusz)
        assertContains(view(s), "! may be a duplicate of Tadeusz Wisniewski")
        s.openPatient(twin)
        assertContains(view(s), "! may be a duplicate of Tadeusz Wiśniewski")

        fx.add(.duplicateResolved(DuplicateResolved(patientId: Fixture.tadeusz, otherId: twin, merged: false, date: Fixture.asOf)))
        s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(Fixture.tadeusz)
        XCTAssertFalse(view(s).text.contains("may be a duplicate"), "told apart, not offered again")
    }

    /// The banner is worked out when the caseload changes, not on every frame: a twin that
    /// arrives (or is told apart) while the person's screen is open shows at once.
    func testTheBannerFollowsChangesWhileTheScreenIsOpen() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(Fixture.tadeusz)
        XCTAssertFalse(view(s).text.contains("may be a duplicate"))

        let twin = Fixture.id(900)
        fx.add(.patientReferred(PatientReferred(patientId: twin, name: "Tadeusz Wisniewski", nhsNumber: NHSNumber("943 476 5919"), worker: "ben",
                                                referral: Referral(date: Fixture.asOf, source: .gp, reasons: [.loneliness]))), author: "ben")
        s.caseload = fx.state
        s.caseloadChanged()
        assertContains(view(s), "! may be a duplicate of Tadeusz Wisniewski")

        fx.add(.duplicateResolved(DuplicateResolved(patientId: Fixture.tadeusz, otherId: twin, merged: false, date: Fixture.asOf)))
        s.caseload = fx.state
        s.caseloadChanged()
        XCTAssertFalse(view(s).text.contains("may be a duplicate"), "told apart while open")
    }
}
