import CaseloadCore
import Foundation

/// On wide screens, beside the focused pane: the rest of the record at a glance (goals with
/// sparklines, measure changes, connections, open follow-ups), so a review needs no Tabbing.
enum GlancePanel {
    /// Screens at least this wide get the panel.
    static let minimumWidth = 110

    static func draw(_ patientId: UUID, _ state: AppState, skipping pane: PatientPane, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        for y in rect.y..<rect.maxY { grid.put("│", x: rect.x, y: y, role: .border) }
        let inner = Rect(x: rect.x + 2, y: rect.y, width: rect.width - 2, height: rect.height)
        var rows: [[Span]] = []
        let c = state.caseload
        if pane != .goals {
            rows.append([Span("Goals", .title)])
            let goals = c.goals(of: patientId)
            if goals.isEmpty { rows.append([Span("none yet", .dim)]) }
            for g in goals {
                let history = g.progress.map(\.score)
                let progress = g.latestProgress.map { " \($0)/10 " + Format.sparkline(history) } ?? " —"
                let text = DisplayWidth.truncate(g.text, columns: max(8, inner.width - DisplayWidth.of(progress) - 1))
                rows.append([Span(DisplayWidth.pad(text, columns: max(8, inner.width - DisplayWidth.of(progress) - 1))), Span(progress)])
            }
            rows.append([])
            rows.append([Span("Measures", .title)])
            let summaries = c.measureSummaries(of: patientId)
            if summaries.isEmpty { rows.append([Span("none yet", .dim)]) }
            for s in summaries { rows.append(measureRow(s)) }
            rows.append([])
        }
        if pane != .connections {
            rows.append([Span("Connections", .title)])
            let conns = c.connections(of: patientId)
            if conns.isEmpty { rows.append([Span("none yet", .dim)]) }
            for conn in conns {
                rows.append([Span((c.services[conn.serviceId]?.name ?? "a service") + " · "), Span(conn.stage.label, conn.stage == .droppedOut ? .warning : .normal)])
            }
            rows.append([])
        }
        if pane != .followups {
            rows.append([Span("Next follow-ups", .title)])
            let open = c.followups(of: patientId).filter { $0.status == .open }
            if open.isEmpty { rows.append([Span("none booked", .dim)]) }
            for f in open.prefix(3) {
                let d = Format.due(f.due, asOf: state.asOf)
                rows.append([Span(f.due.description + " "), Span(d.text, d.role), Span(" " + (f.reason ?? ""), .dim)])
            }
        }
        for (i, row) in rows.prefix(inner.height).enumerated() {
            grid.draw(row, x: inner.x, y: inner.y + i, maxX: inner.maxX)
        }
    }

    /// "SWEMWBS 17.43 → 21.54 ▲ +4.11 better, meaningful", in the goals panel's words.
    static func measureRow(_ s: MeasureSummary) -> [Span] {
        let reading = s.changes().first
        let verdict = { (c: MeasureChange) in GoalsPanel.changeSpan(c, room: .max) }
        switch (s.baseline.score, s.latest.score) {
        case let (.swemwbs(_, a)?, .swemwbs(_, b)?):
            var spans = [Span(String(format: "SWEMWBS %.2f", a) + (s.count > 1 ? String(format: " → %.2f ", b) : " (baseline)"))]
            if let reading { spans.append(verdict(reading)) }
            return spans
        case let (.ucla3(a)?, .ucla3(b)?):
            var spans = [Span("UCLA-3 \(a)" + (s.count > 1 ? " → \(b) " : " (baseline)"))]
            if let reading { spans.append(verdict(reading)) }
            return spans
        case let (.ons4(a, _, _, aa)?, .ons4(b, _, _, ba)?):
            let band = { (v: Int) in Ons4Band.positive(v).label }
            let text = "ONS4 life \(a) \(band(a))" + (s.count > 1 ? " → \(b) \(band(b))" : "") + " · anxiety \(aa)" + (s.count > 1 ? " → \(ba)" : "")
            return [Span(text)]
        default:
            return []
        }
    }
}
