import XCTest
import CaseloadText

/// Types `text` one key press at a time, as the terminal delivers it.
func type(_ text: String, into buffer: inout TextBuffer) {
    for character in text {
        buffer.insert(String(character))
    }
}

final class TextBufferEditingTests: XCTestCase {
    func testTextFromOutsideReplacesEverythingAsOneUndoStep() {
        var buffer = TextBuffer()
        type("Siobhán rang", into: &buffer)
        buffer.replaceAll(with: "Siobhán rang about the gas bill.\r\n\r\nSecond paragraph: 王小明 🙂\n")
        XCTAssertEqual(buffer.text, "Siobhán rang about the gas bill.\n\nSecond paragraph: 王小明 🙂\n")
        XCTAssertEqual(buffer.cursor, buffer.characters.count)
        buffer.undo()
        XCTAssertEqual(buffer.text, "Siobhán rang", "the typing from before $EDITOR comes back")
        buffer.undo()
        XCTAssertEqual(buffer.text, "")
        buffer.redo()
        buffer.redo()
        XCTAssertTrue(buffer.text.hasSuffix("🙂\n"))
    }

    func testTypedCharactersAreOneUndoStep() {
        var buffer = TextBuffer()
        type("Rang Zoë", into: &buffer)
        XCTAssertEqual(buffer.text, "Rang Zoë")
        XCTAssertEqual(buffer.cursor, 8)
        buffer.undo()
        XCTAssertEqual(buffer.text, "")
        XCTAssertEqual(buffer.cursor, 0)
        buffer.redo()
        XCTAssertEqual(buffer.text, "Rang Zoë")
        XCTAssertEqual(buffer.cursor, 8)
    }

    func testANewlineEndsTheTypingStep() {
        var buffer = TextBuffer()
        type("ab\rcd", into: &buffer)  // Enter arrives from the terminal as "\r"
        XCTAssertEqual(buffer.text, "ab\ncd")
        buffer.undo()
        XCTAssertEqual(buffer.text, "ab\n")
        buffer.undo()
        XCTAssertEqual(buffer.text, "ab")
        buffer.undo()
        XCTAssertEqual(buffer.text, "")
        XCTAssertFalse(buffer.canUndo)
    }

    func testACursorMoveEndsTheTypingStep() {
        var buffer = TextBuffer()
        type("ab", into: &buffer)
        buffer.moveLeft()
        type("x", into: &buffer)
        XCTAssertEqual(buffer.text, "axb")
        XCTAssertEqual(buffer.cursor, 2)
        buffer.undo()
        XCTAssertEqual(buffer.text, "ab")
        XCTAssertEqual(buffer.cursor, 1, "undo puts the cursor back where the step started")
        buffer.undo()
        XCTAssertEqual(buffer.text, "")
    }

    func testAPasteIsOneUndoStepOfItsOwn() {
        var buffer = TextBuffer()
        type("Note: ", into: &buffer)
        buffer.insert("Rang Siobhán Ní Bhriain.\r\nBooked\tgarden group 🙂")
        type("!", into: &buffer)
        XCTAssertEqual(buffer.text, "Note: Rang Siobhán Ní Bhriain.\nBooked    garden group 🙂!")
        buffer.undo()
        XCTAssertEqual(buffer.text, "Note: Rang Siobhán Ní Bhriain.\nBooked    garden group 🙂")
        buffer.undo()
        XCTAssertEqual(buffer.text, "Note: ")
        XCTAssertEqual(buffer.cursor, 6)
        buffer.redo()
        XCTAssertEqual(buffer.text, "Note: Rang Siobhán Ní Bhriain.\nBooked    garden group 🙂")
        XCTAssertEqual(buffer.cursor, buffer.characters.count)
    }

    func testPasteOfOneCharacterIsStillItsOwnStep() {
        var buffer = TextBuffer()
        type("ab", into: &buffer)
        buffer.paste("c")
        type("d", into: &buffer)
        buffer.undo()
        buffer.undo()
        XCTAssertEqual(buffer.text, "ab")
    }

    func testControlCharactersInAPasteAreDropped() {
        var buffer = TextBuffer()
        buffer.insert("a\u{1B}b\u{7}c")
        XCTAssertEqual(buffer.text, "abc")
        buffer.insert("\u{1B}")
        XCTAssertEqual(buffer.text, "abc")
        XCTAssertEqual(TextBuffer(text: "x\r\ny\tz").text, "x\ny    z")
    }

    func testUndoAndRedo() {
        var buffer = TextBuffer()
        type("Zoë\n王", into: &buffer)
        buffer.undo()
        buffer.undo()
        XCTAssertEqual(buffer.text, "Zoë")
        XCTAssertTrue(buffer.canRedo)
        buffer.redo()
        XCTAssertEqual(buffer.text, "Zoë\n")
        buffer.redo()
        XCTAssertEqual(buffer.text, "Zoë\n王")
        XCTAssertFalse(buffer.canRedo)
        buffer.undo()
        type("x", into: &buffer)
        XCTAssertFalse(buffer.canRedo, "a new edit forgets what was undone")
        XCTAssertEqual(buffer.text, "Zoë\nx")
        buffer.undo()
        buffer.redo()
        buffer.redo()
        XCTAssertEqual(buffer.text, "Zoë\nx")
    }

    func testBackspaceAndDeleteRemoveWholeClusters() {
        var buffer = TextBuffer(text: "a👩‍👩‍👧e\u{301}🇬🇧")
        XCTAssertEqual(buffer.characters.count, 4)
        buffer.backspace()
        XCTAssertEqual(buffer.text, "a👩‍👩‍👧e\u{301}")
        buffer.backspace()
        XCTAssertEqual(buffer.text, "a👩‍👩‍👧")
        buffer.moveLeft()
        buffer.deleteForward()
        XCTAssertEqual(buffer.text, "a")
        XCTAssertEqual(buffer.cursor, 1)
        buffer.backspace()
        buffer.backspace()
        XCTAssertEqual(buffer.text, "")
    }

    func testConsecutiveBackspacesAreOneUndoStep() {
        var buffer = TextBuffer(text: "Tadeusz")
        buffer.backspace()
        buffer.backspace()
        buffer.backspace()
        XCTAssertEqual(buffer.text, "Tade")
        buffer.undo()
        XCTAssertEqual(buffer.text, "Tadeusz")
        XCTAssertEqual(buffer.cursor, 7)
    }

    func testDeleteWordBackward() {
        var buffer = TextBuffer(text: "Rang Tadeusz Wiśniewski")
        buffer.deleteWordBackward()
        XCTAssertEqual(buffer.text, "Rang Tadeusz ")
        buffer.deleteWordBackward()
        XCTAssertEqual(buffer.text, "Rang ")
        buffer.undo()
        XCTAssertEqual(buffer.text, "Rang Tadeusz ")
    }

    func testACombiningMarkTypedAfterALetterJoinsIt() {
        var buffer = TextBuffer()
        type("Zoe", into: &buffer)
        buffer.insert("\u{308}")
        XCTAssertEqual(buffer.text, "Zoe\u{308}")
        XCTAssertEqual(buffer.characters.count, 3)
        XCTAssertEqual(buffer.characters.last, "e\u{308}")
        XCTAssertEqual(buffer.cursor, 3)
        XCTAssertEqual(buffer.cursorPosition(width: 20).col, 3)
        buffer.moveLeft()
        XCTAssertEqual(buffer.cursor, 2, "one step left goes over the whole ë")
        XCTAssertEqual(buffer.cursorPosition(width: 20).col, 2)
    }

    func testACombiningMarkInTheMiddleJoinsTheLetterBeforeIt() {
        var buffer = TextBuffer(text: "Rene Smith", cursor: 4)
        buffer.insert("\u{301}")
        XCTAssertEqual(buffer.text, "Rene\u{301} Smith")
        XCTAssertEqual(buffer.characters.count, 10)
        XCTAssertEqual(buffer.cursor, 4)
        buffer.undo()
        XCTAssertEqual(buffer.text, "Rene Smith")
        XCTAssertEqual(buffer.characters.count, 10)
    }

    func testUndoingAJoinedMarkRestoresTheBareLetter() {
        var buffer = TextBuffer()
        type("Zoe", into: &buffer)
        buffer.moveLeft()
        buffer.moveRight()
        buffer.insert("\u{308}")
        buffer.undo()
        XCTAssertEqual(buffer.text, "Zoe")
        XCTAssertEqual(buffer.characters, ["Z", "o", "e"])
        XCTAssertEqual(buffer.cursor, 3)
    }

    func testRegionalIndicatorsTypedOneByOneBecomeAFlag() {
        var buffer = TextBuffer()
        buffer.insert("🇬")
        buffer.insert("🇧")
        XCTAssertEqual(buffer.characters, ["🇬🇧"])
        XCTAssertEqual(buffer.cursor, 1)
        XCTAssertEqual(buffer.cursorPosition(width: 10).col, 2)
        buffer.backspace()
        XCTAssertEqual(buffer.text, "")
    }

    func testDeletingALineBreakJoinsAStrayMarkToTheLetterBeforeIt() {
        var buffer = TextBuffer(text: "x\n\u{301}y", cursor: 2)
        XCTAssertEqual(buffer.characters.count, 4)
        buffer.backspace()
        XCTAssertEqual(buffer.characters, ["x\u{301}", "y"])
        XCTAssertEqual(buffer.cursor, 1)
    }

    func testCharactersAlwaysMatchTheTextsOwnClusters() {
        var buffer = TextBuffer(text: "🇬🇧🇫🇷🇩🇪", cursor: 1)
        buffer.insert("🇮")
        XCTAssertEqual(buffer.characters, Array(buffer.text))
        buffer.backspace()
        XCTAssertEqual(buffer.characters, Array(buffer.text))
        buffer.moveToStart()
        buffer.insert("\u{301}")
        buffer.insert("\u{200D}")
        buffer.moveToEnd()
        buffer.insert("\u{200D}")
        buffer.insert("👧")
        XCTAssertEqual(buffer.characters, Array(buffer.text))
        buffer.undo()
        buffer.undo()
        XCTAssertEqual(buffer.characters, Array(buffer.text))
        XCTAssertTrue(buffer.cursor <= buffer.characters.count)
    }

    func testRevisionCountsChangesToTheText() {
        var buffer = TextBuffer(text: "ab")
        XCTAssertEqual(buffer.revision, 0)
        buffer.insert("c")
        XCTAssertEqual(buffer.revision, 1)
        buffer.moveLeft()
        XCTAssertEqual(buffer.revision, 1)
        buffer.undo()
        XCTAssertEqual(buffer.revision, 2)
        buffer.backspace()
        buffer.insert("")
        XCTAssertEqual(buffer.revision, 3)
    }
}
