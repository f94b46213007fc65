/// How a role looks: colours (by curses number, -1 for the terminal's own) and attributes.
public struct Style: Sendable, Hashable {
    public var fg: Int = -1
    public var bg: Int = -1
    /// Used instead of `fg`/`bg` on terminals with 256 colours.
    public var fg256: Int?
    public var bg256: Int?
    public var bold = false
    public var underline = false
    public var reverse = false
    public var dim = false

    public init(fg: Int = -1, bg: Int = -1, fg256: Int? = nil, bg256: Int? = nil,
                bold: Bool = false, underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.fg256 = fg256
        self.bg256 = bg256
        self.bold = bold
        self.underline = underline
        self.reverse = reverse
        self.dim = dim
    }

    /// The colours to use on a terminal with `colors` colours.
    public func colors(for colors: Int) -> (fg: Int, bg: Int) {
        if colors >= 256 { return (fg256 ?? fg, bg256 ?? bg) }
        // Bright colours 8-15 fold onto 0-7 on an 8-colour terminal.
        let fold = { (c: Int) in c >= colors && c < 16 ? c - 8 : (c >= colors ? -1 : c) }
        return (fold(fg), fold(bg))
    }

    /// The colour names themes may use, with their curses numbers.
    public static let colorNames: [String: Int] = [
        "default": -1, "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright-black": 8, "gray": 8, "grey": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]
}
