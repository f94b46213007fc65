import CaseloadCore
import Foundation

/// One entry in a patient's timeline, newest first: sessions with their notes, and the other
/// things that happened (status changes, goals set, measures, connections).
public enum TimelineItem: Sendable, Hashable {
    case session(Session)
    case status(StatusChange)
    /// The status change that opened a later episode (a referral again).
    case referredAgain(Episode)
    case goal(Goal)
    case measure(Measure)
    case connection(Connection, serviceName: String)

    public var date: Day {
        switch self {
        case .session(let s): return s.date
        case .status(let c): return c.date
        case .referredAgain(let e): return e.statusHistory.first?.date ?? e.referral.date
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
        case .status, .referredAgain: return 4
        }
    }

    /// A patient's timeline, newest first.
    public static func of(_ patientId: UUID, in state: CaseloadState) -> [TimelineItem] {
        guard let p = state.patients[patientId] else { return [] }
        var items: [TimelineItem] = state.sessions(of: patientId).map { .session($0) }
        // Each later episode's first status change is where it began: told by position in the
        // history, since two referrals on one day are equal as values.
        let episodes = p.hasEarlierEpisodes ? p.episodes : []
        var starts: [Int: Episode] = [:]
        var index = 0
        for e in episodes {
            if e.number > 1, !e.statusHistory.isEmpty { starts[index] = e }
            index += e.statusHistory.count
        }
        items += p.statusHistory.enumerated().map { i, c in starts[i].map { .referredAgain($0) } ?? .status(c) }
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
