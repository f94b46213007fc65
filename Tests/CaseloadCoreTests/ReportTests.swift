import XCTest
@testable import CaseloadCore

/// A small caseload with every figure of the report worked out by hand (see the comments).
/// Period 2026-01-01 to 2026-03-31, overdue as of 2026-04-10.
final class ReportTests: XCTestCase {
    let p1 = UUID(), p2 = UUID(), p3 = UUID(), p4 = UUID(), p5 = UUID(), p6 = UUID()
    let walk = UUID(), shed = UUID(), knit = UUID()
    let from = Day("2026-01-01")!, to = Day("2026-03-31")!
    let asOf = Day("2026-04-10")!

    func d(_ s: String) -> Day { Day(s)! }

    func swemwbs(raw: Int) -> [Int] {
        // Seven answers 1...5 adding up to `raw`.
        var a = Array(repeating: 1, count: 7), left = raw - 7, i = 0
        while left > 0 { if a[i] < 5 { a[i] += 1; left -= 1 }; i = (i + 1) % 7 }
        return a
    }

    var state: CaseloadState {
        var m = EventMaker()
        var events: [Event] = []
        func add(_ b: EventBody, _ author: String = "amira") { events.append(m.make(b, author: author)) }
        func refer(_ id: UUID, _ name: String, _ date: String, _ source: ReferralSource, _ reasons: [ReferralReason], practice: String?, worker: String) {
            add(.patientReferred(PatientReferred(patientId: id, name: name, gpPractice: practice, worker: worker,
                                                 referral: Referral(date: d(date), source: source, reasons: reasons))), worker)
        }
        func status(_ id: UUID, _ s: PatientStatus, _ date: String) { add(.patientStatusChanged(PatientStatusChanged(patientId: id, status: s, date: d(date)))) }
        func session(_ id: UUID, _ date: String) {
            add(.sessionRecorded(SessionRecorded(sessionId: UUID(), patientId: id, date: d(date), kind: .phone, minutes: 20, note: "n")))
        }
        func measure(_ id: UUID, _ i: Instrument, _ answers: [Int], _ date: String) {
            add(.measureRecorded(MeasureRecorded(measureId: UUID(), patientId: id, instrument: i, answers: answers, date: d(date))))
        }
        func connect(_ c: UUID, _ p: UUID, _ s: UUID, _ stage: ConnectionStage, accompanied: Bool, _ date: String) {
            add(.connectionMade(ConnectionMade(connectionId: c, patientId: p, serviceId: s, stage: stage, accompanied: accompanied, date: d(date))))
        }
        func stage(_ c: UUID, _ s: ConnectionStage, _ date: String) { add(.connectionStageChanged(ConnectionStageChanged(connectionId: c, stage: s, date: d(date)))) }

        add(.workerRegistered(WorkerRegistered(workerId: "amira", name: "Amira Haddad", team: "North")))
        add(.workerRegistered(WorkerRegistered(workerId: "ben", name: "Ben Okoro", team: "North")), "ben")
        add(.workerRegistered(WorkerRegistered(workerId: "dylan", name: "Dylan Price", team: "South")), "dylan")
        add(.serviceAdded(ServiceAdded(serviceId: walk, name: "Walking group", category: "physical activity")))
        add(.serviceAdded(ServiceAdded(serviceId: shed, name: "Men's Shed", category: "social")))
        add(.serviceAdded(ServiceAdded(serviceId: knit, name: "Knit and Natter", category: "social")))

        // P4 (Ben): referred before the period, so not in the cohort; open (active) at its end,
        // discharged after it.
        refer(p4, "P Four", "2025-12-15", .gp, [.carer], practice: "Castle Street", worker: "ben")
        session(p4, "2026-01-10"); status(p4, .contacted, "2026-01-10"); status(p4, .active, "2026-01-30")
        measure(p4, .swemwbs, swemwbs(raw: 14), "2026-01-10")
        let c4 = UUID()
        connect(c4, p4, knit, .enrolled, accompanied: true, "2026-01-30")
        add(.followupScheduled(FollowupScheduled(followupId: UUID(), patientId: p4, due: d("2026-03-01"), reason: nil, worker: "ben")))

        // P1 (Amira): GP, Riverside; contacted after 3 days; three sessions.
        refer(p1, "P One", "2026-01-05", .gp, [.loneliness, .housing], practice: "Riverside", worker: "amira")
        session(p1, "2026-01-08"); status(p1, .contacted, "2026-01-08")
        session(p1, "2026-01-20"); status(p1, .active, "2026-01-20")
        session(p1, "2026-02-15")
        measure(p1, .swemwbs, swemwbs(raw: 14), "2026-01-20")      // 15.32
        measure(p1, .ucla3, [3, 3, 3], "2026-01-20")               // 9
        measure(p1, .ons4, [4, 5, 6, 8], "2026-01-20")
        measure(p1, .swemwbs, swemwbs(raw: 20), "2026-03-15")      // 18.59: +3.27
        measure(p1, .ucla3, [2, 2, 2], "2026-03-15")               // 6: −3
        measure(p1, .ons4, [6, 5, 5, 6], "2026-03-15")             // +2, 0, −1, −2
        measure(p1, .swemwbs, swemwbs(raw: 35), "2026-04-05")      // after the period: not the follow-up
        let c1 = UUID()
        connect(c1, p1, walk, .referred, accompanied: true, "2026-01-20")
        stage(c1, .enrolled, "2026-02-01"); stage(c1, .engaged, "2026-02-15"); stage(c1, .completed, "2026-04-02")
        add(.followupScheduled(FollowupScheduled(followupId: UUID(), patientId: p1, due: d("2026-04-01"), reason: nil, worker: "amira")))

        // P2 (Amira): practice staff, Riverside; contacted after 2 days; two sessions.
        refer(p2, "P Two", "2026-02-10", .practiceStaff, [.moneyDebt], practice: "Riverside", worker: "amira")
        session(p2, "2026-02-12"); status(p2, .contacted, "2026-02-12")
        session(p2, "2026-03-01")
        measure(p2, .swemwbs, swemwbs(raw: 24), "2026-02-12")      // 21.54
        measure(p2, .ucla3, [2, 2, 1], "2026-02-12")               // 5, no follow-up
        measure(p2, .swemwbs, swemwbs(raw: 19), "2026-03-01")      // 17.98: −3.56
        let c2 = UUID()
        connect(c2, p2, shed, .referred, accompanied: false, "2026-02-12")
        stage(c2, .droppedOut, "2026-03-10")
        add(.followupScheduled(FollowupScheduled(followupId: UUID(), patientId: p2, due: d("2026-04-20"), reason: nil, worker: "amira")))

        // P3 (Ben): self-referral, Castle Street; never contacted; declined.
        refer(p3, "P Three", "2026-03-20", .selfReferral, [.loneliness], practice: "Castle Street", worker: "ben")
        status(p3, .declined, "2026-03-25")

        // P5 (Dylan, South): GP, no practice recorded; contacted after 10 days; four sessions; discharged on the last day.
        refer(p5, "P Five", "2026-01-15", .gp, [.mentalWellbeing, .loneliness], practice: nil, worker: "dylan")
        for day in ["2026-01-25", "2026-02-01", "2026-02-08", "2026-02-15"] { session(p5, day) }
        status(p5, .contacted, "2026-01-25"); status(p5, .active, "2026-02-01"); status(p5, .discharged, "2026-03-31")
        measure(p5, .swemwbs, swemwbs(raw: 14), "2026-01-25")      // 15.32
        measure(p5, .swemwbs, swemwbs(raw: 24), "2026-02-15")      // 21.54: +6.22
        let c5 = UUID()
        connect(c5, p5, walk, .referred, accompanied: false, "2026-02-01")
        stage(c5, .enrolled, "2026-02-08"); stage(c5, .completed, "2026-03-01")
        let f5 = UUID()
        add(.followupScheduled(FollowupScheduled(followupId: f5, patientId: p5, due: d("2026-03-10"), reason: nil, worker: "dylan")))
        add(.followupCompleted(FollowupCompleted(followupId: f5, date: d("2026-03-10"))))

        // P6 (Dylan): referred after the period.
        refer(p6, "P Six", "2026-04-02", .gp, [.other], practice: "Riverside", worker: "dylan")

        // After all that, P4 is discharged (after the period's end).
        status(p4, .discharged, "2026-04-05")
        return CaseloadState.fold(events)
    }

    func report(team: String? = nil, worker: String? = nil, options: ReportOptions? = nil) -> CaseloadReport {
        CaseloadReport.make(state: state, period: from...to, team: team, worker: worker, options: options ?? ReportOptions(asOf: asOf))
    }

    func counts(_ t: [Tally]) -> [String: Int] { Dictionary(uniqueKeysWithValues: t.filter { $0.count > 0 }.map { ($0.key, $0.count) }) }

    func testPeopleLevelByHand() {
        let r = report()
        // Cohort: P1, P2, P3, P5 (P4 before, P6 after the period).
        XCTAssertEqual(r.people.referred, 4)
        XCTAssertEqual(r.people.referralsByMonth.map(\.month), ["2026-01", "2026-02", "2026-03"])
        XCTAssertEqual(r.people.referralsByMonth.map(\.count), [2, 1, 1])
        XCTAssertEqual(counts(r.people.bySource), ["gp": 2, "practiceStaff": 1, "selfReferral": 1])
        XCTAssertEqual(r.people.bySource.count, ReferralSource.allCases.count, "zero rows are shown, not hidden")
        XCTAssertEqual(counts(r.people.byReason), ["loneliness": 3, "housing": 1, "moneyDebt": 1, "mentalWellbeing": 1])

        // Days to first contact: P2 2, P1 3, P5 10; P3 none. Median 3; 90th percentile by nearest rank = 3rd of 3 = 10.
        XCTAssertEqual(r.people.firstContact, .init(referred: 4, contacted: 3, notYetContacted: 1, medianDays: 3, p90Days: 10))

        // Sessions: P1 3, P2 2, P3 0, P5 4 → 9 sessions for 3 people seen.
        let s = r.people.sessions
        XCTAssertEqual([s.referred, s.withASession, s.sessions], [4, 3, 9])
        XCTAssertEqual(s.meanPerPersonSeen, 3)
        XCTAssertEqual(s.distribution.map(\.count), [1, 0, 1, 2, 0])

        // As at 2026-03-31: P1 active, P2 contacted, P3 declined, P5 discharged (that very day).
        XCTAssertEqual(counts(r.people.statusAtEnd), ["active": 1, "contacted": 1, "declined": 1, "discharged": 1])
    }

    func testMeasuresByHand() {
        let m = Dictionary(uniqueKeysWithValues: report().people.measures.map { ($0.measure, $0) })
        // SWEMWBS: P1 15.32→18.59 (+3.27), P2 21.54→17.98 (−3.56), P5 15.32→21.54 (+6.22).
        let sw = m[.swemwbs]!
        XCTAssertEqual([sw.referred, sw.withBaseline, sw.withBaselineAndFollowUp], [4, 3, 3])
        XCTAssertEqual(sw.meanBaseline, 17.39)   // 52.18 / 3
        XCTAssertEqual(sw.meanFollowUp, 19.37)   // 58.11 / 3
        XCTAssertEqual(sw.meanChange, 1.98)      // 5.93 / 3
        XCTAssertEqual([sw.improved, sw.noMeaningfulChange, sw.worsened], [2, 0, 1])
        XCTAssertEqual(counts(sw.changeDistribution), ["better1": 1, "better2": 1, "worse1": 1])
        // UCLA-3: P1 9→6 (lower is better: improved by 3); P2 has a baseline only.
        let u = m[.ucla3]!
        XCTAssertEqual([u.withBaseline, u.withBaselineAndFollowUp, u.improved, u.worsened], [2, 1, 1, 0])
        XCTAssertEqual(u.meanChange, -3)
        XCTAssertTrue(u.lowerIsBetter)
        // ONS4, each item on its own (P1 only): life +2, worthwhile 0, happiness −1, anxiety 8→6.
        XCTAssertEqual([m[.lifeSatisfaction]!.improved, m[.lifeSatisfaction]!.worsened], [1, 0])
        XCTAssertEqual([m[.worthwhile]!.improved, m[.worthwhile]!.noMeaningfulChange, m[.worthwhile]!.worsened], [0, 1, 0])
        XCTAssertEqual([m[.happiness]!.improved, m[.happiness]!.worsened], [0, 1])
        XCTAssertEqual([m[.anxiety]!.improved, m[.anxiety]!.worsened], [1, 0])
        XCTAssertEqual(m[.anxiety]!.meanChange, -2)

        // A stricter SWEMWBS threshold of 4: only P5's +6.22 counts.
        let strict = report(options: ReportOptions(asOf: asOf, swemwbsThreshold: 4)).people.measures.first { $0.measure == .swemwbs }!
        XCTAssertEqual([strict.improved, strict.noMeaningfulChange, strict.worsened], [1, 2, 0])
    }

    func testCommunityLevelByHand() {
        let c = report().community
        // Made in the period: P1 walk (engaged at the end; completed after), P2 shed (dropped out),
        // P4 knit (enrolled), P5 walk (completed). P1 and P4 were accompanied.
        XCTAssertEqual(c.connections, 4)
        XCTAssertEqual(c.accompanied, 2)
        XCTAssertEqual(c.byService.map(\.label), ["Knit and Natter", "Men's Shed", "Walking group"])
        XCTAssertEqual(c.byService.map(\.total), [1, 1, 2])
        let walkRow = c.byService[2]
        XCTAssertEqual([walkRow.referred, walkRow.enrolled, walkRow.engaged, walkRow.completed, walkRow.droppedOut], [0, 0, 1, 1, 0])
        XCTAssertEqual(c.byService[1].droppedOut, 1)
        XCTAssertEqual(c.byCategory.map(\.label), ["physical activity", "social"])
        XCTAssertEqual(c.byCategory.map(\.total), [2, 2])
        XCTAssertEqual([c.byCategory[1].enrolled, c.byCategory[1].droppedOut], [1, 1])
        XCTAssertEqual(c.months, ["2026-01", "2026-02", "2026-03"])
        XCTAssertEqual(c.demand.map(\.name), ["Knit and Natter", "Men's Shed", "Walking group"])
        XCTAssertEqual(c.demand.map(\.perMonth), [[1, 0, 0], [0, 1, 0], [1, 1, 0]])
        XCTAssertEqual(c.demand.map(\.people), [1, 1, 2])
    }

    func testSystemLevelByHand() {
        let s = report().system
        // From practices: P1 (GP), P2 (practice staff), P5 (GP); P3 referred herself.
        XCTAssertEqual([s.referred, s.fromGPPractices], [4, 3])
        XCTAssertEqual(s.byPractice, [
            .init(practice: "Riverside", referrals: 2, fromPractice: 2),
            .init(practice: "(not recorded)", referrals: 1, fromPractice: 1),
            .init(practice: "Castle Street", referrals: 1, fromPractice: 0),
        ])
        // Open at the end: P1 and P2 (Amira), P4 (Ben, discharged only after). Dylan has none.
        XCTAssertEqual(s.openCasesAtEnd, 3)
        XCTAssertEqual(s.caseloadByWorker.map(\.worker), ["amira", "ben", "dylan"])
        XCTAssertEqual(s.caseloadByWorker.map(\.openCases), [2, 1, 0])
        // As of 2026-04-10: P1's follow-up (due 04-01) is 9 days overdue; P2's is not due yet;
        // P4's case is closed now, so its follow-up is not counted; P5's is done.
        XCTAssertEqual([s.openFollowups, s.overdue], [2, 1])
        XCTAssertEqual(s.overdueByWorker.first { $0.worker == "amira" }, .init(worker: "amira", name: "Amira Haddad", openFollowups: 2, overdue: 1, mostDaysOverdue: 9))
    }

    func testTeamAndWorkerScope() {
        let south = report(team: "South")
        XCTAssertEqual(south.people.referred, 1, "P5 only (P6 is after the period)")
        XCTAssertEqual(south.community.connections, 1)
        XCTAssertEqual(south.system.caseloadByWorker.map(\.worker), ["dylan"])
        let ben = report(worker: "ben")
        XCTAssertEqual(ben.people.referred, 1, "P3")
        XCTAssertEqual(ben.community.connections, 1, "P4's connection, made in the period")
        XCTAssertEqual(ben.system.openCasesAtEnd, 1)
    }

    func testNoPeriodMeansEverythingUpToAsOf() {
        let r = CaseloadReport.make(state: state, period: nil, options: ReportOptions(asOf: asOf))
        XCTAssertNil(r.from)
        XCTAssertEqual(r.to, asOf)
        XCTAssertEqual(r.people.referred, 6)
        XCTAssertEqual(r.people.referralsByMonth.first?.month, "2025-12", "months start at the first referral")
    }

    func testEveryTableSaysWhatItCounts() throws {
        let r = report()
        let tables = r.tables()
        XCTAssertEqual(Set(tables.map(\.name)).count, tables.count, "one CSV file name per table")
        for t in tables {
            XCTAssertFalse(t.counts.isEmpty, t.name)
            for row in t.rows { XCTAssertEqual(row.count, t.header.count, t.name) }
        }
        let source = try XCTUnwrap(tables.first { $0.name == "referrals-by-source" })
        XCTAssertEqual(source.counts, "of 4 people referred 2026-01-01 to 2026-03-31")
        XCTAssertEqual(source.rows.first, ["GP", "2", "4", "50%"])
        let measures = try XCTUnwrap(tables.first { $0.name == "measures" })
        XCTAssertEqual(measures.rows.first?.prefix(3), ["SWEMWBS (metric)", "3 of 4", "3 of 4"])
        let change = try XCTUnwrap(tables.first { $0.name == "measure-change" })
        XCTAssertEqual(change.rows.first, ["SWEMWBS (metric)", "3", "2 of 3", "0 of 3", "1 of 3"])
        XCTAssertEqual(change.rows.last, ["UCLA-3 loneliness", "1", "1 of 1", "0 of 1", "0 of 1"])
        // The report round-trips through JSON unchanged.
        let data = try JSONEncoder().encode(r)
        XCTAssertEqual(try JSONDecoder().decode(CaseloadReport.self, from: data), r)
    }
}

final class AnswerShapeTests: XCTestCase {
    /// Scoring checks `answerShape`; the questions on screen come from `items`. They must agree.
    func testAnswerShapeAgreesWithTheItems() {
        for i in Instrument.allCases {
            XCTAssertEqual(i.items.count, i.answerShape.count, i.rawValue)
            for item in i.items { XCTAssertEqual(item.range, i.answerShape.range, "\(i.rawValue) \(item.key)") }
        }
        XCTAssertEqual(Instrument.swemwbs.validate([1, 2, 3, 4, 5, 6, 1]), .outOfRange(instrument: .swemwbs, item: 6, value: 6, range: 1...5))
        XCTAssertEqual(Instrument.ucla3.validate([1, 2]), .wrongCount(instrument: .ucla3, expected: 3, got: 2))
    }
}
