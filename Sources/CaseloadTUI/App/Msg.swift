import CaseloadCore
import Foundation

/// Everything that can happen to the app: input from the person and the terminal, and the
/// results of effects the runtime carried out.
public enum Msg: Sendable {
    case key(Key)
    /// Text pasted in one piece (bracketed paste), so its newlines are not taken as commands.
    case paste(String)
    case resize(width: Int, height: Int)
    /// A click, double-click or wheel turn at a screen cell (when the mouse is on).
    case mouse(MouseEvent)
    /// A clock tick; `now` is monotonic seconds (drives the draft autosave), `wall` the wall
    /// clock as the runtime read it (for "last sync 14:02"; nil leaves the last reading).
    case tick(now: Double, wall: WallClock? = nil)
    /// Events were appended (and fsynced) and the caseload re-folded.
    case saved(SaveResult)
    case saveFailed(purpose: SavePurpose, message: String)
    /// The undo of a change was appended.
    case undone(state: CaseloadState, description: String)
    case undoFailed(message: String)
    /// `$EDITOR` exited; `text` is nil when the editor failed or the file was unreadable.
    case externalEditorClosed(text: String?)
    /// First run finished: the data directory exists and the store is open.
    case storeOpened(state: CaseloadState, workerId: String)
    case storeOpenFailed(message: String)
    /// A sync finished: the caseload re-folded with what came in, and what to say about it.
    case synced(state: CaseloadState, sync: SyncStatus, summary: String)
    case syncFailed(message: String)
    /// A file the person asked for was written.
    case fileWritten(path: String)
    case fileWriteFailed(message: String)
    /// The history `Effect.loadHistory` read: one line per change, oldest first (nil: it could not be read).
    case historyLoaded(patientId: UUID, lines: [String]?)
    /// The runtime checked a passphrase typed at the idle lock against the key file.
    case passphraseChecked(ok: Bool)
    /// The app must end now: a signal (SIGTERM, SIGHUP, SIGINT) or the terminal gone. Nothing
    /// can be asked; what is typed in the note editor is kept as a draft.
    case stop
}

/// The outcome of an `Effect.append`.
public struct SaveResult: Sendable {
    public var purpose: SavePurpose
    public var events: [Event]
    public var state: CaseloadState

    public init(purpose: SavePurpose, events: [Event], state: CaseloadState) {
        self.purpose = purpose
        self.events = events
        self.state = state
    }
}

/// Why events are being appended: decides what the screen does once they are saved.
public enum SavePurpose: Sendable, Hashable {
    /// The note editor's autosave; not an undoable change.
    case draft(UUID)
    /// A session note recorded or amended: the editor closes once it is on disk.
    /// `shorter`: briefer wordings of the status line's "Saved: …", longest first.
    case note(description: String, shorter: [String] = [])
    /// A new patient: open them once saved.
    case patientAdded(UUID)
    /// A known person referred again from the referral form: open them on their new episode.
    case referredAgain(UUID)
    /// A likely duplicate merged or told apart from the question box: `saved` for the status
    /// line, `undo` for what `u` names.
    case duplicateResolved(saved: String, shorter: [String], undo: String)
    /// Any other change made on a screen; undoable with `u`.
    case change(description: String)
    /// A discarded draft; not undoable.
    case draftDiscarded
    /// A person erased: not undoable (their key is destroyed), and they leave every list.
    case erased
    /// The person's screen was opened (`patient.viewed`): nothing on screen changes, not undoable.
    case audit
}

/// What the mouse did, and where (column and row from the top left).
public struct MouseEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case click, doubleClick, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
