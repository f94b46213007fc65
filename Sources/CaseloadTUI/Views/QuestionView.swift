import CaseloadCore

/// A small box asking one question over the screen: the draft offer and "quit?".
enum QuestionView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        var lines: [Span] = []
        switch state.route {
        case .draftOffer:
            if let id = state.offeredDrafts.first, let d = state.caseload.drafts[id] {
                let name = state.caseload.patients[d.patientId]?.name ?? "a patient"
                lines.append(Span("Unsaved draft note", .title))
                lines.append(Span("for \(name), \(d.kind.label) session on \(d.date)"))
                lines.append(Span("\(Format.words(d.text)) words\(d.sessionId != nil ? ", amending a saved note" : "")"))
                if state.offeredDrafts.count > 1 { lines.append(Span("(\(state.offeredDrafts.count - 1) more after this one)", .dim)) }
                lines.append(Span(""))
                lines.append(Span("r restore it · d discard it · Esc later", .keyHint))
            }
        case .confirmQuit:
            lines.append(Span("The note is not saved as a session yet.", .title))
            lines.append(Span("Quit and keep it as a draft (offered back next time)?"))
            lines.append(Span(""))
            lines.append(Span("y quit · n or Esc keep writing", .keyHint))
        default:
            return
        }
        let width = min(rect.width - 2, max(30, lines.map { DisplayWidth.of($0.text) }.max()! + 4))
        let height = min(rect.height, lines.count + 2)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + max(0, (rect.height - height) / 2), width: width, height: height)
        grid.fill(box, role: .border)
        grid.fill(box.inset(1))
        grid.put("┌" + String(repeating: "─", count: max(0, width - 2)) + "┐", x: box.x, y: box.y, role: .border)
        grid.put("└" + String(repeating: "─", count: max(0, width - 2)) + "┘", x: box.x, y: box.maxY - 1, role: .border)
        for (i, line) in lines.enumerated() where box.y + 1 + i < box.maxY - 1 {
            grid.put("│", x: box.x, y: box.y + 1 + i, role: .border)
            grid.put("│", x: box.maxX - 1, y: box.y + 1 + i, role: .border)
            grid.put(DisplayWidth.truncate(line.text, columns: width - 4), x: box.x + 2, y: box.y + 1 + i, role: line.role)
        }
        grid.cursor = (box.x + 2, box.y + 1)
    }
}
