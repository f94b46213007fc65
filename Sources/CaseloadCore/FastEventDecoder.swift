import Foundation

/// Decodes one journal event from its JSON bytes without Codable: the journal holds hundreds
/// of thousands of events and JSONDecoder spends most of its time in generic machinery.
///
/// Gives the same `Event` as `Event(from:)` through JSONDecoder for anything `Event.encode`
/// writes, and for any other valid JSON: keys in any order, unknown keys ignored, missing or
/// null optionals nil, integers written as `3.0` or `1e2` accepted. It is stricter than
/// JSONDecoder for input that is not valid JSON, has a key twice in one object (see
/// `JSONScanner.first`), a clock out of range, or a UUID that is not canonical (JSONDecoder
/// tolerates trailing commas, broken text in values it never reads, and `UUID(uuidString:)`
/// takes " 621E1F8-…"): those throw here.
public enum FastEventDecoder {
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(FastDecodingError) -> Event {
        var s = JSONScanner(bytes)
        s.skipByteOrderMark()
        var id: UUID?, device: UUID?, seq: UInt64?, clock: HLC?, author: String?, type: String?
        var body: EventBody?
        var bodyStart: Int?
        var seen = Seen()
        // Sorted keys put "body" before "type", so the type is guessed from the end of the
        // payload (`…,"type":"goal.set"}`) to read the body in one pass. Only a guess: it is
        // checked against the real "type" below, and the body read again if they differ.
        let guess = guessType(bytes)
        let guessedDecoder = guess.flatMap { bodyDecoder(for: UnsafeRawBufferPointer(rebasing: bytes[$0])) }
        var typeIsGuess = false
        if try s.openObject(depth: 1) {
            repeat {
                let k = try s.readKey()
                if s.match(k, "id"), try s.first(&seen, 0) {
                    id = try s.uuid()
                } else if s.match(k, "device"), try s.first(&seen, 1) {
                    device = try s.uuid()
                } else if s.match(k, "seq"), try s.first(&seen, 2) {
                    seq = try s.uint64()
                } else if s.match(k, "clock"), try s.first(&seen, 3) {
                    clock = try s.hlc()
                } else if s.match(k, "author"), try s.first(&seen, 4) {
                    author = try s.string()
                } else if s.match(k, "type"), try s.first(&seen, 5) {
                    guard try s.peek() == JSONScanner.quote else { throw s.typeError(expected: "a string") }
                    let t = try s.scanString(decode: true)
                    type = s.makeString(t)
                    if let guess, !t.escaped, t.end - t.start == guess.count {
                        typeIsGuess = (0..<guess.count).allSatisfy { bytes[t.start + $0] == bytes[guess.lowerBound + $0] }
                    }
                } else if s.match(k, "body"), try s.first(&seen, 6) {
                    if let type {
                        body = try decodeBody(type: type, &s)
                    } else {
                        let start = s.pos
                        bodyStart = start
                        var guessed = false
                        if let guessedDecoder {
                            do {
                                body = try guessedDecoder(&s)
                                guessed = true
                            } catch {}
                        }
                        if !guessed {
                            // No usable guess: check the JSON now, read the body once the type is known.
                            s.pos = start
                            try s.skipValue(depth: 2)
                        }
                    }
                } else {
                    try s.skipUnknown(k, &seen, depth: 2)
                }
            } while try s.nextMember()
        }
        try s.expectEnd()
        let end = s.pos
        guard let id else { throw missing("id", end) }
        guard let device else { throw missing("device", end) }
        guard let seq else { throw missing("seq", end) }
        guard let clock else { throw missing("clock", end) }
        guard let author else { throw missing("author", end) }
        guard let type else { throw missing("type", end) }
        // Each branch builds the Event itself: a body is 200 bytes, worth not copying around.
        if let body, bodyStart == nil || typeIsGuess {
            return Event(id: id, device: device, seq: seq, clock: clock, author: author, body: body)
        }
        if let bodyStart {
            s.pos = bodyStart
            return Event(id: id, device: device, seq: seq, clock: clock, author: author, body: try decodeBody(type: type, &s))
        }
        if bodyDecoder(for: type) != nil { throw missing("body", end) }
        // JSONDecoder needs no body for a type it will not read.
        return Event(id: id, device: device, seq: seq, clock: clock, author: author, body: .unknown(type: type))
    }

    static func missing(_ name: String, _ offset: Int) -> FastDecodingError {
        FastDecodingError(field: name, "missing required field", offset: offset)
    }

    /// Where the string value of a final `"type"` member is, found by reading backwards.
    static func guessType(_ p: UnsafeRawBufferPointer) -> Range<Int>? {
        var end = p.count
        while end > 0, p[end - 1] <= 0x20 { end -= 1 }
        guard end >= 10, p[end - 1] == UInt8(ascii: "}"), p[end - 2] == JSONScanner.quote else { return nil }
        let close = end - 2
        var open = close - 1
        while open >= 0, p[open] != JSONScanner.quote {
            guard p[open] != JSONScanner.backslash else { return nil }
            open -= 1
        }
        let name: StaticString = "\"type\":"
        let n = name.utf8CodeUnitCount
        guard open >= n else { return nil }
        for i in 0..<n where p[open - n + i] != name.utf8Start[i] { return nil }
        return (open + 1)..<close
    }

    /// Reads the body at the scanner for `type`; errors name their field as `body.…`.
    static func decodeBody(type: String, _ s: inout JSONScanner) throws(FastDecodingError) -> EventBody {
        guard let decoder = bodyDecoder(for: type) else {
            try s.skipValue(depth: 2)
            return .unknown(type: type)
        }
        return try decodeBody(decoder, &s)
    }

    static func decodeBody(_ decoder: BodyDecoder, _ s: inout JSONScanner) throws(FastDecodingError) -> EventBody {
        do {
            return try decoder(&s)
        } catch {
            var e = error
            e.field = e.field.isEmpty ? "body" : "body." + e.field
            throw e
        }
    }

    typealias BodyDecoder = (inout JSONScanner) throws(FastDecodingError) -> EventBody

    /// The decoder for each type `EventBody.decode(type:from:)` knows; nil for others.
    static func bodyDecoder(for type: String) -> BodyDecoder? {
        var type = type
        return type.withUTF8 { bodyDecoder(for: UnsafeRawBufferPointer($0)) }
    }

    // `bodyDecoder(for: UnsafeRawBufferPointer)` and one reader per body are generated:
    // Generated/Schema+JSON.swift.

    /// A required field's value, or an error naming it.
    static func need<T>(_ value: T?, _ name: String, _ s: JSONScanner) throws(FastDecodingError) -> T {
        guard let value else { throw FastDecodingError(field: name, "missing required field", offset: s.pos) }
        return value
    }
}

/// Which fields an object has already given: JSONDecoder keeps the first of duplicate keys.
struct Seen {
    var bits: UInt32 = 0
    /// Keys read that no field has (rare): kept to refuse one twice as well.
    var unknownKeys: [[UInt8]] = []

    /// True the first time `bit` is asked for.
    mutating func first(_ bit: Int) -> Bool {
        let mask: UInt32 = 1 << UInt32(bit)
        defer { bits |= mask }
        return bits & mask == 0
    }
}

extension JSONScanner {
    /// True for the first member with the matched key; a second one throws. Readers disagree
    /// on which of two duplicates counts (PostgreSQL's jsonb keeps the last, we read the
    /// first), so a record with a key twice could show one author here and another there.
    @inline(__always)
    mutating func first(_ seen: inout Seen, _ bit: Int) throws(FastDecodingError) -> Bool {
        guard seen.first(bit) else { throw fieldError("the key appears twice in one object; such a record is refused as damaged") }
        return true
    }

    /// Skips the value of a member no field has, refusing its key if it came before.
    mutating func skipUnknown(_ key: Key, _ seen: inout Seen, depth: Int) throws(FastDecodingError) {
        let text = key.escaped ? Array(scratch[0..<key.count]) : Array(bytes[key.start..<(key.start + key.count)])
        guard !seen.unknownKeys.contains(text) else { throw error("a key appears twice in one object; such a record is refused as damaged") }
        seen.unknownKeys.append(text)
        try skipValue(depth: depth)
    }
}

// MARK: - Typed values

extension JSONScanner {
    mutating func string() throws(FastDecodingError) -> String {
        guard try peek() == Self.quote else { throw typeError(expected: "a string") }
        let t = try scanString(decode: true)
        return makeString(t)
    }

    mutating func optionalString() throws(FastDecodingError) -> String? {
        if try skipNull() { return nil }
        return try string()
    }

    /// `8-4-4-4-12` hex digits in either case, as `UUID(uuidString:)` writes them.
    mutating func uuid() throws(FastDecodingError) -> UUID {
        guard try peek() == Self.quote else { throw typeError(expected: "a UUID string") }
        let at = pos
        let t = try scanString(decode: true)
        guard let u = withText(t, Self.parseUUID) else { throw fieldError("not a UUID", at: at) }
        return u
    }

    mutating func optionalUUID() throws(FastDecodingError) -> UUID? {
        if try skipNull() { return nil }
        return try uuid()
    }

    static func parseUUID(_ p: UnsafeRawBufferPointer) -> UUID? {
        let dash = UInt8(ascii: "-")
        guard p.count == 36, p[8] == dash, p[13] == dash, p[18] == dash, p[23] == dash else { return nil }
        // Each byte from two hex digits, independently of the others (no long dependency
        // chain); a non-hex digit (0xFF) leaves high bits set in `bad`.
        var bad: UInt8 = 0
        @inline(__always) func pair(_ i: Int) -> UInt8 {
            let high = hexValue(p[i]), low = hexValue(p[i + 1])
            bad |= high | low
            return high << 4 | low
        }
        let u: uuid_t = (pair(0), pair(2), pair(4), pair(6), pair(9), pair(11), pair(14), pair(16),
                         pair(19), pair(21), pair(24), pair(26), pair(28), pair(30), pair(32), pair(34))
        return bad < 16 ? UUID(uuid: u) : nil
    }

    mutating func day() throws(FastDecodingError) -> Day {
        guard try peek() == Self.quote else { throw typeError(expected: "a YYYY-MM-DD date string") }
        let at = pos
        let t = try scanString(decode: true)
        guard let d = withText(t, Self.parseDay) else { throw fieldError("not a valid YYYY-MM-DD date", at: at) }
        return d
    }

    mutating func optionalDay() throws(FastDecodingError) -> Day? {
        if try skipNull() { return nil }
        return try day()
    }

    static func parseDay(_ p: UnsafeRawBufferPointer) -> Day? { Day(utf8: p) }

    mutating func hlc() throws(FastDecodingError) -> HLC {
        guard try peek() == Self.quote else { throw typeError(expected: "a clock string") }
        let at = pos
        let t = try scanString(decode: true)
        guard let c = withText(t, Self.parseHLC) else { throw fieldError("not a clock reading (millis.counter)", at: at) }
        guard c.isInRange else {
            throw fieldError("clock out of range: clock counter \(c.counter) (at most \(HLC.maxCounter)), time \(c.wallMillis) ms (at most \(HLC.maxWallMillis))", at: at)
        }
        return c
    }

    /// "1732406400000.3". Anything but plain digits on both sides of one dot goes through the
    /// same String code as `HLC(from:)`, which also takes signs and stray dots.
    static func parseHLC(_ p: UnsafeRawBufferPointer) -> HLC? {
        var dot = -1
        var plain = true
        for i in 0..<p.count {
            let b = p[i]
            if b == UInt8(ascii: ".") {
                if dot >= 0 { plain = false; break }
                dot = i
            } else if b < 48 || b > 57 {
                plain = false
                break
            }
        }
        if plain, dot > 0, dot < p.count - 1 {
            var wall: Int64 = 0
            for i in 0..<dot {
                let (m, o1) = wall.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(p[i] - 48))
                if o1 || o2 { return nil }
                wall = a
            }
            var counter: UInt32 = 0
            for i in (dot + 1)..<p.count {
                let (m, o1) = counter.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt32(p[i] - 48))
                if o1 || o2 { return nil }
                counter = a
            }
            return HLC(wallMillis: wall, counter: counter)
        }
        let text = String(decoding: p, as: UTF8.self)
        let parts = text.split(separator: ".")
        guard parts.count == 2, let w = Int64(parts[0]), let c = UInt32(parts[1]) else { return nil }
        return HLC(wallMillis: w, counter: c)
    }

    /// Validated exactly as `NHSNumber(_:)` does (it also normalises spaces and dashes).
    mutating func optionalNHSNumber() throws(FastDecodingError) -> NHSNumber? {
        if try skipNull() { return nil }
        let at = pos
        guard let n = NHSNumber(try string()) else { throw fieldError("invalid NHS number", at: at) }
        return n
    }

    mutating func vocab<T: RawRepresentable>(_ type: T.Type) throws(FastDecodingError) -> T where T.RawValue == String {
        let at = pos
        let text = try string()
        guard let v = T(rawValue: text) else { throw fieldError("not a valid \(T.self): \(text.debugDescription)", at: at) }
        return v
    }

    mutating func optionalVocab<T: RawRepresentable>(_ type: T.Type) throws(FastDecodingError) -> T? where T.RawValue == String {
        if try skipNull() { return nil }
        return try vocab(type)
    }

    mutating func vocabArray<T: RawRepresentable>(_ type: T.Type, depth: Int) throws(FastDecodingError) -> [T] where T.RawValue == String {
        var result: [T] = []
        if try openArray(depth: depth) {
            repeat { result.append(try vocab(type)) } while try nextElement()
        }
        return result
    }

    mutating func int() throws(FastDecodingError) -> Int {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw typeError(expected: "a number")
        }
        let at = pos
        let t = try scanNumber()
        guard let v = int64(t), let i = Int(exactly: v) else { throw fieldError("not an integer that fits in Int", at: at) }
        return i
    }

    mutating func optionalInt() throws(FastDecodingError) -> Int? {
        if try skipNull() { return nil }
        return try int()
    }

    mutating func uint64() throws(FastDecodingError) -> UInt64 {
        let b = try peek()
        guard b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) else {
            throw typeError(expected: "a number")
        }
        let at = pos
        let t = try scanNumber()
        guard let v = uint64(t) else { throw fieldError("not an integer that fits in UInt64", at: at) }
        return v
    }

    mutating func bool() throws(FastDecodingError) -> Bool {
        switch try peek() {
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw typeError(expected: "true or false")
        }
    }

    mutating func optionalBool() throws(FastDecodingError) -> Bool? {
        if try skipNull() { return nil }
        return try bool()
    }

    mutating func intArray(depth: Int) throws(FastDecodingError) -> [Int] {
        var result: [Int] = []
        if try openArray(depth: depth) {
            result.reserveCapacity(8)
            repeat { result.append(try int()) } while try nextElement()
        }
        return result
    }
}
