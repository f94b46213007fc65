import CaseloadCore
import CaseloadText
import Foundation

/// The session note editor: a small form (date, method, minutes, outcome) above the text, and the
/// bookkeeping for autosaving the draft into the journal.
public struct NoteEditorState: Sendable {
    /// What has keyboard focus; Tab cycles text → date → method (kind) → minutes → outcome.
    public enum Field: Int, Sendable, CaseIterable { case text, date, kind, minutes, outcome }

    public var patientId: UUID
    /// Set when amending a saved session; the date, kind and minutes are then fixed.
    public var sessionId: UUID?
    /// The note version an amendment is written against.
    public var basedOn: UUID?
    /// Every autosave of this note overwrites this one draft.
    public var draftId: UUID
    public var date: TextInput
    public var kind: SessionKind
    public var minutes: TextInput
    /// Attended, or missed (did not attend, no answer, cancelled): a missed contact needs no note.
    public var outcome: ContactOutcome = .attended
    public var focus: Field = .text
    public var buffer: TextBuffer
    public var scrollTop = 0
    /// The amended note's text when the editor opened: saving it unchanged is a no-op.
    public var originalText: String
    public var fieldError: String?

    /// The buffer revision and form values last saved as a draft, and the ones in flight.
    var savedRevision: Int
    var savedFields: String
    var pendingRevision: Int?
    var pendingFields: String?
    var lastEdit: Double = 0
    var lastDraftSave: Double = 0

    public init(patientId: UUID, sessionId: UUID? = nil, basedOn: UUID? = nil, draftId: UUID,
                date: Day, kind: SessionKind = .phone, minutes: Int? = nil, text: String = "", now: Double = 0) {
        self.patientId = patientId
        self.sessionId = sessionId
        self.basedOn = basedOn
        self.draftId = draftId
        self.date = TextInput(date.description)
        self.kind = kind
        self.minutes = TextInput(minutes.map(String.init) ?? "")
        buffer = TextBuffer(text: text)
        originalText = sessionId == nil ? "" : text
        // Nothing to save until something changes: a restored draft is already in the journal,
        // an amendment's text is the saved note.
        savedRevision = buffer.revision
        savedFields = ""
        lastEdit = now
        lastDraftSave = now
        savedFields = fieldsKey
    }

    /// A draft restored from the journal: already saved as it is.
    public init(draft: Draft, basedOn: UUID?, originalText: String, now: Double) {
        self.init(patientId: draft.patientId, sessionId: draft.sessionId, basedOn: basedOn, draftId: draft.id,
                  date: draft.date, kind: draft.kind, minutes: draft.minutes, text: draft.text, now: now)
        self.originalText = originalText
        outcome = draft.outcome
        savedFields = fieldsKey
    }

    public var text: String { buffer.text }
    public var isAmendment: Bool { sessionId != nil }

    var fieldsKey: String { "\(date.text)|\(kind.rawValue)|\(minutes.text)|\(outcome.rawValue)" }

    /// Whether the journal's draft is behind what is on screen.
    public var needsDraftSave: Bool { buffer.revision != savedRevision || fieldsKey != savedFields }

    /// The draft.saved event for what is on screen now. An unparsable date or minutes is
    /// saved as the best guess (the text is what matters); saving the session checks them.
    mutating func makeDraftEffect(asOf: Day, now: Double) -> Effect {
        pendingRevision = buffer.revision
        pendingFields = fieldsKey
        lastDraftSave = now
        return draftEffect(asOf: asOf)
    }

    func draftEffect(asOf: Day) -> Effect {
        .append([.draftSaved(DraftSaved(draftId: draftId, patientId: patientId, sessionId: sessionId,
                                        date: Day(date.text.trimmingCharacters(in: .whitespaces)) ?? asOf, kind: kind,
                                        minutes: Int(minutes.text.trimmingCharacters(in: .whitespaces)), text: text,
                                        outcome: outcome == .attended ? nil : outcome))],
                purpose: .draft(draftId))
    }

    mutating func draftSaved(id: UUID, now: Double) {
        guard id == draftId else { return }
        if let r = pendingRevision { savedRevision = r }
        if let f = pendingFields { savedFields = f }
        pendingRevision = nil
        pendingFields = nil
    }

    mutating func draftSaveFailed() {
        pendingRevision = nil
        pendingFields = nil
    }

    mutating func replaceText(_ text: String, now: Double) {
        // One undo step: Ctrl-Z in the editor brings back the text from before $EDITOR.
        buffer.replaceAll(with: text)
        savedRevision = -1
        lastEdit = now
    }

    mutating func undoRedo(redo: Bool, now: Double) {
        if redo { buffer.redo() } else { buffer.undo() }
        lastEdit = now
    }
}
