import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The app's forms save through the rules `caseload goal progress` and `followup reschedule`
/// call: the same refusals, in the same words, on the field they are about.
final class FormRulesTests: XCTestCase {
    var ids = IdSource(seed: 1, 2)

    func testProgressDatedTomorrowIsRefusedOnItsDateFieldAsTheCommandRefusesIt() throws {
        let app = Fixture.app()
        let goal = try XCTUnwrap(app.caseload.goals.values.first)
        var form = Forms.recordProgress(goal: goal, asOf: Fixture.asOf)
        form["score"] = "8"
        form["date"] = Fixture.asOf.adding(days: 1).description
        guard case .invalid(let refused) = Forms.submit(form, state: app, ids: &ids) else { return XCTFail("a day after today is refused") }
        let rule = Rules.recordProgress(goalId: goal.id, score: 8, date: Fixture.asOf.adding(days: 1), state: app.caseload, context: app.ruleContext)
        guard case .failure(let problems) = rule else { return XCTFail("the rule refuses it too") }
        XCTAssertEqual(refused.fields.first { $0.key == "date" }?.error, problems.items.first?.message)
        XCTAssertEqual(problems.items.first?.message, "the date is after today (2026-11-24): record it on the day, or earlier")
        XCTAssertEqual(refused.fields[refused.focus].key, "date", "the cursor goes to the date")
    }

    func testAClosedFollowupsRescheduleFormSaysWhyNothingWasSaved() throws {
        var f = Fixture.standard()
        f.add(.followupCompleted(FollowupCompleted(followupId: Fixture.id(604), date: Fixture.asOf)))
        let app = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 80, height: 24)
        let followup = try XCTUnwrap(app.caseload.followups[Fixture.id(604)])
        let form = Forms.reschedule(followup: followup, patientName: "Daniel Okafor", to: Fixture.asOf.adding(days: 7), focusReason: false)
        guard case .invalid(let refused) = Forms.submit(form, state: app, ids: &ids) else { return XCTFail("a done follow-up is not moved") }
        XCTAssertEqual(refused.message, "follow-up 00000000 is already done")
    }
}
