import CaseloadCore

/// The reports screen: which period and whose caseload, how far it is scrolled, and the
/// report itself, computed when the screen opens, its choices change or the caseload does
/// (never per frame).
public struct ReportsViewState: Sendable, Hashable {
    public enum Period: Int, CaseIterable, Sendable {
        case allTime, thisQuarter, lastQuarter, last12Months

        public var label: String {
            switch self {
            case .allTime: return "all records"
            case .thisQuarter: return "this quarter so far"
            case .lastQuarter: return "last quarter"
            case .last12Months: return "last 12 months"
            }
        }

        /// First and last day for "today" `asOf` (nil first day: from the first record).
        public func range(asOf: Day) -> (from: Day?, to: Day) {
            let (y, m) = (asOf.year, asOf.month)
            let quarterStart = Day(year: y, month: (m - 1) / 3 * 3 + 1, day: 1)!
            switch self {
            case .allTime: return (nil, asOf)
            case .thisQuarter: return (quarterStart, asOf)
            case .lastQuarter:
                let end = quarterStart.adding(days: -1)
                return (Day(year: end.year, month: (end.month - 1) / 3 * 3 + 1, day: 1)!, end)
            case .last12Months:
                let months = y * 12 + (m - 1) - 11
                return (Day(year: months / 12, month: months % 12 + 1, day: 1)!, asOf)
            }
        }
    }

    public enum Scope: Int, CaseIterable, Sendable {
        case everyone, myTeam, mine
    }

    public var period: Period = .allTime
    public var scope: Scope = .everyone
    public var scroll = 0
    public var report: CaseloadReport?

    public init() {}
}
