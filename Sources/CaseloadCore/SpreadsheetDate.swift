import Foundation

/// Dates as spreadsheets hold them: ISO `YYYY-MM-DD` or UK `dd/mm/yyyy` (a time after it is
/// ignored). A US `mm/dd/yyyy` date whose day is over 12 is refused rather than read wrongly.
public enum SpreadsheetDate {
    public static func parse(_ text: String) -> Result<Day, ImportMessage> {
        var t = SpaceTrim.trimmed(text)
        if let space = t.firstIndex(of: " ") { t = String(t[..<space]) }
        if t.count > 10, t.dropFirst(10).first == "T" { t = String(t.prefix(10)) }
        if let d = Day(t) { return .success(d) }
        let parts = t.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map(String.init)
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let y = Int(parts[2]) else {
            return .failure(ImportMessage("'\(text)' is not a date (use YYYY-MM-DD or dd/mm/yyyy)"))
        }
        if parts[0].count == 4 { return .failure(ImportMessage("'\(text)' is not a real date (YYYY-MM-DD)")) }
        guard parts[2].count == 4 else { return .failure(ImportMessage("'\(text)': give the year in full (dd/mm/yyyy)")) }
        if b > 12, a <= 12 {
            return .failure(ImportMessage("'\(text)' looks like a US month/day date; dates are read as dd/mm/yyyy (UK), so write it as \(String(format: "%02d/%02d/%04d", b, a, y)) or YYYY-MM-DD"))
        }
        guard let d = Day(year: y, month: b, day: a) else { return .failure(ImportMessage("'\(text)' is not a real date (dd/mm/yyyy)")) }
        return .success(d)
    }
}
