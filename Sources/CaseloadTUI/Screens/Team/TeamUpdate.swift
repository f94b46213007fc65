import Foundation

/// The team view: moving down the overdue follow-ups, grouped by worker; Enter opens one.
extension AppState {
    mutating func teamPerform(_ action: Action) -> [Effect]? {
        guard action.isMove else { return nil }
        team.selected = step(team.selected, action, TeamRows.overdue(self).count)
        return []
    }
}
