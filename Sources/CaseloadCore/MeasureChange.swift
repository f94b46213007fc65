import Foundation

/// How a person's change on one measure reads: one rule for which direction is better and what
/// change is meaningful, used by the goals panel, the timeline, `patient show`, the message to
/// the GP and the report, so they all say the same words.
///
/// - SWEMWBS metric: higher is better; 3 metric points is meaningful (Shah et al. 2018 found
///   1 to 3 points to be a statistically important change for one person; 3 is the
///   conservative end).
/// - Each ONS4 item on its own (never summed): higher is better, except anxiety, where lower is;
///   1 point (no published threshold: the smallest change the 0–10 scale shows).
/// - UCLA-3 total: lower is better (less lonely); 1 point (no published threshold: the smallest
///   change the 3–9 scale shows).
public struct MeasureChange: Sendable, Hashable {
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        case better, noMeaningfulChange, worse

        /// The words every face uses.
        public var words: String {
            switch self {
            case .better: return "better, meaningful"
            case .noMeaningfulChange: return "no meaningful change"
            case .worse: return "worse"
            }
        }
    }

    public var measure: ReportMeasure
    public var baseline: Double
    public var latest: Double
    public var threshold: Double

    public init(measure: ReportMeasure, baseline: Double, latest: Double, threshold: Double? = nil) {
        self.measure = measure
        self.baseline = baseline
        self.latest = latest
        self.threshold = threshold ?? measure.meaningfulChange
    }

    /// Latest minus baseline, rounded to the scores' two decimals so floating-point noise never
    /// moves a change across the threshold.
    public var change: Double { ((latest - baseline) * 100).rounded() / 100 }

    /// The change measured towards better: positive is better whichever way the scale runs.
    public var towardsBetter: Double { measure.lowerIsBetter ? -change : change }

    public var verdict: Verdict {
        if towardsBetter >= threshold { return .better }
        if -towardsBetter >= threshold { return .worse }
        return .noMeaningfulChange
    }

    /// ▲ better, ▼ worse, = none: the direction of the person's wellbeing, never the number's sign.
    public var arrow: String { towardsBetter > 0 ? "▲" : towardsBetter < 0 ? "▼" : "=" }

    /// "+4.11" (SWEMWBS, two decimals) or "-3" (whole-point scales).
    public var changeText: String {
        measure == .swemwbs ? String(format: "%+.2f", change) : String(format: "%+.0f", change)
    }

    /// "▲ +4.11 better, meaningful".
    public var text: String { "\(arrow) \(changeText) \(verdict.words)" }
}

extension ReportMeasure {
    /// The change that counts as meaningful for one person (see `MeasureChange`).
    public var meaningfulChange: Double {
        switch self {
        case .swemwbs: return Swemwbs.defaultMeaningfulChange
        case .lifeSatisfaction, .worthwhile, .happiness, .anxiety: return 1
        case .ucla3: return 1
        }
    }

    /// Its name beside the instrument's ("anxiety" in "ONS4 …").
    public var itemLabel: String {
        switch self {
        case .swemwbs: return "metric"
        case .lifeSatisfaction: return "life satisfaction"
        case .worthwhile: return "worthwhile"
        case .happiness: return "happiness"
        case .anxiety: return "anxiety"
        case .ucla3: return "total"
        }
    }

    /// The measures an instrument's score is read on.
    public static func of(_ instrument: Instrument) -> [ReportMeasure] {
        switch instrument {
        case .swemwbs: return [.swemwbs]
        case .ons4: return [.lifeSatisfaction, .worthwhile, .happiness, .anxiety]
        case .ucla3: return [.ucla3]
        }
    }
}

extension MeasureSummary {
    /// Baseline to latest on each measure of the instrument; empty with one questionnaire.
    public func changes(thresholds: (ReportMeasure) -> Double? = { _ in nil }) -> [MeasureChange] {
        guard count > 1, let a = baseline.score, let b = latest.score else { return [] }
        return ReportMeasure.of(instrument).compactMap { m in
            guard let x = m.value(of: a), let y = m.value(of: b) else { return nil }
            return MeasureChange(measure: m, baseline: x, latest: y, threshold: thresholds(m))
        }
    }
}
