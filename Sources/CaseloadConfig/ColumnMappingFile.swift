import CaseloadCore
import TOMLKit

/// An import mapping file: which header in a people spreadsheet holds which field.
///
///     # caseload import mapping
///     name = "Client name"
///     nhsNumber = "NHS No."
///     "date of birth" = "DOB"
///     ignore = ["Notes", "Internal ref"]
///
/// Field names fold as headers do (case, spaces and punctuation do not matter; a name with a
/// space is quoted, as TOML asks); `ignore` takes one header or a list.
public enum ColumnMappingFile {
    public static func read(path: String) throws(TOMLFileError) -> ColumnMapping {
        try parse(TOMLDocument.read(path: path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(TOMLFileError) -> ColumnMapping {
        let doc = try TOMLDocument(text, file: file)
        var m = ColumnMapping()
        let fields = PeopleColumn.allCases.map(\.rawValue).joined(separator: ", ") + ", ignore"
        for key in doc.root.keys.sorted() {
            guard let value = doc.root[key] else { continue }
            if PeopleColumn.fold(key) == "ignore" {
                if let list = value.array {
                    for item in list {
                        guard let s = item.string, !s.isEmpty else { throw doc.problem("ignore must list headers in quotes", at: [key]) }
                        m.ignored.insert(s)
                    }
                } else {
                    m.ignored.insert(try header(value, key: key, in: doc))
                }
                continue
            }
            guard let column = PeopleColumn.allCases.first(where: { PeopleColumn.fold($0.rawValue) == PeopleColumn.fold(key) }) else {
                throw doc.problem("unknown field \"\(key)\"; fields are \(fields)", at: [key])
            }
            guard m.columns[column] == nil else { throw doc.problem("\(key) names the field \(column.rawValue) a second time", at: [key]) }
            m.columns[column] = try header(value, key: key, in: doc)
        }
        return m
    }

    private static func header(_ value: TOMLValueConvertible, key: String, in doc: TOMLDocument) throws(TOMLFileError) -> String {
        guard let s = value.string, !s.isEmpty else { throw doc.problem("\(key) must name a header in quotes, as in \(key) = \"Header in file\"", at: [key]) }
        return s
    }
}
