/// Text from the journal (names, notes, reasons) made safe to print on a terminal: control
/// characters that a terminal would obey (ESC sequences that set the title, clear the screen or
/// write the clipboard with OSC 52, CR that overprints a line, C1 controls, bidirectional
/// overrides that reorder what is shown) become visible symbols instead. Line breaks and tabs
/// stay. For text output only: JSON output carries the exact value, escaped.
public func terminalSafe(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsNeutralising) else { return text }
    var out = String.UnicodeScalarView()
    for s in text.unicodeScalars {
        guard needsNeutralising(s) else { out.append(s); continue }
        // C0 controls and DEL have a visible picture (ESC is ␛, CR is ␍); the rest is �.
        if s.value < 0x20 { out.append(Unicode.Scalar(0x2400 + s.value)!) }
        else if s.value == 0x7F { out.append("\u{2421}") }
        else { out.append("\u{FFFD}") }
    }
    return String(out)
}

private func needsNeutralising(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x0A, 0x09: return false
    case 0x00..<0x20, 0x7F...0x9F: return true
    case 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
}
