import CaseloadCore

/// For supervisors: overdue follow-ups grouped by worker, with each worker's caseload size.
enum TeamView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (titleRow, listRect) = rect.splitTop(1)
        grid.line(" Team: overdue follow-ups by worker", in: titleRow, role: .title)
        let (lines, count) = self.lines(state, width: listRect.width)
        grid.drawList(lines, selected: count == 0 ? nil : state.team.selected, in: listRect, emptyText: "No workers yet.")
    }

    /// The overdue follow-up drawn at screen row `y`, if any (for a mouse click).
    static func row(atScreenY y: Int, _ state: AppState) -> Int? {
        let listRect = screenAreas(Rect(x: 0, y: 0, width: state.width, height: state.height)).body.splitTop(1).1
        return ListLine.item(atScreenY: y, lines(state, width: listRect.width).lines, selected: state.team.selected, in: listRect)
    }

    /// Each worker's heading and overdue follow-ups, and how many follow-ups there are.
    static func lines(_ state: AppState, width: Int) -> (lines: [ListLine], count: Int) {
        var lines: [ListLine] = []
        var index = 0
        // On a narrow screen the name gives up some room so the reason is still readable.
        let nameWidth = min(28, max(14, width - 2 - 1 - 14 - 1 - 16))
        for g in TeamRows.groups(state) {
            let overdue = g.overdue.isEmpty ? "nothing overdue" : "\(g.overdue.count) overdue"
            var spans = [Span(g.name, .title), Span(" · \(g.caseloadSize) open · "), Span(overdue, g.overdue.isEmpty ? .ok : .overdue)]
            // Stale data must not read as work not done: say when it last arrived.
            // When it does not fit beside the counts, it goes on its own line rather than being cut.
            if !g.isThisDevice, !g.syncLabel.isEmpty {
                let sync = Span(" · " + g.syncLabel, g.isStale ? .warning : .dim)
                if (spans + [sync]).reduce(0, { $0 + DisplayWidth.of($1.text) }) <= width - 2 {
                    lines.append(ListLine(spans + [sync]))
                } else {
                    lines.append(ListLine(spans))
                    lines.append(ListLine([Span("  " + g.syncLabel, g.isStale ? .warning : .dim)]))
                }
            } else {
                lines.append(ListLine(spans))
            }
            for item in g.overdue {
                let d = Format.due(item.due, asOf: state.asOf)
                lines.append(ListLine([
                    Span(DisplayWidth.pad(item.patientName, columns: nameWidth) + " "),
                    Span(DisplayWidth.pad(d.text, columns: 14), d.role),
                    Span(" " + (item.reason ?? "follow-up"), .dim),
                ], item: index))
                index += 1
            }
        }
        return (lines, index)
    }
}
