/// A tiny reader for the subset of TOML the theme files use: comments, `key = value` at the top
/// (`name`, `color`), a `[styles]` section whose keys are role names and whose values are inline
/// tables of `fg`, `bg`, `fg256`, `bg256` (colour names or numbers) and boolean attributes.
public enum ThemeParser {
    /// What went wrong, and on which line.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case syntax(line: Int, text: String)
        case unknownRole(line: Int, role: String)
        case unknownKey(line: Int, key: String)
        case badColor(line: Int, value: String)

        public var description: String {
            switch self {
            case let .syntax(line, text): return "line \(line): cannot read \"\(text)\""
            case let .unknownRole(line, role): return "line \(line): unknown style \"\(role)\" (known: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))"
            case let .unknownKey(line, key): return "line \(line): unknown setting \"\(key)\""
            case let .badColor(line, value): return "line \(line): \"\(value)\" is not a colour name or a number 0-255"
            }
        }
    }

    public static func parse(_ text: String, name fallbackName: String) throws -> Theme {
        var theme = Theme(name: fallbackName, usesColor: true, styles: [:])
        var section = ""
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNo = n + 1
            let line = stripComment(String(raw)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw Problem.syntax(line: lineNo, text: line) }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw Problem.syntax(line: lineNo, text: line) }
            let key = unquote(line[..<eq].trimmingCharacters(in: .whitespaces))
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if section.isEmpty {
                switch key {
                case "name": theme.name = unquote(value)
                case "color": theme.usesColor = value == "true"
                default: throw Problem.unknownKey(line: lineNo, key: key)
                }
            } else if section == "styles" {
                guard let role = Role(rawValue: key) else { throw Problem.unknownRole(line: lineNo, role: key) }
                theme.styles[role] = try style(value, line: lineNo)
            }
        }
        return theme
    }

    static func style(_ value: String, line: Int) throws -> Style {
        guard value.hasPrefix("{"), value.hasSuffix("}") else { throw Problem.syntax(line: line, text: value) }
        var s = Style()
        let inner = value.dropFirst().dropLast()
        for part in inner.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 1 && pair[0].isEmpty { continue }
            guard pair.count == 2 else { throw Problem.syntax(line: line, text: String(part)) }
            let k = pair[0], v = pair[1]
            switch k {
            case "fg": s.fg = try color(v, line: line)
            case "bg": s.bg = try color(v, line: line)
            case "fg256": s.fg256 = try color(v, line: line)
            case "bg256": s.bg256 = try color(v, line: line)
            case "bold": s.bold = v == "true"
            case "underline": s.underline = v == "true"
            case "reverse": s.reverse = v == "true"
            case "dim": s.dim = v == "true"
            default: throw Problem.unknownKey(line: line, key: k)
            }
        }
        return s
    }

    static func color(_ v: String, line: Int) throws -> Int {
        let name = unquote(v).lowercased()
        if let c = Style.colorNames[name] { return c }
        if let n = Int(name), (0...255).contains(n) { return n }
        throw Problem.badColor(line: line, value: v)
    }

    static func unquote(_ s: String) -> String {
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { return String(s.dropFirst().dropLast()) }
        return s
    }

    /// Drops a `#` comment that is not inside a string.
    static func stripComment(_ s: String) -> String {
        var inString = false
        for (i, c) in s.enumerated() {
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(s.prefix(i)) }
        }
        return s
    }
}

import Foundation
