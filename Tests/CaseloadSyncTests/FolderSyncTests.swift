import XCTest
@testable import CaseloadSync
@testable import CaseloadJournal
import CaseloadCore

final class FolderSyncTests: XCTestCase {
    var root: URL!
    var folder: URL { root.appendingPathComponent("stick") }

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("fs-\(UUID().uuidString)")
        start = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func device(_ name: String) throws -> CaseloadStore {
        try DataDirectory.initialize(at: root.appendingPathComponent(name), workerName: name, team: "North")
    }

    @discardableResult
    func sync(_ store: CaseloadStore) throws -> SyncReport {
        try FolderSync(store: store, folder: folder).run()
    }

    /// A moment well after everything the test sets up, so which device wrote last is certain.
    var start: Int64 = 0

    /// `store` with its clock pinned `seconds` after `start`.
    func at(_ seconds: Int64, _ store: CaseloadStore) -> CaseloadStore {
        let t = start + seconds * 1000
        store.now = { t }
        return store
    }

    @discardableResult
    func refer(_ store: CaseloadStore, _ name: String, due: String = "2026-11-20") throws -> (patient: UUID, followup: UUID) {
        let pid = UUID(), fid = UUID()
        try store.append([
            .patientReferred(PatientReferred(patientId: pid, name: name, referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: []))),
            .followupScheduled(FollowupScheduled(followupId: fid, patientId: pid, due: Day(due)!, reason: nil, worker: nil)),
        ])
        return (pid, fid)
    }

    func testTwoDevicesEndWithTheSameStateInEitherOrder() throws {
        let a = try device("amira"), b = try device("ben")
        try refer(a, "Mrs Begum")
        try refer(b, "Mr Chen")
        let first = try sync(a)
        XCTAssertEqual(first.sent, 4, "registration, referral, follow-up, and the sync record")
        XCTAssertTrue(first.recorded)
        let second = try sync(b)
        XCTAssertEqual(second.received, 4)
        XCTAssertEqual(second.devices, 1)
        try refer(b, "Ms Dlamini")
        try sync(b)
        try sync(a)
        XCTAssertEqual(a.state.patients.count, 3)
        XCTAssertEqual(a.state, b.state)
        XCTAssertEqual(a.state.overdue(asOf: Day("2026-11-24")!), b.state.overdue(asOf: Day("2026-11-24")!))
        // Reopened from disk, both still agree.
        let dirA = a.dataDirectory
        a.close()
        XCTAssertEqual(try CaseloadStore.open(dataDirectory: dirA, mode: .readOnly).state, b.state)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.posixPermissions] as! Int
            XCTAssertEqual(mode & 0o777, 0o600, name)
        }
    }

    func testARepeatedSyncWithNothingNewSendsNothingAndDoesNotGrowTheJournal() throws {
        let a = try device("amira"), b = try device("ben")
        try refer(a, "Mrs Begum")
        try sync(a)
        try sync(b)
        try sync(a)
        let seq = a.lastSeq
        let size = try FileManager.default.attributesOfItem(atPath: a.journalPath)[.size] as! Int
        for _ in 0..<3 {
            let r = try sync(a)
            XCTAssertEqual(r.sent, 0)
            XCTAssertEqual(r.received, 0)
            XCTAssertFalse(r.recorded)
        }
        XCTAssertEqual(a.lastSeq, seq)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: a.journalPath)[.size] as! Int, size)
        XCTAssertEqual(SyncRecord.load(a.dataDirectory).waiting(lastSeq: a.lastSeq), 0)
        try refer(a, "Mr Chen")
        XCTAssertEqual(SyncRecord.load(a.dataDirectory).waiting(lastSeq: a.lastSeq), 2, "two events wait to go")
        // An hour later, a sync with nothing new still says the device is alive.
        a.now = { Int64(Date().timeIntervalSince1970 * 1000) + 3_700_000 }
        try sync(a)
        let later = try sync(a)
        XCTAssertFalse(later.recorded)
        a.now = { Int64(Date().timeIntervalSince1970 * 1000) + 7_500_000 }
        XCTAssertTrue(try sync(a).recorded)
    }

    func testBadFilesInTheFolderAreReportedAndSkipped() throws {
        let a = try device("amira"), b = try device("ben")
        try refer(b, "Mr Chen")
        try sync(b)
        let before = a.state
        let ownBytes = try Data(contentsOf: URL(fileURLWithPath: a.journalPath))
        // A future format version, a truncated header, not a journal at all, a file named after
        // no device, one holding another device's events, and one with a damaged header.
        let futureDevice = UUID()
        var future = JournalFormat.encodeHeader(device: futureDevice)
        future[8] = 9
        future.replaceSubrange(28..<32, with: withUnsafeBytes(of: CRC32C.mask(CRC32C.checksum(future[0..<28])).littleEndian, Array.init))
        let files: [(String, Data)] = [
            ("\(futureDevice.uuidString.lowercased()).journal", Data(future)),
            ("\(UUID().uuidString.lowercased()).journal", Data(JournalFormat.encodeHeader(device: UUID()).prefix(20))),
            ("\(UUID().uuidString.lowercased()).journal", Data("Dear Mrs Begum, …".utf8)),
            ("notes.journal", Data("x".utf8)),
            ("\(UUID().uuidString.lowercased()).journal", try Data(contentsOf: URL(fileURLWithPath: b.journalPath))),
        ]
        for (name, bytes) in files { try bytes.write(to: folder.appendingPathComponent(name)) }
        var damaged = try Data(contentsOf: URL(fileURLWithPath: b.journalPath))
        let other = UUID()
        damaged.replaceSubrange(12..<28, with: withUnsafeBytes(of: other.uuid, Array.init))
        try damaged.write(to: folder.appendingPathComponent("\(other.uuidString.lowercased()).journal"))

        let r = try sync(a)
        XCTAssertEqual(r.received, 4, "ben's good file still came in")
        XCTAssertEqual(r.problems.count, 6, r.problems.joined(separator: "\n"))
        XCTAssertTrue(r.problems.contains { $0.contains("version 9, newer than this caseload") }, r.problems.joined(separator: "\n"))
        XCTAssertTrue(r.problems.contains { $0.contains("header is incomplete") })
        XCTAssertTrue(r.problems.contains { $0.contains("not a caseload journal") })
        XCTAssertTrue(r.problems.contains { $0.contains("not named after a device") })
        XCTAssertTrue(r.problems.contains { $0.contains("another device's events") })
        XCTAssertTrue(r.problems.contains { $0.contains("header is damaged") })
        XCTAssertFalse(r.problems.joined().contains("Begum"))
        XCTAssertEqual(a.state.patients.count, before.patients.count + 1)
        XCTAssertTrue(try Data(contentsOf: URL(fileURLWithPath: a.journalPath)).starts(with: ownBytes), "our journal only grew")
        XCTAssertEqual(try a.heldSeqs().count, 2, "only ben's events were stored")
    }

    func testAnInterruptedPushIsFinishedWithoutDuplicates() throws {
        let a = try device("amira"), b = try device("ben")
        for i in 0..<30 { try refer(a, "Person \(i)") }
        let sync = FolderSync(store: a, folder: folder)
        sync.batchSize = 7
        var sends = 0
        sync.progress = { p in
            if p.phase == .sending { sends += 1 }
        }
        try sync.run()
        XCTAssertEqual(sends, 9, "62 events in batches of 7")
        // As if the stick was pulled out mid-write: the last record is cut in half.
        let path = folder.appendingPathComponent("\(a.device.uuidString.lowercased()).journal").path
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        let scan = JournalScanner.scan(full)
        let cut = scan.records[40].offset + 20
        try full.prefix(cut).write(to: URL(fileURLWithPath: path))
        // b pulls the part that is there.
        XCTAssertEqual(try self.sync(b).received, 40)
        // a notices, sets the torn bytes aside and sends the rest again.
        let again = try self.sync(a)
        XCTAssertEqual(again.sent, 23, "the 22 missing and this sync's record")
        XCTAssertTrue(again.problems.contains { $0.contains("interrupted earlier sync") }, again.problems.joined())
        XCTAssertEqual(try self.sync(b).received, 23)
        XCTAssertEqual(a.state, b.state)
        XCTAssertEqual(JournalScanner.scan(try Data(contentsOf: URL(fileURLWithPath: path))).records.count, 63)
        XCTAssertEqual(try JournalFile.read(path: DataDirectory.journalPath(b.dataDirectory, device: a.device)).records.count, 63)
    }

    func testAMissingOrUnwritableFolderIsAClearErrorAndChangesNothing() throws {
        let a = try device("amira")
        let seq = a.lastSeq
        XCTAssertThrowsError(try FolderSync(store: a, folder: root.appendingPathComponent("nope")).run()) { error in
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        let file = root.appendingPathComponent("file")
        try Data().write(to: file)
        XCTAssertThrowsError(try FolderSync(store: a, folder: file).run()) { XCTAssertTrue("\($0)".contains("not a folder")) }
        XCTAssertEqual(a.lastSeq, seq)
        XCTAssertFalse(FileManager.default.fileExists(atPath: a.dataDirectory.appendingPathComponent("sync.json").path))
    }

    func testAFolderAheadOfThisDeviceBringsBackWhatTheRestoredJournalLost() throws {
        let a = try device("amira")
        try refer(a, "Mrs Begum")
        try sync(a)
        // The data folder goes back to an older copy (restored from a backup, say).
        let path = folder.appendingPathComponent("\(a.device.uuidString.lowercased()).journal").path
        let dir = a.dataDirectory
        let old = a.device
        a.close()
        let own = JournalScanner.scan(try Data(contentsOf: URL(fileURLWithPath: a.journalPath)))
        let keep = own.records[1].offset
        try Data(contentsOf: URL(fileURLWithPath: a.journalPath)).prefix(keep).write(to: URL(fileURLWithPath: a.journalPath))
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        let restored = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(restored.lastSeq, 1)
        XCTAssertTrue(restored.state.patients.isEmpty)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let r = try FolderSync(store: restored, folder: folder).run()
        XCTAssertTrue(r.problems.contains { $0.contains("forked") }, r.problems.joined())
        XCTAssertNotEqual(restored.device, old, "the next event cannot reuse a seq the folder has")
        XCTAssertEqual(restored.state.patients.count, 1, "Mrs Begum came back from the folder")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the old device's file there is untouched")
    }

    func testWhenOurFileInTheFolderCannotBeWrittenWhatCameInIsKeptAndTheSendIsReportedFailed() throws {
        let a = try device("amira"), b = try device("ben")
        try refer(b, "Mr Chen")
        try sync(b)
        // Something in the way of our file: here a folder with its name.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("\(a.device.uuidString.lowercased()).journal"), withIntermediateDirectories: false)
        let r = try sync(a)
        XCTAssertTrue(r.sendFailed)
        XCTAssertEqual(r.sent, 0)
        XCTAssertEqual(r.received, 4)
        XCTAssertTrue(r.problems.contains { $0.hasPrefix("could not send") }, r.problems.joined())
        XCTAssertEqual(SyncRecord.load(a.dataDirectory).waiting(lastSeq: a.lastSeq), Int(a.lastSeq), "nothing of ours went out")
    }

    // MARK: Merging

    func testConcurrentAmendmentsOfOneNoteBothSurviveAndShowAsAConflict() throws {
        let a = try device("amira"), b = try device("ben")
        let (pid, _) = try refer(a, "Mrs Begum")
        let sid = UUID()
        let recorded = try a.append([.sessionRecorded(SessionRecorded(sessionId: sid, patientId: pid, date: Day("2026-11-02")!, kind: .phone, minutes: 10, note: "first"))])[0]
        try sync(a); try sync(b)
        try a.append([.sessionAmended(SessionAmended(sessionId: sid, note: "amira's version", basedOn: recorded.id))])
        try b.append([.sessionAmended(SessionAmended(sessionId: sid, note: "ben's version", basedOn: recorded.id))])
        try sync(a); try sync(b); try sync(a)
        XCTAssertEqual(a.state, b.state)
        let session = try XCTUnwrap(a.state.sessions[sid])
        XCTAssertEqual(session.versions.count, 3)
        XCTAssertEqual(Set(session.conflictingVersions.map(\.text)), ["amira's version", "ben's version"])
    }

    func testCompletedOnOneDeviceAndRescheduledOnAnotherStaysOpenWithTheConflictShown() throws {
        let a = try device("amira"), b = try device("ben")
        let (_, fid) = try refer(a, "Mrs Begum")
        try sync(a); try sync(b)
        try at(1, a).append([.followupCompleted(FollowupCompleted(followupId: fid, date: Day("2026-11-21")!))])
        try at(2, b).append([.followupRescheduled(FollowupRescheduled(followupId: fid, due: Day("2026-11-30")!, reason: "away", date: Day("2026-11-21")!))])
        try sync(b); try sync(a); try sync(b)
        XCTAssertEqual(a.state, b.state)
        let f = try XCTUnwrap(a.state.followups[fid])
        XCTAssertEqual(f.status, .open)
        XCTAssertEqual(f.due, Day("2026-11-30")!)
        XCTAssertNotNil(f.conflict)
        // A move that does not say it saw the conflict (written by an older version, say) leaves it.
        try at(3, b).append([.followupRescheduled(FollowupRescheduled(followupId: fid, due: Day("2026-12-02")!, reason: nil, date: Day("2026-11-22")!))])
        try sync(b); try sync(a)
        XCTAssertNotNil(a.state.followups[fid]?.conflict)
        // Moved by someone who saw the conflict: it stays open and the conflict is settled.
        try at(4, a).append([.followupRescheduled(FollowupRescheduled(followupId: fid, due: Day("2026-12-03")!, reason: nil, date: Day("2026-11-24")!, resolvesConflict: true))])
        try sync(a); try sync(b)
        XCTAssertEqual(b.state, a.state)
        XCTAssertNil(b.state.followups[fid]?.conflict)
        XCTAssertEqual(b.state.followups[fid]?.status, .open)
        // Or settled the other way: marked done again, on either device.
        try at(5, a).append([.followupCompleted(FollowupCompleted(followupId: fid, date: Day("2026-11-24")!))])
        try sync(a); try sync(b)
        XCTAssertEqual(b.state.followups[fid]?.status, .done)
        XCTAssertNil(b.state.followups[fid]?.conflict)
    }

    func testPerFieldLastWriterWinsByClock() throws {
        let a = try device("amira"), b = try device("ben")
        let (pid, _) = try refer(a, "Mrs Begum")
        try sync(a); try sync(b)
        try at(1, b).append([.patientUpdated(PatientUpdated(patientId: pid, phone: "01632 960001"))])
        try at(2, a).append([.patientUpdated(PatientUpdated(patientId: pid, address: "Mill Lane"))])
        try at(3, a).append([.patientUpdated(PatientUpdated(patientId: pid, phone: "01632 960002"))])
        try sync(a); try sync(b); try sync(a)
        XCTAssertEqual(a.state, b.state)
        XCTAssertEqual(b.state.patients[pid]?.phone, "01632 960002", "amira's later phone wins")
        XCTAssertEqual(b.state.patients[pid]?.address, "Mill Lane", "and her address, which ben did not touch")
    }
}
