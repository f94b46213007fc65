import CaseloadCore
import CaseloadText

/// The connect picker: a search line, then each matching service with when and where it
/// runs; or one service's details.
enum ServicePickerView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let picker = state.picker else { return }
        let name = state.caseload.patients[picker.patientId]?.name ?? "them"
        let (titleRow, rest) = rect.splitTop(1)
        let rows = picker.rows(in: state.caseload)
        if picker.showingDetails, rows.indices.contains(picker.selected) {
            let s = rows[picker.selected]
            grid.line(" \(s.name): Enter connects \(name), Esc goes back to the list", in: titleRow, role: .title)
            var lines: [ListLine] = []
            for (label, value) in s.labelled {
                let wrapped = wordWrap(label + ": " + value, width: max(10, rest.width - 4))
                for (i, w) in wrapped.enumerated() {
                    lines.append(ListLine([Span(i == 0 ? "" : "  "), Span(w.text, i == 0 ? .normal : .normal)], item: nil))
                }
            }
            grid.drawList(lines, selected: nil, in: rest.splitTop(1).1)
            grid.cursor = (rest.x, rest.y + 1)
            return
        }
        grid.line(" Connect \(name) to a service", in: titleRow, role: .title)
        let (searchRow, listArea) = rest.splitTop(2)
        let prompt = " Search: "
        let hint = picker.query.isEmpty ? "  type a name, category, place, postcode or day" : "  \(rows.count) found"
        var x = grid.put(prompt, x: searchRow.x, y: searchRow.y, role: .header)
        x += grid.put(picker.query.text, x: x, y: searchRow.y, maxWidth: max(0, searchRow.width - x - 1), role: .inputFocused)
        let cursorX = x
        grid.put(hint, x: x, y: searchRow.y, maxWidth: max(0, searchRow.maxX - x), role: .dim)
        let lines = rows.enumerated().map { i, s -> ListLine in
            let whenWhere = [s.times, s.address].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
            return ListLine([Span(s.name), Span(whenWhere.isEmpty ? "" : "  " + whenWhere, .dim)], item: i)
        }
        grid.drawList(lines, selected: rows.isEmpty ? nil : picker.selected, in: listArea,
                      emptyText: "No service matches. ^N adds one by hand.")
        grid.cursor = (cursorX, searchRow.y)
    }
}
