import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// `E` on the person's screen corrects their details and consent through the rule `caseload
/// patient update` uses; `H` shows what changed and when.
final class PersonDetailsScreenTests: XCTestCase {
    func testCorrectingThePhoneAndWithdrawingConsentShowsOnTheirScreen() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        s.openPatient(Fixture.okafor)
        send(&s, .key(.char("E")))
        XCTAssertEqual(s.route, .form)
        assertContains(view(s), "Details of Daniel Okafor")
        assertContains(view(s), "Consent: share with GP")
        // Phone (second field), then the share-with-GP consent (last) from yes to no.
        send(&s, .key(.tab))
        type(&s, "07700 900461")
        send(&s, .key(.tab), .key(.tab), .key(.tab), .key(.tab), .key(.tab), .key(.tab), .key(.right))
        XCTAssertEqual(s.form?["consentGP"], "no")
        let effects = send(&s, .key(.ctrl("s")))
        guard case .append(let bodies, _)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(bodies.count, 2, "one details change and one consent event: \(bodies)")
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.route, .patient)
        let g = view(s)
        assertContains(g, "tel 07700 900461")
        assertContains(g, "share with GP NO")
        assertContains(g, "Saved: phone, consent to share with GP withdrawn")

        // The history: each change with what it was before.
        let history = send(&s, .key(.char("H")))
        XCTAssertEqual(history, [.loadHistory(patientId: Fixture.okafor)])
        let lines = DetailHistory.entries(about: Fixture.okafor, in: fx.events, state: fx.state).map(DetailHistory.line)
        send(&s, .historyLoaded(patientId: Fixture.okafor, lines: lines))
        XCTAssertEqual(s.route, .history)
        let h = view(s)
        assertContains(h, "History of Daniel Okafor's details and consent")
        assertContains(h, "Amira Khan: phone 07700 900461 (was empty)")
        assertContains(h, "Amira Khan: consent to share with GP withdrawn on")
        assertContains(h, "2026-11-24 (was given 2026-08-02)")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patient)
    }

    func testAWrongNHSNumberOrAFutureBirthIsMarkedAndNothingSaved() {
        var s = Fixture.app()
        s.openPatient(Fixture.siobhan)
        send(&s, .key(.char("E")), .key(.tab), .key(.tab), .key(.tab))
        type(&s, "943 476 5918")
        send(&s, .key(.tab), .key(.ctrl("u")))
        type(&s, "2030-01-01")
        let effects = send(&s, .key(.ctrl("s")))
        XCTAssertTrue(effects.isEmpty, "\(effects)")
        let g = view(s)
        assertContains(g, "Nothing saved yet: fix the marked fields.")
        XCTAssertEqual(s.form?.fields.first { $0.key == "nhs" }?.error?.contains("invalid NHS number"), true, s.form.debugDescription)
        XCTAssertEqual(s.form?.fields.first { $0.key == "dob" }?.error?.contains("after today"), true)
        XCTAssertEqual(s.form?["nhs"], "943 476 5918", "the typed value is kept")
    }

    func testAnotherPersonsNHSNumberIsRefusedAndTheirOwnIsNot() {
        var s = Fixture.app()
        s.openPatient(Fixture.tadeusz)
        // Their own number, unchanged: no "already on the caseload".
        send(&s, .key(.char("E")), .key(.tab), .key(.tab), .key(.tab), .key(.tab))
        XCTAssertNil(s.form?.fields.first { $0.key == "nhs" }?.error)
        send(&s, .key(.escape))
        s.openPatient(Fixture.siobhan)
        send(&s, .key(.char("E")), .key(.tab), .key(.tab), .key(.tab))
        type(&s, "9434765919")
        XCTAssertTrue(send(&s, .key(.ctrl("s"))).isEmpty)
        XCTAssertEqual(s.form?.fields.first { $0.key == "nhs" }?.error?.contains("already"), true, "\(String(describing: s.form))")
    }

    func testSavingWithNothingChangedSaysSo() {
        var s = Fixture.app()
        s.openPatient(Fixture.okafor)
        send(&s, .key(.char("E")))
        XCTAssertTrue(send(&s, .key(.ctrl("s"))).isEmpty)
        assertContains(view(s), "nothing to change")
    }
}

/// The message back to the GP needs an NHS number and a GP practice to be matched to the
/// person's record: the person's screen says which is missing before the letter is needed,
/// and the letter screen says it again.
final class GPLetterMissingDetailsTests: XCTestCase {
    func testTheirScreenAndTheLetterSayWhatIsMissing() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        s.openPatient(Fixture.okafor)
        assertContains(view(s), "GP letter lacks NHS number and GP practice")
        send(&s, .key(.char("M")))
        assertContains(view(s), "! No NHS number or GP practice: the practice cannot match it (E adds them)")
        XCTAssertTrue(GPLetter.text(Fixture.okafor, s).contains("GP practice: not recorded"))
        send(&s, .key(.escape), .key(.char("E")), .key(.tab), .key(.tab), .key(.tab))
        type(&s, "943 476 5919")
        XCTAssertTrue(send(&s, .key(.ctrl("s"))).isEmpty, "Tadeusz has that number")
        send(&s, .key(.ctrl("u")))
        type(&s, "401 023 2137")
        send(&s, .key(.tab), .key(.tab))
        type(&s, "Riverside Surgery")
        carryOut(&s, send(&s, .key(.ctrl("s"))), fixture: &fx)
        XCTAssertFalse(view(s).text.contains("GP letter lacks"), view(s).text)
        send(&s, .key(.char("M")))
        XCTAssertFalse(view(s).text.contains("No NHS number"), view(s).text)
        XCTAssertTrue(GPLetter.text(Fixture.okafor, s).contains("GP practice: Riverside Surgery"))
    }

    func testOnlyTheMissingOneIsNamed() {
        var s = Fixture.app()
        s.openPatient(Fixture.tadeusz)
        assertContains(view(s), "GP letter lacks GP practice")
    }
}
