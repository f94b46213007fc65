import CaseloadCore
import Foundation

/// Derived lists, recomputed when their inputs change rather than on every frame.
extension AppState {
    /// Re-filters and re-sorts the patient list, keeping the selected patient selected.
    mutating func refreshList() {
        let keep = list.rows.indices.contains(list.selected) ? list.rows[list.selected] : nil
        let needle = SearchText.fold(list.filter.trimmingCharacters(in: .whitespaces))
        var patients = caseload.patients.values.filter { p in
            if !list.status.includes(p.status) { return false }
            if list.mineOnly, p.worker != workerId { return false }
            if !needle.isEmpty, !caseload.matches(p, needle) { return false }
            return true
        }
        let byName: (Patient, Patient) -> Bool = { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }
        switch list.sort {
        case .name:
            patients.sort(by: byName)
        case .nextFollowup:
            let next = Dictionary(uniqueKeysWithValues: patients.map { ($0.id, caseload.nextFollowup(of: $0.id)?.due.ordinal ?? Int.max) })
            patients.sort { next[$0.id]! != next[$1.id]! ? next[$0.id]! < next[$1.id]! : byName($0, $1) }
        case .lastContact:
            // Longest without contact first: who needs a call.
            patients.sort {
                let a = $0.lastContact?.ordinal ?? Int.min, b = $1.lastContact?.ordinal ?? Int.min
                return a != b ? a < b : byName($0, $1)
            }
        case .status:
            let order = Dictionary(uniqueKeysWithValues: PatientStatus.allCases.enumerated().map { ($1, $0) })
            patients.sort { order[$0.status]! != order[$1.status]! ? order[$0.status]! < order[$1.status]! : byName($0, $1) }
        }
        list.rows = patients.map(\.id)
        if let keep, let i = list.rows.firstIndex(of: keep) { list.selected = i }
        list.selected = clamp(list.selected, list.rows.count)
    }

    /// Rebuilds the follow-up queue: overdue (most overdue first), due today, the next 7 days.
    mutating func refreshQueue() {
        let keep = queue.rows.indices.contains(queue.selected) ? queue.rows[queue.selected].followupId : nil
        var rows: [FollowupQueueState.Row] = caseload.overdue(asOf: asOf).map { .init(followupId: $0.followupId, section: .overdue) }
        for f in caseload.openFollowups() where f.due >= asOf && f.due <= asOf.adding(days: 7) {
            rows.append(.init(followupId: f.id, section: f.due == asOf ? .today : .week))
        }
        queue.rows = rows
        if let keep, let i = rows.firstIndex(where: { $0.followupId == keep }) { queue.selected = i }
        queue.selected = clamp(queue.selected, rows.count)
    }

    /// Re-runs the note and goal search.
    mutating func refreshSearch() {
        search.hits = Searcher.search(caseload, query: search.query)
        search.selected = clamp(search.selected, search.hits.count)
    }

    /// After the caseload changed: every derived list follows.
    mutating func caseloadChanged() {
        refreshList()
        refreshQueue()
        if route == .search || routes.contains(.search) { refreshSearch() }
        if let p = patient, caseload.patients[p.patientId] == nil {
            // The patient's referral was undone: nothing left to show.
            patient = nil
            routes.removeAll { $0 == .patient || $0 == .noteEditor }
            if routes.isEmpty { routes = [.patientList] }
        }
    }

    /// Header counts: open patients, overdue follow-ups, due today, referrals since yesterday.
    var headerCounts: (patients: Int, overdue: Int, dueToday: Int, newReferrals: Int) {
        var open = 0, fresh = 0
        for p in caseload.patients.values where p.status.isOpen {
            open += 1
            if p.referral.date >= asOf.adding(days: -1) { fresh += 1 }
        }
        let today = caseload.openFollowups().filter { $0.due == asOf }.count
        return (open, caseload.overdue(asOf: asOf).count, today, fresh)
    }

    func clamp(_ i: Int, _ count: Int) -> Int { max(0, min(i, count - 1)) }
}
