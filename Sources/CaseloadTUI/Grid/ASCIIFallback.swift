/// For a terminal whose locale is not UTF-8 (LANG=C, a serial console): the symbols the views
/// use (▶ • … ▲ ▼ ↑ ↓ · — and the bars) as ASCII of the same width, so the screen still reads.
enum ASCIIFallback {
    static let glyphs: [Character: Character] = [
        "▶": ">", "•": "*", "…": "~", "▲": "^", "▼": "v", "↑": "^", "↓": "v", "→": ">", "←": "<",
        "·": "-", "—": "-", "–": "-", "█": "#", "░": ".", "▁": "_", "▂": "_", "▃": "-", "▄": "-",
        "▅": "=", "▆": "=", "▇": "#", "✓": "+", "✗": "x", "│": "|", "─": "-",
    ]

    static func glyph(_ c: Character) -> Character { glyphs[c] ?? c }
}

extension Grid {
    /// This grid with the view symbols swapped for ASCII (see `ASCIIFallback`).
    public func withASCIIFallback() -> Grid {
        var copy = self
        copy.replaceGlyphs(ASCIIFallback.glyph)
        return copy
    }
}
