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

    public static func < (a: HLC, b: HLC) -> Bool {
        (a.wallMillis, a.counter) < (b.wallMillis, b.counter)
    }

    /// The next reading after `self`, for a local event at physical time `now`.
    public func tick(now: Int64) -> HLC {
        if now > wallMillis { return HLC(wallMillis: now, counter: 0) }
        return HLC(wallMillis: wallMillis, counter: counter + 1)
    }

    /// After seeing a remote reading, the local clock never goes behind it.
    public func merged(with remote: HLC) -> HLC { max(self, remote) }

    public var description: String { "\(wallMillis).\(counter)" }

    // Compact on disk: "1732406400000.3".
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: ".")
        guard parts.count == 2, let w = Int64(parts[0]), let c = UInt32(parts[1]) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad clock \(text)"))
        }
        self.init(wallMillis: w, counter: c)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
