import CaseloadCommandLine
import CaseloadText

/// Columns for plain-text output, aligned by display width so 王小明 and Zoë line up.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    init(_ header: [String]) { self.header = header }
    mutating func add(_ row: [String]) { rows.append(row.map { $0.replacingOccurrences(of: "\n", with: " ") }) }

    func print() {
        let all = [header] + rows
        var widths = Array(repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() { widths[i] = min(40, max(widths[i], displayWidth(of: c))) } }
        for r in all {
            let line = r.enumerated().map { i, c in
                i == r.count - 1 ? truncate(c, toWidth: 60) : pad(truncate(c, toWidth: widths[i]), toWidth: widths[i])
            }.joined(separator: "  ")
            say(line.trimmingTrailingSpaces())
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
