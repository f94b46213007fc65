import Foundation

/// A CSV file read by header name: what the importers work on.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [CSVRecord]
    private var index: [String: Int]

    public init(_ records: [CSVRecord]) {
        header = (records.first?.fields ?? []).map { SpaceTrim.trimmed($0) }
        rows = Array(records.dropFirst())
        var index: [String: Int] = [:]
        for (i, h) in header.enumerated() where index[h] == nil { index[h] = i }
        self.index = index
    }

    public static func parse(_ data: Data) -> Result<CSVTable, CSVProblem> { CSVReader.records(data).map(CSVTable.init) }

    public func has(_ column: String) -> Bool { index[column] != nil }

    /// The value exactly as written (notes keep their spaces), or "" when the column is absent.
    public func raw(_ row: CSVRecord, _ column: String) -> String {
        guard let i = index[column], i < row.fields.count else { return "" }
        return row.fields[i]
    }

    /// The trimmed value of `column` in `row`, or "" when the column is absent.
    public func value(_ row: CSVRecord, _ column: String) -> String {
        guard let i = index[column], i < row.fields.count else { return "" }
        return SpaceTrim.trimmed(row.fields[i])
    }
}
