@testable import CaseloadTUI
import XCTest

/// Whole screens at 80x24 and 120x40, asserted as text.
final class SnapshotTests: XCTestCase {
    func testPatientListAt80x24() {
        let s = Fixture.app()
        let g = view(s)
        assertScreen(g, """
         Caseload · Amira Khan               yours: 4 · 1 overdue · 1 due today · 3 new
         6 shown · open cases · everyone · by name
          Name                         Status       Worker     Last seen  Next follow-up
        ▶ Daniel Okafor                active       Amira K.   2026-10-12 in 4d
          Rahima Begum                 referred     Ben O.     —          ! 12d overdue
          Siobhán Ní Bhriain           referred     Amira K.   —          • due today
          Tadeusz Wiśniewski           referred     Amira K.   —          tomorrow
          Wei Chen                     referred     Amira K.   —          ! 3d overdue
          王小明                       referred     Ben O.     —          —
        \(String(repeating: "\n", count: 12))
         ? help  Enter open  / filter  a add  f follow-ups  u undo  Esc back  q quit
                                                                       as of 2026-11-24
        """)
        XCTAssertEqual(g.cursor?.y, 3, "the cursor sits on the selected row")
        XCTAssertEqual(g.rows(with: .overdue), [4, 7])
    }

    func testPatientListAt120x40ShowsReasons() {
        let g = view(Fixture.app(width: 120, height: 40))
        XCTAssertEqual(g.rowText(2), "  Name                                Status       Worker           Last seen  Next follow-up Reasons")
        XCTAssertEqual(g.rowText(6), "  Tadeusz Wiśniewski                  referred     Amira K.         —          tomorrow       loneliness, bereavement")
        XCTAssertEqual(g.rowText(8), "  王小明                              referred     Ben O.           —          —              carer")
        XCTAssertEqual(g.rowText(39), String(repeating: " ", count: 103) + "as of 2026-11-24")
    }

    func testPatientViewAt80x24() {
        var s = Fixture.app()
        send(&s, .key(.enter))
        assertScreen(view(s), """
         Caseload · Amira Khan               yours: 4 · 1 overdue · 1 due today · 3 new
         Daniel Okafor  no NHS number · 65 y · active · worker Amira Khan
         Referred 2026-08-01 by GP (Dr Patel): loneliness, physical activity
         consent: share with GP yes · GP letter lacks NHS number and GP practice
         [Timeline]  Goals & outcomes   Connections   Follow-ups
        ▶ 2026-10-12  Session · phone · 20 min · Amira K.
            Went to the walking group twice. Feels more himself.
          2026-10-12  SWEMWBS: metric 21.54 (raw 24)
              since 2026-08-05: ▲ +4.11 better, meaningful
          2026-09-01  Connected: Thursday walking group (engaged, accompanied)
          2026-08-05  Session · face to face · 45 min · Amira K.
            First meeting at the surgery. Lives alone since his wife died; misses the
            allotment.
          2026-08-05  SWEMWBS: metric 17.43 (raw 18)
          2026-08-05  Goal set: Walk with others every week
          2026-08-05  Status: active
          2026-08-01  Status: referred
        \(String(repeating: "\n", count: 4))
         ? help  Tab pane  n note  e amend  c status  f follow-ups  u undo  Esc back
                                                                       as of 2026-11-24
        """)
    }

    func testGoalsPanelAt120x40() {
        var s = Fixture.app(width: 120, height: 40)
        send(&s, .key(.enter), .key(.tab))
        let g = view(s)
        XCTAssertEqual(g.rowText(4), "  Timeline  [Goals & outcomes]  Connections   Follow-ups")
        XCTAssertEqual(g.rowText(6), "▶ Walk with others every week                               7/10 ▂▄▅ 2 → 5 → 7")
        XCTAssertEqual(g.rowText(8), "  Measures  m records one, item by item")
        XCTAssertEqual(g.rowText(10), "  SWEMWBS metric         17.43 (5 Aug)     21.54 (12 Oct)    ▲ +4.11 better, meaningful")
        XCTAssertTrue(g.rows(with: .improved).contains(10))
    }

    func testGoalsPanelAt80x24FitsTheChangeColumn() {
        var s = Fixture.app()
        send(&s, .key(.enter), .key(.tab))
        // The verdict in the words every screen uses is never cut off; the dates (in the timeline) give way.
        XCTAssertEqual(view(s).rowText(10), "  SWEMWBS metric         17.43      21.54      ▲ +4.11 better, meaningful")
    }

    func testFollowupQueueAt80x24() {
        var s = Fixture.app()
        send(&s, .key(.char("f")))
        let g = view(s)
        // Names take the room they need; the reasons get the rest of the row.
        XCTAssertEqual(Array(g.text.split(separator: "\n", omittingEmptySubsequences: false)[1...11]).joined(separator: "\n"), """
         Follow-ups
          Overdue (2)
        ▶ Rahima Begum       ! 12d overdue  money advice call                 Ben O.
          Wei Chen           ! 3d overdue   check housing form                Amira K.

          Due today (1)
          Siobhán Ní Bhriain • due today    first face to face                Amira K.

          This week (2)
          Tadeusz Wiśniewski 2026-11-25     first call                        Amira K.
          Daniel Okafor      2026-11-28     review                            Amira K.
        """)
    }

    func testTeamViewGroupsOverdueByWorkerAt120x40() {
        var s = Fixture.app(width: 120, height: 40)
        send(&s, .key(.char("t")))
        let g = view(s)
        XCTAssertEqual(g.rowText(2), "  Ben Ortiz · 2 open · 1 overdue")
        XCTAssertEqual(g.rowText(3), "▶ Rahima Begum                 ! 12d overdue  money advice call")
        XCTAssertEqual(g.rowText(4), "  Amira Khan · 4 open · 1 overdue")
    }

    func testFollowupQueueAndTeamViewAt50ColumnsKeepNamesAndReasonsReadable() {
        var s = Fixture.app(width: 50, height: 15)
        send(&s, .key(.char("f")))
        var g = view(s)
        // The worker column goes first; names and reasons stay.
        XCTAssertEqual(g.rowText(3), "▶ Rahima Begum   ! 12d overdue  money advice call")
        XCTAssertFalse(g.text.contains("Ben O."), g.text)
        send(&s, .key(.escape), .key(.char("t")))
        g = view(s)
        XCTAssertEqual(g.rowText(3), "▶ Rahima Begum     ! 12d overdue  money advice ca…")
    }

    func testTooSmallNeverCrashes() {
        for (w, h) in [(10, 3), (1, 1), (0, 0), (39, 24), (80, 9), (3, 40)] {
            var s = Fixture.app(width: w, height: h)
            for route: Action in [.open, .nextPane, .followups] { _ = s.perform(route) }
            let g = view(s)
            XCTAssertEqual(g.width, w)
            if w >= 18 && h >= 2 { assertContains(g, "Terminal too small") }
        }
        var s = Fixture.app(width: 10, height: 3)
        XCTAssertEqual(view(s).text, "Terminal…\nneed 40x1…\n q quits")
        send(&s, .resize(width: 80, height: 24))
        assertContains(view(s), "yours: 4")
    }

    func testEveryScreenDrawsAtEverySizeWithoutCrashing() {
        var fx = Fixture.standard()
        var s = Fixture.app()
        let script: [Msg] = [.key(.enter), .key(.tab), .key(.tab), .key(.tab), .key(.char("n")), .paste("王小明 notes\nline two"),
                             .key(.escape), .key(.escape), .key(.char("f")), .key(.char("t")), .key(.char("s")), .key(.char("?")),
                             .key(.escape), .key(.escape), .key(.escape), .key(.escape), .key(.char("a")), .key(.ctrl("s"))]
        for m in script {
            carryOut(&s, update(&s, m), fixture: &fx)
            for (w, h) in [(40, 10), (41, 11), (80, 24), (120, 40), (200, 60)] {
                var t = s
                _ = update(&t, .resize(width: w, height: h))
                let g = view(t)
                XCTAssertEqual(g.height, h)
            }
        }
    }
}

/// The wide patient view: the focused pane with the rest of the record beside it.
final class WidePatientViewTests: XCTestCase {
    func testTimelineWithTheRecordAtAGlanceAt120x40() {
        var s = Fixture.app(width: 120, height: 40)
        send(&s, .key(.enter))
        let g = view(s)
        let rows = (5...17).map { g.rowText($0) }.joined(separator: "\n")
        XCTAssertEqual(rows, """
        ▶ 2026-10-12  Session · phone · 20 min · Amira K.                 │ Goals
            Went to the walking group twice. Feels more himself.          │ Walk with others every week                7/10 ▂▄▅
          2026-10-12  SWEMWBS: metric 21.54 (raw 24)                      │
              since 2026-08-05: ▲ +4.11 better, meaningful                │ Measures
          2026-09-01  Connected: Thursday walking group (engaged, accompa…│ SWEMWBS 17.43 → 21.54 ▲ +4.11 better, meaningful
          2026-08-05  Session · face to face · 45 min · Amira K.          │
            First meeting at the surgery. Lives alone since his wife      │ Connections
            died; misses the allotment.                                   │ Thursday walking group · engaged
          2026-08-05  SWEMWBS: metric 17.43 (raw 18)                      │
          2026-08-05  Goal set: Walk with others every week               │ Next follow-ups
          2026-08-05  Status: active                                      │ 2026-11-28 in 4d review
          2026-08-01  Status: referred                                    │
                                                                          │
        """)
    }
}
