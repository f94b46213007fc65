import CaseloadText

/// One line of typed text and the cursor in it, counted in characters (grapheme clusters), so
/// the cursor never lands inside é, 王 or 🇬🇧. Every one-line place the app takes typing uses
/// it: form fields, the list filter, the searches, the note editor's date and minutes, a
/// measure's answer and the lock's passphrase. (The note itself is a `TextBuffer`: many lines,
/// wrapping and undo.)
public struct TextInput: Sendable, Hashable {
    public private(set) var text: String
    /// Characters before the cursor, `0...text.count`.
    public private(set) var cursor: Int

    /// `text` with the cursor at its end.
    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    public var isEmpty: Bool { text.isEmpty }
    /// The text before the cursor (what the view measures to place it).
    public var beforeCursor: Substring { text.prefix(cursor) }
    public var afterCursor: Substring { text.dropFirst(cursor) }

    /// Inserts at the cursor and moves it after what was inserted. A combining mark typed
    /// after a letter joins it, adding no character.
    public mutating func insert(_ s: String) {
        let before = text.count
        text.insert(contentsOf: s, at: index(cursor))
        cursor = min(text.count, cursor + text.count - before)
    }

    /// The whole text replaced, the cursor kept where it was (or at the new end, if shorter).
    public mutating func replace(with text: String) {
        self.text = text
        cursor = min(cursor, text.count)
    }

    public mutating func clear() {
        text = ""
        cursor = 0
    }

    /// Deletes the character before the cursor (all of é or 🇬🇧).
    public mutating func deleteBackward() {
        guard cursor > 0 else { return }
        text.remove(at: index(cursor - 1))
        cursor -= 1
    }

    /// Deletes the character under the cursor.
    public mutating func deleteForward() {
        guard cursor < text.count else { return }
        text.remove(at: index(cursor))
    }

    /// Deletes back to the start of the word before the cursor, as Ctrl-W does in a shell.
    public mutating func deleteWordBackward() {
        let start = wordStart(before: cursor)
        text.removeSubrange(index(start)..<index(cursor))
        cursor = start
    }

    public mutating func move(by delta: Int) { cursor = min(max(0, cursor + delta), text.count) }
    public mutating func moveToStart() { cursor = 0 }
    public mutating func moveToEnd() { cursor = text.count }
    public mutating func moveWordLeft() { cursor = wordStart(before: cursor) }

    public mutating func moveWordRight() { cursor = Words.end(in: Array(text), after: cursor) }

    private func wordStart(before offset: Int) -> Int { Words.start(in: Array(text), before: offset) }

    private func index(_ offset: Int) -> String.Index { text.index(text.startIndex, offsetBy: min(offset, text.count)) }
}
