import XCTest
@testable import CaseloadJournal
import CaseloadCore

/// `snapshot.bin` is a cache: opening from it plus the journal's tail must give exactly the
/// state a full fold of the journals gives, and any doubt about it means it is ignored.
final class SnapshotTests: XCTestCase {
    var dir: URL!
    let asOf = Day("2026-11-23")!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("snap-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    var snapshotPath: String { SnapshotFile.path(in: dir) }

    /// A caseload big enough that opening writes a snapshot, closed cleanly.
    func makeCaseload() throws -> CaseloadStore {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira Haddad", team: "North")
        let items = DemoCaseload.generate(patients: 60, seed: 4, asOf: asOf)
        let pending = items.map(\.pending)
        // One big write, then the last few one at a time: a journal cut back to an earlier
        // write boundary (a restore from an older copy) is then possible below.
        try store.append(Array(pending.dropLast(5)))
        for p in pending.suffix(5) { try store.append([p]) }
        XCTAssertGreaterThan(items.count, CaseloadStore.snapshotThreshold)
        store.close()
        XCTAssertTrue(FileManager.default.fileExists(atPath: snapshotPath), "a clean exit after many events writes a snapshot")
        let mode = try FileManager.default.attributesOfItem(atPath: snapshotPath)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        return try CaseloadStore.open(dataDirectory: dir)
    }

    /// The state a full fold of every journal file gives, ignoring any snapshot.
    func fullFold() throws -> CaseloadState {
        let journals = DataDirectory.journalDirectory(dir)
        var events: [Event] = []
        var seen = Set<UUID>()
        for name in try FileManager.default.contentsOfDirectory(atPath: journals.path) where name.hasSuffix(".journal") {
            for r in try JournalFile.read(path: journals.appendingPathComponent(name).path).records {
                let e = try Event.decode(r.payload)
                if seen.insert(e.id).inserted { events.append(e) }
            }
        }
        return CaseloadState.fold(events)
    }

    func reopen() throws -> CaseloadStore {
        let store = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(store.state, try fullFold())
        return store
    }

    func aPatient(_ store: CaseloadStore) -> UUID { store.state.patients.keys.sorted { $0.uuidString < $1.uuidString }[0] }

    func testAppendsAfterTheSnapshotFoldOnTopOfIt() throws {
        let store = try makeCaseload()
        XCTAssertTrue(store.loadedFromSnapshot)
        let pid = aPatient(store)
        let before = store.state.patients[pid]!.sessionIDs.count
        try store.append([.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: asOf, kind: .phone, minutes: 10, note: "after the snapshot"))])
        store.close()
        let reopened = try reopen()
        XCTAssertTrue(reopened.loadedFromSnapshot)
        XCTAssertEqual(reopened.state.patients[pid]!.sessionIDs.count, before + 1)
        XCTAssertEqual(reopened.lastSeq, store.lastSeq)
        // And the next append continues the sequence.
        XCTAssertEqual(try reopened.append([.draftDiscarded(DraftDiscarded(draftId: UUID()))])[0].seq, store.lastSeq + 1)
    }

    func testATornTailAfterTheSnapshotIsSetAsideAndTheRestFolds() throws {
        let store = try makeCaseload()
        let pid = aPatient(store)
        try store.append([.patientUpdated(PatientUpdated(patientId: pid, phone: "01632 960123"))])
        store.close()
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: store.journalPath))
        handle.seekToEndOfFile()
        handle.write(Data([40, 0, 0, 0, 1, 2, 3, 4, 5]))
        try handle.close()
        let reopened = try reopen()
        XCTAssertEqual(reopened.state.patients[pid]?.phone, "01632 960123")
        XCTAssertEqual(reopened.warnings.count, 1, "the torn tail is reported")
    }

    func testAnotherDevicesEventsFoldInWhetherNewerOrOlderThanTheSnapshot() throws {
        let store = try makeCaseload()
        let pid = aPatient(store)
        let latest = store.state.latestClock
        store.close()
        let other = UUID()
        let j = try JournalFile(path: DataDirectory.journalPath(dir, device: other), device: other)
        func event(_ seq: UInt64, _ clock: HLC, _ phone: String) throws -> Data {
            try Event(id: UUID(), device: other, seq: seq, clock: clock, author: "ben",
                      body: .patientUpdated(PatientUpdated(patientId: pid, phone: phone))).encoded()
        }
        // Newer than everything folded: extends the snapshot.
        try j.append([try event(1, HLC(wallMillis: latest.wallMillis + 10), "newer")])
        var reopened = try reopen()
        XCTAssertTrue(reopened.loadedFromSnapshot)
        XCTAssertEqual(reopened.state.patients[pid]?.phone, "newer")
        reopened.close()
        // From a device that was offline for a while: belongs before events already folded, so
        // the snapshot cannot be extended and the journals are folded in full.
        try j.append([try event(2, HLC(wallMillis: 1), "older")])
        j.close()
        reopened = try reopen()
        XCTAssertEqual(reopened.state.patients[pid]?.phone, "newer")
        XCTAssertEqual(reopened.state.seqByDevice[other], 2)
    }

    func testUndoingAnEventTheSnapshotCoversFoldsAgain() throws {
        let store = try makeCaseload()
        let open = try XCTUnwrap(store.state.followups.values.filter { $0.status == .open }.min { $0.id.uuidString < $1.id.uuidString })
        let done = try store.append([.followupCompleted(FollowupCompleted(followupId: open.id, date: asOf))])[0]
        store.close()
        var reopened = try reopen()
        XCTAssertEqual(reopened.state.followups[open.id]?.status, .done)
        try reopened.undo(eventId: done.id)
        XCTAssertEqual(reopened.state.followups[open.id]?.status, .open)
        reopened.close()
        reopened = try reopen()
        XCTAssertEqual(reopened.state.followups[open.id]?.status, .open)
    }

    func testUndoingAChangeMadeAfterTheSnapshotStartsFromIt() throws {
        let store = try makeCaseload()
        let pid = aPatient(store)
        let old = store.state.patients[pid]?.phone
        let change = try store.append([.patientUpdated(PatientUpdated(patientId: pid, phone: "01632 960999"))])[0]
        try store.undo(eventId: change.id)
        XCTAssertTrue(store.loadedFromSnapshot)
        XCTAssertEqual(store.state.patients[pid]?.phone, old)
        XCTAssertEqual(store.state, try fullFold())
        // Undoing an event the snapshot already folded needs a full fold.
        let covered = try XCTUnwrap(try store.ownEvents().first { if case .patientReferred = $0.body { return true } else { return false } })
        try store.undo(eventId: covered.id)
        XCTAssertFalse(store.loadedFromSnapshot)
        XCTAssertEqual(store.state, try fullFold())
        store.close()
        _ = try reopen()
    }

    func testADamagedOrStaleSnapshotIsIgnoredAndRewritten() throws {
        let store = try makeCaseload()
        let reference = store.state
        store.close()
        let good = try Data(contentsOf: URL(fileURLWithPath: snapshotPath))
        var damaged = good
        damaged[damaged.count / 2] ^= 0x20
        for bad in [damaged, good.prefix(good.count - 9), Data("not a snapshot".utf8), Data()] {
            try bad.write(to: URL(fileURLWithPath: snapshotPath))
            let reopened = try reopen()
            XCTAssertFalse(reopened.loadedFromSnapshot)
            XCTAssertEqual(reopened.state, reference)
            XCTAssertTrue(reopened.warnings.isEmpty, "a cache problem is not the user's problem")
            reopened.close()
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: snapshotPath)), good, "rebuilt the same")
        }
    }

    func testASnapshotOfAJournalThatWasCutBackIsIgnored() throws {
        let store = try makeCaseload()
        let path = store.journalPath
        store.close()
        // Cut the journal back to an earlier write boundary (a restore from an older copy).
        let records = try JournalFile.read(path: path).records
        let cut = records[records.count - 5].offset
        XCTAssertEqual(truncate(path, off_t(cut)), 0)
        let reopened = try reopen()
        XCTAssertFalse(reopened.loadedFromSnapshot)
        XCTAssertEqual(reopened.state.eventCount, records.count - 5)
        XCTAssertEqual(reopened.lastSeq, UInt64(records.count - 5))
    }

    func testDeletingTheSnapshotChangesNothing() throws {
        // A temporary file left by a crash mid-write is cleaned up by the next write.
        let litter = snapshotPath + ".tmp-99999"
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        FileManager.default.createFile(atPath: litter, contents: Data("half a snapshot".utf8))
        let store = try makeCaseload()
        XCTAssertFalse(FileManager.default.fileExists(atPath: litter))
        let reference = store.state
        store.close()
        try FileManager.default.removeItem(atPath: snapshotPath)
        let reopened = try reopen()
        XCTAssertEqual(reopened.state, reference)
    }

    /// In the app, the snapshot a cold open writes goes on another core while the caseload is
    /// in use: a change made meanwhile is saved and folds on top of it at the next open, and a
    /// store let go of without `close` still leaves the snapshot whole. A command's open (which
    /// may end the process without closing) has written it before it returns.
    func testAColdOpenWritesItsSnapshotWhileTheCaseloadIsInUse() throws {
        let store = try makeCaseload()
        store.close()
        try FileManager.default.removeItem(atPath: snapshotPath)
        let command = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly)
        XCTAssertFalse(command.loadedFromSnapshot)
        XCTAssertTrue(FileManager.default.fileExists(atPath: snapshotPath), "written before a command's open returns")
        try FileManager.default.removeItem(atPath: snapshotPath)
        let cold = try CaseloadStore.open(dataDirectory: dir, snapshotInBackground: true)
        XCTAssertFalse(cold.loadedFromSnapshot)
        let pid = aPatient(cold)
        try cold.append([.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pid, date: asOf, kind: .phone, minutes: 5, note: "while the snapshot is written"))])
        cold.close()
        let reopened = try reopen()
        XCTAssertTrue(reopened.loadedFromSnapshot, "the cold open's snapshot, with the change folded on top")
        XCTAssertEqual(reopened.state.patients[pid]!.sessionIDs.count, cold.state.patients[pid]!.sessionIDs.count)
        reopened.close()
        try FileManager.default.removeItem(atPath: snapshotPath)
        do {
            let unclosed = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly, snapshotInBackground: true)
            XCTAssertFalse(unclosed.loadedFromSnapshot)
        }
        let again = try reopen()
        XCTAssertTrue(again.loadedFromSnapshot)
        again.close()
        let litter = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        XCTAssertEqual(litter, [])
    }
}
