import CaseloadCore
import Foundation

/// The message back to the referring GP: the letter is `GPSummary.text`, the same words
/// `caseload gp-summary` prints, ready to copy into the practice system.
enum GPLetter {
    static func text(_ patientId: UUID, _ state: AppState) -> String { summary(patientId, state)?.text ?? "" }

    static func summary(_ patientId: UUID, _ state: AppState) -> GPSummary? {
        GPSummary(patientId: patientId, state: state.caseload, workerId: state.workerId, asOf: state.asOf, sender: state.sender)
    }

    /// Whether the person agreed to information going back to their GP.
    static func consentWarning(_ p: Patient) -> String? {
        if GPSummary.sharing(p) == .codesOnly { return "! Consent to social prescribing only: codes and dates go, no detail." }
        switch p.consent[.shareWithGP]?.given {
        case true?: return nil
        case false?: return "! They did NOT consent to sharing with their GP: do not send this."
        case nil: return "! Consent to share with their GP is not recorded: check before sending."
        }
    }
}
