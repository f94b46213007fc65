import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The reports screen: R from the main screens, the same figures as `caseload report`, with
/// bars and sparklines, scrolling, and a graceful small terminal.
final class ReportsScreenTests: XCTestCase {
    func testReportsScreenAt80x24() {
        var s = Fixture.app()
        send(&s, .key(.char("R")))
        XCTAssertEqual(s.route, .reports)
        let g = view(s)
        assertScreen(g, """
         Caseload · Amira Khan               yours: 4 · 1 overdue · 1 due today · 3 new
         Reports · all records, up to 2026-11-24 · everyone

         PEOPLE  6 people referred up to 2026-11-24 (by referral date)
           Referrals per month  most in a month: 3
             ▄▄▄█  2026-08 … 2026-11
           By source  of 6 referred
             GP                      ███████████████████████ 6 of 6 · 100%
             practice staff                                  0 of 6 · 0%
             nurse                                           0 of 6 · 0%
             hospital                                        0 of 6 · 0%
             VCSE                                            0 of 6 · 0%
             local authority                                 0 of 6 · 0%
             self                                            0 of 6 · 0%
             other                                           0 of 6 · 0%
           By reason  of 6 referred; one referral can give several
             loneliness              ███████████████████████ 2 of 6 · 33%
             mental wellbeing        ███████████▌            1 of 6 · 17%
             money/debt              ███████████▌            1 of 6 · 17%
             housing                 ███████████▌            1 of 6 · 17%
             physical activity       ███████████▌            1 of 6 · 17%
             long-term condition                             0 of 6 · 0%               ↓
         ? help  f follow-ups  u undo  p period  w whose  Esc back  q quit
                                                                       as of 2026-11-24
        """)
    }

    func testTheEndOfTheReportShowsTheSystemLevel() {
        var s = Fixture.app()
        send(&s, .key(.char("R")), .key(.end))
        let g = view(s)
        XCTAssertEqual(g.rowText(2), "     accompanied first visit ███████████████████████ 1 of 1 · 100%             ↑")
        assertContains(g, "     Thursday walking group      1     0     0     0     1     0     0")
        assertContains(g, "     Thursday walking group  ▁█▁▁  1 person")
        assertContains(g, "   Caseload per worker  6 open cases at 2026-11-24")
        assertContains(g, "     Amira Khan              ███████████████████████ 4")
        assertContains(g, "     Ben Ortiz               █████▊                  1 of 1 · 100% · up to 12d")
        XCTAssertEqual(g.rowText(21), "     Ben Ortiz               █████▊                  1 of 1 · 100% · up to 12d")
        // Down at the end stays at the end; Home goes back to the top.
        let end = s.reports.scroll
        send(&s, .key(.down))
        XCTAssertEqual(s.reports.scroll, end)
        send(&s, .key(.home))
        XCTAssertEqual(s.reports.scroll, 0)
    }

    func testMeasuresShowTheirChangeAndDistribution() {
        var s = Fixture.app(width: 100, height: 60)
        send(&s, .key(.char("R")))
        let g = view(s)
        assertContains(g, "     SWEMWBS (metric)         1 with a baseline, 1 with a follow-up, of 6 referred")
        assertContains(g, "       mean 17.43 → 21.54 ▲ +4.11")
        assertContains(g, "       better, meaningful 1 of 1 (≥3) · no meaningful change 0 · worse 0")
        assertContains(g, "       change  worse ▁▁▁▁▁█▁ better  0 0 0 0 0 1 0")
        assertContains(g, "   First contact  first session on or after the referral, up to 2026-11-24")
        assertContains(g, "     median 4 days · 90% within 4 days  (of 1 contacted)")
    }

    func testTheScreenShowsTheSameReportAsTheCommandLine() {
        var s = Fixture.app()
        send(&s, .key(.char("R")))
        XCTAssertEqual(s.reports.report, CaseloadReport.make(state: s.caseload, period: nil, options: ReportOptions(asOf: Fixture.asOf)))
    }

    func testPeriodAndWhoseCycle() {
        var s = Fixture.app()
        send(&s, .key(.char("R")), .key(.char("p")))
        XCTAssertEqual(s.reports.period, .thisQuarter)
        XCTAssertEqual(s.reports.report?.from, Day("2026-10-01"))
        assertContains(view(s), " Reports · this quarter so far, 2026-10-01 to 2026-11-24 · everyone")
        send(&s, .key(.char("p")))
        XCTAssertEqual(s.reports.report.map { "\($0.from!) \($0.to)" }, "2026-07-01 2026-09-30")
        XCTAssertEqual(s.reports.report?.people.referred, 2, "Okafor (1 Aug) and Begum (15 Sep)")
        send(&s, .key(.char("p")))
        XCTAssertEqual(s.reports.report?.from, Day("2025-12-01"), "the last 12 calendar months")
        send(&s, .key(.char("p")))
        XCTAssertNil(s.reports.report?.from)

        send(&s, .key(.char("w")))
        XCTAssertEqual(s.reports.report?.team, "North")
        send(&s, .key(.char("w")))
        XCTAssertEqual(s.reports.report?.worker, "amira")
        XCTAssertEqual(s.reports.report?.people.referred, 4)
        assertContains(view(s), "· my caseload")
        send(&s, .key(.char("w")))
        XCTAssertNil(s.reports.report?.worker)
    }

    func testReachableFromTheMainScreensAndEscGoesBack() {
        for keys in [[Key.char("R")], [.enter, .char("R")], [.char("f"), .char("R")], [.char("t"), .char("R")]] {
            var s = Fixture.app()
            for k in keys { send(&s, .key(k)) }
            XCTAssertEqual(s.route, .reports, "\(keys)")
            let under = s.routes.dropLast().last
            send(&s, .key(.escape))
            XCTAssertEqual(s.route, under, "\(keys)")
        }
        XCTAssertTrue(KeyTable.markdown().contains("| `R` | reports: referrals, outcomes, demand on groups |"))
        XCTAssertTrue(KeyTable.markdown().contains("### Reports"))
    }

    func testAChangeWhileOpenRecomputesTheReport() {
        var fixture = Fixture.standard()
        var s = AppState(caseload: fixture.state, workerId: "amira", asOf: Fixture.asOf)
        send(&s, .key(.char("R")))
        XCTAssertEqual(s.reports.report?.people.referred, 6)
        fixture.add(.patientReferred(PatientReferred(patientId: Fixture.id(9), name: "New Person",
                                                     referral: Referral(date: Fixture.asOf, source: .nurse, reasons: [.carer]))))
        send(&s, .saved(SaveResult(purpose: .change(description: "referral"), events: [fixture.events.last!], state: fixture.state)))
        XCTAssertEqual(s.reports.report?.people.referred, 7)
    }

    func testSmallTerminalsDegradeAndNeverCrash() {
        var s = Fixture.app(width: 40, height: 10)
        send(&s, .key(.char("R")))
        let g = view(s)
        XCTAssertEqual(g.rowText(1), " Reports · all records, up to 2026-11-2…")
        assertContains(g, "     GP          6 of 6 · 100%")
        send(&s, .key(.pageDown), .key(.pageDown), .key(.end))
        assertContains(view(s), "Ben Ortiz")
        for (w, h) in [(10, 3), (39, 9), (20, 24), (80, 10), (200, 60)] {
            send(&s, .resize(width: w, height: h))
            let grid = view(s)
            XCTAssertEqual(grid.width, w)
            if w < AppState.minimumWidth || h < AppState.minimumHeight { assertContains(grid, "Terminal") }
        }
    }
}

/// The goals panel, the timeline and the report read a measure with one rule and one set of words.
final class MeasureWordsTests: XCTestCase {
    func testThePanelTheTimelineAndTheReportSayTheSameAndTheChangeShowsAt60Columns() {
        var s = Fixture.app(width: 100, height: 60)
        send(&s, .key(.char("R")))
        assertContains(view(s), "better, meaningful 1 of 1")
        for width in [120, 80, 60] {
            var p = Fixture.app(width: width, height: 30)
            send(&p, .key(.enter))
            let timeline = view(p)
            assertContains(timeline, "Daniel Okafor")
            assertContains(timeline, "since 2026-08-05: ▲ +4.11 better, meaningful")
            send(&p, .key(.tab))
            let panel = view(p)
            let row = (0..<panel.height).map { panel.rowText($0) }.first { $0.contains("SWEMWBS metric") } ?? ""
            XCTAssertTrue(row.contains("▲ +4.11"), "at \(width) columns the change shows: '\(row)'")
            XCTAssertTrue(row.contains("▲ +4.11 better, meaningful"), "at \(width) columns the words show whole: '\(row)'")
        }
    }
}
