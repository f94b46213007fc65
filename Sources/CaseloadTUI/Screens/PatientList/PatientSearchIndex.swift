import CaseloadCore
import Foundation

/// Each patient's searchable text, folded once (case and accents), so typing a filter over
/// 10,000 patients is a substring test per patient rather than 10,000 Unicode foldings.
public struct PatientSearchIndex: Sendable {
    struct Entry: Sendable {
        var name: String
        var preferredName: String?
        var reasons: [ReferralReason]
        var key: Key
        var nhs: String?
    }

    /// What a typed filter is tested against.
    struct Key: Sendable {
        /// Folded name, preferred name and reasons as UTF-8: a byte search is far quicker than
        /// Foundation's `String.contains`, which bridges every call.
        var folded: [UInt8]
        var nhsDigits: [UInt8]?

        /// Whether an already folded needle (as UTF-8) is in the name, preferred name or a
        /// reason, or its digits (spaces ignored) in the NHS number.
        func matches(foldedNeedle: [UInt8], digits: [UInt8]?) -> Bool {
            if PatientSearchIndex.contains(folded, foldedNeedle) { return true }
            if let digits, let n = nhsDigits, PatientSearchIndex.contains(n, digits) { return true }
            return false
        }
    }

    private var entries: [UUID: Entry] = [:]

    public init() {}

    /// Brings the index up to date, refolding only patients whose searchable fields changed.
    mutating func update(from state: CaseloadState) {
        if entries.count > state.patients.count { entries = entries.filter { state.patients[$0.key] != nil } }
        for p in state.patients.values {
            if let e = entries[p.id], e.name == p.name, e.preferredName == p.preferredName, e.reasons == p.referral.reasons,
               e.nhs == p.nhsNumber?.digits { continue }
            var folded: [UInt8] = []
            folded.reserveCapacity(p.name.utf8.count + 16 * p.referral.reasons.count)
            PatientSearchIndex.appendFolded(p.name, to: &folded)
            if let pn = p.preferredName {
                folded.append(10)
                PatientSearchIndex.appendFolded(pn, to: &folded)
            }
            for r in p.referral.reasons {
                folded.append(10)
                folded.append(contentsOf: PatientSearchIndex.foldedReasons[r]!.utf8)
            }
            entries[p.id] = Entry(name: p.name, preferredName: p.preferredName, reasons: p.referral.reasons,
                                  key: Key(folded: folded, nhsDigits: p.nhsNumber.map { Array($0.digits.utf8) }), nhs: p.nhsNumber?.digits)
        }
    }

    /// `SearchText.fold(text)` as UTF-8 onto `out`; plain ASCII (most names) byte by byte,
    /// without the intermediate strings that made this index a tenth of opening 30,000 people.
    static func appendFolded(_ text: String, to out: inout [UInt8]) {
        if text.utf8.allSatisfy({ $0 < 128 }) {
            for b in text.utf8 { out.append(b >= 65 && b <= 90 ? b + 32 : b) }
        } else {
            out.append(contentsOf: SearchText.fold(text).utf8)
        }
    }

    /// The patient's search key; nil for someone the index has not seen (matches nothing).
    func key(_ id: UUID) -> Key? { entries[id]?.key }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        if needle.count > haystack.count { return false }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    static let foldedReasons: [ReferralReason: String] =
        Dictionary(uniqueKeysWithValues: ReferralReason.allCases.map { ($0, SearchText.fold($0.label)) })
}
