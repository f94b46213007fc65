import Foundation

/// The last change made, so `u` can undo it from the screen it was made on.
public struct UndoableChange: Sendable, Hashable {
    public var eventIds: [UUID]
    public var description: String
    /// Whom the change was about, so `u` from any screen says "… for Rahima Begum".
    public var patientName: String?

    /// "follow-up done for Rahima Begum".
    var fullDescription: String { patientName.map { "\(description) for \($0)" } ?? description }
}
