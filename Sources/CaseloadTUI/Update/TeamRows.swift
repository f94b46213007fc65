import CaseloadCore
import Foundation

/// The team view's data: overdue follow-ups grouped by worker, the most overdue worker first.
enum TeamRows {
    struct Group: Sendable {
        var worker: String
        var name: String
        var caseloadSize: Int
        var items: [OverdueItem]
    }

    static func groups(_ state: AppState) -> [Group] {
        let overdue = state.caseload.overdue(asOf: state.asOf)
        var sizes: [String: Int] = [:]
        for p in state.caseload.patients.values where p.status.isOpen { sizes[p.worker ?? "", default: 0] += 1 }
        var byWorker: [String: [OverdueItem]] = [:]
        for item in overdue { byWorker[item.worker, default: []].append(item) }
        let workers = Set(sizes.keys).union(byWorker.keys).union(state.caseload.workers.keys)
        return workers.map { w in
            Group(worker: w, name: state.caseload.workers[w]?.name ?? (w.isEmpty ? "unassigned" : w),
                  caseloadSize: sizes[w] ?? 0, items: byWorker[w] ?? [])
        }.sorted {
            let a = $0.items.first?.daysOverdue ?? -1, b = $1.items.first?.daysOverdue ?? -1
            if a != b { return a > b }
            return $0.name < $1.name
        }
    }

    /// The selectable rows in display order (every overdue item, group by group).
    static func overdue(_ state: AppState) -> [OverdueItem] { groups(state).flatMap(\.items) }
}
