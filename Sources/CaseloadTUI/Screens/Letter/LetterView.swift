import CaseloadCore
import CaseloadText

/// The GP letter on screen, to read and copy.
enum LetterView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let pv = state.patient, let p = state.caseload.patients[pv.patientId] else { return }
        let (titleRow, rest) = rect.splitTop(2)
        grid.line(" Message to the GP about \(p.name)", in: titleRow, role: .title)
        // What the practice needs and is not recorded, on the row under the title, said as
        // fully as fits: the letter below keeps its place.
        if let missing = missingLine(p, width: rect.width - 2) {
            grid.put(" " + missing, x: titleRow.x, y: titleRow.y + 1, maxWidth: titleRow.width, role: .warning)
        }
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

    /// "! No NHS number or GP practice: …" in the longest wording that fits, or nil when both are recorded.
    static func missingLine(_ p: Patient, width: Int) -> String? {
        let missing = GPSummary.missingForGP(p)
        guard !missing.isEmpty else { return nil }
        let what = "! No " + missing.joined(separator: " or ")
        let them = missing.count == 1 ? "it" : "them"
        let wordings = ["\(what): the practice cannot match it (E adds \(them))", "\(what) (E adds \(them))", what]
        return wordings.first { DisplayWidth.of($0) <= width } ?? DisplayWidth.truncate(what, columns: max(1, width))
    }

    /// Rows above the letter's text: the title (and what is missing) and the consent warning.
    static func headerRows(_ p: Patient) -> Int { GPLetter.consentWarning(p) == nil ? 2 : 4 }
}
