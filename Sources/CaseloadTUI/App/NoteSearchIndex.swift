import CaseloadCore
import Foundation

/// Every session note and goal folded once (case and accents, `SearchText.fold`), so each key
/// typed in the search screen is a byte search over text folded already, not a refold of every
/// note (at 10,000 patients that refold took seconds a key). Built the first time the search
/// screen needs it and brought up to date after each change: only notes whose text, date or
/// patient changed are folded again. `search` gives exactly what `Searcher.search` gives.
public struct NoteSearchIndex: Sendable {
    struct Entry: Sendable {
        var patientId: UUID
        var target: SearchHit.Target
        var date: Day
        /// The text as shown (the note, or the goal), kept to tell whether it changed: an
        /// unchanged note shares its storage, so the comparison is immediate.
        var original: String
        var folded: String
        /// Every byte of the folded text is ASCII: any byte match is a match.
        var plainASCII: Bool
        /// The patient is in the caseload (an undone referral leaves its notes behind, unseen).
        var live: Bool
    }

    private var sessions: [UUID: Entry] = [:]
    private var goals: [UUID: Entry] = [:]

    public init() {}

    /// Brings the index up to date with `state`.
    public mutating func update(from state: CaseloadState) {
        for s in state.sessions.values {
            let live = state.patients[s.patientId] != nil
            let note = s.note
            if let e = sessions[s.id], e.original == note, e.date == s.date, e.patientId == s.patientId {
                if e.live != live { sessions[s.id]!.live = live }
                continue
            }
            sessions[s.id] = Self.entry(s.patientId, .session(s.id), s.date, note, live)
        }
        if sessions.count > state.sessions.count { sessions = sessions.filter { state.sessions[$0.key] != nil } }
        for g in state.goals.values {
            let live = state.patients[g.patientId] != nil
            if let e = goals[g.id], e.original == g.text, e.date == g.created, e.patientId == g.patientId {
                if e.live != live { goals[g.id]!.live = live }
                continue
            }
            goals[g.id] = Self.entry(g.patientId, .goal(g.id), g.created, g.text, live)
        }
        if goals.count > state.goals.count { goals = goals.filter { state.goals[$0.key] != nil } }
    }

    static func entry(_ patientId: UUID, _ target: SearchHit.Target, _ date: Day, _ text: String, _ live: Bool) -> Entry {
        let folded = SearchText.fold(text)
        let plain = folded.utf8.allSatisfy { $0 < 128 }
        return Entry(patientId: patientId, target: target, date: date, original: text, folded: folded, plainASCII: plain, live: live)
    }

    /// The notes and goals containing `query` (folded), newest first: what `Searcher.search`
    /// returns, in the same order. Snippets are made only for hits that can make the list.
    public func search(query: String, limit: Int = 500) -> [SearchHit] {
        let needle = SearchText.fold(query.trimmingCharacters(in: .whitespaces))
        guard needle.count >= 2 else { return [] }
        let pattern = Pattern(needle)
        var found: [(entry: Entry, range: Range<String.Index>)] = []
        for e in sessions.values where e.live {
            if let r = Self.firstMatch(pattern, in: e) { found.append((e, r)) }
        }
        for e in goals.values where e.live {
            if let r = Self.firstMatch(pattern, in: e) { found.append((e, r)) }
        }
        // The list is ordered by date, then snippet: only hits on or after the date of the
        // limit-th newest can be in it, so only they need a snippet.
        if found.count > limit {
            found.sort { $0.entry.date > $1.entry.date }
            let cutoff = found[limit - 1].entry.date
            found.removeAll { $0.entry.date < cutoff }
        }
        var hits = found.map { f -> SearchHit in
            let snippet: String
            switch f.entry.target {
            case .session: snippet = Searcher.snippet(f.entry.folded, f.entry.original, f.range)
            case .goal: snippet = f.entry.original
            }
            return SearchHit(patientId: f.entry.patientId, target: f.entry.target, date: f.entry.date, snippet: snippet)
        }
        hits.sort(by: Searcher.ordered)
        return Array(hits.prefix(limit))
    }

    /// A folded query, as text and as UTF-8.
    struct Pattern {
        var text: String
        var bytes: [UInt8]
        var isASCII: Bool
        init(_ text: String) {
            self.text = text
            bytes = Array(text.utf8)
            isASCII = bytes.allSatisfy { $0 < 128 }
        }
    }

    /// Where `String.range(of:)` (the plain path) first finds the pattern in the folded text.
    /// Foundation matches whole composed characters: "ae" is not in "ae\u{301}" nor before an
    /// emoji's skin tone, but is before a ZWJ or a spacing vowel sign. Rather than copy those
    /// rules, the byte search decides alone only where they cannot apply: an ASCII pattern
    /// whose first match has ASCII (or nothing) on both sides. Otherwise Foundation decides.
    /// Folded text is composed the same way as the folded pattern (singletons such as the
    /// Kelvin sign fold to ASCII), so an ASCII pattern Foundation finds is also a byte match.
    static func firstMatch(_ pattern: Pattern, in e: Entry) -> Range<String.Index>? {
        if !pattern.isASCII {
            // Text in other scripts: rare in the search box, and plain ASCII text cannot hold it.
            return e.plainASCII ? nil : e.folded.range(of: pattern.text)
        }
        var folded = e.folded
        let at: Int? = folded.withUTF8 { hay in
            guard let at = find(pattern.bytes, in: hay, from: 0) else { return nil }
            let end = at + pattern.bytes.count
            if e.plainASCII || ((at == 0 || hay[at - 1] < 128) && (end == hay.count || hay[end] < 128)) { return at }
            return -1
        }
        guard let at else { return nil }
        if at < 0 { return e.folded.range(of: pattern.text) }
        let u = e.folded.utf8
        let lower = u.index(u.startIndex, offsetBy: at)
        return lower..<u.index(lower, offsetBy: pattern.bytes.count)
    }

    /// The first offset at or after `from` where `needle` occurs in `hay`: `memchr` to the
    /// next candidate first byte, then `memcmp` of the rest.
    static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = needle.count
        guard n > 0, let base = hay.baseAddress, hay.count - from >= n else { return nil }
        return needle.withUnsafeBufferPointer { nb -> Int? in
            let first = Int32(nb[0])
            var i = from
            let last = hay.count - n
            while i <= last {
                guard let p = memchr(base + i, first, last - i + 1) else { return nil }
                let at = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
                if n == 1 || memcmp(base + at + 1, nb.baseAddress! + 1, n - 1) == 0 { return at }
                i = at + 1
            }
            return nil
        }
    }
}
