import CaseloadCore
import Foundation

/// The follow-up queue, and the follow-up keys it shares with the person's follow-ups pane.
extension AppState {
    /// Rebuilds the follow-up queue: overdue (most overdue first), due today, the next 7 days.
    /// The selection stays at the same place in the list: after "done" or a reschedule the
    /// next person to call is under the cursor, as when working down a paper list.
    mutating func refreshQueue() {
        var rows: [FollowupQueueState.Row] = caseload.overdue(asOf: asOf).map { .init(followupId: $0.followupId, section: .overdue) }
        // `openFollowups()` narrowed to the week, in its order, without looking up the person of
        // every open follow-up (a tenth of opening a million events).
        let weekEnd = asOf.adding(days: 7)
        var week: [Followup] = []
        for f in caseload.followups.values where f.status == .open && f.due >= asOf && f.due <= weekEnd {
            guard let p = caseload.patients[f.patientId], p.status.isOpen, p.isInUse else { continue }
            week.append(f)
        }
        week.sort { $0.due != $1.due ? $0.due < $1.due : $0.id.sortsBefore($1.id) }
        for f in week { rows.append(.init(followupId: f.id, section: f.due == asOf ? .today : .week)) }
        queue.rows = rows
        queue.selected = clamp(queue.selected, rows.count)
    }

    /// The follow-up under the cursor in the queue or the patient's follow-ups pane.
    var selectedFollowup: Followup? {
        if route == .followupQueue {
            guard queue.rows.indices.contains(queue.selected) else { return nil }
            return caseload.followups[queue.rows[queue.selected].followupId]
        }
        guard let p = patient, p.pane == .followups else { return nil }
        let rows = PatientRows.followups(p.patientId, caseload)
        return rows.indices.contains(p.selectedRow) ? rows[p.selectedRow] : nil
    }

    mutating func queuePerform(_ action: Action) -> [Effect]? {
        guard action.isMove else { return followupPerform(action) }
        queue.selected = step(queue.selected, action, queue.rows.count)
        return []
    }

    /// d, 1, 7 and r on the selected follow-up (here and in the person's follow-ups pane).
    mutating func followupPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .followupDone:
            guard let f = selectedFollowup, f.status == .open else { return [] }
            return ruled(Rules.completeFollowup(f.id, state: caseload, context: ruleContext), .change(description: "follow-up done"))
        case .plusDay, .plusWeek, .reschedule:
            guard let f = selectedFollowup, f.status == .open else { return [] }
            let base = max(f.due, asOf)
            let to = action == .plusDay ? base.adding(days: 1) : action == .plusWeek ? base.adding(days: 7) : f.due
            openForm(Forms.reschedule(followup: f, patientName: caseload.patients[f.patientId]?.name, to: to, focusReason: action != .reschedule))
            return []
        default:
            return nil
        }
    }
}
