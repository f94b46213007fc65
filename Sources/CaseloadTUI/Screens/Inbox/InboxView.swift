import CaseloadCore

/// New referrals not yet seen, oldest first, each with its age against the response deadline.
enum InboxView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (titleRow, listRect) = rect.splitTop(1)
        let late = state.inbox.rows.filter(\.isLate).count
        var title = " Inbox · \(state.inbox.rows.count) new referral\(state.inbox.rows.count == 1 ? "" : "s") · respond within \(state.responseDeadlineDays) days"
        if late > 0 { title += " · \(late) late" }
        grid.line(DisplayWidth.truncate(title, columns: rect.width), in: titleRow, role: .title)
        grid.drawList(lines(state, width: rect.width), selected: state.inbox.rows.isEmpty ? nil : state.inbox.selected, in: listRect,
                      emptyText: "No new referrals waiting.")
    }

    static func lines(_ state: AppState, width: Int) -> [ListLine] {
        // Name first, then the age and deadline (what she acts on), then when and from whom.
        let room = width - 2
        // Narrow: the name keeps its room before the date and source do.
        let longest = min(28, state.inbox.rows.map { DisplayWidth.of($0.patient.displayName) }.max() ?? 0)
        let nameWidth = max(12, min(28, room - 42), min(longest, room - 29))
        return state.inbox.rows.enumerated().map { i, e in
            var spans = [Span(DisplayWidth.pad(e.patient.displayName, columns: nameWidth) + " "),
                         Span(DisplayWidth.pad((e.isLate ? "! " : "") + e.ageText, columns: 28), e.isLate ? .overdue : .normal)]
            let rest = room - nameWidth - 29
            // The date and source whole, else the date, else neither: never half a date.
            let when = "\(e.patient.referral.date) \(e.patient.referral.source.label)"
            if let fits = [when, e.patient.referral.date.description].first(where: { DisplayWidth.of($0) <= rest - 1 }) {
                spans.append(Span(" " + fits, .dim))
            }
            return ListLine(spans, item: i)
        }
    }
}
