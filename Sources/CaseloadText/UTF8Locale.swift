import CCurses

/// Makes sure the C library measures characters as UTF-8 text, so `wcwidth` can see that 王 takes
/// two columns. A Swift process starts in the "C" locale, where `wcwidth` answers -1 for
/// everything beyond ASCII.
///
/// An already-working locale (the user's own `LANG`, or one the terminal code set) is left alone;
/// only a locale in which `wcwidth` cannot measure a CJK ideograph is switched, for `LC_CTYPE`
/// only, to the first UTF-8 locale the system has. Safe to call more than once. The terminal
/// code should call it after its own `setlocale(LC_ALL, "")` and before `initscr`, so curses and
/// these measurements agree. Returns whether `wcwidth` now works.
@discardableResult
public func ensureUTF8CharacterLocale() -> Bool {
    if wcwidthWorks() { return true }
    for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8", "en_GB.UTF-8", "UTF-8"] {
        if setlocale(LC_CTYPE, name) != nil, wcwidthWorks() { return true }
    }
    return false
}

/// Runs `ensureUTF8CharacterLocale` once, the first time any width is measured.
/// A global `let` is initialised lazily and exactly once, even across threads.
let characterLocaleIsReady: Bool = ensureUTF8CharacterLocale()

/// 一 (U+4E00) is two columns wide in every UTF-8 locale and unmeasurable (-1) in "C".
private func wcwidthWorks() -> Bool {
    ccurses_wcwidth(0x4E00) == 2
}
