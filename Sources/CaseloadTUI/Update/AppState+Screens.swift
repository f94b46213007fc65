import CaseloadCore
import Foundation

/// Moving between screens and finding what is selected on them.
extension AppState {
    mutating func push(_ r: Route) {
        if route != r { routes.append(r) }
    }

    /// Esc: leave the screen on top. Leaving the editor keeps its draft in the journal.
    mutating func back() -> [Effect] {
        // A problem reported on the screen being left no longer applies.
        if status?.kind == .error { status = nil }
        switch route {
        case .patientList, .firstRun:
            if list.isFiltering || !list.filter.isEmpty {
                list.isFiltering = false
                list.filter.clear()
                applyFilter()
            }
            return []
        case .noteEditor:
            return leaveEditor()
        case .form:
            form = nil
        case .measureForm:
            measure = nil
        case .servicePicker:
            picker = nil
        case .draftOffer:
            status = StatusMessage("The draft stays saved: n on that patient restores it")
        case .duplicateQuestion:
            duplicateQuestion = nil
            status = StatusMessage("Nothing changed: both records stay as they are")
        case .reReferralQuestion:
            // Esc: back to the form as typed, nothing saved.
            reReferralQuestion = nil
            status = StatusMessage("Not saved yet: the form is as you left it")
        case .contactQuestion:
            contactQuestion = nil
            status = StatusMessage("Not saved yet: the note is still open")
        default:
            break
        }
        if routes.count > 1 { routes.removeLast() }
        return []
    }

    /// The first Esc on a screen with typing in it asks (`question`) rather than leaving; any
    /// other key takes the question back. True when this key asked.
    mutating func escapeAsksFirst(_ key: Key, typed: Bool, confirming: inout Bool, _ question: StatusMessage) -> Bool {
        if key == .escape, typed, !confirming {
            confirming = true
            status = question
            return true
        }
        if key != .escape, confirming {
            confirming = false
            status = nil
        }
        return false
    }

    /// q: quit at once, unless a note is open in the editor.
    mutating func requestQuit() -> [Effect] {
        if routes.contains(.noteEditor), editor != nil {
            push(.confirmQuit)
            return []
        }
        return [.quit]
    }

    /// "Yes, quit": keep the note as a draft (saved now if it changed) and leave.
    mutating func confirmQuit() -> [Effect] {
        var effects: [Effect] = []
        if let e = editor, e.needsDraftSave { effects.append(e.draftEffect(asOf: asOf)) }
        effects.append(.quit)
        return effects
    }

    mutating func openForm(_ f: FormState) {
        form = f
        push(.form)
    }

    mutating func openSelected() -> [Effect] {
        switch route {
        case .patientList:
            guard list.rows.indices.contains(list.selected) else { return [] }
            openPatient(list.rows[list.selected])
        case .inbox:
            guard let p = selectedInboxPatient else { return [] }
            openPatient(p.id)
        case .followupQueue:
            guard let f = selectedFollowup else { return [] }
            let row = PatientRows.followups(f.patientId, caseload).firstIndex { $0.id == f.id } ?? 0
            openPatient(f.patientId, pane: .followups, row: row)
        case .teamView:
            let items = TeamRows.overdue(self)
            guard items.indices.contains(team.selected) else { return [] }
            let item = items[team.selected]
            let row = PatientRows.followups(item.patientId, caseload).firstIndex { $0.id == item.followupId } ?? 0
            openPatient(item.patientId, pane: .followups, row: row)
        case .search:
            guard search.hits.indices.contains(search.selected) else { return [] }
            let hit = search.hits[search.selected]
            switch hit.target {
            case .session(let sid):
                let items = TimelineItem.of(hit.patientId, in: caseload)
                let row = items.firstIndex { if case .session(let s) = $0 { return s.id == sid } else { return false } } ?? 0
                openPatient(hit.patientId, pane: .timeline, row: row)
            case .goal(let gid):
                let row = caseload.goals(of: hit.patientId).firstIndex { $0.id == gid } ?? 0
                openPatient(hit.patientId, pane: .goals, row: row)
            }
        default:
            break
        }
        return []
    }
}

extension AppState {
    /// The audit's `patient.viewed` when the person's screen is showing someone not recorded
    /// in the last few minutes (`Rules.appViewWindowSeconds`). Moving up and down a list opens
    /// no one, so writes nothing; the screens over the person's (the note editor, a form, the
    /// letter) are part of the same look.
    mutating func recordViewIfNew() -> [Effect] {
        guard routes.contains(.patient), let id = patient?.patientId, caseload.patients[id] != nil, !workerId.isEmpty else { return [] }
        if let last = viewsRecorded[id], now - last < Rules.appViewWindowSeconds, now >= last { return [] }
        viewsRecorded[id] = now
        let bodies = Rules.recordView(patientId: id, how: .app, state: caseload, context: ruleContext)
        return bodies.isEmpty ? [] : [.append(bodies, purpose: .audit)]
    }
}
