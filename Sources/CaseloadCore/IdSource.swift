import Foundation

/// Where new record ids come from, as a value. The app's state carries one, seeded from the
/// system's random source by the runtime when the app starts, so `update` makes new ids
/// without reading anything outside the state, and a test gets the same ids on every run.
///
/// Two SplitMix64 streams make the 122 random bits of a version 4 UUID: two devices' ids can
/// only meet if both 64-bit seeds land within a few million steps of each other.
public struct IdSource: Sendable, Hashable {
    private var a: UInt64
    private var b: UInt64

    public init(seed a: UInt64, _ b: UInt64) {
        self.a = a
        self.b = b
    }

    /// A fresh source from the system's random numbers: for the runtime, never for `update`.
    public static func random() -> IdSource {
        var g = SystemRandomNumberGenerator()
        return IdSource(seed: g.next(), g.next())
    }

    public mutating func next() -> UUID {
        a &+= 0x9E37_79B9_7F4A_7C15
        b &+= 0xD1B5_4A32_D192_ED03
        var mixed = (Self.mix(a), Self.mix(b ^ 0x5851_F42D_4C95_7F2D))
        return withUnsafeMutableBytes(of: &mixed) { p in
            p[6] = (p[6] & 0x0F) | 0x40 // version 4
            p[8] = (p[8] & 0x3F) | 0x80 // variant 10xx (RFC 4122)
            return UUID(uuid: (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7],
                               p[8], p[9], p[10], p[11], p[12], p[13], p[14], p[15]))
        }
    }

    /// SplitMix64's finaliser.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
