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

    /// Names in every script and emoji class keep every code point, take the columns the
    /// terminal draws (no cap at two), and the column after them starts where it should.
    func testEveryNameIsDrawnWholeAndTheNextColumnLinesUp() {
        let names: [(String, Int)] = [
            ("नेहा शर्मा", 8), ("বাংলা", 5), ("தமிழ் செல்வி", 10), ("\u{1100}\u{1161}\u{11A8} 민준", 7),
            ("فاطمة الزهراء", 13), ("עברית כהן", 9), ("王小明", 6), ("❤️ ☺️ ✌️", 5), ("1️⃣ #⃣", 3),
            ("👍🏽 👋🏿", 9), ("👨‍👩‍👧‍👦 🏳️‍🌈", 4), ("🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴󠁧󠁢󠁷󠁬󠁳󠁿 🇬🇧", 11),
        ]
        var g = Grid(width: 20, height: names.count)
        for (y, (name, width)) in names.enumerated() {
            XCTAssertEqual(g.put(name, x: 0, y: y), width, name)
            g.put("|", x: 16, y: y)
            XCTAssertEqual(g.rowText(y), name + String(repeating: " ", count: 16 - width) + "|", name)
            // Every cell of a wide cluster after its first is a continuation, never drawn itself.
            let cells = (0..<width).filter { !g[$0, y].isContinuation }.count
            XCTAssertEqual(cells, name.count, name)
        }
    }

    func testOverwritingAnyPartOfAWideClusterBlanksAllOfIt() {
        var g = Grid(width: 8, height: 1)
        g.put("a👍🏽b", x: 0, y: 0)
        XCTAssertEqual(g.rowText(0), "a👍🏽b")
        g.put("x", x: 3, y: 0)
        XCTAssertEqual(g.rowText(0), "a  x b")
        XCTAssertFalse((0..<8).contains { g[$0, 0].isContinuation })
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

final class ASCIIFallbackTests: XCTestCase {
    /// Where the locale cannot show ▶ • … ▲ ▼, the same screen in ASCII, columns unchanged.
    func testTheSymbolsBecomeASCIIOfTheSameWidth() {
        var s = Fixture.app(width: 80, height: 24)
        send(&s, .key(.char("f")))
        let g = view(s)
        let ascii = g.withASCIIFallback()
        XCTAssertTrue(g.text.contains("▶"))
        for symbol in ["▶", "•", "…", "▲", "▼", "↑", "↓"] { XCTAssertFalse(ascii.text.contains(symbol), symbol) }
        XCTAssertTrue(ascii.text.contains("> Rahima Begum"), ascii.text)
        XCTAssertTrue(ascii.text.contains("* due today"), ascii.text)
        XCTAssertTrue(ascii.text.contains("王小明") || !g.text.contains("王小明"), "names are left alone")
        for y in 0..<g.height { XCTAssertEqual(DisplayWidth.of(ascii.rowText(y)), DisplayWidth.of(g.rowText(y))) }
    }
}
