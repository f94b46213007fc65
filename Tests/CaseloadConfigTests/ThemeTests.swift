@testable import CaseloadConfig
import CaseloadTUI
import Foundation
import XCTest

final class ThemeTests: XCTestCase {
    var themesDir: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../themes").standardizedFileURL
    }

    func testEveryShippedThemeParsesAndStylesEveryRole() throws {
        for name in ["default", "high-contrast", "monochrome"] {
            let theme = try ThemeLoader.load(name: name, environment: ["CASELOAD_THEMES_DIR": themesDir.path])
            XCTAssertEqual(theme.name, name)
            for role in Role.allCases { XCTAssertNotNil(theme.styles[role], "\(name) lacks \(role)") }
        }
    }

    /// All three themes are built in, so an installed binary has them from any folder.
    func testTheEmbeddedThemesMatchTheFilesAndEachLoads() throws {
        let embedded = ["default": EmbeddedThemes.defaultTOML, "high-contrast": EmbeddedThemes.highContrastTOML,
                        "monochrome": EmbeddedThemes.monochromeTOML]
        for (name, text) in embedded {
            let file = try String(contentsOf: themesDir.appendingPathComponent("\(name).toml"), encoding: .utf8)
            XCTAssertEqual(file, text + "\n", name)
            // Parsed strictly (a broken built-in theme would otherwise fall back silently).
            let theme = try ThemeFile.parse(text, name: "x", file: "\(name).toml")
            XCTAssertEqual(theme.name, name)
            for role in Role.allCases { XCTAssertNotNil(theme.styles[role], "built-in \(name) lacks \(role)") }
            // And found with no themes folder anywhere.
            let loaded = try ThemeLoader.load(name: name, environment: ["CASELOAD_THEMES_DIR": "/nonexistent"])
            XCTAssertEqual(loaded.styles, theme.styles, name)
        }
        XCTAssertTrue(Theme.embeddedHighContrast.usesColor)
        XCTAssertFalse(Theme.monochrome.usesColor)
        XCTAssertTrue(Theme.embeddedDefault.style(.header).bold)
    }

    func testNoColorMeansMonochrome() throws {
        let theme = try ThemeLoader.load(name: nil, environment: ["NO_COLOR": "1", "CASELOAD_THEMES_DIR": themesDir.path])
        XCTAssertFalse(theme.usesColor)
        XCTAssertTrue(theme.style(.selected).reverse, "selection still shows without colour")
        let hc = try ThemeLoader.load(name: "high-contrast", environment: ["NO_COLOR": "1", "CASELOAD_THEMES_DIR": "/nonexistent"])
        XCTAssertFalse(hc.usesColor)
    }

    func testAMissingFolderFallsBackToTheBuiltInDefault() throws {
        let theme = try ThemeLoader.load(name: nil, environment: ["CASELOAD_THEMES_DIR": "/nonexistent"])
        XCTAssertEqual(theme.name, "default")
        XCTAssertThrowsError(try ThemeLoader.load(name: "nope", environment: ["CASELOAD_THEMES_DIR": "/nonexistent"]))
    }

    private func problem(_ text: String) -> String {
        do {
            _ = try ThemeFile.parse(text, name: "x", file: "mine.toml")
            return "(accepted)"
        } catch {
            return error.description
        }
    }

    func testAMisspeltBooleanIsRefusedWithTheLine() {
        // The old reader took anything but `true` as false: the header silently lost its bold.
        let p = problem("name = \"mine\"\n[styles]\nheader = { fg = \"white\", bold = treu }\n")
        XCTAssertTrue(p.hasPrefix("mine.toml:3:"), p)
    }

    func testABooleanOfTheWrongTypeNamesTheKeyAndLine() {
        XCTAssertEqual(problem("[styles]\n\ntitle = { bold = 1 }\n"), "mine.toml:3: bold must be true or false")
        XCTAssertEqual(problem("color = \"yes\"\n"), "mine.toml:1: color must be true or false")
    }

    func testAStyleGivenTwiceIsRefused() {
        // The old reader let the second replace the first.
        let p = problem("[styles]\nok = { fg = \"green\" }\nok = { fg = \"red\" }\n")
        XCTAssertTrue(p.hasPrefix("mine.toml:3:"), p)
    }

    func testACRLFFileKeepsEveryStyle() throws {
        // The old reader saw `{ ... }\r` as a bad value and lost every style.
        let text = EmbeddedThemes.defaultTOML.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n"
        let theme = try ThemeFile.parse(text, name: "x", file: "crlf.toml")
        XCTAssertEqual(theme.styles, Theme.embeddedDefault.styles)
        XCTAssertTrue(problem("[styles]\r\nok = { fg = \"mauve\" }\r\n").hasPrefix("mine.toml:2:"))
    }

    func testATrailingCommentIsAllowed() throws {
        let theme = try ThemeFile.parse("color = false # no colour here\n[styles] # roles\nok = { bold = true } # done\n", name: "x", file: "t.toml")
        XCTAssertFalse(theme.usesColor)
        XCTAssertTrue(theme.style(.ok).bold)
    }

    func testUnknownKeysAreRefusedByName() {
        XCTAssertTrue(problem("[styles]\nnormal = {}\nsparkly = {}\n").hasPrefix("mine.toml:3: unknown key \"sparkly\" in"))
        XCTAssertTrue(problem("[styles]\nnormal = { fg = \"red\", blink = true }\n").hasPrefix("mine.toml:2: unknown key \"blink\" in"))
        XCTAssertTrue(problem("name = \"x\"\nauthor = \"me\"\n").hasPrefix("mine.toml:2: unknown key \"autho"))
        XCTAssertTrue(problem("[colours]\nok = 1\n").hasPrefix("mine.toml:1: unknown key \"colours\" "))
    }

    /// toml++ asserts (aborts the app) on these instead of reporting them; the reader refuses
    /// them first (also in FuzzRegressions/theme).
    func testAHeaderWithoutAKeyIsRefusedNotACrash() {
        XCTAssertTrue(problem("name = \"x\"\n[!]\n").hasPrefix("mine.toml:2: a [table] header must start with a key"))
        XCTAssertTrue(problem("[styles]\n[[ =]]\n").hasPrefix("mine.toml:2:"))
        XCTAssertTrue(problem("[[[").hasPrefix("mine.toml:1: a [table] header"), "found by scripts/fuzz theme")
        XCTAssertTrue(problem("\u{FEFF}[\n").hasPrefix("mine.toml:1: a [table] header"), "behind a byte order mark")
        XCTAssertTrue(problem("[\u{0743}]\n").hasPrefix("mine.toml:1: a [table] header"), "a combining mark after [")
        XCTAssertTrue(problem("name = \"x\"\n[").hasPrefix("mine.toml:2:"))
        XCTAssertEqual(problem("name = \"}[,\"\n\nx = [1,\n}]\n"), "mine.toml:4: a value is missing before '}'")
        XCTAssertEqual(problem("name = \"\"\"a\n}\"\"\"\ncolor = [ # }\n}]\n"), "mine.toml:4: a value is missing before '}'")
    }

    func testABadColourNamesTheKeyAndLine() {
        XCTAssertTrue(problem("[styles]\nnormal = { fg = \"mauve\" }").hasPrefix("mine.toml:2: fg must be a colour name"))
        XCTAssertTrue(problem("[styles]\nnormal = { bg256 = 256 }").hasPrefix("mine.toml:2: bg256 must be a colour name"))
    }

    func testValidTOMLInOtherFormsReadsTheSame() throws {
        // A [styles.ok] section and a dotted key are the same table as an inline one.
        let theme = try ThemeFile.parse("[styles.ok]\nfg = \"green\"\nbold = true\n[styles.dim]\nfg256 = 245\n", name: "x", file: "t.toml")
        XCTAssertEqual(theme.style(.ok), Style(fg: 2, bold: true))
        XCTAssertEqual(theme.style(.dim).fg256, 245)
        XCTAssertEqual(problem("styles.ok.bold = \"no\"\n"), "mine.toml:1: bold must be true or false")
    }

    func testALoadedFileNamesItsPathInTheMessage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "[styles]\nok = { bold = treu }\n".write(to: dir.appendingPathComponent("mine.toml"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ThemeLoader.load(name: "mine", environment: ["CASELOAD_THEMES_DIR": dir.path])) { error in
            XCTAssertTrue("\(error)".hasPrefix("theme \(dir.path)/mine.toml:2:"), "\(error)")
        }
    }

    func testColoursFoldOnto8ColourTerminals() {
        let s = Style(fg: 9, bg: 4, fg256: 203, bg256: 24)
        XCTAssertEqual(s.colors(for: 256).fg, 203)
        XCTAssertEqual(s.colors(for: 8).fg, 1, "bright red becomes red")
        XCTAssertEqual(s.colors(for: 8).bg, 4)
    }
}
