import XCTest
@testable import CaseloadCore

/// Done (or cancelled) on one device, rescheduled on another without either seeing the other:
/// the conflict shows whichever was written first.
final class FollowupConflictTests: XCTestCase {
    let patient = UUID(), followup = UUID()
    let a = UUID(), b = UUID()

    func history() -> [Event] {
        let x = UUID()
        return [
            Event(id: UUID(), device: x, seq: 1, clock: HLC(wallMillis: 1_000), author: "amira",
                  body: .patientReferred(PatientReferred(patientId: patient, name: "Kofi", referral: Referral(date: Day("2026-11-01")!, source: .gp, reasons: [])))),
            Event(id: UUID(), device: x, seq: 2, clock: HLC(wallMillis: 1_001), author: "amira",
                  body: .followupScheduled(FollowupScheduled(followupId: followup, patientId: patient, due: Day("2026-11-15")!, reason: nil, worker: nil))),
        ]
    }

    func done(at ms: Int64, seen: Int?) -> Event {
        Event(id: UUID(), device: a, seq: 1, clock: HLC(wallMillis: ms), author: "amira",
              body: .followupCompleted(FollowupCompleted(followupId: followup, date: Day("2026-11-16")!, reschedulesSeen: seen)))
    }

    func cancelled(at ms: Int64, seen: Int?) -> Event {
        Event(id: UUID(), device: a, seq: 1, clock: HLC(wallMillis: ms), author: "amira",
              body: .followupCancelled(FollowupCancelled(followupId: followup, date: Day("2026-11-16")!, reason: "moved away", reschedulesSeen: seen)))
    }

    func rescheduled(at ms: Int64) -> Event {
        Event(id: UUID(), device: b, seq: 1, clock: HLC(wallMillis: ms), author: "ben",
              body: .followupRescheduled(FollowupRescheduled(followupId: followup, due: Day("2026-11-22")!, reason: "away", date: Day("2026-11-16")!)))
    }

    func result(_ events: [Event]) -> Followup { CaseloadState.fold(history() + events).followups[followup]! }

    func testTheConflictShowsInEitherOrder() {
        let doneFirst = result([done(at: 2_000, seen: 0), rescheduled(at: 3_000)])
        let rescheduledFirst = result([rescheduled(at: 2_000), done(at: 3_000, seen: 0)])
        for f in [doneFirst, rescheduledFirst] {
            XCTAssertNotNil(f.conflict, "done on one device, rescheduled on another")
            XCTAssertEqual(f.status, .open, "kept open so it is not lost")
            XCTAssertEqual(f.due, Day("2026-11-22"))
        }
        XCTAssertTrue(rescheduledFirst.conflict?.contains("then marked done") ?? false, rescheduledFirst.conflict ?? "")
        let cancelledAfter = result([rescheduled(at: 2_000), cancelled(at: 3_000, seen: 0)])
        XCTAssertEqual(cancelledAfter.status, .open)
        XCTAssertTrue(cancelledAfter.conflict?.contains("then cancelled") ?? false, cancelledAfter.conflict ?? "")
    }

    func testDoneAfterSeeingTheRescheduleIsJustDone() {
        let informed = result([rescheduled(at: 2_000), done(at: 3_000, seen: 1)])
        XCTAssertEqual(informed.status, .done)
        XCTAssertNil(informed.conflict)
        // Marking it done again after seeing the conflict settles it.
        var again = done(at: 4_000, seen: 1)
        again = Event(id: again.id, device: a, seq: 2, clock: again.clock, author: again.author, body: again.body)
        let settled = result([rescheduled(at: 2_000), done(at: 3_000, seen: 0), again])
        XCTAssertEqual(settled.status, .done)
        XCTAssertNil(settled.conflict)
        // An older event without the count is taken as it always was.
        XCTAssertEqual(result([rescheduled(at: 2_000), done(at: 3_000, seen: nil)]).status, .done)
    }

    func testTheCountSurvivesTheJournal() throws {
        for e in [done(at: 2_000, seen: 3), cancelled(at: 2_000, seen: 2)] {
            XCTAssertEqual(try Event.decode(try e.encoded()), e)
        }
    }
}
