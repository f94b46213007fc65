/// One labelled field of a form: free text, or a choice cycled with ←/→. The typed text is
/// kept as typed even when it does not validate, and the problem is shown beside it.
public struct FormField: Sendable, Hashable {
    public var key: String
    public var label: String
    public var value: String
    /// Insertion point, in characters (grapheme clusters) from the start.
    public var cursor: Int
    /// When set, the field is a choice among these and `value` is one of them.
    public var choices: [String]?
    /// Shown under the field while it has focus: what to type.
    public var hint: String?
    public var error: String?

    public init(key: String, label: String, value: String = "", choices: [String]? = nil, hint: String? = nil) {
        self.key = key
        self.label = label
        self.value = value
        self.cursor = value.count
        self.choices = choices
        self.hint = hint
    }

    public var isChoice: Bool { choices != nil }

    mutating func insert(_ text: String) {
        guard !isChoice else { return }
        // A single-line field: newlines and tabs from a paste become spaces.
        let clean = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        let i = value.index(value.startIndex, offsetBy: min(cursor, value.count))
        let before = value.count
        value.insert(contentsOf: clean, at: i)
        // A combining mark joins the letter before it, adding no character.
        cursor = min(value.count, cursor + value.count - before)
        error = nil
    }

    mutating func backspace() {
        guard !isChoice, cursor > 0 else { return }
        let i = value.index(value.startIndex, offsetBy: cursor - 1)
        value.remove(at: i)
        cursor -= 1
        error = nil
    }

    mutating func deleteForward() {
        guard !isChoice, cursor < value.count else { return }
        value.remove(at: value.index(value.startIndex, offsetBy: cursor))
        error = nil
    }

    mutating func moveCursor(_ delta: Int) { cursor = min(max(0, cursor + delta), value.count) }

    mutating func cycle(_ delta: Int) {
        guard let choices, !choices.isEmpty else { return }
        let i = choices.firstIndex(of: value) ?? 0
        value = choices[(i + delta + choices.count) % choices.count]
        error = nil
    }
}
