import CaseloadCore
import Foundation

/// The whole app's logic: a message changes the state and may ask for effects. Pure: no I/O,
/// no clock, no curses, so every step is testable.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    let effects = handle(&state, msg)
    // Whatever opened the person's screen (the list, the queue, the inbox, search, a new
    // patient saved, a draft restored), the view is recorded once.
    return effects + state.recordViewIfNew()
}

private func handle(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .resize(let w, let h):
        state.width = max(0, w)
        state.height = max(0, h)
        return []

    case .tick(let now, let wall):
        state.now = now
        if let wall { state.wallClock = wall }
        state.lockIfIdle()
        // The draft autosave goes on while locked: the note is kept whatever happens next.
        return state.editorTick()

    case .key(let key):
        if state.isLocked { return state.lockedKey(key) }
        state.lastInputAt = state.now
        return state.handleKey(key)

    case .paste(let text):
        if state.isLocked { return state.lockedPaste(text) }
        state.lastInputAt = state.now
        return state.handlePaste(text)

    case .mouse(let event):
        if state.isLocked { return [] }
        state.lastInputAt = state.now
        return state.handleMouse(event)

    case .passphraseChecked(let ok):
        state.passphraseChecked(ok: ok)
        return []

    case .saved(let result):
        return state.saved(result)

    case .saveFailed(let purpose, let message):
        state.saveFailed(purpose, message)
        return []

    case .undone(let newState, let description):
        state.undone(newState, description)
        return []

    case .undoFailed(let message):
        state.status = StatusMessage("Could not undo: \(message)", kind: .error)
        return []

    case .externalEditorClosed(let text):
        return state.externalEditorClosed(text)

    case .storeOpened(let newState, let workerId):
        let size = (state.width, state.height)
        state = AppState(caseload: newState, workerId: workerId, asOf: state.asOf, width: size.0, height: size.1)
        state.status = StatusMessage("Welcome. Press a to add your first patient, ? for all keys.", kind: .saved)
        return []

    case .synced(let newState, let sync, let summary):
        state.synced(newState, sync, summary)
        return []

    case .syncFailed(let message):
        state.syncProgress = nil
        state.status = StatusMessage("Could not sync: \(message)", kind: .error)
        return []

    case .storeOpenFailed(let message):
        state.status = StatusMessage(message, kind: .error)
        return []

    case .fileWritten(let path):
        state.letterWritten(path)
        return []

    case .fileWriteFailed(let message):
        state.form?.message = "Not saved: \(message)"
        state.status = StatusMessage("Not saved: \(message)", kind: .error)
        return []

    case .historyLoaded(let patientId, let lines):
        state.historyLoaded(patientId, lines)
        return []

    case .stop:
        // As "yes, quit": the note is saved as a draft if it changed since the last autosave.
        return state.confirmQuit()
    }
}

extension AppState {
    /// Keys go to text entry first where there is any, then through the key table.
    mutating func handleKey(_ key: Key) -> [Effect] {
        if isTooSmall {
            // Nothing can be seen, so only quitting (and answering "quit?") works.
            if route == .confirmQuit, key == .char("y") { return confirmQuit() }
            if route == .confirmQuit, key == .char("n") || key == .escape { return back() }
            if key == .char("q") || key == .ctrl("q") || key == .ctrl("c") { return requestQuit() }
            return []
        }
        if let effects = screenKey(key) { return effects }
        guard let action = KeyTable.action(for: key, in: context) else { return [] }
        return perform(action)
    }

    /// Keys the screen on top takes before the key table (typing into its text); nil when
    /// the key is for the table.
    mutating func screenKey(_ key: Key) -> [Effect]? {
        switch route {
        case .patientList: return patientListKey(key)
        case .search: return searchKey(key)
        case .form, .firstRun: return formKey(key)
        case .measureForm: return measureKey(key)
        case .noteEditor: return editorKey(key)
        case .servicePicker: return pickerKey(key)
        default: return nil
        }
    }

    mutating func handlePaste(_ pasted: String) -> [Effect] {
        let text = Self.unixLineEnds(pasted)
        switch route {
        case .noteEditor: return editorPaste(text)
        case .form, .firstRun: return formPaste(text)
        case .patientList: return patientListPaste(text)
        case .search: return searchPaste(text)
        default: return []
        }
    }

    /// A paste from Windows (CRLF) or an old Mac (CR) has one line break per line.
    static func unixLineEnds(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// As htop and tig: the wheel scrolls what is on screen (a list, the timeline, the editor)
    /// three rows at a time, as the arrow keys would; in the patient list, the follow-up queue
    /// and the team view a click selects the row under the pointer and a double-click opens it.
    mutating func handleMouse(_ event: MouseEvent) -> [Effect] {
        switch event.kind {
        case .wheelUp, .wheelDown:
            let key: Key = event.kind == .wheelUp ? .up : .down
            return (0..<3).flatMap { _ in handleKey(key) }
        case .click, .doubleClick:
            switch route {
            case .patientList:
                guard let row = PatientListView.row(atScreenY: event.y, self) else { return [] }
                if list.isFiltering { list.isFiltering = false }
                list.selected = row
            case .followupQueue:
                guard let row = FollowupQueueView.row(atScreenY: event.y, self) else { return [] }
                queue.selected = row
            case .teamView:
                guard let row = TeamView.row(atScreenY: event.y, self) else { return [] }
                team.selected = row
            default:
                return []
            }
            return event.kind == .doubleClick ? handleKey(.enter) : []
        }
    }
}
