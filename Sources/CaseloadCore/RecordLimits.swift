import Foundation

/// One limit per record and per field, so that whatever the writer accepts the reader reads
/// back. JSON escaping can make a field six times larger (a control character becomes
/// `\u001b`), so the field limits leave the encoded record far below the reader's limit;
/// the encoded size is checked too, as the last word.
public enum RecordLimits {
    /// The reader refuses a record longer than this (the journal's record framing).
    public static let readerMaxRecord = 16 << 20
    /// The writer refuses an encoded event longer than this: half the reader's limit.
    public static let maxEncodedRecord = 8 << 20
    /// A note, a draft, a goal's or a referral's text (the long free-text fields).
    public static let maxLongText = 1 << 20
    /// Every other text: names, phone, address, reasons, worker ids.
    public static let maxShortText = 4 << 10
    /// Fields holding free text that may be long; every other string is short.
    static let longTextFields: Set<String> = ["note", "text"]

    /// What is wrong with an event before it is written, in one line naming the field and the
    /// limit; nil when it can be written and read back.
    public static func problem(in event: Event) -> String? {
        if let p = textProblem(field: "author", event.author) { return p }
        return problem(in: event.body)
    }

    /// The same for a body alone (an import checks each row's before writing any).
    public static func problem(in body: EventBody) -> String? {
        // Every text and date field of every body type, walked by generated code
        // (`Generated/Schema+Limits.swift`), so a field added to the schema is covered.
        body.firstLimitProblem(problem(field:value:))
    }

    /// Checks an encoded record's size against the writer's limit.
    public static func problem(encodedSize: Int) -> String? {
        guard encodedSize > maxEncodedRecord else { return nil }
        return "this change is too large to save: \(size(encodedSize)) once stored, and a record can be at most \(size(maxEncodedRecord))"
    }

    /// A field's value as the limits see it.
    enum Value {
        case text(String)
        case day(Day)
    }

    static func problem(field: String, value: Value) -> String? {
        switch value {
        case .text(let text):
            return textProblem(field: field, text)
        case .day(let day):
            guard day.isStorable else {
                return "the \(field) \(day.ordinal > Day.latest.ordinal ? "is after \(Day.latest)" : "is before \(Day.earliest)"); dates must be between \(Day.earliest) and \(Day.latest)"
            }
            return nil
        }
    }

    private static func textProblem(field: String, _ text: String) -> String? {
        textProblem(field: field, text, long: longTextFields.contains(field))
    }

    /// A text against the long or the short limit (an import checks each cell with this).
    public static func textProblem(field: String, _ text: String, long: Bool) -> String? {
        let limit = long ? maxLongText : maxShortText
        let bytes = text.utf8.count
        guard bytes > limit else { return nil }
        return "the \(field) is too long: \(size(bytes)), and a \(field) can be at most \(size(limit))"
    }

    /// Sizes as people read them: "3.1 MB", "4 KiB" spelled as the limit is.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return bytes % (1 << 10) == 0 ? "\(bytes >> 10) KiB" : String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) bytes"
    }
}
