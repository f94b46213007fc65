import Foundation

/// H on a person: the runtime reads the history from the journals, and it opens once read.
extension AppState {
    mutating func historyLoaded(_ patientId: UUID, _ lines: [String]?) {
        guard let lines else {
            status = StatusMessage("Could not read the history from the journal", kind: .error)
            return
        }
        guard currentPatient?.id == patientId else { return }
        history = lines
        helpScroll = 0
        push(.history)
    }
}
