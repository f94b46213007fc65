import CaseloadCore
import Foundation

/// The selectable rows of each patient pane, shared by `update` (to move and act) and the
/// views (to draw), so both agree on what row 3 is.
enum PatientRows {
    static func count(_ pane: PatientPane, _ patientId: UUID, _ state: CaseloadState) -> Int {
        switch pane {
        case .timeline: return TimelineItem.of(patientId, in: state).count
        case .goals: return state.goals(of: patientId).count
        case .connections: return state.connections(of: patientId).count
        case .followups: return followups(patientId, state).count
        }
    }

    /// Open follow-ups first (by due date), then closed ones, newest first.
    static func followups(_ patientId: UUID, _ state: CaseloadState) -> [Followup] {
        let all = state.followups(of: patientId)
        return all.filter { $0.status == .open } + all.filter { $0.status != .open }.reversed()
    }
}
