import CaseloadCore
import Foundation

/// The referral inbox: her referrals not yet seen, accepted or declined from here.
extension AppState {
    /// Her inbox, as `caseload inbox` lists it.
    mutating func refreshInbox() {
        inbox.rows = caseload.inbox(asOf: asOf, worker: workerId, deadlineDays: responseDeadlineDays)
        inbox.selected = clamp(inbox.selected, inbox.rows.count)
    }

    var selectedInboxPatient: Patient? {
        guard route == .inbox, inbox.rows.indices.contains(inbox.selected) else { return nil }
        return caseload.patients[inbox.rows[inbox.selected].patient.id]
    }

    /// a accepts (the person agreed: now contacted); x declines, on the status form with a reason.
    mutating func inboxPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .acceptReferral:
            guard let p = selectedInboxPatient else { return [] }
            switch Rules.changeStatus(StatusInput(patientId: p.id, status: .contacted, date: asOf, reason: "referral accepted"), state: caseload, context: ruleContext) {
            case .success(let bodies):
                status = StatusMessage("Saving…")
                return [.append(bodies, purpose: .change(description: "referral accepted for \(p.name)"))]
            case .failure(let problems):
                status = StatusMessage(problems.items.first?.message ?? "Not accepted", kind: .error)
                return []
            }
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            inbox.selected = step(inbox.selected, action, inbox.rows.count)
            return []
        case .declineReferral:
            guard let p = selectedInboxPatient else { return [] }
            var form = Forms.changeStatus(patient: p, asOf: asOf, openFollowups: caseload.followups(of: p.id).filter { $0.status == .open }.count)
            form.title = "Decline the referral of \(p.name)"
            if let i = form.fields.firstIndex(where: { $0.key == "status" }) { form.fields[i].value = PatientStatus.declined.label }
            if let i = form.fields.firstIndex(where: { $0.key == "reason" }) {
                form.fields[i].hint = "why they declined (needed; the GP is told it was declined)"
                form.focus = i
            }
            openForm(form)
            return []
        default:
            return nil
        }
    }
}
