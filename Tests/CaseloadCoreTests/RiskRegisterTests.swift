import XCTest
@testable import CaseloadCore

/// The risk register: dated risks or an explicit "no known risks", in the message to the GP.
final class RiskRegisterTests: XCTestCase {
    let today = Day("2026-11-23")!
    let pid = UUID()

    func state(_ extra: [EventBody] = []) -> CaseloadState {
        var m = EventMaker()
        let bodies: [EventBody] = [
            .patientReferred(PatientReferred(patientId: pid, name: "Siobhán Ní Bhriain", referral: Referral(date: Day("2026-11-10")!, source: .gp, reasons: [.mentalWellbeing]))),
            .consentRecorded(ConsentRecorded(patientId: pid, kind: .shareWithGP, given: true, date: Day("2026-11-10")!)),
        ] + extra
        return CaseloadState.fold(bodies.map { m.make($0) })
    }

    func folded(_ s: CaseloadState, _ r: Result<[EventBody], Problems<FieldProblem>>) throws -> CaseloadState {
        var m = EventMaker()
        m.clock = s.latestClock
        var out = s
        for b in try r.get() { out.apply(m.make(b)) }
        return out
    }

    func testARiskShowsUntilResolvedAndNoneKnownOnlyWhenNoneIsOpen() throws {
        let ctx = RuleContext(asOf: today)
        var s = state()
        XCTAssertEqual(s.riskStatus(of: pid), .notRecorded)
        XCTAssertTrue(GPSummary(patientId: pid, state: s, workerId: "amira", asOf: today)!.text.contains(GPSummary.Risks.notRecorded))
        let rid = UUID()
        s = try folded(s, Rules.recordRisk(RiskInput(patientId: pid, kind: .loneWorking, note: "landlord's dog", date: today), state: s, context: ctx, riskId: rid))
        XCTAssertEqual(s.riskBanner(of: pid), "! risk: lone working")
        XCTAssertTrue(GPSummary(patientId: pid, state: s, workerId: "amira", asOf: today)!.text.contains("Lone working since 2026-11-23: landlord's dog."))
        guard case .failure(let p) = Rules.recordNoKnownRisks(patientId: pid, date: today, state: s, context: ctx) else { return XCTFail("accepted") }
        XCTAssertTrue(p.items[0].message.contains(rid.uuidString.prefix(8).lowercased()))
        s = try folded(s, Rules.resolveRisk(rid, reason: "moved flat", state: s, context: ctx))
        XCTAssertNil(s.riskBanner(of: pid))
        if case .success = Rules.resolveRisk(rid, reason: nil, state: s, context: ctx) { XCTFail("resolved twice") }
        s = try folded(s, Rules.recordNoKnownRisks(patientId: pid, date: today, state: s, context: ctx))
        XCTAssertEqual(s.riskStatus(of: pid), .noneKnown(since: today))
        XCTAssertTrue(GPSummary(patientId: pid, state: s, workerId: "amira", asOf: today)!.text.contains("No known risks (recorded 2026-11-23)."))
    }

    func testOtherNeedsANoteAndTheFutureIsRefused() {
        let r = Rules.recordRisk(RiskInput(patientId: pid, kind: .other, note: "  ", date: today.adding(days: 1)), state: state(), context: RuleContext(asOf: today))
        guard case .failure(let p) = r else { return XCTFail("accepted") }
        XCTAssertEqual(p.items.map(\.field), ["note", "date"])
    }

    func testASafeguardingConcernSaysToWhomItWasRaised() throws {
        let s = try folded(state(), Rules.recordRisk(RiskInput(patientId: pid, kind: .safeguarding, note: nil, raisedWith: "Dr Patel", date: today),
                                                     state: state(), context: RuleContext(asOf: today)))
        XCTAssertEqual(s.risks(of: pid).first?.summary, "safeguarding concern raised since 2026-11-23 (raised with Dr Patel)")
    }
}
