import CaseloadCore
import Foundation

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
        default:
            guard !p.showingDetails, let c = key.typedCharacter else { return nil }
            p.query.insert(String(c))
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

    /// L on a person: the picker over the directory, or straight to the form when it is empty.
    mutating func openPicker() -> [Effect] {
        guard let p = currentPatient else { return [] }
        let listed = caseload.services.values.filter(\.isListed)  // not those the directory dropped
        if listed.isEmpty {
            openNewServiceForm(patientId: p.id)  // nothing to pick from: add one by hand
        } else {
            picker = ServicePickerState(patientId: p.id)
            push(.servicePicker)
        }
        return []
    }

    mutating func pickerPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .pickService: return pickerKey(.enter) ?? []
        case .up, .down, .pageUp, .pageDown, .deleteBackward:
            guard var p = picker else { return [] }
            let last = max(0, p.rows(in: caseload).count - 1)
            switch action {
            case .up: p.selected = max(0, p.selected - 1)
            case .down: p.selected = min(last, p.selected + 1)
            case .pageUp: p.selected = max(0, p.selected - 10)
            case .pageDown: p.selected = min(last, p.selected + 10)
            default:
                guard !p.showingDetails else { return [] }
                p.query.deleteBackward()
                p.selected = 0
            }
            picker = p
            return []
        case .addServiceByHand:
            guard let p = picker?.patientId ?? currentPatient?.id else { return [] }
            openNewServiceForm(patientId: p)
            return []
        default:
            return nil
        }
    }
}
