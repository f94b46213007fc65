import Foundation

/// What `overdue` needs of a caseload and nothing else: every open follow-up of a patient whose
/// case is open, with the patient's name, and the teams of their workers. Small enough to keep
/// in a file of its own (`followups.idx`) that `caseload overdue` reads instead of opening the
/// whole caseload; `overdue(asOf:worker:team:)` answers exactly as `CaseloadState.overdue`.
public struct FollowupDigest: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public var followupId: UUID
        public var patientId: UUID
        public var patientName: String
        /// The follow-up's worker id ("" when it has none, as `overdue` shows it).
        public var worker: String
        public var due: Day
        public var reason: String?

        public init(followupId: UUID, patientId: UUID, patientName: String, worker: String, due: Day, reason: String?) {
            self.followupId = followupId; self.patientId = patientId; self.patientName = patientName
            self.worker = worker; self.due = due; self.reason = reason
        }
    }

    /// By due date, then follow-up id: the overdue ones come first, and a digest's value does
    /// not depend on dictionary order.
    public var rows: [Row]
    /// Worker id to team, for the workers of `rows` that have one.
    public var teams: [String: String]

    public init(rows: [Row], teams: [String: String]) {
        self.rows = rows
        self.teams = teams
    }

    public init(_ state: CaseloadState) {
        var rows: [Row] = []
        var teams: [String: String] = [:]
        for f in state.followups.values where f.status == .open {
            guard let p = state.patients[f.patientId], p.status.isOpen, p.isInUse else { continue }
            let w = f.worker ?? ""
            rows.append(Row(followupId: f.id, patientId: p.id, patientName: p.name, worker: w, due: f.due, reason: f.reason))
            if let team = state.workers[w]?.team { teams[w] = team }
        }
        rows.sort { $0.due != $1.due ? $0.due < $1.due : $0.followupId.sortsBefore($1.followupId) }
        self.init(rows: rows, teams: teams)
    }

    /// `CaseloadState.overdue(asOf:worker:team:)` from the digest alone.
    public func overdue(asOf: Day, worker: String? = nil, team: String? = nil) -> [OverdueItem] {
        var items: [OverdueItem] = []
        for r in rows where r.due < asOf {
            if let worker, r.worker != worker { continue }
            if let team, teams[r.worker] != team { continue }
            items.append(OverdueItem(followupId: r.followupId, patientId: r.patientId, patientName: r.patientName, worker: r.worker,
                                     due: r.due, daysOverdue: asOf.days(since: r.due), reason: r.reason))
        }
        return items.sorted(by: OverdueItem.ordered)
    }
}
