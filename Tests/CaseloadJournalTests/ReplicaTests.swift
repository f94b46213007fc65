import XCTest
@testable import CaseloadJournal
import CaseloadCore

final class ReplicaTests: XCTestCase {
    var dir: URL!
    let other = UUID()

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("rp-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Events `seqs` of `other`, each referring a patient, clocked far in the future of ours or not.
    func remote(_ seqs: ClosedRange<UInt64>, device: UUID? = nil, wall: Int64 = 1_000) throws -> [Data] {
        try seqs.map { s in
            try Event(id: UUID(), device: device ?? other, seq: s, clock: HLC(wallMillis: wall + Int64(s)), author: "ben",
                      body: .patientReferred(PatientReferred(patientId: UUID(), name: "P\(s)",
                                                             referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))).encoded()
        }
    }

    func testReceiveStoresFoldsAndReportsHeldSeqs() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: "North")
        let batch = try remote(1...3)
        XCTAssertEqual(try store.receive(device: other, payloads: batch), 3)
        XCTAssertEqual(store.state.patients.count, 3)
        XCTAssertEqual(try store.heldSeqs(), [store.device: 1, other: 3])
        let back = try store.payloads(of: other, after: 1)
        XCTAssertEqual(back.map(\.seq), [2, 3])
        XCTAssertEqual(back.map(\.payload), Array(batch[1...]), "the exact bytes received")
        XCTAssertEqual(try store.payloads(of: store.device, after: 0).count, 1)

        let mode = try FileManager.default.attributesOfItem(atPath: DataDirectory.journalPath(dir, device: other))[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        store.close()
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(try reopened.heldSeqs()[other], 3)
        XCTAssertEqual(reopened.state, store.state)
    }

    func testDuplicatesAreSkippedAndAGapStoresNothingFromTheGapOn() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let all = try remote(1...6)
        XCTAssertEqual(try store.receive(device: other, payloads: Array(all[0..<3])), 3)
        XCTAssertEqual(try store.receive(device: other, payloads: Array(all[0..<4])), 1, "1–3 again are duplicates")
        XCTAssertThrowsError(try store.receive(device: other, payloads: [all[5], all[4]])) { error in
            XCTAssertEqual(error as? ReplicaError, .gap(device: other, expected: 5, found: 6))
        }
        XCTAssertEqual(try store.heldSeqs()[other], 4)
        XCTAssertThrowsError(try store.receive(device: other, payloads: [all[4], all[5], try remote(8...8)[0]]))
        XCTAssertEqual(try store.heldSeqs()[other], 6, "what came before the gap is stored")
        XCTAssertEqual(store.state.patients.count, 6)
        store.close()
        XCTAssertEqual(try CaseloadStore.open(dataDirectory: dir).state.patients.count, 6, "no duplicate on disk")
        XCTAssertEqual(try JournalFile.read(path: DataDirectory.journalPath(dir, device: other)).records.count, 6)
    }

    func testWrongDeviceAndOwnDeviceAreRefused() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        XCTAssertThrowsError(try store.receive(device: other, payloads: try remote(1...1, device: UUID()))) {
            XCTAssertEqual($0 as? ReplicaError, .wrongDevice(index: 0))
        }
        XCTAssertThrowsError(try store.receive(device: store.device, payloads: try remote(2...2, device: store.device))) {
            XCTAssertEqual($0 as? ReplicaError, .ownDevice)
        }
        XCTAssertThrowsError(try store.receive(device: other, payloads: [Data("{\"not\":1}".utf8)])) {
            guard case .undecodable(index: 0, _)? = $0 as? ReplicaError else { return XCTFail("\($0)") }
        }
        XCTAssertEqual(store.lastSeq, 1)
        XCTAssertNil(try store.heldSeqs()[other])
        XCTAssertFalse(FileManager.default.fileExists(atPath: DataDirectory.journalPath(dir, device: other)))
        let readOnly = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly)
        XCTAssertThrowsError(try readOnly.receive(device: other, payloads: try remote(1...1))) {
            XCTAssertEqual($0 as? ReplicaError, .readOnly)
        }
    }

    func testATornReplicaTailIsSetAsideAndReceivingContinues() throws {
        var store: CaseloadStore? = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let all = try remote(1...4)
        try store!.receive(device: other, payloads: Array(all[0..<2]))
        store!.close()
        store = nil
        // An interrupted receive: half of record 3 reached the disk.
        let path = DataDirectory.journalPath(dir, device: other)
        var torn: [UInt8] = []
        JournalFormat.encodeRecord(all[2], into: &torn)
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        h.seekToEndOfFile()
        h.write(Data(torn.prefix(torn.count / 2)))
        try h.close()

        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(try reopened.heldSeqs()[other], 2)
        XCTAssertEqual(try reopened.receive(device: other, payloads: all), 2)
        XCTAssertEqual(try reopened.heldSeqs()[other], 4)
        XCTAssertEqual(reopened.state.patients.count, 4)
        let scan = try JournalFile.read(path: path)
        XCTAssertTrue(scan.damage.isEmpty)
        XCTAssertEqual(scan.records.count, 4)
        let sideFiles = try FileManager.default.contentsOfDirectory(atPath: DataDirectory.journalDirectory(dir).path).filter { $0.contains("torn-tail") }
        XCTAssertEqual(sideFiles.count, 1, "the torn bytes are kept aside, not thrown away")
    }

    func testOurNextEventOrdersAfterReceivedOnesFromAFastClock() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let now = Int64(Date().timeIntervalSince1970 * 1000) + 1000
        store.now = { now }
        // A few minutes fast (within the tolerance): followed, as a hybrid clock does.
        let fast = now + HLC.futureTolerance / 2
        try store.receive(device: other, payloads: try remote(1...2, wall: fast))
        let mine = try store.append([.serviceAdded(ServiceAdded(serviceId: UUID(), name: "Walking group"))])[0]
        XCTAssertGreaterThan(mine.clock, HLC(wallMillis: fast + 2))
    }

    func testAClockFarInTheFutureIsKeptButNeverAdopted() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let now = Int64(Date().timeIntervalSince1970 * 1000) + 1000
        store.now = { now }
        let future = now + 3_600_000
        XCTAssertEqual(try store.receive(device: other, payloads: try remote(1...2, wall: future)), 2, "kept")
        XCTAssertEqual(store.futureClocks[other]?.wallMillis, future + 2, "and noted as suspect")
        let mine = try store.append([.serviceAdded(ServiceAdded(serviceId: UUID(), name: "Walking group"))])[0]
        XCTAssertEqual(mine.clock.wallMillis, now, "dated now, not an hour ahead")
    }

    func testEventsFromThePastOfTheFoldOrderGiveTheSameStateAsAFullFold() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: nil)
        let pid = UUID()
        try store.append([.patientReferred(PatientReferred(patientId: pid, name: "Mrs Begum", referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))])
        // An older rename from the other device: ours is newer, so ours wins.
        let old = try Event(id: UUID(), device: other, seq: 1, clock: HLC(wallMillis: 10), author: "ben",
                            body: .patientUpdated(PatientUpdated(patientId: pid, phone: "0161 000"))).encoded()
        try store.receive(device: other, payloads: [old])
        store.close()
        let reopened = try CaseloadStore.open(dataDirectory: dir)
        XCTAssertEqual(store.state, reopened.state)
    }
}
