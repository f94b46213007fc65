import CaseloadCore
import Foundation

/// Syncing from the app: Y asks the runtime for it, and its result comes back as a message.
extension AppState {
    /// Y: the last folder again, or the team server.
    mutating func syncAgain() -> [Effect] {
        if sync?.folder == nil, sync?.viaPostgres == true || (sync == nil && serverRemembered) {
            status = StatusMessage("Syncing with the team server…", kind: .info)
            return [.syncPostgres]
        }
        guard let folder = sync?.folder else {
            status = StatusMessage("No sync folder yet: run `caseload sync folder PATH` once", kind: .info)
            return []
        }
        status = StatusMessage("Syncing…", kind: .info)
        return [.syncFolder(path: folder)]
    }

    /// The other devices' events are in: every list follows, and the status says what came.
    mutating func synced(_ newState: CaseloadState, _ sync: SyncStatus, _ summary: String) {
        caseload = newState
        caseloadChanged()
        self.sync = sync
        syncProgress = nil
        // As `caseload sync` says it: two devices may have added the same person.
        let twins = newState.likelyDuplicates().count
        let also = twins == 0 ? "" : "; \(twins) likely duplicate\(twins == 1 ? "" : "s") (see their screen)"
        status = StatusMessage("Synced: \(summary)\(also)", kind: .saved,
                               shorter: twins == 0 ? [] : ["Synced; \(twins) likely duplicate\(twins == 1 ? "" : "s") (see their screen)"])
    }
}
