import CCurses

/// The number of terminal columns a grapheme cluster takes, as curses and the terminal draw it.
///
/// - Each scalar is measured with the C library's `wcwidth` (in a UTF-8 locale, set up on first
///   use): CJK ideographs and Hangul are 2, combining marks, ZWJ and variation selectors 0.
/// - An emoji presentation sequence (🙂, 👍🏽, 👩‍👩‍👧, 🇬🇧, ❤️ with VS16, keycaps) is 2 as a whole,
///   not the sum of its parts: terminals draw it as one double-width glyph.
/// - Control characters (tab, newline, escape) are 0; the result is never negative.
public func displayWidth(of character: Character) -> Int {
    // Fast path for plain text: printable ASCII is one column, ASCII controls none.
    if let ascii = character.asciiValue {
        return (0x20..<0x7F).contains(ascii) ? 1 : 0
    }
    _ = characterLocaleIsReady
    let scalars = character.unicodeScalars
    guard let first = scalars.first else { return 0 }

    if isRegionalIndicator(first) {
        // Two regional indicators make a flag, drawn as one wide glyph; a lone one is narrow.
        return scalars.count >= 2 ? 2 : scalarWidth(first)
    }
    let props = first.properties
    if props.isEmojiPresentation { return 2 }
    if props.isEmoji && scalars.count > 1 {
        // A text-default emoji (❤, ☺, digits) turned into an emoji by VS16, a keycap or a ZWJ.
        for scalar in scalars.dropFirst()
        where scalar.value == 0xFE0F || scalar.value == 0x20E3 || scalar.value == 0x200D {
            return 2
        }
    }
    var total = 0
    for scalar in scalars {
        total += scalarWidth(scalar)
    }
    return total
}

/// The number of terminal columns `text` takes: the sum over its grapheme clusters.
public func displayWidth(of text: String) -> Int {
    var total = 0
    for character in text {
        total += displayWidth(of: character)
    }
    return total
}

/// The number of terminal columns a run of grapheme clusters takes.
public func displayWidth<C: Collection>(of characters: C) -> Int where C.Element == Character {
    var total = 0
    for character in characters {
        total += displayWidth(of: character)
    }
    return total
}

private func isRegionalIndicator(_ scalar: Unicode.Scalar) -> Bool {
    (0x1F1E6...0x1F1FF).contains(scalar.value)
}

/// One scalar's width: `wcwidth` when it knows, otherwise a guess that never goes negative.
func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    var width = Int(ccurses_wcwidth(scalar.value))
    if width >= 0 { return width }
    // Something reset the locale after we set it up: set it up again and ask once more.
    if ensureUTF8CharacterLocale() {
        width = Int(ccurses_wcwidth(scalar.value))
        if width >= 0 { return width }
    }
    return fallbackWidth(scalar)
}

/// For scalars the C library cannot measure: controls and unassigned code points, characters
/// newer than its Unicode tables, or every non-ASCII scalar when no UTF-8 locale exists.
private func fallbackWidth(_ scalar: Unicode.Scalar) -> Int {
    let props = scalar.properties
    switch props.generalCategory {
    case .control, .format, .nonspacingMark, .enclosingMark,
         .lineSeparator, .paragraphSeparator, .surrogate:
        return 0
    default:
        break
    }
    if props.isEmojiPresentation { return 2 }
    if isEastAsianWide(scalar.value) { return 2 }
    return 1
}

/// The main East Asian Wide and Fullwidth blocks, for when `wcwidth` is unavailable.
private func isEastAsianWide(_ value: UInt32) -> Bool {
    switch value {
    case 0x1100...0x115F,     // Hangul Jamo initial consonants
         0x2E80...0x303E,     // CJK radicals, Kangxi, CJK symbols and punctuation
         0x3041...0x33FF,     // Kana, Bopomofo, Hangul compatibility Jamo, CJK compatibility
         0x3400...0x4DBF,     // CJK Extension A
         0x4E00...0x9FFF,     // CJK Unified Ideographs
         0xA000...0xA4CF,     // Yi
         0xAC00...0xD7A3,     // Hangul syllables
         0xF900...0xFAFF,     // CJK compatibility ideographs
         0xFE30...0xFE4F,     // CJK compatibility forms
         0xFF00...0xFF60,     // Fullwidth forms
         0xFFE0...0xFFE6,
         0x20000...0x3FFFD:   // CJK Extensions B onwards
        return true
    default:
        return false
    }
}
