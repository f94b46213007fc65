import Foundation

/// A new referral waiting for its first contact, with its age against the response deadline.
public struct InboxEntry: Sendable, Hashable {
    public var patient: Patient
    /// Days since the referral date.
    public var ageDays: Int
    public var deadlineDays: Int

    /// Days left before the deadline; negative once it has passed.
    public var daysLeft: Int { deadlineDays - ageDays }
    public var isLate: Bool { ageDays > deadlineDays }

    /// "3 days old · 11 days left" or "16 days old · 2 days late".
    public var ageText: String {
        let days = { (n: Int) in "\(n) day\(n == 1 ? "" : "s")" }
        return "\(days(ageDays)) old · " + (isLate ? "\(days(-daysLeft)) late" : "\(days(daysLeft)) left")
    }
}

extension CaseloadState {
    /// Days a referral may wait for its first contact (config `response_deadline_days`).
    public static let defaultResponseDeadlineDays = 14

    /// People referred and not yet seen (status referred and no attended contact), however
    /// long ago: Friday's referrals are still here on Monday. Oldest first, so the one nearest
    /// (or furthest past) its deadline leads. `worker` nil: everyone's. Someone referred again
    /// waits here too: their contacts before the new referral belong to an earlier episode.
    public func inbox(asOf: Day, worker: String?, deadlineDays: Int = defaultResponseDeadlineDays) -> [InboxEntry] {
        func notSeen(_ p: Patient) -> Bool {
            guard let last = p.lastContact else { return true }
            return p.hasEarlierEpisodes && last < p.referral.date
        }
        return patients.values
            .filter { $0.status == .referred && notSeen($0) && $0.isInUse && (worker == nil || $0.worker == worker) }
            .map { InboxEntry(patient: $0, ageDays: max(0, asOf.days(since: $0.referral.date)), deadlineDays: deadlineDays) }
            .sorted { $0.ageDays != $1.ageDays ? $0.ageDays > $1.ageDays : $0.patient.id.sortsBefore($1.patient.id) }
    }
}
