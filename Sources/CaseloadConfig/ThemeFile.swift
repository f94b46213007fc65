import CaseloadTUI
import TOMLKit

/// A theme file: `name` and `color` at the top, and a `[styles]` table whose keys are role
/// names and whose values are tables of `fg`, `bg`, `fg256`, `bg256` (a colour name or a
/// number 0-255) and `bold`, `underline`, `reverse`, `dim` (true or false).
public enum ThemeFile {
    static let styleKeys = ["fg", "bg", "fg256", "bg256", "bold", "underline", "reverse", "dim"]

    public static func parse(_ text: String, name fallbackName: String, file: String) throws(TOMLFileError) -> Theme {
        let doc = try TOMLDocument(text, file: file)
        try doc.onlyKeys(["name", "color", "styles"], in: doc.root, at: [])
        var theme = Theme(name: fallbackName, usesColor: true, styles: [:])
        if let v = doc.root["name"] { theme.name = try doc.string(v, at: ["name"]) }
        if let v = doc.root["color"] { theme.usesColor = try doc.bool(v, at: ["color"]) }
        guard let stylesValue = doc.root["styles"] else { return theme }
        let styles = try doc.table(stylesValue, at: ["styles"])
        try doc.onlyKeys(Role.allCases.map(\.rawValue), in: styles, at: ["styles"])
        for role in Role.allCases {
            guard let v = styles[role.rawValue] else { continue }
            theme.styles[role] = try style(doc.table(v, at: ["styles", role.rawValue]), at: ["styles", role.rawValue], in: doc)
        }
        return theme
    }

    static func style(_ table: TOMLTable, at path: [String], in doc: TOMLDocument) throws(TOMLFileError) -> Style {
        try doc.onlyKeys(styleKeys, in: table, at: path)
        var s = Style()
        if let v = table["fg"] { s.fg = try color(v, at: path + ["fg"], in: doc) }
        if let v = table["bg"] { s.bg = try color(v, at: path + ["bg"], in: doc) }
        if let v = table["fg256"] { s.fg256 = try color(v, at: path + ["fg256"], in: doc) }
        if let v = table["bg256"] { s.bg256 = try color(v, at: path + ["bg256"], in: doc) }
        if let v = table["bold"] { s.bold = try doc.bool(v, at: path + ["bold"]) }
        if let v = table["underline"] { s.underline = try doc.bool(v, at: path + ["underline"]) }
        if let v = table["reverse"] { s.reverse = try doc.bool(v, at: path + ["reverse"]) }
        if let v = table["dim"] { s.dim = try doc.bool(v, at: path + ["dim"]) }
        return s
    }

    static func color(_ value: TOMLValueConvertible, at path: [String], in doc: TOMLDocument) throws(TOMLFileError) -> Int {
        if let name = value.string, let c = Style.colorNames[name.lowercased()] { return c }
        if let n = value.int, (0...255).contains(n) { return n }
        throw doc.problem("\(path.last ?? "") must be a colour name (\(Style.colorNames.keys.sorted().joined(separator: ", "))) or a number 0-255", at: path)
    }
}
