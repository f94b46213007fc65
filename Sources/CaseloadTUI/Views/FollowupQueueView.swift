import CaseloadCore

/// Overdue (most overdue first), due today, and the coming week, in sections.
enum FollowupQueueView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (titleRow, listRect) = rect.splitTop(1)
        grid.line(" Follow-ups", in: titleRow, role: .title)
        let nameWidth = max(10, min(30, rect.width - 50))
        var lines: [ListLine] = []
        var section: FollowupQueueState.Section?
        for (i, row) in state.queue.rows.enumerated() {
            if row.section != section {
                section = row.section
                let count = state.queue.rows.filter { $0.section == row.section }.count
                if i > 0 { lines.append(ListLine([])) }
                lines.append(ListLine([Span("\(row.section.rawValue) (\(count))", row.section == .overdue ? .overdue : .title)]))
            }
            guard let f = state.caseload.followups[row.followupId], let p = state.caseload.patients[f.patientId] else { continue }
            let d = Format.due(f.due, asOf: state.asOf)
            lines.append(ListLine([
                Span(DisplayWidth.pad(p.displayName, columns: nameWidth) + " "),
                Span(DisplayWidth.pad(row.section == .week ? f.due.description : d.text, columns: 14), d.role),
                Span(" " + DisplayWidth.pad(f.reason ?? "follow-up", columns: 20)),
                Span(" " + Format.workerShort(f.worker, state.caseload), .dim),
            ], item: i))
        }
        grid.drawList(lines, selected: state.queue.rows.isEmpty ? nil : state.queue.selected, in: listRect,
                      emptyText: "Nothing overdue or due this week.")
    }
}
