import Foundation

/// The message back to the GP, in the order the PRSB Social Prescribing Information Standard
/// sets for "information back to GP": plan and actions requested of the practice first, then
/// the person, referral, contacts, assessments, services signposted and referred to, risks,
/// outcome and discharge, the SNOMED CT codes with their dates, and the sender. One pure value
/// feeds the app's letter, `caseload gp-summary` and every format (text, HTML, FHIR), so none
/// can disagree with another.
public struct GPSummary: Sendable, Hashable, Encodable {
    /// How much the person agreed may go to the practice.
    public enum Sharing: String, Sendable, Hashable, Encodable {
        /// Consent to share with the GP: the whole message.
        case full
        /// Consent to social prescribing but not to sharing detail: codes and dates only.
        case codesOnly
    }

    public struct Person: Sendable, Hashable, Encodable {
        public var name: String
        public var preferredName: String?
        public var nhsNumber: String?
        /// The ten digits, for a practice system's identifier.
        public var nhsNumberDigits: String?
        public var dateOfBirth: Day?
        public var address: String?
        public var gpPractice: String?
    }

    /// The link worker sending the message, from the config (`sender_*` keys).
    public struct Sender: Sendable, Hashable, Encodable {
        public var name: String
        public var role: String
        public var organisation: String?
        public var contact: String?

        public static let defaultRole = "Social prescribing link worker"

        public init(name: String, role: String? = nil, organisation: String? = nil, contact: String? = nil) {
            self.name = name
            self.role = role.flatMap { $0.isEmpty ? nil : $0 } ?? Sender.defaultRole
            self.organisation = organisation.flatMap { $0.isEmpty ? nil : $0 }
            self.contact = contact.flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The sender as the config gives it (`sender_name`, `sender_role`, `sender_organisation`,
    /// `sender_contact`); what is missing comes from the worker's own record.
    public struct SenderConfig: Sendable, Hashable {
        public var name, role, organisation, contact: String?
        public init(name: String? = nil, role: String? = nil, organisation: String? = nil, contact: String? = nil) {
            self.name = name; self.role = role; self.organisation = organisation; self.contact = contact
        }

        public func sender(worker: Worker?, workerId: String) -> Sender {
            Sender(name: name ?? worker?.name ?? workerId, role: role ?? worker?.role, organisation: organisation ?? worker?.team, contact: contact)
        }
    }

    public struct Plan: Sendable, Hashable, Encodable {
        /// What the practice is asked to do; empty means none, written out as `noActions`.
        public var actionsForPractice: [String]
        /// What happens next on the social prescribing side (next follow-up, open goals).
        public var nextSteps: [String]
        public static let noActions = "No actions required"
    }

    public struct ReferralDetails: Sendable, Hashable, Encodable {
        public var date: Day
        public var source: ReferralSource
        public var sourceLabel: String
        public var referrer: String?
        public var reasons: [String]
        /// The dates of the person's earlier referrals: this message is about the latest
        /// episode of care only.
        public var earlierReferrals: [Day] = []
    }

    public struct GoalItem: Sendable, Hashable, Encodable {
        public var text: String
        public var status: GoalStatus
        public var progressStart: Int?
        public var progressLatest: Int?
    }

    public struct MethodCount: Sendable, Hashable, Encodable {
        public var method: SessionKind
        public var label: String
        public var count: Int
    }

    /// How many contacts had each outcome (only those with any).
    public struct OutcomeCount: Sendable, Hashable, Encodable {
        public var outcome: ContactOutcome
        public var label: String
        public var count: Int
    }

    /// Contacts by method and by outcome (the PRSB order's fourth section); a case that ended
    /// because the person could not be reached says so in `missed`.
    public struct Contacts: Sendable, Hashable, Encodable {
        public var sessions: Int
        public var first: Day?
        public var last: Day?
        public var minutes: Int
        public var byMethod: [MethodCount]
        public var attended: Int
        /// Attended first, then each kind of missed contact; sessions before outcomes count as attended.
        public var byOutcome: [OutcomeCount]
        /// "did not attend" / "unable to contact" when the case ended that way.
        public var missed: String?
    }

    /// One completed questionnaire: its items and total.
    public struct Assessment: Sendable, Hashable, Encodable {
        public struct Item: Sendable, Hashable, Encodable {
            public var key: String
            public var question: String
            public var score: Int
        }
        public var instrument: Instrument
        public var label: String
        public var date: Day
        public var items: [Item]
        /// "metric 16.88 (raw 17)", "6 of 9", or the ONS4 items (never summed).
        public var total: String
        /// The headline number for a practice system (SWEMWBS metric, UCLA-3 total), when there is one.
        public var value: Double?
        public var rawTotal: Int?
    }

    public struct ConnectionItem: Sendable, Hashable, Encodable {
        public var service: String
        public var organisation: String?
        public var category: String?
        /// Signposted (told about it) or referred (the service was contacted for them).
        public var route: ConnectionRoute
        public var stage: ConnectionStage
        public var stageLabel: String
        public var since: Day
        public var accompanied: Bool
        /// Offered = suggested; taken up = referred onwards and beyond, unless dropped out.
        public var takenUp: Bool
    }

    public struct Outcome: Sendable, Hashable, Encodable {
        /// The headline numbers, for the letter: SWEMWBS metric, UCLA-3 total, ONS4 items.
        var startScore: MeasureScore?
        var latestScore: MeasureScore?

        enum CodingKeys: String, CodingKey { case instrument, startDate, start, latestDate, latest, change, improved, meaningful }

        /// "SWEMWBS metric score 17.43 → 21.54 (+4.11, a meaningful change), 2026-08-05 → 2026-10-12".
        var text: String {
            let dates = latestDate.map { ", \(startDate) → \($0)" } ?? ", \(startDate)"
            switch (startScore, latestScore) {
            case let (.swemwbs(_, a)?, b):
                var line = String(format: "SWEMWBS metric score %.2f", a)
                if case let .swemwbs(_, bm)? = b {
                    line += String(format: " → %.2f (%+.2f", bm, bm - a) + (meaningful == true ? ", a meaningful change)" : ")")
                }
                return line + dates
            case let (.ucla3(a)?, b):
                if case let .ucla3(bt)? = b { return "UCLA-3 loneliness score \(a) → \(bt) (lower is less lonely)" + dates }
                return "UCLA-3 loneliness score \(a)" + dates
            case let (.ons4(a, aw, ah, aAnx)?, b):
                if case let .ons4(bl, bw, bh, bAnx)? = b {
                    return "ONS4 life satisfaction \(a) → \(bl), worthwhile \(aw) → \(bw), happiness \(ah) → \(bh), anxiety \(aAnx) → \(bAnx)" + dates
                }
                return "ONS4 life satisfaction \(a), worthwhile \(aw), happiness \(ah), anxiety \(aAnx)" + dates
            default:
                return "\(instrument.label): \(start)" + dates
            }
        }

        public var instrument: Instrument
        public var startDate: Day
        public var start: String
        public var latestDate: Day?
        public var latest: String?
        /// Latest minus start on the headline number (SWEMWBS metric, UCLA-3 total, ONS4 life satisfaction).
        public var change: Double?
        public var improved: Bool?
        /// SWEMWBS only: a change of at least the meaningful threshold.
        public var meaningful: Bool?
    }

    /// Risks from the risk register: the open ones, or "no known risks" when that was recorded.
    /// With neither the message says so rather than claiming "no known risks", which only a
    /// recorded check may say.
    public struct Risks: Sendable, Hashable, Encodable {
        public var recorded: Bool
        public var text: String
        public static let notRecorded = "Not recorded in Caseload (check the person's record before relying on this)"

        init(_ status: RiskStatus) {
            switch status {
            case .open(let risks):
                recorded = true
                text = risks.map { $0.summary.prefix(1).uppercased() + $0.summary.dropFirst() + "." }.joined(separator: " ")
            case .noneKnown(let day):
                recorded = true
                text = "No known risks (recorded \(day))."
            case .notRecorded:
                recorded = false
                text = Risks.notRecorded
            }
        }
    }

    public struct CaseStatus: Sendable, Hashable, Encodable {
        public var status: PatientStatus
        public var label: String
        public var since: Day
        public var reason: String?
        public var open: Bool
    }

    /// A coded entry for the practice system.
    public struct Code: Sendable, Hashable, Encodable {
        public var system = "http://snomed.info/sct"
        public var code: String
        /// The term without its semantic tag ("(procedure)").
        public var display: String
        public var date: Day
    }

    /// Everything beyond the codes: present only when the person agreed to sharing with their GP.
    public struct Detail: Sendable, Hashable, Encodable {
        public var plan: Plan
        public var referral: ReferralDetails
        public var goals: [GoalItem]
        public var contacts: Contacts
        public var assessments: [Assessment]
        public var outcomes: [Outcome]
        public var connections: [ConnectionItem]
        public var risks: Risks
        public var status: CaseStatus
    }

    public var patientId: UUID
    public var sharing: Sharing
    public var person: Person
    public var detail: Detail?
    public var codes: [Code]
    public var sender: Sender
    public var writtenOn: Day

    public static let referralAccepted = "871731000000106"
    public static let referralDeclined = "871711000000103"
    public static let referralAcceptedTerm = "Referral to social prescribing service"
    public static let referralDeclinedTerm = "Social prescribing declined"
    public static let codesOnlyNote = "They agreed to social prescribing but not to sharing details with the practice: this message carries the SNOMED CT codes and their dates only."

    /// Why nothing at all may go to the GP, or nil when something may: the whole message with
    /// consent to share, the codes and dates only with consent to social prescribing alone.
    public static func consentProblem(_ p: Patient) -> String? {
        if sharing(p) != nil { return nil }
        switch p.consent[.shareWithGP]?.given {
        case false?: return "they did not consent to sharing with their GP (withdrawn on \(p.consent[.shareWithGP]!.date))"
        default: return "consent to share with their GP is not recorded (record it with `caseload patient consent PATIENT shareWithGP`)"
        }
    }

    /// What the practice needs to match the message to its record and is not recorded.
    public static func missingForGP(_ p: Patient) -> [String] {
        [p.nhsNumber == nil ? "NHS number" : nil, (p.gpPractice ?? "").isEmpty ? "GP practice" : nil].compactMap { $0 }
    }

    /// "No NHS number or GP practice recorded: …", said wherever the message is made (the app's
    /// letter screen, `caseload gp-summary`) so it is added before the letter goes; nil when both are there.
    public static func missingNote(_ p: Patient) -> String? {
        let missing = missingForGP(p)
        guard !missing.isEmpty else { return nil }
        return "No \(missing.joined(separator: " or ")) recorded: the practice needs \(missing.count == 1 ? "it" : "them") to match this message to their record"
    }

    /// What may go to the practice, or nil when nothing may.
    public static func sharing(_ p: Patient) -> Sharing? {
        if p.consent[.shareWithGP]?.given == true { return .full }
        if p.consent[.socialPrescribing]?.given == true { return .codesOnly }
        return nil
    }

    /// Builds the summary for what the person's consent allows (the full message when nothing
    /// is recorded, for callers that check `consentProblem` first).
    public init?(patientId: UUID, state whole: CaseloadState, workerId: String, asOf: Day, sender config: SenderConfig = SenderConfig()) {
        // About the current episode of care: its referral, contacts, measures and outcome (and
        // so its own 871731000000106), whatever earlier episodes held.
        let c = whole.narrowedToCurrentEpisode(of: patientId)
        guard let p = c.patients[patientId] else { return nil }
        let earlier = whole.patients[patientId]?.earlierEpisodes.map(\.referral.date) ?? []
        self.patientId = patientId
        sharing = GPSummary.sharing(p) ?? .full
        person = Person(name: p.name, preferredName: p.preferredName, nhsNumber: p.nhsNumber?.formatted,
                        nhsNumberDigits: p.nhsNumber?.digits, dateOfBirth: p.dateOfBirth,
                        address: sharing == .full ? p.address : nil, gpPractice: p.gpPractice)
        let sessions = c.sessions(of: patientId)
        codes = GPSummary.codes(p, sessions: sessions)
        sender = config.sender(worker: c.workers[workerId], workerId: workerId)
        writtenOn = asOf
        detail = sharing == .full ? GPSummary.detail(p, c, sessions: sessions, asOf: asOf) : nil
        detail?.referral.earlierReferrals = earlier
    }

    static func detail(_ p: Patient, _ c: CaseloadState, sessions: [Session], asOf: Day) -> Detail {
        let r = p.referral
        let referral = ReferralDetails(date: r.date, source: r.source, sourceLabel: r.source.label, referrer: r.referrer,
                                       reasons: r.reasons.map(\.label))
        let goals = c.goals(of: p.id).map {
            GoalItem(text: $0.text, status: $0.status, progressStart: $0.progress.first?.score, progressLatest: $0.latestProgress)
        }
        let byMethod = SessionKind.allCases.compactMap { kind -> MethodCount? in
            let n = sessions.filter { $0.kind == kind }.count
            return n == 0 ? nil : MethodCount(method: kind, label: kind.label, count: n)
        }
        // The old person-level "did not attend" reads as an open case now, not one that ended.
        let missed: String? = !p.status.isOpen && [.didNotAttend, .unableToContact].contains(p.status) ? p.status.label : nil
        let byOutcome = ContactOutcome.allCases.compactMap { o -> OutcomeCount? in
            let n = sessions.filter { $0.outcome == o }.count
            return n == 0 ? nil : OutcomeCount(outcome: o, label: o.label, count: n)
        }
        let contacts = Contacts(sessions: sessions.count, first: sessions.first?.date, last: sessions.last?.date,
                                minutes: sessions.compactMap(\.minutes).reduce(0, +), byMethod: byMethod,
                                attended: sessions.filter { $0.outcome == .attended }.count, byOutcome: byOutcome, missed: missed)
        let connections = c.connections(of: p.id).map { conn in
            let s = c.services[conn.serviceId]
            return ConnectionItem(service: s?.name ?? "a service", organisation: s?.organisation, category: s?.category,
                                  route: conn.route, stage: conn.stage, stageLabel: conn.stage.label,
                                  since: conn.history.last?.date ?? asOf, accompanied: conn.accompanied,
                                  takenUp: ![.suggested, .droppedOut].contains(conn.stage))
        }
        let last = p.statusHistory.last
        let status = CaseStatus(status: p.status, label: p.status.label, since: last?.date ?? r.date, reason: last?.reason, open: p.status.isOpen)
        var next: [String] = []
        if p.status.isOpen, let f = c.nextFollowup(of: p.id) { next.append("Next contact with the link worker due \(f.due)") }
        if p.status.isOpen {
            next += goals.filter { $0.status == .active }.map { "Working towards: \($0.text)" }
        }
        return Detail(plan: Plan(actionsForPractice: [], nextSteps: next), referral: referral, goals: goals, contacts: contacts,
                      assessments: c.measures(of: p.id).compactMap(GPSummary.assessment),
                      outcomes: c.measureSummaries(of: p.id).map(GPSummary.outcome), connections: connections,
                      risks: Risks(c.riskStatus(of: p.id)), status: status)
    }

    /// 871731000000106 from the first interaction of the episode when the person took up the
    /// referral; 871711000000103 when they declined. Neither while the referral is untouched,
    /// or when they could not be reached.
    static func codes(_ p: Patient, sessions: [Session]) -> [Code] {
        var codes: [Code] = []
        let engaged = p.statusHistory.first { [.contacted, .active, .discharged].contains($0.status) }?.date
        // The first interaction: a missed contact is none.
        let firstSession = sessions.first { $0.outcome == .attended }?.date
        if let accepted = [engaged, firstSession].compactMap({ $0 }).min(), p.status != .declined {
            codes.append(Code(code: referralAccepted, display: referralAcceptedTerm, date: accepted))
        }
        if p.status == .declined, let d = p.statusHistory.last?.date {
            codes.append(Code(code: referralDeclined, display: referralDeclinedTerm, date: d))
        }
        return codes
    }

    static func assessment(_ m: Measure) -> Assessment? {
        guard let score = m.score else { return nil }
        let items = zip(m.instrument.items, m.answers).map { Assessment.Item(key: $0.key, question: $0.question, score: $1) }
        var raw: Int?
        if case let .swemwbs(r, _) = score { raw = r }
        if case let .ucla3(t) = score { raw = t }
        return Assessment(instrument: m.instrument, label: m.instrument.label, date: m.date, items: items,
                          total: scoreText(m), value: score.headline, rawTotal: raw)
    }

    static func outcome(_ s: MeasureSummary) -> Outcome {
        let repeated = s.count > 1
        var o = Outcome(startScore: s.baseline.score, latestScore: repeated ? s.latest.score : nil,
                        instrument: s.instrument, startDate: s.baseline.date, start: scoreText(s.baseline),
                        latestDate: repeated ? s.latest.date : nil, latest: repeated ? scoreText(s.latest) : nil)
        // Read as every screen reads it (`MeasureChange`); ONS4 by its first item, life satisfaction.
        if let reading = s.changes().first {
            o.change = reading.change
            o.improved = reading.towardsBetter == 0 ? nil : reading.towardsBetter > 0
            o.meaningful = reading.verdict != .noMeaningfulChange
        }
        return o
    }

    static func scoreText(_ m: Measure) -> String {
        switch m.score {
        case let .swemwbs(raw, metric)?: return String(format: "metric %.2f (raw %d)", metric, raw)
        case let .ucla3(total)?: return "\(total) of 9"
        case let .ons4(ls, w, h, a)?: return "life satisfaction \(ls), worthwhile \(w), happiness \(h), anxiety \(a)"
        case nil: return "incomplete"
        }
    }

    // `--json`: the detail's sections sit beside the person and codes, as they always have.
    enum CodingKeys: String, CodingKey {
        case patientId, sharing, note, person, plan, referral, goals, contacts, assessments, outcomes, connections, risks, status, codes, sender, writtenOn
    }

    public func encode(to encoder: Encoder) throws {
        var e = encoder.container(keyedBy: CodingKeys.self)
        try e.encode(patientId, forKey: .patientId)
        try e.encode(sharing, forKey: .sharing)
        if sharing == .codesOnly { try e.encode(GPSummary.codesOnlyNote, forKey: .note) }
        try e.encode(person, forKey: .person)
        if let d = detail {
            try e.encode(d.plan, forKey: .plan)
            try e.encode(d.referral, forKey: .referral)
            try e.encode(d.goals, forKey: .goals)
            try e.encode(d.contacts, forKey: .contacts)
            try e.encode(d.assessments, forKey: .assessments)
            try e.encode(d.outcomes, forKey: .outcomes)
            try e.encode(d.connections, forKey: .connections)
            try e.encode(d.risks, forKey: .risks)
            try e.encode(d.status, forKey: .status)
        }
        try e.encode(codes, forKey: .codes)
        try e.encode(sender, forKey: .sender)
        try e.encode(writtenOn, forKey: .writtenOn)
    }
}
