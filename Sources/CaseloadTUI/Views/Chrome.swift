import CaseloadCore

/// The header (who, and the day's counts), the key hint bar and the status line.
enum Chrome {
    static func drawHeader(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect, role: .header)
        let who = state.caseload.workers[state.workerId]?.name ?? state.workerId
        var left = "Caseload"
        if state.isDemo { left += " DEMO" }
        if !who.isEmpty { left += " · " + who }
        let c = state.headerCounts
        // Hers: the team's are in the team view.
        var counts = "yours: \(c.patients) · \(c.overdue) overdue · \(c.dueToday) due today"
        if c.newReferrals > 0 { counts += " · \(c.newReferrals) new" }
        // Those flagged for review, when the header has room for it beside her name.
        let withReview = counts + " · \(c.review) review"
        if c.review > 0, DisplayWidth.of(withReview) + DisplayWidth.of(left) + 3 <= rect.width { counts = withReview }
        if state.route == .firstRun { counts = "" }
        let countsWidth = DisplayWidth.of(counts)
        if countsWidth + 2 <= rect.width {
            grid.put(counts, x: rect.maxX - countsWidth - 1, y: rect.y, role: .header)
            grid.put(DisplayWidth.truncate(left, columns: max(0, rect.width - countsWidth - 3)), x: rect.x + 1, y: rect.y, role: .header)
        } else {
            grid.put(DisplayWidth.truncate(counts.isEmpty ? left : counts, columns: rect.width - 1), x: rect.x + 1, y: rect.y, role: .header)
        }
    }

    static func drawFooter(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        guard rect.height >= 2 else { return }
        let hintsRow = rect.row(0), statusRow = rect.row(1)
        grid.fill(hintsRow, role: .keyHint)
        var x = hintsRow.x + 1
        for h in KeyTable.hints(in: state.context) {
            let piece = "\(h.key) \(h.help)"
            let w = DisplayWidth.of(piece)
            if x + w > hintsRow.maxX - 1 { break }
            grid.put(h.key, x: x, y: hintsRow.y, role: .keyHint)
            grid.put(" " + h.help, x: x + DisplayWidth.of(h.key), y: hintsRow.y, role: .keyHint)
            x += w + 2
        }

        grid.fill(statusRow, role: .statusBar)
        var asOf = "as of \(state.asOf)"
        if let sync = state.sync { asOf = sync.label(in: state.caseload, now: state.wallClock) + " · " + asOf }
        var asOfWidth = DisplayWidth.of(asOf)
        var room = statusRow.width - asOfWidth - 3
        if let p = state.syncProgress, room > 20 {
            grid.put(DisplayWidth.truncate(progressBar(p, columns: room), columns: room), x: statusRow.x + 1, y: statusRow.y, role: .statusBar)
        } else if let s = state.status {
            let role: Role = s.kind == .error ? .error : s.kind == .saved ? .ok : .statusBar
            // Errors carry a word as well as a colour.
            let word = s.kind == .error && !s.text.hasPrefix("Not saved") && !s.text.hasPrefix("Could not") ? "Error: " : ""
            let wordings = ([s.text] + s.shorter).map { word + $0 }
            let fullRoom = statusRow.width - 3
            // Reworded, not cut: the longest wording that fits beside the labels, else beside
            // none, else the shortest one cut.
            let text = wordings.first { DisplayWidth.of($0) <= room }
                ?? wordings.first { DisplayWidth.of($0) <= fullRoom } ?? wordings[wordings.count - 1]
            // What just happened (saved, or why not) often ends with what to do next: it goes
            // before the sync and "as of" labels. A standing notice (kind .info) stays on screen
            // for a while, so it gives way to them instead.
            let textWidth = DisplayWidth.of(text)
            if textWidth > room, s.kind != .info {
                let shorter = [state.sync.map { $0.label(in: state.caseload, now: state.wallClock) }, ""].compactMap { $0 }
                asOf = shorter.first { textWidth <= statusRow.width - DisplayWidth.of($0) - 3 } ?? ""
                asOfWidth = DisplayWidth.of(asOf)
                room = statusRow.width - asOfWidth - 3
            }
            if room > 4 { grid.put(DisplayWidth.truncate(text, columns: room), x: statusRow.x + 1, y: statusRow.y, role: role) }
        }
        if asOfWidth > 0, asOfWidth + 2 <= statusRow.width {
            grid.put(asOf, x: statusRow.maxX - asOfWidth - 1, y: statusRow.y, role: .statusBar)
        }
    }

    /// "Receiving ██████░░░░░░ 40,000 of 100,000 events".
    static func progressBar(_ p: (label: String, done: Int, total: Int), columns: Int) -> String {
        let count = "\(p.done) of \(p.total) events"
        let barWidth = max(4, min(30, columns - DisplayWidth.of(p.label) - DisplayWidth.of(count) - 3))
        let filled = p.total > 0 ? min(barWidth, barWidth * p.done / p.total) : 0
        return "\(p.label) " + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + " " + count
    }
}
