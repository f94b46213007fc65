import CaseloadCore
@testable import CaseloadTUI
import Foundation
import XCTest

/// The folded-note index must give exactly what refolding every note gives (`Searcher`, the
/// plain path): the same hits, snippets and order, on demo notes, on random text in many
/// scripts, and after notes are added, amended and their patients undone.
final class NoteSearchIndexTests: XCTestCase {
    static let asOf = Day("2026-11-23")!

    static func demoEvents(patients: Int, seed: UInt64) -> [Event] {
        let device = UUID(uuidString: "00000000-0000-0000-0000-0000000000DE")!
        return DemoCaseload.events(patients: patients, seed: seed, asOf: asOf, device: device)
    }

    func assertSame(_ state: CaseloadState, _ index: NoteSearchIndex, _ queries: [String], limits: [Int] = [500, 7],
                    file: StaticString = #filePath, line: UInt = #line) {
        for q in queries {
            for limit in limits {
                let plain = Searcher.search(state, query: q, limit: limit)
                let indexed = index.search(query: q, limit: limit)
                if plain != indexed {
                    XCTFail("query \(q.debugDescription), limit \(limit): plain \(plain.count) hits, indexed \(indexed.count); first difference at \(Array(zip(plain, indexed)).firstIndex { $0.0 != $0.1 } ?? min(plain.count, indexed.count))",
                            file: file, line: line)
                    return
                }
            }
        }
    }

    func testDemoNotesGiveTheSameHitsSnippetsAndOrder() {
        let state = CaseloadState.fold(Self.demoEvents(patients: 150, seed: 3))
        XCTAssertGreaterThan(state.sessions.count, 100)
        var index = NoteSearchIndex()
        index.update(from: state)
        var queries = ["garden", "Walking group", "suilleabhain", "Ó Súil", "o s", "£300", "mood", "the", "an", "zz", "a", " ", "",
                       "  damp  ", "CAFÉ", "cafe", "knit and natter", "\"some of the time\"", "men's shed", "ng", "e."]
        // Pieces of the notes and goals themselves, at every length from 2 to 8.
        var rng = SeededRandom(seed: 11)
        let texts = state.sessions.values.map(\.note).sorted() + state.goals.values.map(\.text).sorted()
        for _ in 0..<60 {
            let t = Array(rng.pick(texts))
            guard t.count > 8 else { continue }
            let start = rng.int(0...(t.count - 8)), length = rng.int(2...8)
            queries.append(String(t[start..<(start + length)]))
        }
        assertSame(state, index, queries)
        XCTAssertGreaterThan(index.search(query: "the").count, 7, "a query with many hits, so the limit's cut-off is exercised")
    }

    /// Text from an alphabet of accents, combining marks, letters that fold to two, CJK,
    /// Devanagari, Hangul syllables and jamo, emoji sequences and CRLF: Foundation's idea of a
    /// whole character decides, as in the plain path.
    func testRandomTextInManyScriptsGivesTheSameHits() {
        let alphabet: [String] = ["a", "e", "o", "s", "A", "E", "S", " ", " ", "\n", "\r\n", "é", "e\u{301}", "\u{301}", "Ó", "ó", "ß", "ss",
                                  "ł", "Ł", "ø", "æ", "œ", "ı", "İ", "Σ", "ς", "σ", "ﬁ", "Ａ", "ｅ", "王", "小", "क", "ि", "्", "ष", "한", "ᄒ", "ᅡ",
                                  "👍", "🏽", "❤️", "\u{200D}", "👨‍👩‍👧", "1️⃣", "ñ", "n\u{303}", ".", "£", "ǅ"]
        var rng = SeededRandom(seed: 2026)
        var f = Fixture.standard()
        let patients = [Fixture.tadeusz, Fixture.siobhan, Fixture.okafor, Fixture.begum, Fixture.chen, Fixture.wang]
        var notes: [String] = []
        for i in 0..<120 {
            let note = (0..<rng.int(0...60)).map { _ in rng.pick(alphabet) }.joined()
            notes.append(note)
            let day = Day("2026-01-01")!.adding(days: rng.int(0...20))
            if i % 5 == 4 {
                f.add(.goalSet(GoalSet(goalId: Fixture.id(10_000 + i), patientId: rng.pick(patients), text: note, date: day, progress: 0)))
            } else {
                f.add(.sessionRecorded(SessionRecorded(sessionId: Fixture.id(20_000 + i), patientId: rng.pick(patients), date: day,
                                                       kind: .phone, minutes: 10, note: note)))
            }
        }
        let state = f.state
        var index = NoteSearchIndex()
        index.update(from: state)
        var queries: [String] = []
        for _ in 0..<600 {
            if rng.chance(0.5), let note = notes.filter({ $0.count > 3 }).randomElement(using: &rng) {
                let t = Array(note), start = rng.int(0...(t.count - 2)), length = rng.int(1...min(5, t.count - start))
                queries.append(String(t[start..<(start + length)]))
            } else {
                queries.append((0..<rng.int(1...4)).map { _ in rng.pick(alphabet) }.joined())
            }
        }
        assertSame(state, index, queries, limits: [500, 3])
    }

    /// Snippets of plain ASCII notes are cut byte by byte: the same as through Foundation.
    func testTheASCIISnippetIsFoundationsSnippet() {
        var rng = SeededRandom(seed: 77)
        let pieces = ["a", "b", "Z", " ", "\n", "\n\n", ".", "'", "\t", "x"]
        var notes = CaseloadState.fold(Self.demoEvents(patients: 10, seed: 1)).sessions.values.map(\.note).sorted()
            .filter { !$0.isEmpty && $0.utf8.allSatisfy { $0 < 128 } }
        for _ in 0..<300 { notes.append((0..<rng.int(1...80)).map { _ in rng.pick(pieces) }.joined()) }
        var checked = 0
        for note in notes {
            let folded = SearchText.fold(note)
            for _ in 0..<5 {
                let u = folded.utf8, at = rng.int(0...(u.count - 1))
                let lower = u.index(u.startIndex, offsetBy: at), upper = u.index(lower, offsetBy: min(2, u.count - at))
                XCTAssertEqual(Searcher.asciiSnippet(folded, note, lower..<upper), Searcher.foundationSnippet(folded, note, lower..<upper))
                checked += 1
            }
        }
        XCTAssertNil(Searcher.asciiSnippet("a\r\nb", "a\r\nb", "a\r\nb".startIndex..<"a\r\nb".endIndex), "CR: Foundation decides")
        XCTAssertGreaterThan(checked, 1000)
    }

    func testAfterAddingAmendingAndUndoingTheIndexFollows() {
        var events = Self.demoEvents(patients: 40, seed: 5)
        var state = CaseloadState.fold(events)
        var index = NoteSearchIndex()
        index.update(from: state)
        let device = events[0].device
        func add(_ body: EventBody) {
            let e = Event(id: UUID(), device: device, seq: UInt64(events.count + 1), clock: HLC(wallMillis: 1_800_000_000_000 + Int64(events.count)),
                          author: "amira-haddad", body: body)
            events.append(e)
            state = CaseloadState.fold(events)
            index.update(from: state)
        }
        let session = state.sessions.values.sorted { $0.id.sortsBefore($1.id) }[0]
        let versionId = events.first { if case .sessionRecorded(let s) = $0.body { s.sessionId == session.id } else { false } }!.id
        add(.sessionAmended(SessionAmended(sessionId: session.id, note: "Now about the Łódź pottery class, not gardening.", basedOn: versionId)))
        assertSame(state, index, ["lodz", "pottery", "garden", "class"])
        XCTAssertEqual(index.search(query: "lodz pottery").map(\.target), [.session(session.id)])

        let patient = state.patients.values.sorted { $0.id.sortsBefore($1.id) }[1]
        add(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: patient.id, date: Self.asOf, kind: .phone, minutes: 5,
                                             note: "Rang about the Zumba class.")))
        add(.goalSet(GoalSet(goalId: UUID(), patientId: patient.id, text: "Zumba on Fridays", date: Self.asOf, progress: 1)))
        assertSame(state, index, ["zumba", "class", "fridays"])
        XCTAssertEqual(index.search(query: "zumba").count, 2)

        // Undoing the referral hides the patient's notes and goals, in both paths.
        let referral = events.first { if case .patientReferred(let p) = $0.body { p.patientId == patient.id } else { false } }!.id
        add(.changeUndone(ChangeUndone(eventId: referral)))
        XCTAssertNil(state.patients[patient.id])
        assertSame(state, index, ["zumba", "class", "the"])
        XCTAssertEqual(index.search(query: "zumba").count, 0)

        var fresh = NoteSearchIndex()
        fresh.update(from: state)
        for q in ["the", "walking", "class", "lodz"] { XCTAssertEqual(index.search(query: q), fresh.search(query: q), q) }
    }

    /// Amended notes leave their old folded text behind until the text is rewritten: the
    /// answers are the same before and after.
    func testRewritingTheTextAfterManyAmendmentsChangesNothing() {
        var events = Self.demoEvents(patients: 20, seed: 9)
        var index = NoteSearchIndex()
        index.compactAfter = 200
        var state = CaseloadState.fold(events)
        index.update(from: state)
        let sessions = state.sessions.values.sorted { $0.id.sortsBefore($1.id) }.prefix(12)
        var compactions = 0
        for round in 0..<6 {
            for (i, s) in sessions.enumerated() {
                let basedOn = events.last { e in
                    switch e.body {
                    case .sessionRecorded(let r): r.sessionId == s.id
                    case .sessionAmended(let a): a.sessionId == s.id
                    default: false
                    }
                }!.id
                events.append(Event(id: UUID(), device: events[0].device, seq: UInt64(events.count + 1),
                                    clock: HLC(wallMillis: 1_800_000_000_000 + Int64(events.count)), author: "amira-haddad",
                                    body: .sessionAmended(SessionAmended(sessionId: s.id, note: "Round \(round): the pottery class, note \(i). " + String(repeating: "Walked to the shops. ", count: 100),
                                                                        basedOn: basedOn))))
            }
            state = CaseloadState.fold(events)
            let dead = index.deadBytes
            index.update(from: state)
            if index.deadBytes < dead { compactions += 1 }
            assertSame(state, index, ["pottery", "round \(round)", "round \(max(0, round - 1))", "the", "garden", "shops"])
        }
        XCTAssertGreaterThan(compactions, 0)
        XCTAssertEqual(index.search(query: "pottery").count, 12)
    }

    /// The app's search screen uses the index; what it shows is the plain search's answer,
    /// also after a note saved while the screen is open.
    func testTheSearchScreenShowsWhatThePlainSearchFinds() {
        var f = Fixture.standard()
        var s = AppState(caseload: f.state, workerId: "amira", asOf: Fixture.asOf, width: 100, height: 30)
        send(&s, .key(.char("s")))
        type(&s, "walk")
        XCTAssertEqual(s.search.hits, Searcher.search(s.caseload, query: "walk"))
        XCTAssertEqual(s.search.hits.count, 2)
        f.add(.sessionRecorded(SessionRecorded(sessionId: Fixture.id(900), patientId: Fixture.chen, date: Fixture.asOf, kind: .phone,
                                               minutes: 5, note: "Asked about the walking group.")))
        _ = update(&s, .saved(SaveResult(purpose: .change(description: "test"), events: [f.events.last!], state: f.state)))
        XCTAssertEqual(s.search.hits, Searcher.search(s.caseload, query: "walk"))
        XCTAssertEqual(s.search.hits.count, 3)
    }
}
