/// The editing model of the full-screen note editor: the text, a cursor, and undo history.
///
/// A value type with no terminal in sight: `update` mutates it in response to keys and `view`
/// draws `viewport(width:height:scrollTop:)`.
///
/// - Text is held as grapheme clusters (`Character`s), and `cursor` is an offset between them,
///   so the cursor can never land inside é, 王, 🇬🇧 or 👩‍👩‍👧. Every edit re-segments the text
///   around it, so a combining mark typed after a letter (e, then U+0301) joins that letter.
/// - Typed characters coalesce into one undo step until a newline, a cursor move, or another
///   kind of edit; a paste is always one step of its own.
/// - Vertical movement is by *visual* (wrapped) line and keeps a preferred display column, so
///   moving down through a line of CJK and back returns to the column you started from.
/// - Layout methods take the `width` of the text area in columns. The editor wraps text at
///   `width - 1` so the cursor always has a free cell after the last character of a line.
public struct TextBuffer: Sendable, Equatable {
    /// The text as grapheme clusters. Newlines are "\n"; tabs and control characters never
    /// appear (see `insert`).
    public internal(set) var characters: [Character]
    /// Where the cursor is: the number of grapheme clusters before it, `0...characters.count`.
    public internal(set) var cursor: Int
    /// Goes up by one on every change to the text, undo and redo included: compare it with the
    /// revision last saved to know whether the draft needs saving.
    public internal(set) var revision: Int = 0

    /// The display column up/down movement aims for; kept across consecutive vertical moves.
    var preferredColumn: Int?
    var undoStack: [TextEdit] = []
    var redoStack: [TextEdit] = []
    /// Whether the next edit of the same kind may join the last undo step.
    var stepIsOpen = false

    /// Undo steps kept; older ones are forgotten.
    static let undoLimit = 500

    /// A buffer holding `text` (cleaned as `insert` would), cursor at the end, no undo history.
    public init(text: String = "") {
        characters = Array(Self.clean(text))
        cursor = characters.count
    }

    /// A buffer holding `text` with the cursor at `cursor` (clamped to the text).
    public init(text: String, cursor: Int) {
        self.init(text: text)
        self.cursor = min(max(0, cursor), characters.count)
    }

    /// The text as a string.
    public var text: String { String(characters) }
    public var isEmpty: Bool { characters.isEmpty }
    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }

    // MARK: Editing

    /// Inserts text at the cursor and moves the cursor after it.
    ///
    /// One character (a key press) is typing: consecutive typing is one undo step. More than one
    /// character is a paste: one undo step of its own. "\r\n", "\r" and other line breaks become
    /// "\n" (a lone "\n" or "\r" is `newline()`), a tab becomes four spaces, and other control
    /// characters (stray escape sequences in a paste) are dropped.
    public mutating func insert(_ text: String) {
        let isKeyPress = text.count == 1
        let cleaned = Self.clean(text)
        guard !cleaned.isEmpty else { return }
        if isKeyPress && cleaned == "\n" {
            newline()
            return
        }
        replace(cursor..<cursor, with: cleaned, kind: isKeyPress ? .typing : .paste)
    }

    /// Inserts `text` as one undo step, even a single character (cleaned as in `insert`).
    public mutating func paste(_ text: String) {
        let cleaned = Self.clean(text)
        guard !cleaned.isEmpty else { return }
        replace(cursor..<cursor, with: cleaned, kind: .paste)
    }

    /// Replaces the whole text (e.g. with what came back from `$EDITOR`) as one undo step, so
    /// Ctrl-Z brings the text from before back. The cursor goes to the end.
    public mutating func replaceAll(with text: String) {
        let normalised = Self.clean(text)
        guard normalised != self.text else { return }
        replace(0..<characters.count, with: normalised, kind: .paste)
    }

    /// Splits the line at the cursor. Its own undo step; it also ends the typing before it.
    public mutating func newline() {
        replace(cursor..<cursor, with: "\n", kind: .newline)
    }

    /// Deletes the grapheme cluster before the cursor (all of é, 🇬🇧 or 👩‍👩‍👧).
    /// Consecutive backspaces are one undo step.
    public mutating func backspace() {
        guard cursor > 0 else { return }
        replace(cursor - 1..<cursor, with: "", kind: .backspace)
    }

    /// Deletes the grapheme cluster after the cursor. Consecutive deletes are one undo step.
    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        replace(cursor..<cursor + 1, with: "", kind: .forwardDelete)
    }

    /// Deletes back to the start of the word before the cursor (Ctrl-W, Alt-Backspace).
    public mutating func deleteWordBackward() {
        let start = wordStart(before: cursor)
        guard start < cursor else { return }
        replace(start..<cursor, with: "", kind: .deleteWord)
    }

    /// Reverts the last undo step and puts the cursor where it was before it.
    public mutating func undo() {
        guard let edit = undoStack.popLast() else { return }
        characters.replaceSubrange(edit.offset..<edit.offset + edit.inserted.count, with: edit.removed)
        cursor = edit.cursorBefore
        redoStack.append(edit)
        stepIsOpen = false
        preferredColumn = nil
        revision += 1
    }

    /// Re-applies the last undone step.
    public mutating func redo() {
        guard let edit = redoStack.popLast() else { return }
        characters.replaceSubrange(edit.offset..<edit.offset + edit.removed.count, with: edit.inserted)
        cursor = edit.cursorAfter
        undoStack.append(edit)
        stepIsOpen = false
        preferredColumn = nil
        revision += 1
    }

    /// Replaces `range` with `replacement`, re-segmenting grapheme clusters where the edit meets
    /// the text around it, records the undo step and moves the cursor after the replacement.
    mutating func replace(_ range: Range<Int>, with replacement: String, kind: TextEdit.Kind) {
        let lower = range.lowerBound
        let upper = range.upperBound
        // A combining mark, ZWJ or regional indicator can join the cluster before the edit, and
        // a deletion can join the clusters on either side, so re-segment one cluster each side.
        let start = lower > 0 ? lower - 1 : lower
        var end = upper < characters.count ? upper + 1 : upper
        let head = String(characters[start..<lower]) + replacement
        var merged: [Character]
        while true {
            merged = Array(head + String(characters[upper..<end]))
            // Stop once the boundary after the window is the same as before the edit; a run of
            // regional indicators can re-pair beyond one cluster.
            guard end < characters.count, let last = merged.last else { break }
            let probe = Array(String(last) + String(characters[end]))
            if probe.count == 2, probe[0] == last, probe[1] == characters[end] { break }
            end += 1
        }
        let cursorAfter = start + min(Array(head).count, merged.count)
        let edit = TextEdit(
            offset: start, removed: Array(characters[start..<end]), inserted: merged,
            cursorBefore: cursor, cursorAfter: cursorAfter, kind: kind
        )
        guard edit.removed != edit.inserted else { return }

        if stepIsOpen, kind.coalesces, let last = undoStack.last, last.kind == kind,
           let combined = last.followed(by: edit, in: characters) {
            undoStack[undoStack.count - 1] = combined
        } else {
            undoStack.append(edit)
            if undoStack.count > Self.undoLimit {
                undoStack.removeFirst(undoStack.count - Self.undoLimit)
            }
        }
        redoStack.removeAll()
        stepIsOpen = kind.coalesces
        characters.replaceSubrange(start..<end, with: merged)
        cursor = cursorAfter
        preferredColumn = nil
        revision += 1
    }

    /// Text as the buffer holds it: "\n" line breaks, tabs as spaces, no control characters.
    static func clean(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            if character.isNewline {
                result.append("\n")
            } else if character == "\t" {
                result.append("    ")
            } else if let scalar = character.unicodeScalars.first,
                      scalar.properties.generalCategory == .control {
                continue
            } else {
                result.append(character)
            }
        }
        return result
    }
}
