import CCurses

/// The number of terminal columns a grapheme cluster takes, as tmux and xterm draw it.
///
/// Terminals lay text out scalar by scalar, not by grapheme cluster, so this is the sum of each
/// scalar's `wcwidth` (in a UTF-8 locale, set up on first use), with one exception:
/// - CJK ideographs and Hangul syllables are 2; combining marks, Hangul medial and final jamo,
///   variation selectors, tag characters and ZWJ are 0; an Indic vowel sign that takes its own
///   space (the ा in शर्मा) is 1, so शर्मा is 4 columns, not 2.
/// - A scalar straight after a ZWJ joins the glyph before it and adds nothing: 👨‍👩‍👧‍👦 is 2 and
///   🏳️‍🌈 is 1, as tmux draws them.
/// - So emoji are measured as the terminal draws them, not as a phone does: ❤️ (text-default
///   heart + VS16) and 1️⃣ are 1, a skin-toned 👍🏽 is 4 (two wide scalars), 🇬🇧 is 2.
/// - Control characters (tab, newline, escape) are 0; the result is never negative.
/// Measured against tmux 3.3 by printing each sample and reading the cursor column back.
public func displayWidth(of character: Character) -> Int {
    // Fast path for plain text: printable ASCII is one column, ASCII controls none.
    if let ascii = character.asciiValue {
        return (0x20..<0x7F).contains(ascii) ? 1 : 0
    }
    _ = characterLocaleIsReady
    var total = 0
    var afterJoiner = false
    for scalar in character.unicodeScalars {
        if scalar.value == zeroWidthJoiner {
            afterJoiner = true
            continue
        }
        if afterJoiner {
            afterJoiner = false
            continue
        }
        total += scalarWidth(scalar)
    }
    return total
}

/// Whether curses can keep `character` in its own screen model: it splits text into cells
/// scalar by scalar, a spacing scalar starting a cell with at most four marks after it
/// (CCHARW_MAX is 5), and knows nothing of ZWJ; a mark after a wide scalar (Hangul jamo on
/// 가, a variation selector on 🙂) lands in the wide glyph's hidden second cell and is lost.
/// For other clusters (ZWJ sequences, subdivision
/// flags with their six tags, scalars its `wcwidth` cannot measure) it would drop code points
/// or count columns the terminal does not draw, so the terminal code writes them itself.
public func cursesCanHold(_ character: Character) -> Bool {
    if character.isASCII { return true }
    _ = characterLocaleIsReady
    var marksInCell = 0
    var cellWidth: Int32 = 0
    for scalar in character.unicodeScalars {
        if scalar.value == zeroWidthJoiner { return false }
        let width = ccurses_wcwidth(scalar.value)
        if width < 0 { return false }
        if width == 0 {
            marksInCell += 1
            if cellWidth != 1 || marksInCell > 4 { return false }
        } else {
            cellWidth = width
            marksInCell = 0
        }
    }
    return true
}

private let zeroWidthJoiner: UInt32 = 0x200D

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
