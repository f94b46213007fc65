import CaseloadCore
import CaseloadText
import Foundation

/// The note editor's keys, autosave and saving.
extension AppState {
    /// Seconds of no typing after which the draft is saved, and the most typing between saves.
    static let draftPauseSeconds = 1.5
    static let draftMaxIntervalSeconds = 4.0

    /// The text area of the editor for the current screen size (shared with the view).
    var editorTextArea: Rect { NoteEditorView.textArea(width: width, height: height) }

    /// Past this many characters an autosave (the whole draft) is spaced out in proportion to
    /// the note's size, so a long note costs the journal about as much per minute as a short one
    /// (a 1 MiB note saved every 4 s would add 15 MiB a minute).
    static let draftThrottleCharacters = 64 << 10
    static let draftLongestIntervalSeconds = 60.0

    /// The pause and the longest interval between autosaves of a note of `characters`.
    static func draftIntervals(characters: Int) -> (pause: Double, most: Double) {
        guard characters > draftThrottleCharacters else { return (draftPauseSeconds, draftMaxIntervalSeconds) }
        let scale = Double(characters) / Double(draftThrottleCharacters)
        return (min(draftLongestIntervalSeconds, draftPauseSeconds * scale), min(draftLongestIntervalSeconds, draftMaxIntervalSeconds * scale))
    }

    /// Autosave on a pause in typing, and every few seconds while typing goes on.
    mutating func editorTick() -> [Effect] {
        guard routes.contains(.noteEditor), var e = editor, e.needsDraftSave, e.pendingRevision == nil else { return [] }
        let intervals = AppState.draftIntervals(characters: e.buffer.characters.count)
        let paused = now - e.lastEdit >= intervals.pause
        let due = now - e.lastDraftSave >= intervals.most
        guard paused || due else { return [] }
        let effect = e.makeDraftEffect(asOf: asOf, now: now)
        editor = e
        return [effect]
    }

    /// Typing into the note or the focused field; every other key goes through the key table
    /// (`editorEdit` for the editing keys).
    mutating func editorKey(_ key: Key) -> [Effect]? {
        guard var e = editor, case .char(let c) = key else { return nil }
        switch e.focus {
        case .text:
            guard fitsInNote(e, adding: c.utf8.count) else { return [] }
            e.buffer.insert(String(c))
        case .date, .minutes:
            guard c.isNumber || c == "-" else { return [] }
            if e.focus == .date { e.date.insert(String(c)) } else { e.minutes.insert(String(c)) }
            e.fieldError = nil
        case .kind, .outcome:
            guard c == " " else { return [] }
            if e.focus == .kind { e.kind = Self.cycled(e.kind, by: 1) } else { e.outcome = Self.cycled(e.outcome, by: 1) }
        }
        e.lastEdit = now
        keepEditorCursorVisible(&e)
        editor = e
        return []
    }

    /// An editing action from the key table on the focused part of the editor.
    mutating func editorEdit(_ action: Action) -> [Effect] {
        guard var e = editor else { return [] }
        let area = editorTextArea
        let w = max(2, area.width), h = max(1, area.height)
        var edited = true
        switch e.focus {
        case .text:
            switch action {
            case .newline:
                guard fitsInNote(e, adding: 1) else { return [] }
                e.buffer.newline()
            case .deleteBackward: e.buffer.backspace()
            case .deleteForward: e.buffer.deleteForward()
            case .deleteWord: e.buffer.deleteWordBackward()
            case .cursorLeft: e.buffer.moveLeft(); edited = false
            case .cursorRight: e.buffer.moveRight(); edited = false
            case .up: e.buffer.moveUp(width: w); edited = false
            case .down: e.buffer.moveDown(width: w); edited = false
            case .wordLeft: e.buffer.moveWordLeft(); edited = false
            case .wordRight: e.buffer.moveWordRight(); edited = false
            case .lineStart: e.buffer.moveToLineStart(width: w); edited = false
            case .lineEnd: e.buffer.moveToLineEnd(width: w); edited = false
            case .pageUp: e.buffer.pageUp(height: h, width: w); edited = false
            case .pageDown: e.buffer.pageDown(height: h, width: w); edited = false
            case .top: e.buffer.moveToStart(); edited = false
            case .bottom: e.buffer.moveToEnd(); edited = false
            default: return []
            }
        case .date, .minutes:
            switch action {
            case .deleteBackward:
                if e.focus == .date { e.date.deleteBackward() } else { e.minutes.deleteBackward() }
            case .newline, .down: e.focus = .text; edited = false
            default: return []
            }
            e.fieldError = nil
        case .kind, .outcome:
            switch action {
            case .cursorRight, .cursorLeft:
                let step = action == .cursorRight ? 1 : -1
                if e.focus == .kind { e.kind = Self.cycled(e.kind, by: step) } else { e.outcome = Self.cycled(e.outcome, by: step) }
            case .newline, .down: e.focus = .text; edited = false
            default: return []
            }
        }
        if edited { e.lastEdit = now }
        keepEditorCursorVisible(&e)
        editor = e
        return []
    }

    /// Scrolls the text so the cursor stays on screen after an edit or a move.
    func keepEditorCursorVisible(_ e: inout NoteEditorState) {
        let area = editorTextArea
        e.scrollTop = e.buffer.scrollTop(keepingCursorVisibleFrom: e.scrollTop, width: max(2, area.width), height: max(1, area.height))
    }

    /// The choice `step` places on from `value`, round the end.
    static func cycled<V: Vocabulary>(_ value: V, by step: Int) -> V where V.AllCases == [V] {
        let all = V.allCases
        let i = all.firstIndex(of: value) ?? 0
        return all[((i + step) % all.count + all.count) % all.count]
    }

    /// Whether `bytes` more still fit the note's limit (`RecordLimits.maxLongText`); if not,
    /// says so. A keystroke in a note of under 64 Ki characters is not measured (it would need
    /// 16 bytes a character to reach 1 MiB; the store's own check stands behind this).
    mutating func fitsInNote(_ e: NoteEditorState, adding bytes: Int) -> Bool {
        if bytes < 64, e.buffer.characters.count <= RecordLimits.maxLongText / 16 { return true }
        let size = e.text.utf8.count + bytes
        guard size > RecordLimits.maxLongText else { return true }
        status = StatusMessage("A note can be at most \(RecordLimits.size(RecordLimits.maxLongText)); this would make it \(RecordLimits.size(size))", kind: .error)
        return false
    }

    /// A paste goes into the text as one piece: its newlines are text, not Enter.
    mutating func editorPaste(_ text: String) -> [Effect] {
        guard var e = editor else { return [] }
        guard fitsInNote(e, adding: text.utf8.count) else { return [] }
        if e.focus != .text { e.focus = .text }
        e.buffer.paste(text)
        e.lastEdit = now
        keepEditorCursorVisible(&e)
        editor = e
        return []
    }

    mutating func editorPerform(_ action: Action) -> [Effect]? {
        switch action {
        case .save: return editorSave()
        case .nextPane, .prevPane: return editorFocus(action == .nextPane ? 1 : -1)
        case .externalEditor:
            guard var e = editor else { return [] }
            // The draft is saved first: a crash while $EDITOR is open then finds it at the next start.
            let draft = e.needsDraftSave ? [e.makeDraftEffect(asOf: asOf, now: now)] : []
            editor = e
            return draft + [.openExternalEditor(text: e.text, draftId: e.draftId)]
        case .editorUndo, .editorRedo:
            editor?.undoRedo(redo: action == .editorRedo, now: now)
            return []
        case .newline, .deleteBackward, .deleteForward, .deleteWord, .cursorLeft, .cursorRight, .wordLeft, .wordRight,
             .lineStart, .lineEnd, .up, .down, .pageUp, .pageDown, .top, .bottom:
            return editorEdit(action)
        default:
            return nil
        }
    }

    /// The text back from $EDITOR replaces the note's, and is saved as a draft at once.
    mutating func externalEditorClosed(_ text: String?) -> [Effect] {
        guard let text else {
            status = StatusMessage("$EDITOR did not return the note; your text is unchanged", kind: .error)
            return []
        }
        guard var editor else { return [] }
        guard text.utf8.count <= RecordLimits.maxLongText else {
            status = StatusMessage("The note from $EDITOR is \(RecordLimits.size(text.utf8.count)), and a note can be at most \(RecordLimits.size(RecordLimits.maxLongText)); your text is unchanged", kind: .error)
            return []
        }
        editor.replaceText(text, now: now)
        status = StatusMessage("Text from $EDITOR")
        // Saved as a draft at once: the text came from outside and exists nowhere else now.
        let effect = editor.makeDraftEffect(asOf: asOf, now: now)
        self.editor = editor
        return [effect]
    }

    mutating func editorFocus(_ delta: Int) -> [Effect] {
        guard var e = editor else { return [] }
        let all: [NoteEditorState.Field] = e.isAmendment ? [.text] : NoteEditorState.Field.allCases
        let i = all.firstIndex(of: e.focus) ?? 0
        e.focus = all[(i + delta + all.count) % all.count]
        editor = e
        return []
    }

    /// n: a new note, or the offer of this worker's unsaved draft for this patient.
    mutating func openNewNote() -> [Effect] {
        guard let p = currentPatient else { return [] }
        let drafts = caseload.drafts.values.filter { $0.patientId == p.id && $0.author == workerId && $0.sessionId == nil }
        if !drafts.isEmpty {
            offeredDrafts = drafts.sorted { $0.savedAt > $1.savedAt }.map(\.id)
            routes.append(.draftOffer)
            return []
        }
        editor = NoteEditorState(patientId: p.id, draftId: ids.next(), date: asOf, now: now)
        routes.append(.noteEditor)
        return []
    }

    /// e: amend the selected session's note; its earlier text stays in the history.
    mutating func openAmendNote() -> [Effect] {
        guard let pv = patient else { return [] }
        let items = TimelineItem.of(pv.patientId, in: caseload)
        guard items.indices.contains(pv.selectedRow), case .session(let s) = items[pv.selectedRow] else {
            status = StatusMessage("Select a session to amend its note")
            return []
        }
        if let d = caseload.drafts.values.first(where: { $0.sessionId == s.id && $0.author == workerId }) {
            offeredDrafts = [d.id]
            routes.append(.draftOffer)
            return []
        }
        editor = NoteEditorState(patientId: s.patientId, sessionId: s.id, basedOn: s.versions.last?.eventId, draftId: ids.next(), date: s.date,
                                 kind: s.kind, minutes: s.minutes, text: s.note, now: now)
        routes.append(.noteEditor)
        return []
    }

    /// Esc: leave the editor. What was typed stays in the journal as a draft.
    mutating func leaveEditor() -> [Effect] {
        guard var e = editor else {
            routes.removeLast()
            return []
        }
        var effects: [Effect] = []
        let hasDraft = caseload.drafts[e.draftId] != nil
        let blank = e.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        if blank && !e.isAmendment {
            if hasDraft { effects.append(.append([.draftDiscarded(DraftDiscarded(draftId: e.draftId))], purpose: .draftDiscarded)) }
        } else if e.isAmendment && e.text == e.originalText {
            if hasDraft { effects.append(.append([.draftDiscarded(DraftDiscarded(draftId: e.draftId))], purpose: .draftDiscarded)) }
        } else {
            if e.needsDraftSave { effects.append(e.makeDraftEffect(asOf: asOf, now: now)) }
            status = StatusMessage("Kept as a draft: n (or e) on this patient restores it", kind: .saved)
        }
        editor = nil
        routes.removeAll { $0 == .noteEditor }
        if routes.isEmpty { routes = [.patientList] }
        return effects
    }

    /// Ctrl-S: record the session (or the amendment). The editor closes once it is on disk.
    /// A new contact goes through `Rules.recordContact`, the rule `caseload session add` uses;
    /// first the app asks what to do with the follow-up (see `askAboutContact`).
    mutating func editorSave() -> [Effect] {
        guard var e = editor else { return [] }
        let note = e.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty || (e.outcome.isMissed && !e.isAmendment) else {
            status = StatusMessage("The note is empty: write something first, or Esc to leave", kind: .error)
            return []
        }
        if let sessionId = e.sessionId {
            guard e.text != e.originalText else {
                status = StatusMessage("No change to save")
                return []
            }
            return ruled(Rules.amendSession(sessionId: sessionId, note: e.text, basedOn: e.basedOn, draftId: e.draftId, state: caseload),
                         .note(description: "note amended (earlier version kept)"))
        }
        guard let date = Day(e.date.text.trimmingCharacters(in: .whitespaces)) else {
            e.fieldError = "Date: write YYYY-MM-DD, e.g. \(asOf)"
            e.focus = .date
            editor = e
            status = StatusMessage("Not saved yet: the session date is not a date", kind: .error)
            return []
        }
        let minutesText = e.minutes.text.trimmingCharacters(in: .whitespaces)
        let minutes = Int(minutesText)
        if !minutesText.isEmpty && minutes == nil {
            e.fieldError = "Minutes: a whole number, e.g. 20"
            e.focus = .minutes
            editor = e
            status = StatusMessage("Not saved yet: minutes must be a number", kind: .error)
            return []
        }
        let input = ContactInput(patientId: e.patientId, date: date, method: e.kind, outcome: e.outcome, minutes: minutes,
                                 note: e.text, draftId: e.draftId)
        if case .failure(let problems) = Rules.recordContact(input, state: caseload, context: ruleContext), let first = problems.items.first {
            switch first.field {
            case "date":
                e.fieldError = "Date: the session is in the future"
                e.focus = .date
                status = StatusMessage("Not saved yet: the session date is after today", kind: .error)
            case "minutes":
                e.fieldError = "Minutes: a whole number, e.g. 20"
                e.focus = .minutes
                status = StatusMessage("Not saved yet: minutes must be a number from 0 to 1440", kind: .error)
            default:
                status = StatusMessage("Not saved yet: \(first.message)", kind: .error)
            }
            editor = e
            return []
        }
        return askAboutContact(input)
    }

    /// Before saving a contact: an attended one with a follow-up due asks whether it is done;
    /// a missed one asks whether to book the next try (+2 days). Otherwise it saves at once.
    mutating func askAboutContact(_ input: ContactInput) -> [Effect] {
        let due = caseload.dueFollowups(of: input.patientId, asOf: asOf)
        if input.outcome.isMissed, due.isEmpty, caseload.nextFollowup(of: input.patientId) != nil {
            // The next contact is already booked: nothing to ask.
            return saveContact(input)
        } else if input.outcome.isMissed {
            let next = asOf.adding(days: RuleContext.defaultNextAfterMissedDays)
            contactQuestion = ContactQuestion(input: input, kind: .bookNext(next, moving: due.count))
        } else if !due.isEmpty {
            contactQuestion = ContactQuestion(input: input, kind: .completeDue(due.map(\.id)))
        } else {
            return saveContact(input)
        }
        push(.contactQuestion)
        return []
    }

    /// y / n to the question: the contact is saved either way; Esc goes back to the editor.
    mutating func answerContactQuestion(_ yes: Bool) -> [Effect] {
        guard let q = contactQuestion else { return back() }
        var input = q.input
        switch q.kind {
        case .completeDue: input.completeDueFollowups = yes
        case .bookNext: input.nextInDays = yes ? RuleContext.defaultNextAfterMissedDays : nil
        }
        contactQuestion = nil
        routes.removeAll { $0 == .contactQuestion }
        return saveContact(input)
    }

    /// The rule's events, with what they did in the words the status line and undo show.
    mutating func saveContact(_ input: ContactInput) -> [Effect] {
        switch Rules.recordContact(input, state: caseload, context: ruleContext, sessionId: ids.next(), followupId: ids.next()) {
        case .failure(let problems):
            status = StatusMessage("Not saved yet: \(problems.items.first?.message ?? "check the form")", kind: .error)
            return []
        case .success(let plan):
            var words = [input.outcome.isMissed ? "\(input.outcome.label) (\(input.method.label))" : "\(input.method.label) session note"]
            if !plan.completed.isEmpty { words.append("follow-up done") }
            if let s = plan.newStatus { words.append("now \(s.label)") }
            if let d = plan.nextDue { words.append("next try \(d)") }
            if let d = plan.alreadyBooked { words.append("next follow-up \(d)") }
            guard plan.flaggedForReview || (input.outcome.isMissed && plan.missedInARow >= reviewAfterMissed) else {
                return [.append(plan.bodies, purpose: .note(description: words.joined(separator: ", ")))]
            }
            // Flagged for review: said first, and kept in every briefer wording.
            let flag = "\(plan.missedInARow) missed in a row: flagged for review"
            let rest = words.dropFirst().joined(separator: ", ")
            let description = [words[0], flag, rest].filter { !$0.isEmpty }.joined(separator: "; ")
            let shorter = ["\(input.outcome.label); \(flag)", flag, "\(plan.missedInARow) missed: flagged for review", "flagged for review"]
            return [.append(plan.bodies, purpose: .note(description: description, shorter: shorter))]
        }
    }
}
