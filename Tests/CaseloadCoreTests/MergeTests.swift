import XCTest
@testable import CaseloadCore

/// Journals from several devices merge by folding the union of their events in one total
/// order, so any order of arrival gives the same state.
final class MergeTests: XCTestCase {
    func testShuffledArrivalOrdersFoldToIdenticalState() {
        let asOf = Day("2026-11-23")!
        // Three devices each writing part of a demo caseload, with clocks that interleave.
        let items = DemoCaseload.generate(patients: 40, seed: 42, asOf: asOf)
        let devices = [UUID(), UUID(), UUID()]
        var seqs = [UInt64](repeating: 0, count: 3)
        var events: [Event] = []
        for (i, item) in items.enumerated() {
            let d = i % 3
            seqs[d] += 1
            events.append(item.event(device: devices[d], seq: seqs[d]))
        }
        // Concurrent edits with equal clocks on different devices: the tie-break must be total.
        let pid = events.compactMap { if case .patientReferred(let p) = $0.body { return p.patientId } else { return nil } }[0]
        let tie = HLC(wallMillis: events.last!.clock.wallMillis + 1)
        events.append(Event(id: UUID(), device: devices[0], seq: seqs[0] + 1, clock: tie, author: "amira",
                            body: .patientUpdated(PatientUpdated(patientId: pid, phone: "01632 960001"))))
        events.append(Event(id: UUID(), device: devices[1], seq: seqs[1] + 1, clock: tie, author: "ben",
                            body: .patientUpdated(PatientUpdated(patientId: pid, phone: "01632 960002"))))

        let reference = CaseloadState.fold(events)
        var rng = SeededRandom(seed: 7)
        for _ in 0..<25 {
            var shuffled = events
            shuffled.shuffle(using: &rng)
            let state = CaseloadState.fold(shuffled)
            XCTAssertEqual(state, reference)
            XCTAssertEqual(state.overdue(asOf: asOf), reference.overdue(asOf: asOf))
        }
        XCTAssertGreaterThan(reference.patients.count, 30)
    }

    func testTheDemoIsTheSameForTheSameSeed() {
        let asOf = Day("2026-11-23")!
        let a = DemoCaseload.generate(patients: 30, seed: 3, asOf: asOf)
        let b = DemoCaseload.generate(patients: 30, seed: 3, asOf: asOf)
        XCTAssertEqual(a.map(\.id), b.map(\.id))
        XCTAssertEqual(a.map(\.body), b.map(\.body))
        XCTAssertNotEqual(a.map(\.id), DemoCaseload.generate(patients: 30, seed: 4, asOf: asOf).map(\.id))
    }

    func testTheDemoHasWhatTheAppNeedsToShow() {
        let asOf = Day("2026-11-23")!
        let state = CaseloadState.fold(DemoCaseload.events(patients: 300, seed: 1, asOf: asOf, device: UUID()))
        XCTAssertEqual(state.patients.count, 300)
        XCTAssertGreaterThan(state.overdue(asOf: asOf).count, 10)
        XCTAssertEqual(Set(state.workers.values.compactMap(\.team)), ["North", "South"])
        XCTAssertTrue(state.patients.values.allSatisfy { $0.nhsNumber?.digits.hasPrefix("999") ?? false }, "only the never-issued test range")
        XCTAssertTrue(state.patients.values.contains { $0.name.unicodeScalars.contains { $0.value >= 0x4E00 && $0.value <= 0x9FFF } }, "Chinese")
        XCTAssertTrue(state.patients.values.contains { $0.name.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } }, "Arabic")
        XCTAssertTrue(state.patients.values.contains { $0.name.unicodeScalars.contains { (0x0980...0x09FF).contains($0.value) } }, "Bengali")
        XCTAssertTrue(state.patients.values.contains { $0.preferredName?.unicodeScalars.contains { $0.properties.isEmojiPresentation } ?? false }, "emoji")
        XCTAssertTrue(state.sessions.values.contains { $0.note.contains("\n\n") }, "multi-paragraph notes")
        XCTAssertFalse(state.goals.isEmpty)
        XCTAssertFalse(state.connections.isEmpty)
        XCTAssertTrue(state.measures.values.contains { $0.instrument == .swemwbs })
    }
}
