// Cursor movement. Every move ends the current undo step (typing after a move is a new step)
// and, except vertical moves, forgets the preferred column.
extension TextBuffer {
    /// Puts the cursor at `offset`, clamped to the text.
    public mutating func moveCursor(to offset: Int) {
        place(offset)
    }

    /// One grapheme cluster left.
    public mutating func moveLeft() {
        place(cursor - 1)
    }

    /// One grapheme cluster right.
    public mutating func moveRight() {
        place(cursor + 1)
    }

    /// To the start of the word before the cursor (or of the word it is in).
    public mutating func moveWordLeft() {
        place(wordStart(before: cursor))
    }

    /// To the end of the word after the cursor (or of the word it is in).
    public mutating func moveWordRight() {
        place(Words.end(in: characters, after: cursor))
    }

    /// To the start of the text.
    public mutating func moveToStart() {
        place(0)
    }

    /// To the end of the text.
    public mutating func moveToEnd() {
        place(characters.count)
    }

    /// Up one visual line in an area `width` columns wide, keeping the preferred column.
    /// On the first line, to the start of the text.
    public mutating func moveUp(width: Int) {
        moveVertically(rows: -1, width: width)
    }

    /// Down one visual line, keeping the preferred column. On the last line, to the end.
    public mutating func moveDown(width: Int) {
        moveVertically(rows: 1, width: width)
    }

    /// Up `height` visual lines (one screenful), keeping the preferred column.
    public mutating func pageUp(height: Int, width: Int) {
        moveVertically(rows: -max(1, height), width: width)
    }

    /// Down `height` visual lines (one screenful), keeping the preferred column.
    public mutating func pageDown(height: Int, width: Int) {
        moveVertically(rows: max(1, height), width: width)
    }

    /// To the start of the visual line the cursor is on.
    public mutating func moveToLineStart(width: Int) {
        let lines = self.lines(width: width)
        place(lines[Self.row(of: cursor, in: lines)].range.lowerBound)
    }

    /// To the end of the visual line the cursor is on. On a wrapped line that is before the
    /// last character (the break space), since the offset after it belongs to the next line.
    public mutating func moveToLineEnd(width: Int) {
        let lines = self.lines(width: width)
        place(Self.lastOffset(on: lines[Self.row(of: cursor, in: lines)]))
    }

    // MARK: Helpers

    mutating func place(_ offset: Int) {
        cursor = min(max(0, offset), characters.count)
        preferredColumn = nil
        stepIsOpen = false
    }

    mutating func moveVertically(rows: Int, width: Int) {
        let lines = self.lines(width: width)
        let row = Self.row(of: cursor, in: lines)
        let goal = preferredColumn ?? displayWidth(of: characters[lines[row].range.lowerBound..<cursor])
        let target = min(max(0, row + rows), lines.count - 1)
        if target == row {
            // Nowhere further to go: the start or end of the text, like most text fields.
            place(rows < 0 ? 0 : characters.count)
            return
        }
        place(offset(nearColumn: goal, on: lines[target]))
        preferredColumn = goal
    }

    /// The offset on `line` whose column is the largest not past `column`.
    func offset(nearColumn column: Int, on line: WrappedLine) -> Int {
        let last = Self.lastOffset(on: line)
        var best = line.range.lowerBound
        var used = 0
        var k = line.range.lowerBound
        while k < last {
            used += displayWidth(of: characters[k])
            if used > column { break }
            k += 1
            best = k
        }
        return best
    }

    /// The last cursor offset that shows on `line`: its end for the last line of a paragraph,
    /// one before it for a wrapped line (whose end offset starts the next line).
    static func lastOffset(on line: WrappedLine) -> Int {
        line.endsParagraph ? line.range.upperBound : max(line.range.lowerBound, line.range.upperBound - 1)
    }

    func wordStart(before offset: Int) -> Int { Words.start(in: characters, before: offset) }
}
