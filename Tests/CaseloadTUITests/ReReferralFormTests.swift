import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The referral form (`a`) names someone already known: the same NHS number, or the same name
/// and date of birth. It offers a new episode on their record, through `Rules.referAgain` as
/// `caseload patient refer` (EpisodeCommandTests), rather than a second record of them.
final class ReReferralFormTests: XCTestCase {
    /// Tadeusz (NHS 943 476 5919) and Mr Okafor (no NHS number, born 1961-01-20) discharged.
    func discharged() -> Fixture {
        var fx = Fixture.standard()
        for id in [Fixture.tadeusz, Fixture.okafor] {
            fx.add(.patientStatusChanged(PatientStatusChanged(patientId: id, status: .discharged, date: Day("2026-11-01")!, reason: "goals met")))
        }
        return fx
    }

    func fill(_ s: inout AppState, _ key: String, _ text: String) {
        guard let i = s.form?.fields.firstIndex(where: { $0.key == key }) else { return XCTFail("no field \(key)") }
        s.form?.focus = i
        send(&s, .key(.ctrl("u")))
        type(&s, text)
    }

    func referral(_ s: inout AppState, name: String, nhs: String = "", dob: String = "") {
        send(&s, .key(.char("a")))
        fill(&s, "name", name)
        fill(&s, "nhs", nhs)
        fill(&s, "dob", dob)
        fill(&s, "referrer", "Dr Patel")
        fill(&s, "reasons", "money, housing")
        send(&s, .key(.ctrl("s")))
    }

    func testTheSameNHSNumberOffersANewEpisodeAndYesOpensIt() throws {
        var fx = discharged()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        let people = s.caseload.patients.count
        referral(&s, name: "Tadeusz Wisniewski", nhs: "9434765919")
        XCTAssertEqual(s.route, .reReferralQuestion)
        let g = view(s)
        assertContains(g, "Already known: Tadeusz Wiśniewski")
        assertContains(g, "The same NHS number, 943 476 5919")
        assertContains(g, "discharged since 2026-11-01 · 1 episode")
        assertContains(g, "Open a new episode for Tadeusz Wiśniewski?")
        assertContains(g, "y new episode · n back to the form")

        let effects = send(&s, .key(.char("y")))
        guard case .append(let bodies, .referredAgain(let id))? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(id, Fixture.tadeusz)
        // The very events the command line's rule gives for the same referral.
        let input = ReReferralInput(patientId: Fixture.tadeusz,
                                    referral: Referral(date: Fixture.asOf, source: .gp, referrer: "Dr Patel", reasons: [.moneyDebt, .housing]),
                                    worker: "amira", firstFollowup: Day("2026-11-25"), followupReason: "first call")
        guard case .followupScheduled(let f) = bodies.last else { return XCTFail("\(bodies)") }
        guard case .success(let expected) = Rules.referAgain(input, state: s.caseload, context: s.ruleContext, followupId: f.followupId) else {
            return XCTFail("the rule refused")
        }
        XCTAssertEqual(bodies, expected)

        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.caseload.patients.count, people, "no second record of him")
        let p = try XCTUnwrap(s.caseload.patients[Fixture.tadeusz])
        XCTAssertEqual(p.episodes.count, 2)
        XCTAssertEqual(p.status, .referred)
        XCTAssertEqual(s.route, .patient)
        let screen = view(s)
        assertContains(screen, "Episode 2: referred 2026-11-24 by GP (Dr Patel): money")
        assertContains(screen, "Saved: referred again, episode 2 for Tadeusz Wiśniewski")
        assertContains(screen, "2026-11-24  Referred again: episode 2, by GP (Dr Patel)")
        assertContains(screen, "2026-11-01  Status: discharged (goals met)")
        // u takes the whole re-referral back, and says for whom.
        guard case .undo(_, let undone)? = send(&s, .key(.char("u"))).first else { return XCTFail("nothing to undo") }
        XCTAssertEqual(undone, "new episode for Tadeusz Wiśniewski")
        XCTAssertEqual(s.caseload.nextFollowup(of: Fixture.tadeusz)?.due, Day("2026-11-25"), "the form's first follow-up is booked")
        // The reports count his two referrals and him once, as `caseload report` does.
        send(&s, .key(.escape), .key(.char("R")))
        assertContains(view(s), "PEOPLE  7 referrals up to 2026-11-24, one per episode: 6 people")
    }

    /// Referred, discharged and referred again on one day: two equal "referred" changes, and
    /// only the second is where episode 2 began.
    func testASameDayReReferralIsMarkedOnceInTheTimeline() {
        var fx = Fixture.standard()
        let zoe = Fixture.id(901)
        let referral = Referral(date: Fixture.asOf, source: .gp, reasons: [.loneliness])
        fx.add(.patientReferred(PatientReferred(patientId: zoe, name: "Zoë Ó Súilleabháin", worker: "amira", referral: referral)))
        fx.add(.patientStatusChanged(PatientStatusChanged(patientId: zoe, status: .discharged, date: Fixture.asOf, reason: "referred in error")))
        fx.add(.patientReferred(PatientReferred(patientId: zoe, name: "Zoë Ó Súilleabháin", worker: "amira", referral: referral)))
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(zoe)
        let screen = view(s).text
        XCTAssertEqual(screen.components(separatedBy: "Referred again: episode 2").count - 1, 1, screen)
        assertContains(view(s), "Status: referred")
        assertContains(view(s), "Status: discharged (referred in error)")
    }

    func testNoToTheSameNHSNumberGoesBackToTheFormWithNothingSaved() {
        var s = AppState(caseload: discharged().state, workerId: "amira", asOf: Fixture.asOf)
        referral(&s, name: "Tadeusz Wisniewski", nhs: "9434765919")
        XCTAssertTrue(send(&s, .key(.char("n"))).isEmpty, "nothing saved")
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.form?.fields[s.form!.focus].key, "nhs")
        XCTAssertEqual(s.form?.fields.first { $0.key == "nhs" }?.error, "is Tadeusz Wiśniewski's (discharged): correct it, or save to refer them again")
        XCTAssertEqual(s.form?["referrer"], "Dr Patel", "what was typed stays")
        assertContains(view(s), "Nothing saved: the NHS number is Tadeusz Wiśniewski's")
    }

    func testTheSameNameAndBirthOffersAnEpisodeAndNoAddsADifferentPerson() {
        var fx = discharged()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        let people = s.caseload.patients.count
        referral(&s, name: "daniel  okafor", dob: "20/01/1961")
        XCTAssertEqual(s.route, .reReferralQuestion)
        assertContains(view(s), "The same name and birth date, 1961-01-20")
        assertContains(view(s), "y new episode · n a different person: add them")

        let effects = send(&s, .key(.char("n")))
        guard case .append(_, .patientAdded(let id))? = effects.first else { return XCTFail("\(effects)") }
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.caseload.patients.count, people + 1)
        XCTAssertEqual(s.caseload.patients[Fixture.okafor]?.episodes.count, 1, "his record untouched")
        XCTAssertNotEqual(id, Fixture.okafor)
        assertContains(view(s), "Saved: new patient")
    }

    func testYesToTheSameNameAndBirthOpensTheirSecondEpisode() {
        var fx = discharged()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        referral(&s, name: "Daniel Okafor", dob: "1961-01-20")
        carryOut(&s, send(&s, .key(.char("y"))), fixture: &fx)
        XCTAssertEqual(s.caseload.patients[Fixture.okafor]?.episodes.count, 2)
        assertContains(view(s), "Saved: referred again, episode 2 for Daniel Okafor")
    }

    func testAReReferralWithoutAReasonIsMarkedOnTheForm() {
        var s = AppState(caseload: discharged().state, workerId: "amira", asOf: Fixture.asOf)
        send(&s, .key(.char("a")))
        fill(&s, "name", "Daniel Okafor")
        fill(&s, "dob", "1961-01-20")
        send(&s, .key(.ctrl("s")))
        XCTAssertTrue(send(&s, .key(.char("y"))).isEmpty, "nothing saved")
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.form?.fields.first { $0.key == "reasons" }?.error, "give at least one reason for the referral")
    }

    func testAnOpenCaseWithTheSameNameAndBirthAsksBeforeASecondPerson() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        let people = s.caseload.patients.count
        referral(&s, name: "Siobhán Ní Bhriain", dob: "14/07/1990")
        XCTAssertEqual(s.route, .reReferralQuestion)
        assertContains(view(s), "Their case is open. Add a different person?")
        XCTAssertTrue(send(&s, .key(.char("n"))).isEmpty)
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.caseload.patients.count, people)
        send(&s, .key(.ctrl("s")))
        carryOut(&s, send(&s, .key(.char("y"))), fixture: &fx)
        XCTAssertEqual(s.caseload.patients.count, people + 1, "added on yes")
    }

    func testAnOpenCaseWithTheSameNHSNumberIsStillRefused() {
        var s = Fixture.app()
        referral(&s, name: "Tadeusz Wisniewski", nhs: "9434765919")
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.form?.fields.first { $0.key == "nhs" }?.error, "already on the caseload (referred); search for them instead")
    }

    func testTheQuestionIsWholeAt60Columns() {
        var s = AppState(caseload: discharged().state, workerId: "amira", asOf: Fixture.asOf, width: 60, height: 20)
        referral(&s, name: "Tadeusz Wisniewski", nhs: "9434765919")
        let g = view(s)
        for line in ["Already known: Tadeusz Wiśniewski", "The same NHS number, 943 476 5919", "discharged since 2026-11-01 · 1 episode",
                     "Open a new episode for Tadeusz Wiśniewski?", "Their details stay as recorded (E corrects them).",
                     "y new episode · n back to the form"] {
            assertContains(g, "│ \(line) ")
        }
        XCTAssertFalse(g.text.split(separator: "\n").contains { $0.contains("│") && $0.contains("…") }, "nothing in the box is cut:\n\(g.text)")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .form, "Esc: back to the form as typed")
        XCTAssertEqual(s.form?["referrer"], "Dr Patel")
    }
}
