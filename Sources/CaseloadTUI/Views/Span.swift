/// A run of text in one role: lines are built from spans so one row can mix roles.
struct Span: Sendable {
    var text: String
    var role: Role

    init(_ text: String, _ role: Role = .normal) {
        self.text = text
        self.role = role
    }
}

/// One line of a scrolling list. `item` is the selectable row it belongs to (several lines may
/// belong to one item, like a session and its note); nil for headings.
struct ListLine: Sendable {
    var spans: [Span]
    var item: Int?
    /// The first line of its item: where the selection marker and the cursor go.
    var isItemStart: Bool

    init(_ spans: [Span], item: Int? = nil, isItemStart: Bool = true) {
        self.spans = spans
        self.item = item
        self.isItemStart = isItemStart
    }
}

extension ListLine {
    /// The first line shown when `height` rows show `lines` with `selected` chosen: the whole
    /// selected item if it fits, else its first line at the top.
    static func top(_ lines: [ListLine], selected: Int?, height: Int) -> Int {
        let start = selected.flatMap { sel in lines.firstIndex { $0.item == sel && $0.isItemStart } } ?? 0
        let end = selected.flatMap { sel in lines.lastIndex { $0.item == sel } } ?? start
        var top = 0
        if end - top >= height { top = max(start, end - height + 1) }
        if start < top { top = start }
        // Headings just above the selection stay in view when possible.
        if top > 0, top == start, lines[top - 1].item == nil, end - (top - 1) < height { top -= 1 }
        return top
    }

    /// The item drawn at screen row `y` of a list drawn in `rect` (for a mouse click), if any.
    static func item(atScreenY y: Int, _ lines: [ListLine], selected: Int?, in rect: Rect) -> Int? {
        guard y >= rect.y, y < rect.maxY, !lines.isEmpty else { return nil }
        let i = top(lines, selected: selected, height: rect.height) + (y - rect.y)
        return lines.indices.contains(i) ? lines[i].item : nil
    }
}

extension Grid {
    /// Draws spans left to right from `x`, clipped to `maxX`. Returns the column after them.
    @discardableResult
    mutating func draw(_ spans: [Span], x: Int, y: Int, maxX: Int) -> Int {
        var col = x
        for s in spans where col < maxX {
            col += put(s.text, x: col, y: y, maxWidth: maxX - col, role: s.role)
        }
        return col
    }

    /// A scrolling list of lines with one selected item, marked with "▶" (not only by colour)
    /// and with the terminal cursor on it. Scrolls so the selected item's first line shows.
    mutating func drawList(_ lines: [ListLine], selected: Int?, in rect: Rect, emptyText: String = "Nothing here yet.") {
        fill(rect)
        guard rect.height > 0, rect.width > 2 else { return }
        if lines.isEmpty {
            put(DisplayWidth.truncate(emptyText, columns: rect.width - 2), x: rect.x + 2, y: rect.y, role: .dim)
            return
        }
        let top = ListLine.top(lines, selected: selected, height: rect.height)
        for row in 0..<rect.height {
            let i = top + row
            guard i < lines.count else { break }
            let line = lines[i]
            let y = rect.y + row
            let isSelected = line.item != nil && line.item == selected
            if isSelected && line.isItemStart {
                put("▶", x: rect.x, y: y, role: .selected)
                cursor = (rect.x, y)
            }
            draw(line.spans, x: rect.x + 2, y: y, maxX: rect.maxX)
            // Say when a line was cut at the edge.
            if line.spans.reduce(0, { $0 + DisplayWidth.of($1.text) }) > rect.width - 2 {
                put("…", x: rect.maxX - 1, y: y, role: line.spans.last?.role ?? .normal)
            }
            if isSelected && line.isItemStart { restyle(Rect(x: rect.x + 2, y: y, width: rect.width - 2, height: 1), role: .selected, keeping: .match) }
        }
        if top > 0 { put("↑", x: rect.maxX - 1, y: rect.y, role: .dim) }
        if top + rect.height < lines.count { put("↓", x: rect.maxX - 1, y: rect.maxY - 1, role: .dim) }
    }
}
