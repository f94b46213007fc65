import XCTest
import CaseloadText

final class WordWrapTests: XCTestCase {
    let note = "Siobhán Ní Bhriain rang about the Wiśniewski garden group.\n\nŁukasz will call on Tuesday."

    func testTwoParagraphNoteWrapsAtSpacesAndKeepsTheBlankLine() {
        let lines = wordWrap(note, width: 20)
        XCTAssertEqual(lines.map(\.text), [
            "Siobhán Ní Bhriain",
            "rang about the",
            "Wiśniewski garden",
            "group.",
            "",
            "Łukasz will call on",
            "Tuesday.",
        ])
        XCTAssertEqual(lines.map(\.endsParagraph), [false, false, false, true, true, false, true])
        XCTAssertTrue(lines.allSatisfy { $0.width <= 20 })
    }

    func testRangesMapLinesBackToTheText() {
        let characters = Array(note)
        let lines = wordWrap(note, width: 20)
        XCTAssertEqual(lines.map(\.range), [0..<19, 19..<34, 34..<52, 52..<58, 59..<59, 60..<80, 80..<88])
        XCTAssertEqual(characters.count, 88)
        // A wrapped line's range keeps the space it broke at, so the next line starts right after.
        XCTAssertEqual(String(characters[lines[0].range]), "Siobhán Ní Bhriain ")
        XCTAssertEqual(characters[58], "\n")
    }

    func testWordsLongerThanTheWidthAreBrokenBetweenGraphemes() {
        XCTAssertEqual(wordWrap("Wiśniewski", width: 4).map(\.text), ["Wiśn", "iews", "ki"])
        XCTAssertEqual(wordWrap("to Wiśniewski", width: 4).map(\.text), ["to", "Wiśn", "iews", "ki"])
        XCTAssertEqual(wordWrap("Jose\u{301}phine", width: 4).map(\.text), ["Jose\u{301}", "phin", "e"])
    }

    func testWideCharactersWrapByColumns() {
        let lines = wordWrap("王小明王小明", width: 5)
        XCTAssertEqual(lines.map(\.text), ["王小", "明王", "小明"])
        XCTAssertEqual(lines.map(\.range), [0..<2, 2..<4, 4..<6])
        XCTAssertEqual(lines.map(\.width), [4, 4, 4])
        XCTAssertEqual(wordWrap("Zoë 王小明", width: 5).map(\.text), ["Zoë", "王小", "明"])
        XCTAssertEqual(wordWrap("🙂 🙂 🙂", width: 5).map(\.text), ["🙂 🙂", "🙂"])
        // A character wider than the whole line still gets a line of its own.
        XCTAssertEqual(wordWrap("王小", width: 1).map(\.text), ["王", "小"])
    }

    func testEdgeCases() {
        XCTAssertEqual(wordWrap("", width: 10).map(\.range), [0..<0])
        XCTAssertEqual(wordWrap("one\n", width: 10).map(\.range), [0..<3, 4..<4])
        XCTAssertEqual(wordWrap("\n\n", width: 10).map(\.range), [0..<0, 1..<1, 2..<2])
        XCTAssertEqual(wordWrap("  indented", width: 20).map(\.text), ["  indented"])
        XCTAssertEqual(wordWrap("a    b", width: 3).map(\.text), ["a", "b"])
        XCTAssertEqual(wordWrap("a\r\nb", width: 3).map(\.range), [0..<1, 2..<3])
        XCTAssertEqual(wordWrap("no\u{A0}break", width: 5).map(\.text), ["no\u{A0}br", "eak"])
    }

    func testLinesOfAParagraphCoverItWithoutGaps() {
        let text = String(repeating: "Tadeusz Wiśniewski 王小明 🇬🇧 ", count: 5)
        for width in 1...30 {
            let lines = wordWrap(text, width: width)
            XCTAssertEqual(lines.first?.range.lowerBound, 0)
            XCTAssertEqual(lines.last?.range.upperBound, Array(text).count)
            for (a, b) in zip(lines, lines.dropFirst()) {
                XCTAssertEqual(a.range.upperBound, b.range.lowerBound, "width \(width)")
            }
            for line in lines where line.text.count > 1 {
                XCTAssertLessThanOrEqual(line.width, width)
            }
        }
    }
}
