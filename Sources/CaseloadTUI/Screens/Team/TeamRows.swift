import CaseloadCore

/// The team view's rows: every worker with their overdue follow-ups, caseload size and when
/// their data last arrived (the same grouping as `caseload overdue --team`).
enum TeamRows {
    static func groups(_ state: AppState) -> [WorkerOverview] {
        state.caseload.teamOverview(asOf: state.asOf, thisWorker: state.workerId,
                                    utcOffsetSeconds: state.wallClock.utcOffsetSeconds, notOnServer: state.sync?.notOnServer ?? [:])
    }

    /// The selectable rows in display order (every overdue item, group by group).
    static func overdue(_ state: AppState) -> [OverdueItem] { groups(state).flatMap(\.overdue) }
}
