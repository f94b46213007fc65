import Foundation

/// One row of a CSV file, with the line it starts on (a quoted field may span lines).
public struct CSVRecord: Sendable, Hashable {
    public var line: Int
    public var fields: [String]
}

/// What is wrong with a file that was meant to be CSV. Each says where and what to do.
public enum CSVProblem: Error, Equatable, CustomStringConvertible {
    /// Bytes that are not UTF-8: almost always Excel's plain "CSV" save, which is Windows-1252.
    case notUTF8(line: Int)
    case utf16
    /// NUL bytes: a spreadsheet (.xlsx), a PDF or another binary file, not text.
    case binary
    case empty
    case unclosedQuote(line: Int)
    case textAfterClosingQuote(line: Int)
    case quoteInsideField(line: Int)
    case fieldCount(line: Int, found: Int, expected: Int)

    public var description: String {
        switch self {
        case .notUTF8(let line):
            return "line \(line) is not UTF-8 text (it looks like Windows-1252, Excel's plain \"CSV\" format): in Excel choose Save As › \"CSV UTF-8 (Comma delimited)\" and import that file"
        case .utf16:
            return "the file is UTF-16 (Excel's \"Unicode Text\"): save it as \"CSV UTF-8 (Comma delimited)\" and import that file"
        case .binary:
            return "this is not a CSV file (it holds binary data: a .xlsx or .pdf?): save it as \"CSV UTF-8 (Comma delimited)\" first"
        case .empty:
            return "the file is empty"
        case .unclosedQuote(let line):
            return "line \(line): a quoted field is never closed (a missing \" ?)"
        case .textAfterClosingQuote(let line):
            return "line \(line): text follows a closing quote; a quote inside a quoted field must be doubled (\"\")"
        case .quoteInsideField(let line):
            return "line \(line): a quote in the middle of an unquoted field; quote the whole field and double the quote (\"\")"
        case let .fieldCount(line, found, expected):
            return "line \(line) has \(found) field\(found == 1 ? "" : "s"), but the header has \(expected): is it really comma separated, with quotes round fields that contain commas?"
        }
    }
}

/// RFC 4180 CSV as spreadsheets write it: UTF-8 with or without a byte order mark, CRLF or
/// LF line ends, quoted fields holding commas, quotes ("") and line breaks. Strict about
/// quoting, so a broken file is reported with its line instead of read wrongly.
public enum CSVReader {
    /// The file's text, or why it cannot be read as UTF-8 CSV.
    public static func text(_ data: Data) -> Result<String, CSVProblem> {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return .failure(.utf16) }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.contains(0) { return .failure(.binary) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .failure(.empty) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(.notUTF8(line: firstInvalidLine(bytes)))
        }
        return .success(text)
    }

    /// The line of the first byte that breaks UTF-8.
    static func firstInvalidLine(_ bytes: [UInt8]) -> Int {
        var line = 1, lineStart = 0
        for (i, b) in bytes.enumerated() where b == 0x0A {
            if String(validating: bytes[lineStart..<i], as: UTF8.self) == nil { return line }
            line += 1
            lineStart = i + 1
        }
        return line
    }

    /// Records in file order; blank rows (every field empty, as spreadsheets leave at the
    /// end) are dropped. Checks every row has as many fields as the first.
    public static func records(_ text: String) -> Result<[CSVRecord], CSVProblem> {
        var text = text
        // Over the UTF-8 bytes: the separators are ASCII, which never occur inside a
        // multi-byte character, so each field is a run of bytes decoded once.
        return text.withUTF8 { records(utf8: $0) }
    }

    static func records(utf8 p: UnsafeBufferPointer<UInt8>) -> Result<[CSVRecord], CSVProblem> {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var inQuotes = false, wasQuoted = false, afterQuote = false
        var quoteLine = 1

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
            afterQuote = false
        }
        func endRecord() {
            endField()
            if !fields.allSatisfy(\.isEmpty) { records.append(CSVRecord(line: recordLine, fields: fields)) }
            fields = []
        }

        var i = 0
        while i < p.count {
            let c = p[i]
            i += 1
            if inQuotes {
                if c == quote {
                    if i < p.count, p[i] == quote { field.append(quote); i += 1 } else { inQuotes = false; afterQuote = true }
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case comma:
                endField()
            case cr, lf:
                if c == cr, i < p.count, p[i] == lf { i += 1 }
                endRecord()
                line += 1
                recordLine = line
            case quote:
                if afterQuote { return .failure(.textAfterClosingQuote(line: line)) }
                guard field.isEmpty, !wasQuoted else { return .failure(.quoteInsideField(line: line)) }
                inQuotes = true
                wasQuoted = true
                quoteLine = line
            default:
                if afterQuote { return .failure(.textAfterClosingQuote(line: line)) }
                field.append(c)
            }
        }
        if inQuotes { return .failure(.unclosedQuote(line: quoteLine)) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        guard let header = records.first else { return .failure(.empty) }
        for r in records where r.fields.count != header.fields.count {
            return .failure(.fieldCount(line: r.line, found: r.fields.count, expected: header.fields.count))
        }
        return .success(records)
    }

    /// Bytes straight to records.
    public static func records(_ data: Data) -> Result<[CSVRecord], CSVProblem> {
        text(data).flatMap { records($0) }
    }
}
