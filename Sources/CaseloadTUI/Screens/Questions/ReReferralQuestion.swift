import CaseloadCore
import Foundation

/// Asked when the referral form names someone already known (the same NHS number, or the
/// same name and date of birth): a new episode on their record rather than a second record.
public struct ReReferralQuestion: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Their case has ended: y opens a new episode (`Rules.referAgain`, as `caseload
        /// patient refer`); n goes back to the form (NHS number) or adds a new person.
        case newEpisode
        /// The same name and date of birth as someone whose case is still open: y adds a
        /// different person anyway; n goes back to the form.
        case openCase
    }
    public var match: KnownPersonMatch
    public var kind: Kind
    /// The new episode as the form's referral fields give it.
    public var input: ReReferralInput
}
