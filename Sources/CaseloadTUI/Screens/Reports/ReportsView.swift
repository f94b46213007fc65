import CaseloadCore

/// The report on screen: the same figures as `caseload report`, with bars and sparklines
/// where a person would rather look than read. Every figure keeps its "of N".
enum ReportsView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let report = state.reports.report, rect.height > 1 else { return }
        let (titleRow, body) = rect.splitTop(1)
        grid.line(" Reports · \(state.reports.period.label), \(report.periodText) · \(state.reportScopeLabel)", in: titleRow, role: .title)
        let all = lines(report, width: body.width)
        let top = min(state.reports.scroll, max(0, all.count - body.height))
        for (i, line) in all.dropFirst(top).prefix(body.height).enumerated() {
            let y = body.y + i
            grid.draw(line, x: body.x + 1, y: y, maxX: body.maxX - 1)
            if line.reduce(0, { $0 + DisplayWidth.of($1.text) }) > body.width - 2 {
                grid.put("…", x: body.maxX - 1, y: y, role: line.last?.role ?? .normal)
            }
        }
        if top > 0 { grid.put("↑", x: body.maxX - 1, y: body.y, role: .dim) }
        if top + body.height < all.count { grid.put("↓", x: body.maxX - 1, y: body.maxY - 1, role: .dim) }
        grid.cursor = (body.x, body.y)
    }

    /// How far the report scrolls on this screen.
    static func maxScroll(_ state: AppState) -> Int {
        guard let report = state.reports.report else { return 0 }
        let bodyHeight = state.height - 4
        return max(0, lines(report, width: state.width).count - bodyHeight)
    }

    // MARK: Lines

    static func lines(_ r: CaseloadReport, width: Int) -> [[Span]] {
        let w = max(20, width - 2)
        let labelWidth = min(24, max(10, w * 3 / 10))
        // Bars take what is left after the label and the "12 of 40 · 30% · up to 12d" text, up to 30 columns.
        let barWidth = max(0, min(30, w - 4 - labelWidth - 2 - 26))
        var out: [[Span]] = []
        func heading(_ text: String, _ note: String = "") { out.append([]); out.append([Span(text, .title), Span(note.isEmpty ? "" : "  " + note, .dim)]) }
        func sub(_ text: String, _ note: String = "") { out.append([Span("  " + text, .header), Span(note.isEmpty ? "" : "  " + note, .dim)]) }
        func barLine(_ label: String, _ count: Int, of whole: Int, max top: Int, extra: String = "") {
            let text = "\(count) of \(whole) · \(CaseloadReport.percent(count, of: whole))" + extra
            out.append([Span("    " + DisplayWidth.pad(DisplayWidth.truncate(label, columns: labelWidth), columns: labelWidth) + " "),
                        Span(barWidth > 0 ? bar(count, max: top, width: barWidth) + " " : ""),
                        Span(text, count == 0 ? .dim : .normal)])
        }
        func tallies(_ ts: [Tally], of whole: Int) {
            let top = ts.map(\.count).max() ?? 0
            for t in ts { barLine(t.label, t.count, of: whole, max: top) }
        }

        let p = r.people
        let cohort = "of \(p.referred) referred"
        // Someone referred again counts once per episode, as `caseload report` says.
        if p.people != p.referred {
            heading("PEOPLE", "\(p.referred) referrals \(r.periodText), one per episode: \(people(p.people))")
        } else {
            heading("PEOPLE", "\(people(p.referred)) referred \(r.periodText) (by referral date)")
        }
        let months = p.referralsByMonth
        if let first = months.first, let last = months.last {
            // As many of the latest months as fit.
            let shown = Array(months.suffix(max(1, w - 6)))
            let most = months.map(\.count).max() ?? 0
            sub("Referrals per month", "most in a month: \(most)")
            out.append([Span("    "), Span(sparkline(shown.map(\.count)), .title),
                        Span("  \(shown.count < months.count ? shown.first!.month : first.month) … \(last.month)", .dim)])
        }
        sub("By source", cohort)
        tallies(p.bySource, of: p.referred)
        sub("By reason", cohort + "; one referral can give several")
        tallies(p.byReason, of: p.referred)
        let fc = p.firstContact
        sub("First contact", "first session on or after the referral, up to \(r.to)")
        barLine("contacted", fc.contacted, of: fc.referred, max: fc.referred)
        barLine("not contacted yet", fc.notYetContacted, of: fc.referred, max: fc.referred)
        out.append([Span("    median \(CaseloadReport.number(fc.medianDays)) days · 90% within \(fc.p90Days.map(String.init) ?? "–") days", fc.contacted == 0 ? .dim : .normal),
                    Span("  (of \(fc.contacted) contacted)", .dim)])
        let s = p.sessions
        sub("Sessions per person", "\(s.sessions) sessions for \(people(s.withASession)) seen · mean \(CaseloadReport.number(s.meanPerPersonSeen))")
        tallies(s.distribution, of: s.referred)
        sub("Status at \(r.to)", cohort)
        tallies(p.statusAtEnd, of: p.referred)
        sub("Outcome measures", "baseline = first, follow-up = latest up to \(r.to)")
        for m in p.measures {
            let n = m.withBaselineAndFollowUp
            out.append([Span("    " + DisplayWidth.pad(m.label, columns: labelWidth)),
                        Span(" \(m.withBaseline) with a baseline, \(n) with a follow-up, \(cohort)", n == 0 ? .dim : .normal)])
            guard n > 0 else { continue }
            let change = m.meanChange ?? 0
            let better = m.lowerIsBetter ? change < 0 : change > 0
            let sign = change > 0 ? "+" : ""
            // The arrow is the direction of wellbeing, never the number's sign; the counts use
            // the words of each person's own screens (`MeasureChange`).
            let direction = change == 0 ? Span("= 0") : Span((better ? "▲ " : "▼ ") + sign + CaseloadReport.number(change), better ? .improved : .declined)
            out.append([Span("      mean \(CaseloadReport.number(m.meanBaseline)) → \(CaseloadReport.number(m.meanFollowUp)) "), direction])
            out.append([Span("      \(MeasureChange.Verdict.better.words) \(m.improved) of \(n) (≥\(CaseloadReport.number(m.threshold)))"
                             + " · \(MeasureChange.Verdict.noMeaningfulChange.words) \(m.noMeaningfulChange) · \(MeasureChange.Verdict.worse.words) \(m.worsened)")])
            out.append([Span("      change  worse "), Span(sparkline(m.changeDistribution.map(\.count)), .title),
                        Span(" better  ", .normal), Span(m.changeDistribution.map { "\($0.count)" }.joined(separator: " "), .dim)])
        }

        // Contact outcomes: the did-not-attend and no-answer rates, of each row's contacts.
        let k = r.contacts
        sub("Contact outcomes", "\(k.all.contacts) contacts dated \(r.periodText) · DNA did not attend")
        func contactRow(_ row: CaseloadReport.ContactRow) {
            let rates = "DNA \(row.didNotAttend) · \(CaseloadReport.percent(row.didNotAttend, of: row.contacts))  no answer \(row.noAnswer) · \(CaseloadReport.percent(row.noAnswer, of: row.contacts))"
            out.append([Span("    " + DisplayWidth.pad(DisplayWidth.truncate(row.label, columns: labelWidth), columns: labelWidth) + " "),
                        Span("\(row.contacts) contact\(row.contacts == 1 ? "" : "s")  ", row.contacts == 0 ? .dim : .normal),
                        Span(rates, row.contacts == 0 ? .dim : .normal)])
        }
        contactRow(k.all)
        out.append([Span("    by worker", .dim)])
        k.byWorker.forEach(contactRow)
        out.append([Span("    by referral source", .dim)])
        k.bySource.filter { $0.contacts > 0 }.forEach(contactRow)

        let c = r.community
        heading("COMMUNITY", "\(c.connections) connection\(c.connections == 1 ? "" : "s") made \(r.periodText)")
        barLine("accompanied first visit", c.accompanied, of: c.connections, max: c.connections)
        let stageHeader = ["total"] + ConnectionStage.allCases.map { shortStage($0) }
        func stageTable(_ title: String, _ rows: [CaseloadReport.StageRow]) {
            sub(title, "stage reached at \(r.to)")
            out.append([Span("    " + DisplayWidth.pad("", columns: labelWidth) + stageHeader.map { DisplayWidth.padLeft($0, columns: 6) }.joined(), .dim)])
            for row in rows {
                let cells = [row.total] + ConnectionStage.allCases.map { row.count($0) }
                out.append([Span("    " + DisplayWidth.pad(DisplayWidth.truncate(row.label, columns: labelWidth), columns: labelWidth)),
                            Span(cells.map { DisplayWidth.padLeft("\($0)", columns: 6) }.joined())])
            }
            if rows.isEmpty { out.append([Span("    none", .dim)]) }
        }
        stageTable("By service", c.byService)
        stageTable("By category", c.byCategory)
        if let first = c.months.first, let last = c.months.last {
            sub("Demand on each group", "new people per month, \(first) … \(last)")
            let shown = max(1, w - 4 - labelWidth - 14)
            for d in c.demand {
                out.append([Span("    " + DisplayWidth.pad(DisplayWidth.truncate(d.name, columns: labelWidth), columns: labelWidth) + " "),
                            Span(sparkline(Array(d.perMonth.suffix(shown))), .title), Span("  " + people(d.people))])
            }
        }

        let sys = r.system
        heading("HEALTH AND CARE SYSTEM")
        sub("Referrals from GP practices", "GP or practice staff, \(cohort)")
        barLine("all practices", sys.fromGPPractices, of: sys.referred, max: sys.referred)
        let practiceTop = sys.byPractice.map(\.referrals).max() ?? 0
        for row in sys.byPractice { barLine(row.practice, row.fromPractice, of: row.referrals, max: practiceTop) }
        sub("Caseload per worker", "\(sys.openCasesAtEnd) open cases at \(r.to)")
        let loadTop = sys.caseloadByWorker.map(\.openCases).max() ?? 0
        for row in sys.caseloadByWorker {
            out.append([Span("    " + DisplayWidth.pad(DisplayWidth.truncate(row.name, columns: labelWidth), columns: labelWidth) + " "),
                        Span(barWidth > 0 ? bar(row.openCases, max: loadTop, width: barWidth) + " " : ""),
                        Span("\(row.openCases)", row.openCases == 0 ? .dim : .normal)])
        }
        sub("Overdue follow-ups", "\(sys.overdue) of \(sys.openFollowups) open, as of \(r.options.asOf)")
        let overdueTop = sys.overdueByWorker.map(\.openFollowups).max() ?? 0
        for row in sys.overdueByWorker {
            barLine(row.name, row.overdue, of: row.openFollowups, max: overdueTop, extra: row.mostDaysOverdue.map { " · up to \($0)d" } ?? "")
        }
        return out
    }

    static func people(_ n: Int) -> String { n == 1 ? "1 person" : "\(n) people" }

    static func shortStage(_ s: ConnectionStage) -> String {
        switch s {
        case .suggested: return "sugg"
        case .referred: return "ref"
        case .enrolled: return "enrol"
        case .engaged: return "engag"
        case .completed: return "done"
        case .droppedOut: return "drop"
        }
    }

    /// A horizontal bar in eighths of a cell, `width` columns wide. Any count above zero
    /// shows at least a sliver: small counts are not hidden.
    static func bar(_ value: Int, max top: Int, width: Int) -> String {
        guard width > 0 else { return "" }
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var eighths = top > 0 ? value * width * 8 / top : 0
        if value > 0 { eighths = max(1, eighths) }
        let text = String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
        return DisplayWidth.pad(text, columns: width)
    }

    /// Counts as ▁ (none) to █ (the most); any count above zero is at least ▂.
    static func sparkline(_ counts: [Int]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        let top = counts.max() ?? 0
        return String(counts.map { v in v <= 0 || top == 0 ? bars[0] : bars[max(1, Int((Double(v) * 7 / Double(top)).rounded(.up)))] })
    }
}
