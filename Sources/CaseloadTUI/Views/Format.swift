import CaseloadCore
import Foundation

/// Wording shared by the views: dates relative to today, worker names, symbols that carry
/// meaning without colour.
enum Format {
    /// "! 12d overdue", "• due today", "in 3d", with a role to match.
    static func due(_ due: Day, asOf: Day) -> Span {
        let d = due.days(since: asOf)
        if d < 0 { return Span("! \(-d)d overdue", .overdue) }
        if d == 0 { return Span("• due today", .dueToday) }
        if d == 1 { return Span("tomorrow", .normal) }
        if d < 31 { return Span("in \(d)d", .normal) }
        return Span(due.description, .normal)
    }

    static func workerName(_ id: String?, _ state: CaseloadState) -> String {
        guard let id, !id.isEmpty else { return "—" }
        return state.workers[id]?.name ?? id
    }

    /// A short "Amira K." for narrow columns.
    static func workerShort(_ id: String?, _ state: CaseloadState) -> String {
        let name = workerName(id, state)
        let parts = name.split(separator: " ")
        guard parts.count > 1, let last = parts.last?.first else { return name }
        return "\(parts[0]) \(last)."
    }

    static func minutes(_ m: Int?) -> String { m.map { "\($0) min" } ?? "" }

    /// ▁▂▃▄▅▆▇█ for scores 0...10.
    static func sparkline(_ scores: [Int]) -> String {
        let bars = Array("▁▂▃▄▅▆▇█")
        return String(scores.map { bars[min(7, max(0, $0 * 7 / 10))] })
    }

    static func consent(_ p: Patient) -> String {
        let parts = ConsentKind.allCases.compactMap { k -> String? in
            guard let c = p.consent[k] else { return nil }
            return "\(k.label) \(c.given ? "yes" : "NO")"
        }
        return parts.isEmpty ? "consent not recorded" : "consent: " + parts.joined(separator: ", ")
    }

    /// The parts that fit in `width` columns joined by `separator`, in their order, dropping the
    /// least important first (a higher `rank` goes first): what a link worker acts on stays.
    static func byPriority(_ parts: [(text: String, rank: Int)], separator: String = " · ", width: Int) -> String {
        var kept = parts.filter { !$0.text.isEmpty }
        func joined() -> String { kept.map(\.text).joined(separator: separator) }
        while kept.count > 1, DisplayWidth.of(joined()) > width,
              let least = kept.indices.max(by: { kept[$0].rank < kept[$1].rank }) {
            kept.remove(at: least)
        }
        return joined()
    }

    static func words(_ text: String) -> Int { text.split(whereSeparator: { $0.isWhitespace }).count }
}
