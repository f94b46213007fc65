import XCTest
@testable import CaseloadSync
@testable import CaseloadJournal
import CaseloadCore

/// A pull is read, checked, stored and folded a page at a time (`SyncEngine`): whatever the
/// page size, the caseload must end as a fresh fold of the journals would give it.
final class PagedPullTests: XCTestCase {
    var root: URL!
    var folder: URL { root.appendingPathComponent("stick") }
    /// A moment after setting up (a device's registration is dated by the wall clock).
    var start: Int64 = 0

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("paged-\(UUID().uuidString)")
        start = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func device(_ name: String) throws -> CaseloadStore {
        try DataDirectory.initialize(at: root.appendingPathComponent(name), workerName: name, team: "North")
    }

    func sync(_ store: CaseloadStore, pages: Int = 10_000, configure: (FolderSync) -> Void = { _ in }) throws -> SyncReport {
        let s = FolderSync(store: store, folder: folder)
        s.batchSize = pages
        configure(s)
        return try s.run()
    }

    /// Appends a referral dated `seconds` after `start`.
    @discardableResult
    func refer(_ store: CaseloadStore, _ name: String, at seconds: Int64) throws -> Event {
        let t = start + seconds * 1000
        store.now = { t }
        return try store.append([.patientReferred(PatientReferred(patientId: UUID(), name: name, referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))])[0]
    }

    /// What opening the data folder afresh folds from its journals alone.
    func reopened(_ store: CaseloadStore) throws -> CaseloadState {
        let dir = store.dataDirectory
        store.close()
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        return try CaseloadStore.open(dataDirectory: dir, mode: .readOnly).state
    }

    func testAPullOfSeveralPagesFromInterleavedDevicesFoldsAsAFreshOpenDoes() throws {
        let amira = try device("amira"), ben = try device("ben"), chen = try device("chen")
        // Ben and Chen take turns, so every page mixes both devices in fold order.
        for i in 0..<12 {
            try refer(ben, "Ben's \(i)", at: Int64(2 * i))
            try refer(chen, "Chen's \(i)", at: Int64(2 * i + 1))
        }
        // Amira wrote something of her own after all of theirs, before her first sync.
        try refer(amira, "Amira's own", at: 100)
        _ = try sync(ben)
        _ = try sync(chen)
        var pages = 0
        let r = try sync(amira, pages: 4) { $0.progress = { p in if p.phase == .receiving { pages += 1 } } }
        XCTAssertEqual(r.received, 2 * 14, "each one's registration, twelve referrals and sync record")
        XCTAssertEqual(r.devices, 2)
        XCTAssertGreaterThanOrEqual(pages, 7, "28 events in pages of at most 4")
        XCTAssertEqual(amira.state.patients.count, 12 + 12 + 1)
        XCTAssertTrue(amira.state.patients.values.contains { $0.name == "Amira's own" })
        _ = try sync(ben)
        XCTAssertEqual(try sync(chen, pages: 2).received, 3, "chen takes in amira's registration, referral and sync record the same way")
        let folded = amira.state
        XCTAssertEqual(chen.state.patients, folded.patients)
        XCTAssertEqual(try reopened(amira), folded, "paged folding gave what a fresh open gives")
    }

    func testAnUndoComingInLongAfterWhatItUndoesIsFoldedAsAFreshOpenFoldsIt() throws {
        let amira = try device("amira"), ben = try device("ben")
        var first: Event?
        for i in 0..<10 {
            let e = try refer(ben, "Person \(i)", at: Int64(i))
            if i == 0 { first = e }
        }
        _ = try sync(ben)
        _ = try sync(amira, pages: 3)
        ben.now = { [start] in start + 50_000 }
        try ben.undo(eventId: try XCTUnwrap(first).id)
        try refer(ben, "Person 10", at: 60)
        _ = try sync(ben)
        try refer(amira, "Amira's own", at: 55)
        XCTAssertEqual(try sync(amira, pages: 3).received, 3, "the undo, the referral and ben's sync record")
        XCTAssertEqual(amira.state.patients.count, 9 + 1 + 1, "the undone referral is gone")
        XCTAssertEqual(try reopened(amira), amira.state)
    }

    func testAPullIntoAnEmptyDeviceFoldsItsOwnRegistrationInTheRightPlace() throws {
        // Ben's history is older than the new device's own registration.
        let ben = try device("ben")
        for i in 0..<25 { try refer(ben, "Person \(i)", at: Int64(i)) }
        _ = try sync(ben)
        let fresh = try device("amira")
        let r = try sync(fresh, pages: 6)
        XCTAssertEqual(r.received, 27)
        XCTAssertEqual(fresh.state.patients.count, 25)
        XCTAssertEqual(try reopened(fresh), fresh.state)
    }

    func testACancelledPullLeavesAConsistentCaseloadThatTheNextSyncCompletes() throws {
        let amira = try device("amira"), ben = try device("ben"), chen = try device("chen")
        for i in 0..<15 {
            try refer(ben, "Ben's \(i)", at: Int64(2 * i))
            try refer(chen, "Chen's \(i)", at: Int64(2 * i + 1))
        }
        try refer(amira, "Amira's own", at: 100)
        _ = try sync(ben)
        _ = try sync(chen)
        var pages = 0
        XCTAssertThrowsError(try sync(amira, pages: 5) {
            $0.progress = { _ in pages += 1 }
            $0.shouldCancel = { pages == 3 }
        }) { XCTAssertEqual($0 as? SyncError, .cancelled) }
        // What came in is shown, and it is what the journals hold: reopened, the same caseload.
        let shown = amira.state
        XCTAssertGreaterThan(shown.patients.count, 1)
        XCTAssertLessThan(shown.patients.count, 31)
        let dir = amira.dataDirectory
        XCTAssertEqual(try reopened(amira), shown)
        let again = try CaseloadStore.open(dataDirectory: dir)
        let r = try sync(again, pages: 5)
        XCTAssertEqual(again.state.patients.count, 31, "every one came in, none twice")
        XCTAssertEqual(r.received, 2 * 17 - (shown.eventCount - 2), "the rest of ben's and chen's events (beyond amira's own two), each once")
        _ = try sync(ben)
        XCTAssertEqual(ben.state.patients, again.state.patients)
    }

    func testAHostileRecordOnPageTwoStopsThatDeviceAfterWhatCameBeforeIt() throws {
        let amira = try device("amira"), ben = try device("ben")
        for i in 0..<8 { try refer(ben, "Ben's \(i)", at: Int64(i)) }
        _ = try sync(ben)
        // Mallory's file: seven good records, then one that is not an event, then more.
        let mallory = UUID()
        var payloads: [Data] = []
        for seq in 1...12 {
            let e = Event(id: UUID(), device: mallory, seq: UInt64(seq), clock: HLC(wallMillis: start + Int64(seq) * 500), author: "mallory",
                          body: .patientReferred(PatientReferred(patientId: UUID(), name: "Mrs Begum \(seq)", referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: []))))
            payloads.append(seq == 8 ? Data(#"{"seq":8,"type":"patient.referred","note":"Mrs Begum"}"#.utf8) : try e.encoded())
        }
        let file = try JournalFile(path: folder.appendingPathComponent(FolderSync.fileName(mallory)).path, device: mallory)
        try file.append(payloads)
        file.close()
        for streamed in [false, true] {
            let r = try sync(amira, pages: 5) { if streamed { $0.wholeReadLimit = 0 } }
            let problems = r.problems.joined(separator: "\n")
            XCTAssertTrue(problems.contains("event 3 of the batch is not a readable event"), problems)
            XCTAssertFalse(problems.contains("Begum"), "never a name")
            XCTAssertEqual(try amira.heldSeqs()[mallory], 7, "the seven before it came in, nothing after it")
            XCTAssertEqual(r.received, streamed ? 0 : 7 + 10, "ben's good file came in whole on the first sync")
        }
        XCTAssertEqual(amira.state.patients.count, 8 + 7)
        XCTAssertEqual(try reopened(amira), amira.state)
    }
}
