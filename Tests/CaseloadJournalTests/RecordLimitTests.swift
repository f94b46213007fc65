import XCTest
@testable import CaseloadJournal
import CaseloadCore

/// What the writer accepts, the reader reads back: one limit per field and per record,
/// enforced before anything is written.
final class RecordLimitTests: XCTestCase {
    var dir: URL!
    let day = Day("2026-11-23")!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rl-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func referral(_ pid: UUID, name: String = "Mrs Begum") -> EventBody {
        .patientReferred(PatientReferred(patientId: pid, name: name, referral: Referral(date: day, source: .gp, reasons: [])))
    }

    private func session(_ pid: UUID, note: String) -> EventBody {
        .sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: day, kind: .phone, minutes: 20, note: note))
    }

    private func journalSize(_ store: CaseloadStore) throws -> Int {
        try FileManager.default.attributesOfItem(atPath: store.journalPath)[.size] as! Int
    }

    /// The append must throw naming the field, leave the journal as it was, and keep it writable.
    private func assertRefused(_ body: EventBody, naming field: String, in store: CaseloadStore,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let before = try journalSize(store), seq = store.lastSeq
        XCTAssertThrowsError(try store.append([body]), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains("the \(field)"), "\(error)", file: file, line: line)
        }
        XCTAssertEqual(try journalSize(store), before, "nothing written", file: file, line: line)
        XCTAssertEqual(store.lastSeq, seq, file: file, line: line)
    }

    func testA3MBControlCharacterNoteIsRefusedAndTheJournalStaysWritable() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let pid = UUID()
        try store.append([referral(pid)])
        // Each \u{1} becomes `\u0001` in JSON: 3 MB of them would be an 18 MB record.
        try assertRefused(session(pid, note: String(repeating: "\u{1}", count: 3_000_000)), naming: "note", in: store)
        try store.append([session(pid, note: "Called back; fine.")])
        store.close()
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.state.sessions.values.filter { $0.patientId == pid }.count, 1)
        XCTAssertTrue(reopened.warnings.isEmpty, "\(reopened.warnings)")
    }

    func testA17MBNameAndAnAmendedNotePastTheLimitAreRefused() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let pid = UUID()
        try assertRefused(referral(pid, name: String(repeating: "\"", count: 17_000_000)), naming: "name", in: store)
        try assertRefused(referral(pid, name: String(repeating: "x", count: RecordLimits.maxShortText + 1)), naming: "name", in: store)
        try store.append([referral(pid)])
        let saved = try store.append([session(pid, note: "first")])[0]
        guard case .sessionRecorded(let s) = saved.body else { return XCTFail() }
        let amended = EventBody.sessionAmended(SessionAmended(sessionId: s.sessionId, note: String(repeating: "\u{1b}", count: RecordLimits.maxLongText + 1), basedOn: saved.id))
        try assertRefused(amended, naming: "note", in: store)
        try assertRefused(.patientUpdated(PatientUpdated(patientId: pid, address: String(repeating: "\n", count: 5000))), naming: "address", in: store)
    }

    func testADateBeyondYear9999IsRefusedAndNeverWrittenUnreadable() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let pid = UUID(), fid = UUID()
        try store.append([referral(pid), .followupScheduled(FollowupScheduled(followupId: fid, patientId: pid, due: day, reason: nil, worker: nil))])
        let farAway = Day(ordinal: day.ordinal + 100_000_000)
        try assertRefused(.followupRescheduled(FollowupRescheduled(followupId: fid, due: farAway, reason: nil, date: day)), naming: "due", in: store)
        XCTAssertNil(day.checkedAdding(days: 100_000_000))
        XCTAssertNil(day.checkedAdding(days: Int.max), "no overflow trap")
        XCTAssertEqual(day.checkedAdding(days: 7), Day("2026-11-30"))
        try store.append([.followupRescheduled(FollowupRescheduled(followupId: fid, due: Day.latest, reason: nil, date: day))])
        store.close()
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.state.followups[fid]?.due, Day.latest)
        XCTAssertTrue(reopened.warnings.isEmpty, "\(reopened.warnings)")
    }

    /// Property: hostile values (control characters, quotes, backslashes, lone combining marks,
    /// emoji, NUL) of random sizes up to each field's limit, written by the writer, are read back
    /// exactly by the reader, from the journal on disk and without warnings.
    func testHostileValuesUpToTheLimitsRoundTripThroughTheJournal() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        var rng = SeededRandom(seed: 12)
        let alphabet: [Unicode.Scalar] = ["\u{0}", "\u{1}", "\u{1b}", "\u{7f}", "\u{9b}", "\"", "\\", "/", "\n", "\r", "\u{2028}",
                                          "\u{301}", "\u{feff}", "\u{1F600}", "é", "a", "\u{10FFFF}"]
        func hostile(upTo limit: Int, exactly: Bool) -> String {
            var s = String.UnicodeScalarView()
            var bytes = 0
            let target = exactly ? limit : rng.int(0...limit)
            while true {
                let c = rng.pick(alphabet)
                let n = String(c).utf8.count
                if bytes + n > target { break }
                s.append(c); bytes += n
            }
            while bytes < target { s.append("a"); bytes += 1 }   // pad to the exact size
            return String(s)
        }
        var expected: [(UUID, String, String)] = []
        for round in 0..<12 {
            let pid = UUID()
            let name = hostile(upTo: RecordLimits.maxShortText, exactly: round < 3)
            let note = hostile(upTo: RecordLimits.maxLongText, exactly: round < 3)
            try store.append([referral(pid, name: name), session(pid, note: note)])
            expected.append((pid, name, note))
        }
        store.close()
        let scan = try JournalFile.read(path: store.journalPath)
        XCTAssertTrue(scan.damage.isEmpty)
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertTrue(reopened.warnings.isEmpty, "\(reopened.warnings)")
        for (pid, name, note) in expected {
            XCTAssertEqual(reopened.state.patients[pid]?.name, name)
            XCTAssertEqual(reopened.state.sessions.values.first { $0.patientId == pid }?.note, note)
        }
        // And one more write still goes through.
        try reopened.append([referral(UUID())])
    }
}
