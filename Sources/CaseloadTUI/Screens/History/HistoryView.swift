import CaseloadCore
import CaseloadText

/// The history of the person's details and consent (`H`): each change with what it was
/// before, when and by whom, oldest first, as `caseload patient history` prints it.
enum HistoryView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let pv = state.patient, let p = state.caseload.patients[pv.patientId] else { return }
        let (titleRow, body) = rect.splitTop(2)
        grid.line(" History of \(p.name)'s details and consent", in: titleRow, role: .title)
        let lines = lines(state, width: body.width)
        let top = min(state.helpScroll, max(0, lines.count - body.height))
        for (i, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            grid.put(line, x: body.x + 2, y: body.y + i, maxWidth: body.width - 3)
        }
        grid.cursor = (body.x, body.y)
    }

    /// The entries word-wrapped, a blank line between them.
    static func lines(_ state: AppState, width: Int) -> [String] {
        guard !state.history.isEmpty else { return ["No changes recorded yet."] }
        var out: [String] = []
        for entry in state.history {
            if !out.isEmpty { out.append("") }
            out += wordWrap(entry, width: max(10, width - 4)).map(\.text)
        }
        return out
    }
}
