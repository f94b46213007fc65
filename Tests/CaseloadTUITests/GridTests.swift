@testable import CaseloadTUI
import XCTest

final class GridTests: XCTestCase {
    func testWideCharactersTakeTwoCellsAndLineUp() {
        var g = Grid(width: 12, height: 2)
        g.put("王小明|", x: 0, y: 0)
        g.put("Zoë Ł|", x: 0, y: 1)
        XCTAssertEqual(g.rowText(0), "王小明|")
        XCTAssertTrue(g[1, 0].isContinuation)
        XCTAssertEqual(g[6, 0].grapheme, "|")
        XCTAssertEqual(g[5, 1].grapheme, "|")
    }

    func testCombiningMarksStayWithTheirLetter() {
        var g = Grid(width: 10, height: 1)
        let written = g.put("Sio\u{0062}ha\u{0301}n", x: 0, y: 0)
        XCTAssertEqual(written, 7)
        XCTAssertEqual(g[5, 0].grapheme, "a\u{0301}")
    }

    func testAWideCharacterThatDoesNotFitIsLeftOut() {
        var g = Grid(width: 5, height: 1)
        XCTAssertEqual(g.put("ab王小", x: 0, y: 0), 4)
        XCTAssertEqual(g.rowText(0), "ab王")
        XCTAssertFalse(g[4, 0].isContinuation)
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var g = Grid(width: 6, height: 1)
        g.put("王小", x: 0, y: 0)
        g.put("x", x: 1, y: 0)
        XCTAssertEqual(g.rowText(0), " x小")
        g.put("y", x: 2, y: 0)
        XCTAssertEqual(g.rowText(0), " xy")
    }

    func testLineTruncatesWithAnEllipsis() {
        var g = Grid(width: 10, height: 1)
        g.line("Tadeusz Wiśniewski", in: g.area)
        XCTAssertEqual(g.rowText(0), "Tadeusz W…")
    }

    func testDrawingOutsideTheGridIsHarmless() {
        var g = Grid(width: 3, height: 1)
        g.put("hello", x: -2, y: 0)
        g.put("x", x: 5, y: 0)
        g.put("x", x: 0, y: 7)
        g.fill(Rect(x: -5, y: -5, width: 100, height: 100))
        XCTAssertEqual(g.text, "")
    }
}
