import Foundation

/// A deterministic pseudo-random generator (SplitMix64): the same seed gives the same demo.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func uuid() -> UUID { UUID.version4(using: &self) }
    public mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
    public mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
    public mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
}

/// A realistic synthetic caseload for trying the app, tests and benchmarks: workers in two
/// teams, people with names from many cultures and scripts, NHS numbers from the 999 test
/// range (never issued), and histories of sessions, goals, measures, connections and
/// follow-ups, some overdue on `asOf`. Same seed, same caseload.
public struct DemoCaseload {
    /// The methods the demo's sessions are drawn from: fixed, so a method added later does not
    /// change the demo a seed gives.
    static let sessionKinds: [SessionKind] = [.phone, .faceToFace, .homeVisit, .video, .group, .accompaniedVisit]

    public struct Item: Sendable {
        public var body: EventBody
        public var author: String
        public var id: UUID
        public var clock: HLC

        /// This item as the event `device` wrote with sequence number `seq`.
        public func event(device: UUID, seq: UInt64) -> Event {
            Event(id: id, device: device, seq: seq, clock: clock, author: author, body: body)
        }
    }

    /// Amira's id is the one `caseload init --worker "Amira Haddad"` gives her, so the demo's
    /// device user and the demo's Amira are one worker (her own patients are "mine").
    public static let workers: [(id: String, name: String, team: String)] = [
        ("amira-haddad", "Amira Haddad", "North"), ("ben", "Ben Okoro", "North"), ("grace", "Grace Liu", "North"),
        ("dylan", "Dylan Price", "South"), ("priya", "Priya Sharma", "South"), ("tomasz", "Tomasz Nowak", "South"),
    ]

    static let given = ["Tadeusz", "Zoë", "Siobhán", "Chidi", "Fatima", "Mohammed", "Aisha", "Łukasz", "Margaret", "José",
                        "Chen", "Olumide", "Agnieszka", "Rhiannon", "Dafydd", "Niamh", "Oisín", "Sean", "Leila", "Björn",
                        "Amélie", "Kwame", "Hannah", "Ravi", "Sunita", "Yusuf", "Małgorzata", "Eilidh", "Ngozi", "Dorothy",
                        "Arthur", "Joan", "Patrick", "Grzegorz", "Ayesha", "Kofi", "Ewa", "Seren", "Iain", "Bridget"]
    static let family = ["Wiśniewski", "Begum", "Chen", "Okafor", "Ní Bhriain", "Kowalczyk", "Ahmed", "Murphy", "Jones",
                         "Evans", "Nowak", "O'Brien", "Mensah", "Patel", "Khan", "Smith", "Dąbrowska", "Ó Súilleabháin",
                         "MacLeod", "Adeyemi", "Müller", "Novák", "García", "Hughes", "Wright", "Thompson", "Rahman",
                         "Zieliński", "Mac Giolla", "Williams"]
    /// Names written in their own scripts, with a Latin preferred name where people use one.
    static let ownScript: [(String, String?)] = [
        ("王小明", "Xiaoming"), ("李秀英", nil), ("فاطمة الزهراء", "Fatima"), ("محمد عبد الله", nil),
        ("রহিম উদ্দিন", "Rahim"), ("সুমাইয়া বেগম", nil), ("Łucja Wójcik", "Lucy 🌻"), ("Zoë Łukasz 陈", "Zo 🙂"),
    ]
    static let practices = ["Riverside Surgery", "Castle Street Medical Centre", "Hillview Health Centre", "The Old Mill Practice"]
    static let referrers = ["Dr Patel", "Dr Evans", "Dr Okonjo", "Nurse Hughes", "Reception team", "Ward 7 discharge team", "Age UK", "Citizens Advice"]
    static let services: [(String, String, String, String)] = [
        ("Thursday Walking Group", "Ramblers Wellbeing Walks", "physical activity", "Thursdays 10:00, park gates"),
        ("Men's Shed", "Riverside Men's Shed", "social", "Tue & Fri 10:00-15:00"),
        ("Debt advice drop-in", "Citizens Advice", "money", "Mondays 13:00-16:00, library"),
        ("Food bank", "Trussell Trust", "food", "Wed 12:00-14:00, St Mark's"),
        ("Knit and Natter", "Community Café", "social", "Wednesdays 14:00"),
        ("Bereavement support group", "Cruse", "bereavement", "1st & 3rd Monday 18:30"),
        ("Community allotment", "Grow Together", "gardening", "Saturdays 09:00"),
        ("Carers' café", "Carers Trust", "carers", "Fridays 11:00"),
        ("Digital skills class", "Library service", "learning", "Tuesdays 10:00"),
        ("Chair yoga", "Active Communities", "physical activity", "Thursdays 14:00"),
        ("Warm space", "St Anne's Church", "social", "Daily 10:00-16:00"),
        ("Housing advice", "Shelter", "housing", "By appointment"),
    ]
    static let goalTexts = ["Get out of the house twice a week", "Sort the gas bill", "Join a walking group", "Feel less lonely in the evenings",
                            "Make one new friend", "Get back into gardening", "Talk to the council about the damp", "Sleep better",
                            "Go to the carers' café once a month", "Learn to video call my grandchildren", "Apply for Attendance Allowance",
                            "Walk to the shops without stopping"]
    static let paragraphs = [
        "Talked about what matters to them: getting out more, and feeling useful again. Lives alone since their partner died; daughter visits on Sundays.",
        "Discussed the walking group on Thursdays. Worried about keeping up; agreed I would go along the first time and meet at the park gates.",
        "Money is tight this winter. Gas bill arrears of about £300. Gave the Citizens Advice drop-in details and offered to help fill in the form.",
        "Mood brighter than last time. Has been to the Men's Shed twice and enjoyed fixing a bench. Mentioned a neighbour, Mrs Ó Súilleabháin, who might come too.",
        "Did not answer the first call; left a voicemail. Called back in the afternoon and we talked for twenty minutes.",
        "Completed SWEMWBS together. Some items hard to answer; said \"some of the time\" is about right for most days.",
        "Plans for next week: ring the housing officer about the damp, and try the knit and natter group at the café.",
        "Said the bereavement group was hard but helpful. Wants to keep going; no further support needed from me on that.",
    ]

    /// The demo as one device's journal would hold it (seq 1, 2, 3 ... in order): for folding
    /// a demo state without a store, in tests, benches and fuzz seeds.
    public static func events(patients count: Int, seed: UInt64, asOf: Day, device: UUID) -> [Event] {
        generate(patients: count, seed: seed, asOf: asOf).enumerated().map { i, item in item.event(device: device, seq: UInt64(i + 1)) }
    }

    /// Builds the demo's events in chronological order, ready to append.
    /// `progress` hears how many people are made so far, every hundred and at the end.
    public static func generate(patients count: Int, seed: UInt64, asOf: Day, progress: ((Int) -> Void)? = nil) -> [Item] {
        var rng = SeededRandom(seed: seed)
        var items: [(day: Day, order: Int, author: String, body: EventBody)] = []
        var order = 0
        func add(_ day: Day, _ author: String, _ body: EventBody) {
            items.append((day, order, author, body))
            order += 1
        }
        let start = asOf.adding(days: -400)
        for w in workers {
            add(start, w.id, .workerRegistered(WorkerRegistered(workerId: w.id, name: w.name, team: w.team,
                                                                role: w.id == "grace" ? "supervisor" : nil)))
        }
        var serviceIds: [UUID] = []
        for s in services {
            let id = rng.uuid()
            serviceIds.append(id)
            add(start, "amira-haddad", .serviceAdded(ServiceAdded(serviceId: id, name: s.0, organisation: s.1, category: s.2, contact: "01632 960\(rng.int(100...999))", times: s.3)))
        }
        var usedNHS = Set<String>()
        for i in 0..<count {
            if i % 100 == 0 { progress?(i) }
            let pid = rng.uuid()
            let worker = workers[i % workers.count].id
            var name: String
            var preferred: String?
            if rng.chance(0.12) {
                let n = rng.pick(ownScript)
                name = n.0; preferred = n.1
            } else {
                name = "\(rng.pick(given)) \(rng.pick(family))"
                if rng.chance(0.05) { preferred = rng.pick(["Tad", "Mags", "Bob", "Dot", "Chi 😊"]) }
            }
            let referralDay = asOf.adding(days: -rng.int(0...360))
            var nhs: NHSNumber?
            while nhs == nil {
                var nine = [9, 9, 9] + (0..<6).map { _ in rng.int(0...9) }
                if nine == [9, 9, 9, 9, 9, 9, 9, 9, 9] { nine[8] = 8 }
                if let c = NHSNumber.checkDigit(nine) {
                    let digits = (nine + [c]).map(String.init).joined()
                    if usedNHS.insert(digits).inserted { nhs = NHSNumber(digits) }
                }
            }
            let reasons = Array(Set((0..<rng.int(1...3)).map { _ in rng.pick(ReferralReason.allCases) })).sorted { $0.rawValue < $1.rawValue }
            let source: ReferralSource = rng.pick([.gp, .gp, .gp, .practiceStaff, .nurse, .hospital, .vcse, .localAuthority, .selfReferral, .other])
            add(referralDay, worker, .patientReferred(PatientReferred(
                patientId: pid, name: name, preferredName: preferred,
                dateOfBirth: Day(year: rng.int(1930...2005), month: rng.int(1...12), day: rng.int(1...28)),
                nhsNumber: nhs, phone: "07700 900\(rng.int(100...999))", address: "\(rng.int(1...120)) \(rng.pick(["Mill Lane", "Church Street", "Heol y Parc", "Station Road", "Ffordd Newydd"]))",
                gpPractice: rng.pick(practices), worker: worker,
                referral: Referral(date: referralDay, source: source, referrer: source == .selfReferral ? nil : rng.pick(referrers),
                                   reasons: reasons, text: nil))))
            add(referralDay, worker, .consentRecorded(ConsentRecorded(patientId: pid, kind: .socialPrescribing, given: true, date: referralDay)))
            if rng.chance(0.8) {
                add(referralDay, worker, .consentRecorded(ConsentRecorded(patientId: pid, kind: .shareWithGP, given: true, date: referralDay)))
            }
            let elapsed = asOf.days(since: referralDay)
            // Some never engage.
            if elapsed > 14, rng.chance(0.12) {
                let outcome: PatientStatus = rng.pick([.declined, .unableToContact, .unableToContact])
                add(referralDay.adding(days: rng.int(3...14)), worker, .patientStatusChanged(PatientStatusChanged(
                    patientId: pid, status: outcome, date: referralDay.adding(days: 14), reason: outcome == .declined ? "Did not want support right now" : "Three attempts, no reply")))
                continue
            }
            let firstContact = referralDay.adding(days: min(elapsed, rng.int(1...10)))
            var sessionDays: [Day] = []
            if elapsed > 1 {
                var d = firstContact
                while d < asOf, sessionDays.count < 8 {
                    sessionDays.append(d)
                    d = d.adding(days: rng.int(7...35))
                }
            }
            if !sessionDays.isEmpty {
                add(sessionDays[0], worker, .patientStatusChanged(PatientStatusChanged(patientId: pid, status: .contacted, date: sessionDays[0])))
            }
            if sessionDays.count > 1 {
                add(sessionDays[1], worker, .patientStatusChanged(PatientStatusChanged(patientId: pid, status: .active, date: sessionDays[1])))
            }
            for (n, d) in sessionDays.enumerated() {
                let paras = (0..<rng.int(1...3)).map { _ in rng.pick(paragraphs) }
                add(d, worker, .sessionRecorded(SessionRecorded(sessionId: rng.uuid(), patientId: pid, date: d,
                                                                kind: n == 0 ? .phone : rng.pick(Self.sessionKinds),
                                                                minutes: rng.pick([15, 20, 30, 45, 60]), note: paras.joined(separator: "\n\n"))))
            }
            // The plan: goals with progress over the sessions.
            if sessionDays.count >= 2 {
                for _ in 0..<rng.int(1...3) {
                    let gid = rng.uuid()
                    var score = rng.int(1...4)
                    add(sessionDays[1], worker, .goalSet(GoalSet(goalId: gid, patientId: pid, text: rng.pick(goalTexts), date: sessionDays[1], progress: score)))
                    for d in sessionDays.dropFirst(2) {
                        score = min(10, max(0, score + rng.int(-1...3)))
                        add(d, worker, .goalProgressed(GoalProgressed(goalId: gid, score: score, date: d)))
                    }
                    if score >= 8, rng.chance(0.5), let last = sessionDays.last {
                        add(last, worker, .goalStatusChanged(GoalStatusChanged(goalId: gid, status: .achieved, date: last)))
                    }
                }
                // Measures: a baseline at the second session, later ones tending to improve.
                var base = rng.int(12...24)
                for (k, d) in sessionDays.dropFirst().enumerated() where k % 3 == 0 {
                    let answers = spread(total: min(35, max(7, base)), items: 7, range: 1...5, rng: &rng)
                    add(d, worker, .measureRecorded(MeasureRecorded(measureId: rng.uuid(), patientId: pid, instrument: .swemwbs, answers: answers, date: d)))
                    let ucla = spread(total: max(3, min(9, 9 - base / 5)), items: 3, range: 1...3, rng: &rng)
                    add(d, worker, .measureRecorded(MeasureRecorded(measureId: rng.uuid(), patientId: pid, instrument: .ucla3, answers: ucla, date: d)))
                    if rng.chance(0.5) {
                        let ons = [rng.int(2...9), rng.int(2...9), rng.int(2...9), rng.int(1...9)]
                        add(d, worker, .measureRecorded(MeasureRecorded(measureId: rng.uuid(), patientId: pid, instrument: .ons4, answers: ons, date: d)))
                    }
                    base += rng.int(-1...5)
                }
                // Connections to community services.
                for _ in 0..<rng.int(0...2) {
                    let cid = rng.uuid()
                    let d = sessionDays[1]
                    let accompanied = rng.chance(0.3)
                    add(d, worker, .connectionMade(ConnectionMade(connectionId: cid, patientId: pid, serviceId: rng.pick(serviceIds),
                                                                  stage: .referred, accompanied: accompanied, date: d)))
                    var stage = ConnectionStage.referred
                    for (k, later) in sessionDays.dropFirst(2).enumerated() {
                        let next: ConnectionStage? = k == 0 ? .enrolled : k == 1 ? (rng.chance(0.2) ? .droppedOut : .engaged) : (k == 3 ? .completed : nil)
                        guard let next, stage != .droppedOut, stage != .completed else { continue }
                        stage = next
                        add(later, worker, .connectionStageChanged(ConnectionStageChanged(connectionId: cid, stage: next, date: later,
                                                                                          reason: next == .droppedOut ? "Found the group too far to travel" : nil)))
                    }
                }
            }
            // Discharge some long-running cases; the rest have a next follow-up.
            if sessionDays.count >= 6, rng.chance(0.5), let last = sessionDays.last {
                add(last, worker, .patientStatusChanged(PatientStatusChanged(patientId: pid, status: .discharged, date: last, reason: "Goals met; connected to community groups")))
                continue
            }
            // Past follow-ups, done, and one open one (some overdue, some due soon).
            for d in sessionDays.dropLast() {
                let fid = rng.uuid()
                add(d, worker, .followupScheduled(FollowupScheduled(followupId: fid, patientId: pid, due: d.adding(days: 7), reason: "Check in", worker: worker)))
                add(d.adding(days: 7), worker, .followupCompleted(FollowupCompleted(followupId: fid, date: d.adding(days: 7))))
            }
            let lastDay = sessionDays.last ?? referralDay
            let fid = rng.uuid()
            let due = rng.chance(0.25) ? asOf.adding(days: -rng.int(1...30)) : asOf.adding(days: rng.int(0...21))
            add(lastDay, worker, .followupScheduled(FollowupScheduled(followupId: fid, patientId: pid, due: max(due, lastDay),
                                                                     reason: sessionDays.isEmpty ? "First call" : rng.pick(["Check in", "Review goals", "After first walking group", "Repeat SWEMWBS", "Call about benefits form"]),
                                                                     worker: worker)))
            if rng.chance(0.1) {
                add(lastDay.adding(days: 1), worker, .followupRescheduled(FollowupRescheduled(followupId: fid, due: max(due, lastDay).adding(days: 7), reason: "No answer", date: lastDay.adding(days: 1))))
            }
        }
        progress?(count)
        items.sort { ($0.day, $0.order) < ($1.day, $1.order) }
        // Clocks from the timeline (09:00 UTC on each day) keep the fold order historical. None
        // is later than 09:00 UTC the day before `asOf`, which has passed wherever `asOf` is
        // today: a clock after the device's own time would read as from the future.
        var clock = HLC.zero
        let latest = asOf.adding(days: -1)
        return items.map { item in
            clock = clock.tick(now: Int64(min(item.day, latest).ordinal) * 86_400_000 + 9 * 3_600_000)
            return Item(body: item.body, author: item.author, id: rng.uuid(), clock: clock)
        }
    }

    /// Answers within `range` for `items` items that add up to `total` (clamped to what fits).
    static func spread(total: Int, items: Int, range: ClosedRange<Int>, rng: inout SeededRandom) -> [Int] {
        let target = min(max(total, items * range.lowerBound), items * range.upperBound)
        var answers = Array(repeating: range.lowerBound, count: items)
        var remaining = target - items * range.lowerBound
        while remaining > 0 {
            let i = rng.int(0...(items - 1))
            if answers[i] < range.upperBound { answers[i] += 1; remaining -= 1 }
        }
        return answers
    }
}
