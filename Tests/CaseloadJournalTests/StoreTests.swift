import XCTest
@testable import CaseloadJournal
import CaseloadCore

final class StoreTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testInitialiseAppendReopen() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira Haddad", team: "North")
        XCTAssertEqual(store.workerId, "amira-haddad")
        let pid = UUID()
        try store.append([.patientReferred(PatientReferred(patientId: pid, name: "Zoë Łukasz 王小明",
                                                           referral: Referral(date: Day("2026-11-23")!, source: .gp, reasons: [.loneliness])))])
        store.close()
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.state.patients[pid]?.name, "Zoë Łukasz 王小明")
        XCTAssertEqual(reopened.state.workers["amira-haddad"]?.team, "North")
        XCTAssertEqual(reopened.lastSeq, 2)
        let dirMode = try FileManager.default.attributesOfItem(atPath: dir.path)[.posixPermissions] as! Int
        XCTAssertEqual(dirMode & 0o777, 0o700)
        let configMode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("caseload.json").path)[.posixPermissions] as! Int
        XCTAssertEqual(configMode & 0o777, 0o600)
    }

    func testUndoIsACompensatingEventAndTheJournalKeepsBoth() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let pid = UUID(), fid = UUID()
        try store.append([
            .patientReferred(PatientReferred(patientId: pid, name: "Mrs Begum", referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: []))),
            .followupScheduled(FollowupScheduled(followupId: fid, patientId: pid, due: Day("2026-11-20")!, reason: nil, worker: nil)),
        ])
        let done = try store.append([.followupCompleted(FollowupCompleted(followupId: fid, date: Day("2026-11-23")!))])[0]
        XCTAssertEqual(store.state.followups[fid]?.status, .done)
        try store.undo(eventId: done.id)
        XCTAssertEqual(store.state.followups[fid]?.status, .open)
        XCTAssertEqual(try store.ownEvents().count, 5, "registration, referral, follow-up, done, undo: nothing deleted")
    }

    func testOtherDevicesJournalsBesideOursAreFoldedIn() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let other = UUID()
        let otherPath = DataDirectory.journalPath(dir, device: other)
        let j = try JournalFile(path: otherPath, device: other)
        let pid = UUID()
        let e = Event(id: UUID(), device: other, seq: 1, clock: HLC(wallMillis: 5), author: "ben",
                      body: .patientReferred(PatientReferred(patientId: pid, name: "Mr Chen", referral: Referral(date: Day("2026-11-01")!, source: .nurse, reasons: []))))
        try j.append([try e.encoded()])
        j.close()
        try store.load()
        XCTAssertEqual(store.state.patients[pid]?.name, "Mr Chen")
        XCTAssertEqual(store.state.seqByDevice[other], 1)
    }

    func testReadOnlyOpeningDoesNotTakeTheLock() throws {
        let writer = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        XCTAssertNoThrow(try CaseloadStore.open(dataDirectory: dir, mode: .readOnly))
        XCTAssertThrowsError(try CaseloadStore.open(dataDirectory: dir))
        writer.close()
    }

    func testNotInitialisedAndReadOnlyFoldersGiveClearErrors() throws {
        XCTAssertThrowsError(try CaseloadStore.open(dataDirectory: dir)) { XCTAssertEqual($0 as? StoreError, .notInitialized(dir.path)) }
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        store.close()
        let journalDir = DataDirectory.journalDirectory(dir).path
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: journalDir)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: journalDir) }
        XCTAssertThrowsError(try CaseloadStore.open(dataDirectory: dir)) { error in
            XCTAssertTrue("\(error)".contains("read-only"), "\(error)")
        }
    }

    func testWorkerSlugs() {
        XCTAssertEqual(DataDirectory.workerSlug("Amira Haddad"), "amira-haddad")
        XCTAssertEqual(DataDirectory.workerSlug("  Łukasz  Nowak "), "lukasz-nowak")
        XCTAssertEqual(DataDirectory.workerSlug("Siobhán O'Neill"), "siobhan-o-neill")
    }
}
