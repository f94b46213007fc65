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
        state.caseload = result.state
        // A draft autosave or a view changes nothing any list shows: skip the re-sorting.
        switch result.purpose {
        case .draft, .audit: break
        default: state.caseloadChanged()
        }
        return state.afterSave(result)

    case .saveFailed(let purpose, let message):
        if case .audit = purpose {
            state.status = StatusMessage("This view is not in the audit: \(message)", kind: .error)
            return []
        }
        state.status = StatusMessage("Not saved: \(message)", kind: .error)
        if case .draft = purpose { state.editor?.draftSaveFailed() }
        return []

    case .undone(let newState, let description):
        state.caseload = newState
        state.lastChange = nil
        state.caseloadChanged()
        state.status = StatusMessage("Undone: \(description)", kind: .saved)
        return []

    case .undoFailed(let message):
        state.status = StatusMessage("Could not undo: \(message)", kind: .error)
        return []

    case .externalEditorClosed(let text):
        guard let text else {
            state.status = StatusMessage("$EDITOR did not return the note; your text is unchanged", kind: .error)
            return []
        }
        guard var editor = state.editor else { return [] }
        guard text.utf8.count <= RecordLimits.maxLongText else {
            state.status = StatusMessage("The note from $EDITOR is \(RecordLimits.size(text.utf8.count)), and a note can be at most \(RecordLimits.size(RecordLimits.maxLongText)); your text is unchanged", kind: .error)
            return []
        }
        editor.replaceText(text, now: state.now)
        state.status = StatusMessage("Text from $EDITOR")
        // Saved as a draft at once: the text came from outside and exists nowhere else now.
        let effect = editor.makeDraftEffect(asOf: state.asOf, now: state.now)
        state.editor = editor
        return [effect]

    case .storeOpened(let newState, let workerId):
        let size = (state.width, state.height)
        state = AppState(caseload: newState, workerId: workerId, asOf: state.asOf, width: size.0, height: size.1)
        state.status = StatusMessage("Welcome. Press a to add your first patient, ? for all keys.", kind: .saved)
        return []

    case .synced(let newState, let sync, let summary):
        state.caseload = newState
        state.caseloadChanged()
        state.sync = sync
        state.syncProgress = nil
        // As `caseload sync` says it: two devices may have added the same person.
        let twins = newState.likelyDuplicates().count
        let also = twins == 0 ? "" : "; \(twins) likely duplicate\(twins == 1 ? "" : "s") (see their screen)"
        state.status = StatusMessage("Synced: \(summary)\(also)", kind: .saved,
                                     shorter: twins == 0 ? [] : ["Synced; \(twins) likely duplicate\(twins == 1 ? "" : "s") (see their screen)"])
        return []

    case .syncFailed(let message):
        state.syncProgress = nil
        state.status = StatusMessage("Could not sync: \(message)", kind: .error)
        return []

    case .storeOpenFailed(let message):
        state.status = StatusMessage(message, kind: .error)
        return []

    case .fileWritten(let path):
        if state.route == .form { _ = state.back() }
        let folder = (path as NSString).deletingLastPathComponent
        state.letterFolder = folder
        // The file's name first and the home folder as ~, so the whole place fits at 80 columns.
        let home = state.homeFolder
        let shown = home.count > 1 && (folder == home || folder.hasPrefix(home + "/")) ? "~" + folder.dropFirst(home.count) : folder
        state.status = StatusMessage("Saved \((path as NSString).lastPathComponent) in \(shown)", kind: .saved)
        return []

    case .fileWriteFailed(let message):
        state.form?.message = "Not saved: \(message)"
        state.status = StatusMessage("Not saved: \(message)", kind: .error)
        return []

    case .historyLoaded(let patientId, let lines):
        guard let lines else {
            state.status = StatusMessage("Could not read the history from the journal", kind: .error)
            return []
        }
        guard state.currentPatient?.id == patientId else { return [] }
        state.history = lines
        state.helpScroll = 0
        state.push(.history)
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
        switch route {
        case .patientList where list.isFiltering:
            if let c = key.typedCharacter { return typeFilter(String(c)) }
            if key == .backspace { return eraseFilter() }
            if key == .up || key == .down || key == .pageUp || key == .pageDown {
                return moveList(key == .up ? .up : key == .down ? .down : key == .pageUp ? .pageUp : .pageDown)
            }
        case .search where search.isTyping:
            if let c = key.typedCharacter { search.query.append(c); refreshSearch(); return [] }
            if key == .backspace { if !search.query.isEmpty { search.query.removeLast() }; refreshSearch(); return [] }
            if key == .enter { search.isTyping = false; return [] }
            if key == .escape { return back() }
            if key == .up || key == .down { search.isTyping = false }
            else { return [] }
        case .form, .firstRun:
            // Esc on a form with typing in it asks first; a second Esc discards it.
            if route == .form, var f = form {
                if key == .escape, f.hasChanges, !f.confirmingDiscard {
                    f.confirmingDiscard = true
                    form = f
                    status = StatusMessage("Discard what you typed? Esc again discards it; any other key carries on", kind: .info,
                                           shorter: ["Discard? Esc again discards; other keys carry on", "Esc again discards"])
                    return []
                }
                if key != .escape, f.confirmingDiscard {
                    f.confirmingDiscard = false
                    form = f
                    status = nil
                }
            }
            if let c = key.typedCharacter, var f = form, !f.fields[f.focus].isChoice {
                f.fields[f.focus].insert(String(c))
                form = f
                return []
            }
            if let effects = formEditKey(key) { return effects }
        case .measureForm:
            // Esc with answers given asks first; a second Esc discards them, as on forms.
            if var m = measure {
                if key == .escape, m.hasAnswers, !m.confirmingDiscard {
                    m.confirmingDiscard = true
                    measure = m
                    status = StatusMessage("Discard the answers? Esc again discards them; any other key carries on", kind: .info,
                                           shorter: ["Discard answers? Esc again discards", "Esc again discards"])
                    return []
                }
                if key != .escape, m.confirmingDiscard {
                    m.confirmingDiscard = false
                    measure = m
                    status = nil
                }
            }
            if let c = key.typedCharacter, c != "q" || measure?.step != nil {
                return measureType(c)
            }
            if key == .backspace { return measureBackspace() }
        case .noteEditor:
            if let effects = editorKey(key) { return effects }
        case .servicePicker:
            if let effects = pickerKey(key) { return effects }
        default:
            break
        }
        guard let action = KeyTable.action(for: key, in: context) else { return [] }
        return perform(action)
    }

    mutating func handlePaste(_ pasted: String) -> [Effect] {
        let text = Self.unixLineEnds(pasted)
        switch route {
        case .noteEditor: return editorPaste(text)
        case .form, .firstRun:
            if var f = form {
                f.fields[f.focus].insert(text)
                form = f
            }
            return []
        case .patientList:
            list.isFiltering = true
            return typeFilter(text.replacingOccurrences(of: "\n", with: " "))
        case .search:
            search.query += text.replacingOccurrences(of: "\n", with: " ")
            search.isTyping = true
            refreshSearch()
            return []
        default:
            return []
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
