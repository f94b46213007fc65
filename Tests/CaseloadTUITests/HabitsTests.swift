import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// Habits people bring from other programs: UK dates, pastes from Windows, `/` again.
final class HabitsTests: XCTestCase {
    /// The new-referral form, name typed, focus on the date of birth.
    func referralForm(dob: String) -> AppState {
        var s = Fixture.app()
        send(&s, .key(.char("a")))
        type(&s, "Zoë Łukasz")
        send(&s, .key(.tab), .key(.tab), .key(.tab))
        type(&s, dob)
        return s
    }

    func referredDateOfBirth(_ effects: [Effect]) -> Day? {
        for case .append(let bodies, _) in effects {
            for case .patientReferred(let r) in bodies { return r.dateOfBirth }
        }
        return nil
    }

    func testFormsTakeUKDatesAsWellAsISO() {
        for (typed, expected) in [("12/03/1948", "1948-03-12"), ("1948-03-12", "1948-03-12"), ("1.3.1948", "1948-03-01")] {
            var s = referralForm(dob: typed)
            let effects = send(&s, .key(.ctrl("s")))
            XCTAssertEqual(referredDateOfBirth(effects), Day(expected), typed)
        }
    }

    func testImpossibleUKDatesAreRefusedWithTheFormatsToUse() {
        for typed in ["30/02/1948", "12/13/1948", "12/03/48", "03/12/1948x"] {
            var s = referralForm(dob: typed)
            let effects = send(&s, .key(.ctrl("s")))
            XCTAssertNil(referredDateOfBirth(effects), typed)
            XCTAssertEqual(s.form?.fields[3].error, "not a date: write YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-11-24", typed)
        }
    }

    func testACRLFPasteGivesOneLineBreakPerLine() {
        var s = Fixture.app()
        send(&s, .tick(now: 100), .key(.enter), .key(.char("n")))
        send(&s, .paste("Rang Siobhán.\r\nBooked the café.\r\n\r\nOld Mac line\rend"))
        XCTAssertEqual(s.editor?.text, "Rang Siobhán.\nBooked the café.\n\nOld Mac line\nend")
    }

    func testSlashAgainStartsAFreshFilter() {
        var s = Fixture.app()
        type(&s, "/housing")
        send(&s, .key(.enter))
        XCTAssertEqual(s.list.rows, [Fixture.chen])
        type(&s, "/")
        XCTAssertEqual(s.list.filter.text, "", "the old filter is cleared")
        type(&s, "wisn")
        XCTAssertEqual(s.list.rows, [Fixture.tadeusz])
    }

    func testEscOnAFilledFormAsksBeforeThrowingItAway() {
        var s = referralForm(dob: "12/03/1948")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .form, "the first Esc only asks")
        XCTAssertTrue(view(s).rowText(23).contains("Esc again discards"), view(s).rowText(23))
        type(&s, "")
        send(&s, .key(.left))
        XCTAssertEqual(s.route, .form)
        XCTAssertNil(s.status, "any other key carries on")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .form, "asked again after carrying on")
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patientList, "the second Esc discards")
    }

    func testEscOnAnUntouchedFormLeavesAtOnce() {
        var s = Fixture.app()
        send(&s, .key(.char("a")), .key(.escape))
        XCTAssertEqual(s.route, .patientList)
    }

    func testSearchHighlightsTheMatchIgnoringCaseAndAccents() {
        var s = Fixture.app()
        send(&s, .key(.char("s")))
        type(&s, "ALLOTMENT")
        send(&s, .key(.enter))
        let g = view(s)
        guard let y = (0..<g.height).first(where: { g.rowText($0).contains("allotment") }) else { return XCTFail(g.text) }
        let row = g.rowText(y)
        let start = DisplayWidth.of(String(row[..<row.range(of: "allotment")!.lowerBound]))
        for x in start..<start + 9 { XCTAssertEqual(g[x, y].role, .match, "column \(x)") }
        XCTAssertNotEqual(g[start - 2, y].role, .match)
        XCTAssertNotEqual(g[start + 10, y].role, .match)
        XCTAssertEqual(SearchView.highlighted("Zoë and zoe", query: "ZOE").filter { $0.role == .match }.map(\.text), ["Zoë", "zoe"])
    }

    func testSlashAgainStartsAFreshSearch() {
        var s = Fixture.app()
        send(&s, .key(.char("s")))
        type(&s, "allotment")
        send(&s, .key(.enter))
        XCTAssertFalse(s.search.hits.isEmpty)
        XCTAssertFalse(s.search.isTyping)
        XCTAssertTrue(view(s).rowText(22).contains("/ search"), "the hint bar says so: \(view(s).rowText(22))")
        type(&s, "/")
        XCTAssertEqual(s.route, .search)
        XCTAssertEqual(s.search.query.text, "", "the old search is cleared")
        XCTAssertTrue(s.search.isTyping, "and the next keys type the new one")
        type(&s, "housing")
        XCTAssertEqual(s.search.query.text, "housing")
        XCTAssertTrue(view(s).text.contains("housing"), view(s).text)
        send(&s, .key(.escape))
        XCTAssertEqual(s.route, .patientList, "one Esc leaves: a fresh search is not a screen on a screen")
    }

    // MARK: Mouse

    func testAClickSelectsTheRowUnderThePointerAndADoubleClickOpensIt() {
        var s = Fixture.app()
        let g = view(s)
        // Screen row 5 is the third patient in the list.
        let third = s.list.rows[2]
        XCTAssertTrue(g.rowText(5).contains(s.caseload.patients[third]!.displayName), g.text)
        send(&s, .mouse(MouseEvent(.click, x: 10, y: 5)))
        XCTAssertEqual(s.list.selected, 2)
        XCTAssertEqual(s.route, .patientList, "one click only selects")
        XCTAssertTrue(view(s).rowText(5).hasPrefix("▶"))
        send(&s, .mouse(MouseEvent(.doubleClick, x: 10, y: 5)))
        XCTAssertEqual(s.route, .patient)
        XCTAssertEqual(s.patient?.patientId, third)
    }

    func testClicksOutsideTheListChangeNothing() {
        var s = Fixture.app()
        for y in [0, 1, 2, 12, 22, 23] { send(&s, .mouse(MouseEvent(.click, x: 3, y: y))) }
        XCTAssertEqual(s.list.selected, 0)
        XCTAssertEqual(s.route, .patientList)
    }

    /// The screen row showing `name`, or nil.
    func screenRow(of name: String, in g: Grid) -> Int? { (0..<g.height).first { g.rowText($0).contains(name) } }

    func testInTheFollowUpQueueAndTheTeamViewAClickSelectsAndADoubleClickOpens() throws {
        for (screen, selected) in [(Key.char("f"), { (s: AppState) in s.queue.selected }), (.char("t"), { (s: AppState) in s.team.selected })] {
            var s = Fixture.app()
            send(&s, .key(screen))
            let route = s.route
            let chen = try XCTUnwrap(s.caseload.patients[Fixture.chen]?.displayName)
            let y = try XCTUnwrap(screenRow(of: chen, in: view(s)), view(s).text)
            XCTAssertFalse(view(s).rowText(y).hasPrefix("▶"), "not selected yet")
            send(&s, .mouse(MouseEvent(.click, x: 10, y: y)))
            let row = selected(s)
            XCTAssertNotEqual(row, 0, "\(route): the click moved the selection")
            XCTAssertTrue(view(s).rowText(y).hasPrefix("▶"), view(s).text)
            XCTAssertEqual(s.route, route, "one click only selects")
            // A heading, the title and the footer are not rows: nothing changes.
            for other in [1, 2, 22, 23] { send(&s, .mouse(MouseEvent(.click, x: 10, y: other))) }
            XCTAssertEqual(selected(s), row, "\(route): clicks off the rows change nothing")
            send(&s, .mouse(MouseEvent(.doubleClick, x: 10, y: y)))
            XCTAssertEqual(s.route, .patient, "\(route): a double-click opens the person")
            XCTAssertEqual(s.patient?.patientId, Fixture.chen)
        }
    }

    func testTheWheelScrollsListsTheTimelineAndTheEditor() {
        var s = Fixture.app()
        send(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 8)))
        XCTAssertEqual(s.list.selected, 3)
        send(&s, .mouse(MouseEvent(.wheelUp, x: 3, y: 8)))
        XCTAssertEqual(s.list.selected, 0)

        send(&s, .key(.enter))
        let before = s.patient?.selectedRow
        send(&s, .mouse(MouseEvent(.wheelDown, x: 3, y: 8)))
        XCTAssertNotEqual(s.patient?.selectedRow, before, "the timeline scrolls")

        send(&s, .tick(now: 100), .key(.char("n")))
        send(&s, .paste("one\ntwo\nthree\nfour\nfive"))
        send(&s, .mouse(MouseEvent(.wheelUp, x: 3, y: 8)))
        XCTAssertEqual(s.editor?.text, "one\ntwo\nthree\nfour\nfive", "scrolling never types")
        send(&s, .key(.char("X")))
        XCTAssertEqual(s.editor?.text, "one\ntwoX\nthree\nfour\nfive", "the wheel moved the cursor up three lines, as ↑ does")
    }
}
