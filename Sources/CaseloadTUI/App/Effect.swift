import CaseloadCore
import Foundation

/// Work `update` asks the runtime to do. Results come back as `Msg`s, so `update` stays pure.
public enum Effect: Sendable, Equatable {
    /// Append these events in one go (fsynced), then send `.saved` or `.saveFailed`.
    case append([EventBody], purpose: SavePurpose)
    /// Append a `change.undone` for each event id, then send `.undone` or `.undoFailed`.
    case undo(eventIds: [UUID], description: String)
    /// Suspend the screen and edit `text` in `$EDITOR`, then send `.externalEditorClosed`.
    /// The file is named after the draft, so a note left open by a crash finds its draft again.
    case openExternalEditor(text: String, draftId: UUID)
    /// First run: create the data directory for this worker, open it, send `.storeOpened`.
    case initialize(workerName: String, team: String?)
    /// Sync with the shared folder at this path, then send `.synced` or `.syncFailed`.
    case syncFolder(path: String)
    /// Sync with the PostgreSQL server last synced with (sync.json), then send `.synced` or `.syncFailed`.
    case syncPostgres
    /// Write `contents` to a private (0600) file at `path`, then send `.fileWritten` or `.fileWriteFailed`.
    case writeFile(path: String, contents: String)
    /// Remember how the list was last shown (`w`, `o`) for the next start; nothing comes back.
    case rememberListView(ListView)
    /// Read the history of a person's details and consent from every journal, then send `.historyLoaded`.
    case loadHistory(patientId: UUID)
    /// Check a passphrase typed at the idle lock against the key file (as the start-up prompt
    /// does), then send `.passphraseChecked`. The bytes go nowhere else.
    case checkPassphrase([UInt8])
    case quit
}
