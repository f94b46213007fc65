import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// The one-line input every field, filter and search types into.
final class TextInputTests: XCTestCase {
    func testTheCursorMovesByWholeCharactersAndACombiningMarkJoinsItsLetter() {
        var t = TextInput("🇬🇧 Cafe")
        XCTAssertEqual(t.cursor, 6)
        t.insert("\u{301}")
        XCTAssertEqual(t.text, "🇬🇧 Café")
        XCTAssertEqual(t.cursor, 6, "é is one character")
        t.moveToStart()
        t.deleteForward()
        XCTAssertEqual(t.text, " Café", "the whole flag went")
        t.moveToEnd()
        t.deleteBackward()
        XCTAssertEqual(t.text, " Caf")
        t.move(by: -10)
        XCTAssertEqual(t.cursor, 0)
        t.insert("À ")
        XCTAssertEqual(t.beforeCursor, "À ")
        XCTAssertEqual(t.afterCursor, " Caf")
    }

    func testWordsAreTheNoteEditorsWordsSoOBrienIsOne() {
        var t = TextInput("ring Mrs O'Brien back")
        t.moveWordLeft()
        XCTAssertEqual(t.afterCursor, "back")
        t.moveWordLeft()
        XCTAssertEqual(t.afterCursor, "O'Brien back")
        t.moveWordRight()
        XCTAssertEqual(t.beforeCursor, "ring Mrs O'Brien")
        t.deleteWordBackward()
        XCTAssertEqual(t.text, "ring Mrs  back")
        XCTAssertEqual(t.cursor, 9)
    }

    func testReplacingKeepsTheCursorInsideTheNewText() {
        var t = TextInput("2026-11-30")
        t.replace(with: "")
        XCTAssertEqual(t.cursor, 0)
        t.deleteBackward()
        t.insert("x")
        XCTAssertEqual(t.text, "x")
    }

    func testAFieldsKindReadsItsTextAndSaysWhatIsWrong() {
        let asOf = Day("2026-11-30")!
        var date = FormField(key: "due", label: "Due", value: "31/12/2026", kind: .date)
        XCTAssertEqual(date.day, Day("2026-12-31"))
        XCTAssertNil(date.problem(asOf: asOf))
        date.value = "12/31/2026"
        XCTAssertEqual(date.problem(asOf: asOf), "not a date: write YYYY-MM-DD or DD/MM/YYYY, e.g. 2026-11-30", "day first, never month first")
        let score = FormField(key: "score", label: "Progress", value: "11", kind: .number(0...10))
        XCTAssertEqual(score.problem(asOf: asOf), "must be a whole number from 0 to 10")
        XCTAssertEqual(FormField(key: "score", label: "Progress", kind: .number(0...10)).missingProblem, "a number from 0 to 10 is needed")
        var choice = FormField(key: "kind", label: "Kind", value: "phone", choices: ["phone", "visit"])
        choice.insert("x")
        XCTAssertEqual(choice.value, "phone", "nothing is typed into a choice")
        choice.cycle(1)
        XCTAssertEqual(choice.value, "visit")
    }
}
