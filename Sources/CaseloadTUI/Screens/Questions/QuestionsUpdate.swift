import CaseloadCore
import Foundation

/// The question boxes over a screen: each answer goes to the part that asked.
extension AppState {
    mutating func questionPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .restoreDraft: return restoreOfferedDraft()
        case .discardDraft: return discardOfferedDraft()
        case .mergeDuplicate: return answerDuplicateQuestion(merge: true)
        case .distinctPeople: return answerDuplicateQuestion(merge: false)
        case .confirmYes, .confirmNo:
            let yes = action == .confirmYes
            switch route {
            case .reReferralQuestion: return answerReReferralQuestion(yes)
            case .contactQuestion: return answerContactQuestion(yes)
            default: return yes ? confirmQuit() : back()
            }
        default:
            return nil
        }
    }

    /// The draft offered (D on the list, n or e on a person with one) goes back into the editor.
    mutating func restoreOfferedDraft() -> [Effect] {
        guard let id = offeredDrafts.first, let d = caseload.drafts[id] else { return back() }
        let session = d.sessionId.flatMap { caseload.sessions[$0] }
        editor = NoteEditorState(draft: d, basedOn: session?.versions.last?.eventId, originalText: session?.note ?? "", now: now)
        offeredDrafts = []
        routes.removeAll { $0 == .draftOffer }
        if patient?.patientId != d.patientId || !routes.contains(.patient) { openPatient(d.patientId) }
        routes.append(.noteEditor)
        status = StatusMessage("Draft restored")
        return []
    }

    mutating func discardOfferedDraft() -> [Effect] {
        guard let id = offeredDrafts.first else { return back() }
        offeredDrafts.removeFirst()
        if offeredDrafts.isEmpty { routes.removeAll { $0 == .draftOffer } }
        if routes.isEmpty { routes = [.patientList] }
        return [.append([.draftDiscarded(DraftDiscarded(draftId: id))], purpose: .draftDiscarded)]
    }
}
