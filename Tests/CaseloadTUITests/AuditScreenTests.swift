import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// Opening a person's screen is recorded once (who and when are the event's; no content),
/// moving along the list records nothing, and a restricted record is off the list.
final class AuditScreenTests: XCTestCase {
    func views(_ effects: [Effect]) -> [PatientViewed] {
        effects.flatMap { e -> [PatientViewed] in
            guard case .append(let bodies, .audit) = e else { return [] }
            return bodies.compactMap { if case .patientViewed(let v) = $0 { return v } else { return nil } }
        }
    }

    func testOpeningThePersonsScreenRecordsOneViewAndMovingTheListNone() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        XCTAssertEqual(views(send(&s, .key(.down), .key(.down), .key(.up), .key(.down))), [], "moving along the list opens no one")
        let selected = s.list.rows[s.list.selected]
        let name = s.caseload.patients[selected]!.name
        let opened = send(&s, .key(.enter))
        XCTAssertEqual(views(opened), [PatientViewed(patientId: selected, how: "app", date: Fixture.asOf)])
        assertContains(view(s), name)
        carryOut(&s, opened, fixture: &fx)
        XCTAssertEqual(fx.events.last?.author, "amira", "the view is hers")
        assertContains(view(s), name)  // saving the view changes nothing on screen
        XCTAssertNil(s.lastChange, "a view is not a change to undo")

        // Back to the list and in again a minute later, moving between panes: the same look.
        XCTAssertEqual(views(send(&s, .tick(now: 60, wall: nil), .key(.tab), .key(.escape), .key(.enter))), [])
        // Ten minutes on (the idle lock came down and was lifted), it is another look.
        send(&s, .key(.escape), .tick(now: 660, wall: nil))
        XCTAssertNotNil(s.lock, "ten minutes without a key locks the screen")
        XCTAssertEqual(views(send(&s, .key(.enter))), [], "lifting the lock opens no one")
        XCTAssertEqual(views(send(&s, .key(.enter))).count, 1)
        // Someone else: recorded at once.
        XCTAssertEqual(views(send(&s, .key(.escape), .key(.down), .key(.enter))).map(\.patientId), [s.list.rows[s.list.selected]])
    }

    func testARestrictedPersonIsOffTheListAndTheQueueAndBackWhenUnrestricted() {
        var fx = Fixture.standard()
        assertContains(view(Fixture.app()), "Daniel Okafor")
        fx.add(.patientRestricted(PatientRestricted(patientId: Fixture.okafor, reason: "contests the record", date: Fixture.asOf)))
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        XCTAssertFalse(view(s).text.contains("Daniel Okafor"), view(s).text)
        XCTAssertFalse(s.list.rows.contains(Fixture.okafor))
        assertContains(view(s), "· by name · 1 restricted")
        XCTAssertFalse(s.queue.rows.contains { s.caseload.followups[$0.followupId]?.patientId == Fixture.okafor })
        // Typing his name finds no one.
        _ = s.typeFilter("okafor")
        XCTAssertEqual(s.list.rows, [])

        fx.add(.patientUnrestricted(PatientUnrestricted(patientId: Fixture.okafor, date: Fixture.asOf)))
        s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        assertContains(view(s), "Daniel Okafor")
    }
}

extension AuditScreenTests {
    /// A record restricted by a colleague while it is open (the sync brought it in) says so.
    func testARestrictedRecordOnScreenSaysItIsReadOnly() {
        var fx = Fixture.standard()
        fx.add(.patientRestricted(PatientRestricted(patientId: Fixture.okafor, reason: "contests the record", date: Fixture.asOf)), author: "ben")
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf)
        s.openPatient(Fixture.okafor)
        assertContains(view(s), "! restricted since 2026-11-24: read only")
    }
}

extension AuditScreenTests {
    /// X on the person's screen asks why, naming the person; Enter restricts, and they leave the list.
    func testXRestrictsAfterAConfirmThatNamesThePerson() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        s.openPatient(Fixture.okafor)
        send(&s, .key(.char("X")))
        assertContains(view(s), "Restrict Daniel Okafor?")
        XCTAssertEqual(send(&s, .key(.enter)).count, 0, "a reason is needed")
        type(&s, "contests the record")
        let effects = send(&s, .key(.enter))
        guard case .append(let bodies, _)? = effects.first, case .patientRestricted(let r)? = bodies.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(r.patientId, Fixture.okafor)
        carryOut(&s, effects, fixture: &fx)
        assertContains(view(s), "! restricted since 2026-11-24: read only")
        send(&s, .key(.escape))
        XCTAssertFalse(s.list.rows.contains(Fixture.okafor))
        XCTAssertFalse(view(s).text.split(separator: "\n").dropLast().contains { $0.contains("Daniel Okafor") }, "off the list (the status line names him)")
    }
}

extension AuditScreenTests {
    /// Z on the person's screen asks why and for the word erase, naming the person and saying it
    /// cannot be undone; then they are off the list and `u` does not bring them back.
    func testZErasesAfterAConfirmThatNamesThePersonAndIsNotUndone() {
        var fx = Fixture.standard()
        var s = Fixture.app(width: 100, height: 30)
        s.openPatient(Fixture.okafor)
        send(&s, .key(.char("Z")))
        assertContains(view(s), "Erase Daniel Okafor? Cannot be undone; unreadable on every device")
        type(&s, "erasure request")
        send(&s, .key(.tab))
        type(&s, "yes")
        XCTAssertEqual(send(&s, .key(.enter)).count, 0, "only the word erase confirms")
        assertContains(view(s), "type erase to confirm")
        for _ in 0..<3 { send(&s, .key(.backspace)) }
        type(&s, "erase")
        let effects = send(&s, .key(.enter))
        guard case .append(let bodies, _)? = effects.first, case .patientErased(let e)? = bodies.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(e.patientId, Fixture.okafor)
        XCTAssertEqual(e.reason, "erasure request")
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.route, .patientList)
        assertContains(view(s), "Erased")
        XCTAssertFalse(s.list.rows.contains(Fixture.okafor))
        XCTAssertFalse(view(s).text.contains("restricted"), "an erased person is not counted as restricted")
        XCTAssertTrue(send(&s, .key(.char("u"))).isEmpty, "nothing to undo")
        assertContains(view(s), "Nothing to undo")
    }
}
