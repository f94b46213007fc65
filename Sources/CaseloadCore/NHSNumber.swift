/// A validated NHS number: ten digits whose last is the Modulus 11 check digit.
/// Stored as the ten digits, shown 3-3-4 (`943 476 5919`).
public struct NHSNumber: Hashable, Sendable, Codable, CustomStringConvertible {
    public let digits: String

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notDigits, wrongLength(Int), badCheckDigit, allSameDigit

        public var description: String {
            switch self {
            case .notDigits: return "an NHS number has only digits (spaces and dashes are allowed between them)"
            case .wrongLength(let n): return "an NHS number has 10 digits, not \(n)"
            case .badCheckDigit: return "the check digit does not match: a digit is probably mistyped"
            case .allSameDigit: return "ten identical digits is not a real NHS number"
            }
        }
    }

    /// Accepts `9434765919`, `943 476 5919` and `943-476-5919`.
    public static func parse(_ text: String) -> Result<NHSNumber, Problem> {
        var digits: [Int] = []
        for ch in text.unicodeScalars {
            if ch == " " || ch == "-" { continue }
            guard ch.value >= 48, ch.value <= 57 else { return .failure(.notDigits) }
            digits.append(Int(ch.value - 48))
        }
        guard digits.count == 10 else { return .failure(.wrongLength(digits.count)) }
        if Set(digits).count == 1 { return .failure(.allSameDigit) }
        guard let check = checkDigit(Array(digits.prefix(9))), check == digits[9] else {
            return .failure(.badCheckDigit)
        }
        return .success(NHSNumber(verifiedDigits: digits.map(String.init).joined()))
    }

    public init?(_ text: String) {
        guard case .success(let n) = NHSNumber.parse(text) else { return nil }
        self = n
    }

    /// Digits already checked (by `parse`, or when they were written to a snapshot).
    init(verifiedDigits: String) { digits = verifiedDigits }

    /// Modulus 11 over the first nine digits (weights 10...2); nil when the result is 10,
    /// which means no valid NHS number starts with these nine digits.
    public static func checkDigit(_ nine: [Int]) -> Int? {
        precondition(nine.count == 9)
        var sum = 0
        for (i, d) in nine.enumerated() { sum += d * (10 - i) }
        let check = 11 - sum % 11
        if check == 11 { return 0 }
        if check == 10 { return nil }
        return check
    }

    public var formatted: String {
        let a = Array(digits)
        return String(a[0..<3]) + " " + String(a[3..<6]) + " " + String(a[6..<10])
    }

    public var description: String { formatted }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let n = NHSNumber(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid NHS number"))
        }
        self = n
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(digits)
    }
}
