import Foundation

/// The follow-up queue's sections and selection.
public struct FollowupQueueState: Sendable, Hashable {
    public enum Section: String, Sendable, Hashable { case overdue = "Overdue", today = "Due today", week = "This week" }
    public struct Row: Sendable, Hashable {
        public var followupId: UUID
        public var section: Section
    }
    public var rows: [Row] = []
    public var selected = 0

    public init() {}
}
