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

    private mutating func append(_ fields: [String], guarded: Bool) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            var f = field
            if guarded, let first = f.utf8.first, Self.formulaStarts.contains(first) { f = SpreadsheetCell.guarded(f) }
            var utf8 = f.utf8
            if Self.needsQuotes(&utf8, f) {
                bytes.append(UInt8(ascii: "\""))
                for b in utf8 {
                    bytes.append(b)
                    if b == UInt8(ascii: "\"") { bytes.append(b) }
                }
                bytes.append(UInt8(ascii: "\""))
            } else {
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(contentsOf: [13, 10])
    }

    /// The first bytes `SpreadsheetCell.guarded` may act on: = + - @ tab CR.
    static let formulaStarts: Set<UInt8> = [61, 43, 45, 64, 9, 13]

    private static func needsQuotes(_ utf8: inout String.UTF8View, _ field: String) -> Bool {
        for b in utf8 where b == UInt8(ascii: ",") || b == UInt8(ascii: "\"") || b == 10 || b == 13 { return true }
        guard let first = utf8.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "0") else { return false }
        return looksLikeAPhoneNumber(field)
    }

    /// `07700 900123`, `+44 7700 900123`.
    static func looksLikeAPhoneNumber(_ f: String) -> Bool {
        SpreadsheetCell.isPhoneNumber(f) || (f.hasPrefix("0") && f.utf8.count > 1 && f.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 32 })
    }
}
