import CaseloadCore
@testable import CaseloadTUI
import Foundation
import XCTest

/// A small caseload built from events, the way the journal would fold them.
struct Fixture {
    static let asOf = Day("2026-11-24")!
    static let device = UUID(uuidString: "00000000-0000-0000-0000-00000000000D")!

    var events: [Event] = []
    var author = "amira"

    mutating func add(_ body: EventBody, author: String? = nil) {
        let seq = UInt64(events.count + 1)
        events.append(Event(id: UUID(), device: Fixture.device, seq: seq, clock: HLC(wallMillis: 1_700_000_000_000 + Int64(seq) * 1000),
                            author: author ?? self.author, body: body))
    }

    var state: CaseloadState { CaseloadState.fold(events) }

    static func id(_ n: Int) -> UUID { UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))! }

    static let tadeusz = id(1), siobhan = id(2), okafor = id(3), begum = id(4), chen = id(5), wang = id(6)
    static let walking = id(100)

    /// Amira's and Ben's caseload on Tuesday 24 November 2026.
    static func standard() -> Fixture {
        var f = Fixture()
        f.add(.workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira Khan", team: "North")))
        f.add(.workerRegistered(WorkerRegistered(workerId: "ben", name: "Ben Ortiz", team: "North")))
        func refer(_ id: UUID, _ name: String, nhs: String? = nil, dob: String? = nil, worker: String = "amira",
                   date: String = "2026-10-01", reasons: [ReferralReason] = [.loneliness]) {
            f.add(.patientReferred(PatientReferred(patientId: id, name: name, dateOfBirth: dob.flatMap { Day($0) },
                                                   nhsNumber: nhs.flatMap { NHSNumber($0) }, worker: worker,
                                                   referral: Referral(date: Day(date)!, source: .gp, referrer: "Dr Patel", reasons: reasons))))
        }
        refer(tadeusz, "Tadeusz Wiśniewski", nhs: "943 476 5919", dob: "1948-03-02", date: "2026-11-23", reasons: [.loneliness, .bereavement])
        refer(siobhan, "Siobhán Ní Bhriain", dob: "1990-07-14", date: "2026-11-10", reasons: [.mentalWellbeing])
        refer(okafor, "Daniel Okafor", dob: "1961-01-20", date: "2026-08-01", reasons: [.loneliness, .physicalActivity])
        refer(begum, "Rahima Begum", worker: "ben", date: "2026-09-15", reasons: [.moneyDebt])
        refer(chen, "Wei Chen", date: "2026-10-20", reasons: [.housing])
        refer(wang, "王小明", worker: "ben", date: "2026-11-01", reasons: [.carer])
        f.add(.consentRecorded(ConsentRecorded(patientId: okafor, kind: .shareWithGP, given: true, date: Day("2026-08-02")!)))
        f.add(.patientStatusChanged(PatientStatusChanged(patientId: okafor, status: .active, date: Day("2026-08-05")!)))

        let sessionA = id(200), sessionB = id(201)
        f.add(.sessionRecorded(SessionRecorded(sessionId: sessionA, patientId: okafor, date: Day("2026-08-05")!, kind: .faceToFace, minutes: 45,
                                               note: "First meeting at the surgery. Lives alone since his wife died; misses the allotment.")))
        f.add(.sessionRecorded(SessionRecorded(sessionId: sessionB, patientId: okafor, date: Day("2026-10-12")!, kind: .phone, minutes: 20,
                                               note: "Went to the walking group twice. Feels more himself.")))
        let goal = id(300)
        f.add(.goalSet(GoalSet(goalId: goal, patientId: okafor, text: "Walk with others every week", date: Day("2026-08-05")!, progress: 2)))
        f.add(.goalProgressed(GoalProgressed(goalId: goal, score: 5, date: Day("2026-09-10")!)))
        f.add(.goalProgressed(GoalProgressed(goalId: goal, score: 7, date: Day("2026-10-12")!)))
        f.add(.measureRecorded(MeasureRecorded(measureId: id(400), patientId: okafor, instrument: .swemwbs, answers: [3, 3, 2, 3, 2, 3, 2], date: Day("2026-08-05")!)))
        f.add(.measureRecorded(MeasureRecorded(measureId: id(401), patientId: okafor, instrument: .swemwbs, answers: [4, 4, 3, 4, 3, 3, 3], date: Day("2026-10-12")!)))
        f.add(.serviceAdded(ServiceAdded(serviceId: walking, name: "Thursday walking group")))
        f.add(.connectionMade(ConnectionMade(connectionId: id(500), patientId: okafor, serviceId: walking, stage: .engaged, accompanied: true, date: Day("2026-09-01")!)))

        f.add(.followupScheduled(FollowupScheduled(followupId: id(600), patientId: begum, due: Day("2026-11-12")!, reason: "money advice call", worker: "ben")))
        f.add(.followupScheduled(FollowupScheduled(followupId: id(601), patientId: chen, due: Day("2026-11-21")!, reason: "check housing form", worker: "amira")))
        f.add(.followupScheduled(FollowupScheduled(followupId: id(602), patientId: siobhan, due: Day("2026-11-24")!, reason: "first face to face", worker: "amira")))
        f.add(.followupScheduled(FollowupScheduled(followupId: id(603), patientId: tadeusz, due: Day("2026-11-25")!, reason: "first call", worker: "amira")))
        f.add(.followupScheduled(FollowupScheduled(followupId: id(604), patientId: okafor, due: Day("2026-11-28")!, reason: "review", worker: "amira")))
        return f
    }

    static func app(width: Int = 80, height: Int = 24) -> AppState {
        AppState(caseload: standard().state, workerId: "amira", asOf: asOf, width: width, height: height)
    }
}

/// Feeds messages to `update`, collecting the effects.
@discardableResult
func send(_ state: inout AppState, _ msgs: Msg...) -> [Effect] {
    var effects: [Effect] = []
    for m in msgs { effects += update(&state, m) }
    return effects
}

/// Types a string key by key.
@discardableResult
func type(_ state: inout AppState, _ text: String) -> [Effect] {
    var effects: [Effect] = []
    for c in text { effects += update(&state, .key(.char(c))) }
    return effects
}

/// Carries out `.append` effects as the runtime would, by folding the events in.
func carryOut(_ state: inout AppState, _ effects: [Effect], fixture: inout Fixture) {
    for e in effects {
        guard case .append(let bodies, let purpose) = e else { continue }
        let before = fixture.events.count
        for b in bodies { fixture.add(b, author: state.workerId) }
        let events = Array(fixture.events[before...])
        let more = update(&state, .saved(SaveResult(purpose: purpose, events: events, state: fixture.state)))
        carryOut(&state, more, fixture: &fixture)
    }
}

/// Asserts the grid's text equals `expected` line by line, printing the screen on failure.
func assertScreen(_ grid: Grid, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
    let actual = grid.text
    if actual != expected {
        XCTFail("screen differs:\n--- actual ---\n\(actual)\n--- expected ---\n\(expected)", file: file, line: line)
    }
}

/// Asserts the grid contains `text` on some row.
func assertContains(_ grid: Grid, _ text: String, file: StaticString = #filePath, line: UInt = #line) {
    if !grid.text.contains(text) {
        XCTFail("screen lacks \"\(text)\":\n\(grid.text)", file: file, line: line)
    }
}
