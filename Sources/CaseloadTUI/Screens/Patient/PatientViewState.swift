import CaseloadCore
import Foundation

/// The panes of the patient view, in Tab order.
public enum PatientPane: Int, Sendable, Hashable, CaseIterable {
    case timeline, goals, connections, followups

    public var title: String {
        switch self {
        case .timeline: return "Timeline"
        case .goals: return "Goals & outcomes"
        case .connections: return "Connections"
        case .followups: return "Follow-ups"
        }
    }

    var context: Context {
        switch self {
        case .timeline: return .patientTimeline
        case .goals: return .patientGoals
        case .connections: return .patientConnections
        case .followups: return .patientFollowups
        }
    }
}

/// One open patient: which pane has focus and the selected row in each.
public struct PatientViewState: Sendable {
    public var patientId: UUID
    public var pane: PatientPane = .timeline
    public var selection: [PatientPane: Int] = [:]
    /// The first record this one may duplicate, worked out when the screen opens and after
    /// every change to the caseload (`AppState.caseloadChanged`), not on every frame: finding it
    /// looks at every person, 3 ms of each frame at 30,000 people.
    public var likelyDuplicate: LikelyDuplicate?

    public init(patientId: UUID) { self.patientId = patientId }

    public var selectedRow: Int {
        get { selection[pane] ?? 0 }
        set { selection[pane] = newValue }
    }
}
