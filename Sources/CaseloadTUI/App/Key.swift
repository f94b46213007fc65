/// A key press, decoded by the backend from curses codes.
public enum Key: Hashable, Sendable {
    case char(Character)
    /// Ctrl plus a letter, lowercase (`ctrl("s")`). Tab, Enter and Backspace have their own cases.
    case ctrl(Character)
    /// Alt (Meta) plus a key: ESC followed quickly by it.
    case alt(Character)
    case enter, tab, backTab, backspace, delete, escape
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlLeft, ctrlRight
    case function(Int)

    /// How the key is written in the help screen and the hint bar.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "^" + String(c).uppercased()
        case .alt("\u{7f}"): return "M-Bksp"
        case .alt(let c): return "M-" + String(c)
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .escape: return "Esc"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .ctrlLeft: return "^←"
        case .ctrlRight: return "^→"
        case .function(let n): return "F\(n)"
        }
    }

    /// A printable character typed into a text field (not a command key).
    public var typedCharacter: Character? {
        if case .char(let c) = self { return c }
        return nil
    }
}
