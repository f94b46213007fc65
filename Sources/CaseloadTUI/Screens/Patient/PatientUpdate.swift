import CaseloadCore
import Foundation

/// The person's screen: its panes and every key that acts on the person.
extension AppState {
    var currentPatient: Patient? { patient.flatMap { caseload.patients[$0.patientId] } }

    var selectedGoal: Goal? {
        guard let p = patient else { return nil }
        let goals = caseload.goals(of: p.patientId)
        let i = p.selection[.goals] ?? 0
        return goals.indices.contains(i) ? goals[i] : nil
    }

    /// Opens a patient on the timeline (or a given pane and row).
    mutating func openPatient(_ id: UUID, pane: PatientPane = .timeline, row: Int = 0) {
        var p = PatientViewState(patientId: id)
        p.pane = pane
        p.selection[pane] = row
        p.likelyDuplicate = caseload.likelyDuplicates(of: id).first
        patient = p
        routes.removeAll { $0 == .patient || $0 == .noteEditor }
        routes.append(.patient)
    }

    mutating func patientPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .nextPane, .prevPane:
            guard var p = patient else { return [] }
            let all = PatientPane.allCases
            p.pane = all[(p.pane.rawValue + (action == .nextPane ? 1 : all.count - 1)) % all.count]
            patient = p
            return []
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            guard var p = patient else { return [] }
            p.selectedRow = step(p.selectedRow, action, PatientRows.count(p.pane, p.patientId, caseload))
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
        case .erase:
            guard let p = currentPatient else { return [] }
            openForm(Forms.erase(p))
            return []
        case .detailHistory:
            guard let p = currentPatient else { return [] }
            return [.loadHistory(patientId: p.id)]
        case .risks:
            guard let p = currentPatient else { return [] }
            openForm(Forms.risk(patient: p, risks: caseload.risks(of: p.id).filter(\.isOpen), asOf: asOf))
            return []
        case .addConnection: return openPicker()
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
        case .resolveDuplicate: return askAboutDuplicate()
        default:
            return followupPerform(action)
        }
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
}
