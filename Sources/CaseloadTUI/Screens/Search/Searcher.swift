import CaseloadCore
import Foundation

/// Search across every session note and goal, accent- and case-insensitive, folding every
/// note on each call: the plain path that `NoteSearchIndex.search` (what the app uses) must
/// match exactly.
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
        hits.sort(by: ordered)
        return Array(hits.prefix(limit))
    }

    /// Newest first, then by snippet; the same snippet on the same day (a note copied to two
    /// people) by patient and note id, so the list does not depend on dictionary order.
    static func ordered(_ a: SearchHit, _ b: SearchHit) -> Bool {
        if a.date != b.date { return a.date > b.date }
        if a.snippet != b.snippet { return a.snippet < b.snippet }
        if a.patientId != b.patientId { return a.patientId.sortsBefore(b.patientId) }
        return a.target.id.sortsBefore(b.target.id)
    }

    /// A line around the match. Folding can change lengths, so fall back to the note's start.
    static func snippet(_ folded: String, _ original: String, _ r: Range<String.Index>) -> String {
        asciiSnippet(folded, original, r) ?? foundationSnippet(folded, original, r)
    }

    static func foundationSnippet(_ folded: String, _ original: String, _ r: Range<String.Index>) -> String {
        let flat = original.replacingOccurrences(of: "\n", with: " ")
        guard folded.count == original.count else { return flat }
        let start = folded.distance(from: folded.startIndex, to: r.lowerBound)
        let from = max(0, start - 20)
        let s = flat.index(flat.startIndex, offsetBy: from)
        return (from > 0 ? "…" : "") + String(flat[s...])
    }

    /// The same for ASCII text without CR (most notes), byte by byte: there every character is
    /// one byte, the fold keeps the length, and each "\n" is a match. Nil for any other text.
    static func asciiSnippet(_ folded: String, _ original: String, _ r: Range<String.Index>) -> String? {
        let bytes = original.utf8
        guard bytes.count == folded.utf8.count, bytes.allSatisfy({ $0 < 128 && $0 != 13 }) else { return nil }
        let start = folded.utf8.distance(from: folded.utf8.startIndex, to: r.lowerBound)
        let from = max(0, start - 20)
        var out: [UInt8] = from > 0 ? Array("…".utf8) : []
        out.reserveCapacity(out.count + bytes.count - from)
        for b in bytes.dropFirst(from) { out.append(b == 10 ? 32 : b) }
        return String(decoding: out, as: UTF8.self)
    }
}
