import CaseloadCore
import CaseloadText

/// The GP letter on screen, to read and copy.
enum LetterView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let pv = state.patient, let p = state.caseload.patients[pv.patientId] else { return }
        let (titleRow, rest) = rect.splitTop(2)
        grid.line(" Message to the GP about \(p.name)", in: titleRow, role: .title)
        var body = rest
        if let warning = GPLetter.consentWarning(p) {
            let (w, r) = rest.splitTop(2)
            grid.line(" " + warning, in: w, role: .warning)
            body = r
        }
        var lines: [String] = []
        for w in wordWrap(GPLetter.text(p.id, state), width: max(10, body.width - 4)) { lines.append(w.text) }
        let top = min(state.helpScroll, max(0, lines.count - body.height))
        for (i, line) in lines.dropFirst(top).prefix(body.height).enumerated() {
            grid.put(line, x: body.x + 2, y: body.y + i, maxWidth: body.width - 3)
        }
        grid.cursor = (body.x, body.y)
    }
}
