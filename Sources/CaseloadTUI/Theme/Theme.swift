/// A named set of styles, one per role. Loaded from `themes/<name>.toml`.
public struct Theme: Sendable {
    public var name: String
    /// Whether to use colour at all (false for monochrome and NO_COLOR).
    public var usesColor: Bool
    public var styles: [Role: Style]

    public init(name: String, usesColor: Bool, styles: [Role: Style]) {
        self.name = name
        self.usesColor = usesColor
        self.styles = styles
    }

    public func style(_ role: Role) -> Style { styles[role] ?? styles[.normal] ?? Style() }

    /// Built in, so a missing themes folder still gives a usable screen.
    public static let embeddedDefault: Theme = {
        (try? ThemeParser.parse(EmbeddedThemes.defaultTOML, name: "default")) ?? monochrome
    }()

    public static let embeddedHighContrast: Theme = {
        (try? ThemeParser.parse(EmbeddedThemes.highContrastTOML, name: "high-contrast")) ?? monochrome
    }()

    /// Attributes only, no colour: for NO_COLOR and terminals without colour. Every role
    /// still differs where it matters (reverse for selection, bold for warnings).
    public static let monochrome: Theme = {
        (try? ThemeParser.parse(EmbeddedThemes.monochromeTOML, name: "monochrome")) ?? Theme(name: "monochrome", usesColor: false, styles: [:])
    }()
}
