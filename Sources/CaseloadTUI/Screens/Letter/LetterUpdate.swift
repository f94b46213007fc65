import CaseloadCore
import Foundation

/// The message to the GP: s saves it to a file through the save form.
extension AppState {
    mutating func letterPerform(_ action: Action) -> [Effect]? {
        guard action == .saveLetter else { return nil }
        guard let p = currentPatient, GPSummary.consentProblem(p) == nil, let summary = GPLetter.summary(p.id, self) else {
            status = StatusMessage("Not saved: without consent to social prescribing or sharing, the message stays here", kind: .error)
            return []
        }
        openForm(Forms.saveLetter(summary, folder: letterFolder ?? homeFolder))
        return []
    }

    /// The file is written: the save form closes, and the status says where it went.
    mutating func letterWritten(_ path: String) {
        if route == .form { _ = back() }
        let folder = (path as NSString).deletingLastPathComponent
        letterFolder = folder
        // The file's name first and the home folder as ~, so the whole place fits at 80 columns.
        let home = homeFolder
        let shown = home.count > 1 && (folder == home || folder.hasPrefix(home + "/")) ? "~" + folder.dropFirst(home.count) : folder
        status = StatusMessage("Saved \((path as NSString).lastPathComponent) in \(shown)", kind: .saved)
    }
}
