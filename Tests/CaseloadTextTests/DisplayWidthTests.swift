import XCTest
import CaseloadText

final class DisplayWidthTests: XCTestCase {
    func testNamesTakeTheColumnsTheTerminalDraws() {
        XCTAssertEqual(displayWidth(of: "Zoë Łukasz 王小明"), 17)
        XCTAssertEqual(displayWidth(of: "Tadeusz Wiśniewski"), 18)
        XCTAssertEqual(displayWidth(of: "Siobhán Ní Bhriain"), 18)
        XCTAssertEqual(displayWidth(of: "فاطمة الزهراء"), 13)
        // The virama (্) is a combining mark: zero columns.
        XCTAssertEqual(displayWidth(of: "রহিম উদ্দিন"), 10)
    }

    func testCJKIsTwoColumnsPerCharacter() {
        XCTAssertEqual(displayWidth(of: "王" as Character), 2)
        XCTAssertEqual(displayWidth(of: "王小明"), 6)
        XCTAssertEqual(displayWidth(of: "김민준"), 6)
        XCTAssertEqual(displayWidth(of: "ＡＢ"), 4, "fullwidth Latin")
    }

    /// Widths as tmux 3.3 draws them (each sample printed to it and the cursor column read
    /// back; `TerminalEndToEndTests.testWidthsAreWhatTmuxDraws` checks this against tmux):
    /// the sum of the scalars' widths, a scalar after a ZWJ joining the glyph before it.
    func testEmojiAreMeasuredAsTheTerminalDrawsThem() {
        XCTAssertEqual(displayWidth(of: "🙂" as Character), 2)
        XCTAssertEqual(displayWidth(of: "👩‍👩‍👧" as Character), 2, "ZWJ family")
        XCTAssertEqual(displayWidth(of: "👨‍👩‍👧‍👦" as Character), 2, "ZWJ family of four")
        XCTAssertEqual(displayWidth(of: "🇬🇧" as Character), 2, "flag")
        XCTAssertEqual(displayWidth(of: "🏴󠁧󠁢󠁥󠁮󠁧󠁿" as Character), 2, "England: black flag and tags")
        XCTAssertEqual(displayWidth(of: "👍🏽" as Character), 4, "skin tone: two wide scalars")
        XCTAssertEqual(displayWidth(of: "❤️" as Character), 1, "text-default heart with VS16")
        XCTAssertEqual(displayWidth(of: "☺️" as Character), 1)
        XCTAssertEqual(displayWidth(of: "✌️" as Character), 1)
        XCTAssertEqual(displayWidth(of: "1️⃣" as Character), 1, "keycap")
        XCTAssertEqual(displayWidth(of: "#⃣" as Character), 1, "keycap without VS16")
        XCTAssertEqual(displayWidth(of: "🏳️‍🌈" as Character), 1, "white flag, then the rainbow joined")
        XCTAssertEqual(displayWidth(of: "🫨" as Character), 2, "newer than the C library's tables")
        XCTAssertEqual(displayWidth(of: "Mood 🙂 👩‍👩‍👧 🇬🇧"), 13)
    }

    func testIndicClustersKeepTheColumnsOfTheirSpacingSigns() {
        XCTAssertEqual(displayWidth(of: "नेहा शर्मा"), 8, "the ा of शर्मा takes a column")
        XCTAssertEqual(displayWidth(of: "मा" as Character), 2, "one cluster, two columns")
        XCTAssertEqual(displayWidth(of: "বাংলা"), 5)
        XCTAssertEqual(displayWidth(of: "தமிழ்"), 4)
        XCTAssertEqual(displayWidth(of: "العربية"), 7)
        XCTAssertEqual(displayWidth(of: "עברית"), 5)
    }

    func testCursesIsGivenOnlyClustersItCanHoldInACell() {
        XCTAssertTrue(cursesCanHold("a"))
        XCTAssertTrue(cursesCanHold("王"))
        XCTAssertTrue(cursesCanHold("मा"), "curses splits it into the cells the terminal draws")
        XCTAssertTrue(cursesCanHold("1️⃣"))
        XCTAssertFalse(cursesCanHold("👨‍👩‍👧‍👦"), "curses would count 8 columns, tmux draws 2")
        XCTAssertFalse(cursesCanHold("🏴󠁧󠁢󠁳󠁣󠁴󠁿"), "six tags: more marks than a curses cell holds")
        XCTAssertFalse(cursesCanHold("\u{1100}\u{1161}\u{11A8}"), "marks on a wide base are lost by curses")
    }

    func testCombiningMarksTakeNoColumn() {
        let decomposed: Character = "e\u{301}"
        XCTAssertEqual(displayWidth(of: decomposed), 1)
        XCTAssertEqual(displayWidth(of: "Zoe\u{308} Jose\u{301}"), 8)
        XCTAssertEqual(displayWidth(of: "\u{1100}\u{1161}\u{11A8}" as Character), 2, "Hangul jamo")
    }

    func testControlCharactersAreZeroNeverNegative() {
        XCTAssertEqual(displayWidth(of: "\t" as Character), 0)
        XCTAssertEqual(displayWidth(of: "\n" as Character), 0)
        XCTAssertEqual(displayWidth(of: "\r\n" as Character), 0)
        XCTAssertEqual(displayWidth(of: "\u{1B}" as Character), 0)
        XCTAssertEqual(displayWidth(of: "\u{85}" as Character), 0)
        XCTAssertEqual(displayWidth(of: "\u{200B}" as Character), 0, "zero-width space")
        XCTAssertEqual(displayWidth(of: "a\tb"), 2)
    }

    func testEnsureLocaleReportsAWorkingLocale() {
        XCTAssertTrue(ensureUTF8CharacterLocale())
    }

    // MARK: Truncation and padding

    func testTruncateLeavesTextThatFits() {
        XCTAssertEqual(truncate("Zoë Łukasz 王小明", toWidth: 17), "Zoë Łukasz 王小明")
        XCTAssertEqual(truncate("Zoë", toWidth: 10), "Zoë")
        XCTAssertEqual(truncate("Zoë", toWidth: 0), "")
    }

    func testTruncateOnAWideCharacterBoundaryPadsWithASpace() {
        // 王 would need columns 12 and 13: it is left out and a space keeps the width at 12.
        XCTAssertEqual(truncate("Zoë Łukasz 王小明", toWidth: 12), "Zoë Łukasz  ")
        XCTAssertEqual(truncate("王小明", toWidth: 5), "王小 ")
        XCTAssertEqual(truncate("王小明", toWidth: 1), " ")
        XCTAssertEqual(truncate("🇬🇧🇬🇧", toWidth: 3), "🇬🇧 ")
        XCTAssertEqual(displayWidth(of: truncate("Zoë Łukasz 王小明", toWidth: 14)), 14)
    }

    func testTruncateNeverSplitsAGraphemeCluster() {
        XCTAssertEqual(truncate("Jose\u{301}phine", toWidth: 4), "Jose\u{301}")
        XCTAssertEqual(truncate("a👩‍👩‍👧b", toWidth: 3), "a👩‍👩‍👧")
        XCTAssertEqual(truncate("a👩‍👩‍👧b", toWidth: 2), "a ")
    }

    func testTruncateWithEllipsis() {
        XCTAssertEqual(truncate("Siobhán Ní Bhriain", toWidth: 10, ellipsis: true), "Siobhán N…")
        XCTAssertEqual(truncate("王小明", toWidth: 4, ellipsis: true), "王… ")
        XCTAssertEqual(truncate("Siobhán", toWidth: 1, ellipsis: true), "…")
        XCTAssertEqual(truncate("Siobhán", toWidth: 7, ellipsis: true), "Siobhán")
    }

    func testPadAndFit() {
        XCTAssertEqual(pad("王", toWidth: 4), "王  ")
        XCTAssertEqual(pad("王", toWidth: 4, alignment: .trailing), "  王")
        XCTAssertEqual(pad("王", toWidth: 5, alignment: .center), " 王  ")
        XCTAssertEqual(pad("王小明", toWidth: 4), "王小明", "pad never cuts")
        XCTAssertEqual(fit("王小明", toWidth: 4), "王小")
        XCTAssertEqual(fit("Zoë", toWidth: 5, alignment: .trailing), "  Zoë")
    }

    func testColumnsLineUpInATableOfMixedScripts() {
        let names = [
            "Zoë Łukasz 王小明", "Tadeusz Wiśniewski", "Siobhán Ní Bhriain", "فاطمة الزهراء",
            "রহিম উদ্দিন", "王小明王小明王小明", "Amy 🙂", "Family 👩‍👩‍👧", "José\u{301}",
        ]
        let rows = names.map { fit($0, toWidth: 15, ellipsis: true) + "|" + "1 Jan" }
        for row in rows {
            // The separator is always in column 15, whatever the script of the name before it.
            let separator = row.firstIndex(of: "|")!
            XCTAssertEqual(displayWidth(of: String(row[..<separator])), 15, row)
        }
        XCTAssertEqual(rows[0], "Zoë Łukasz 王… |1 Jan")
        XCTAssertEqual(rows[5], "王小明王小明王…|1 Jan")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

final class LocaleTests: XCTestCase {
    /// The terminal code calls `setlocale(LC_ALL, "")`; under LANG=C that would leave `wcwidth`
    /// unable to measure 王. Widths must still come out right.
    func testWidthsSurviveALocaleResetToC() {
        _ = displayWidth(of: "王")
        setlocale(LC_CTYPE, "C")
        XCTAssertEqual(displayWidth(of: "Zoë Łukasz 王小明"), 17)
        XCTAssertTrue(ensureUTF8CharacterLocale())
    }
}
