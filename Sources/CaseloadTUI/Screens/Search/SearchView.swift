import Foundation
import CaseloadCore

/// Search across all notes and goals; Enter jumps to the session or goal.
enum SearchView {
    static func draw(_ state: AppState, into grid: inout Grid, in rect: Rect) {
        let (inputRow, rest) = rect.splitTop(2)
        grid.fill(inputRow)
        let x = rect.x + 1 + grid.put("Search notes and goals: ", x: rect.x + 1, y: inputRow.y, role: .title)
        let w = grid.put(DisplayWidth.truncate(state.search.query.text, columns: max(0, rect.maxX - x - 1)), x: x, y: inputRow.y,
                         role: state.search.isTyping ? .inputFocused : .input)
        let nameWidth = max(10, min(24, rect.width / 4))
        let lines = state.search.hits.enumerated().map { i, hit in
            ListLine([Span(hit.date.description + " ", .dim),
                      Span(DisplayWidth.pad(state.caseload.patients[hit.patientId]?.name ?? "?", columns: nameWidth) + " "),
                      Span(hit.target.isGoal ? "goal: " : "", .dim)]
                     + highlighted(hit.snippet.replacingOccurrences(of: "\n", with: " "), query: state.search.query.text), item: i)
        }
        let hint = state.search.query.text.count < 2 ? "Type at least two letters." : "No note or goal contains \"\(state.search.query.text)\"."
        grid.drawList(lines, selected: lines.isEmpty ? nil : state.search.selected, in: rest, emptyText: hint)
        if state.search.isTyping {
            grid.cursor = (x + w, inputRow.y)
            grid.cursorVisible = true
        }
    }
}

extension SearchView {
    /// The snippet with each match of the query (ignoring case and accents, as the search
    /// does) in the match role.
    static func highlighted(_ text: String, query: String) -> [Span] {
        let needle = query.trimmingCharacters(in: .whitespaces)
        guard !needle.isEmpty else { return [Span(text)] }
        var spans: [Span] = []
        var rest = text[...]
        while let found = rest.range(of: needle, options: [.caseInsensitive, .diacriticInsensitive]) {
            if found.lowerBound > rest.startIndex { spans.append(Span(String(rest[..<found.lowerBound]))) }
            spans.append(Span(String(rest[found]), .match))
            rest = rest[found.upperBound...]
        }
        if !rest.isEmpty { spans.append(Span(String(rest))) }
        return spans
    }
}

extension SearchHit.Target {
    var isGoal: Bool { if case .goal = self { return true } else { return false } }
}
