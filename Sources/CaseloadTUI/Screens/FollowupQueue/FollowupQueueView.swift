import CaseloadCore

/// Overdue (most overdue first), due today, and the coming week, in sections.
enum FollowupQueueView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (titleRow, listRect) = rect.splitTop(1)
        grid.line(" Follow-ups", in: titleRow, role: .title)
        grid.drawList(lines(state, width: rect.width), selected: state.queue.rows.isEmpty ? nil : state.queue.selected, in: listRect,
                      emptyText: "Nothing overdue or due this week.")
    }

    /// The row of the queue drawn at screen row `y`, if any (for a mouse click).
    static func row(atScreenY y: Int, _ state: AppState) -> Int? {
        let body = screenAreas(Rect(x: 0, y: 0, width: state.width, height: state.height)).body
        return ListLine.item(atScreenY: y, lines(state, width: body.width), selected: state.queue.selected, in: body.splitTop(1).1)
    }

    static func lines(_ state: AppState, width: Int) -> [ListLine] {
        // Columns: name, due (14), reason, worker (10). The name takes what it needs up to 30
        // and the reason the rest of the row, so a wide terminal gives its room to the reasons.
        // The worker shows down to 60 columns; below that it gives way so a reason stays readable.
        let room = width - 2
        let workerWidth = 10
        let longestName = state.queue.rows.compactMap { row -> Int? in
            guard let f = state.caseload.followups[row.followupId], let p = state.caseload.patients[f.patientId] else { return nil }
            return DisplayWidth.of(p.displayName)
        }.max() ?? 14
        let longestReason = state.queue.rows.compactMap { row in
            state.caseload.followups[row.followupId].map { DisplayWidth.of($0.reason ?? "follow-up") }
        }.max() ?? 9
        func columns(showingWorker: Bool) -> (name: Int, reason: Int) {
            let flexible = room - 15 - (showingWorker ? 1 + workerWidth : 0)
            // A name takes up to 30 columns, more when the reasons leave room; on a narrow
            // screen names narrow (to 14) so a reason keeps up to 18 columns.
            let reasonNeed = min(longestReason, 18)
            var name = min(longestName, max(30, flexible - 1 - longestReason))
            name = max(min(14, flexible), min(name, flexible - 1 - reasonNeed))
            return (name, max(0, flexible - name - 1))
        }
        var showWorker = true
        var (nameWidth, reasonWidth) = columns(showingWorker: true)
        if reasonWidth < 12 {
            showWorker = false
            (nameWidth, reasonWidth) = columns(showingWorker: false)
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
            if showWorker { spans.append(Span(" " + DisplayWidth.truncate(Format.workerShort(f.worker, state.caseload), columns: workerWidth), .dim)) }
            lines.append(ListLine(spans, item: i))
        }
        return lines
    }
}
