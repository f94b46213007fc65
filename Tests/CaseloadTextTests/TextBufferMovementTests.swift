import XCTest
import CaseloadText

final class TextBufferMovementTests: XCTestCase {
    /// Wraps at 20 columns in a 21-column area (the editor keeps the last column for the cursor).
    let note = "Siobhán Ní Bhriain rang about the Wiśniewski garden group.\n\nŁukasz will call on Tuesday."

    func testLeftAndRightStepOverWideCharactersAndEmojiWhole() {
        var buffer = TextBuffer(text: "王小明 👩‍👩‍👧 🇬🇧 Zoë", cursor: 0)
        var columns: [Int] = []
        for _ in 0..<12 {
            buffer.moveRight()
            columns.append(buffer.cursorPosition(width: 40).col)
        }
        XCTAssertEqual(columns, [2, 4, 6, 7, 9, 10, 12, 13, 14, 15, 16, 16])
        XCTAssertEqual(buffer.cursor, 11)
        buffer.moveLeft()
        buffer.moveLeft()
        buffer.moveLeft()
        buffer.moveLeft()
        XCTAssertEqual(buffer.cursor, 7)
        XCTAssertEqual(buffer.cursorPosition(width: 40).col, 12, "just after the flag")
        buffer.moveToStart()
        buffer.moveLeft()
        XCTAssertEqual(buffer.cursor, 0)
    }

    func testWordLeftAndRight() {
        var buffer = TextBuffer(text: "Siobhán Ní Bhriain, O'Brien", cursor: 0)
        var stops: [Int] = []
        for _ in 0..<5 {
            buffer.moveWordRight()
            stops.append(buffer.cursor)
        }
        XCTAssertEqual(stops, [7, 10, 18, 27, 27])
        stops = []
        for _ in 0..<5 {
            buffer.moveWordLeft()
            stops.append(buffer.cursor)
        }
        XCTAssertEqual(stops, [20, 11, 8, 0, 0])
    }

    func testUpAndDownKeepThePreferredColumnOverWideCharacters() {
        let text = "Tadeusz Wiśniewski\n王小明\nSiobhán Ní Bhriain"
        var buffer = TextBuffer(text: text, cursor: 9)  // after "Tadeusz W"
        var positions: [[Int]] = []
        func record() {
            let position = buffer.cursorPosition(width: 40)
            positions.append([position.row, position.col])
        }
        buffer.moveDown(width: 40); record()
        buffer.moveDown(width: 40); record()
        buffer.moveUp(width: 40); record()
        buffer.moveUp(width: 40); record()
        // 王小明 ends at column 6; the column 9 is remembered for the lines after it.
        XCTAssertEqual(positions, [[1, 6], [2, 9], [1, 6], [0, 9]])
        XCTAssertEqual(buffer.cursor, 9)

        // Column 3 falls in the middle of 小: land before it, then come back to column 3.
        buffer.moveCursor(to: 3)
        positions = []
        buffer.moveDown(width: 40); record()
        buffer.moveDown(width: 40); record()
        buffer.moveUp(width: 40); record()
        buffer.moveUp(width: 40); record()
        XCTAssertEqual(positions, [[1, 2], [2, 3], [1, 2], [0, 3]])
    }

    func testAHorizontalMoveForgetsThePreferredColumn() {
        var buffer = TextBuffer(text: "Tadeusz Wiśniewski\n王\nSiobhán Ní Bhriain", cursor: 9)
        buffer.moveDown(width: 40)
        buffer.moveLeft()
        buffer.moveDown(width: 40)
        XCTAssertEqual(buffer.cursorPosition(width: 40).col, 0)
    }

    func testUpAndDownMoveByWrappedLine() {
        var buffer = TextBuffer(text: note, cursor: 5)
        var offsets: [Int] = []
        for _ in 0..<7 {
            buffer.moveDown(width: 21)
            offsets.append(buffer.cursor)
        }
        // rang about the | Wiśniewski garden | group. | (blank) | Łukasz will call on | Tuesday. | end
        XCTAssertEqual(offsets, [24, 39, 57, 59, 65, 85, 88])
        offsets = []
        for _ in 0..<8 {
            buffer.moveUp(width: 21)
            offsets.append(buffer.cursor)
        }
        XCTAssertEqual(offsets, [68, 59, 58, 42, 27, 8, 0, 0])
    }

    func testHomeAndEndOfTheVisualLine() {
        var buffer = TextBuffer(text: note, cursor: 25)
        buffer.moveToLineStart(width: 21)
        XCTAssertEqual(buffer.cursor, 19)
        buffer.moveToLineEnd(width: 21)
        XCTAssertEqual(buffer.cursor, 33, "before the space the line was broken at")
        XCTAssertEqual(buffer.cursorPosition(width: 21).row, 1)
        XCTAssertEqual(buffer.cursorPosition(width: 21).col, 14)
        buffer.moveCursor(to: 54)
        buffer.moveToLineEnd(width: 21)
        XCTAssertEqual(buffer.cursor, 58, "the end of a paragraph")
    }

    func testPageUpAndDown() {
        let text = (1...30).map { "line \($0)" }.joined(separator: "\n")
        var buffer = TextBuffer(text: text, cursor: 2)
        buffer.pageDown(height: 10, width: 20)
        XCTAssertEqual(buffer.cursorPosition(width: 20).row, 10)
        XCTAssertEqual(buffer.cursorPosition(width: 20).col, 2)
        buffer.pageDown(height: 10, width: 20)
        buffer.pageDown(height: 10, width: 20)
        XCTAssertEqual(buffer.cursorPosition(width: 20).row, 29)
        XCTAssertEqual(buffer.cursorPosition(width: 20).col, 2)
        buffer.pageDown(height: 10, width: 20)
        XCTAssertEqual(buffer.cursor, buffer.characters.count)
        buffer.pageUp(height: 10, width: 20)
        XCTAssertEqual(buffer.cursorPosition(width: 20).row, 19)
    }

    func testTheLastColumnIsKeptForTheCursor() {
        XCTAssertTrue(TextBuffer(text: "abcde").cursorPosition(width: 6) == (0, 5))
        let full = TextBuffer(text: "abcdef")
        XCTAssertEqual(full.lines(width: 6).map(\.text), ["abcde", "f"])
        XCTAssertTrue(full.cursorPosition(width: 6) == (1, 1))
        XCTAssertTrue(TextBuffer(text: "王小明").cursorPosition(width: 6) == (1, 2))

        var typing = TextBuffer()
        type("Zoë Łukasz", into: &typing)
        XCTAssertTrue(typing.cursorPosition(width: 11) == (0, 10))
        type(" ", into: &typing)
        XCTAssertTrue(typing.cursorPosition(width: 11) == (0, 10), "a hanging space stays inside the area")
        type("W", into: &typing)
        XCTAssertTrue(typing.cursorPosition(width: 11) == (1, 1))
    }

    func testViewportScrollsOnlyToKeepTheCursorVisible() {
        var buffer = TextBuffer(text: (1...10).map(String.init).joined(separator: "\n"))
        var view = buffer.viewport(width: 10, height: 3, scrollTop: 0)
        XCTAssertEqual(view.scrollTop, 7)
        XCTAssertEqual(view.lines.map(\.text), ["8", "9", "10"])
        XCTAssertEqual(view.cursorRow, 2)
        XCTAssertEqual(view.cursorColumn, 2)
        XCTAssertEqual(view.totalLines, 10)

        buffer.moveToStart()
        view = buffer.viewport(width: 10, height: 3, scrollTop: view.scrollTop)
        XCTAssertEqual(view.scrollTop, 0)
        XCTAssertEqual(view.cursorRow, 0)

        buffer.moveDown(width: 10)
        buffer.moveDown(width: 10)
        XCTAssertEqual(buffer.viewport(width: 10, height: 3, scrollTop: 0).scrollTop, 0, "still on screen")
        buffer.moveDown(width: 10)
        view = buffer.viewport(width: 10, height: 3, scrollTop: 0)
        XCTAssertEqual(view.scrollTop, 1)
        XCTAssertEqual(view.cursorRow, 2)
        XCTAssertEqual(buffer.scrollTop(keepingCursorVisibleFrom: 0, width: 10, height: 3), 1)
        XCTAssertEqual(buffer.visibleLines(width: 10, height: 3, scrollTop: 1).map(\.text), ["2", "3", "4"])

        // Text shorter than the area never stays scrolled.
        XCTAssertEqual(TextBuffer(text: "one\ntwo").viewport(width: 10, height: 5, scrollTop: 4).scrollTop, 0)
    }
}
