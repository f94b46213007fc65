import Foundation

/// What a report counts as a meaningful change, and which day is "today" for overdue.
public struct ReportOptions: Sendable, Hashable, Codable {
    /// "Today" for overdue follow-ups (`--as-of`), and the period's end when none is given.
    public var asOf: Day
    /// SWEMWBS metric points (Shah et al. 2018: 1 to 3; 3 is the conservative end).
    public var swemwbsThreshold: Double
    /// Points on each ONS4 item (0–10). No published threshold: one point is the smallest change the scale shows.
    public var ons4Threshold: Double
    /// Points on the UCLA-3 total (3–9). No published threshold: one point is the smallest change the scale shows.
    public var ucla3Threshold: Double

    public static let defaultSwemwbsThreshold = ReportMeasure.swemwbs.meaningfulChange
    public static let defaultOns4Threshold = ReportMeasure.anxiety.meaningfulChange
    public static let defaultUcla3Threshold = ReportMeasure.ucla3.meaningfulChange

    public init(asOf: Day, swemwbsThreshold: Double = defaultSwemwbsThreshold,
                ons4Threshold: Double = defaultOns4Threshold, ucla3Threshold: Double = defaultUcla3Threshold) {
        self.asOf = asOf
        self.swemwbsThreshold = swemwbsThreshold
        self.ons4Threshold = ons4Threshold
        self.ucla3Threshold = ucla3Threshold
    }

    public func threshold(for m: ReportMeasure) -> Double {
        switch m.instrument {
        case .swemwbs: return swemwbsThreshold
        case .ons4: return ons4Threshold
        case .ucla3: return ucla3Threshold
        }
    }
}

/// The outcome numbers a report follows: SWEMWBS, each ONS4 item on its own (never summed), UCLA-3.
public enum ReportMeasure: String, CaseIterable, Sendable, Codable {
    case swemwbs, lifeSatisfaction, worthwhile, happiness, anxiety, ucla3

    public var instrument: Instrument {
        switch self {
        case .swemwbs: return .swemwbs
        case .ucla3: return .ucla3
        default: return .ons4
        }
    }

    public var label: String {
        switch self {
        case .swemwbs: return "SWEMWBS (metric)"
        case .lifeSatisfaction: return "ONS4 life satisfaction"
        case .worthwhile: return "ONS4 worthwhile"
        case .happiness: return "ONS4 happiness"
        case .anxiety: return "ONS4 anxiety"
        case .ucla3: return "UCLA-3 loneliness"
        }
    }

    /// Anxiety and loneliness improve when they go down.
    public var lowerIsBetter: Bool { self == .anxiety || self == .ucla3 }

    public func value(of score: MeasureScore) -> Double? {
        switch (self, score) {
        case let (.swemwbs, .swemwbs(_, metric)): return metric
        case let (.ucla3, .ucla3(total)): return Double(total)
        case let (.lifeSatisfaction, .ons4(v, _, _, _)): return Double(v)
        case let (.worthwhile, .ons4(_, v, _, _)): return Double(v)
        case let (.happiness, .ons4(_, _, v, _)): return Double(v)
        case let (.anxiety, .ons4(_, _, _, v)): return Double(v)
        default: return nil
        }
    }
}

/// One row of a count: `count` of the denominator its section names.
public struct Tally: Sendable, Hashable, Codable {
    public var key: String
    public var label: String
    public var count: Int
    public init(key: String, label: String, count: Int) { self.key = key; self.label = label; self.count = count }
}

public struct MonthCount: Sendable, Hashable, Codable {
    /// `YYYY-MM`.
    public var month: String
    public var count: Int
}

/// The figures for commissioners, following the Common Outcomes Framework's three levels:
/// people, community, and the health and care system. Computed from the state alone (pure),
/// so the command line, the reports screen and a test all get the same numbers.
public struct CaseloadReport: Sendable, Hashable, Codable {
    /// First day of the period; nil means from the first record.
    public var from: Day?
    /// Last day of the period (inclusive): statuses, stages and measures are as at this day.
    public var to: Day
    public var team: String?
    public var worker: String?
    public var options: ReportOptions
    public var people: PeopleLevel
    public var community: CommunityLevel
    public var system: SystemLevel
    /// Contacts dated in the period and their outcomes: did-not-attend and no-answer rates.
    public var contacts: ContactLevel

    /// The people level: the cohort is everyone in scope whose referral is dated in the period.
    public struct PeopleLevel: Sendable, Hashable, Codable {
        /// Referrals dated in the period, one per episode of care: the denominator of this
        /// level. A person referred again after their case ended counts once per episode.
        public var referred: Int
        /// The distinct people those referrals were for.
        public var people: Int
        public var referralsByMonth: [MonthCount]
        /// Of `referred`; every source is listed, zeros too.
        public var bySource: [Tally]
        /// Of `referred`; one referral may give several reasons, so these can add up to more.
        public var byReason: [Tally]
        public var firstContact: FirstContact
        public var sessions: SessionsPerPerson
        /// Of `referred`: each person's status as at the period's end, from their dated status changes.
        public var statusAtEnd: [Tally]
        public var measures: [MeasureOutcome]
    }

    /// Days from referral to the first session on or after it, up to the period's end.
    public struct FirstContact: Sendable, Hashable, Codable {
        public var referred: Int
        public var contacted: Int
        public var notYetContacted: Int
        /// The middle value (the mean of the two middle values when the count is even).
        public var medianDays: Double?
        /// Nearest rank: the fewest days within which at least 90% of those contacted were.
        public var p90Days: Int?
    }

    /// Sessions dated up to the period's end, for the people referred in the period.
    public struct SessionsPerPerson: Sendable, Hashable, Codable {
        public var referred: Int
        public var withASession: Int
        public var sessions: Int
        /// Sessions divided by people with at least one.
        public var meanPerPersonSeen: Double?
        /// Of `referred`: 0, 1, 2, 3–5, 6 or more sessions.
        public var distribution: [Tally]
    }

    /// Baseline = a person's first scored measure; follow-up = their latest up to the period's
    /// end, when there are at least two. Changes are follow-up minus baseline.
    public struct MeasureOutcome: Sendable, Hashable, Codable {
        public var measure: ReportMeasure
        public var label: String
        public var lowerIsBetter: Bool
        public var threshold: Double
        /// People referred in the period: the denominator of the two counts after it.
        public var referred: Int
        public var withBaseline: Int
        /// The denominator of everything below.
        public var withBaselineAndFollowUp: Int
        public var meanBaseline: Double?
        public var meanFollowUp: Double?
        /// Follow-up minus baseline (negative is better for anxiety and UCLA-3).
        public var meanChange: Double?
        /// Changed in the better direction by at least `threshold`.
        public var improved: Int
        /// Changed in the worse direction by at least `threshold`.
        public var worsened: Int
        /// Changed by less than `threshold` either way.
        public var noMeaningfulChange: Int
        /// Of `withBaselineAndFollowUp`, by how much better (positive) or worse, in thresholds.
        public var changeDistribution: [Tally]
    }

    /// The community level: connections to community services made in the period.
    public struct CommunityLevel: Sendable, Hashable, Codable {
        /// Connections made in the period, for people in scope: the denominator of this level.
        public var connections: Int
        /// Each row: that service's connections, by stage reached as at the period's end.
        public var byService: [StageRow]
        public var byCategory: [StageRow]
        /// Of `connections`: the link worker went along to the first visit.
        public var accompanied: Int
        /// Each month of the period (`YYYY-MM`), for `demand`.
        public var months: [String]
        /// New people connected to each service, per month.
        public var demand: [DemandRow]
    }

    public struct StageRow: Sendable, Hashable, Codable {
        public var key: String
        public var label: String
        public var total: Int
        public var suggested = 0
        public var referred = 0
        public var enrolled = 0
        public var engaged = 0
        public var completed = 0
        public var droppedOut = 0
        /// How the connections were made: the person told about the service, or the service
        /// contacted for them. Both are demand on the service.
        public var signposted = 0
        public var referredTo = 0

        public func count(_ stage: ConnectionStage) -> Int {
            switch stage {
            case .suggested: return suggested
            case .referred: return referred
            case .enrolled: return enrolled
            case .engaged: return engaged
            case .completed: return completed
            case .droppedOut: return droppedOut
            }
        }

        mutating func add(_ stage: ConnectionStage, route: ConnectionRoute) {
            total += 1
            if route == .signposted { signposted += 1 } else { referredTo += 1 }
            switch stage {
            case .suggested: suggested += 1
            case .referred: referred += 1
            case .enrolled: enrolled += 1
            case .engaged: engaged += 1
            case .completed: completed += 1
            case .droppedOut: droppedOut += 1
            }
        }
    }

    public struct DemandRow: Sendable, Hashable, Codable {
        public var service: String
        public var name: String
        /// Distinct people newly connected in each month of `months`.
        public var perMonth: [Int]
        /// Distinct people connected in the whole period.
        public var people: Int
    }

    /// Contacts (sessions, calls, attempts) dated in the period, for people in scope, by the
    /// worker who recorded them and by the person's referral source.
    public struct ContactLevel: Sendable, Hashable, Codable {
        public var all: ContactRow
        /// Workers with any contact in the period, by name.
        public var byWorker: [ContactRow]
        /// Every source, zeros too.
        public var bySource: [ContactRow]
    }

    /// One row of contacts by outcome. The rates are of `contacts`, as whole percentages.
    public struct ContactRow: Sendable, Hashable, Codable {
        public var key: String
        public var label: String
        public var contacts = 0
        public var attended = 0
        public var didNotAttend = 0
        public var noAnswer = 0
        public var cancelledByPerson = 0
        public var cancelledByService = 0

        public init(key: String, label: String) { self.key = key; self.label = label }

        mutating func add(_ o: ContactOutcome) {
            contacts += 1
            switch o {
            case .attended: attended += 1
            case .didNotAttend: didNotAttend += 1
            case .noAnswer: noAnswer += 1
            case .cancelledByPerson: cancelledByPerson += 1
            case .cancelledByService: cancelledByService += 1
            }
        }
    }

    /// The health and care system level.
    public struct SystemLevel: Sendable, Hashable, Codable {
        /// People referred in the period (as the people level).
        public var referred: Int
        /// Of `referred`: referred by a GP or other practice staff.
        public var fromGPPractices: Int
        /// The person's registered practice, for everyone referred in the period.
        public var byPractice: [PracticeRow]
        /// People in scope referred by the period's end whose case was open (referred, contacted, active) at its end.
        public var openCasesAtEnd: Int
        public var caseloadByWorker: [WorkerCaseload]
        /// Overdue is as of `options.asOf`, by the worker each follow-up is assigned to.
        public var openFollowups: Int
        public var overdue: Int
        public var overdueByWorker: [WorkerOverdue]
    }

    public struct PracticeRow: Sendable, Hashable, Codable {
        public var practice: String
        public var referrals: Int
        /// Of `referrals`: from the practice itself (a GP or practice staff).
        public var fromPractice: Int
    }

    public struct WorkerCaseload: Sendable, Hashable, Codable {
        public var worker: String
        public var name: String
        public var team: String?
        public var openCases: Int
    }

    public struct WorkerOverdue: Sendable, Hashable, Codable {
        public var worker: String
        public var name: String
        public var openFollowups: Int
        public var overdue: Int
        public var mostDaysOverdue: Int?
    }
}

// MARK: - Computing

extension CaseloadReport {
    /// Practice staff who refer: what "from GP practices" counts.
    public static let practiceSources: Set<ReferralSource> = [.gp, .practiceStaff]

    /// The report for `period` (nil: everything up to `options.asOf`), for one team or one
    /// worker's caseload (by the worker a person is assigned to now), or everyone.
    public static func make(state: CaseloadState, period: ClosedRange<Day>?, team: String? = nil, worker: String? = nil,
                            options: ReportOptions) -> CaseloadReport {
        make(state: state, from: period?.lowerBound, to: period?.upperBound ?? options.asOf, team: team, worker: worker, options: options)
    }

    /// The report from `from` (nil: the first record) to `end`, inclusive.
    public static func make(state: CaseloadState, from: Day?, to end: Day, team: String? = nil, worker: String? = nil,
                            options: ReportOptions) -> CaseloadReport {
        func inPeriod(_ d: Day) -> Bool { d <= end && (from.map { $0 <= d } ?? true) }
        func inScope(_ p: Patient) -> Bool {
            if let worker { return p.worker == worker }
            if let team { return p.worker.flatMap { state.workers[$0]?.team } == team }
            return true
        }

        // Every figure is a count or a sum, so the order people are visited in does not matter.
        let scoped = state.patients.values.filter(inScope)
        // Each episode as the person stood in it: its own referral, records and outcome.
        let episodes = state.episodeRecords(of: scoped)
        let cohort = episodes.filter { inPeriod($0.referral.date) }
        let firstDay = from ?? (episodes.map(\.referral.date) + state.connections.values.compactMap { $0.history.first?.date }).min() ?? end
        let months = monthKeys(from: firstDay, to: end)

        let people = peopleLevel(state: state, cohort: cohort, end: end, months: months, options: options)
        let community = communityLevel(state: state, scoped: scoped, inPeriod: inPeriod, end: end, months: months)
        let system = systemLevel(state: state, scoped: scoped, cohort: cohort, end: end, team: team, worker: worker, asOf: options.asOf)
        return CaseloadReport(from: from, to: end, team: team, worker: worker, options: options,
                              people: people, community: community, system: system,
                              contacts: contactLevel(state: state, scoped: episodes, inPeriod: inPeriod))
    }

    static func contactLevel(state: CaseloadState, scoped: [Patient], inPeriod: (Day) -> Bool) -> ContactLevel {
        var all = ContactRow(key: "all", label: "all contacts")
        var byWorker: [String: ContactRow] = [:]
        var bySource = Dictionary(uniqueKeysWithValues: ReferralSource.allCases.map { ($0, ContactRow(key: $0.rawValue, label: $0.label)) })
        for p in scoped {
            for id in p.sessionIDs {
                guard let s = state.sessions[id], inPeriod(s.date) else { continue }
                all.add(s.outcome)
                byWorker[s.author, default: ContactRow(key: s.author, label: state.workers[s.author]?.name ?? s.author)].add(s.outcome)
                bySource[p.referral.source]!.add(s.outcome)
            }
        }
        return ContactLevel(all: all, byWorker: byWorker.values.sorted { ($0.label, $0.key) < ($1.label, $1.key) },
                            bySource: ReferralSource.allCases.map { bySource[$0]! })
    }

    /// The status a person had at the end of `day`: their latest dated status change on or
    /// before it (changes on the same day: the later in fold order).
    public static func status(of p: Patient, at day: Day) -> PatientStatus {
        var best: StatusChange?
        for c in p.statusHistory where c.date <= day {
            if best == nil || c.date >= best!.date { best = c }
        }
        return best?.status ?? .referred
    }

    /// The stage a connection had reached at the end of `day`.
    public static func stage(of c: Connection, at day: Day) -> ConnectionStage? {
        var best: StageChange?
        for h in c.history where h.date <= day {
            if best == nil || h.date >= best!.date { best = h }
        }
        return best?.stage
    }

    /// Months counted from year 0, so a month is a cheap integer key while counting.
    static func monthKey(_ d: Day) -> Int {
        let c = d.components
        return c.year * 12 + c.month - 1
    }

    static func monthText(_ key: Int) -> String { String(format: "%04d-%02d", key / 12, key % 12 + 1) }

    static func monthKeys(from: Day, to: Day) -> [Int] {
        guard from <= to else { return [] }
        return Array(monthKey(from)...monthKey(to))
    }

    static func round2(_ x: Double) -> Double { (x * 100).rounded() / 100 }

    static func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : round2(xs.reduce(0, +) / Double(xs.count)) }

    static func median(_ sorted: [Int]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        return n % 2 == 1 ? Double(sorted[n / 2]) : Double(sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// Nearest rank: the smallest value with at least `p` of the values at or below it.
    static func percentile(_ sorted: [Int], _ p: Double) -> Int? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[max(1, min(sorted.count, rank)) - 1]
    }

    static func tallies<V: Vocabulary>(_ counts: [V: Int]) -> [Tally] {
        V.allCases.map { Tally(key: $0.rawValue, label: $0.label, count: counts[$0, default: 0]) }
    }

    static func peopleLevel(state: CaseloadState, cohort: [Patient], end: Day, months: [Int], options: ReportOptions) -> PeopleLevel {
        var bySource: [ReferralSource: Int] = [:]
        var byReason: [ReferralReason: Int] = [:]
        var byStatus: [PatientStatus: Int] = [:]
        var byMonth: [Int: Int] = [:]
        var daysToContact: [Int] = []
        var sessionCounts: [Int] = []
        var measureValues: [ReportMeasure: [(baseline: Double, followUp: Double?)]] = [:]

        for p in cohort {
            bySource[p.referral.source, default: 0] += 1
            for r in Set(p.referral.reasons) { byReason[r, default: 0] += 1 }
            byStatus[status(of: p, at: end), default: 0] += 1
            byMonth[monthKey(p.referral.date), default: 0] += 1

            var sessions = 0
            var first: Day?
            for id in p.sessionIDs {
                // A missed contact is not a session had, nor a first contact.
                guard let s = state.sessions[id], s.date <= end, s.outcome == .attended else { continue }
                sessions += 1
                if s.date >= p.referral.date, first.map({ s.date < $0 }) ?? true { first = s.date }
            }
            sessionCounts.append(sessions)
            if let first { daysToContact.append(first.days(since: p.referral.date)) }

            // Scored measures in date order; same-day measures keep the order they were recorded in.
            let scores = p.measureIDs.enumerated().compactMap { i, id -> (order: Int, date: Day, score: MeasureScore)? in
                guard let m = state.measures[id], m.date <= end, let score = m.score else { return nil }
                return (i, m.date, score)
            }.sorted { ($0.date, $0.order) < ($1.date, $1.order) }.map(\.score)
            for rm in ReportMeasure.allCases {
                let values = scores.compactMap(rm.value)
                guard let baseline = values.first else { continue }
                measureValues[rm, default: []].append((baseline, values.count > 1 ? values.last : nil))
            }
        }

        daysToContact.sort()
        let seen = sessionCounts.filter { $0 > 0 }
        let buckets: [(String, String, ClosedRange<Int>)] = [("0", "no sessions", 0...0), ("1", "1 session", 1...1), ("2", "2 sessions", 2...2),
                                                             ("3-5", "3 to 5", 3...5), ("6+", "6 or more", 6...Int.max)]
        let sessions = SessionsPerPerson(
            referred: cohort.count, withASession: seen.count, sessions: seen.reduce(0, +),
            meanPerPersonSeen: seen.isEmpty ? nil : round2(Double(seen.reduce(0, +)) / Double(seen.count)),
            distribution: buckets.map { b in Tally(key: b.0, label: b.1, count: sessionCounts.filter { b.2.contains($0) }.count) })

        let measures = ReportMeasure.allCases.map { rm in
            outcome(rm, values: measureValues[rm] ?? [], referred: cohort.count, threshold: options.threshold(for: rm))
        }
        return PeopleLevel(
            referred: cohort.count, people: Set(cohort.map(\.id)).count,
            referralsByMonth: months.map { MonthCount(month: monthText($0), count: byMonth[$0, default: 0]) },
            bySource: tallies(bySource), byReason: tallies(byReason),
            firstContact: FirstContact(referred: cohort.count, contacted: daysToContact.count, notYetContacted: cohort.count - daysToContact.count,
                                       medianDays: median(daysToContact), p90Days: percentile(daysToContact, 0.9)),
            sessions: sessions, statusAtEnd: tallies(byStatus), measures: measures)
    }

    /// Bins of the change in the better direction, in multiples of the threshold.
    static let changeBins: [(key: String, label: String)] = [
        ("worse2", "worse by 2×threshold or more"), ("worse1", "worse by the threshold or more"), ("worse0", "worse, under the threshold"),
        ("same", "no change"),
        ("better0", "better, under the threshold"), ("better1", "better by the threshold or more"), ("better2", "better by 2×threshold or more"),
    ]

    static func outcome(_ rm: ReportMeasure, values: [(baseline: Double, followUp: Double?)], referred: Int, threshold: Double) -> MeasureOutcome {
        let pairs = values.compactMap { v in v.followUp.map { (v.baseline, $0) } }
        // The same rule the person's own screens use (`MeasureChange`), with the report's threshold.
        let readings = pairs.map { MeasureChange(measure: rm, baseline: $0.0, latest: $0.1, threshold: threshold) }
        let changes = readings.map(\.change)
        let better = readings.map(\.towardsBetter)
        var bins = Array(repeating: 0, count: changeBins.count)
        for b in better {
            let i: Int
            if b == 0 { i = 3 } else if b > 0 { i = b >= 2 * threshold ? 6 : b >= threshold ? 5 : 4 } else { i = -b >= 2 * threshold ? 0 : -b >= threshold ? 1 : 2 }
            bins[i] += 1
        }
        let improved = readings.filter { $0.verdict == .better }.count
        let worsened = readings.filter { $0.verdict == .worse }.count
        return MeasureOutcome(
            measure: rm, label: rm.label, lowerIsBetter: rm.lowerIsBetter, threshold: threshold, referred: referred,
            withBaseline: values.count, withBaselineAndFollowUp: pairs.count,
            meanBaseline: mean(pairs.map(\.0)), meanFollowUp: mean(pairs.map(\.1)), meanChange: mean(changes),
            improved: improved, worsened: worsened, noMeaningfulChange: pairs.count - improved - worsened,
            changeDistribution: zip(changeBins, bins).map { Tally(key: $0.0.key, label: $0.0.label, count: $0.1) })
    }

    static func communityLevel(state: CaseloadState, scoped: [Patient], inPeriod: (Day) -> Bool, end: Day, months: [Int]) -> CommunityLevel {
        var byService: [UUID: StageRow] = [:]
        var byCategory: [String: StageRow] = [:]
        var accompanied = 0
        var total = 0
        var newPeople: [UUID: [Int: Set<UUID>]] = [:]
        var peopleInPeriod: [UUID: Set<UUID>] = [:]
        for p in scoped {
            for id in p.connectionIDs {
                guard let c = state.connections[id], let made = c.history.first?.date, inPeriod(made),
                      let stage = stage(of: c, at: end) else { continue }
                total += 1
                if c.accompanied { accompanied += 1 }
                let service = state.services[c.serviceId]
                let name = service?.name ?? "(unknown service)"
                byService[c.serviceId, default: StageRow(key: c.serviceId.lowercasedString, label: name, total: 0)].add(stage, route: c.route)
                let category = service?.category.flatMap { $0.isEmpty ? nil : $0 } ?? "(no category)"
                byCategory[category, default: StageRow(key: category, label: category, total: 0)].add(stage, route: c.route)
                newPeople[c.serviceId, default: [:]][monthKey(made), default: []].insert(p.id)
                peopleInPeriod[c.serviceId, default: []].insert(p.id)
            }
        }
        let serviceRows = byService.values.sorted { ($0.label, $0.key) < ($1.label, $1.key) }
        let demand = serviceRows.map { row -> DemandRow in
            let id = UUID(uuidString: row.key)!
            return DemandRow(service: row.key, name: row.label, perMonth: months.map { newPeople[id]?[$0]?.count ?? 0 },
                             people: peopleInPeriod[id]?.count ?? 0)
        }
        return CommunityLevel(connections: total, byService: serviceRows, byCategory: byCategory.values.sorted { $0.label < $1.label },
                              accompanied: accompanied, months: months.map(monthText), demand: demand)
    }

    static func systemLevel(state: CaseloadState, scoped: [Patient], cohort: [Patient], end: Day, team: String?, worker: String?, asOf: Day) -> SystemLevel {
        var practices: [String: PracticeRow] = [:]
        for p in cohort {
            let name = p.gpPractice.flatMap { $0.isEmpty ? nil : $0 } ?? "(not recorded)"
            practices[name, default: PracticeRow(practice: name, referrals: 0, fromPractice: 0)].referrals += 1
            if practiceSources.contains(p.referral.source) { practices[name]!.fromPractice += 1 }
        }
        // Every worker in scope has a row, so a worker with nothing open shows a 0.
        var workerIds = Set(state.workers.values.filter { w in
            if let worker { return w.id == worker }
            if let team { return w.team == team }
            return true
        }.map(\.id))
        var open: [String: Int] = [:]
        for p in scoped where p.referral.date <= end && status(of: p, at: end).isOpen {
            let w = p.worker ?? ""
            open[w, default: 0] += 1
            workerIds.insert(w)
        }
        // Open and overdue as `openFollowups` and `overdue` count them (the person's case open
        // now), without sorting thousands of rows the counts do not need.
        var openFollowups: [String: Int] = [:]
        var overdueDays: [String: [Int]] = [:]
        for f in state.followups.values where f.status == .open {
            let w = f.worker ?? ""
            if let worker, w != worker { continue }
            if worker == nil, let team, state.workers[w]?.team != team { continue }
            guard let p = state.patients[f.patientId], p.status.isOpen else { continue }
            openFollowups[w, default: 0] += 1
            workerIds.insert(w)
            if f.isOverdue(asOf: asOf) { overdueDays[w, default: []].append(asOf.days(since: f.due)) }
        }
        let ordered = workerIds.sorted()
        func name(_ w: String) -> String { w.isEmpty ? "(no worker)" : state.workers[w]?.name ?? w }
        return SystemLevel(
            referred: cohort.count, fromGPPractices: cohort.filter { practiceSources.contains($0.referral.source) }.count,
            byPractice: practices.values.sorted { ($1.referrals, $0.practice) < ($0.referrals, $1.practice) },
            openCasesAtEnd: open.values.reduce(0, +),
            caseloadByWorker: ordered.map { WorkerCaseload(worker: $0, name: name($0), team: state.workers[$0]?.team, openCases: open[$0, default: 0]) },
            openFollowups: openFollowups.values.reduce(0, +), overdue: overdueDays.values.map(\.count).reduce(0, +),
            overdueByWorker: ordered.map { w in
                WorkerOverdue(worker: w, name: name(w), openFollowups: openFollowups[w, default: 0], overdue: overdueDays[w]?.count ?? 0,
                              mostDaysOverdue: overdueDays[w]?.max())
            })
    }
}
