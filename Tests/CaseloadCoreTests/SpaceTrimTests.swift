import Foundation
import XCTest
@testable import CaseloadCore

/// The importers' trimming must be exactly Foundation's `trimmingCharacters(in: .whitespaces)`.
final class SpaceTrimTests: XCTestCase {
    func testTheSameAsFoundationOnEveryKindOfSpace() {
        let pieces = ["a", "Z", "1", " ", "  ", "\t", "\n", "\r\n", "\u{A0}", "\u{2003}", "\u{3000}", "\u{200B}", "\u{FEFF}", "é", "e\u{301}", "\u{301}",
                      "王", "👍🏽", ",", "\u{0}", "\u{7F}", "\u{1680}", "\u{202F}", "\u{85}"]
        var rng = SeededRandom(seed: 8)
        var cases = ["", " ", "\t", "  x  ", "x", " \u{A0}x\u{3000} ", "\u{A0}", "a b", "\tMrs Begum\t"]
        for _ in 0..<5000 { cases.append((0..<rng.int(0...7)).map { _ in rng.pick(pieces) }.joined()) }
        for c in cases {
            XCTAssertEqual(SpaceTrim.trimmed(c), c.trimmingCharacters(in: .whitespaces), c.debugDescription)
            let sub = c.dropFirst()
            XCTAssertEqual(SpaceTrim.trimmed(sub), sub.trimmingCharacters(in: .whitespaces), "substring of \(c.debugDescription)")
        }
    }
}
