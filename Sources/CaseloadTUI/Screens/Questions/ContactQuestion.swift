import CaseloadCore
import Foundation

/// The question asked before a contact is saved: what to do with the person's follow-up.
public struct ContactQuestion: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// Attended, with these follow-ups due or overdue: are they done?
        case completeDue([UUID])
        /// Missed: book (or move the due follow-ups, `moving` of them) to this day?
        case bookNext(Day, moving: Int)
    }
    public var input: ContactInput
    public var kind: Kind
}
