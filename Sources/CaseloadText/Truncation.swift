/// Where `pad` puts the text inside the wider column.
public enum TextAlignment: Sendable, Equatable {
    /// Text at the left, spaces after it (names, notes).
    case leading
    /// Text at the right, spaces before it (numbers, dates).
    case trailing
    /// Text in the middle; an odd leftover space goes after it.
    case center
}

/// Cuts `text` to at most `width` display columns without splitting a grapheme cluster.
///
/// Text that fits is returned unchanged. Text that does not is cut to exactly `width` columns:
/// when a double-width character (王, 🙂) straddles the edge it is left out and a space takes its
/// place, so the next column still starts where it should. With `ellipsis`, the last column shows
/// "…" to say something was cut: `truncate("Siobhán Ní Bhriain", toWidth: 10, ellipsis: true)`
/// is "Siobhán N…".
public func truncate(_ text: String, toWidth width: Int, ellipsis: Bool = false) -> String {
    guard width > 0 else { return "" }
    if displayWidth(of: text) <= width { return text }
    let mark = "…"
    let markWidth = displayWidth(of: mark)
    if ellipsis && width >= markWidth {
        let (body, bodyWidth) = prefix(of: text, fitting: width - markWidth)
        return body + mark + String(repeating: " ", count: width - markWidth - bodyWidth)
    }
    let (body, bodyWidth) = prefix(of: text, fitting: width)
    return body + String(repeating: " ", count: width - bodyWidth)
}

/// Adds spaces so `text` takes exactly `width` display columns. Text already that wide or wider
/// is returned unchanged; use `fit` to also cut it.
public func pad(_ text: String, toWidth width: Int, alignment: TextAlignment = .leading) -> String {
    let missing = width - displayWidth(of: text)
    guard missing > 0 else { return text }
    switch alignment {
    case .leading:
        return text + String(repeating: " ", count: missing)
    case .trailing:
        return String(repeating: " ", count: missing) + text
    case .center:
        let before = missing / 2
        return String(repeating: " ", count: before) + text
            + String(repeating: " ", count: missing - before)
    }
}

/// `text` cut and padded to exactly `width` display columns: one table cell.
public func fit(
    _ text: String, toWidth width: Int, ellipsis: Bool = false, alignment: TextAlignment = .leading
) -> String {
    pad(truncate(text, toWidth: width, ellipsis: ellipsis), toWidth: width, alignment: alignment)
}

/// The longest run of whole grapheme clusters from the start of `text` within `width` columns,
/// and its width.
private func prefix(of text: String, fitting width: Int) -> (String, Int) {
    var used = 0
    var end = text.startIndex
    for index in text.indices {
        let w = displayWidth(of: text[index])
        if used + w > width { break }
        used += w
        end = text.index(after: index)
    }
    return (String(text[..<end]), used)
}
