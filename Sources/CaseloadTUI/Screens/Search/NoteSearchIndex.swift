import CaseloadCore
import Foundation

/// Every session note and goal folded once (case and accents, `SearchText.fold`) into one
/// buffer of UTF-8, so each key typed in the search screen is one byte scan of text folded
/// already, not a refold of every note (at 10,000 patients that refold took seconds a key).
/// Built the first time the search screen needs it and brought up to date after each change:
/// only notes whose text, date or patient changed are folded again. `search` gives exactly
/// what `Searcher.search` gives.
public struct NoteSearchIndex: Sendable {
    struct Entry: Sendable {
        var patientId: UUID
        var target: SearchHit.Target
        var date: Day
        /// The text as shown (the note, or the goal), kept to tell whether it changed: an
        /// unchanged note shares its storage, so the comparison is immediate.
        var original: String
        /// Where its folded text is in `text` (a 0 byte follows it, so no match runs across two).
        var start: Int
        var count: Int
        /// Every byte of the folded text is ASCII: any byte match is a match.
        var plainASCII: Bool
        /// The patient is in the caseload (an undone referral leaves its notes behind, unseen).
        var live: Bool
        /// Replaced by a newer entry, or its note is gone: its bytes wait for `compact`.
        var dead = false
    }

    private var text: [UInt8] = []
    /// In the order of `text`.
    private var entries: [Entry] = []
    private var sessionSlots: [UUID: Int] = [:]
    private var goalSlots: [UUID: Int] = [:]
    private(set) var deadBytes = 0
    /// Past this many bytes of dead entries (and half the text), the text is rewritten.
    var compactAfter = 1 << 20

    public init() {}

    /// Brings the index up to date with `state`.
    public mutating func update(from state: CaseloadState) {
        for s in state.sessions.values {
            upsert(s.id, .session(s.id), s.patientId, s.date, s.note, live: state.patients[s.patientId]?.isInUse ?? false)
        }
        for g in state.goals.values {
            upsert(g.id, .goal(g.id), g.patientId, g.created, g.text, live: state.patients[g.patientId]?.isInUse ?? false)
        }
        if sessionSlots.count > state.sessions.count {
            for (id, k) in sessionSlots where state.sessions[id] == nil { kill(k); sessionSlots[id] = nil }
        }
        if goalSlots.count > state.goals.count {
            for (id, k) in goalSlots where state.goals[id] == nil { kill(k); goalSlots[id] = nil }
        }
        if deadBytes > compactAfter, deadBytes > text.count / 2 { compact() }
    }

    private mutating func upsert(_ id: UUID, _ target: SearchHit.Target, _ patientId: UUID, _ date: Day, _ original: String, live: Bool) {
        let isGoal = if case .goal = target { true } else { false }
        if let k = isGoal ? goalSlots[id] : sessionSlots[id] {
            if entries[k].original == original, entries[k].date == date, entries[k].patientId == patientId {
                entries[k].live = live
                return
            }
            kill(k)
        }
        let folded = SearchText.fold(original)
        let start = text.count
        text.append(contentsOf: folded.utf8)
        text.append(0)
        let count = text.count - 1 - start
        let plain = text[start..<(start + count)].allSatisfy { $0 < 128 }
        if isGoal { goalSlots[id] = entries.count } else { sessionSlots[id] = entries.count }
        entries.append(Entry(patientId: patientId, target: target, date: date, original: original, start: start, count: count,
                             plainASCII: plain, live: live))
    }

    private mutating func kill(_ k: Int) {
        entries[k].dead = true
        deadBytes += entries[k].count + 1
    }

    /// Drops the bytes of dead entries, keeping the order.
    private mutating func compact() {
        var newText: [UInt8] = [], newEntries: [Entry] = []
        newText.reserveCapacity(text.count - deadBytes)
        var remap: [Int: Int] = [:]
        for (k, e) in entries.enumerated() where !e.dead {
            var moved = e
            moved.start = newText.count
            newText.append(contentsOf: text[e.start..<(e.start + e.count + 1)])
            remap[k] = newEntries.count
            newEntries.append(moved)
        }
        sessionSlots = sessionSlots.mapValues { remap[$0]! }
        goalSlots = goalSlots.mapValues { remap[$0]! }
        text = newText
        entries = newEntries
        deadBytes = 0
    }

    func folded(_ e: Entry) -> String { String(decoding: text[e.start..<(e.start + e.count)], as: UTF8.self) }

    /// The notes and goals containing `query` (folded), newest first: what `Searcher.search`
    /// returns, in the same order. Snippets are made only for hits that can make the list.
    public func search(query: String, limit: Int = 500) -> [SearchHit] {
        let needle = SearchText.fold(query.trimmingCharacters(in: .whitespaces))
        guard needle.count >= 2 else { return [] }
        let pattern = Pattern(needle)
        // A hit: the entry and where the match is in its folded text, as UTF-8 offsets.
        var found: [(entry: Int, lower: Int, upper: Int)] = []
        func record(_ k: Int, _ r: Range<String.Index>, in folded: String) {
            let u = folded.utf8
            found.append((k, u.distance(from: u.startIndex, to: r.lowerBound), u.distance(from: u.startIndex, to: r.upperBound)))
        }
        if pattern.isASCII, !pattern.bytes.contains(0) {
            scan(pattern, found: &found)
        } else {
            // Text in other scripts: rare in the search box, and plain ASCII text cannot hold it.
            for (k, e) in entries.enumerated() where !e.dead && e.live && !(e.plainASCII && !pattern.isASCII) {
                let f = folded(e)
                if let r = f.range(of: pattern.text) { record(k, r, in: f) }
            }
        }
        // The list is ordered by date, then snippet: only hits on or after the date of the
        // limit-th newest can be in it, so only they need a snippet.
        if found.count > limit {
            var dates = found.map { entries[$0.entry].date.ordinal }
            dates.sort(by: >)
            let cutoff = dates[limit - 1]
            found.removeAll { entries[$0.entry].date.ordinal < cutoff }
        }
        var hits = found.map { f -> SearchHit in
            let e = entries[f.entry]
            let snippet: String
            switch e.target {
            case .session:
                let folded = folded(e), u = folded.utf8
                let lower = u.index(u.startIndex, offsetBy: f.lower), upper = u.index(u.startIndex, offsetBy: f.upper)
                snippet = Searcher.snippet(folded, e.original, lower..<upper)
            case .goal:
                snippet = e.original
            }
            return SearchHit(patientId: e.patientId, target: e.target, date: e.date, snippet: snippet)
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

    /// One pass over all the folded text for an ASCII pattern, keeping each live entry's first
    /// match where `String.range(of:)` (the plain path) finds it. Foundation matches whole
    /// composed characters: "ae" is not in "ae\u{301}" nor before an emoji's skin tone, but is
    /// before a ZWJ or a spacing vowel sign. Rather than copy those rules, the byte match
    /// decides alone only where they cannot apply: ASCII (or nothing) on both sides of it.
    /// Otherwise Foundation decides, on that entry. Folded text is composed as the folded
    /// pattern is (singletons such as the Kelvin sign fold to ASCII), so an ASCII pattern
    /// Foundation finds is also a byte match.
    private func scan(_ pattern: Pattern, found: inout [(entry: Int, lower: Int, upper: Int)]) {
        let n = pattern.bytes.count
        text.withUnsafeBufferPointer { hay in
            pattern.bytes.withUnsafeBufferPointer { needle in
                var from = 0, k = 0
                while let at = Self.find(needle, in: hay, from: from) {
                    while k + 1 < entries.count && entries[k + 1].start <= at { k += 1 }
                    let start = entries[k].start, stop = start + entries[k].count
                    from = stop + 1
                    guard !entries[k].dead, entries[k].live else { continue }
                    let end = at + n
                    if entries[k].plainASCII || ((at == start || hay[at - 1] < 128) && (end == stop || hay[end] < 128)) {
                        found.append((k, at - start, end - start))
                    } else {
                        let f = folded(entries[k])
                        if let r = f.range(of: pattern.text) {
                            let u = f.utf8
                            found.append((k, u.distance(from: u.startIndex, to: r.lowerBound), u.distance(from: u.startIndex, to: r.upperBound)))
                        }
                    }
                }
            }
        }
    }

    /// The first offset at or after `from` where `needle` occurs in `hay`. Thirty-two places
    /// at a time: those whose first and last bytes both match are checked in full.
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in hay: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = needle.count, count = hay.count
        guard n > 0, from >= 0, count - from >= n, let base = hay.baseAddress, let nb = needle.baseAddress else { return nil }
        func matches(_ p: Int) -> Bool {
            var j = 1
            while j < n && base[p + j] == nb[j] { j += 1 }
            return j >= n
        }
        let first = SIMD32<UInt8>(repeating: nb[0]), last = SIMD32<UInt8>(repeating: nb[n - 1])
        var i = from
        while i + n - 1 + 32 <= count {
            let a = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD32<UInt8>.self)
            let b = UnsafeRawPointer(base + i + n - 1).loadUnaligned(as: SIMD32<UInt8>.self)
            let both = (a .== first) .& (b .== last)
            // Any lane set, as four words (the generic `any` was not inlined).
            let w = unsafeBitCast(both, to: (UInt64, UInt64, UInt64, UInt64).self)
            if w.0 | w.1 | w.2 | w.3 != 0 {
                for j in 0..<32 where both[j] && matches(i + j) { return i + j }
            }
            i += 32
        }
        while i + n <= count {
            if base[i] == nb[0] && matches(i) { return i }
            i += 1
        }
        return nil
    }
}
