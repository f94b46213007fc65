import XCTest
@testable import CaseloadCore

/// The report on the 10,000-person demo, checked against figures worked out here straight
/// from the event list (no projection, no `CaseloadState`), so a slip in either shows.
final class ReportDemoTests: XCTestCase {
    static let asOf = Day("2026-11-23")!
    static let items = DemoCaseload.generate(patients: 10_000, seed: 1, asOf: asOf)
    static let state: CaseloadState = {
        let device = UUID()
        let events = items.enumerated().map { i, item in item.event(device: device, seq: UInt64(i + 1)) }
        return CaseloadState.fold(events)
    }()

    /// The demo is opened as today's caseload: a clock after the device's own time would be
    /// from the future (the demo once wrote events dated the next morning).
    func testNoDemoClockIsLaterThanTheStartOfAsOf() {
        let startOfAsOf = Int64(Self.asOf.ordinal) * 86_400_000
        let late = Self.items.filter { $0.clock.wallMillis >= startOfAsOf }
        XCTAssertTrue(late.isEmpty, "\(late.count) demo events are dated on or after \(Self.asOf)")
    }

    /// What each person and connection looked like, rebuilt from the events in journal order.
    struct Person {
        var worker: String
        var referral: Referral
        var practice: String?
        var statuses: [(Day, PatientStatus)] = []
        var sessions: [Day] = []
        var measures: [(Day, Instrument, [Int])] = []
    }
    struct Link { var patient: UUID; var service: UUID; var made: Day; var accompanied: Bool; var stages: [(Day, ConnectionStage)] }
    struct Call { var patient: UUID; var worker: String; var due: Day; var open = true }

    struct Replay {
        var teams: [String: String] = [:]
        var names: [UUID: String] = [:]
        var categories: [UUID: String] = [:]
        var people: [UUID: Person] = [:]
        var links: [UUID: Link] = [:]
        var calls: [UUID: Call] = [:]

        init(_ items: [DemoCaseload.Item]) {
            for item in items {
                switch item.body {
                case .workerRegistered(let w): teams[w.workerId] = w.team
                case .serviceAdded(let s): names[s.serviceId] = s.name; categories[s.serviceId] = s.category
                case .patientReferred(let r):
                    people[r.patientId] = Person(worker: r.worker!, referral: r.referral, practice: r.gpPractice, statuses: [(r.referral.date, .referred)])
                case .patientStatusChanged(let s): people[s.patientId]!.statuses.append((s.date, s.status))
                case .sessionRecorded(let s): people[s.patientId]!.sessions.append(s.date)
                case .measureRecorded(let m): people[m.patientId]!.measures.append((m.date, m.instrument, m.answers))
                case .connectionMade(let c):
                    links[c.connectionId] = Link(patient: c.patientId, service: c.serviceId, made: c.date, accompanied: c.accompanied, stages: [(c.date, c.stage)])
                case .connectionStageChanged(let c): links[c.connectionId]!.stages.append((c.date, c.stage))
                case .followupScheduled(let f): calls[f.followupId] = Call(patient: f.patientId, worker: f.worker!, due: f.due)
                case .followupRescheduled(let f): calls[f.followupId]!.due = f.due
                case .followupCompleted(let f): calls[f.followupId]!.open = false
                case .followupCancelled(let f): calls[f.followupId]!.open = false
                default: break
                }
            }
        }

        /// The last entry dated on or before `day`; for equal dates, the one recorded last.
        static func asAt<T>(_ entries: [(Day, T)], _ day: Day) -> T? {
            entries.enumerated().filter { $0.element.0 <= day }.max { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }?.element.1
        }
    }

    func testDemoReportMatchesAnIndependentCount() {
        let from = Day("2026-02-01")!, to = Day("2026-07-31")!, asOf = Self.asOf
        for team in [nil, "South"] as [String?] {
            let r = CaseloadReport.make(state: Self.state, period: from...to, team: team, options: ReportOptions(asOf: asOf))
            let x = Replay(Self.items)
            let scoped = x.people.filter { team == nil || x.teams[$0.value.worker] == team }
            let cohort = scoped.filter { (from...to).contains($0.value.referral.date) }.map(\.value)
            XCTAssertGreaterThan(cohort.count, team == nil ? 4000 : 2000)

            // People.
            XCTAssertEqual(r.people.referred, cohort.count)
            for t in r.people.bySource { XCTAssertEqual(t.count, cohort.filter { $0.referral.source.rawValue == t.key }.count, t.key) }
            for t in r.people.byReason { XCTAssertEqual(t.count, cohort.filter { $0.referral.reasons.map(\.rawValue).contains(t.key) }.count, t.key) }
            for t in r.people.statusAtEnd {
                XCTAssertEqual(t.count, cohort.filter { Replay.asAt($0.statuses, to)?.rawValue == t.key }.count, t.key)
            }
            let waits = cohort.compactMap { p in p.sessions.filter { $0 >= p.referral.date && $0 <= to }.min().map { $0.ordinal - p.referral.date.ordinal } }.sorted()
            XCTAssertEqual(r.people.firstContact.contacted, waits.count)
            XCTAssertEqual(r.people.firstContact.notYetContacted, cohort.count - waits.count)
            let mid = waits.count / 2
            XCTAssertEqual(r.people.firstContact.medianDays, waits.count % 2 == 1 ? Double(waits[mid]) : Double(waits[mid - 1] + waits[mid]) / 2)
            XCTAssertEqual(r.people.firstContact.p90Days, waits[Int((Double(waits.count) * 0.9).rounded(.up)) - 1])
            let sessionCounts = cohort.map { $0.sessions.filter { $0 <= to }.count }
            XCTAssertEqual(r.people.sessions.sessions, sessionCounts.reduce(0, +))
            XCTAssertEqual(r.people.sessions.withASession, sessionCounts.filter { $0 > 0 }.count)

            // Measures: first and latest scored value up to the period's end.
            let checks: [(ReportMeasure, Instrument, ([Int]) -> Double, Bool)] = [
                (.swemwbs, .swemwbs, { Swemwbs.metric(raw: $0.reduce(0, +)) }, false),
                (.ucla3, .ucla3, { Double($0.reduce(0, +)) }, true),
                (.anxiety, .ons4, { Double($0[3]) }, true),
                (.lifeSatisfaction, .ons4, { Double($0[0]) }, false),
            ]
            for (rm, instrument, value, lowerIsBetter) in checks {
                let outcome = r.people.measures.first { $0.measure == rm }!
                let series = cohort.map { p in p.measures.filter { $0.1 == instrument && $0.0 <= to }.sorted { $0.0 < $1.0 }.map { value($0.2) } }
                let pairs = series.filter { $0.count >= 2 }.map { ($0.first!, $0.last!) }
                let threshold = ReportOptions(asOf: asOf).threshold(for: rm)
                let gains = pairs.map { (($0.1 - $0.0) * 100).rounded() / 100 * (lowerIsBetter ? -1 : 1) }
                XCTAssertEqual(outcome.withBaseline, series.filter { !$0.isEmpty }.count, rm.rawValue)
                XCTAssertEqual(outcome.withBaselineAndFollowUp, pairs.count, rm.rawValue)
                XCTAssertEqual(outcome.improved, gains.filter { $0 >= threshold }.count, rm.rawValue)
                XCTAssertEqual(outcome.worsened, gains.filter { $0 <= -threshold }.count, rm.rawValue)
                let meanChange = pairs.map { $0.1 - $0.0 }.reduce(0, +) / Double(pairs.count)
                XCTAssertEqual(outcome.meanChange!, meanChange, accuracy: 0.0051, rm.rawValue)
                XCTAssertGreaterThan(pairs.count, 100, rm.rawValue)
            }

            // Community.
            let made = x.links.values.filter { (from...to).contains($0.made) && scoped[$0.patient] != nil }
            XCTAssertEqual(r.community.connections, made.count)
            XCTAssertEqual(r.community.accompanied, made.filter(\.accompanied).count)
            for row in r.community.byService {
                let mine = made.filter { $0.service.uuidString.lowercased() == row.key }
                XCTAssertEqual(row.total, mine.count, row.label)
                for stage in ConnectionStage.allCases {
                    XCTAssertEqual(row.count(stage), mine.filter { Replay.asAt($0.stages, to) == stage }.count, "\(row.label) \(stage)")
                }
            }
            XCTAssertEqual(r.community.byService.map(\.total).reduce(0, +), made.count)
            for row in r.community.byCategory {
                XCTAssertEqual(row.total, made.filter { x.categories[$0.service] == row.key }.count, row.label)
            }
            for row in r.community.demand {
                let mine = made.filter { $0.service.uuidString.lowercased() == row.service }
                for (i, month) in r.community.months.enumerated() {
                    let inMonth = mine.filter { String(format: "%04d-%02d", $0.made.year, $0.made.month) == month }
                    XCTAssertEqual(row.perMonth[i], Set(inMonth.map(\.patient)).count, "\(row.name) \(month)")
                }
            }

            // Health and care system.
            XCTAssertEqual(r.system.fromGPPractices, cohort.filter { [.gp, .practiceStaff].contains($0.referral.source) }.count)
            for row in r.system.byPractice { XCTAssertEqual(row.referrals, cohort.filter { $0.practice == row.practice }.count, row.practice) }
            for row in r.system.caseloadByWorker {
                let open = scoped.values.filter { $0.worker == row.worker && $0.referral.date <= to && Replay.asAt($0.statuses, to)!.isOpen }
                XCTAssertEqual(row.openCases, open.count, row.worker)
            }
            for row in r.system.overdueByWorker {
                // Overdue: still open, due before as-of, and the person's case open now.
                let calls = x.calls.values.filter { $0.worker == row.worker && $0.open && x.people[$0.patient]!.statuses.last!.1.isOpen }
                XCTAssertEqual(row.openFollowups, calls.count, row.worker)
                XCTAssertEqual(row.overdue, calls.filter { $0.due < asOf }.count, row.worker)
            }
            XCTAssertEqual(Set(r.system.caseloadByWorker.map(\.worker)), Set(x.teams.filter { team == nil || $0.value == team }.keys))
        }
    }
}
