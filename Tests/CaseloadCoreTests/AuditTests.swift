import XCTest
@testable import CaseloadCore

/// The audit's rules: a view carries no content, a supervisor sees her team's and a worker
/// her own and her people's, and a restricted record is off every working list and changed by
/// nothing until it is unrestricted (what the store checks before every append).
final class AuditTests: XCTestCase {
    let asOf = Day("2026-11-23")!
    let ann = UUID(uuidString: "0000000A-0000-0000-0000-000000000001")!, chen = UUID(uuidString: "0000000C-0000-0000-0000-000000000002")!
    var events: [Event] = []

    func add(_ body: EventBody, by author: String) {
        events.append(Event(id: UUID(), device: UUID(uuidString: "00000000-0000-0000-0000-0000000000DD")!, seq: UInt64(events.count + 1),
                            clock: HLC(wallMillis: 1_763_900_000_000 + Int64(events.count) * 60_000), author: author, body: body))
    }

    override func setUp() {
        events = []
        add(.workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira", team: "North")), by: "amira")
        add(.workerRegistered(WorkerRegistered(workerId: "grace", name: "Grace", team: "North", role: "supervisor")), by: "grace")
        add(.workerRegistered(WorkerRegistered(workerId: "ben", name: "Ben", team: "South")), by: "ben")
        add(.patientReferred(PatientReferred(patientId: ann, name: "Ann Sandhu", worker: "amira", referral: Referral(date: asOf, source: .gp, reasons: [.loneliness]))), by: "amira")
        add(.patientReferred(PatientReferred(patientId: chen, name: "Mr Chen", worker: "ben", referral: Referral(date: asOf, source: .gp, reasons: [.loneliness]))), by: "ben")
        add(.followupScheduled(FollowupScheduled(followupId: UUID(), patientId: ann, due: Day("2026-11-01")!, reason: "call", worker: "amira")), by: "amira")
    }

    var state: CaseloadState { CaseloadState.fold(events) }

    func testAViewNamesThePersonAndHowAndNothingElse() throws {
        let bodies = Rules.recordView(patientId: ann, how: .gpSummary, state: state, context: RuleContext(asOf: asOf))
        XCTAssertEqual(bodies, [.patientViewed(PatientViewed(patientId: ann, how: "gp-summary", date: asOf))])
        for b in bodies { add(b, by: "amira") }
        let json = String(decoding: try events.last!.encoded(), as: UTF8.self)
        XCTAssertFalse(json.contains("Ann"), json)
        XCTAssertEqual(Rules.recordView(patientId: UUID(), how: .app, state: state, context: RuleContext(asOf: asOf)), [], "no one to record")
        XCTAssertEqual(state.patients[ann], CaseloadState.fold(events.dropLast()).patients[ann], "a view changes nothing in the record")
    }

    func testASupervisorSeesHerTeamsAWorkerHerOwnAndHerPeoples() {
        add(.patientViewed(PatientViewed(patientId: ann, how: "app", date: asOf)), by: "amira")
        add(.patientViewed(PatientViewed(patientId: chen, how: "show", date: asOf)), by: "ben")
        // Ben, in another team, looked at Amira's person: she sees that.
        add(.patientViewed(PatientViewed(patientId: ann, how: "export", date: asOf)), by: "ben")
        let s = state
        func seen(_ who: String, patient: UUID? = nil, worker: String? = nil) -> [String] {
            Audit.entries(in: events, state: s, viewer: Audit.Viewer(workerId: who, state: s), patientId: patient, worker: worker)
                .map { "\($0.worker) \($0.what) \($0.patientId == ann ? "ann" : "chen")" }
        }
        XCTAssertEqual(seen("amira"), ["amira referred ann", "amira follow-up scheduled ann", "amira viewed (app) ann", "ben viewed (export) ann"])
        XCTAssertEqual(seen("grace"), seen("amira"), "her team is Amira's: Amira's actions and Amira's people")
        XCTAssertEqual(seen("ben", worker: "ben"), ["ben referred chen", "ben viewed (patient show) chen", "ben viewed (export) ann"])
        XCTAssertEqual(seen("amira", patient: chen), [], "not hers, not her person")
        XCTAssertEqual(Audit.entries(in: events, state: s, viewer: Audit.Viewer(workerId: "amira", state: s)).filter(\.isView).count, 2)
    }

    func testARestrictedRecordLeavesTheListsAndRefusesEveryChangeUntilUnrestricted() throws {
        let ctx = RuleContext(asOf: asOf)
        guard case .failure = Rules.restrict(patientId: ann, reason: "  ", state: state, context: ctx) else { return XCTFail("a reason is needed") }
        for b in try Rules.restrict(patientId: ann, reason: "contests the record", state: state, context: ctx).get() { add(b, by: "amira") }
        let s = state
        XCTAssertEqual(s.patients[ann]?.restriction, Restriction(since: asOf, reason: "contests the record", by: "amira"))
        XCTAssertEqual(s.patientList().map(\.id), [chen])
        XCTAssertEqual(s.patientList(includingRestricted: true).count, 2)
        XCTAssertEqual(s.overdue(asOf: asOf), [])
        XCTAssertEqual(s.inbox(asOf: asOf, worker: nil).map(\.patient.id), [chen])
        XCTAssertEqual(s.restrictedCount, 1)
        XCTAssertEqual(try StateSnapshot.encode(s).withUnsafeBytes { try StateSnapshot.decode($0) }, s, "kept through a snapshot")

        let fu = s.followups.values.first { $0.patientId == ann }!.id
        let short = String(ann.uuidString.lowercased().prefix(8))
        XCTAssertEqual(s.restrictionRefusal([.followupCompleted(FollowupCompleted(followupId: fu, date: asOf))]),
                       "\(short) is restricted since \(asOf): unrestrict it first (caseload patient unrestrict \(short))")
        XCTAssertNotNil(s.restrictionRefusal([.patientUpdated(PatientUpdated(patientId: ann, phone: "07700 900123"))]))
        XCTAssertNil(s.restrictionRefusal(Rules.recordView(patientId: ann, how: .show, state: s, context: ctx)), "it may still be opened")
        XCTAssertNil(s.restrictionRefusal([.patientUpdated(PatientUpdated(patientId: chen, phone: "07700 900123"))]))
        guard case .failure = Rules.restrict(patientId: ann, reason: "again", state: s, context: ctx) else { return XCTFail("already restricted") }
        // `undo` asks before taking back a change: one to a restricted record is refused, while
        // undoing the restriction itself is how it is lifted.
        let scheduled = events.first { if case .followupScheduled = $0.body { return true } else { return false } }!.body
        XCTAssertEqual(s.undoRefusal(about: s.patientChanged(by: scheduled), body: scheduled)?.hasPrefix("\(short) is restricted since"), true)
        let restriction = events.last!.body
        XCTAssertNil(s.undoRefusal(about: s.patientChanged(by: restriction), body: restriction))

        for b in try Rules.unrestrict(patientId: ann, state: s, context: ctx).get() { add(b, by: "grace") }
        XCTAssertNil(state.restrictionRefusal([.followupCompleted(FollowupCompleted(followupId: fu, date: asOf))]))
        XCTAssertEqual(state.patientList().count, 2)
        guard case .failure = Rules.unrestrict(patientId: ann, state: state, context: ctx) else { return XCTFail("not restricted") }
    }

    /// Ben (another team) may not restrict Amira's person; Amira and her team's supervisor may,
    /// and only the one who restricted it or the supervisor lifts it.
    func testOnlyThePersonsWorkerOrTheirSupervisorRestrictsAndLifts() throws {
        func ctx(_ actor: String) -> RuleContext { RuleContext(asOf: asOf, actor: actor) }
        guard case .failure(let p) = Rules.restrict(patientId: ann, reason: "contests it", state: state, context: ctx("ben")) else {
            return XCTFail("Ben is not Ann's worker nor a supervisor")
        }
        XCTAssertEqual(p.items.map(\.message), ["0000000a is amira's person: only they or a supervisor of their team may restrict the record"])
        XCTAssertNoThrow(try Rules.restrict(patientId: ann, reason: "contests it", state: state, context: ctx("amira")).get())
        for b in try Rules.restrict(patientId: ann, reason: "contests it", state: state, context: ctx("grace")).get() { add(b, by: "grace") }
        XCTAssertEqual(state.patients[ann]?.restriction?.by, "grace")
        guard case .failure = Rules.unrestrict(patientId: ann, state: state, context: ctx("ben")) else { return XCTFail("Ben may not lift it") }
        guard case .failure = Rules.unrestrict(patientId: ann, state: state, context: ctx("amira")) else {
            return XCTFail("Grace restricted it: Amira asks her")
        }
        XCTAssertNoThrow(try Rules.unrestrict(patientId: ann, state: state, context: ctx("grace")).get())
    }
}
