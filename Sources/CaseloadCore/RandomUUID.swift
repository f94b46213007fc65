import Foundation

extension UUID {
    /// A version 4 (random) UUID from the kernel's getrandom, through `SystemRandomNumberGenerator`.
    /// Foundation's `UUID()` on Linux opens and reads /dev/urandom each time, a measurable part
    /// of a durable append's CPU.
    public static func random() -> UUID {
        var g = SystemRandomNumberGenerator()
        return version4(using: &g)
    }

    public static func version4<G: RandomNumberGenerator>(using generator: inout G) -> UUID {
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { b in
            b[6] = (b[6] & 0x0F) | 0x40 // version 4
            b[8] = (b[8] & 0x3F) | 0x80 // variant 10xx (RFC 4122)
            return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                               b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
        }
    }
}

extension UUID {
    /// Lower-case 8-4-4-4-12, as every id is shown and exported: written by hand, since
    /// `uuidString` goes through the C library's formatted printing (8% of a large export).
    public var lowercasedString: String {
        withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                let hex: StaticString = "0123456789abcdef"
                var at = 0
                hex.withUTF8Buffer { h in
                    for i in 0..<16 {
                        if i == 4 || i == 6 || i == 8 || i == 10 { out[at] = UInt8(ascii: "-"); at += 1 }
                        out[at] = h[Int(raw[i] >> 4)]
                        out[at + 1] = h[Int(raw[i] & 0x0F)]
                        at += 2
                    }
                }
                return 36
            }
        }
    }
}
