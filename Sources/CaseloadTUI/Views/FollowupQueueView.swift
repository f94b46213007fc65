import CaseloadCore

/// Overdue (most overdue first), due today, and the coming week, in sections.
enum FollowupQueueView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (titleRow, listRect) = rect.splitTop(1)
        grid.line(" Follow-ups", in: titleRow, role: .title)
        // Columns: name, due (14), reason, worker (about 10). On a narrow screen the worker goes
        // first, then the reason narrows, so the name stays readable.
        let room = rect.width - 2
        var reasonWidth = 20
        var showWorker = true
        var nameWidth = min(30, room - 1 - 14 - (1 + reasonWidth) - 10)
        if nameWidth < 14 {
            showWorker = false
            nameWidth = min(30, room - 1 - 14 - (1 + reasonWidth))
        }
        if nameWidth < 14 {
            nameWidth = 14
            reasonWidth = max(0, room - 1 - 14 - 1 - nameWidth)
        }
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
            var spans = [
                Span(DisplayWidth.pad(p.displayName, columns: nameWidth) + " "),
                Span(DisplayWidth.pad(row.section == .week ? f.due.description : d.text, columns: 14), d.role),
            ]
            if reasonWidth > 0 { spans.append(Span(" " + DisplayWidth.pad(f.reason ?? "follow-up", columns: reasonWidth))) }
            if showWorker { spans.append(Span(" " + Format.workerShort(f.worker, state.caseload), .dim)) }
            lines.append(ListLine(spans, item: i))
        }
        grid.drawList(lines, selected: state.queue.rows.isEmpty ? nil : state.queue.selected, in: listRect,
                      emptyText: "Nothing overdue or due this week.")
    }
}
