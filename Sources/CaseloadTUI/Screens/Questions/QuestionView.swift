import CaseloadCore
import CaseloadText

/// A small box asking one question over the screen: the draft offer, "quit?", and what to do
/// with a follow-up when a contact is saved.
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
        case .contactQuestion:
            guard let q = state.contactQuestion else { return }
            let name = state.caseload.patients[q.input.patientId]?.name ?? "them"
            switch q.kind {
            case .completeDue(let ids):
                let fs = ids.compactMap { state.caseload.followups[$0] }
                lines.append(Span("Attended: \(q.input.method.label) with \(name)", .title))
                let first = fs.first.map { "due \($0.due)\($0.reason.map { ", " + $0 } ?? "")" } ?? ""
                lines.append(Span(fs.count == 1 ? "Mark the follow-up \(first) done?" : "Mark the \(fs.count) follow-ups due by today done?"))
                lines.append(Span(""))
                lines.append(Span("y done · n keep it open · Esc back to the note", .keyHint))
            case .bookNext(let day, let moving):
                lines.append(Span("\(q.input.outcome.label.prefix(1).uppercased() + q.input.outcome.label.dropFirst()): \(name)", .title))
                lines.append(Span("The case and its follow-ups stay open."))
                lines.append(Span(moving > 0 ? "Move the due follow-up to the next try, \(day)?" : "Book the next try for \(day)?"))
                let missed = state.caseload.missedInARow(of: q.input.patientId) + 1
                if missed >= state.reviewAfterMissed { lines.append(Span("\(missed) missed in a row: flagged for review", .warning)) }
                lines.append(Span(""))
                lines.append(Span("y \(moving > 0 ? "move it" : "book it") · n not now · Esc back to the note", .keyHint))
            }
        case .reReferralQuestion:
            guard let q = state.reReferralQuestion, let p = state.caseload.patients[q.match.patientId] else { return }
            // Short lines: whole in the box at 60 columns.
            lines.append(Span("Already known: \(p.name)", .title))
            lines.append(Span(q.match.byNHSNumber ? "The same NHS number, \(p.nhsNumber?.formatted ?? "")" : "The same name and birth date, \(p.dateOfBirth.map(\.description) ?? "")"))
            let since = p.statusHistory.last?.date ?? p.referral.date
            lines.append(Span("\(p.status.label) since \(since) · \(p.episodes.count) episode\(p.episodes.count == 1 ? "" : "s")"))
            switch q.kind {
            case .newEpisode:
                lines.append(Span("Open a new episode for \(p.name)?"))
                lines.append(Span("Their details stay as recorded (E corrects them).", .dim))
                lines.append(Span(""))
                lines.append(Span(q.match.byNHSNumber ? "y new episode · n back to the form" : "y new episode · n a different person: add them", .keyHint))
            case .openCase:
                lines.append(Span("Their case is open. Add a different person?"))
                lines.append(Span(""))
                lines.append(Span("y add a new person · n back to the form", .keyHint))
            }
        case .duplicateQuestion:
            guard let q = state.duplicateQuestion, let p = state.caseload.patients[q.patientId],
                  let o = state.caseload.patients[q.otherId] else { return }
            // Short lines: whole in the box at 60 columns; the names may be cut, never the keys.
            func record(_ label: String, _ r: Patient) {
                let id = r.nhsNumber.map { "NHS \($0.formatted)" } ?? r.dateOfBirth.map { "born \($0)" } ?? "no NHS number"
                lines.append(Span("\(label) \(r.name), \(id)"))
                let worker = r.worker.map { state.caseload.workers[$0]?.name ?? $0 } ?? "no worker"
                let contacts = r.sessionIDs.count
                lines.append(Span("       \(worker) · referred \(r.referral.date) · \(contacts) contact\(contacts == 1 ? "" : "s")", .dim))
            }
            lines.append(Span("Likely the same person: \(q.reason)", .title))
            record("This: ", p)
            record("Other:", o)
            if q.remaining > 0 { lines.append(Span("(\(q.remaining) more likely duplicate\(q.remaining == 1 ? "" : "s") after this: D again)", .dim)) }
            if let why = q.refusal {
                for w in wordWrap("Not merged: \(why)", width: 50) { lines.append(Span(w.text, .warning)) }
            }
            lines.append(Span(""))
            lines.append(Span("m merge the other into this (all of it kept)", .keyHint))
            lines.append(Span("d different people · Esc back", .keyHint))
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
