import CaseloadCore
import Foundation

/// The search screen: typing the query, and the hits it finds.
extension AppState {
    /// While typing, letters go into the query; ↑/↓ stop typing and move; nil hands the key on.
    mutating func searchKey(_ key: Key) -> [Effect]? {
        guard search.isTyping else { return nil }
        if let c = key.typedCharacter { search.query.insert(String(c)); refreshSearch(); return [] }
        if key == .backspace { return nil }
        if key == .enter { search.isTyping = false; return [] }
        if key == .escape { return back() }
        if key == .up || key == .down { search.isTyping = false; return nil }
        return []
    }

    mutating func searchPerform(_ action: Action) -> [Effect]? {
        if action.isMove {
            search.isTyping = false
            search.selected = step(search.selected, action, search.hits.count)
            return []
        }
        guard action == .deleteBackward else { return nil }
        guard search.isTyping else { return [] }
        search.query.deleteBackward()
        refreshSearch()
        return []
    }

    /// A paste goes into the query, on one line.
    mutating func searchPaste(_ text: String) -> [Effect] {
        search.query.insert(text.replacingOccurrences(of: "\n", with: " "))
        search.isTyping = true
        refreshSearch()
        return []
    }

    /// Re-runs the note and goal search.
    mutating func refreshSearch() {
        if noteIndexStale {
            noteIndex.update(from: caseload)
            noteIndexStale = false
        }
        search.hits = noteIndex.search(query: search.query.text)
        search.selected = clamp(search.selected, search.hits.count)
    }
}
