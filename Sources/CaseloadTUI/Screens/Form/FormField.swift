import CaseloadCore
import Foundation

/// One labelled field of a form, of a kind that says how its text is read and what is wrong
/// with it. The typed text is kept as typed even when it does not parse, and the problem is
/// shown beside it.
public struct FormField: Sendable, Hashable {
    /// How the field's text is read.
    public enum Kind: Sendable, Hashable {
        case text
        /// A day, ISO (1948-03-12) or day first (12/03/1948): `FormField.parseDay`.
        case date
        /// A whole number in the range.
        case number(ClosedRange<Int>)
        /// One of these, cycled with ←/→ or Space; the text is always one of them.
        case choice([String])
    }

    public var key: String
    public var label: String
    public var kind: Kind
    public var input: TextInput
    /// Shown under the field while it has focus: what to type.
    public var hint: String?
    public var error: String?

    /// A field of `kind`; giving `choices` makes it a choice among them.
    public init(key: String, label: String, value: String = "", kind: Kind = .text, choices: [String]? = nil, hint: String? = nil) {
        self.key = key
        self.label = label
        self.kind = choices.map { .choice($0) } ?? kind
        self.input = TextInput(value)
        self.hint = hint
    }

    /// The text as typed (or the choice made).
    public var value: String {
        get { input.text }
        set { input.replace(with: newValue) }
    }

    /// Insertion point, in characters (grapheme clusters) from the start.
    public var cursor: Int { input.cursor }

    public var choices: [String]? {
        if case .choice(let c) = kind { return c }
        return nil
    }

    public var isChoice: Bool { choices != nil }

    /// The text without the spaces around it, as it is read.
    var trimmed: String { value.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The day typed in a date field (nil when empty or not a date).
    var day: Day? { Self.parseDay(trimmed) }

    /// The number typed in a number field (nil when empty or not a whole number).
    var number: Int? { Int(trimmed) }

    /// What is wrong with the typed text for the field's kind; nil when it reads, or is empty.
    func problem(asOf: Day) -> String? {
        guard !trimmed.isEmpty else { return nil }
        switch kind {
        case .date:
            return day == nil ? "not a date: write YYYY-MM-DD or DD/MM/YYYY, e.g. \(asOf)" : nil
        case .number(let range):
            guard let n = number, range.contains(n) else { return "must be a whole number from \(range.lowerBound) to \(range.upperBound)" }
            return nil
        case .text, .choice:
            return nil
        }
    }

    /// The problem when a field that must be filled in is empty.
    var missingProblem: String {
        switch kind {
        case .date: return "a date is needed, as YYYY-MM-DD or DD/MM/YYYY"
        case .number(let range): return "a number from \(range.lowerBound) to \(range.upperBound) is needed"
        case .text, .choice: return "\(label) is needed"
        }
    }

    /// A date as people in the UK type it: ISO (1948-03-12) or day first (12/03/1948, 12.3.1948,
    /// 12-03-1948). Day first, never month first; the year in full; the date must exist.
    static func parseDay(_ text: String) -> Day? {
        if let iso = Day(text) { return iso }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map(String.init)
        guard parts.count == 3, parts[2].count == 4, (1...2).contains(parts[0].count), (1...2).contains(parts[1].count),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return Day(year: year, month: month, day: day)
    }

    mutating func insert(_ text: String) {
        guard !isChoice else { return }
        // A single-line field: newlines and tabs from a paste become spaces.
        input.insert(String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 }))
        error = nil
    }

    mutating func backspace() {
        guard !isChoice, cursor > 0 else { return }
        input.deleteBackward()
        error = nil
    }

    mutating func deleteForward() {
        guard !isChoice, cursor < value.count else { return }
        input.deleteForward()
        error = nil
    }

    mutating func cycle(_ delta: Int) {
        guard let choices, !choices.isEmpty else { return }
        let i = choices.firstIndex(of: value) ?? 0
        value = choices[(i + delta + choices.count) % choices.count]
        error = nil
    }
}
