import CaseloadCore
import Foundation

/// One entry in a patient's timeline, newest first: sessions with their notes, and the other
/// things that happened (status changes, goals set, measures, connections).
public enum TimelineItem: Sendable, Hashable {
    case session(Session)
    case status(StatusChange)
    case goal(Goal)
    case measure(Measure)
    case connection(Connection, serviceName: String)

    public var date: Day {
        switch self {
        case .session(let s): return s.date
        case .status(let c): return c.date
        case .goal(let g): return g.created
        case .measure(let m): return m.date
        case .connection(let c, _): return c.history.first?.date ?? Day(ordinal: 0)
        }
    }

    /// Sessions sort above other things of the same day: the note is what people look for.
    var rank: Int {
        switch self {
        case .session: return 0
        case .measure: return 1
        case .goal: return 2
        case .connection: return 3
        case .status: return 4
        }
    }

    /// A patient's timeline, newest first.
    public static func of(_ patientId: UUID, in state: CaseloadState) -> [TimelineItem] {
        guard let p = state.patients[patientId] else { return [] }
        var items: [TimelineItem] = state.sessions(of: patientId).map { .session($0) }
        items += p.statusHistory.map { .status($0) }
        items += state.goals(of: patientId).map { .goal($0) }
        items += state.measures(of: patientId).map { .measure($0) }
        items += state.connections(of: patientId).map { .connection($0, serviceName: state.services[$0.serviceId]?.name ?? "a service") }
        // Stable: newest day first, then by kind, then the original (chronological) order reversed.
        return items.enumerated().sorted {
            if $0.element.date != $1.element.date { return $0.element.date > $1.element.date }
            if $0.element.rank != $1.element.rank { return $0.element.rank < $1.element.rank }
            return $0.offset > $1.offset
        }.map(\.element)
    }
}
