import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// Contacts with outcomes in the app, through the same rules as `caseload session add` and
/// `caseload patient discharge`: update, then the grid.
final class ContactOutcomeScreenTests: XCTestCase {
    /// A new note open on `patient`, its outcome moved `outcomeSteps` along from attended.
    func noteOn(_ patient: UUID, _ s: inout AppState, outcomeSteps: Int = 0) {
        s.openPatient(patient)
        send(&s, .tick(now: 100), .key(.char("n")))
        XCTAssertEqual(s.route, .noteEditor)
        // text → date → method → minutes → outcome
        send(&s, .key(.tab), .key(.tab), .key(.tab), .key(.tab))
        XCTAssertEqual(s.editor?.focus, .outcome)
        for _ in 0..<outcomeSteps { send(&s, .key(.right)) }
        send(&s, .key(.tab))
        XCTAssertEqual(s.editor?.focus, .text)
    }

    func testADidNotAttendKeepsTheCaseAndTheOverdueFollowupAndAsksAboutTheNextTry() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        noteOn(Fixture.begum, &s, outcomeSteps: 1)
        XCTAssertEqual(s.editor?.outcome, .didNotAttend)
        assertContains(view(s), "Outcome ‹did not attend›  a note is optional")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [], "asks first")
        XCTAssertEqual(s.route, .contactQuestion)
        let g = view(s)
        assertContains(g, "Did not attend: Rahima Begum")
        assertContains(g, "The case and its follow-ups stay open.")
        assertContains(g, "Move the due follow-up to the next try, 2026-11-26?")
        let effects = send(&s, .key(.char("n")))
        guard case .append(let bodies, _)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(bodies.count, 1, "only the contact: no status change, no follow-up closed")
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.route, .patient)
        XCTAssertEqual(s.caseload.patients[Fixture.begum]?.status, .referred)
        XCTAssertEqual(s.caseload.overdue(asOf: Fixture.asOf).map(\.followupId).contains(Fixture.id(600)), true)
        assertContains(view(s), "Missed · phone · did not attend")
        XCTAssertEqual(s.status?.text, "Saved: did not attend (phone)")
    }

    func testThreeMissedInARowAreFlaggedInTheListAndOnTheirScreen() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        for round in 1...3 {
            noteOn(Fixture.begum, &s, outcomeSteps: 2)
            XCTAssertEqual(s.editor?.outcome, .noAnswer)
            let effects = send(&s, .key(.ctrl("s")))
            if round == 1 {
                // Her follow-up is overdue: yes, move it two days on (it stays open).
                XCTAssertEqual(s.route, .contactQuestion)
                carryOut(&s, send(&s, .key(.char("y"))), fixture: &fx)
            } else {
                // Now booked for later: saved at once, nothing to ask.
                XCTAssertEqual(s.route, .noteEditor)
                carryOut(&s, effects, fixture: &fx)
            }
        }
        XCTAssertEqual(s.caseload.followups[Fixture.id(600)]?.status, .open)
        XCTAssertEqual(s.caseload.followups[Fixture.id(600)]?.due, Day("2026-11-26"))
        XCTAssertEqual(s.status?.text, "Saved: no answer (phone); 3 missed in a row: flagged for review; next follow-up 2026-11-26")
        assertContains(view(s), "! review: 3 missed contacts in a row")
        // The status line says it whole at 80 columns, and still says "flagged for review" at 60.
        XCTAssertEqual(statusLine(view(s)), " Saved: no answer; 3 missed in a row: flagged for review       as of 2026-11-24")
        s.width = 60
        s.height = 20
        XCTAssertEqual(statusLine(view(s)), " Saved: 3 missed: flagged for review       as of 2026-11-24")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patientList)
        let row = view(s).text.split(separator: "\n").first { $0.contains("Rahima Begum") }
        XCTAssertTrue(row?.contains("! review") ?? false, "\(String(describing: row))")
    }

    func testAnAttendedContactAsksThenClosesTheDueFollowupAndMovesTheStatus() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        noteOn(Fixture.chen, &s)
        type(&s, "Housing form sent.")
        send(&s, .key(.ctrl("s")))
        XCTAssertEqual(s.route, .contactQuestion)
        assertContains(view(s), "Mark the follow-up due 2026-11-21, check housing form done?")
        let effects = send(&s, .key(.char("y")))
        guard case .append(let bodies, _)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertTrue(bodies.contains(.followupCompleted(FollowupCompleted(followupId: Fixture.id(601), date: Fixture.asOf, reschedulesSeen: 0))))
        XCTAssertTrue(bodies.contains(.patientStatusChanged(PatientStatusChanged(patientId: Fixture.chen, status: .contacted, date: Fixture.asOf))))
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.caseload.followups[Fixture.id(601)]?.status, .done)
        XCTAssertEqual(s.caseload.patients[Fixture.chen]?.status, .contacted)
        XCTAssertEqual(s.status?.text, "Saved: phone session note, follow-up done, now contacted")
        assertContains(view(s), "contacted")
    }

    func testNoKeepsTheFollowupOpenAndEscGoesBackToTheNote() {
        var s = Fixture.app()
        noteOn(Fixture.chen, &s)
        type(&s, "Left a message with his daughter.")
        send(&s, .key(.ctrl("s")))
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .noteEditor, "Esc on the question goes back to the note, unsaved")
        XCTAssertEqual(s.editor?.text, "Left a message with his daughter.")
        send(&s, .key(.ctrl("s")))
        let effects = send(&s, .key(.char("n")))
        guard case .append(let bodies, _)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertFalse(bodies.contains { if case .followupCompleted = $0 { return true } else { return false } })
    }

    func testAFutureContactIsRefusedAsOnTheCommandLine() {
        var s = Fixture.app()
        noteOn(Fixture.chen, &s)
        type(&s, "Tomorrow's call")
        send(&s, .key(.tab))
        for _ in 0..<10 { send(&s, .key(.backspace)) }
        type(&s, "2026-11-25")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [])
        XCTAssertEqual(s.route, .noteEditor)
        XCTAssertEqual(s.editor?.focus, .date)
        assertContains(view(s), "✗ Date: the session is in the future")
    }

    func testDischargeAsksWhatToDoWithOpenFollowups() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(Fixture.chen)
        send(&s, .key(.char("c")))
        XCTAssertFalse(s.form?.fields.first { $0.key == "status" }?.choices?.contains("did not attend") ?? true, "an outcome of a contact, not a status")
        while s.form?["status"] != "discharged" { send(&s, .key(.right)) }
        assertContains(view(s), "1 open follow-up")
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [], "refused until the person says")
        XCTAssertEqual(s.form?.fields.first { $0.key == "followups" }?.error?.contains("still open") ?? false, true)
        XCTAssertEqual(s.form?.fields[s.form!.focus].key, "followups")
        send(&s, .key(.right))
        XCTAssertEqual(s.form?["followups"], "complete them")
        carryOut(&s, send(&s, .key(.ctrl("s"))), fixture: &fx)
        XCTAssertEqual(s.caseload.patients[Fixture.chen]?.status, .discharged)
        XCTAssertEqual(s.caseload.followups[Fixture.id(601)]?.status, .done)
        XCTAssertEqual(s.caseload.openFollowups().map(\.patientId).contains(Fixture.chen), false)
    }

    func testTheReportsScreenShowsDNAAndNoAnswerRates() {
        var fx = Fixture.standard()
        fx.add(.sessionRecorded(SessionRecorded(sessionId: Fixture.id(700), patientId: Fixture.begum, date: Day("2026-11-20")!, kind: .phone,
                                                minutes: nil, note: "", outcome: .noAnswer)), author: "ben")
        fx.add(.sessionRecorded(SessionRecorded(sessionId: Fixture.id(701), patientId: Fixture.begum, date: Day("2026-11-21")!, kind: .homeVisit,
                                                minutes: nil, note: "", outcome: .didNotAttend)), author: "ben")
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: 100, height: 200)
        send(&s, .key(.char("R")))
        let g = view(s)
        assertContains(g, "Contact outcomes  4 contacts dated up to 2026-11-24")
        assertContains(g, "Ben Ortiz")
        assertContains(g, "2 contacts  DNA 1 · 50%  no answer 1 · 50%")
    }

    func testAnOpenRiskIsABannerOnThePersonsScreensAndInTheLetter() {
        var fx = Fixture.standard()
        fx.add(.riskRecorded(RiskRecorded(riskId: Fixture.id(800), patientId: Fixture.siobhan, kind: .loneWorking, note: "landlord's dog", date: Fixture.asOf)))
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(Fixture.siobhan)
        XCTAssertEqual(view(s).rowText(3).hasPrefix(" ! risk: lone working"), true, view(s).rowText(3))
        // On every pane of their record.
        for _ in 0..<3 {
            send(&s, .key(.tab))
            assertContains(view(s), "! risk: lone working")
        }
        send(&s, .key(.char("n")))
        XCTAssertEqual(s.route, .noteEditor)
        assertContains(view(s), "Session note — Siobhán Ní Bhriain  ! risk: lone working")
        send(&s, .key(.escape), .key(.char("M")))
        XCTAssertEqual(s.route, .letter)
        XCTAssertTrue(GPLetter.text(Fixture.siobhan, s).contains("Lone working since 2026-11-24: landlord's dog."))
    }

    func testRisksAreRecordedResolvedAndNoneKnownFromThePersonsScreen() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(Fixture.siobhan)
        send(&s, .key(.char("!")))
        XCTAssertEqual(s.route, .form)
        XCTAssertEqual(s.form?["what"], "lone working")
        send(&s, .key(.tab))
        type(&s, "landlord's dog")
        carryOut(&s, send(&s, .key(.ctrl("s"))), fixture: &fx)
        XCTAssertEqual(s.status?.text, "Saved: risk recorded: lone working")
        assertContains(view(s), "! risk: lone working")
        // "No known risks" is refused while one is open, beside the field.
        send(&s, .key(.char("!")))
        while s.form?["what"] != "no known risks" { send(&s, .key(.right)) }
        XCTAssertEqual(send(&s, .key(.ctrl("s"))), [])
        XCTAssertTrue(s.form?.fields[0].error?.contains("resolve it first") ?? false)
        send(&s, .key(.right))
        XCTAssertEqual(s.form?["what"], "resolve: lone working since 2026-11-24")
        carryOut(&s, send(&s, .key(.ctrl("s"))), fixture: &fx)
        XCTAssertFalse(view(s).text.contains("! risk:"))
        send(&s, .key(.char("!")))
        while s.form?["what"] != "no known risks" { send(&s, .key(.right)) }
        carryOut(&s, send(&s, .key(.ctrl("s"))), fixture: &fx)
        XCTAssertEqual(s.caseload.riskStatus(of: Fixture.siobhan), .noneKnown(since: Fixture.asOf))
    }

    func testADraftKeepsItsOutcome() {
        var fx = Fixture.standard()
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        noteOn(Fixture.begum, &s, outcomeSteps: 2)
        type(&s, "Rang twice")
        carryOut(&s, send(&s, .tick(now: 105)), fixture: &fx)
        XCTAssertEqual(fx.state.drafts.values.first?.outcome, .noAnswer)
        var reopened = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        reopened.openPatient(Fixture.begum)
        send(&reopened, .key(.char("n")), .key(.char("r")))
        XCTAssertEqual(reopened.route, .noteEditor)
        XCTAssertEqual(reopened.editor?.outcome, .noAnswer)
        XCTAssertFalse(reopened.editor?.needsDraftSave ?? true, "restored as saved")
    }

    func testAMissedContactWithALaterFollowupBookedAsksNothing() {
        var s = Fixture.app()
        noteOn(Fixture.tadeusz, &s, outcomeSteps: 2)  // his first call is due tomorrow
        let effects = send(&s, .key(.ctrl("s")))
        XCTAssertEqual(s.route, .noteEditor, "saved at once, no question")
        guard case .append(let bodies, .note(let description, _))? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(bodies.count, 1)
        XCTAssertEqual(description, "no answer (phone), next follow-up 2026-11-25")
    }

    func testTheQuestionSaysWhenThisContactFlagsThePerson() {
        var fx = Fixture.standard()
        for (n, day) in ["2026-11-20", "2026-11-21"].enumerated() {
            fx.add(.sessionRecorded(SessionRecorded(sessionId: Fixture.id(710 + n), patientId: Fixture.chen, date: Day(day)!, kind: .phone,
                                                    minutes: nil, note: "", outcome: .noAnswer)))
        }
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        noteOn(Fixture.chen, &s, outcomeSteps: 2)
        send(&s, .key(.ctrl("s")))
        XCTAssertEqual(s.route, .contactQuestion)
        assertContains(view(s), "3 missed in a row: flagged for review")
    }
}

/// The bottom row of the screen, where "Saved: …" is said.
private func statusLine(_ g: Grid) -> String {
    String(g.text.split(separator: "\n", omittingEmptySubsequences: false).last ?? "")
}
