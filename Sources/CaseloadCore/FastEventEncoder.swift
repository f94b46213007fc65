import Foundation

/// Encodes one journal event to JSON bytes without Codable: the durable append's CPU on top of
/// its write+fsync was mostly JSONEncoder's generic machinery.
///
/// Writes exactly the bytes `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]` writes
/// for `Event.encode(to:)`, and tests hold it to that: payload bytes are stored, synced and
/// compared, and `StreamingFold.undoTargets` relies on sorted keys putting `"type"` last. So
/// keys are written in byte order at every level, nil optionals are left out, UUIDs are upper
/// case, and strings escape only `"`, `\` and control characters (`\n` style where JSON has
/// one, else `\u00xx` in lower-case hex), leaving `/` and non-ASCII text as they are.
public enum FastEventEncoder {
    public static func encode(_ e: Event) -> Data {
        var w = JSONBytesWriter()
        w.beginObject()
        w.field("author", e.author)
        w.key("body"); encodeBody(e.body, &w)
        w.key("clock"); w.clock(e.clock)
        w.field("device", e.device)
        w.field("id", e.id)
        w.key("seq"); w.integer(e.seq)
        w.field("type", e.body.type)
        w.endObject()
        return Data(w.bytes)
    }

    // `encodeBody` (each body's members in key order) is generated: Generated/Schema+JSON.swift.
}

/// Compact JSON into a byte array, one member or element at a time, in the order given.
struct JSONBytesWriter {
    var bytes: [UInt8] = []
    /// Whether the next member or element of the open object or array needs a comma first.
    private var needsComma = false

    init() { bytes.reserveCapacity(512) }

    mutating func beginObject() { bytes.append(UInt8(ascii: "{")); needsComma = false }
    mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma = true }
    mutating func beginArray() { bytes.append(UInt8(ascii: "[")); needsComma = false }
    mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma = true }

    mutating func element() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Keys are plain ASCII names, never escaped.
    mutating func key(_ name: StaticString) {
        element()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name); string(value)
    }

    mutating func field(_ name: StaticString, _ value: UUID?) {
        guard let value else { return }
        key(name); uuid(value)
    }

    mutating func field(_ name: StaticString, _ value: Day?) {
        guard let value else { return }
        key(name); day(value)
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name); integer(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool?) {
        guard let value else { return }
        key(name)
        if value {
            bytes.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            bytes.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    mutating func integers(_ values: [Int]) {
        beginArray()
        for v in values { element(); integer(v) }
        endArray()
    }

    mutating func integer<T: BinaryInteger>(_ value: T) {
        var v = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[19 - count] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                count += 1
            } while v != 0
            bytes.append(contentsOf: d[(20 - count)...])
        }
    }

    /// "1732406400000.3", as `HLC.description`.
    mutating func clock(_ c: HLC) {
        bytes.append(UInt8(ascii: "\""))
        integer(c.wallMillis)
        bytes.append(UInt8(ascii: "."))
        integer(c.counter)
        bytes.append(UInt8(ascii: "\""))
    }

    /// YYYY-MM-DD, as `Day.description`.
    mutating func day(_ d: Day) {
        let c = d.components
        guard (0...9999).contains(c.year) else {
            // Outside four-digit years `description`'s `%04d` decides: not worth copying.
            string(d.description)
            return
        }
        bytes.append(UInt8(ascii: "\""))
        fixedDigits(c.year, 4)
        bytes.append(UInt8(ascii: "-"))
        fixedDigits(c.month, 2)
        bytes.append(UInt8(ascii: "-"))
        fixedDigits(c.day, 2)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func fixedDigits(_ value: Int, _ width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var v = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(v / divisor))
            v %= divisor
            divisor /= 10
        }
    }

    /// Upper-case 8-4-4-4-12, as `uuidString`.
    mutating func uuid(_ u: UUID) {
        let hex: StaticString = "0123456789ABCDEF"
        bytes.append(UInt8(ascii: "\""))
        withUnsafeBytes(of: u.uuid) { raw in
            hex.withUTF8Buffer { h in
                for i in 0..<16 {
                    if i == 4 || i == 6 || i == 8 || i == 10 { bytes.append(UInt8(ascii: "-")) }
                    bytes.append(h[Int(raw[i] >> 4)])
                    bytes.append(h[Int(raw[i] & 0x0F)])
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = value
        s.withUTF8 { utf8 in
            var runStart = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                runStart = i + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    hex.withUTF8Buffer { h in
                        bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), h[Int(b >> 4)], h[Int(b & 0x0F)]])
                    }
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
