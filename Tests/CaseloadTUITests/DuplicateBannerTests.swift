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
}
