import CaseloadCore
import Foundation

/// Each patient's searchable text, folded once (case and accents), so typing a filter over
/// 10,000 patients is a substring test per patient rather than 10,000 Unicode foldings.
public struct PatientSearchIndex: Sendable {
    struct Entry: Sendable {
        var name: String
        var preferredName: String?
        var reasons: [ReferralReason]
        var folded: String
        var nhsDigits: String?
    }

    private var entries: [UUID: Entry] = [:]

    public init() {}

    /// Brings the index up to date, refolding only patients whose searchable fields changed.
    mutating func update(from state: CaseloadState) {
        if entries.count > state.patients.count { entries = entries.filter { state.patients[$0.key] != nil } }
        for p in state.patients.values {
            if let e = entries[p.id], e.name == p.name, e.preferredName == p.preferredName, e.reasons == p.referral.reasons,
               e.nhsDigits == p.nhsNumber?.digits { continue }
            var text = SearchText.fold(p.name)
            if let pn = p.preferredName { text += "\n" + SearchText.fold(pn) }
            for r in p.referral.reasons { text += "\n" + PatientSearchIndex.foldedReasons[r]! }
            entries[p.id] = Entry(name: p.name, preferredName: p.preferredName, reasons: p.referral.reasons, folded: text,
                                  nhsDigits: p.nhsNumber?.digits)
        }
    }

    /// Whether the patient matches an already folded needle: name, preferred name, reason, or
    /// NHS number digits (spaces ignored).
    func matches(_ id: UUID, foldedNeedle: String, digits: String?) -> Bool {
        guard let e = entries[id] else { return false }
        if e.folded.contains(foldedNeedle) { return true }
        if let digits, let n = e.nhsDigits, n.contains(digits) { return true }
        return false
    }

    static let foldedReasons: [ReferralReason: String] =
        Dictionary(uniqueKeysWithValues: ReferralReason.allCases.map { ($0, SearchText.fold($0.label)) })
}
