import XCTest
@testable import CaseloadCore

/// Who may change what in the fold, whatever device an event came from.
final class FoldAuthorityTests: XCTestCase {
    let device = UUID()
    var seq: UInt64 = 0

    func event(_ author: String, at ms: Int64, _ body: EventBody) -> Event {
        seq += 1
        return Event(id: UUID(), device: device, seq: seq, clock: HLC(wallMillis: ms), author: author, body: body)
    }

    func registration(_ author: String, at ms: Int64, _ worker: String, team: String, role: String? = nil) -> Event {
        event(author, at: ms, .workerRegistered(WorkerRegistered(workerId: worker, name: worker.capitalized, team: team, role: role)))
    }

    func testOnlyTheWorkerThemselfOrASupervisorChangesAWorker() {
        let own = registration("alice", at: 1_000, "alice", team: "North")
        let mallory = registration("mallory", at: 1_000, "mallory", team: "North")
        let forged = registration("mallory", at: 2_000, "alice", team: "South")
        var state = CaseloadState.fold([own, mallory, forged])
        XCTAssertEqual(state.workers["alice"]?.team, "North", "a colleague cannot move Alice to another team")

        let grace = registration("grace", at: 1_500, "grace", team: "North", role: "supervisor")
        let moved = registration("grace", at: 3_000, "alice", team: "South")
        state = CaseloadState.fold([own, mallory, forged, grace, moved])
        XCTAssertEqual(state.workers["alice"]?.team, "South", "her supervisor can")
        let herself = registration("alice", at: 4_000, "alice", team: "East")
        XCTAssertEqual(CaseloadState.fold([own, forged, herself]).workers["alice"]?.team, "East", "and so can she")
    }

    func testAnyoneNamesAnUnknownWorkerAndTheirOwnRegistrationWinsInEitherOrder() {
        let listed = registration("amira", at: 5_000, "carol", team: "South")
        let own = registration("carol", at: 1_000, "carol", team: "North")
        XCTAssertEqual(CaseloadState.fold([listed]).workers["carol"]?.team, "South", "an imported list names a colleague")
        XCTAssertEqual(CaseloadState.fold([listed, own]).workers["carol"]?.team, "North", "her own registration, earlier, still wins")
        let later = registration("carol", at: 9_000, "carol", team: "West")
        XCTAssertEqual(CaseloadState.fold([later, listed]).workers["carol"]?.team, "West")
    }
}
