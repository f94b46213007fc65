import CaseloadCore
import Foundation

/// For `caseload-bench debug-note-search` (which `scripts/bench` runs): the search screen's work per
/// key typed, through the folded-note index and through the plain path that refolds every
/// note, on the same caseload in the same process, and whether they found the same.
public enum NoteSearchBenchmark {
    public struct Result: Sendable {
        /// Folding every note and goal into the index (the `s` key, once).
        public var buildMs: Double
        /// Per key typed, with the index and with the plain path.
        public var indexedMs: [Double]
        public var plainMs: [Double]
        public var notes: Int
        /// The largest number of hits of any query (the list shows at most 500).
        public var mostHits: Int
        public var agree: Bool
    }

    /// Every prefix of two letters or more of each word is one key; the plain path (seconds a
    /// key on a large caseload) runs only the keys of `plainWords`.
    public static func run(_ state: CaseloadState, words: [String], plainWords: [String]) -> Result {
        func ms(_ work: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            work()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        }
        func keys(_ ws: [String]) -> [String] { ws.flatMap { w in (2...max(2, w.count)).map { String(w.prefix($0)) } } }
        var index = NoteSearchIndex()
        let build = ms { index.update(from: state) }
        var indexed: [Double] = [], plain: [Double] = []
        var agree = true, most = 0
        var answers: [String: [SearchHit]] = [:]
        for q in keys(words) {
            var hits: [SearchHit] = []
            indexed.append(ms { hits = index.search(query: q) })
            answers[q] = hits
            most = max(most, hits.count)
        }
        for q in keys(plainWords) {
            var hits: [SearchHit] = []
            plain.append(ms { hits = Searcher.search(state, query: q) })
            let mine = answers[q] ?? index.search(query: q)
            if hits != mine { agree = false }
        }
        return Result(buildMs: build, indexedMs: indexed, plainMs: plain, notes: state.sessions.count + state.goals.count,
                      mostHits: most, agree: agree)
    }
}
