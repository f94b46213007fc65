import XCTest
@testable import CaseloadSync
@testable import CaseloadJournal
import CaseloadCore

/// Records a colleague's device (or a broken laptop, or someone hostile) puts in the shared
/// folder must never crash, stall, forge or poison this device.
final class HostileFolderTests: XCTestCase {
    var root: URL!
    var folder: URL { root.appendingPathComponent("stick") }
    /// A moment just after setting up (initialising a device dates its registration by the wall clock).
    var now: Int64 = 0

    override func setUpWithError() throws {
        now = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
        root = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func device(_ name: String, at time: Int64? = nil) throws -> CaseloadStore {
        let store = try DataDirectory.initialize(at: root.appendingPathComponent(name), workerName: name, team: "North")
        let t = time ?? now
        store.now = { t }
        return store
    }

    func sync(_ store: CaseloadStore) throws -> SyncReport { try FolderSync(store: store, folder: folder).run() }

    func referral(_ name: String) -> EventBody {
        .patientReferred(PatientReferred(patientId: UUID(), name: name, referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))
    }

    /// A device file in the folder holding `events` (seq 1, 2, … of `device`), written by hand.
    func plant(_ device: UUID, _ payloads: [Data], name: String? = nil) throws {
        let path = folder.appendingPathComponent(name ?? "\(device.uuidString.lowercased()).journal").path
        let file = try JournalFile(path: path, device: device)
        try file.append(payloads)
        file.close()
    }

    func event(_ device: UUID, seq: UInt64, clock: HLC, author: String = "mallory", _ body: EventBody) -> Event {
        Event(id: UUID(), device: device, seq: seq, clock: clock, author: author, body: body)
    }

    // MARK: HLC poisoning

    func testTheClockNeverTrapsAtItsLargestCounter() {
        let top = HLC(wallMillis: 5, counter: HLC.maxCounter)
        XCTAssertEqual(top.tick(now: 0), HLC(wallMillis: 6, counter: 0), "carries into the next millisecond")
        XCTAssertEqual(HLC(wallMillis: 5, counter: .max).tick(now: 0), HLC(wallMillis: 6, counter: 0))
        XCTAssertEqual(HLC(wallMillis: .max, counter: .max).tick(now: 0).counter, 0)
        XCTAssertLessThan(HLC.maxCounter, UInt32(Int32.max), "the server's integer column can always hold one more tick")
    }

    func testAFolderRecordWithAHugeClockCounterIsRefusedAndWritingGoesOn() throws {
        let a = try device("amira")
        let mallory = UUID()
        try plant(mallory, [
            try event(mallory, seq: 1, clock: HLC(wallMillis: now - 1000), referral("Mrs Begum")).encoded(),
            try event(mallory, seq: 2, clock: HLC(wallMillis: now - 500, counter: 4_294_967_295), referral("Mr Chen")).encoded(),
        ])
        let r = try sync(a)
        XCTAssertEqual(r.received, 1, "the record before the poisoned one still comes in")
        XCTAssertTrue(r.problems.contains { $0.contains("event 2 of the batch is not a readable event") }, r.problems.joined(separator: "\n"))
        // Before the fix every later write trapped in HLC.tick.
        let saved = try a.append([referral("Ms Dlamini")])
        XCTAssertLessThanOrEqual(saved[0].clock.counter, HLC.maxCounter)
        XCTAssertEqual(a.state.patients.count, 2)
        XCTAssertThrowsError(try Event.decode(try event(mallory, seq: 2, clock: HLC(wallMillis: now, counter: HLC.maxCounter + 1), referral("x")).encoded()))
        XCTAssertThrowsError(try Event.decode(try event(mallory, seq: 2, clock: HLC(wallMillis: HLC.maxWallMillis + 1), referral("x")).encoded()))
        XCTAssertNoThrow(try Event.decode(try event(mallory, seq: 2, clock: HLC(wallMillis: HLC.maxWallMillis, counter: HLC.maxCounter), referral("x")).encoded()))
    }

    // MARK: Future clocks

    func testAClockFromTheFutureIsKeptAndShownButNotAdopted() throws {
        let a = try device("amira")
        let year2100: Int64 = 4_102_444_800_000
        let ben = try device("ben", at: year2100)
        let begum = UUID()
        try ben.append([.patientReferred(PatientReferred(patientId: begum, name: "Mrs Begum", referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))])
        _ = try sync(ben)
        let r = try sync(a)
        XCTAssertEqual(a.state.patients.count, 1, "the events are kept")
        let line = r.problems.first { $0.contains(ben.device.uuidString.lowercased()) }
        XCTAssertNotNil(line, r.problems.joined(separator: "\n"))
        XCTAssertTrue(line?.contains("2100-01-01") == true && line?.contains("suspect") == true, line ?? "")
        // The team view does not show ben as freshly synced for ever: his line says why.
        let today = Day(ordinal: Int(now / 86_400_000))
        let row = a.state.teamOverview(asOf: today, thisWorker: a.workerId, utcOffsetSeconds: 0).first { $0.worker == ben.workerId }
        XCTAssertEqual(row?.isClockAhead, true)
        XCTAssertEqual(row?.isStale, true)
        XCTAssertTrue(row?.syncLabel.contains("clock is ahead") == true, row?.syncLabel ?? "no row")
        // Our new events are dated now, not in 2100, so the wrong clock does not spread.
        let mine = try a.append([referral("Mr Chen")])
        XCTAssertLessThan(mine[0].clock.wallMillis, now + HLC.futureTolerance)
        XCTAssertGreaterThan(mine[0].clock, HLC(wallMillis: now), "still after everything sane we knew")
        let more = try a.append([referral("Ms Dlamini")])
        XCTAssertGreaterThan(more[0].clock, mine[0].clock, "our own clock still only moves forward")
        // Folding in place gave what a fresh open gives.
        let dir = a.dataDirectory
        let state = a.state
        a.close()
        XCTAssertEqual(try CaseloadStore.open(dataDirectory: dir, mode: .readOnly).state, state)
        // And reopened, the next event is still dated now.
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        reopened.now = { [now] in now + 1000 }
        XCTAssertLessThan(try reopened.append([referral("Mr Evans")])[0].clock.wallMillis, now + HLC.futureTolerance)
        // A second sync with nothing new does not say it again.
        XCTAssertFalse(try sync(reopened).problems.contains { $0.contains("suspect") })
    }

    // MARK: Duplicate keys

    func testARecordWithTheAuthorTwiceIsRefusedNotForged() throws {
        let a = try device("amira")
        let mallory = UUID()
        let honest = try event(mallory, seq: 1, clock: HLC(wallMillis: now - 1000), author: "mallory", referral("Mrs Begum")).encoded()
        let text = String(decoding: honest, as: UTF8.self).replacingOccurrences(of: "\"author\":\"mallory\"", with: "\"author\":\"ben\",\"author\":\"mallory\"")
        XCTAssertNotEqual(Data(text.utf8), honest)
        try plant(mallory, [Data(text.utf8)])
        let r = try sync(a)
        XCTAssertEqual(r.received, 0)
        XCTAssertTrue(r.problems.contains { $0.contains("not a readable event") }, r.problems.joined(separator: "\n"))
        XCTAssertNil(a.state.workerActivity["ben"])
        XCTAssertTrue(a.state.patients.isEmpty)
    }
}

/// The shared folder itself: renamed copies, links, crafted and huge files.
extension HostileFolderTests {
    func testAnUpperCaseCopyOfADeviceFileDoesNotStandInForIt() throws {
        let a = try device("amira"), ben = try device("ben")
        try ben.append([referral("Mrs Begum")])
        _ = try sync(ben)
        // A copy under the upper-case name holding other events "of ben's device".
        let fake = try event(ben.device, seq: 1, clock: HLC(wallMillis: now - 5000), author: "ben", referral("Forged Person")).encoded()
        try plant(ben.device, [fake], name: "\(ben.device.uuidString.uppercased()).journal")
        let r = try sync(a)
        XCTAssertTrue(r.problems.contains { $0.contains("skipped \(ben.device.uuidString.uppercased()).journal") }, r.problems.joined(separator: "\n"))
        XCTAssertEqual(a.state.patients.values.map(\.name), ["Mrs Begum"], "ben's real file was read, the copy was not")
    }

    func testOurFileReplacedByALinkIsNeverWrittenThrough() throws {
        let a = try device("amira"), ben = try device("ben")
        _ = try sync(ben)
        _ = try sync(a)
        try a.append([referral("Mrs Begum")])
        let ours = folder.appendingPathComponent("\(a.device.uuidString.lowercased()).journal")
        let bens = folder.appendingPathComponent("\(ben.device.uuidString.lowercased()).journal")
        try FileManager.default.removeItem(at: ours)
        try FileManager.default.createSymbolicLink(at: ours, withDestinationURL: bens)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: bens.path)
        let before = try Data(contentsOf: bens)
        let r = try sync(a)
        XCTAssertTrue(r.sendFailed)
        XCTAssertEqual(r.sent, 0)
        XCTAssertTrue(r.problems.contains { $0.contains("not a regular file") }, r.problems.joined(separator: "\n"))
        XCTAssertEqual(try Data(contentsOf: bens), before, "ben's file is untouched")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: bens.path)[.posixPermissions] as! Int) & 0o777, 0o640, "and not chmod-ed through the link")
        // And a journal file opened directly never follows a link either.
        XCTAssertThrowsError(try JournalFile(path: ours.path, device: a.device))
    }

    /// Every offset of this file holds a plausible record length, so looking for the next
    /// record after damage checksums megabytes at each offset: quadratic without a budget.
    func testAFileCraftedToStallTheDamageSearchIsReadInLinearTime() throws {
        let mallory = UUID()
        var bytes = JournalFormat.encodeHeader(device: mallory)
        bytes += Array(repeating: [0x00, 0x00, 0x01, 0x00] as [UInt8], count: 1 << 20 / 4).joined()
        let scan = JournalScanner.scan(Data(bytes))
        XCTAssertEqual(scan.records.count, 0)
        XCTAssertEqual(scan.damage.count, 1)
        XCTAssertEqual(scan.damage.first?.range, JournalFormat.headerSize..<bytes.count)
        XCTAssertEqual(scan.damage.first?.isTail, false, "never cut off as a torn tail")
        // Real damage is still searched past: one bad byte in the middle of a good journal.
        var good = JournalFormat.encodeHeader(device: mallory)
        for i in 1...50 { JournalFormat.encodeRecord(try event(mallory, seq: UInt64(i), clock: HLC(wallMillis: now), referral("P\(i)")).encoded(), into: &good) }
        good[good.count / 2] ^= 0xFF
        let damaged = JournalScanner.scan(Data(good))
        XCTAssertEqual(damaged.records.count, 49)
        XCTAssertTrue(damaged.hasMiddleDamage)
    }

    func testAHugeSparseFileIsSkippedWithOneWarning() throws {
        let a = try device("amira")
        let mallory = UUID()
        let path = folder.appendingPathComponent("\(mallory.uuidString.lowercased()).journal").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(JournalFormat.encodeHeader(device: mallory))))
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 3 << 30)  // sparse: 3 GB that take no disk
        try handle.close()
        let r = try sync(a)
        XCTAssertEqual(r.problems.filter { $0.contains(mallory.uuidString.lowercased()) }.count, 1, r.problems.joined(separator: "\n"))
        XCTAssertTrue(r.problems.contains { $0.contains("larger than a device's file can be") })
    }

    /// Restoring journal/ from a backup but keeping sync.json: a folder file whose size has not
    /// changed since must still be read, because we now hold less of it.
    func testARestoredJournalReadsAgainWhatItNoLongerHolds() throws {
        let a = try device("amira"), ben = try device("ben")
        try ben.append([referral("Mrs Begum")])
        _ = try sync(ben)
        let dir = a.dataDirectory
        let backup = try FileManager.default.contentsOfDirectory(atPath: DataDirectory.journalDirectory(dir).path)
        _ = try sync(a)
        XCTAssertEqual(a.state.patients.count, 1)
        a.close()
        // The backup had only our own journal: ben's copy goes.
        for name in try FileManager.default.contentsOfDirectory(atPath: DataDirectory.journalDirectory(dir).path) where !backup.contains(name) {
            try FileManager.default.removeItem(at: DataDirectory.journalDirectory(dir).appendingPathComponent(name))
        }
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        let restored = try CaseloadStore.open(dataDirectory: dir)
        restored.now = { [now] in now + 1000 }
        XCTAssertEqual(restored.state.patients.count, 0)
        let r = try sync(restored)
        XCTAssertGreaterThan(r.received, 0)
        XCTAssertEqual(restored.state.patients.count, 1, "ben's events came in again")
    }
}

/// A journal restored from a backup, or a data folder copied to a second computer, writes
/// seqs that were already synced: a forked device.
extension HostileFolderTests {
    func testWorkAfterRestoringABackupReachesEveryoneAndNothingIsLost() throws {
        var a = try device("amira")
        let ben = try device("ben")
        let dir = a.dataDirectory
        try a.append([referral("Mrs Begum")])
        _ = try sync(a)
        let backup = try Data(contentsOf: URL(fileURLWithPath: a.journalPath))
        try a.append([referral("Mr Chen")])
        _ = try sync(a)
        let old = a.device
        a.close()
        // The journal comes back from the backup; sync.json stays. Work goes on.
        try backup.write(to: URL(fileURLWithPath: DataDirectory.journalPath(dir, device: old)))
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        a = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertTrue(a.warnings.contains { $0.contains("restored from a backup?") }, "opening says so before any sync")
        a.now = { [now] in now + 5000 }
        try a.append([referral("Ms Dlamini")])
        let r = try sync(a)
        XCTAssertEqual(r.problems.filter { $0.contains("forked") }.count, 1, r.problems.joined(separator: "\n"))
        XCTAssertNotEqual(a.device, old, "continues under a new device id")
        XCTAssertGreaterThan(r.sent, 0, r.problems.joined(separator: "\n") + " \(r)")
        XCTAssertEqual(Set(a.state.patients.values.map(\.name)), ["Mrs Begum", "Mr Chen", "Ms Dlamini"], "both branches")
        _ = try sync(ben)
        XCTAssertEqual(Set(ben.state.patients.values.map(\.name)), ["Mrs Begum", "Mr Chen", "Ms Dlamini"], "Ms Dlamini left the device")
        // The old journal is kept whole, and the device id sticks after reopening.
        let forked = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("forked").path)
        XCTAssertEqual(forked.count, 1)
        let new = a.device
        let state = a.state
        a.close()
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.device, new)
        XCTAssertFalse(reopened.warnings.contains { $0.contains("restored from a backup?") }, reopened.warnings.joined())
        XCTAssertEqual(reopened.state.patients, state.patients)
        reopened.now = { [now] in now + 9000 }
        XCTAssertFalse(try sync(reopened).problems.contains { $0.contains("forked") }, "said once")
    }

    func testADataFolderCopiedToASecondComputerForksInsteadOfHidingEvents() throws {
        let laptop = try device("amira")
        try laptop.append([referral("Mrs Begum")])
        _ = try sync(laptop)
        laptop.close()
        let copyDir = root.appendingPathComponent("amira-copy")
        try FileManager.default.copyItem(at: laptop.dataDirectory, to: copyDir)
        let first = try CaseloadStore.open(dataDirectory: laptop.dataDirectory), second = try CaseloadStore.open(dataDirectory: copyDir)
        first.now = { [now] in now + 1000 }
        second.now = { [now] in now + 2000 }
        try first.append([referral("Mr Chen")])
        try second.append([referral("Ms Dlamini")])
        _ = try sync(first)
        let r = try sync(second)
        XCTAssertTrue(r.problems.contains { $0.contains("forked") }, r.problems.joined(separator: "\n"))
        _ = try sync(first)
        for store in [first, second] {
            XCTAssertEqual(Set(store.state.patients.values.map(\.name)), ["Mrs Begum", "Mr Chen", "Ms Dlamini"])
        }
        XCTAssertNotEqual(first.device, second.device)
    }
}

extension HostileFolderTests {
    /// Files above `wholeReadLimit` are read a record at a time while storing (bounded memory):
    /// the same events come in, in several batches, and a repeat sync reads nothing again.
    func testALargeFileIsReadARecordAtATime() throws {
        let a = try device("amira"), ben = try device("ben")
        for i in 0..<30 { try ben.append([referral("Person \(i)")]) }
        _ = try sync(ben)
        let s = FolderSync(store: a, folder: folder)
        s.wholeReadLimit = 1024
        s.batchSize = 7
        var reports: [SyncProgress] = []
        s.progress = { reports.append($0) }
        let r = try s.run()
        XCTAssertEqual(r.received, 32, "registration, 30 referrals, the sync record")
        XCTAssertEqual(a.state.patients.count, 30)
        XCTAssertGreaterThan(reports.filter { $0.phase == .receiving }.count, 3)
        XCTAssertEqual(try s.run().received, 0)
        // Damage in a large file: what comes before it is stored, and it is said once.
        let path = folder.appendingPathComponent("\(ben.device.uuidString.lowercased()).journal")
        try ben.append([referral("After")])
        _ = try sync(ben)
        var bytes = try Data(contentsOf: path)
        bytes[bytes.count - 3] ^= 0xFF
        try bytes.write(to: path)
        let damaged = try s.run()
        XCTAssertEqual(damaged.problems.filter { $0.contains("damaged at byte") }.count, 1, damaged.problems.joined(separator: "\n"))
    }
}

extension HostileFolderTests {
    /// Esc in the app during a long sync: it stops after the batch in hand, keeps and shows
    /// what came in, and the next sync finishes without duplicates.
    func testACancelledSyncKeepsWhatCameInAndTheNextOneFinishes() throws {
        let a = try device("amira"), ben = try device("ben")
        for i in 0..<20 { try ben.append([referral("Person \(i)")]) }
        _ = try sync(ben)
        let s = FolderSync(store: a, folder: folder)
        s.batchSize = 5
        var batches = 0
        s.progress = { _ in batches += 1 }
        s.shouldCancel = { batches >= 2 }
        XCTAssertThrowsError(try s.run()) { XCTAssertEqual($0 as? SyncError, .cancelled) }
        XCTAssertEqual(a.state.patients.count, 9, "two batches of five came in and are shown (one is ben's registration)")
        s.shouldCancel = nil
        let r = try s.run()
        XCTAssertEqual(r.received, 12)
        XCTAssertEqual(a.state.patients.count, 20)
    }
}

extension HostileFolderTests {
    /// Killed after the config names the new device but before the old journal was put aside:
    /// the next open finishes the switch, and nothing is folded twice or lost.
    func testAForkCutShortBeforeItsRenamesIsFinishedOnOpen() throws {
        let a = try device("amira")
        try a.append([referral("Mrs Begum")])
        _ = try sync(a)
        let dir = a.dataDirectory, old = a.device
        let journalDir = DataDirectory.journalDirectory(dir)
        let fork = try a.continueAsNewDevice(forkedAt: 2)
        a.close()
        // Put things back as they were just before the renames.
        let aside = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("forked").path)[0]
        let oldName = "\(old.uuidString.lowercased()).journal"
        try FileManager.default.moveItem(at: journalDir.appendingPathComponent(oldName),
                                         to: journalDir.appendingPathComponent("\(old.uuidString.lowercased()).fork-prefix"))
        try FileManager.default.moveItem(at: dir.appendingPathComponent("forked").appendingPathComponent(aside), to: journalDir.appendingPathComponent(oldName))
        try? FileManager.default.removeItem(at: dir.appendingPathComponent("snapshot.bin"))
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(reopened.device, fork.newDevice)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("forked").path).count, 1, "the old journal is kept whole")
        XCTAssertFalse(try FileManager.default.contentsOfDirectory(atPath: journalDir.path).contains { $0.hasSuffix(".fork-prefix") })
        XCTAssertEqual(reopened.state.patients.values.map(\.name), ["Mrs Begum"])
        XCTAssertEqual(try reopened.heldSeqs()[old], 1, "the old device holds only what came before the fork")
    }
}
