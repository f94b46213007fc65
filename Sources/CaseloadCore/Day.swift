import Foundation

/// A calendar date with no time of day or time zone: the unit link workers plan in
/// ("due Tuesday"). Stored and printed as `YYYY-MM-DD`; parsing is strict, so
/// `2026-02-30` is rejected rather than rolled over into March.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it). Arithmetic and comparison are on this.
    public let ordinal: Int

    public init(ordinal: Int) { self.ordinal = ordinal }

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysInMonth(year: year, month: month) else { return nil }
        ordinal = Day.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(_ text: String) {
        var utf8 = text
        guard let day = utf8.withUTF8({ Day(utf8: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = day
    }

    /// Parses exactly `YYYY-MM-DD` from UTF-8 bytes (the journal decoder reads dates here
    /// without making a String first).
    public init?(utf8 p: UnsafeRawBufferPointer) {
        guard p.count == 10, p[4] == UInt8(ascii: "-"), p[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let b = p[i]
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              let day = Day(year: y, month: m, day: d) else { return nil }
        self = day
    }

    public var components: (year: Int, month: Int, day: Int) { Day.civilFromDays(ordinal) }
    public var year: Int { components.year }
    public var month: Int { components.month }

    public var description: String {
        let c = components
        // By hand: `String(format:)` was a third of exporting a large caseload. Years outside
        // 0-9999 (never stored, see `earliest`/`latest`) keep the formatter's spelling.
        guard (0...9999).contains(c.year) else { return String(format: "%04d-%02d-%02d", c.year, c.month, c.day) }
        return String(unsafeUninitializedCapacity: 10) { out in
            func digits(_ v: Int, _ count: Int, at start: Int) {
                var v = v
                for i in stride(from: start + count - 1, through: start, by: -1) {
                    out[i] = UInt8(48 + v % 10)
                    v /= 10
                }
            }
            digits(c.year, 4, at: 0)
            out[4] = 45
            digits(c.month, 2, at: 5)
            out[7] = 45
            digits(c.day, 2, at: 8)
            return 10
        }
    }

    public func adding(days: Int) -> Day { Day(ordinal: ordinal + days) }
    public func days(since other: Day) -> Int { ordinal - other.ordinal }

    /// Monday = 0 ... Sunday = 6. 1970-01-01 was a Thursday.
    public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.ordinal < rhs.ordinal }

    /// The day it is at `now` in `timeZone`. The core never reads the clock: the runtime and
    /// the command line pass `Date()` and `TimeZone.current`.
    public static func today(now: Date, timeZone: TimeZone) -> Day {
        WallClock(date: now, timeZone: timeZone).day
    }

    /// Whole years between `self` (a birth date) and `day`.
    public func age(on day: Day) -> Int {
        let b = components, d = day.components
        var years = d.year - b.year
        if (d.month, d.day) < (b.month, b.day) { years -= 1 }
        return years
    }

    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact, no Calendar needed.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

extension Day: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = Day(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a YYYY-MM-DD date: \(text)"))
        }
        self = day
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Day {
    /// The dates a journal can hold: four-digit years, as `YYYY-MM-DD` is read back.
    public static let earliest = Day(ordinal: daysFromCivil(year: 1, month: 1, day: 1))
    public static let latest = Day(ordinal: daysFromCivil(year: 9999, month: 12, day: 31))

    public var isStorable: Bool { self >= Day.earliest && self <= Day.latest }

    /// `adding(days:)` for a count from outside (a user's `--in-days`): nil when the result
    /// would not be a storable date (or the sum would overflow), so nothing unreadable is written.
    public func checkedAdding(days: Int) -> Day? {
        let (sum, overflow) = ordinal.addingReportingOverflow(days)
        guard !overflow else { return nil }
        let day = Day(ordinal: sum)
        return day.isStorable ? day : nil
    }
}
