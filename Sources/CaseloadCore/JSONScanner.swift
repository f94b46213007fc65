/// Why a payload could not be decoded: what was wrong, in which field (dotted path, empty for
/// plain JSON syntax errors) and at which byte of the payload.
public struct FastDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var message: String
    public var offset: Int

    public init(field: String = "", _ message: String, offset: Int) {
        self.field = field
        self.message = message
        self.offset = offset
    }

    public var description: String {
        field.isEmpty ? "\(message) (byte \(offset))" : "\(field): \(message) (byte \(offset))"
    }
}

/// A strict JSON reader over the UTF-8 bytes of one payload (RFC 8259: no trailing commas,
/// no comments, no lone surrogates, valid UTF-8 everywhere, nesting at most 512 deep as
/// JSONDecoder allows). It builds no tree: callers walk objects member by member and read
/// each value straight into the type they want, or skip it. Every read is bounds-checked by
/// hand because `UnsafeRawBufferPointer` subscripts are unchecked in release builds.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    var pos = 0
    /// The text of the last string that had escapes; reused so escapes cost no allocation.
    var scratch: [UInt8] = []
    /// The key of the member being read, for error messages.
    var field: StaticString = ""

    static let maxDepth = 512

    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// A string's place in the input. Without escapes its text is `bytes[start..<end]`;
    /// with escapes (when decoded) it is in `scratch`.
    struct StringToken {
        var start: Int
        var end: Int
        var escaped: Bool
    }

    /// An object key: a range of the input or, when it had escapes (rare), the text in
    /// `scratch`, which stays put until the key's value is read.
    struct Key {
        var start: Int
        var count: Int
        var escaped: Bool
    }

    struct NumberToken {
        var start: Int
        var end: Int
        /// No fraction and no exponent.
        var isInteger: Bool
    }

    // MARK: - Errors

    func error(_ message: String, at offset: Int? = nil) -> FastDecodingError {
        FastDecodingError(message, offset: offset ?? pos)
    }

    /// An error about the value of the current field.
    func fieldError(_ message: String, at offset: Int? = nil) -> FastDecodingError {
        FastDecodingError(field: field.description, message, offset: offset ?? pos)
    }

    /// "expected a string, found a number": what the next value is, in words.
    func typeError(expected: String) -> FastDecodingError {
        let found: String
        if pos >= bytes.count {
            found = "the end of the input"
        } else {
            switch bytes[pos] {
            case UInt8(ascii: "\""): found = "a string"
            case UInt8(ascii: "{"): found = "an object"
            case UInt8(ascii: "["): found = "an array"
            case UInt8(ascii: "t"), UInt8(ascii: "f"): found = "a boolean"
            case UInt8(ascii: "n"): found = "null"
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): found = "a number"
            default: found = "an invalid character"
            }
        }
        return fieldError("expected \(expected), found \(found)")
    }

    // MARK: - Structure

    mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    /// The next byte after whitespace, not consumed.
    @inline(__always)
    mutating func peek() throws(FastDecodingError) -> UInt8 {
        // Compact JSON has no whitespace: check for a plain byte before anything else.
        if pos < bytes.count {
            let b = bytes[pos]
            if b > 0x20 { return b }
        }
        return try peekAfterWhitespace()
    }

    mutating func peekAfterWhitespace() throws(FastDecodingError) -> UInt8 {
        skipWhitespace()
        guard pos < bytes.count else { throw error("unexpected end of input") }
        return bytes[pos]
    }

    /// JSONDecoder accepts a UTF-8 byte order mark, so this does too.
    mutating func skipByteOrderMark() {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { pos = 3 }
    }

    /// Only whitespace may follow the top-level value.
    mutating func expectEnd() throws(FastDecodingError) {
        skipWhitespace()
        guard pos == bytes.count else { throw error("unexpected data after the end of the JSON value") }
    }

    /// Consumes `{`; true when the object has a first member. `depth` is 1 for the top level.
    mutating func openObject(depth: Int) throws(FastDecodingError) -> Bool {
        guard try peek() == UInt8(ascii: "{") else { throw typeError(expected: "an object") }
        guard depth <= Self.maxDepth else { throw error("nested more than \(Self.maxDepth) deep") }
        pos += 1
        if try peek() == UInt8(ascii: "}") {
            pos += 1
            return false
        }
        return true
    }

    /// Reads a member's `"key":`, leaving the scanner at its value.
    mutating func readKey(decode: Bool = true) throws(FastDecodingError) -> Key {
        guard try peek() == Self.quote else { throw error("expected a key in quotes") }
        // Keys are short and plain ASCII: look for the closing quote directly, and leave
        // escapes, control characters and UTF-8 to the full string scanner.
        let start = pos + 1
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            guard b != Self.quote, b != Self.backslash, b >= 0x20, b < 0x80 else { break }
            i += 1
        }
        let key: Key
        if i < bytes.count, bytes[i] == Self.quote {
            pos = i + 1
            key = Key(start: start, count: i - start, escaped: false)
        } else {
            let t = try scanString(decode: decode)
            key = t.escaped && decode ? Key(start: t.start, count: scratch.count, escaped: true)
                                      : Key(start: t.start, count: t.end - t.start, escaped: false)
        }
        guard try peek() == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
        pos += 1
        return key
    }

    /// After a member's value: true when `,` introduces another member, false at `}`.
    mutating func nextMember() throws(FastDecodingError) -> Bool {
        let b = try peek()
        if b == UInt8(ascii: ",") { pos += 1; return true }
        if b == UInt8(ascii: "}") { pos += 1; return false }
        throw error("expected ',' or '}' after an object member")
    }

    /// Consumes `[`; true when the array has a first element.
    mutating func openArray(depth: Int) throws(FastDecodingError) -> Bool {
        guard try peek() == UInt8(ascii: "[") else { throw typeError(expected: "an array") }
        guard depth <= Self.maxDepth else { throw error("nested more than \(Self.maxDepth) deep") }
        pos += 1
        if try peek() == UInt8(ascii: "]") {
            pos += 1
            return false
        }
        return true
    }

    /// After an element: true when `,` introduces another, false at `]`.
    mutating func nextElement() throws(FastDecodingError) -> Bool {
        let b = try peek()
        if b == UInt8(ascii: ",") { pos += 1; return true }
        if b == UInt8(ascii: "]") { pos += 1; return false }
        throw error("expected ',' or ']' after an array element")
    }

    /// True when the key is `name` (keys compare byte for byte; ours are all ASCII, so this
    /// matches what a String comparison would). Remembers the name for error messages.
    @inline(__always)
    mutating func match(_ key: Key, _ name: StaticString) -> Bool {
        let n = name.utf8CodeUnitCount
        guard key.count == n else { return false }
        let p = name.utf8Start
        if key.escaped {
            for i in 0..<n where scratch[i] != p[i] { return false }
        } else {
            for i in 0..<n where bytes[key.start + i] != p[i] { return false }
        }
        field = name
        return true
    }

    /// Validates and steps over any value. Containers count towards the depth limit.
    mutating func skipValue(depth: Int) throws(FastDecodingError) {
        switch try peek() {
        case Self.quote:
            _ = try scanString(decode: false)
        case UInt8(ascii: "{"):
            if try openObject(depth: depth) {
                // Keys as decoded, so `"a"` and `"\u0061"` count as the same key.
                var keys = Set<[UInt8]>()
                repeat {
                    let at = pos
                    let k = try readKey()
                    let text = k.escaped ? Array(scratch[0..<k.count]) : Array(bytes[k.start..<(k.start + k.count)])
                    guard keys.insert(text).inserted else { throw error("a key appears twice in one object; such a record is refused as damaged", at: at) }
                    try skipValue(depth: depth + 1)
                } while try nextMember()
            }
        case UInt8(ascii: "["):
            if try openArray(depth: depth) {
                repeat { try skipValue(depth: depth + 1) } while try nextElement()
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
        default:
            throw error("unexpected character where a value should be")
        }
    }

    mutating func literal(_ word: StaticString) throws(FastDecodingError) {
        let n = word.utf8CodeUnitCount, p = word.utf8Start
        guard bytes.count - pos >= n else { throw error("invalid literal") }
        for i in 0..<n where bytes[pos + i] != p[i] { throw error("invalid literal") }
        pos += n
    }

    /// Consumes `null` if it is next.
    mutating func skipNull() throws(FastDecodingError) -> Bool {
        guard try peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    // MARK: - Strings

    /// Scans the string at `pos` (which is its opening quote). Checks escapes, surrogate
    /// pairs, control characters and UTF-8; with `decode`, escaped text goes to `scratch`.
    mutating func scanString(decode: Bool) throws(FastDecodingError) -> StringToken {
        pos += 1
        let start = pos
        var nonASCII = false
        var escaped = false
        var segment = start  // first raw byte not yet copied to scratch
        let count = bytes.count
        while true {
            // Eight bytes at a time while none of them is a quote, a backslash or a control
            // character: most of a note is plain text.
            var i = pos
            var high: UInt64 = 0
            while count - i >= 8 {
                let w = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let special = Self.specialBytes(w)
                if special != 0 {
                    // Step straight to the first special byte; the bytes before it are plain.
                    let k = special.trailingZeroBitCount >> 3
                    high |= k == 0 ? 0 : w & (~0 >> UInt64(64 - 8 * k))
                    i += k
                    break
                }
                high |= w
                i += 8
            }
            if high & 0x8080_8080_8080_8080 != 0 { nonASCII = true }
            pos = i
            guard pos < count else { throw error("unterminated string", at: start - 1) }
            let b = bytes[pos]
            if b == Self.quote { break }
            if b == Self.backslash {
                if decode {
                    if !escaped { scratch.removeAll(keepingCapacity: true) }
                    scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[segment..<pos]))
                }
                escaped = true
                try scanEscape(decode: decode)
                segment = pos
                continue
            }
            if b < 0x20 { throw error("unescaped control character in a string") }
            if b >= 0x80 { nonASCII = true }
            pos += 1
        }
        let end = pos
        if decode && escaped {
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[segment..<end]))
        }
        pos += 1
        // Escapes are ASCII and produce whole characters, so checking the raw bytes is enough.
        if nonASCII && !Self.isValidUTF8(bytes, from: start, to: end) {
            throw error("invalid UTF-8 in a string", at: start)
        }
        return StringToken(start: start, end: end, escaped: escaped)
    }

    /// The high bit of each byte of `w` (little-endian) that is `"`, `\\` or below 0x20, by
    /// the classic has-zero-byte test. Only the lowest set bit is exact, which is all we use.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let q = w ^ (ones &* 0x22), b = w ^ (ones &* 0x5C)
        let zeroInQ = (q &- ones) & ~q
        let zeroInB = (b &- ones) & ~b
        let control = (w &- ones &* 0x20) & ~w
        return (zeroInQ | zeroInB | control) & highs
    }

    /// One escape sequence at `pos` (its backslash).
    mutating func scanEscape(decode: Bool) throws(FastDecodingError) {
        let at = pos
        guard pos + 1 < bytes.count else { throw error("unterminated string", at: at) }
        let c = bytes[pos + 1]
        pos += 2
        let out: UInt8
        switch c {
        case UInt8(ascii: "\""): out = 0x22
        case UInt8(ascii: "\\"): out = 0x5C
        case UInt8(ascii: "/"): out = 0x2F
        case UInt8(ascii: "b"): out = 0x08
        case UInt8(ascii: "f"): out = 0x0C
        case UInt8(ascii: "n"): out = 0x0A
        case UInt8(ascii: "r"): out = 0x0D
        case UInt8(ascii: "t"): out = 0x09
        case UInt8(ascii: "u"):
            var scalar = try hex4(escapeAt: at)
            if (0xD800...0xDBFF).contains(scalar) {
                // A high surrogate is only half a character: an escaped low one must follow.
                guard pos + 1 < bytes.count, bytes[pos] == Self.backslash, bytes[pos + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate in a \\u escape", at: at)
                }
                pos += 2
                let low = try hex4(escapeAt: at)
                guard (0xDC00...0xDFFF).contains(low) else { throw error("unpaired surrogate in a \\u escape", at: at) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("unpaired surrogate in a \\u escape", at: at)
            }
            if decode { appendUTF8(scalar) }
            return
        default:
            throw error("invalid escape sequence", at: at)
        }
        if decode { scratch.append(out) }
    }

    mutating func hex4(escapeAt at: Int) throws(FastDecodingError) -> UInt32 {
        guard bytes.count - pos >= 4 else { throw error("incomplete \\u escape", at: at) }
        var v: UInt32 = 0
        for i in 0..<4 {
            let h = Self.hexValue(bytes[pos + i])
            guard h < 16 else { throw error("invalid \\u escape", at: at) }
            v = v << 4 | UInt32(h)
        }
        pos += 4
        return v
    }

    mutating func appendUTF8(_ s: UInt32) {
        switch s {
        case 0..<0x80:
            scratch.append(UInt8(s))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | s >> 6))
            scratch.append(UInt8(0x80 | s & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | s >> 12))
            scratch.append(UInt8(0x80 | s >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | s & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | s >> 18))
            scratch.append(UInt8(0x80 | s >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | s >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | s & 0x3F))
        }
    }

    /// 0...15 for a hex digit (either case), 0xFF otherwise.
    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8 {
        // Selects rather than branches: UUID digits are a random mix of digits and letters.
        let digit = c &- UInt8(ascii: "0")
        let letter = (c | 0x20) &- UInt8(ascii: "a")  // either case
        return digit < 10 ? digit : (letter < 6 ? letter &+ 10 : 0xFF)
    }

    /// Well-formed UTF-8 as Unicode defines it: no overlong forms, no surrogates, nothing
    /// above U+10FFFF, no truncated sequences.
    static func isValidUTF8(_ p: UnsafeRawBufferPointer, from: Int, to end: Int) -> Bool {
        @inline(__always) func cont(_ j: Int) -> Bool { p[j] & 0xC0 == 0x80 }
        var i = from
        while i < end {
            let b0 = p[i]
            if b0 < 0x80 { i += 1; continue }
            if b0 < 0xC2 { return false }
            if b0 < 0xE0 {
                guard i + 1 < end, cont(i + 1) else { return false }
                i += 2
            } else if b0 < 0xF0 {
                guard i + 2 < end else { return false }
                let b1 = p[i + 1]
                let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
                guard b1 >= low, b1 <= high, cont(i + 2) else { return false }
                i += 3
            } else if b0 < 0xF5 {
                guard i + 3 < end else { return false }
                let b1 = p[i + 1]
                let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
                guard b1 >= low, b1 <= high, cont(i + 2), cont(i + 3) else { return false }
                i += 4
            } else {
                return false
            }
        }
        return true
    }

    /// The string's text as a String (already validated, so decoding never repairs).
    func makeString(_ t: StringToken) -> String {
        if t.escaped { return String(decoding: scratch, as: UTF8.self) }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]), as: UTF8.self)
    }

    /// The string's text as bytes, for parsers that work on bytes (UUID, date, clock).
    func withText<R>(_ t: StringToken, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if t.escaped { return scratch.withUnsafeBytes { body($0) } }
        return body(UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]))
    }

    // MARK: - Numbers

    /// Scans a number with the strict JSON grammar: `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    mutating func scanNumber() throws(FastDecodingError) -> NumberToken {
        let start = pos
        @inline(__always) func isDigit(_ i: Int) -> Bool {
            i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9")
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard isDigit(pos) else { throw error("invalid number", at: start) }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1  // "01" then fails at the caller: a digit can't follow a value
        } else {
            while isDigit(pos) { pos += 1 }
        }
        var isInteger = true
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            isInteger = false
            pos += 1
            guard isDigit(pos) else { throw error("invalid number", at: start) }
            while isDigit(pos) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            isInteger = false
            pos += 1
            if pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard isDigit(pos) else { throw error("invalid number", at: start) }
            while isDigit(pos) { pos += 1 }
        }
        return NumberToken(start: start, end: pos, isInteger: isInteger)
    }

    /// The magnitude of an integer token and its sign; nil when it overflows 64 bits.
    func magnitude(_ t: NumberToken) -> (negative: Bool, value: UInt64)? {
        var i = t.start
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var v: UInt64 = 0
        while i < t.end {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] &- 48))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return (negative, v)
    }

    /// Like JSONDecoder: integers exactly; `3.0` or `1e2` through Double when that is exact.
    func int64(_ t: NumberToken) -> Int64? {
        guard t.isInteger else { return double(t).flatMap { Int64(exactly: $0) } }
        guard let (negative, v) = magnitude(t) else { return nil }
        if negative { return v <= UInt64(Int64.max) + 1 ? Int64(bitPattern: 0 &- v) : nil }
        return v <= UInt64(Int64.max) ? Int64(v) : nil
    }

    func uint64(_ t: NumberToken) -> UInt64? {
        guard t.isInteger else { return double(t).flatMap { UInt64(exactly: $0) } }
        guard let (negative, v) = magnitude(t) else { return nil }
        return negative && v != 0 ? nil : v
    }

    func double(_ t: NumberToken) -> Double? {
        Double(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[t.start..<t.end]), as: UTF8.self))
    }
}
