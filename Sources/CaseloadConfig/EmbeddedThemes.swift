import CaseloadTUI

extension Theme {
    /// Built in, so an installed binary has all three from any folder and a missing themes
    /// folder still gives a usable screen. ThemeTests checks each parses.
    public static let embeddedDefault = embedded(EmbeddedThemes.defaultTOML, name: "default")
    public static let embeddedHighContrast = embedded(EmbeddedThemes.highContrastTOML, name: "high-contrast")
    /// Attributes only, no colour: for NO_COLOR and terminals without colour. Every role
    /// still differs where it matters (reverse for selection, bold for warnings).
    public static let monochrome = embedded(EmbeddedThemes.monochromeTOML, name: "monochrome")

    public static func embedded(named name: String) -> Theme? {
        switch name {
        case "default": return embeddedDefault
        case "high-contrast": return embeddedHighContrast
        case "monochrome": return monochrome
        default: return nil
        }
    }

    private static func embedded(_ text: String, name: String) -> Theme {
        (try? ThemeFile.parse(text, name: name, file: "built-in \(name).toml")) ?? Theme(name: name, usesColor: false, styles: [:])
    }
}

/// Copies of the three themes in themes/, so an installed binary has them all from any folder
/// (ThemeTests checks they match the files).
public enum EmbeddedThemes {
    public static let defaultTOML = """
    # Caseload default theme: calm colours, meaning always also carried by text or symbols.
    name = "default"
    color = true

    [styles]
    normal = { fg = "default", bg = "default" }
    dim = { fg = "bright-black", fg256 = 245 }
    title = { bold = true }
    header = { fg = "white", bg = "blue", bg256 = 24, bold = true }
    selected = { fg = "black", bg = "cyan", bg256 = 153 }
    overdue = { fg = "red", fg256 = 160, bold = true }
    dueToday = { fg = "yellow", fg256 = 172, bold = true }
    ok = { fg = "green", fg256 = 28 }
    warning = { fg = "yellow", fg256 = 172, bold = true }
    error = { fg = "white", bg = "red", bold = true }
    statusBar = { fg = "default", bg = "default" }
    keyHint = { fg = "cyan", fg256 = 31 }
    input = { underline = true }
    inputFocused = { underline = true, bold = true }
    improved = { fg = "green", fg256 = 28, bold = true }
    declined = { fg = "red", fg256 = 160, bold = true }
    border = { fg = "blue", fg256 = 67 }
    tabActive = { fg = "white", bg = "blue", bg256 = 24, bold = true }
    match = { fg = "black", bg = "yellow", bg256 = 222, bold = true, underline = true }
    """

    public static let monochromeTOML = """
    # Caseload monochrome theme: no colour at all (NO_COLOR), only bold, underline, reverse.
    name = "monochrome"
    color = false

    [styles]
    normal = {}
    dim = { dim = true }
    title = { bold = true }
    header = { reverse = true }
    selected = { reverse = true }
    overdue = { bold = true }
    dueToday = { bold = true }
    ok = {}
    warning = { bold = true }
    error = { bold = true, underline = true }
    statusBar = {}
    keyHint = {}
    input = { underline = true }
    inputFocused = { underline = true, bold = true }
    improved = { bold = true }
    declined = { bold = true }
    border = {}
    tabActive = { reverse = true, bold = true }
    match = { bold = true, underline = true }
    """

    public static let highContrastTOML = """
    # Caseload high-contrast theme: bright colours on black, bold everywhere it matters,
    # selection in reverse video. Meaning is always also in text or symbols.
    name = "high-contrast"
    color = true

    [styles]
    normal = { fg = "bright-white", bg = "black", fg256 = 231, bg256 = 16 }
    dim = { fg = "white", bg = "black", fg256 = 252, bg256 = 16 }
    title = { fg = "bright-white", bg = "black", fg256 = 231, bg256 = 16, bold = true, underline = true }
    header = { fg = "black", bg = "bright-yellow", fg256 = 16, bg256 = 226, bold = true }
    selected = { fg = "black", bg = "bright-white", fg256 = 16, bg256 = 231, bold = true }
    overdue = { fg = "bright-red", bg = "black", fg256 = 203, bg256 = 16, bold = true }
    dueToday = { fg = "bright-yellow", bg = "black", fg256 = 226, bg256 = 16, bold = true }
    ok = { fg = "bright-green", bg = "black", fg256 = 46, bg256 = 16, bold = true }
    warning = { fg = "bright-yellow", bg = "black", fg256 = 226, bg256 = 16, bold = true }
    error = { fg = "bright-white", bg = "red", fg256 = 231, bg256 = 160, bold = true }
    statusBar = { fg = "bright-white", bg = "black", fg256 = 231, bg256 = 16 }
    keyHint = { fg = "bright-cyan", bg = "black", fg256 = 51, bg256 = 16, bold = true }
    input = { fg = "bright-white", bg = "black", fg256 = 231, bg256 = 16, underline = true }
    inputFocused = { fg = "black", bg = "bright-cyan", fg256 = 16, bg256 = 51, bold = true }
    improved = { fg = "bright-green", bg = "black", fg256 = 46, bg256 = 16, bold = true }
    declined = { fg = "bright-red", bg = "black", fg256 = 203, bg256 = 16, bold = true }
    border = { fg = "bright-white", bg = "black", fg256 = 231, bg256 = 16 }
    tabActive = { fg = "black", bg = "bright-yellow", fg256 = 16, bg256 = 226, bold = true }
    match = { fg = "black", bg = "bright-yellow", fg256 = 16, bg256 = 226, bold = true, underline = true }
    """
}
