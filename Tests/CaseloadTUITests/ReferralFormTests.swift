import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The referral form (`a`) takes what a referral letter gives: consent to social prescribing
/// and to sharing with the GP, the address, the GP practice, the referral's date, who referred
/// and a note, through the rule `caseload patient add` uses.
final class ReferralFormTests: XCTestCase {
    func fill(_ s: inout AppState, _ key: String, _ text: String) {
        guard let i = s.form?.fields.firstIndex(where: { $0.key == key }) else { return XCTFail("no field \(key)") }
        s.form?.focus = i
        send(&s, .key(.ctrl("u")))
        type(&s, text)
    }

    func testEverythingOnTheFormIsSavedAndShownOnTheirScreen() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.char("a")))
        for label in ["Address", "GP practice", "Referral date", "Referral note", "Consent to support", "Consent: share with GP"] {
            XCTAssertTrue(s.form?.fields.contains { $0.label == label } ?? false, label)
        }
        fill(&s, "name", "Joan Pryce")
        fill(&s, "referrer", "Dr Adeyemi")
        fill(&s, "address", "4 Mill Lane, Leeds LS6 2AB")
        fill(&s, "gp", "Riverside Surgery")
        fill(&s, "referralNote", "Lonely since her husband died")
        fill(&s, "referralDate", "20/11/2026")
        let consentField = s.form!.fields.firstIndex { $0.key == "consentSP" }!
        s.form?.focus = consentField
        send(&s, .key(.right))
        XCTAssertEqual(s.form?["consentSP"], "yes")
        send(&s, .key(.tab), .key(.right))
        XCTAssertEqual(s.form?["consentGP"], "yes")
        let effects = send(&s, .key(.ctrl("s")))
        guard case .append(let bodies, .patientAdded(let id))? = effects.first, case .patientReferred(let r) = bodies[0] else { return XCTFail("\(effects)") }
        XCTAssertEqual(r.address, "4 Mill Lane, Leeds LS6 2AB")
        XCTAssertEqual(r.gpPractice, "Riverside Surgery")
        XCTAssertEqual(r.referral.date, Day("2026-11-20"))
        XCTAssertEqual(r.referral.referrer, "Dr Adeyemi")
        XCTAssertEqual(r.referral.text, "Lonely since her husband died")
        carryOut(&s, effects, fixture: &fx)
        let p = s.caseload.patients[id]!
        XCTAssertEqual(p.consent[.socialPrescribing]?.given, true)
        XCTAssertEqual(p.consent[.shareWithGP]?.given, true)
        let g = view(s)
        assertContains(g, "Referred 2026-11-20 by GP (Dr Adeyemi)")
        assertContains(g, "consent: social prescribing yes, share with GP yes")
    }

    func testAReferralDatedAfterTodayOrABirthTooLongAgoIsMarked() {
        var s = Fixture.app()
        send(&s, .key(.char("a")))
        fill(&s, "name", "Joan Pryce")
        fill(&s, "referralDate", "2026-11-25")
        fill(&s, "dob", "1890-01-01")
        XCTAssertTrue(send(&s, .key(.ctrl("s"))).isEmpty, "nothing saved")
        XCTAssertEqual(s.form?.fields.first { $0.key == "referralDate" }?.error, "the referral date 2026-11-25 is after today (2026-11-24)")
        XCTAssertEqual(s.form?.fields.first { $0.key == "dob" }?.error, "the date of birth 1890-01-01 makes them over 125: check the year")
        XCTAssertEqual(s.form?["name"], "Joan Pryce", "what was typed stays")
    }
}
