/// A hybrid logical clock reading: wall-clock milliseconds plus a counter that breaks ties
/// and keeps order when a device's clock runs behind another's. Orders events across devices.
public struct HLC: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var wallMillis: Int64
    public var counter: UInt32

    public init(wallMillis: Int64, counter: UInt32 = 0) {
        self.wallMillis = wallMillis
        self.counter = counter
    }

    public static let zero = HLC(wallMillis: 0)

    /// The largest counter a reading may carry: a record with more is damaged or hostile and is
    /// refused on reading (from the folder, the server or our own journal), so no device ever
    /// adopts one; a local clock carries into the next millisecond instead of passing it. A tenth
    /// of what the team server stores (`ClockBounds.serverMaxCounter`), so every device's own
    /// counters always stay pushable.
    public static let maxCounter: UInt32 = 100_000_000
    /// The latest wall time a reading may carry: 9999-12-31T23:59:59.999Z.
    public static let maxWallMillis: Int64 = 253_402_300_799_999
    /// How far past this device's own time a reading from elsewhere may be before it counts as
    /// from the future: it is kept, but never adopted as this device's clock.
    public static let futureTolerance: Int64 = 10 * 60_000

    /// Whether this reading is within the bounds every reader and writer keeps.
    public var isInRange: Bool { wallMillis >= 0 && wallMillis <= HLC.maxWallMillis && counter <= HLC.maxCounter }

    /// Whether this reading is later than `now` plus the tolerance: a wrong or hostile clock.
    public func isFuture(now: Int64) -> Bool { wallMillis > now.addingReportingOverflow(HLC.futureTolerance).partialValue }

    public static func < (a: HLC, b: HLC) -> Bool {
        (a.wallMillis, a.counter) < (b.wallMillis, b.counter)
    }

    /// The next reading after `self`, for a local event at physical time `now`.
    /// Never traps: a counter at `maxCounter` carries into the next millisecond.
    public func tick(now: Int64) -> HLC {
        if now > wallMillis { return HLC(wallMillis: now, counter: 0) }
        if counter >= HLC.maxCounter { return HLC(wallMillis: wallMillis < Int64.max ? wallMillis + 1 : wallMillis, counter: 0) }
        return HLC(wallMillis: wallMillis, counter: counter + 1)
    }

    /// After seeing a remote reading, the local clock never goes behind it.
    public func merged(with remote: HLC) -> HLC { max(self, remote) }

    public var description: String { "\(wallMillis).\(counter)" }

    // Compact on disk: "1732406400000.3".
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: ".")
        guard parts.count == 2, let w = Int64(parts[0]), let c = UInt32(parts[1]), HLC(wallMillis: w, counter: c).isInRange else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad clock \(text)"))
        }
        self.init(wallMillis: w, counter: c)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
