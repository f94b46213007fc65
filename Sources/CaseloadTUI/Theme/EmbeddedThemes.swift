/// Copies of themes/default.toml and themes/monochrome.toml, used when the folder is missing.
enum EmbeddedThemes {
    static let defaultTOML = """
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
    """

    static let monochromeTOML = """
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
    """
}
