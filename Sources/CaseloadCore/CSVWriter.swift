import Foundation

/// RFC 4180 CSV as `export` and `import --skip-invalid`'s rejects write it, and as
/// `CSVReader` reads it back: fields with commas, quotes or line breaks are quoted, CRLF line
/// ends. Row cells a spreadsheet would run as a formula (= + - @) get a leading `'`
/// (`SpreadsheetCell.guarded`; `import caseload` takes it off again), and a number with a
/// leading zero or plus (a phone number) is quoted so a reader that honours quotes keeps it text.
/// Written as bytes: a 50,000-person export is millions of cells.
public struct CSVWriter: Sendable {
    public private(set) var bytes: [UInt8]

    /// The header row is written as given (no guard: it is ours).
    public init(header: [String], bom: Bool = false) {
        bytes = bom ? [0xEF, 0xBB, 0xBF] : []
        bytes.reserveCapacity(1 << 16)
        append(header, guarded: false)
    }

    public mutating func add(_ fields: [String]) { append(fields, guarded: true) }

    public var data: Data { Data(bytes) }

    /// Hands over the bytes written so far and forgets them: an export streams each file to
    /// disk a piece at a time instead of holding all of it.
    public mutating func drain(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try bytes.withUnsafeBytes(body)
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ fields: [String], guarded: Bool) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            var f = field
            if guarded, let first = f.utf8.first, Self.isFormulaStart(first) { f = SpreadsheetCell.guarded(f) }
            let first = f.utf8.first
            let phone = (first == UInt8(ascii: "+") || first == UInt8(ascii: "0")) && Self.looksLikeAPhoneNumber(f)
            // Scanned and copied as one buffer of UTF-8: millions of cells in a large export.
            f.withUTF8 { utf8 in
                guard phone || Self.hasSpecialByte(utf8) else { return bytes.append(contentsOf: utf8) }
                bytes.append(UInt8(ascii: "\""))
                for b in utf8 {
                    bytes.append(b)
                    if b == UInt8(ascii: "\"") { bytes.append(b) }
                }
                bytes.append(UInt8(ascii: "\""))
            }
        }
        bytes.append(contentsOf: [13, 10])
    }

    /// The first bytes `SpreadsheetCell.guarded` may act on: = + - @ tab CR.
    static func isFormulaStart(_ b: UInt8) -> Bool {
        switch b {
        case 61, 43, 45, 64, 9, 13: return true
        default: return false
        }
    }

    /// A comma, quote or line break: the field is quoted.
    private static func hasSpecialByte(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 10 || b == 13 { return true }
        return false
    }

    /// `07700 900123`, `+44 7700 900123`.
    static func looksLikeAPhoneNumber(_ f: String) -> Bool {
        SpreadsheetCell.isPhoneNumber(f) || (f.hasPrefix("0") && f.utf8.count > 1 && f.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 32 })
    }
}
