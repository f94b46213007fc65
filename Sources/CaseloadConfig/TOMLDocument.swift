import Foundation
import TOMLKit

/// A problem in a TOML file, as one line that names the file and, where it can be found, the
/// line: `config.toml:7: bold must be true or false`.
public struct TOMLFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// A TOML document parsed by toml++ (through TOMLKit), with typed reads that fail with the
/// file and line. toml++ already refuses what TOML refuses (`bold = treu`, a key given twice);
/// the reads here refuse what Caseload does not know (a key it does not read, a wrong type).
struct TOMLDocument {
    /// Config, theme and mapping files are a few lines; anything near this is not one of them.
    static let maxBytes = 1 << 20

    let root: TOMLTable
    let file: String
    private let lines: [String]

    init(_ text: String, file: String) throws(TOMLFileError) {
        self.file = file
        // CRLF files are valid TOML; the line finder below reads lines without the CR.
        // Split on the byte, as toml++ counts lines: Swift's "\n" does not match a "\r\n" pair.
        lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        guard text.utf8.count <= Self.maxBytes else {
            throw TOMLFileError(file: file, line: nil, message: "is \(text.utf8.count) bytes; a Caseload TOML file is at most \(Self.maxBytes)")
        }
        // TOMLKit hands toml++ a C string, which would end silently at a NUL byte.
        if let nul = lines.firstIndex(where: { $0.utf8.contains(0) }) {
            throw TOMLFileError(file: file, line: nul + 1, message: "a NUL byte, which TOML does not allow")
        }
        if let bad = Self.headerWithoutKey(lines) {
            throw TOMLFileError(file: file, line: bad, message: "a [table] header must start with a key (letters, digits, _ or -, or a quoted name)")
        }
        if let bad = Self.closingBraceAfterOpenOrComma(text) {
            throw TOMLFileError(file: file, line: bad, message: "a value is missing before '}'")
        }
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let line = error.source.begin.line
            throw TOMLFileError(file: file, line: line > 0 ? line : nil, message: error.description)
        } catch {
            throw TOMLFileError(file: file, line: nil, message: "\(error)")
        }
    }

    /// The line of a `[` table header whose first key is missing or starts with a character no
    /// key may start with (`[!]`, `[` alone): toml++ asserts (aborts) on such a header instead of
    /// reporting it (FuzzRegressions/theme). Read line by line, so a line of a multi-line array
    /// that starts with `[` and then such a character is refused too; no Caseload file has one.
    static func headerWithoutKey(_ lines: [String]) -> Int? {
        // By scalar, as toml++ reads: a combining mark after `[` would join it into one Character.
        let blank: Set<Unicode.Scalar> = [" ", "\t"]
        for (i, line) in lines.enumerated() {
            // toml++ skips a byte order mark at the start, so the first line's header is behind it.
            var rest = line.unicodeScalars.drop(while: { blank.contains($0) || (i == 0 && $0 == "\u{FEFF}") })
            guard rest.first == "[" else { continue }
            rest = rest.dropFirst()
            if rest.first == "[" { rest = rest.dropFirst() }
            rest = rest.drop(while: { blank.contains($0) })
            guard let c = rest.first else { return i + 1 }
            let startsKey = c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-")
                || c == "\"" || c == "'" || c == "]"
            if !startsKey { return i + 1 }
        }
        return nil
    }

    /// The line of a `}` that comes straight after `[` or `,` (outside strings and comments):
    /// never valid TOML, and toml++ asserts on it inside an array (`x = [}]`) instead of
    /// reporting it (FuzzRegressions/theme).
    static func closingBraceAfterOpenOrComma(_ text: String) -> Int? {
        var line = 1
        var last: Unicode.Scalar = "\n"  // the last character outside strings, comments and whitespace
        var scalars = text.unicodeScalars[...]
        while let c = scalars.popFirst() {
            switch c {
            case "\n": line += 1
            case " ", "\t", "\r": break
            case "#":
                while let n = scalars.first, n != "\n" { scalars.removeFirst() }
            case "\"", "'":
                // Skip the string, counting its lines; `"""` and `'''` may span lines.
                let multi = scalars.starts(with: [c, c])
                if multi { scalars.removeFirst(2) }
                while let n = scalars.popFirst() {
                    if n == "\n" { line += 1 }
                    if c == "\"", n == "\\" { if scalars.popFirst() == "\n" { line += 1 }; continue }
                    if n == c, !multi || scalars.starts(with: [c, c]) {
                        if multi { scalars.removeFirst(2) }
                        break
                    }
                }
                last = c
            case "}":
                if last == "[" || last == "," { return line }
                last = c
            default: last = c
            }
        }
        return nil
    }

    /// Reads a file as UTF-8 text, refusing one too large or not UTF-8 before parsing.
    static func read(path: String) throws(TOMLFileError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TOMLFileError(file: path, line: nil, message: "cannot be read")
        }
        defer { try? handle.close() }
        let bytes = (try? handle.read(upToCount: maxBytes + 1)) ?? Data()
        guard bytes.count <= maxBytes else {
            throw TOMLFileError(file: path, line: nil, message: "is larger than \(maxBytes) bytes; a Caseload TOML file is a few lines")
        }
        guard let text = String(data: bytes, encoding: .utf8) else {
            throw TOMLFileError(file: path, line: nil, message: "is not UTF-8 text")
        }
        return text
    }

    func problem(_ message: String, at path: [String]) -> TOMLFileError {
        TOMLFileError(file: file, line: line(of: path), message: message)
    }

    /// Refuses a key the table may not hold, naming it and the keys it may.
    func onlyKeys(_ allowed: [String], in table: TOMLTable, at path: [String]) throws(TOMLFileError) {
        for key in table.keys.sorted() where !allowed.contains(key) {
            let place = path.isEmpty ? "" : " in [\(path.joined(separator: "."))]"
            throw problem("unknown key \"\(key)\"\(place) (known: \(allowed.joined(separator: ", ")))", at: path + [key])
        }
    }

    func bool(_ value: TOMLValueConvertible, at path: [String]) throws(TOMLFileError) -> Bool {
        guard let b = value.bool else { throw problem("\(path.last ?? "") must be true or false", at: path) }
        return b
    }

    func string(_ value: TOMLValueConvertible, at path: [String]) throws(TOMLFileError) -> String {
        guard let s = value.string else { throw problem("\(path.last ?? "") must be a string in quotes", at: path) }
        return s
    }

    func table(_ value: TOMLValueConvertible, at path: [String]) throws(TOMLFileError) -> TOMLTable {
        guard let t = value.table else { throw problem("\(path.last ?? "") must be a table ({ ... } or a [section])", at: path) }
        return t
    }

    func int(_ value: TOMLValueConvertible, in range: ClosedRange<Int>, at path: [String]) throws(TOMLFileError) -> Int {
        guard let n = value.int, range.contains(n) else {
            throw problem("\(path.last ?? "") must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: path)
        }
        return n
    }

    /// A whole or decimal number in `range` (a decimal is how a test asks for a few seconds).
    func number(_ value: TOMLValueConvertible, in range: ClosedRange<Double>, at path: [String]) throws(TOMLFileError) -> Double {
        let n = value.int.map(Double.init) ?? value.double
        guard let n, n.isFinite, range.contains(n) else {
            throw problem("\(path.last ?? "") must be a number from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))", at: path)
        }
        return n
    }

    private static func format(_ d: Double) -> String { d == d.rounded() ? String(Int(d)) : String(d) }

    /// The line that holds `path`'s key, found by reading the text again: toml++ keeps source
    /// positions but TOMLKit does not pass them on. A key inside an inline table is on its
    /// table's line (TOML keeps inline tables on one line), so the search falls back to the parent
    /// (which also finds a dotted key, `styles.dim = ...`, on its first part's line).
    func line(of path: [String]) -> Int? {
        var path = path
        while !path.isEmpty {
            if let found = line(ofKey: path.last!, inSection: Array(path.dropLast())) { return found }
            path.removeLast()
        }
        return nil
    }

    private func line(ofKey key: String, inSection section: [String]) -> Int? {
        var current: [String] = []
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let inner = line.drop(while: { $0 == "[" }).prefix(while: { $0 != "]" })
                current = inner.split(separator: ".").map { Self.unquote($0.trimmingCharacters(in: .whitespaces)) }
                // A table named by its header: `[app]` is the key "app" of the top level.
                if current.count > section.count, Array(current.prefix(section.count + 1)) == section + [key] { return i + 1 }
                continue
            }
            if current == section, Self.startsWithKey(line, key) { return i + 1 }
        }
        return nil
    }

    private static func startsWithKey(_ line: String, _ key: String) -> Bool {
        for form in [key, "\"\(key)\"", "'\(key)'"] where line.hasPrefix(form) {
            let rest = line.dropFirst(form.count).drop(while: { $0 == " " || $0 == "\t" })
            if rest.first == "=" || rest.first == "." { return true }
        }
        return false
    }

    private static func unquote(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == "\"" || f == "'", s.last == f { return String(s.dropFirst().dropLast()) }
        return s
    }
}
