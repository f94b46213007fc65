import CaseloadCore
import CaseloadText

/// A questionnaire, one item at a time with its question text and scale, then the score.
enum MeasureFormView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let m = state.measure else { return }
        let name = state.caseload.patients[m.patientId]?.name ?? ""
        var y = rect.y
        func line(_ text: String, _ role: Role = .normal) {
            guard y < rect.maxY else { return }
            grid.put(DisplayWidth.truncate(text, columns: rect.width - 2), x: rect.x + 1, y: y, role: role)
            y += 1
        }
        func wrapped(_ text: String, _ role: Role = .normal) {
            for w in wordWrap(text, width: max(10, rect.width - 4)) { line(" " + w.text, role) }
        }
        line("Record a measure for \(name) (\(m.date))", .title)
        y += 1
        let items = m.instrument.items
        guard let step = m.step else {
            line("Which questionnaire?  ‹ \(m.instrument.label) ›")
            grid.cursor = (rect.x + 1, rect.y + 2)
            y += 1
            line("←/→ or 1 ONS4 · 2 SWEMWBS · 3 UCLA-3, then Enter", .dim)
            line("Done on \(m.date)\(m.date == state.asOf ? " (today)" : ""): - a day earlier, + a day later", .dim)
            line("\(items.count) questions", .dim)
            return
        }
        if step < items.count {
            let item = items[step]
            line("\(m.instrument.label): question \(step + 1) of \(items.count)", .title)
            y += 1
            wrapped(item.question)
            y += 1
            wrapped(item.scale, .dim)
            y += 1
            let prompt = "Answer (\(item.range.lowerBound)-\(item.range.upperBound)): "
            guard y < rect.maxY else { return }
            let x = rect.x + 1 + grid.put(prompt, x: rect.x + 1, y: y)
            let w = grid.put(m.input.text, x: x, y: y, role: .inputFocused)
            grid.cursor = (x + w, y)
            grid.cursorVisible = true
            y += 1
            if let e = m.error { line("✗ " + e, .error) }
            if !m.answers.isEmpty { line("So far: " + m.answers.map(String.init).joined(separator: ", ") + " (Backspace goes back)", .dim) }
            return
        }
        line("\(m.instrument.label): all \(items.count) answered", .title)
        line("Answers: " + m.answers.map(String.init).joined(separator: ", "))
        line("Score: " + GoalsPanel.scoreText(m.instrument.score(m.answers)), .ok)
        if let e = m.error { line("✗ " + e, .error) }
        y += 1
        line("Enter saves · Backspace changes the last answer · Esc cancels", .keyHint)
        grid.cursor = (rect.x + 1, rect.y + 2)
    }
}
