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
