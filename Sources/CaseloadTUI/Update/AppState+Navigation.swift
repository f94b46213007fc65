import CaseloadCore
import CaseloadText
import Foundation

/// Moving the selection in whatever list is on screen, and the list filter.
extension AppState {
    mutating func move(_ action: Action) -> [Effect] {
        switch route {
        case .patientList: return moveList(action)
        case .patient:
            guard var p = patient else { return [] }
            p.selectedRow = step(p.selectedRow, action, PatientRows.count(p.pane, p.patientId, caseload))
            patient = p
        case .followupQueue: queue.selected = step(queue.selected, action, queue.rows.count)
        case .inbox: inbox.selected = step(inbox.selected, action, inbox.rows.count)
        case .teamView: team.selected = step(team.selected, action, TeamRows.overdue(self).count)
        case .search:
            search.isTyping = false
            search.selected = step(search.selected, action, search.hits.count)
        case .reports:
            let delta = action == .up ? -1 : action == .down ? 1 : action == .pageUp ? -(listHeight - 1) : action == .pageDown ? listHeight - 1 : 0
            let maxScroll = ReportsView.maxScroll(self)
            reports.scroll = action == .top ? 0 : action == .bottom ? maxScroll : max(0, min(maxScroll, reports.scroll + delta))
        case .help, .letter, .history:
            // One line per step: the views clamp the scroll to their text.
            let delta = action == .up ? -1 : action == .down ? 1 : action == .pageUp ? -(listHeight - 1) : action == .pageDown ? listHeight - 1 : 0
            helpScroll = action == .top ? 0 : action == .bottom ? maxTextScroll : max(0, min(maxTextScroll, helpScroll + delta))
        default: break
        }
        return []
    }

    /// How far the help or letter text can scroll on this screen.
    var maxTextScroll: Int {
        var under = self
        under.routes.removeLast()
        let bodyHeight = height - 3
        if route == .help {
            return max(0, HelpView.lines(for: under.context, width: width).count - bodyHeight)
        }
        if route == .history { return max(0, HistoryView.lines(self, width: width).count + 2 - bodyHeight) }
        guard let p = patient, let person = caseload.patients[p.patientId] else { return 0 }
        let lines = wordWrap(GPLetter.text(p.patientId, self), width: max(10, width - 4)).count
        return max(0, lines + LetterView.headerRows(person) - bodyHeight)
    }

    /// The next index after `action` in a list of `count` rows.
    func step(_ i: Int, _ action: Action, _ count: Int) -> Int {
        let page = max(1, listHeight - 1)
        let next: Int
        switch action {
        case .up: next = i - 1
        case .down: next = i + 1
        case .pageUp: next = i - page
        case .pageDown: next = i + page
        case .top: next = 0
        case .bottom: next = count - 1
        default: next = i
        }
        return clamp(next, count)
    }
}
