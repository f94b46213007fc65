import CaseloadCore
import CaseloadText

/// A form: one field per row, the focused one marked "▶" with its hint beneath, problems
/// shown under their field (marked "✗", not only in red) with the typed value kept.
enum FormView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let form = state.form else { return }
        let (titleRow, rest) = rect.splitTop(2)
        grid.line(" " + form.title, in: titleRow, role: .title)
        var body = rest
        if let message = form.message {
            let (m, r) = rest.splitTop(2)
            grid.line(" ✗ " + message, in: m, role: .error)
            body = r
        }
        let labelWidth = min(24, max(12, rect.width / 3))
        // Each field takes a row, plus one for its problem or (when focused) its hint.
        var lines: [(spans: [Span], field: Int, isValue: Bool)] = []
        for (i, f) in form.fields.enumerated() {
            let focused = i == form.focus
            let value = f.isChoice ? "‹ \(f.value) ›" : f.value
            lines.append(([Span(DisplayWidth.pad(f.label, columns: labelWidth), focused ? .title : .normal), Span(" "),
                           Span(value, f.error != nil ? .error : focused ? .inputFocused : .input)], i, true))
            // A problem or hint wraps under the value rather than being cut at the edge.
            let indent = String(repeating: " ", count: labelWidth + 1)
            let room = max(10, rect.width - labelWidth - 4)
            if let e = f.error {
                for w in wordWrap("✗ " + e, width: room) { lines.append(([Span(indent + w.text, .error)], i, false)) }
            } else if focused, let hint = f.hint {
                for w in wordWrap(hint, width: room) { lines.append(([Span(indent + w.text, .dim)], i, false)) }
            }
        }
        let focusLine = lines.firstIndex { $0.field == form.focus && $0.isValue } ?? 0
        let top = max(0, min(focusLine - body.height + 2, lines.count - body.height))
        for (row, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            let y = body.y + row
            if line.isValue && line.field == form.focus { grid.put("▶", x: body.x, y: y, role: .selected) }
            // Long values scroll so the insertion point stays visible.
            let x0 = body.x + 2
            let valueX = x0 + labelWidth + 1
            if line.isValue && line.field == form.focus && !form.fields[line.field].isChoice {
                grid.draw(Array(line.spans.prefix(2)), x: x0, y: y, maxX: body.maxX)
                let f = form.fields[line.field]
                let before = String(f.value.prefix(f.cursor))
                let room = max(1, body.maxX - valueX - 1)
                var shown = f.value
                var cursorX = valueX + DisplayWidth.of(before)
                if DisplayWidth.of(before) >= room {
                    let tail = String(before.suffix(room / 2))
                    shown = tail + String(f.value.dropFirst(f.cursor))
                    cursorX = valueX + DisplayWidth.of(tail)
                }
                grid.put(shown, x: valueX, y: y, maxWidth: room, role: line.spans[2].role)
                grid.cursor = (min(cursorX, body.maxX - 1), y)
                grid.cursorVisible = true
            } else {
                grid.draw(line.spans, x: x0, y: y, maxX: body.maxX)
                if line.isValue && line.field == form.focus { grid.cursor = (body.x, y) }
            }
        }
    }
}
