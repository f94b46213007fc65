/// One undoable change to a `TextBuffer`: `removed` at `offset` was replaced by `inserted`.
///
/// Edits carry the characters they replaced rather than a copy of the whole note, so a long
/// note with many undo steps stays small.
struct TextEdit: Sendable, Equatable {
    /// What made the edit; consecutive edits of the same coalescing kind become one undo step.
    enum Kind: Sendable, Equatable {
        case typing, backspace, forwardDelete, newline, paste, deleteWord

        /// Typing, backspacing and deleting one grapheme at a time coalesce; the others are
        /// always a step of their own.
        var coalesces: Bool {
            switch self {
            case .typing, .backspace, .forwardDelete: return true
            case .newline, .paste, .deleteWord: return false
            }
        }
    }

    var offset: Int
    var removed: [Character]
    var inserted: [Character]
    var cursorBefore: Int
    var cursorAfter: Int
    var kind: Kind

    /// This edit followed by `next`, as one edit, or nil when they do not touch.
    /// `text` is the text after `self` and before `next`.
    func followed(by next: TextEdit, in text: [Character]) -> TextEdit? {
        let selfEnd = offset + inserted.count
        let nextEnd = next.offset + next.removed.count
        guard next.offset <= selfEnd, nextEnd >= offset else { return nil }
        let lower = min(offset, next.offset)
        let upper = max(selfEnd, nextEnd)
        // Outside each edit's own span the text is what it was, so the combined "before" and
        // "after" are that edit's characters with the untouched text around them.
        let before = Array(text[lower..<offset]) + removed + Array(text[selfEnd..<upper])
        let after = Array(text[lower..<next.offset]) + next.inserted + Array(text[nextEnd..<upper])
        return TextEdit(
            offset: lower, removed: before, inserted: after,
            cursorBefore: cursorBefore, cursorAfter: next.cursorAfter, kind: kind
        )
    }
}
