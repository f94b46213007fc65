import Foundation

/// The last change made, so `u` can undo it from the screen it was made on.
public struct UndoableChange: Sendable, Hashable {
    public var eventIds: [UUID]
    public var description: String
    public var route: Route
}
