/// Every key of the screen beneath, from the same table that dispatches them.
enum HelpView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        var under = state
        under.routes.removeLast()
        if under.routes.isEmpty { under.routes = [.patientList] }
        let context = under.context
        var lines: [ListLine] = [ListLine([Span("Keys: \(context.title)", .title)]), ListLine([])]
        for b in KeyTable.bindings(in: context) {
            lines.append(ListLine([Span(DisplayWidth.pad(b.keyLabel, columns: 16), .keyHint), Span(" " + b.help)]))
        }
        lines.append(ListLine([]))
        lines.append(ListLine([Span("Esc or ? closes this help. Arrows and j/k scroll.", .dim)]))
        let top = min(state.helpScroll, max(0, lines.count - rect.height))
        grid.fill(rect)
        for (row, line) in lines.dropFirst(top).prefix(rect.height).enumerated() {
            grid.draw(line.spans, x: rect.x + 2, y: rect.y + row, maxX: rect.maxX)
        }
        if top + rect.height < lines.count { grid.put("↓ more (j)", x: rect.maxX - 11, y: rect.maxY - 1, role: .dim) }
        if top > 0 { grid.put("↑ more (k)", x: rect.maxX - 11, y: rect.y, role: .dim) }
        grid.cursor = (rect.x, rect.y)
    }
}
