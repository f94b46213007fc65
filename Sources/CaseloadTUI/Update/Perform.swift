import CaseloadCore
import Foundation

/// Actions from the key table go to the screen on top first; what no screen claims is one of
/// the actions every screen shares (moving, going places, help, back, quit).
extension AppState {
    /// One action from the key table.
    mutating func perform(_ action: Action) -> [Effect] {
        let claimed: [Effect]?
        switch route {
        case .firstRun, .form: claimed = formPerform(action)
        case .patientList: claimed = patientListPerform(action)
        case .patient: claimed = patientPerform(action)
        case .noteEditor: claimed = editorPerform(action)
        case .followupQueue: claimed = queuePerform(action)
        case .inbox: claimed = inboxPerform(action)
        case .measureForm: claimed = measurePerform(action)
        case .reports: claimed = reportsPerform(action)
        case .letter: claimed = letterPerform(action)
        case .servicePicker: claimed = pickerPerform(action)
        case .draftOffer, .confirmQuit, .contactQuestion, .reReferralQuestion, .duplicateQuestion: claimed = questionPerform(action)
        case .search: claimed = searchPerform(action)
        case .teamView: claimed = teamPerform(action)
        case .help, .history: claimed = nil
        }
        return claimed ?? sharedPerform(action)
    }

    /// The actions of more than one screen.
    mutating func sharedPerform(_ action: Action) -> [Effect] {
        switch action {
        case .quit: return requestQuit()
        case .back: return back()
        case .help:
            if route == .help { return back() }
            helpScroll = 0
            routes.append(.help)
            return []
        case .up, .down, .pageUp, .pageDown, .top, .bottom: return scrollText(action)
        case .open: return openSelected()
        case .followups:
            refreshQueue()
            push(.followupQueue)
            return []
        case .inbox:
            refreshInbox()
            inbox.selected = 0
            push(.inbox)
            return []
        case .team:
            team.selected = 0
            push(.teamView)
            return []
        case .reports:
            reports.scroll = 0
            refreshReport()
            push(.reports)
            return []
        case .search:
            search = SearchState()
            push(.search)
            refreshSearch() // folds the notes now, if not yet, rather than on the first letter
            return []
        case .undo: return undoLastChange()
        case .sync: return syncAgain()
        default: return []
        }
    }
}
