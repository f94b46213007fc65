import Foundation

/// A reading of the wall clock, as a value: the runtime takes one on each tick and hands it
/// in, so nothing that decides what is shown ever reads the clock itself (and tests pass on
/// any date).
public struct WallClock: Sendable, Hashable {
    /// Milliseconds since 1970-01-01 UTC.
    public var millis: Int64
    /// The local time zone's offset from UTC at that moment, in seconds.
    public var utcOffsetSeconds: Int

    public init(millis: Int64, utcOffsetSeconds: Int) {
        self.millis = millis
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// A reading of `date` in `timeZone` (the runtime passes `Date()` and `TimeZone.current`).
    public init(date: Date, timeZone: TimeZone) {
        self.init(millis: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)),
                  utcOffsetSeconds: timeZone.secondsFromGMT(for: date))
    }

    /// Noon (UTC) on `day`: a stand-in before the first real reading, consistent with `--as-of`.
    public static func noon(on day: Day) -> WallClock {
        WallClock(millis: Int64(day.ordinal) * 86_400_000 + 43_200_000, utcOffsetSeconds: 0)
    }

    /// The same offset at another instant (a time stamp from the journal shown in local time).
    public func at(millis: Int64) -> WallClock { WallClock(millis: millis, utcOffsetSeconds: utcOffsetSeconds) }

    private var localSeconds: Int64 { millis.dividedRoundingDown(by: 1000) + Int64(utcOffsetSeconds) }

    /// The local calendar day.
    public var day: Day { Day(ordinal: Int(localSeconds.dividedRoundingDown(by: 86_400))) }

    /// "14:02", local time.
    public var hourMinute: String {
        let minutes = Int(localSeconds.dividedRoundingDown(by: 60) - localSeconds.dividedRoundingDown(by: 86_400) * 1440)
        return String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }
}

extension Int64 {
    /// Floor division, so times before 1970 still land on the right day.
    func dividedRoundingDown(by d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
