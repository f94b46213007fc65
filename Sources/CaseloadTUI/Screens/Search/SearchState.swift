import CaseloadCore
import Foundation

/// One search hit: a session note or a goal that contains the query.
public struct SearchHit: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case session(UUID), goal(UUID)
        var id: UUID {
            switch self { case .session(let id), .goal(let id): id }
        }
    }
    public var patientId: UUID
    public var target: Target
    public var date: Day
    public var snippet: String
}

/// Search across all notes and goals.
public struct SearchState: Sendable, Hashable {
    public var query = TextInput()
    public var isTyping = true
    public var hits: [SearchHit] = []
    public var selected = 0

    public init() {}
}
