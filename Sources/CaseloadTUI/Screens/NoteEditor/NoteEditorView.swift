import CaseloadCore
import CaseloadText

/// The full-screen note editor: who and what above, the wrapped text below.
enum NoteEditorView {
    /// The text area for a screen of this size: everything between the form and the footer.
    static func textArea(width: Int, height: Int) -> Rect {
        // Header 1, title 1, form 2, rule 1 above; hints and status 2 below.
        Rect(x: 1, y: 5, width: width - 2, height: height - 7)
    }

    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        grid.fill(rect)
        guard let e = state.editor else { return }
        let name = state.caseload.patients[e.patientId]?.name ?? ""
        let title = (e.isAmendment ? "Amend note — " : "Session note — ") + name
        // Only claim "saved" when the journal really holds this draft.
        let inJournal = state.caseload.drafts[e.draftId] != nil
        let status = e.needsDraftSave ? "draft: changed" : inJournal ? "draft: saved" : ""
        let w = grid.put(DisplayWidth.truncate(title, columns: rect.width - 16), x: rect.x + 1, y: rect.y, role: .title)
        // The risk banner goes with the person onto this screen too (lone working matters on a home visit).
        if let risk = state.caseload.riskBanner(of: e.patientId) {
            grid.put(DisplayWidth.truncate("  " + risk, columns: max(0, rect.width - 16 - w)), x: rect.x + 1 + w, y: rect.y, role: .warning)
        }
        grid.put(status, x: rect.maxX - DisplayWidth.of(status) - 1, y: rect.y, role: e.needsDraftSave ? .dim : .ok)

        // The form row: focus shown by brackets as well as colour.
        var formY = rect.y + 1
        var x = rect.x + 1
        func field(_ label: String, _ value: String, _ f: NoteEditorState.Field, choice: Bool = false) {
            let focused = e.focus == f
            x += grid.put(label + " ", x: x, y: formY, role: focused ? .title : .normal)
            let shown = choice ? "‹\(value)›" : "[\(value)]"
            let w = grid.put(shown, x: x, y: formY, role: e.isAmendment ? .dim : focused ? .inputFocused : .input)
            if focused {
                grid.cursor = (x + (choice ? 1 : 1 + DisplayWidth.of(value)), formY)
                grid.cursorVisible = true
            }
            x += w + 2
        }
        field("Date", e.date.text, .date)
        field("Method", e.kind.label, .kind, choice: true)
        field("Minutes", e.minutes.text, .minutes)
        // The outcome on a row of its own: the longest values do not fit beside the rest at 80 columns.
        formY += 1
        x = rect.x + 1
        field("Outcome", e.outcome.label, .outcome, choice: true)
        if e.outcome.isMissed, e.focus == .outcome || e.text.isEmpty {
            x += grid.put("a note is optional", x: x, y: formY, maxWidth: max(0, rect.maxX - x - 1), role: .dim) + 2
        }
        if let err = e.fieldError {
            grid.put(DisplayWidth.truncate("✗ " + err, columns: max(0, rect.maxX - x - 1)), x: x, y: formY, role: .error)
        }
        grid.fill(Rect(x: rect.x, y: rect.y + 3, width: rect.width, height: 1), role: .border)
        let ruleText = e.isAmendment ? " amending: the earlier version stays in the history " : " ^S save · ^E $EDITOR · Esc keeps a draft "
        grid.put(DisplayWidth.truncate(ruleText, columns: rect.width - 2), x: rect.x + 1, y: rect.y + 3, role: .border)

        let area = textArea(width: state.width, height: state.height)
        guard area.width >= 2, area.height >= 1 else { return }
        let vp = e.buffer.viewport(width: area.width, height: area.height, scrollTop: e.scrollTop)
        for (i, line) in vp.lines.enumerated() {
            grid.put(line.text, x: area.x, y: area.y + i, maxWidth: area.width)
        }
        if e.text.isEmpty && e.focus == .text {
            grid.put("Write the note here. What matters to them? What was agreed?", x: area.x, y: area.y, maxWidth: area.width, role: .dim)
        }
        if vp.totalLines > area.height {
            grid.put("\(vp.scrollTop + 1)-\(vp.scrollTop + vp.lines.count)/\(vp.totalLines)", x: area.maxX - 10, y: rect.y + 3, maxWidth: 10, role: .border)
        }
        if e.focus == .text {
            grid.cursor = (area.x + vp.cursorColumn, area.y + vp.cursorRow)
            grid.cursorVisible = true
        }
    }
}
