import CaseloadText

/// Every key of the screen beneath, from the same table that dispatches them.
enum HelpView {
    /// The help's lines at this width (also how far it scrolls).
    static func lines(for context: Context, width: Int) -> [ListLine] {
        var lines: [ListLine] = [ListLine([Span("Keys: \(context.title)", .title)]), ListLine([])]
        // On a narrow terminal a key's description wraps under itself rather than being cut.
        let helpWidth = max(10, width - 2 - 17)
        for b in KeyTable.bindings(in: context) {
            for (n, w) in wordWrap(b.help, width: helpWidth).enumerated() {
                let key = n == 0 ? DisplayWidth.pad(b.keyLabel, columns: 16) : String(repeating: " ", count: 16)
                lines.append(ListLine([Span(key, .keyHint), Span(" " + w.text)]))
            }
        }
        lines.append(ListLine([]))
        lines.append(ListLine([Span("Esc or ? closes this help. Arrows and j/k scroll.", .dim)]))
        return lines
    }

    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        var under = state
        under.routes.removeLast()
        if under.routes.isEmpty { under.routes = [.patientList] }
        let lines = HelpView.lines(for: under.context, width: rect.width)
        let top = min(state.helpScroll, max(0, lines.count - rect.height))
        grid.fill(rect)
        // "↓ more" gets the last row to itself rather than hiding the end of a description.
        let more = top + rect.height < lines.count
        for (row, line) in lines.dropFirst(top).prefix(more ? rect.height - 1 : rect.height).enumerated() {
            grid.draw(line.spans, x: rect.x + 2, y: rect.y + row, maxX: rect.maxX)
        }
        if more { grid.put("↓ more (j)", x: rect.maxX - 11, y: rect.maxY - 1, role: .dim) }
        if top > 0 { grid.put(" ↑ more (k)", x: rect.maxX - 12, y: rect.y, role: .dim) }  // the space keeps it apart from the text
        grid.cursor = (rect.x, rect.y)
    }
}
