import CaseloadCore
import Foundation

/// What each action from the key table does.
extension AppState {
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
        case .inbox:
            refreshInbox()
            inbox.selected = 0
            push(.inbox)
            return []
        case .acceptReferral:
            guard let p = selectedInboxPatient else { return [] }
            switch Rules.changeStatus(StatusInput(patientId: p.id, status: .contacted, date: asOf, reason: "referral accepted"), state: caseload, context: ruleContext) {
            case .success(let bodies):
                status = StatusMessage("Saving…")
                return [.append(bodies, purpose: .change(description: "referral accepted for \(p.name)"))]
            case .failure(let problems):
                status = StatusMessage(problems.items.first?.message ?? "Not accepted", kind: .error)
                return []
            }
        case .declineReferral:
            guard let p = selectedInboxPatient else { return [] }
            var form = Forms.changeStatus(patient: p, asOf: asOf, openFollowups: caseload.followups(of: p.id).filter { $0.status == .open }.count)
            form.title = "Decline the referral of \(p.name)"
            if let i = form.fields.firstIndex(where: { $0.key == "status" }) { form.fields[i].value = PatientStatus.declined.label }
            if let i = form.fields.firstIndex(where: { $0.key == "reason" }) {
                form.fields[i].hint = "why they declined (needed; the GP is told it was declined)"
                form.focus = i
            }
            openForm(form)
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
        case .reportPeriod:
            reports.period = ReportsViewState.Period(rawValue: (reports.period.rawValue + 1) % ReportsViewState.Period.allCases.count)!
            reports.scroll = 0
            refreshReport()
            status = StatusMessage("Report period: \(reports.period.label)")
            return []
        case .reportScope:
            reports.scope = nextReportScope
            reports.scroll = 0
            refreshReport()
            status = StatusMessage("Report on \(reportScopeLabel)")
            return []
        case .search:
            search = SearchState()
            push(.search)
            refreshSearch() // folds the notes now, if not yet, rather than on the first letter
            return []
        case .undo: return undoLastChange()
        case .sync:
            if sync?.folder == nil, sync?.viaPostgres == true || (sync == nil && serverRemembered) {
                status = StatusMessage("Syncing with the team server…", kind: .info)
                return [.syncPostgres]
            }
            guard let folder = sync?.folder else {
                status = StatusMessage("No sync folder yet: run `caseload sync folder PATH` once", kind: .info)
                return []
            }
            status = StatusMessage("Syncing…", kind: .info)
            return [.syncFolder(path: folder)]
        case .filter:
            // `/` again starts a fresh filter, as in less and vim: the old text is cleared.
            list.isFiltering = true
            if !list.filter.isEmpty {
                list.filter = ""
                applyFilter()
            }
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
            return [.rememberListView(listView)]
        case .sort:
            list.sort = list.sort.next
            refreshList()
            status = StatusMessage("Sorted by \(list.sort.label)")
            return [.rememberListView(listView)]
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
        case .saveLetter:
            guard let p = currentPatient, GPSummary.consentProblem(p) == nil, let summary = GPLetter.summary(p.id, self) else {
                status = StatusMessage("Not saved: without consent to social prescribing or sharing, the message stays here", kind: .error)
                return []
            }
            openForm(Forms.saveLetter(summary, folder: letterFolder ?? homeFolder))
            return []
        case .newNote: return openNewNote()
        case .amendNote: return openAmendNote()
        case .changeStatus:
            guard let p = currentPatient else { return [] }
            openForm(Forms.changeStatus(patient: p, asOf: asOf, openFollowups: caseload.followups(of: p.id).filter { $0.status == .open }.count))
            return []
        case .editDetails:
            guard let p = currentPatient else { return [] }
            openForm(Forms.editDetails(p))
            return []
        case .restrict:
            guard let p = currentPatient else { return [] }
            if let r = p.restriction {
                status = StatusMessage("\(p.name) is restricted since \(r.since): caseload patient unrestrict \(String(p.id.uuidString.lowercased().prefix(8))) lifts it", kind: .info)
                return []
            }
            openForm(Forms.restrict(p))
            return []
        case .detailHistory:
            guard let p = currentPatient else { return [] }
            return [.loadHistory(patientId: p.id)]
        case .risks:
            guard let p = currentPatient else { return [] }
            openForm(Forms.risk(patient: p, risks: caseload.risks(of: p.id).filter(\.isOpen), asOf: asOf))
            return []
        case .addConnection:
            guard let p = currentPatient else { return [] }
            let listed = caseload.services.values.filter(\.isListed)  // not those the directory dropped
            if listed.isEmpty {
                openNewServiceForm(patientId: p.id)  // nothing to pick from: add one by hand
            } else {
                picker = ServicePickerState(patientId: p.id)
                push(.servicePicker)
            }
            return []
        case .pickService: return pickerKey(.enter) ?? []
        case .addServiceByHand:
            guard let p = picker?.patientId ?? currentPatient?.id else { return [] }
            openNewServiceForm(patientId: p)
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
            return [.append([.followupCompleted(FollowupCompleted(followupId: f.id, date: asOf, reschedulesSeen: f.reschedules.count))],
                            purpose: .change(description: "follow-up done"))]
        case .plusDay, .plusWeek, .reschedule:
            guard let f = selectedFollowup, f.status == .open else { return [] }
            let base = max(f.due, asOf)
            let to = action == .plusDay ? base.adding(days: 1) : action == .plusWeek ? base.adding(days: 7) : f.due
            openForm(Forms.reschedule(followup: f, patientName: caseload.patients[f.patientId]?.name, to: to, focusReason: action != .reschedule))
            return []
        case .save:
            if route == .noteEditor { return editorSave() }
            return submitForm()
        case .externalEditor:
            guard var e = editor else { return [] }
            // The draft is saved first: a crash while $EDITOR is open then finds it at the next start.
            let draft = e.needsDraftSave ? [e.makeDraftEffect(asOf: asOf, now: now)] : []
            editor = e
            return draft + [.openExternalEditor(text: e.text, draftId: e.draftId)]
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
        case .resolveDuplicate: return askAboutDuplicate()
        case .mergeDuplicate: return answerDuplicateQuestion(merge: true)
        case .distinctPeople: return answerDuplicateQuestion(merge: false)
        case .confirmYes:
            if route == .reReferralQuestion { return answerReReferralQuestion(true) }
            return route == .contactQuestion ? answerContactQuestion(true) : confirmQuit()
        case .confirmNo:
            if route == .reReferralQuestion { return answerReReferralQuestion(false) }
            return route == .contactQuestion ? answerContactQuestion(false) : back()
        }
    }
}

/// The connect picker: typing searches, ↑/↓ move, Enter shows details then connects.
extension AppState {
    mutating func pickerKey(_ key: Key) -> [Effect]? {
        guard var p = picker else { return nil }
        let rows = p.rows(in: caseload)
        switch key {
        case .escape where p.showingDetails:
            p.showingDetails = false
        case .enter where p.showingDetails && rows.indices.contains(p.selected):
            let chosen = rows[p.selected]
            closePicker()
            var f = Forms.addConnection(patientId: p.patientId, services: caseload.services.values.filter(\.isListed))
            f["service"] = chosen.name
            f.focus = f.fields.firstIndex { $0.key == "stage" } ?? 0
            openForm(f)
            return []
        case .enter:
            if rows.indices.contains(p.selected) { p.showingDetails = true }
        case .up: p.selected = max(0, p.selected - 1)
        case .down: p.selected = min(max(0, rows.count - 1), p.selected + 1)
        case .pageUp: p.selected = max(0, p.selected - 10)
        case .pageDown: p.selected = min(max(0, rows.count - 1), p.selected + 10)
        case .backspace where !p.showingDetails:
            if !p.query.isEmpty { p.query.removeLast() }
            p.selected = 0
        default:
            guard !p.showingDetails, let c = key.typedCharacter else { return nil }
            p.query.append(c)
            p.selected = 0
        }
        picker = p
        return []
    }

    /// The connect form with a new service chosen, focus on its name.
    mutating func openNewServiceForm(patientId: UUID) {
        closePicker()
        var f = Forms.addConnection(patientId: patientId, services: caseload.services.values.filter(\.isListed))
        f["service"] = Forms.newService
        // Opened this way, "a new service" is where the form starts, not something typed: Esc
        // leaves at once.
        openForm(FormState(purpose: f.purpose, title: f.title, fields: f.fields, focus: 1))
    }

    /// Leaves the picker (its route and state) without leaving the person.
    mutating func closePicker() {
        picker = nil
        routes.removeAll { $0 == .servicePicker }
    }
}

extension AppState {
    /// The list's worker filter and sort, as remembered between runs.
    public var listView: ListView { ListView(worker: list.worker, sort: list.sort) }

    /// Shows the list as it was last left; a worker no longer known shows everyone.
    public mutating func restore(_ view: ListView) {
        list.worker = view.worker.flatMap { caseload.workers[$0] == nil ? nil : $0 }
        list.sort = view.sort
        refreshList()
    }
}
