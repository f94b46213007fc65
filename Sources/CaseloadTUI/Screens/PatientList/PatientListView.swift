import CaseloadCore

/// The home screen: the caseload as a table, with the filter line above it.
enum PatientListView {
    struct Columns {
        var name: Int, status: Int, worker: Int, last: Int, next: Int, reasons: Int
    }

    /// Narrow screens drop the worker and last-contact columns; wide ones add the reasons.
    static func columns(width: Int) -> Columns {
        let wide = width >= 64
        let status = 12, worker = wide ? (width >= 100 ? 16 : 10) : 0, last = wide ? 10 : 0, next = 14
        let gaps = wide ? 4 : 2
        var name = max(8, width - 2 - status - worker - last - next - gaps)
        var reasons = 0
        if width >= 100 {
            reasons = max(0, name - 36)
            name = 35
        }
        return Columns(name: name, status: status, worker: worker, last: last, next: next, reasons: reasons)
    }

    /// The filter line, the column heads and the list, top to bottom.
    static func areas(_ rect: Rect) -> (filter: Rect, head: Rect, list: Rect) {
        let (filterRow, rest) = rect.splitTop(1)
        let (headRow, listRect) = rest.splitTop(1)
        return (filterRow, headRow, listRect)
    }

    /// The row of the list drawn at screen row `y`, if any (for a mouse click).
    static func row(atScreenY y: Int, _ state: AppState) -> Int? {
        let list = areas(screenAreas(Rect(x: 0, y: 0, width: state.width, height: state.height)).body).list
        guard y >= list.y, y < list.maxY else { return nil }
        let visible = visibleRange(selected: state.list.selected, count: state.list.rows.count, height: list.height)
        let row = visible.lowerBound + (y - list.y)
        return visible.contains(row) ? row : nil
    }

    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (filterRow, headRow, listRect) = areas(rect)
        let l = state.list

        // The filter line: what is shown and how to change it.
        grid.fill(filterRow)
        var x = filterRow.x + 1
        if l.isFiltering || !l.filter.isEmpty {
            x += grid.put("Filter: ", x: x, y: filterRow.y, role: .title)
            let shown = DisplayWidth.truncate(l.filter.text, columns: max(0, filterRow.width / 2))
            let w = grid.put(shown, x: x, y: filterRow.y, role: l.isFiltering ? .inputFocused : .input)
            if l.isFiltering {
                grid.cursor = (x + w, filterRow.y)
                grid.cursorVisible = true
            }
            x += w + 2
        }
        let summary = "\(l.rows.count) shown · \(l.status.label) · \(l.worker.map { $0 == state.workerId ? "mine" : Format.workerShort($0, state.caseload) } ?? "everyone") · by \(l.sort.label)"
            + (l.restricted > 0 ? " · \(l.restricted) restricted" : "")
        grid.put(DisplayWidth.truncate(summary, columns: max(0, filterRow.maxX - x - 1)), x: x, y: filterRow.y, role: .dim)

        let c = columns(width: rect.width)
        var head = [Span(DisplayWidth.pad("Name", columns: c.name)), Span(" " + DisplayWidth.pad("Status", columns: c.status))]
        if c.worker > 0 { head.append(Span(" " + DisplayWidth.pad("Worker", columns: c.worker))) }
        if c.last > 0 { head.append(Span(" " + DisplayWidth.pad("Last seen", columns: c.last))) }
        head.append(Span(" " + DisplayWidth.pad("Next follow-up", columns: c.next)))
        if c.reasons > 0 { head.append(Span(" Reasons")) }
        grid.fill(headRow)
        grid.draw(head.map { Span($0.text, .title) }, x: headRow.x + 2, y: headRow.y, maxX: headRow.maxX)

        // Only the rows on screen are formatted: 10,000 patients cost nothing to draw.
        let visible = visibleRange(selected: l.selected, count: l.rows.count, height: listRect.height)
        // Patients with an unsaved draft note of ours are marked "✎ draft".
        let drafted = Set(state.caseload.drafts.values.filter { $0.author == state.workerId }.map(\.patientId))
        var lines: [ListLine] = []
        for i in visible {
            guard let p = state.caseload.patients[l.rows[i]] else { continue }
            lines.append(ListLine(row(p, state, c, hasDraft: drafted.contains(p.id)), item: i))
        }
        let typingAt = grid.cursor
        grid.drawList(lines, selected: l.rows.isEmpty ? nil : l.selected, in: listRect,
                      emptyText: l.filter.isEmpty ? "No patients yet: press a to add a referral." : "No patient matches \"\(l.filter)\". Esc clears the filter.")
        // While typing a filter the cursor stays in the filter.
        if l.isFiltering { grid.cursor = typingAt }
    }

    /// The slice of rows to format: the page holding the selection.
    static func visibleRange(selected: Int, count: Int, height: Int) -> Range<Int> {
        guard count > 0, height > 0 else { return 0..<0 }
        let top = max(0, min(selected - height + 1, count - height))
        let start = selected < height ? 0 : top
        return start..<min(count, start + height)
    }

    static func row(_ p: Patient, _ state: AppState, _ c: Columns, hasDraft: Bool = false) -> [Span] {
        let mark = hasDraft ? " ✎ draft" : ""
        let name = DisplayWidth.truncate(p.displayName, columns: c.name - DisplayWidth.of(mark)) + mark
        // Flagged for review (a run of missed contacts): the list says so instead of the status.
        let review = state.caseload.reviewReason(of: p.id, after: state.reviewAfterMissed) != nil
        var spans = [Span(DisplayWidth.pad(name, columns: c.name)),
                     review ? Span(" " + DisplayWidth.pad("! review", columns: c.status), .warning)
                            : Span(" " + DisplayWidth.pad(p.status.label, columns: c.status), p.status.isOpen ? .normal : .dim)]
        if c.worker > 0 { spans.append(Span(" " + DisplayWidth.pad(Format.workerShort(p.worker, state.caseload), columns: c.worker))) }
        if c.last > 0 { spans.append(Span(" " + DisplayWidth.pad(p.lastContact?.description ?? "—", columns: c.last))) }
        if let f = state.caseload.nextFollowup(of: p.id) {
            let d = Format.due(f.due, asOf: state.asOf)
            spans.append(Span(" " + DisplayWidth.pad(d.text, columns: c.next), d.role))
        } else {
            spans.append(Span(" " + DisplayWidth.pad("—", columns: c.next), .dim))
        }
        if c.reasons > 0 {
            spans.append(Span(" " + DisplayWidth.truncate(p.referral.reasons.map(\.label).joined(separator: ", "), columns: c.reasons), .dim))
        }
        return spans
    }
}
