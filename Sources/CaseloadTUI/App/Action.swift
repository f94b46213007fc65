/// A named thing a key can do. Keys bind to actions in `KeyTable`; `update` handles actions.
public enum Action: String, Sendable, Hashable, CaseIterable {
    case quit, back, help
    case up, down, pageUp, pageDown, top, bottom, open, nextPane, prevPane
    case undo, followups, team, search, addPatient
    case filter, cycleStatus, toggleMine, sort
    case gpLetter, saveLetter
    case reports, reportPeriod, reportScope
    case newNote, amendNote, changeStatus, addConnection, advanceConnection, addFollowup, risks
    case pickService, addServiceByHand
    case addGoal, recordProgress, addMeasure
    case followupDone, plusDay, plusWeek, reschedule
    case save, externalEditor, editorUndo, editorRedo
    /// Editing text: the note editor's, where the arrows and Enter also leave a field.
    case newline, deleteBackward, deleteForward, deleteWord
    case cursorLeft, cursorRight, wordLeft, wordRight, lineStart, lineEnd, clearField
    case nextField, prevField, submit, choiceNext, choicePrev
    case finishFilter, clearFilter
    case showDrafts, restoreDraft, discardDraft
    case confirmYes, confirmNo
    case sync
    case inbox, acceptReferral, declineReferral
    case editDetails, detailHistory, restrict, erase
    case resolveDuplicate, mergeDuplicate, distinctPeople
}

extension Action {
    /// ↑ ↓ PgUp PgDn Home End: moving in whatever is on screen.
    var isMove: Bool { [.up, .down, .pageUp, .pageDown, .top, .bottom].contains(self) }
}
