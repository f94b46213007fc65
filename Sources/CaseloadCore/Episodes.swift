import Foundation

/// An episode of care: one referral and what followed it, until the person's case ended and a
/// later referral opened the next one. A person referred again keeps one record (details,
/// consents, history); each episode has its own referral, contacts, goals, measures,
/// connections, follow-ups and outcome. Records belong to the episode their date falls in: from
/// its referral's date up to the next referral's date.
public struct Episode: Sendable, Hashable {
    /// 1 for the first referral.
    public var number: Int
    public var referral: Referral
    public var statusHistory: [StatusChange]
    /// The next referral's date (records dated from it belong to the next episode); nil for
    /// the current episode.
    public var until: Day?

    public var isCurrent: Bool { until == nil }
    /// How the episode stands, or how it ended.
    public var status: PatientStatus { statusHistory.last?.status ?? .referred }

    /// Whether a record dated `day` belongs to this episode. Records dated before the first
    /// referral (an imported history) belong to the first.
    public func contains(_ day: Day, isFirst: Bool) -> Bool {
        (isFirst || day >= referral.date) && until.map { day < $0 } ?? true
    }
}

extension Patient {
    /// Every episode, oldest first; the last is the current one.
    public var episodes: [Episode] {
        var out: [Episode] = []
        var start = 0
        let referrals = earlierEpisodes.map(\.referral) + [referral]
        for (i, r) in referrals.enumerated() {
            // Clamped: the counts come from the fold, or a snapshot that is only a cache.
            let end = min(statusHistory.count, max(start, i < earlierEpisodes.count ? earlierEpisodes[i].statusChangesUpTo : statusHistory.count))
            out.append(Episode(number: i + 1, referral: r, statusHistory: Array(statusHistory[start..<end]),
                               until: i + 1 < referrals.count ? referrals[i + 1].date : nil))
            start = end
        }
        return out
    }

    /// Referred more than once.
    public var hasEarlierEpisodes: Bool { !earlierEpisodes.isEmpty }
}

extension CaseloadState {
    /// The person as they stood in one episode: its referral, status changes and records only.
    /// With a single episode this is the person as they are.
    public func patient(_ p: Patient, in episode: Episode) -> Patient {
        guard p.hasEarlierEpisodes else { return p }
        let first = episode.number == 1
        func inside(_ d: Day?) -> Bool { d.map { episode.contains($0, isFirst: first) } ?? first }
        var q = p
        q.referral = episode.referral
        q.status = episode.status
        q.statusHistory = episode.statusHistory
        q.earlierEpisodes = []
        q.sessionIDs = p.sessionIDs.filter { inside(sessions[$0]?.date) }
        q.goalIDs = p.goalIDs.filter { inside(goals[$0]?.created) }
        q.measureIDs = p.measureIDs.filter { inside(measures[$0]?.date) }
        q.connectionIDs = p.connectionIDs.filter { inside(connections[$0]?.history.first?.date) }
        q.followupIDs = p.followupIDs.filter { inside(followups[$0]?.due) }
        q.lastContact = q.sessionIDs.compactMap { sessions[$0] }.filter { !$0.outcome.isMissed }.map(\.date).max()
        return q
    }

    /// Every person's every episode, each as the person stood in it: what reports count.
    public func episodeRecords(of people: [Patient]) -> [Patient] {
        people.flatMap { p in p.hasEarlierEpisodes ? p.episodes.map { patient(p, in: $0) } : [p] }
    }

    /// This state with one person narrowed to their current episode: what the message back to
    /// the GP is about.
    public func narrowedToCurrentEpisode(of patientId: UUID) -> CaseloadState {
        guard let p = patients[patientId], p.hasEarlierEpisodes, let current = p.episodes.last else { return self }
        var s = self
        s.patients[patientId] = patient(p, in: current)
        return s
    }
}
