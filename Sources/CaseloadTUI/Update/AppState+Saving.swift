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
        // From any screen: the message names what is undone and for whom.
        return [.undo(eventIds: change.eventIds, description: change.fullDescription)]
    }

    /// The person the saved events are about: the first event that names a patient, a
    /// follow-up, goal, session or connection (found by its field name), else the one on screen.
    func patientName(of events: [Event]) -> String? {
        for event in events {
            guard let payload = Mirror(reflecting: event.body).children.first?.value else { continue }
            for child in Mirror(reflecting: payload).children {
                guard let id = child.value as? UUID else { continue }
                let patientId: UUID?
                switch child.label {
                case "patientId": patientId = id
                case "followupId": patientId = caseload.followups[id]?.patientId
                case "goalId": patientId = caseload.goals[id]?.patientId
                case "sessionId": patientId = caseload.sessions[id]?.patientId
                case "connectionId": patientId = caseload.connections[id]?.patientId
                default: patientId = nil
                }
                if let patientId, let p = caseload.patients[patientId] { return p.name }
            }
        }
        return currentPatient?.name
    }

    /// Events are on disk: the caseload is the store's, and the screen follows.
    mutating func saved(_ result: SaveResult) -> [Effect] {
        caseload = result.state
        // A draft autosave or a view changes nothing any list shows: skip the re-sorting.
        switch result.purpose {
        case .draft, .audit: break
        default: caseloadChanged()
        }
        return afterSave(result)
    }

    mutating func saveFailed(_ purpose: SavePurpose, _ message: String) {
        if case .audit = purpose {
            status = StatusMessage("This view is not in the audit: \(message)", kind: .error)
            return
        }
        status = StatusMessage("Not saved: \(message)", kind: .error)
        if case .draft = purpose { editor?.draftSaveFailed() }
    }

    mutating func undone(_ newState: CaseloadState, _ description: String) {
        caseload = newState
        lastChange = nil
        caseloadChanged()
        status = StatusMessage("Undone: \(description)", kind: .saved)
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
        case .erased:
            form = nil
            routes.removeAll { $0 != .patientList }
            if routes.isEmpty { routes = [.patientList] }
            // Not undoable: the key that opened their details is gone.
            lastChange = nil
            status = StatusMessage("Erased: only what reports count is left, here and on every device after the next sync", kind: .saved,
                                   shorter: ["Erased"])
        case .audit:
            break
        case .note(let description, let shorter):
            editor = nil
            routes.removeAll { $0 == .noteEditor || $0 == .confirmQuit || $0 == .contactQuestion }
            if routes.isEmpty { routes = [.patientList] }
            lastChange = UndoableChange(eventIds: ids, description: description, patientName: patientName(of: result.events))
            status = StatusMessage("Saved: \(description)", kind: .saved, shorter: shorter.map { "Saved: " + $0 })
            // Show the note: a new session is the newest thing on the timeline; an amended
            // one stays where it was.
            patient?.pane = .timeline
            if case .sessionRecorded? = result.events.first?.body { patient?.selection[.timeline] = 0 }
        case .patientAdded(let id):
            form = nil
            routes.removeAll { $0 == .form }
            openPatient(id)
            lastChange = UndoableChange(eventIds: ids, description: "new patient", patientName: patientName(of: result.events))
            status = StatusMessage("Saved: new patient", kind: .saved)
        case .referredAgain(let id):
            form = nil
            routes.removeAll { $0 == .form }
            openPatient(id)
            let name = caseload.patients[id]?.name
            let n = caseload.patients[id]?.episodes.count ?? 0
            lastChange = UndoableChange(eventIds: ids, description: "new episode", patientName: name)
            status = StatusMessage("Saved: referred again, episode \(n) for \(name ?? "them")", kind: .saved,
                                   shorter: ["Saved: referred again, episode \(n)"])
        case .duplicateResolved(let saved, let shorter, let undo):
            lastChange = UndoableChange(eventIds: ids, description: undo, patientName: nil)
            status = StatusMessage("Saved: \(saved)", kind: .saved, shorter: shorter.map { "Saved: " + $0 })
        case .change(let description):
            let wasForm = form
            if route == .form || route == .measureForm {
                form = nil
                measure = nil
                routes.removeLast()
            }
            lastChange = UndoableChange(eventIds: ids, description: description, patientName: patientName(of: result.events))
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

extension AppState {
    /// A rule's events to save, or its refusal on the status line (nothing is written).
    mutating func ruled(_ outcome: Rules.Outcome, _ purpose: SavePurpose) -> [Effect] {
        switch outcome {
        case .success(let bodies): return [.append(bodies, purpose: purpose)]
        case .failure(let problems):
            status = StatusMessage("Not saved: " + problems.items.map(\.message).joined(separator: "; "), kind: .error)
            return []
        }
    }
}
