@testable import CaseloadConfig
import CaseloadCore
import Foundation
import XCTest

final class ConfigTests: XCTestCase {
    private func problem(_ text: String) -> String {
        do {
            _ = try ConfigFile.parse(text, file: "config.toml")
            return "(accepted)"
        } catch {
            return error.description
        }
    }

    func testEveryKeyReads() throws {
        let s = try ConfigFile.parse("""
        theme = "high-contrast"
        mouse = false
        sender_name = "Amira Haddad"
        sender_role = "Link worker"
        sender_organisation = "Leeds North PCN"
        sender_contact = "0113 496 0000"
        missed_contacts_for_review = 2
        response_deadline_days = 10
        """, file: "config.toml")
        XCTAssertEqual(s.theme, "high-contrast")
        XCTAssertFalse(s.mouse)
        XCTAssertEqual(s.sender, GPSummary.SenderConfig(name: "Amira Haddad", role: "Link worker", organisation: "Leeds North PCN", contact: "0113 496 0000"))
        XCTAssertEqual(s.missedContactsForReview, 2)
        XCTAssertEqual(s.responseDeadlineDays, 10)
    }

    func testAnEmptyOrMissingFileGivesEveryDefault() throws {
        XCTAssertEqual(try ConfigFile.parse("# nothing yet\n", file: "config.toml"), CaseloadSettings())
        let none = FileManager.default.temporaryDirectory.appendingPathComponent("no-config-\(UUID().uuidString.prefix(8))")
        XCTAssertEqual(try ConfigFile.load(environment: ["XDG_CONFIG_HOME": none.path]), CaseloadSettings())
        XCTAssertTrue(CaseloadSettings().mouse)
        XCTAssertEqual(CaseloadSettings().missedContactsForReview, RuleContext.defaultReviewAfterMissed)
    }

    func testAMisspeltBooleanIsRefusedWithFileAndLine() {
        // The old reader read `mouse = flase` as "not false", so the mouse stayed on.
        let p = problem("theme = \"default\"\nmouse = flase\n")
        XCTAssertTrue(p.hasPrefix("config.toml:2:"), p)
        XCTAssertEqual(problem("theme = \"default\"\n\nmouse = \"no\"\n"), "config.toml:3: mouse must be true or false")
    }

    func testAKeyGivenTwiceIsRefused() {
        // The old reader kept the first and ignored the second without a word.
        let p = problem("theme = \"default\"\ntheme = \"monochrome\"\n")
        XCTAssertTrue(p.hasPrefix("config.toml:2:"), p)
    }

    func testACRLFFileReadsLikeAnyOther() throws {
        let s = try ConfigFile.parse("theme = \"monochrome\"\r\nmissed_contacts_for_review = 4\r\n", file: "config.toml")
        XCTAssertEqual(s.theme, "monochrome")
        XCTAssertEqual(s.missedContactsForReview, 4)
        XCTAssertEqual(problem("theme = \"x\"\r\nresponse_deadline_days = 0\r\n"), "config.toml:2: response_deadline_days must be a whole number from 1 to 365")
    }

    func testATrailingCommentIsAllowed() throws {
        // The old reader took `3 # three misses` as the value and fell back to the default.
        let s = try ConfigFile.parse("missed_contacts_for_review = 5   # a stricter team\nsender_role = \"Link worker\" # shown on letters\n", file: "config.toml")
        XCTAssertEqual(s.missedContactsForReview, 5)
        XCTAssertEqual(s.sender.role, "Link worker")
    }

    func testAnUnknownKeyIsRefusedByName() {
        XCTAssertTrue(problem("theme = \"default\"\nmissed_contact_for_review = 2\n")
            .hasPrefix("config.toml:2: unknown key \"missed_contact_for_review\" (known: theme, mouse,"))
        XCTAssertTrue(problem("[app]\ntheme = \"default\"\n").hasPrefix("config.toml:1: unknown key \"app\""))
    }

    func testNumbersAreRangeChecked() {
        XCTAssertEqual(problem("missed_contacts_for_review = 51\n"), "config.toml:1: missed_contacts_for_review must be a whole number from 1 to 50")
        XCTAssertEqual(problem("missed_contacts_for_review = \"3\"\n"), "config.toml:1: missed_contacts_for_review must be a whole number from 1 to 50")
        XCTAssertEqual(problem("response_deadline_days = 2.5\n"), "config.toml:1: response_deadline_days must be a whole number from 1 to 365")
    }

    func testTheIdleLockTakesMinutesWithAFractionAndIsRangeChecked() throws {
        XCTAssertEqual(CaseloadSettings().idleLockMinutes, 5)
        XCTAssertEqual(try ConfigFile.parse("idle_lock_minutes = 0.05\n", file: "config.toml").idleLockMinutes, 0.05)
        XCTAssertEqual(try ConfigFile.parse("idle_lock_minutes = 0 # never\n", file: "config.toml").idleLockMinutes, 0)
        XCTAssertEqual(problem("idle_lock_minutes = -1\n"), "config.toml:1: idle_lock_minutes must be a number from 0 to 1440")
        XCTAssertEqual(problem("idle_lock_minutes = inf\n"), "config.toml:1: idle_lock_minutes must be a number from 0 to 1440")
        XCTAssertEqual(problem("idle_lock_minutes = \"5\"\n"), "config.toml:1: idle_lock_minutes must be a number from 0 to 1440")
    }

    func testTheFileOnDiskIsNamedByItsPath() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString.prefix(8))")
        let dir = root.appendingPathComponent("caseload")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "theme = \"default\"\n\n\n\n\n\nmouse = treu\n".write(to: dir.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConfigFile.load(environment: ["XDG_CONFIG_HOME": root.path])) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(dir.path)/config.toml:7: "), "\(error)")
        }
        try Data([0x74, 0x3d, 0xff, 0x0a]).write(to: dir.appendingPathComponent("config.toml"))
        XCTAssertThrowsError(try ConfigFile.load(environment: ["XDG_CONFIG_HOME": root.path])) { error in
            XCTAssertEqual("\(error)", "\(dir.path)/config.toml: is not UTF-8 text")
        }
    }

    func testANulByteIsRefusedNotCutShort() {
        XCTAssertEqual(problem("theme = \"default\"\nmouse = false\0 garbage\n"), "config.toml:2: a NUL byte, which TOML does not allow")
    }

    // The import mapping file is TOML too.

    private func mapping(_ text: String) -> Result<ColumnMapping, TOMLFileError> {
        Result { () throws(TOMLFileError) in try ColumnMappingFile.parse(text, file: "map.toml") }
    }

    func testAMappingFileReadsFieldsInAnySpellingAndIgnoredHeaders() throws {
        let m = try mapping("# ours\nname = \"Client name\"\n\"NHS number\" = \"NHS No.\" # quoted: it has a space\nignore = [\"Notes\", \"Borough\"]\n\n").get()
        XCTAssertEqual(m.columns[.name], "Client name")
        XCTAssertEqual(m.columns[.nhsNumber], "NHS No.")
        XCTAssertEqual(m.ignored, ["Notes", "Borough"])
        XCTAssertEqual(try mapping("ignore = \"Notes\"\r\n").get().ignored, ["Notes"])
    }

    func testAMappingFileRefusesUnknownFieldsTwiceNamedFieldsAndBadLines() {
        XCTAssertTrue(mapping("name = \"A\"\ncolour = \"Favourite colour\"\n").failureText.hasPrefix("map.toml:2: unknown field \"colour\"; "))
        XCTAssertTrue(mapping("name = \"A\"\nName = \"B\"\n").failureText.hasSuffix("names the field name a second time"), mapping("name = \"A\"\nName = \"B\"\n").failureText)
        XCTAssertTrue(mapping("just a line").failureText.hasPrefix("map.toml:1:"))
        XCTAssertEqual(mapping("name = \"\"\n").failureText, "map.toml:1: name must name a header in quotes, as in name = \"Header in file\"")
    }
}

private extension Result where Failure == TOMLFileError {
    var failureText: String {
        if case .failure(let e) = self { return e.description }
        return "(accepted)"
    }
}
