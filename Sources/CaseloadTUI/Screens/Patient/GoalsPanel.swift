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
        // The change and its words matter most: narrower, the dates go first, then the labels shorten.
        let dated = width >= 90
        let roomy = width >= 70
        let name = roomy ? 22 : 15
        let cell = dated ? 17 : roomy ? 10 : 6
        rows.append([Span(DisplayWidth.pad("", columns: name) + " " + DisplayWidth.pad(cell >= 8 ? "Baseline" : "First", columns: cell) + " "
                          + DisplayWidth.pad("Latest", columns: cell) + " Change", .dim)])
        for s in summaries {
            guard let a = s.baseline.score, let b = s.latest.score else { continue }
            let readings = s.changes()
            for m in ReportMeasure.of(s.instrument) {
                guard let x = m.value(of: a), let y = m.value(of: b) else { continue }
                let change = readings.first { $0.measure == m }.map { Self.changeSpan($0, room: width - name - 2 * cell - 3) }
                    ?? Span("baseline only", .dim)
                rows.append(row(Self.label(m, wide: roomy), Self.valueText(m, x, bands: roomy), dated ? s.baseline.date : nil,
                                Self.valueText(m, y, bands: roomy), dated ? s.latest.date : nil, change, name, cell))
            }
        }
        return rows
    }

    /// "SWEMWBS metric", "ONS4 anxiety (lower better)": the row says which way is better where it is down.
    static func label(_ m: ReportMeasure, wide: Bool) -> String {
        switch m {
        case .swemwbs: return "SWEMWBS metric"
        case .ucla3: return wide ? "UCLA-3 (lower better)" : "UCLA-3"
        case .anxiety: return wide ? "ONS4 anxiety (lower better)" : "ONS4 anxiety"
        case .lifeSatisfaction: return wide ? m.label : "ONS4 life sat."
        default: return m.label
        }
    }

    static func valueText(_ m: ReportMeasure, _ v: Double, bands: Bool) -> String {
        switch m {
        case .swemwbs: return String(format: "%.2f", v)
        case .ucla3: return "\(Int(v))"
        case .anxiety: return bands ? "\(Int(v)) \(Ons4Band.anxiety(Int(v)).label)" : "\(Int(v))"
        default: return bands ? "\(Int(v)) \(Ons4Band.positive(Int(v)).label)" : "\(Int(v))"
        }
    }

    /// "▲ +4.11 better, meaningful" in the words every face uses (`MeasureChange`); where that
    /// does not fit, the arrow and number stay and the words shorten.
    static func changeSpan(_ c: MeasureChange, room: Int) -> Span {
        let role: Role = c.verdict == .better ? .improved : c.verdict == .worse ? .declined : .normal
        let full = c.text
        if DisplayWidth.of(full) <= room { return Span(full, role) }
        let short = c.verdict == .better ? "meaningful" : c.verdict == .worse ? "worse" : "not meaningful"
        return Span("\(c.arrow) \(c.changeText) \(short)", role)
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
