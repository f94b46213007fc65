import CaseloadCore
import Foundation

/// Goals with progress and sparkline, then the measures table (baseline, latest, change).
enum GoalsPanel {
    static func draw(_ patientId: UUID, _ state: AppState, selected: Int, into grid: inout Grid, in rect: Rect) {
        let goals = state.caseload.goals(of: patientId)
        let measureLines = measureTable(patientId, state, width: rect.width - 2)
        // Goals get the top; the measures table the rest (at least its heading and a row).
        let goalRows = min(max(2, goals.count + 1), max(2, rect.height - measureLines.count))
        let (goalRect, measureRect) = rect.splitTop(goalRows)
        var lines: [ListLine] = [ListLine([Span("Goals", .title), Span("  progress 0-10", .dim)])]
        let textWidth = max(12, rect.width / 2 - 4)
        for (i, g) in goals.enumerated() {
            let history = g.progress.map(\.score)
            var spans = [Span(DisplayWidth.pad(g.text, columns: textWidth))]
            if let latest = g.latestProgress {
                spans.append(Span(" " + DisplayWidth.padLeft("\(latest)/10", columns: 5)))
                spans.append(Span(" " + Format.sparkline(history) + " "))
                spans.append(Span(history.map(String.init).joined(separator: " → "), .dim))
            } else {
                spans.append(Span("   no progress yet", .dim))
            }
            if g.status != .active { spans.append(Span(" (\(g.status.label))", g.status == .achieved ? .improved : .dim)) }
            lines.append(ListLine(spans, item: i))
        }
        if goals.isEmpty { lines.append(ListLine([Span("No goals yet: a adds one, in their words.", .dim)])) }
        grid.drawList(lines, selected: goals.isEmpty ? nil : selected, in: goalRect)

        var y = measureRect.y
        for line in measureLines where y < measureRect.maxY {
            grid.fill(Rect(x: measureRect.x, y: y, width: measureRect.width, height: 1))
            grid.draw(line, x: measureRect.x + 2, y: y, maxX: measureRect.maxX)
            y += 1
        }
    }

    static func scoreText(_ score: MeasureScore?) -> String {
        switch score {
        case .none: return "incomplete"
        case .swemwbs(let raw, let metric)?: return String(format: "metric %.2f (raw %d)", metric, raw)
        case .ucla3(let total)?: return "\(total)/9" + (total >= Ucla3.defaultLonelyThreshold ? " lonely" : "")
        case let .ons4(ls, w, h, a)?: return "life \(ls) · worthwhile \(w) · happy \(h) · anxious \(a)"
        }
    }

    /// Rows of the measures table, as spans.
    static func measureTable(_ patientId: UUID, _ state: AppState, width: Int = .max) -> [[Span]] {
        let summaries = state.caseload.measureSummaries(of: patientId)
        var rows: [[Span]] = [[]]
        rows.append([Span("Measures", .title), Span("  m records one, item by item", .dim)])
        guard !summaries.isEmpty else {
            rows.append([Span("No measures yet.", .dim)])
            return rows
        }
        let name = 22, cell = 17
        rows.append([Span(DisplayWidth.pad("", columns: name) + " " + DisplayWidth.pad("Baseline", columns: cell) + " "
                          + DisplayWidth.pad("Latest", columns: cell) + " Change", .dim)])
        for s in summaries {
            switch (s.baseline.score, s.latest.score) {
            case let (.swemwbs(_, a)?, .swemwbs(_, b)?):
                var change = s.count > 1 ? Format.change(b - a, improved: s.improved, decimals: 2) : Span("baseline only", .dim)
                var r = row("SWEMWBS metric", String(format: "%.2f", a), s.baseline.date, String(format: "%.2f", b), s.latest.date, change, name, cell)
                if s.count > 1, abs(b - a) >= Swemwbs.defaultMeaningfulChange {
                    // "meaningful" is the point of the row: when both words do not fit, ▲/▼ already says which way.
                    let used = r.dropLast().reduce(0) { $0 + DisplayWidth.of($1.text) }
                    let both = change.text + ", meaningful"
                    let short = change.text.replacingOccurrences(of: " better", with: "").replacingOccurrences(of: " worse", with: "") + " meaningful"
                    r[r.count - 1].text = used + DisplayWidth.of(both) <= width ? both : short
                }
                rows.append(r)
            case let (.ucla3(a)?, .ucla3(b)?):
                let change = s.count > 1 ? Format.change(Double(b - a), improved: s.improved, decimals: 0) : Span("baseline only", .dim)
                rows.append(row("UCLA-3 (lower better)", "\(a)", s.baseline.date, "\(b)", s.latest.date, change, name, cell))
            case let (.ons4(a1, a2, a3, a4)?, .ons4(b1, b2, b3, b4)?):
                let items: [(String, Int, Int, Bool)] = [("ONS4 life satisfaction", a1, b1, false), ("ONS4 worthwhile", a2, b2, false),
                                                        ("ONS4 happiness", a3, b3, false), ("ONS4 anxiety (lower better)", a4, b4, true)]
                for (label, a, b, lowerBetter) in items {
                    let band = { (v: Int) in lowerBetter ? Ons4Band.anxiety(v).label : Ons4Band.positive(v).label }
                    let diff = b - a
                    let improved: Bool? = diff == 0 ? nil : (lowerBetter ? diff < 0 : diff > 0)
                    let change = s.count > 1 ? Format.change(Double(diff), improved: improved, decimals: 0) : Span("baseline only", .dim)
                    rows.append(row(label, "\(a) \(band(a))", nil, "\(b) \(band(b))", nil, change, name, cell))
                }
            default:
                break
            }
        }
        return rows
    }

    static func row(_ label: String, _ a: String, _ aDate: Day?, _ b: String, _ bDate: Day?, _ change: Span, _ name: Int, _ cell: Int) -> [Span] {
        let base = aDate.map { "\(a) (\(shortDate($0)))" } ?? a
        let latest = bDate.map { "\(b) (\(shortDate($0)))" } ?? b
        return [Span(DisplayWidth.pad(label, columns: name) + " "), Span(DisplayWidth.pad(base, columns: cell) + " "),
                Span(DisplayWidth.pad(latest, columns: cell) + " "), change]
    }

    /// "24 Nov" style dates keep the table inside 80 columns.
    static func shortDate(_ d: Day) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(d.components.day) \(months[d.month - 1])"
    }
}
