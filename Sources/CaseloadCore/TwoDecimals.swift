import Foundation

/// `String(format: "%.2f", x)` written by hand: the formatter was the slowest part of writing a
/// measure's score into an export of tens of thousands of people. The same bytes always (tested
/// against the formatter): where the digits could depend on rounding the exact binary value
/// (within a millionth of a tie such as 0.125) or the number is huge or not finite, it asks the
/// formatter itself.
public enum TwoDecimals {
    /// Below this, `x * 100` is within 1e-7 of the exact product, far inside the tie margin.
    static let largest = 10_000_000.0
    static let tieMargin = 1e-6

    public static func text(_ x: Double) -> String {
        guard x.isFinite, x.magnitude < largest else { return String(format: "%.2f", x) }
        let scaled = x.magnitude * 100
        let whole = scaled.rounded(.down)
        let fraction = scaled - whole
        guard (fraction - 0.5).magnitude > tieMargin else { return String(format: "%.2f", x) }
        let hundredths = Int(whole) + (fraction > 0.5 ? 1 : 0)
        // "-0.00" for a negative that rounds to zero, as printf spells it (the sign bit decides).
        let negative = x.sign == .minus
        var digits: [UInt8] = []
        var v = hundredths / 100
        repeat { digits.append(UInt8(48 + v % 10)); v /= 10 } while v > 0
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        out.reserveCapacity(digits.count + 4)
        out.append(contentsOf: digits.reversed())
        out.append(UInt8(ascii: "."))
        out.append(UInt8(48 + hundredths / 10 % 10))
        out.append(UInt8(48 + hundredths % 10))
        return String(decoding: out, as: UTF8.self)
    }
}
