/// The wellbeing and loneliness questionnaires link workers use, with their scoring.
/// Facts from `shared/reference/outcome-measures.md`.
public enum Instrument: String, Vocabulary {
    case ons4, swemwbs, ucla3

    public var label: String {
        switch self {
        case .ons4: return "ONS4"
        case .swemwbs: return "SWEMWBS"
        case .ucla3: return "UCLA-3"
        }
    }

    public static var aliases: [String: Instrument] { ["ucla": .ucla3, "ons": .ons4, "wemwbs": .swemwbs] }

    public var items: [MeasureItem] {
        switch self {
        case .ons4:
            let scale = "0 not at all … 10 completely"
            return [
                MeasureItem(key: "lifeSatisfaction", question: "Overall, how satisfied are you with your life nowadays?", range: 0...10, scale: scale),
                MeasureItem(key: "worthwhile", question: "Overall, to what extent do you feel the things you do in your life are worthwhile?", range: 0...10, scale: scale),
                MeasureItem(key: "happiness", question: "Overall, how happy did you feel yesterday?", range: 0...10, scale: scale),
                MeasureItem(key: "anxiety", question: "Overall, how anxious did you feel yesterday?", range: 0...10, scale: scale),
            ]
        case .swemwbs:
            let scale = "1 none of the time · 2 rarely · 3 some of the time · 4 often · 5 all of the time"
            return [
                "I've been feeling optimistic about the future",
                "I've been feeling useful",
                "I've been feeling relaxed",
                "I've been dealing with problems well",
                "I've been thinking clearly",
                "I've been feeling close to other people",
                "I've been able to make up my own mind about things",
            ].enumerated().map { MeasureItem(key: "item\($0.offset + 1)", question: $0.element + " (over the last 2 weeks)", range: 1...5, scale: scale) }
        case .ucla3:
            let scale = "1 hardly ever · 2 some of the time · 3 often"
            return [
                MeasureItem(key: "companionship", question: "How often do you feel that you lack companionship?", range: 1...3, scale: scale),
                MeasureItem(key: "leftOut", question: "How often do you feel left out?", range: 1...3, scale: scale),
                MeasureItem(key: "isolated", question: "How often do you feel isolated from others?", range: 1...3, scale: scale),
            ]
        }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case wrongCount(instrument: Instrument, expected: Int, got: Int)
        case outOfRange(instrument: Instrument, item: Int, value: Int, range: ClosedRange<Int>)

        public var description: String {
            switch self {
            case let .wrongCount(i, expected, got):
                return "\(i.label) has \(expected) answers, but \(got) were given"
            case let .outOfRange(i, item, value, range):
                return "\(i.label) answer \(item) is \(value); it must be \(range.lowerBound) to \(range.upperBound)"
            }
        }
    }

    /// How many answers, and the range every one of them must be in (the same for every item
    /// of an instrument). Scoring checks this, not `items`, so a report scoring tens of
    /// thousands of measures builds no question text.
    public var answerShape: (count: Int, range: ClosedRange<Int>) {
        switch self {
        case .ons4: return (4, 0...10)
        case .swemwbs: return (7, 1...5)
        case .ucla3: return (3, 1...3)
        }
    }

    /// Checks a complete set of answers; an incomplete questionnaire is never scored.
    public func validate(_ answers: [Int]) -> Problem? {
        let shape = answerShape
        guard answers.count == shape.count else {
            return .wrongCount(instrument: self, expected: shape.count, got: answers.count)
        }
        for (i, a) in answers.enumerated() where !shape.range.contains(a) {
            return .outOfRange(instrument: self, item: i + 1, value: a, range: shape.range)
        }
        return nil
    }

    public func score(_ answers: [Int]) -> MeasureScore? {
        guard validate(answers) == nil else { return nil }
        switch self {
        case .ons4:
            return .ons4(lifeSatisfaction: answers[0], worthwhile: answers[1], happiness: answers[2], anxiety: answers[3])
        case .swemwbs:
            let raw = answers.reduce(0, +)
            return .swemwbs(raw: raw, metric: Swemwbs.metric(raw: raw))
        case .ucla3:
            return .ucla3(total: answers.reduce(0, +))
        }
    }
}

public struct MeasureItem: Sendable, Hashable {
    public let key: String
    public let question: String
    public let range: ClosedRange<Int>
    /// What the numbers mean, shown beside the question.
    public let scale: String
}

public enum MeasureScore: Sendable, Hashable {
    case ons4(lifeSatisfaction: Int, worthwhile: Int, happiness: Int, anxiety: Int)
    case swemwbs(raw: Int, metric: Double)
    case ucla3(total: Int)

    /// The single headline number, where the instrument has one (ONS4 items are never summed).
    public var headline: Double? {
        switch self {
        case .ons4: return nil
        case .swemwbs(_, let metric): return metric
        case .ucla3(let total): return Double(total)
        }
    }
}

public enum Swemwbs {
    /// Raw 7...35 to metric score (Stewart-Brown et al. 2009, Rasch conversion table).
    static let metricTable: [Double] = [
        7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36,
        16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21,
        24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00,
    ]

    public static func metric(raw: Int) -> Double {
        precondition((7...35).contains(raw), "SWEMWBS raw score out of range")
        return metricTable[raw - 7]
    }

    /// A change of this many metric points or more is flagged as meaningful (Shah et al. 2018
    /// put the individual-level threshold between 1 and 3; 3 is the conservative end).
    public static let defaultMeaningfulChange = 3.0
}

public enum Ons4Band: String, Sendable, Codable {
    case veryLow, low, medium, high, veryHigh

    public var label: String {
        switch self {
        case .veryLow: return "very low"
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        case .veryHigh: return "very high"
        }
    }

    /// ONS bands for life satisfaction, worthwhile and happiness.
    public static func positive(_ v: Int) -> Ons4Band {
        switch v {
        case ...4: return .low
        case 5...6: return .medium
        case 7...8: return .high
        default: return .veryHigh
        }
    }

    /// ONS bands for anxiety, where lower is better.
    public static func anxiety(_ v: Int) -> Ons4Band {
        switch v {
        case ...1: return .veryLow
        case 2...3: return .low
        case 4...5: return .medium
        default: return .high
        }
    }
}

public enum Ucla3 {
    /// Totals at or above this are commonly banded "lonely" (not an official cut-off).
    public static let defaultLonelyThreshold = 6
}
