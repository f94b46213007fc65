import CaseloadCore
import Foundation

/// Search across every session note and goal, accent- and case-insensitive.
enum Searcher {
    static func search(_ state: CaseloadState, query: String, limit: Int = 500) -> [SearchHit] {
        let needle = SearchText.fold(query.trimmingCharacters(in: .whitespaces))
        guard needle.count >= 2 else { return [] }
        var hits: [SearchHit] = []
        for s in state.sessions.values where state.patients[s.patientId] != nil {
            if let r = SearchText.fold(s.note).range(of: needle) {
                hits.append(SearchHit(patientId: s.patientId, target: .session(s.id), date: s.date,
                                      snippet: snippet(SearchText.fold(s.note), s.note, r)))
            }
        }
        for g in state.goals.values where state.patients[g.patientId] != nil {
            if SearchText.fold(g.text).contains(needle) {
                hits.append(SearchHit(patientId: g.patientId, target: .goal(g.id), date: g.created, snippet: g.text))
            }
        }
        hits.sort { $0.date != $1.date ? $0.date > $1.date : $0.snippet < $1.snippet }
        return Array(hits.prefix(limit))
    }

    /// A line around the match. Folding can change lengths, so fall back to the note's start.
    static func snippet(_ folded: String, _ original: String, _ r: Range<String.Index>) -> String {
        let flat = original.replacingOccurrences(of: "\n", with: " ")
        guard folded.count == original.count else { return flat }
        let start = folded.distance(from: folded.startIndex, to: r.lowerBound)
        let from = max(0, start - 20)
        let s = flat.index(flat.startIndex, offsetBy: from)
        return (from > 0 ? "…" : "") + String(flat[s...])
    }
}
