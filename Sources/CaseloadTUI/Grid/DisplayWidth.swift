import CaseloadText

/// Columns a grapheme takes on the terminal, and the cutting and padding the views need.
/// The one place the TUI asks how wide text is.
enum DisplayWidth {
    /// Measured by CaseloadText as the terminal draws it (wcwidth per scalar, ZWJ joining):
    /// never capped, so no cluster loses the columns its code points take.
    static func of(_ ch: Character) -> Int {
        if let a = ch.asciiValue { return a < 32 || a == 127 ? 0 : 1 }
        return CaseloadText.displayWidth(of: ch)
    }

    static func of(_ s: String) -> Int {
        var total = 0
        for ch in s { total += of(ch) }
        return total
    }

    /// The longest prefix of `s` that fits in `columns`.
    static func prefix(_ s: String, columns: Int) -> String {
        var used = 0
        var out = ""
        for ch in s {
            let w = of(ch)
            if used + w > columns { break }
            used += w
            out.append(ch)
        }
        return out
    }

    /// `s` cut to `columns`, ending in "…" when something was cut.
    static func truncate(_ s: String, columns: Int) -> String {
        if of(s) <= columns { return s }
        if columns <= 0 { return "" }
        var cut = prefix(s, columns: columns - 1)
        while cut.last == " " { cut.removeLast() }
        return cut + "…"
    }

    /// `s` padded with spaces (or cut) to exactly `columns`.
    static func pad(_ s: String, columns: Int) -> String {
        let t = truncate(s, columns: columns)
        return t + String(repeating: " ", count: max(0, columns - of(t)))
    }

    /// `s` right-aligned in `columns`.
    static func padLeft(_ s: String, columns: Int) -> String {
        let t = truncate(s, columns: columns)
        return String(repeating: " ", count: max(0, columns - of(t))) + t
    }
}
