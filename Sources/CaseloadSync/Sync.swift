import Foundation
import CaseloadCore
import CaseloadJournal

/// Exchanging events with other devices: a shared folder or a PostgreSQL team server.
/// Sync only ever appends other devices' events to their own local journal copies; it never
/// rewrites a file.
public enum CaseloadSync {}

extension CaseloadStore {
    /// Whether this worker's last `device.synced` is older than `every` milliseconds (or absent).
    public func syncRecordDue(every: Int64 = 3_600_000) -> Bool {
        now() - (state.workerActivity[workerId]?.lastSync?.wallMillis ?? 0) >= every
    }

    /// Before sending: appends a `device.synced` (sent with the rest) when there are events to
    /// send, or the last record is older than `every`, so other devices learn when this one
    /// last synced without a re-sync with nothing new growing the journal. Returns whether it did.
    @discardableResult
    public func recordSyncIfDue(target: String, unsent: Bool, every: Int64 = 3_600_000) throws -> Bool {
        guard unsent || syncRecordDue(every: every) else { return false }
        try append([.deviceSynced(DeviceSynced(target: target))])
        return true
    }
}

extension CaseloadStore {
    /// One line per device whose events came in dated in the future, for the sync report:
    /// which device, how far ahead, and that the events were kept but not trusted for time.
    /// Each is told once: the list starts afresh for the next sync.
    public func takeFutureClockProblems() -> [String] {
        defer { futureClocks = [:] }
        return futureClocks.sorted { $0.key.uuidString < $1.key.uuidString }.map { device, clock in
            "device \(device.lowercasedString) sent events dated up to \(Day(ordinal: Int(clock.wallMillis / 86_400_000))), "
                + "ahead of this device's clock: kept, shown as suspect, and not used to date this device's events (is that device's clock wrong?)"
        }
    }
}
