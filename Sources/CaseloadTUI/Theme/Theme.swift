/// A named set of styles, one per role. Read from `themes/<name>.toml` by CaseloadConfig's `ThemeFile`
/// (the three shipped themes are built into the binary there too).
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
}
