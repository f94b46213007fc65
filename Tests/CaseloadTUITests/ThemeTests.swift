@testable import CaseloadTUI
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
    func testTheEmbeddedThemesMatchTheFiles() throws {
        let embedded = ["default": EmbeddedThemes.defaultTOML, "high-contrast": EmbeddedThemes.highContrastTOML,
                        "monochrome": EmbeddedThemes.monochromeTOML]
        for (name, text) in embedded {
            let file = try String(contentsOf: themesDir.appendingPathComponent("\(name).toml"), encoding: .utf8)
            XCTAssertEqual(file, text + "\n", name)
        }
        XCTAssertTrue(Theme.embeddedHighContrast.usesColor)
        XCTAssertEqual(Theme.embeddedHighContrast.name, "high-contrast")
    }

    func testNoColorMeansMonochrome() throws {
        let theme = try ThemeLoader.load(name: nil, environment: ["NO_COLOR": "1", "CASELOAD_THEMES_DIR": themesDir.path])
        XCTAssertFalse(theme.usesColor)
        XCTAssertTrue(theme.style(.selected).reverse, "selection still shows without colour")
    }

    func testAMissingFolderFallsBackToTheBuiltInDefault() throws {
        let theme = try ThemeLoader.load(name: nil, environment: ["CASELOAD_THEMES_DIR": "/nonexistent"])
        XCTAssertEqual(theme.name, "default")
        XCTAssertThrowsError(try ThemeLoader.load(name: "nope", environment: ["CASELOAD_THEMES_DIR": "/nonexistent"]))
    }

    func testParserReportsTheLine() {
        XCTAssertThrowsError(try ThemeParser.parse("[styles]\nnormal = { fg = \"mauve\" }", name: "x")) { error in
            XCTAssertEqual(error as? ThemeParser.Problem, .badColor(line: 2, value: "\"mauve\""))
        }
        XCTAssertThrowsError(try ThemeParser.parse("[styles]\nsparkly = {}", name: "x")) { error in
            XCTAssertEqual(error as? ThemeParser.Problem, .unknownRole(line: 2, role: "sparkly"))
        }
    }

    func testColoursFoldOnto8ColourTerminals() {
        let s = Style(fg: 9, bg: 4, fg256: 203, bg256: 24)
        XCTAssertEqual(s.colors(for: 256).fg, 203)
        XCTAssertEqual(s.colors(for: 8).fg, 1, "bright red becomes red")
        XCTAssertEqual(s.colors(for: 8).bg, 4)
    }
}
