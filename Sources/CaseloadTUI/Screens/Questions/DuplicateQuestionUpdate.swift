import CaseloadCore
import Foundation

extension AppState {
    /// D on a person's screen: the first of their likely duplicates, in a question box.
    mutating func askAboutDuplicate() -> [Effect] {
        guard let p = currentPatient else { return [] }
        let pairs = caseload.likelyDuplicates(of: p.id)
        guard let d = pairs.first else {
            status = StatusMessage("\(p.name) has no likely duplicate", shorter: ["No likely duplicate"])
            return []
        }
        duplicateQuestion = DuplicateQuestion(patientId: p.id, otherId: d.keep == p.id ? d.other : d.keep, reason: d.reason,
                                              remaining: pairs.count - 1, refusal: nil)
        status = nil
        push(.duplicateQuestion)
        return []
    }

    /// m / d in the duplicate question: the same rule, with the same arguments, as `caseload
    /// patient merge THIS OTHER` and `caseload patient distinct THIS OTHER`. A refusal stays
    /// in the box, one line, and nothing is saved.
    mutating func answerDuplicateQuestion(merge: Bool) -> [Effect] {
        guard var q = duplicateQuestion, let p = caseload.patients[q.patientId], let other = caseload.patients[q.otherId] else {
            duplicateQuestion = nil
            return back()
        }
        switch Rules.resolveDuplicate(keep: p.id, other: other.id, merge: merge, state: caseload, context: ruleContext) {
        case .failure(let problems):
            let why = problems.items.map(\.message).joined(separator: "; ")
            q.refusal = why
            duplicateQuestion = q
            status = StatusMessage("Not merged: \(why)", kind: .error, shorter: ["Not merged: see the box", "Not merged"])
            return []
        case .success(let bodies):
            duplicateQuestion = nil
            routes.removeAll { $0 == .duplicateQuestion }
            status = StatusMessage("Saving…")
            // No wording so short it fits beside the sync label: what happened, and to whom, is
            // worth pushing that label off for a moment.
            let purpose: SavePurpose = merge
                ? .duplicateResolved(saved: "merged the other record of \(p.name) into this one",
                                     shorter: ["merged the other record into this one"],
                                     undo: "merge of the other record of \(p.name)")
                : .duplicateResolved(saved: "\(p.name) and \(other.name) are different people",
                                     shorter: ["different people: not offered as duplicates again"],
                                     undo: "\(p.name) and \(other.name) as different people")
            return [.append(bodies, purpose: purpose)]
        }
    }
}
