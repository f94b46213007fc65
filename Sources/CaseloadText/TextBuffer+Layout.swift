/// What the editor shows in an area: the visible lines and where the cursor is among them.
public struct EditorViewport: Sendable, Equatable {
    /// The visual lines to draw, top to bottom; at most the area's height.
    public var lines: [WrappedLine]
    /// The index, in all the visual lines, of the first one shown. Keep it in the view state and
    /// pass it back next time, so the view scrolls only when the cursor would leave it.
    public var scrollTop: Int
    /// The cursor's row within `lines` (0 is the top of the area).
    public var cursorRow: Int
    /// The cursor's display column, always less than the area's width.
    public var cursorColumn: Int
    /// How many visual lines the whole text has (for a scroll bar or "line 3 of 40").
    public var totalLines: Int

    public init(lines: [WrappedLine], scrollTop: Int, cursorRow: Int, cursorColumn: Int, totalLines: Int) {
        self.lines = lines
        self.scrollTop = scrollTop
        self.cursorRow = cursorRow
        self.cursorColumn = cursorColumn
        self.totalLines = totalLines
    }
}

// Layout: the text wrapped for an area `width` columns wide. Text wraps at `width - 1` so the
// cursor always has a free cell after the end of a line.
extension TextBuffer {
    /// All visual lines of the text in an area `width` columns wide.
    public func lines(width: Int) -> [WrappedLine] {
        wordWrap(characters, width: max(1, width - 1))
    }

    /// The cursor's visual row (over all lines) and display column in an area `width` wide.
    public func cursorPosition(width: Int) -> (row: Int, col: Int) {
        cursorPosition(in: lines(width: width), width: width)
    }

    /// Lines `scrollTop ..< scrollTop + height` of the text in an area `width` columns wide.
    public func visibleLines(width: Int, height: Int, scrollTop: Int) -> [WrappedLine] {
        let lines = self.lines(width: width)
        let top = min(max(0, scrollTop), lines.count)
        return Array(lines[top..<min(lines.count, top + max(0, height))])
    }

    /// The first line to show so the cursor is on screen, scrolling as little as possible from
    /// `scrollTop`, and not leaving blank rows below the text when it could show more of it.
    public func scrollTop(keepingCursorVisibleFrom scrollTop: Int, width: Int, height: Int) -> Int {
        let lines = self.lines(width: width)
        return Self.scrollTop(from: scrollTop, cursorRow: Self.row(of: cursor, in: lines),
                              lineCount: lines.count, height: height)
    }

    /// Everything a view needs to draw the editor in a `width` × `height` area, wrapping once.
    /// `scrollTop` is the previous scroll position; the result's is adjusted to show the cursor.
    public func viewport(width: Int, height: Int, scrollTop: Int) -> EditorViewport {
        let lines = self.lines(width: width)
        let position = cursorPosition(in: lines, width: width)
        let top = Self.scrollTop(from: scrollTop, cursorRow: position.row,
                                 lineCount: lines.count, height: height)
        let shown = Array(lines[top..<min(lines.count, top + max(0, height))])
        return EditorViewport(lines: shown, scrollTop: top, cursorRow: position.row - top,
                              cursorColumn: position.col, totalLines: lines.count)
    }

    // MARK: Helpers

    func cursorPosition(in lines: [WrappedLine], width: Int) -> (row: Int, col: Int) {
        let row = Self.row(of: cursor, in: lines)
        let col = displayWidth(of: characters[lines[row].range.lowerBound..<cursor])
        // Spaces hanging past the edge of a wrapped line would put the cursor outside the area.
        return (row, min(col, max(0, width - 1)))
    }

    /// The visual line showing `offset`: the last one starting at or before it. Lines start at
    /// strictly increasing offsets, and a wrapped line's end offset is the next line's start.
    static func row(of offset: Int, in lines: [WrappedLine]) -> Int {
        var low = 0
        var high = lines.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lines[mid].range.lowerBound <= offset {
                low = mid
            } else {
                high = mid - 1
            }
        }
        return low
    }

    static func scrollTop(from scrollTop: Int, cursorRow: Int, lineCount: Int, height: Int) -> Int {
        guard height > 0 else { return 0 }
        var top = max(0, scrollTop)
        if cursorRow < top { top = cursorRow }
        if cursorRow >= top + height { top = cursorRow - height + 1 }
        return max(0, min(top, lineCount - height))
    }
}
