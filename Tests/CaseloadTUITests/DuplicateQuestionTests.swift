import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// D on the screen of someone who "may be a duplicate of" another record: a box naming both,
/// m merges the other record into this one, d says they are different people, both through
/// `Rules.resolveDuplicate` with the arguments `caseload patient merge` / `distinct` give it.
final class DuplicateQuestionTests: XCTestCase {
    static let twin = Fixture.id(900)
    static let twinSession = Fixture.id(901)

    /// Ben added Daniel Okafor again on his laptop, offline, and phoned him: the same name and
    /// date of birth, no NHS number on either record.
    func withTwin() -> Fixture {
        var fx = Fixture.standard()
        fx.add(.patientReferred(PatientReferred(patientId: Self.twin, name: "Daniel Okafor", dateOfBirth: Day("1961-01-20"), worker: "ben",
                                                referral: Referral(date: Day("2026-11-20")!, source: .selfReferral, reasons: [.housing]))),
               author: "ben")
        fx.add(.sessionRecorded(SessionRecorded(sessionId: Self.twinSession, patientId: Self.twin, date: Day("2026-11-21")!, kind: .phone,
                                                minutes: 15, note: "Asked about the allotment society waiting list.")), author: "ben")
        return fx
    }

    func open(_ fx: Fixture, _ id: UUID, width: Int = 80, height: Int = 24) -> AppState {
        var s = AppState(caseload: fx.state, workerId: "amira", asOf: Fixture.asOf, width: width, height: height)
        s.openPatient(id)
        return s
    }

    func testTheBoxNamesBothRecordsAndWhyTheyLookAlike() {
        let fx = withTwin()
        var s = open(fx, Fixture.okafor)
        assertContains(view(s), "! may be a duplicate of Daniel Okafor")
        send(&s, .key(.char("D")))
        XCTAssertEqual(s.route, .duplicateQuestion)
        let g = view(s)
        assertContains(g, "Likely the same person: the same name and date of birth")
        assertContains(g, "This:  Daniel Okafor, born 1961-01-20")
        assertContains(g, "Amira Khan · referred 2026-08-01 · 2 contacts")
        assertContains(g, "Other: Daniel Okafor, born 1961-01-20")
        assertContains(g, "Ben Ortiz · referred 2026-11-20 · 1 contact")
        assertContains(g, "m merge the other into this (all of it kept)")
        assertContains(g, "d different people · Esc back")
        // Esc: nothing changes, the banner stays.
        XCTAssertTrue(send(&s, .key(.escape)).isEmpty)
        XCTAssertEqual(s.route, .patient)
        assertContains(view(s), "! may be a duplicate of Daniel Okafor")
    }

    func testTheBoxIsWholeAt60x20() {
        var s = open(withTwin(), Fixture.okafor, width: 60, height: 20)
        send(&s, .key(.char("D")))
        let rows = view(s).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let top = rows.firstIndex { $0.contains("┌") }, bottom = rows.lastIndex { $0.contains("└") }
        guard let top, let bottom else { return XCTFail("no box:\n\(view(s).text)") }
        let box = rows[top...bottom].joined(separator: "\n")
        for line in ["Likely the same person: the same name and date of", "This:  Daniel Okafor, born 1961-01-20",
                     "Other: Daniel Okafor, born 1961-01-20", "Ben Ortiz · referred 2026-11-20 · 1 contact",
                     "m merge the other into this (all of it kept)", "d different people · Esc back"] {
            XCTAssertTrue(box.contains(line), "box lacks \"\(line)\":\n\(box)")
        }
        for row in rows[(top + 1)..<bottom] {
            XCTAssertEqual(row.filter { $0 == "│" }.count, 2, "a box row is cut: \(row)")
        }
    }

    func testMergeAppendsTheRulesEventsAndTheOtherRecordsContactShowsHere() throws {
        var fx = withTwin()
        var s = open(fx, Fixture.okafor)
        send(&s, .key(.char("D")))
        let effects = send(&s, .key(.char("m")))
        guard case .append(let bodies, _)? = effects.first, effects.count == 1 else { return XCTFail("\(effects)") }
        // The very events `caseload patient merge OKAFOR TWIN` appends.
        guard case .success(let expected) = Rules.resolveDuplicate(keep: Fixture.okafor, other: Self.twin, merge: true,
                                                                   state: s.caseload, context: s.ruleContext) else {
            return XCTFail("the rule refused")
        }
        XCTAssertEqual(bodies, expected)

        carryOut(&s, effects, fixture: &fx)
        XCTAssertNil(s.caseload.patients[Self.twin], "one record of him")
        XCTAssertEqual(s.caseload.sessions[Self.twinSession]?.patientId, Fixture.okafor)
        XCTAssertEqual(s.route, .patient)
        let screen = view(s)
        XCTAssertFalse(screen.text.contains("may be a duplicate"), screen.text)
        assertContains(screen, "Saved: merged the other record of Daniel Okafor into this one")
        assertContains(screen, "Asked about the allotment society")
        // u takes the merge back, as any change, and says what it was.
        guard case .undo(let undoIds, let undone)? = send(&s, .key(.char("u"))).first else { return XCTFail("nothing to undo") }
        XCTAssertEqual(undoIds, [fx.events.last!.id])
        XCTAssertEqual(undone, "merge of the other record of Daniel Okafor")
    }

    func testDifferentPeopleTakesTheBannerOffBothRecords() {
        var fx = withTwin()
        var s = open(fx, Self.twin)
        send(&s, .key(.char("D")))
        let effects = send(&s, .key(.char("d")))
        guard case .append(let bodies, _)? = effects.first else { return XCTFail("\(effects)") }
        guard case .success(let expected) = Rules.resolveDuplicate(keep: Self.twin, other: Fixture.okafor, merge: false,
                                                                   state: s.caseload, context: s.ruleContext) else {
            return XCTFail("the rule refused")
        }
        XCTAssertEqual(bodies, expected)
        carryOut(&s, effects, fixture: &fx)
        XCTAssertEqual(s.caseload.patients.count, 7, "both records stay")
        assertContains(view(s), "Saved: Daniel Okafor and Daniel Okafor are different people")
        XCTAssertFalse(view(s).text.contains("may be a duplicate"))
        s.openPatient(Fixture.okafor)
        XCTAssertFalse(view(s).text.contains("may be a duplicate"), "nor on the other record")
        // D now has nothing to ask.
        send(&s, .key(.char("D")))
        XCTAssertEqual(s.route, .patient)
        assertContains(view(s), "Daniel Okafor has no likely duplicate")
    }

    /// While the box was open a sync gave the other record a different NHS number: two
    /// people, so the rule refuses the merge; the box says why and nothing is saved.
    func testAMergeRefusedForDifferentNHSNumbersSaysWhyAndSavesNothing() {
        var fx = Fixture.standard()
        fx.add(.patientReferred(PatientReferred(patientId: Self.twin, name: "Tadeusz Wisniewski", dateOfBirth: Day("1948-03-02"), worker: "ben",
                                                referral: Referral(date: Fixture.asOf, source: .gp, reasons: [.loneliness]))), author: "ben")
        var s = open(fx, Fixture.tadeusz)
        send(&s, .key(.char("D")))
        assertContains(view(s), "Other: Tadeusz Wisniewski, born 1948-03-02")
        fx.add(.patientUpdated(PatientUpdated(patientId: Self.twin, nhsNumber: NHSNumber("401 023 2137"))), author: "ben")
        s.caseload = fx.state
        let events = fx.events.count

        XCTAssertTrue(send(&s, .key(.char("m"))).isEmpty, "nothing appended")
        XCTAssertEqual(fx.events.count, events)
        XCTAssertEqual(s.route, .duplicateQuestion, "the box stays: d or Esc")
        let g = view(s)
        assertContains(g, "Not merged: the two records have different NHS")
        assertContains(g, "943 476 5919, 401 023 2137")
        assertContains(g, "Not merged: see the box")
        XCTAssertEqual(s.caseload.patients.count, 7)
    }

    func testSeveralLikelyDuplicatesAreTakenOneAtATime() {
        var fx = withTwin()
        fx.add(.patientReferred(PatientReferred(patientId: Fixture.id(902), name: "Daniel OKAFOR", dateOfBirth: Day("1961-01-20"), worker: "amira",
                                                referral: Referral(date: Day("2026-11-22")!, source: .gp, reasons: [.loneliness]))))
        var s = open(fx, Fixture.okafor)
        send(&s, .key(.char("D")))
        assertContains(view(s), "(1 more likely duplicate after this: D again)")
        carryOut(&s, send(&s, .key(.char("m"))), fixture: &fx)
        assertContains(view(s), "! may be a duplicate of")
        send(&s, .key(.char("D")))
        XCTAssertFalse(view(s).text.contains("more likely duplicate"))
        carryOut(&s, send(&s, .key(.char("m"))), fixture: &fx)
        XCTAssertFalse(view(s).text.contains("may be a duplicate"))
        XCTAssertEqual(s.caseload.patients.count, 6)
    }

    func testHelpListsTheKeyOnThePersonsScreen() {
        var s = open(withTwin(), Fixture.okafor)
        send(&s, .key(.char("?")))
        assertContains(view(s), "a likely duplicate: merge the other record in")
    }
}
