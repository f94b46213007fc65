import CaseloadCore
import Foundation

/// The whole app's logic: a message changes the state and may ask for effects. Pure: no I/O,
/// no clock, no curses, so every step is testable.
public func update(_ state: inout AppState, _ msg: Msg) -> [Effect] {
    switch msg {
    case .resize(let w, let h):
        state.width = max(0, w)
        state.height = max(0, h)
        return []

    case .tick(let now):
        state.now = now
        return state.editorTick()

    case .key(let key):
        return state.handleKey(key)

    case .paste(let text):
        return state.handlePaste(text)

    case .saved(let result):
        state.caseload = result.state
        // A draft autosave changes nothing any list shows: skip the re-sorting.
        if case .draft = result.purpose {} else { state.caseloadChanged() }
        return state.afterSave(result)

    case .saveFailed(let purpose, let message):
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

    case .storeOpenFailed(let message):
        state.status = StatusMessage(message, kind: .error)
        return []
    }
}

extension AppState {
    /// Keys go to text entry first where there is any, then through the key table.
    mutating func handleKey(_ key: Key) -> [Effect] {
        if isTooSmall {
            if key == .char("q") || key == .ctrl("q") { return requestQuit() }
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
            if let c = key.typedCharacter, var f = form, !f.fields[f.focus].isChoice {
                f.fields[f.focus].insert(String(c))
                form = f
                return []
            }
            if let effects = formEditKey(key) { return effects }
        case .measureForm:
            if let c = key.typedCharacter, c != "q" || measure?.step != nil {
                return measureType(c)
            }
            if key == .backspace { return measureBackspace() }
        case .noteEditor:
            if let effects = editorKey(key) { return effects }
        default:
            break
        }
        guard let action = KeyTable.action(for: key, in: context) else { return [] }
        return perform(action)
    }

    mutating func handlePaste(_ text: String) -> [Effect] {
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

    /// One action from the key table.
    mutating func perform(_ action: Action) -> [Effect] {
        switch action {
        case .quit: return requestQuit()
        case .back: return back()
        case .help:
            if route == .help { return back() }
            helpScroll = 0
            routes.append(.help)
            return []
        case .up, .down, .pageUp, .pageDown, .top, .bottom: return move(action)
        case .followups:
            refreshQueue()
            push(.followupQueue)
            return []
        case .team:
            team.selected = 0
            push(.teamView)
            return []
        case .search:
            search = SearchState()
            push(.search)
            return []
        case .undo: return undoLastChange()
        case .filter:
            list.isFiltering = true
            return []
        case .finishFilter:
            list.isFiltering = false
            return []
        case .clearFilter:
            list.isFiltering = false
            list.filter = ""
            applyFilter()
            return []
        case .cycleStatus:
            list.status = list.status.next
            refreshList()
            status = StatusMessage("Showing \(list.status.label)")
            return []
        case .toggleMine:
            // Everyone → me → each colleague in name order → everyone.
            let others = caseload.workers.values.filter { $0.id != workerId }.sorted { $0.name < $1.name }.map(\.id)
            let cycle: [String?] = [nil, workerId] + others.map { Optional($0) }
            let i = cycle.firstIndex(of: list.worker) ?? 0
            list.worker = cycle[(i + 1) % cycle.count]
            refreshList()
            status = StatusMessage(list.worker.map { "Showing \($0 == workerId ? "your" : Format.workerName($0, caseload) + "'s") patients" } ?? "Showing everyone's patients")
            return []
        case .sort:
            list.sort = list.sort.next
            refreshList()
            status = StatusMessage("Sorted by \(list.sort.label)")
            return []
        case .addPatient:
            openForm(Forms.addPatient(asOf: asOf))
            return []
        case .open: return openSelected()
        case .nextPane, .prevPane:
            if route == .noteEditor { return editorFocus(action == .nextPane ? 1 : -1) }
            guard var p = patient else { return [] }
            let all = PatientPane.allCases
            p.pane = all[(p.pane.rawValue + (action == .nextPane ? 1 : all.count - 1)) % all.count]
            patient = p
            return []
        case .gpLetter:
            guard currentPatient != nil else { return [] }
            helpScroll = 0
            push(.letter)
            return []
        case .newNote: return openNewNote()
        case .amendNote: return openAmendNote()
        case .changeStatus:
            guard let p = currentPatient else { return [] }
            openForm(Forms.changeStatus(patient: p, asOf: asOf))
            return []
        case .addConnection:
            guard let p = currentPatient else { return [] }
            openForm(Forms.addConnection(patientId: p.id, services: Array(caseload.services.values)))
            return []
        case .advanceConnection: return advanceConnection()
        case .addFollowup:
            guard let p = currentPatient else { return [] }
            openForm(Forms.addFollowup(patientId: p.id, asOf: asOf))
            return []
        case .addGoal:
            guard let p = currentPatient else { return [] }
            openForm(Forms.addGoal(patientId: p.id))
            return []
        case .recordProgress:
            guard let g = selectedGoal else { status = StatusMessage("Add a goal first (a)"); return [] }
            openForm(Forms.recordProgress(goal: g, asOf: asOf))
            return []
        case .addMeasure:
            guard let p = currentPatient else { return [] }
            measure = MeasureFormState(patientId: p.id, date: asOf)
            push(.measureForm)
            return []
        case .followupDone:
            guard let f = selectedFollowup, f.status == .open else { return [] }
            return [.append([.followupCompleted(FollowupCompleted(followupId: f.id, date: asOf))],
                            purpose: .change(description: "follow-up done"))]
        case .plusDay, .plusWeek, .reschedule:
            guard let f = selectedFollowup, f.status == .open else { return [] }
            let base = max(f.due, asOf)
            let to = action == .plusDay ? base.adding(days: 1) : action == .plusWeek ? base.adding(days: 7) : f.due
            openForm(Forms.reschedule(followup: f, to: to, focusReason: action != .reschedule))
            return []
        case .save:
            if route == .noteEditor { return editorSave() }
            return submitForm()
        case .externalEditor:
            guard let e = editor else { return [] }
            return [.openExternalEditor(text: e.text)]
        case .editorUndo, .editorRedo:
            editor?.undoRedo(redo: action == .editorRedo, now: now)
            return []
        case .nextField, .prevField:
            if var f = form {
                f.fields[f.focus].error = Forms.check(f.fields[f.focus], state: self)
                f.focus = clamp(f.focus + (action == .nextField ? 1 : -1), f.fields.count)
                form = f
            }
            return []
        case .choiceNext, .choicePrev:
            if route == .measureForm { return measureChoose(action == .choiceNext ? 1 : -1) }
            if var f = form {
                f.fields[f.focus].cycle(action == .choiceNext ? 1 : -1)
                form = f
            }
            return []
        case .submit:
            if route == .measureForm { return measureSubmit() }
            return formEnter()
        case .showDrafts:
            offeredDrafts = myDrafts.map(\.id)
            if offeredDrafts.isEmpty { status = StatusMessage("No unsaved draft notes") } else { routes.append(.draftOffer) }
            return []
        case .restoreDraft: return restoreOfferedDraft()
        case .discardDraft: return discardOfferedDraft()
        case .confirmYes: return confirmQuit()
        case .confirmNo: return back()
        }
    }

    mutating func push(_ r: Route) {
        if route != r { routes.append(r) }
    }

    /// Esc: leave the screen on top. Leaving the editor keeps its draft in the journal.
    mutating func back() -> [Effect] {
        // A problem reported on the screen being left no longer applies.
        if status?.kind == .error { status = nil }
        switch route {
        case .patientList, .firstRun:
            if list.isFiltering || !list.filter.isEmpty {
                list.isFiltering = false
                list.filter = ""
                applyFilter()
            }
            return []
        case .noteEditor:
            return leaveEditor()
        case .form:
            form = nil
        case .measureForm:
            measure = nil
        case .draftOffer:
            status = StatusMessage("The draft stays saved; open the patient and press n to restore it")
        default:
            break
        }
        if routes.count > 1 { routes.removeLast() }
        return []
    }

    /// q: quit at once, unless a note is open in the editor.
    mutating func requestQuit() -> [Effect] {
        if routes.contains(.noteEditor), editor != nil {
            routes.append(.confirmQuit)
            return []
        }
        return [.quit]
    }

    /// "Yes, quit": keep the note as a draft (saved now if it changed) and leave.
    mutating func confirmQuit() -> [Effect] {
        var effects: [Effect] = []
        if let e = editor, e.needsDraftSave { effects.append(e.draftEffect(asOf: asOf)) }
        effects.append(.quit)
        return effects
    }

    mutating func openForm(_ f: FormState) {
        form = f
        push(.form)
    }

    var currentPatient: Patient? { patient.flatMap { caseload.patients[$0.patientId] } }

    var selectedGoal: Goal? {
        guard let p = patient else { return nil }
        let goals = caseload.goals(of: p.patientId)
        let i = p.selection[.goals] ?? 0
        return goals.indices.contains(i) ? goals[i] : nil
    }

    /// The follow-up under the cursor in the queue or the patient's follow-ups pane.
    var selectedFollowup: Followup? {
        if route == .followupQueue {
            guard queue.rows.indices.contains(queue.selected) else { return nil }
            return caseload.followups[queue.rows[queue.selected].followupId]
        }
        guard let p = patient, p.pane == .followups else { return nil }
        let rows = PatientRows.followups(p.patientId, caseload)
        return rows.indices.contains(p.selectedRow) ? rows[p.selectedRow] : nil
    }

    /// Opens a patient on the timeline (or a given pane and row).
    mutating func openPatient(_ id: UUID, pane: PatientPane = .timeline, row: Int = 0) {
        var p = PatientViewState(patientId: id)
        p.pane = pane
        p.selection[pane] = row
        patient = p
        routes.removeAll { $0 == .patient || $0 == .noteEditor }
        routes.append(.patient)
    }

    mutating func openSelected() -> [Effect] {
        switch route {
        case .patientList:
            guard list.rows.indices.contains(list.selected) else { return [] }
            openPatient(list.rows[list.selected])
        case .followupQueue:
            guard let f = selectedFollowup else { return [] }
            let row = PatientRows.followups(f.patientId, caseload).firstIndex { $0.id == f.id } ?? 0
            openPatient(f.patientId, pane: .followups, row: row)
        case .teamView:
            let items = TeamRows.overdue(self)
            guard items.indices.contains(team.selected) else { return [] }
            let item = items[team.selected]
            let row = PatientRows.followups(item.patientId, caseload).firstIndex { $0.id == item.followupId } ?? 0
            openPatient(item.patientId, pane: .followups, row: row)
        case .search:
            guard search.hits.indices.contains(search.selected) else { return [] }
            let hit = search.hits[search.selected]
            switch hit.target {
            case .session(let sid):
                let items = TimelineItem.of(hit.patientId, in: caseload)
                let row = items.firstIndex { if case .session(let s) = $0 { return s.id == sid } else { return false } } ?? 0
                openPatient(hit.patientId, pane: .timeline, row: row)
            case .goal(let gid):
                let row = caseload.goals(of: hit.patientId).firstIndex { $0.id == gid } ?? 0
                openPatient(hit.patientId, pane: .goals, row: row)
            }
        default:
            break
        }
        return []
    }

    mutating func advanceConnection() -> [Effect] {
        guard let p = patient else { return [] }
        let conns = caseload.connections(of: p.patientId)
        let i = p.selection[.connections] ?? 0
        guard conns.indices.contains(i) else { return [] }
        let c = conns[i]
        let all = ConnectionStage.allCases
        let idx = all.firstIndex(of: c.stage)!
        guard c.stage != .completed, c.stage != .droppedOut, idx + 1 < all.count else {
            status = StatusMessage("This connection has ended (\(c.stage.label))")
            return []
        }
        let next = all[idx + 1]
        return [.append([.connectionStageChanged(ConnectionStageChanged(connectionId: c.id, stage: next, date: asOf))],
                        purpose: .change(description: "connection now \(next.label)"))]
    }

    /// `u`: undo the last change, from the screen it was made on.
    mutating func undoLastChange() -> [Effect] {
        guard let change = lastChange else {
            status = StatusMessage("Nothing to undo")
            return []
        }
        guard change.route == route || (change.route == .patient && route == .patient) else {
            status = StatusMessage("The last change (\(change.description)) can be undone from the screen it was made on")
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
                status = StatusMessage("Saved: discharged. The message to the GP is below; Esc closes it (M shows it again)", kind: .saved)
            }
        }
        return []
    }
}
