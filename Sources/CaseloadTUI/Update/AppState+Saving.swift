import CaseloadCore
import Foundation

/// Undo, and what the screen does once events are on disk.
extension AppState {
    /// `u`: undo the last change, from the screen it was made on.
    mutating func undoLastChange() -> [Effect] {
        guard let change = lastChange else {
            status = StatusMessage("Nothing to undo")
            return []
        }
        guard change.route == route || (change.route == .patient && route == .patient) else {
            status = StatusMessage("To undo “\(change.description)”, go back to its screen")
            return []
        }
        return [.undo(eventIds: change.eventIds, description: change.description)]
    }

    /// What happens once events are on disk.
    mutating func afterSave(_ result: SaveResult) -> [Effect] {
        let ids = result.events.map(\.id)
        switch result.purpose {
        case .draft(let id):
            editor?.draftSaved(id: id, now: now)
            status = StatusMessage("Draft saved", kind: .saved)
        case .draftDiscarded:
            status = StatusMessage("Draft discarded", kind: .saved)
        case .note(let description):
            editor = nil
            routes.removeAll { $0 == .noteEditor || $0 == .confirmQuit }
            if routes.isEmpty { routes = [.patientList] }
            lastChange = UndoableChange(eventIds: ids, description: description, route: route)
            status = StatusMessage("Saved: \(description)", kind: .saved)
            // Show the note: a new session is the newest thing on the timeline; an amended
            // one stays where it was.
            patient?.pane = .timeline
            if case .sessionRecorded? = result.events.first?.body { patient?.selection[.timeline] = 0 }
        case .patientAdded(let id):
            form = nil
            routes.removeAll { $0 == .form }
            openPatient(id)
            lastChange = UndoableChange(eventIds: ids, description: "new patient", route: .patient)
            status = StatusMessage("Saved: new patient", kind: .saved)
        case .change(let description):
            let wasForm = form
            if route == .form || route == .measureForm {
                form = nil
                measure = nil
                routes.removeLast()
            }
            lastChange = UndoableChange(eventIds: ids, description: description, route: route)
            status = StatusMessage("Saved: \(description)", kind: .saved)
            // A discharge: the message back to the GP is ready at once.
            if case .changeStatus? = wasForm?.purpose, currentPatient?.status == .discharged {
                helpScroll = 0
                push(.letter)
                status = StatusMessage("Saved: discharged. The message to the GP is below; M shows it again", kind: .saved)
            }
        }
        return []
    }
}
