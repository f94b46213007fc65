import XCTest
@testable import CaseloadCore

/// A snapshot must give back exactly the state that was folded, and damaged bytes must be
/// refused (or at worst give some state), never crash.
final class StateSnapshotTests: XCTestCase {
    let asOf = Day("2026-11-23")!

    func events(patients: Int, seed: UInt64) -> [Event] {
        let device = UUID()
        return DemoCaseload.events(patients: patients, seed: seed, asOf: asOf, device: device)
    }

    func roundTrip(_ state: CaseloadState) throws -> CaseloadState {
        try StateSnapshot.encode(state).withUnsafeBytes { try StateSnapshot.decode($0) }
    }

    func testTheDemoCaseloadComesBackIdentical() throws {
        let state = CaseloadState.fold(events(patients: 200, seed: 1))
        XCTAssertGreaterThan(state.sessions.count, 100)
        XCTAssertEqual(try roundTrip(state), state)
        XCTAssertEqual(try roundTrip(CaseloadState()), CaseloadState())
    }

    func testRandomCaseloadsWithUndoDraftsAndConflictsComeBackIdentical() throws {
        var rng = SeededRandom(seed: 99)
        for seed in 1...6 as ClosedRange<UInt64> {
            var all = events(patients: 30, seed: seed)
            let device = UUID()
            var clock = all.map(\.clock).max()!
            func add(_ body: EventBody) {
                clock = HLC(wallMillis: clock.wallMillis + 1)
                all.append(Event(id: UUID(), device: device, seq: UInt64(all.count + 1), clock: clock, author: "ben-okafor", body: body))
            }
            // Undo a few random changes, leave drafts, and close-then-reschedule follow-ups.
            for _ in 0..<5 { add(.changeUndone(ChangeUndone(eventId: all.randomElement(using: &rng)!.id))) }
            let state0 = CaseloadState.fold(all)
            let pid = state0.patients.keys.sorted(by: StateSnapshot.uuidBytesLess)[0]
            add(.draftSaved(DraftSaved(draftId: UUID(), patientId: pid, sessionId: nil, date: asOf, kind: .phone, minutes: 5, text: "draft ✍️ ünïcode")))
            if let f = state0.followups.values.first(where: { $0.status == .open }) {
                add(.followupCompleted(FollowupCompleted(followupId: f.id, date: asOf)))
                add(.followupRescheduled(FollowupRescheduled(followupId: f.id, due: asOf.adding(days: 3), reason: "other device", date: asOf)))
            }
            let state = CaseloadState.fold(all)
            XCTAssertFalse(state.undone.isEmpty)
            XCTAssertEqual(try roundTrip(state), state, "seed \(seed)")
        }
    }

    /// Directory services (with their Open Referral ids, delisted ones too) and who synced
    /// when: added to the state after the first layouts, so checked on their own.
    func testDirectoryServicesAndSyncActivityComeBackIdentical() throws {
        var all = events(patients: 10, seed: 4)
        let device = UUID()
        var clock = all.map(\.clock).max()!
        func add(_ body: EventBody, author: String = "ben") {
            clock = HLC(wallMillis: clock.wallMillis + 1)
            all.append(Event(id: UUID(), device: device, seq: UInt64(all.count + 1), clock: clock, author: author, body: body))
        }
        let listed = UUID(), dropped = UUID()
        add(.serviceAdded(ServiceAdded(serviceId: listed, name: "Walking group", organisation: "Parks", category: "physical activity",
                                       externalId: "oruk-1", source: "directory", lastModified: "2026-11-01T10:00:00Z")))
        add(.serviceUpdated(ServiceAdded(serviceId: dropped, name: "Men's Shed", externalId: "oruk-2", source: "directory")))
        add(.serviceDelisted(ServiceDelisted(serviceId: dropped, date: asOf, reason: "no longer listed")))
        add(.deviceSynced(DeviceSynced(target: "folder")), author: "grace")
        let state = CaseloadState.fold(all)
        XCTAssertEqual(state.services[dropped]?.delistedOn, asOf)
        XCTAssertEqual(state.workerActivity["grace"]?.lastSyncTarget, "folder")
        XCTAssertEqual(try roundTrip(state), state)
    }

    /// Contact outcomes and the risk register (layout 5), checked on their own too.
    func testContactOutcomesAndRisksComeBackIdentical() throws {
        var all = events(patients: 10, seed: 5)
        let device = UUID()
        var clock = all.map(\.clock).max()!
        func add(_ body: EventBody) {
            clock = HLC(wallMillis: clock.wallMillis + 1)
            all.append(Event(id: UUID(), device: device, seq: UInt64(all.count + 1), clock: clock, author: "ben", body: body))
        }
        let state0 = CaseloadState.fold(all)
        let pids = state0.patients.keys.sorted(by: StateSnapshot.uuidBytesLess)
        let open = UUID(), resolved = UUID()
        add(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: pids[0], date: asOf, kind: .textOrEmail, minutes: nil, note: "",
                                             outcome: .noAnswer)))
        add(.riskRecorded(RiskRecorded(riskId: open, patientId: pids[0], kind: .loneWorking, note: "dog at the flat", date: asOf)))
        add(.riskRecorded(RiskRecorded(riskId: resolved, patientId: pids[1], kind: .safeguarding, note: nil, raisedWith: "MASH", date: asOf)))
        add(.riskResolved(RiskResolved(riskId: resolved, date: asOf, reason: "closed by the local authority")))
        add(.noKnownRisks(NoKnownRisks(patientId: pids[2], date: asOf)))
        let state = CaseloadState.fold(all)
        XCTAssertEqual(state.risks.count, 2)
        XCTAssertEqual(state.noKnownRisks.count, 1)
        XCTAssertTrue(state.sessions.values.contains { $0.outcome == .noAnswer })
        XCTAssertEqual(try roundTrip(state), state)
    }

    func testAGoalsReviewDayIsFoldedAndComesBack() throws {
        var all = events(patients: 3, seed: 2)
        let pid = CaseloadState.fold(all).patients.keys.sorted(by: StateSnapshot.uuidBytesLess)[0]
        let goal = UUID(), review = Day("2026-12-21")!
        let clock = HLC(wallMillis: all.map(\.clock).max()!.wallMillis + 1)
        all.append(Event(id: UUID(), device: UUID(), seq: 1, clock: clock, author: "ben",
                         body: .goalSet(GoalSet(goalId: goal, patientId: pid, text: "Join the walking group", date: asOf, reviewOn: review))))
        let state = CaseloadState.fold(all)
        XCTAssertEqual(state.goals[goal]?.reviewOn, review)
        XCTAssertEqual(try roundTrip(state).goals[goal]?.reviewOn, review)
        XCTAssertEqual(try Event.decode(all.last!.encoded()), all.last!)
    }

    func testDamagedBytesAreRefusedOrHarmlessNeverACrash() throws {
        let bytes = StateSnapshot.encode(CaseloadState.fold(events(patients: 5, seed: 3)))
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            XCTAssertThrowsError(try Array(bytes[..<cut]).withUnsafeBytes { try StateSnapshot.decode($0) }, "cut at \(cut)")
        }
        var rng = SeededRandom(seed: 5)
        for _ in 0..<300 {
            var damaged = bytes
            damaged[Int.random(in: 0..<damaged.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            _ = try? damaged.withUnsafeBytes { try StateSnapshot.decode($0) }
        }
    }
}

final class UUIDOrderTests: XCTestCase {
    func testSortsBeforeIsTheOrderOfUuidStrings() {
        var rng = SeededRandom(seed: 11)
        let ids = (0..<500).map { _ in rng.uuid() } + [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9)), UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xA0))]
        XCTAssertEqual(ids.sorted { $0.sortsBefore($1) }, ids.sorted { $0.uuidString < $1.uuidString })
    }
}

final class SearchTextFoldTests: XCTestCase {
    func testTheAsciiShortcutFoldsAsFoundationDoes() {
        var rng = SeededRandom(seed: 3)
        let printable = (32..<127).map { Character(UnicodeScalar(UInt8($0))) }
        for _ in 0..<300 {
            let s = String((0..<Int.random(in: 0...20, using: &rng)).map { _ in printable.randomElement(using: &rng)! })
            XCTAssertEqual(SearchText.fold(s), s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil), s)
        }
        XCTAssertEqual(SearchText.fold("Zoë Łukasz"), "zoe lukasz")
    }
}
