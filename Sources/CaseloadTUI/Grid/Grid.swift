/// The screen as a 2-D array of cells, like ratatui's Buffer. Views draw into it; the backend
/// copies it to the terminal; tests read it back as text. Width is handled here, once: a
/// grapheme as wide as n columns (王 2, शर्मा's र्मा 3, 👍🏽 4) fills n cells, all but the
/// first marked as continuations.
public struct Grid: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor goes: the selected row or the text insertion point, so a
    /// screen reader follows the selection.
    public var cursor: (x: Int, y: Int)?
    /// Whether the cursor should be visible (text entry) or only placed (lists).
    public var cursorVisible = false

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Sets one cell, blanking the rest of any wide grapheme it overwrites.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let row = y * width
        var head = x
        while head > 0, cells[row + head].isContinuation { head -= 1 }
        if head < x || (x + 1 < width && cells[row + x + 1].isContinuation) {
            cells[row + head] = Cell(grapheme: " ", role: cells[row + head].role)
            var next = head + 1
            while next < width, cells[row + next].isContinuation {
                cells[row + next] = Cell(grapheme: " ", role: cells[row + next].role)
                next += 1
            }
        }
        cells[row + x] = cell
    }

    /// Fills a rectangle with blanks of `role`.
    public mutating func fill(_ rect: Rect, role: Role = .normal) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) {
                cells[y * width + x] = Cell(grapheme: " ", role: role)
            }
        }
    }

    /// Writes `text` on row `y` from column `x`, never past `x + maxWidth` nor the grid's
    /// edge; a wide grapheme that would straddle the limit is left out. Control characters
    /// become spaces. Returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, maxWidth: Int? = nil, role: Role = .normal) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            var g = ch
            var w = DisplayWidth.of(ch)
            if w == 0 {
                if ch.isASCII || ch == "\u{2028}" { g = " "; w = 1 } else { continue }
            }
            if col + w > limit { break }
            if col >= 0 {
                set(col, y, Cell(grapheme: g, role: role))
                for extra in 1..<max(1, w) {
                    set(col + extra, y, Cell(grapheme: " ", role: role, isContinuation: true))
                }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes `text` cut with "…" to fit `rect`'s first row, padding the rest with `role`.
    public mutating func line(_ text: String, in rect: Rect, role: Role = .normal) {
        guard rect.height > 0, rect.width > 0 else { return }
        fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: role)
        put(DisplayWidth.truncate(text, columns: rect.width), x: rect.x, y: rect.y, maxWidth: rect.width, role: role)
    }

    /// Swaps each single-column grapheme for another of the same width (the ASCII fallback).
    mutating func replaceGlyphs(_ replacement: (Character) -> Character) {
        for i in cells.indices where !cells[i].isContinuation {
            let new = replacement(cells[i].grapheme)
            if new != cells[i].grapheme, DisplayWidth.of(new) == DisplayWidth.of(cells[i].grapheme) { cells[i].grapheme = new }
        }
    }

    /// Changes the role of a run of cells without touching their text (for highlighting a row).
    /// Cells already in `keeping` (a search match) stay as they are.
    public mutating func restyle(_ rect: Rect, role: Role, keeping: Role? = nil) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) where cells[y * width + x].role != keeping || keeping == nil {
                cells[y * width + x].role = role
            }
        }
    }

    /// One row as text (continuation cells add nothing), trailing spaces removed.
    public func rowText(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for x in 0..<width where !cells[y * width + x].isContinuation {
            s.append(cells[y * width + x].grapheme)
        }
        while s.last == " " { s.removeLast() }
        return s
    }

    /// The whole grid as lines of text: what tests assert on.
    public var text: String { (0..<height).map(rowText).joined(separator: "\n") }

    /// Rows whose cells have `role` somewhere (for tests that check highlighting).
    public func rows(with role: Role) -> [Int] {
        (0..<height).filter { y in (0..<width).contains { cells[y * width + $0].role == role } }
    }
}
