/// One key binding: the keys, the action, the help text and where it applies.
public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var action: Action
    public var help: String
    public var contexts: Set<Context>
    /// Shown in the one-line hint bar, not only in the `?` screen.
    public var hint: Bool

    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}

/// The one table that both dispatches keys and writes the `?` screen and the hint bar, so
/// they cannot disagree. Earlier rows win when two bindings share a key in a context.
public enum KeyTable {
    public static let bindings: [KeyBinding] = {
        let b = { (keys: [Key], action: Action, help: String, contexts: Set<Context>, hint: Bool) in
            KeyBinding(keys: keys, action: action, help: help, contexts: contexts, hint: hint)
        }
        let patient = Context.patient
        let browsing = Context.browsing
        let textEntry: Set<Context> = [.noteEditor, .form, .measureForm, .firstRun]
        return [
            // Moving around: arrows and vi keys everywhere there is a list.
            b([.up, .char("k")], .up, "move up", Context.lists, false),
            b([.down, .char("j")], .down, "move down", Context.lists, false),
            b([.pageUp, .ctrl("b")], .pageUp, "page up", Context.lists, false),
            b([.pageDown, .ctrl("f")], .pageDown, "page down", Context.lists, false),
            b([.home, .char("g")], .top, "first row", Context.lists, false),
            b([.end, .char("G")], .bottom, "last row", Context.lists, false),
            b([.enter, .char("l")], .open, "open the patient", [.patientList, .followupQueue, .inbox, .teamView, .searchResults], true),
            b([.tab], .nextPane, "next pane", patient.union([.noteEditor]), true),
            b([.backTab], .prevPane, "previous pane", patient.union([.noteEditor]), false),

            // The patient list.
            b([.char("/")], .filter, "filter by name, NHS number or reason", [.patientList], true),
            b([.char("S")], .cycleStatus, "status filter: open, all, each status", [.patientList], false),
            b([.char("w")], .toggleMine, "worker filter: everyone, mine, each colleague", [.patientList], false),
            b([.char("o")], .sort, "sort: name, next follow-up, last contact, status", [.patientList], false),
            b([.char("a")], .addPatient, "add a patient (new referral)", [.patientList], true),
            b([.char("D")], .showDrafts, "unsaved draft notes", [.patientList], false),
            b([.enter], .finishFilter, "keep the filter and go to the list", [.filtering], true),
            b([.escape], .clearFilter, "clear the filter", [.filtering], true),
            b([.backspace], .deleteBackward, "delete the last letter of the filter", [.filtering], false),

            // The patient view.
            b([.char("n")], .newNote, "new session note", patient, true),
            b([.char("e")], .amendNote, "amend the selected note (keeps history)", [.patientTimeline], true),
            b([.char("M")], .gpLetter, "message to the GP (discharge summary)", patient, false),
            b([.char("s")], .saveLetter, "save the message to a file (text, HTML or FHIR)", [.letter], true),
            b([.char("c")], .changeStatus, "change status (discharge, declined…)", patient, true),
            b([.char("E")], .editDetails, "correct details (phone, address, NHS number…) and consent", patient, false),
            b([.char("H")], .detailHistory, "history of the details and consent: what changed, when", patient, false),
            b([.char("!")], .risks, "risks: record one, resolve one, or no known risks", patient, false),
            b([.char("a")], .addGoal, "add a goal", [.patientGoals], true),
            b([.char("p")], .recordProgress, "record progress on the selected goal", [.patientGoals], true),
            b([.char("m")], .addMeasure, "record a measure (SWEMWBS, ONS4, UCLA-3)", [.patientGoals], true),
            b([.char("L")], .addConnection, "connect to a community service", [.patientConnections], true),
            b([.char("L")], .addConnection, "connect to a community service", patient, false),
            b([.enter], .pickService, "show the service's details; again: connect", [.servicePicker], true),
            b([.ctrl("n")], .addServiceByHand, "add a service by hand (its place, times and contact)", [.servicePicker], true),
            b([.up], .up, "move up", [.servicePicker], false),
            b([.down], .down, "move down", [.servicePicker], false),
            b([.pageUp], .pageUp, "page up", [.servicePicker], false),
            b([.pageDown], .pageDown, "page down", [.servicePicker], false),
            b([.backspace], .deleteBackward, "delete the last letter of the search (typing searches)", [.servicePicker], false),
            b([.char(">")], .advanceConnection, "move the connection to its next stage", [.patientConnections], true),
            b([.char("b")], .addFollowup, "book a follow-up", [.patientFollowups], true),
            b([.char("b")], .addFollowup, "book a follow-up", patient, false),
            // Rare, and last: the help lists it after the everyday keys.
            b([.char("D")], .resolveDuplicate, "a likely duplicate: merge the other record in, or different people", patient, false),
            b([.char("X")], .restrict, "restrict: keep the record but stop using it (asks why)", patient, false),
            b([.char("Z")], .erase, "erase the person: details and notes unreadable on every device (asks why, then to confirm)", patient, false),

            // Follow-ups, in the patient view and the queue.
            b([.char("d")], .followupDone, "mark the follow-up done", [.patientFollowups, .followupQueue], true),
            b([.char("1")], .plusDay, "reschedule +1 day (with a reason)", [.patientFollowups, .followupQueue], true),
            b([.char("7")], .plusWeek, "reschedule +1 week (with a reason)", [.patientFollowups, .followupQueue], true),
            b([.char("r")], .reschedule, "reschedule to a date", [.patientFollowups, .followupQueue], false),

            // The referral inbox.
            b([.char("a")], .acceptReferral, "accept: the person agreed (now contacted)", [.inbox], true),
            b([.char("x")], .declineReferral, "decline, with a reason (coded for the GP)", [.inbox], true),

            // Search results: `/` again starts a fresh search, as it starts a fresh filter in the
            // list (listed before `s`, so the search screen's help names `/`).
            b([.char("/")], .search, "search again from empty (s does too)", [.searchResults], true),
            b([.backspace], .deleteBackward, "delete the last letter of the search, while typing it", [.searchResults], false),

            // Going places.
            b([.char("f")], .followups, "follow-up queue", browsing, true),
            b([.char("i")], .inbox, "referral inbox: new referrals and their deadline", browsing, false),
            b([.char("t")], .team, "team view: overdue by worker", browsing, false),
            b([.char("s")], .search, "search all notes and goals", browsing, false),
            b([.char("R")], .reports, "reports: referrals, outcomes, demand on groups", browsing, false),
            b([.char("u")], .undo, "undo the last change", browsing, true),
            b([.char("Y")], .sync, "sync again (last folder or team server)", browsing, false),

            // The reports screen.
            b([.char("p")], .reportPeriod, "period: all, this quarter, last quarter, 12 months", [.reports], true),
            b([.char("w")], .reportScope, "whose: everyone, my team, mine", [.reports], true),

            // The note editor.
            b([.ctrl("s")], .save, "save the note as a session", [.noteEditor], true),
            b([.ctrl("e")], .externalEditor, "edit the note in $EDITOR", [.noteEditor], true),
            b([.ctrl("z")], .editorUndo, "undo typing", [.noteEditor], false),
            b([.ctrl("y")], .editorRedo, "redo typing", [.noteEditor], false),
            // Editing the note (typing inserts). In the date and minutes fields Enter and ↓
            // go back to the text; in the kind and outcome fields ←/→ (or Space) change the choice.
            b([.enter], .newline, "new line (in a field: back to the text)", [.noteEditor], false),
            b([.backspace], .deleteBackward, "delete the character before the cursor", [.noteEditor], false),
            b([.delete], .deleteForward, "delete the character under the cursor", [.noteEditor], false),
            b([.ctrl("w"), .alt("\u{7f}")], .deleteWord, "delete the word before the cursor", [.noteEditor], false),
            b([.left], .cursorLeft, "cursor left (in a choice: the previous one)", [.noteEditor], false),
            b([.right], .cursorRight, "cursor right (in a choice: the next one)", [.noteEditor], false),
            b([.up], .up, "cursor up a line", [.noteEditor], false),
            b([.down], .down, "cursor down a line (in a field: back to the text)", [.noteEditor], false),
            b([.ctrlLeft, .alt("b")], .wordLeft, "back a word", [.noteEditor], false),
            b([.ctrlRight, .alt("f")], .wordRight, "forward a word", [.noteEditor], false),
            b([.home, .ctrl("a")], .lineStart, "start of the line", [.noteEditor], false),
            b([.end], .lineEnd, "end of the line", [.noteEditor], false),
            b([.pageUp], .pageUp, "page up", [.noteEditor], false),
            b([.pageDown], .pageDown, "page down", [.noteEditor], false),
            b([.alt("<")], .top, "start of the note", [.noteEditor], false),
            b([.alt(">")], .bottom, "end of the note", [.noteEditor], false),

            // Forms.
            b([.tab, .down], .nextField, "next field", [.form, .firstRun], true),
            b([.backTab, .up], .prevField, "previous field", [.form, .firstRun], false),
            b([.left], .cursorLeft, "cursor left (on a choice: the previous one)", [.form, .firstRun], false),
            b([.right], .cursorRight, "cursor right (on a choice: the next one)", [.form, .firstRun], false),
            b([.char(" ")], .choiceNext, "next choice (on a choice; elsewhere Space is typed)", [.form], false),
            b([.right], .choiceNext, "next choice", [.measureForm], false),
            b([.left], .choicePrev, "previous choice", [.measureForm], false),
            b([.backspace], .deleteBackward, "delete the character before the cursor", [.form, .firstRun], false),
            b([.delete], .deleteForward, "delete the character under the cursor", [.form, .firstRun], false),
            b([.home], .lineStart, "start of the field", [.form, .firstRun], false),
            b([.end], .lineEnd, "end of the field", [.form, .firstRun], false),
            b([.ctrl("u")], .clearField, "clear the field", [.form, .firstRun], false),
            b([.backspace], .deleteBackward, "take back the last digit, or go back to the last answer", [.measureForm], false),
            b([.enter], .submit, "next / save", [.form, .measureForm, .firstRun], true),
            b([.ctrl("s")], .save, "save the form", [.form], true),

            // Questions.
            b([.char("r"), .enter], .restoreDraft, "restore the draft", [.draftOffer], true),
            b([.char("d")], .discardDraft, "discard the draft", [.draftOffer], true),
            b([.char("m")], .mergeDuplicate, "merge the other record into this one (everything kept)", [.duplicateQuestion], true),
            b([.char("d")], .distinctPeople, "different people: not offered as duplicates again", [.duplicateQuestion], true),
            b([.char("y")], .confirmYes, "yes", [.confirmQuit, .contactQuestion, .reReferralQuestion], true),
            b([.char("n")], .confirmNo, "no", [.confirmQuit, .contactQuestion, .reReferralQuestion], true),

            // Everywhere.
            b([.char("?"), .function(1)], .help, "all keys (again: close)", browsing.union([.draftOffer, .help]), true),
            b([.function(1)], .help, "all keys", textEntry.union([.filtering]), false),
            b([.escape], .back, "back", Set(Context.allCases).subtracting([.filtering]), true),
            b([.char("q")], .quit, "quit", browsing.union([.help, .letter, .history]), true),
            b([.ctrl("q"), .ctrl("c")], .quit, "quit", textEntry.union(browsing).union([.help, .letter, .history, .filtering, .servicePicker]), false),
        ]
    }()

    /// The action `key` triggers in `context`, if any.
    public static func action(for key: Key, in context: Context) -> Action? {
        for binding in bindings where binding.contexts.contains(context) && binding.keys.contains(key) {
            return binding.action
        }
        return nil
    }

    /// The bindings that apply in `context`, in table order, one row per action.
    public static func bindings(in context: Context) -> [KeyBinding] {
        var seen = Set<Action>()
        return bindings.filter { $0.contexts.contains(context) && seen.insert($0.action).inserted }
    }

    /// The short hint bar for `context`: "/ filter · Enter open · ? help".
    /// Every key by screen, as Markdown: for the README or a `caseload keys` command, from
    /// the same table that dispatches the keys.
    public static func markdown() -> String {
        var out = ""
        for context in Context.allCases where context != .firstRun {
            let rows = bindings(in: context)
            guard !rows.isEmpty else { continue }
            out += "### \(context.title)\n\n| Keys | What they do |\n|---|---|\n"
            for b in rows { out += "| `\(b.keyLabel)` | \(b.help) |\n" }
            out += "\n"
        }
        return out
    }

    /// "? help" comes first, so it survives on the narrowest screen.
    public static func hints(in context: Context) -> [(key: String, help: String)] {
        let shown = bindings(in: context).filter(\.hint)
        let ordered = shown.filter { $0.action == .help } + shown.filter { $0.action != .help }
        return ordered.map { ($0.keys[0].label, shortHelp($0.action)) }
    }

    static func shortHelp(_ a: Action) -> String {
        switch a {
        case .open: return "open"
        case .filter: return "filter"
        case .addPatient: return "add"
        case .finishFilter: return "keep"
        case .clearFilter: return "clear"
        case .newNote: return "note"
        case .amendNote: return "amend"
        case .changeStatus: return "status"
        case .editDetails: return "details"
        case .restrict: return "restrict"
        case .erase: return "erase"
        case .detailHistory: return "history"
        case .addGoal: return "goal"
        case .recordProgress: return "progress"
        case .addMeasure: return "measure"
        case .advanceConnection: return "stage"
        case .addConnection: return "connect"
        case .saveLetter: return "save to a file"
        case .pickService: return "details / connect"
        case .addServiceByHand: return "add by hand"
        case .addFollowup: return "book"
        case .followupDone: return "done"
        case .plusDay: return "+1d"
        case .plusWeek: return "+1w"
        case .followups: return "follow-ups"
        case .inbox: return "inbox"
        case .acceptReferral: return "accept"
        case .declineReferral: return "decline"
        case .undo: return "undo"
        case .save: return "save"
        case .externalEditor: return "$EDITOR"
        case .nextField: return "next"
        case .submit: return "ok"
        case .nextPane: return "pane"
        case .restoreDraft: return "restore"
        case .discardDraft: return "discard"
        case .confirmYes: return "yes"
        case .confirmNo: return "no"
        case .help: return "help"
        case .reports: return "reports"
        case .reportPeriod: return "period"
        case .reportScope: return "whose"
        case .resolveDuplicate: return "duplicate"
        case .mergeDuplicate: return "merge"
        case .distinctPeople: return "different people"
        case .back: return "back"
        case .quit: return "quit"
        default: return a.rawValue
        }
    }
}
