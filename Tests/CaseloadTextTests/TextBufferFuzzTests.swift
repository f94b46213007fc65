import XCTest
import CaseloadText

/// Random key presses over text full of clusters that join and split (combining marks,
/// regional indicators, ZWJ, wide characters), checking what must always hold.
final class TextBufferFuzzTests: XCTestCase {
    func testRandomEditingKeepsClustersAndUndoesToTheStart() {
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(bound))
        }
        let pieces = ["e", "\u{301}", "\u{308}", "🇬", "🇧", "\u{200D}", "👩", "王", " ", "Ł", "\n", "Ní ", "🙂\u{FE0F}"]

        for round in 0..<40 {
            let start = "Zoë 王\nSiobhán 🇬🇧"
            var buffer = TextBuffer(text: start, cursor: next(start.count + 1))
            for _ in 0..<60 {
                switch next(12) {
                case 0, 1, 2, 3: buffer.insert(pieces[next(pieces.count)])
                case 4: buffer.paste(pieces[next(pieces.count)] + pieces[next(pieces.count)])
                case 5: buffer.backspace()
                case 6: buffer.deleteForward()
                case 7: buffer.moveLeft()
                case 8: buffer.moveRight()
                case 9: buffer.moveUp(width: 1 + next(12))
                case 10: buffer.moveDown(width: 1 + next(12))
                default: buffer.newline()
                }
                XCTAssertEqual(buffer.characters, Array(buffer.text), "round \(round)")
                XCTAssertTrue((0...buffer.characters.count).contains(buffer.cursor), "round \(round)")
            }
            let end = buffer.text
            while buffer.canUndo { buffer.undo() }
            XCTAssertEqual(buffer.text, start, "round \(round)")
            while buffer.canRedo { buffer.redo() }
            XCTAssertEqual(buffer.text, end, "round \(round)")
        }
    }
}
