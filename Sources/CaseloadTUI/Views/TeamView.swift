import CaseloadCore

/// For supervisors: overdue follow-ups grouped by worker, with each worker's caseload size.
enum TeamView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (titleRow, listRect) = rect.splitTop(1)
        grid.line(" Team: overdue follow-ups by worker", in: titleRow, role: .title)
        var lines: [ListLine] = []
        var index = 0
        for g in TeamRows.groups(state) {
            let overdue = g.overdue.isEmpty ? "nothing overdue" : "\(g.overdue.count) overdue"
            var spans = [Span(g.name, .title), Span(" · \(g.caseloadSize) open · "), Span(overdue, g.overdue.isEmpty ? .ok : .overdue)]
            // Stale data must not read as work not done: say when it last arrived.
            if !g.isThisDevice, !g.syncLabel.isEmpty { spans.append(Span(" · " + g.syncLabel, g.isStale ? .warning : .dim)) }
            lines.append(ListLine(spans))
            for item in g.overdue {
                let d = Format.due(item.due, asOf: state.asOf)
                lines.append(ListLine([
                    Span(DisplayWidth.pad(item.patientName, columns: 28) + " "),
                    Span(DisplayWidth.pad(d.text, columns: 14), d.role),
                    Span(" " + (item.reason ?? "follow-up"), .dim),
                ], item: index))
                index += 1
            }
        }
        grid.drawList(lines, selected: index == 0 ? nil : state.team.selected, in: listRect, emptyText: "No workers yet.")
    }
}
