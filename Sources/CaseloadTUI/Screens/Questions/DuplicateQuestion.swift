import CaseloadCore
import Foundation

/// Asked with D on the screen of someone who "may be a duplicate of" another record (two
/// devices added them offline): m merges the other record into this one, d says they are
/// different people, both through `Rules.resolveDuplicate` as `caseload patient merge` and
/// `caseload patient distinct` call it.
public struct DuplicateQuestion: Sendable, Hashable {
    /// The record on screen: the one kept by a merge.
    public var patientId: UUID
    /// The record that looks like the same person.
    public var otherId: UUID
    /// Why they look alike: "the same NHS number", or "the same name and date of birth".
    public var reason: String
    /// Further likely duplicates of this person, asked about after this one (D again).
    public var remaining: Int
    /// The rule's refusal, shown in the box until another answer is given.
    public var refusal: String?
}
