import XCTest
@testable import CaseloadJournal
import CaseloadCore

/// `followups.idx` must answer `overdue` exactly as the folded caseload does, and count only
/// while the journals are what it was derived from: after any change it says nothing (nil),
/// and the caller opens the caseload instead.
final class FollowupIndexTests: XCTestCase {
    var dir: URL!
    let asOf = Day("2026-11-23")!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("fi-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func demoState(patients: Int, seed: UInt64) -> CaseloadState {
        let device = UUID()
        return CaseloadState.fold(DemoCaseload.events(patients: patients, seed: seed, asOf: asOf, device: device))
    }

    func testTheDigestAnswersOverdueAsTheStateDoes() {
        for seed in 1...3 as ClosedRange<UInt64> {
            let state = demoState(patients: 120, seed: seed)
            let digest = FollowupDigest(state)
            XCTAssertGreaterThan(digest.rows.count, 50)
            let workers = [nil, ""] + state.workers.keys.sorted().map(Optional.some) + ["nobody"]
            let teams = [nil] + Set(state.workers.values.compactMap(\.team)).sorted().map(Optional.some) + ["Nowhere"]
            for days in [-400, -30, -1, 0, 1, 14, 365] {
                let day = asOf.adding(days: days)
                for w in workers {
                    XCTAssertEqual(digest.overdue(asOf: day, worker: w), state.overdue(asOf: day, worker: w), "seed \(seed), \(days), \(w ?? "-")")
                }
                for t in teams { XCTAssertEqual(digest.overdue(asOf: day, team: t), state.overdue(asOf: day, team: t)) }
            }
            XCTAssertFalse(state.overdue(asOf: asOf).isEmpty)
        }
    }

    func testTheFileComesBackIdenticalAndDamageIsRefused() throws {
        let state = demoState(patients: 30, seed: 7)
        let file = FollowupIndexFile(device: UUID(), coverage: [FileCoverage(name: "a.journal", headerCRC: 1, end: 99, lastRecordOffset: 40, lastRecordCRC: 7),
                                                                FileCoverage(name: "b.journal", headerCRC: 2, end: 32, lastRecordOffset: -1, lastRecordCRC: 0)],
                                     digest: FollowupDigest(state))
        let bytes = file.encoded()
        XCTAssertEqual(bytes.withUnsafeBytes { FollowupIndexFile.decode($0) }, file)
        // Read only as far as `overdue` needs: the rows due before the day, the same answer.
        for days in [-500, -20, 0, 1, 30, 900] {
            let day = asOf.adding(days: days)
            let part = try XCTUnwrap(bytes.withUnsafeBytes { FollowupIndexFile.decode($0, dueBefore: day) })
            XCTAssertTrue(part.digest.rows.allSatisfy { $0.due < day })
            XCTAssertEqual(part.digest.overdue(asOf: day), state.overdue(asOf: day))
            XCTAssertEqual(part.digest.overdue(asOf: day, worker: "amira-haddad"), state.overdue(asOf: day, worker: "amira-haddad"))
        }
        var rng = SeededRandom(seed: 5)
        for _ in 0..<400 {
            var damaged = bytes
            if rng.chance(0.5) {
                damaged[rng.int(0...(bytes.count - 1))] ^= UInt8(rng.int(1...255))
            } else {
                damaged = Array(damaged.prefix(rng.int(0...(bytes.count - 1))))
            }
            XCTAssertNil(damaged.withUnsafeBytes { FollowupIndexFile.decode($0) })
        }
        // Another version, even with a right checksum, is not read.
        var other = bytes
        other[8] = 2
        other.removeLast(4)
        withUnsafeBytes(of: CRC32C.mask(CRC32C.checksum(other)).littleEndian) { other.append(contentsOf: $0) }
        XCTAssertNil(other.withUnsafeBytes { FollowupIndexFile.decode($0) })
    }

    /// The store writes the file when it closes after a change, private; it is current until
    /// anything is appended, and a journal from another device makes it stale too.
    func testTheStoreKeepsItCurrentAndAnyChangeMakesItStale() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: "North")
        let pid = UUID(), fid = UUID()
        try store.append([
            .patientReferred(PatientReferred(patientId: pid, name: "Mrs Begum", referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: []))),
            .followupScheduled(FollowupScheduled(followupId: fid, patientId: pid, due: Day("2026-11-20")!, reason: "call", worker: "amira")),
        ])
        store.close()
        let path = FollowupIndexFile.path(in: dir)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        let digest = try XCTUnwrap(CaseloadStore.currentFollowupDigest(dataDirectory: dir))
        XCTAssertEqual(digest.overdue(asOf: asOf), try CaseloadStore.open(dataDirectory: dir, mode: .readOnly).state.overdue(asOf: asOf))
        XCTAssertEqual(digest.overdue(asOf: asOf).map(\.followupId), [fid])

        // Appended and not closed (the app still open, or killed): stale.
        let writer = try CaseloadStore.open(dataDirectory: dir)
        try writer.append([.followupCompleted(FollowupCompleted(followupId: fid, date: asOf))])
        XCTAssertNil(CaseloadStore.currentFollowupDigest(dataDirectory: dir))
        writer.close()
        XCTAssertEqual(CaseloadStore.currentFollowupDigest(dataDirectory: dir)?.overdue(asOf: asOf), [])

        // Another device's journal arrives beside ours: stale until the caseload is opened again.
        let other = UUID()
        let later = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly).state.latestClock.wallMillis + 1
        let j = try JournalFile(path: DataDirectory.journalPath(dir, device: other), device: other)
        let e = Event(id: UUID(), device: other, seq: 1, clock: HLC(wallMillis: later), author: "ben",
                      body: .followupScheduled(FollowupScheduled(followupId: UUID(), patientId: pid, due: Day("2026-11-02")!, reason: nil, worker: "ben")))
        try j.append([try e.encoded()])
        j.close()
        XCTAssertNil(CaseloadStore.currentFollowupDigest(dataDirectory: dir))
        let reader = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly)
        reader.writeFollowupIndex()
        XCTAssertEqual(CaseloadStore.currentFollowupDigest(dataDirectory: dir)?.overdue(asOf: asOf), reader.state.overdue(asOf: asOf))
        XCTAssertEqual(reader.state.overdue(asOf: asOf).count, 1)

        // Garbage in its place is ignored, never believed.
        try Data("CSLDFUPS not really".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertNil(CaseloadStore.currentFollowupDigest(dataDirectory: dir))
    }

    /// Random changes, some closed cleanly and some cut off before the close: whenever the
    /// file is current, it gives exactly the overdue list of the caseload folded from scratch.
    func testWhenCurrentItAlwaysAgreesWithAFullFold() throws {
        let store = try DataDirectory.initialize(at: dir, workerName: "Amira", team: "North")
        var patients = [UUID()], followups: [UUID] = []
        try store.append([.patientReferred(PatientReferred(patientId: patients[0], name: "P", referral: Referral(date: asOf, source: .gp, reasons: [])))])
        store.close()
        var rng = SeededRandom(seed: 16)
        var current = 0
        for round in 0..<40 {
            let s = try CaseloadStore.open(dataDirectory: dir)
            for _ in 0..<rng.int(1...4) {
                let day = asOf.adding(days: rng.int(-40...10))
                switch rng.int(0...5) {
                case 0:
                    let p = UUID()
                    patients.append(p)
                    try s.append([.patientReferred(PatientReferred(patientId: p, name: "P\(rng.int(0...99))", referral: Referral(date: day, source: .gp, reasons: [])))])
                case 1, 2:
                    let f = UUID()
                    followups.append(f)
                    try s.append([.followupScheduled(FollowupScheduled(followupId: f, patientId: rng.pick(patients), due: day, reason: rng.chance(0.5) ? "call" : nil,
                                                                       worker: rng.pick(["amira", "ben", ""])))])
                case 3 where !followups.isEmpty:
                    try s.append([.followupCompleted(FollowupCompleted(followupId: rng.pick(followups), date: day))])
                case 4 where !followups.isEmpty:
                    try s.append([.followupRescheduled(FollowupRescheduled(followupId: rng.pick(followups), due: day, reason: "moved", date: asOf))])
                default:
                    try s.append([.patientStatusChanged(PatientStatusChanged(patientId: rng.pick(patients), status: rng.pick(PatientStatus.allCases), date: day))])
                }
            }
            if rng.chance(0.7) {
                s.close()
            } else { // as if killed: the journal let go of, no file written
                s.journal?.close()
                s.journal = nil
            }
            let full = try CaseloadStore.open(dataDirectory: dir, mode: .readOnly).state
            if let digest = CaseloadStore.currentFollowupDigest(dataDirectory: dir) {
                current += 1
                for d in [-20, 0, 5] {
                    let day = asOf.adding(days: d)
                    XCTAssertEqual(digest.overdue(asOf: day), full.overdue(asOf: day), "round \(round)")
                    XCTAssertEqual(CaseloadStore.currentFollowupDigest(dataDirectory: dir, dueBefore: day)?.overdue(asOf: day), full.overdue(asOf: day))
                }
            }
        }
        XCTAssertGreaterThan(current, 10, "the index was current after most clean closes")
    }
}
