import Foundation

/// What a CSV cell must look like for a spreadsheet to read it as meant: numbers as numbers,
/// text as text, and no text run as a formula.
public enum SpreadsheetCell {
    /// A plain decimal number a spreadsheet reads as a number: optional minus, digits without
    /// a leading zero (so a phone's `07700…` is never one), optional decimals.
    public static func isNumber(_ s: String) -> Bool {
        var u = Substring(s).utf8[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        let whole = u.prefix { $0 >= 48 && $0 <= 57 }
        guard !whole.isEmpty, whole.count == 1 || whole.first != 48 else { return false }
        u = u.dropFirst(whole.count)
        if u.isEmpty { return true }
        guard u.first == UInt8(ascii: ".") else { return false }
        let frac = u.dropFirst()
        return !frac.isEmpty && frac.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// An international phone number (`+44 20 7946 0000`): a plus, then only digits and
    /// spaces. It cannot call a function or name a cell, so it needs no guard.
    public static func isPhoneNumber(_ s: String) -> Bool {
        guard s.hasPrefix("+") else { return false }
        let rest = s.dropFirst()
        return rest.filter(\.isNumber).count >= 7 && rest.allSatisfy { ($0.isASCII && $0.isNumber) || $0 == " " }
    }

    /// Text a spreadsheet would run as a formula (starting = + - @, tab or CR) gets a leading
    /// `'` so it stays text; numbers and phone numbers are left as they are.
    public static func guarded(_ s: String) -> String {
        guard let c = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(c), !isNumber(s), !isPhoneNumber(s) else { return s }
        return "'" + s
    }
}
