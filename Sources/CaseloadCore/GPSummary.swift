import Foundation

/// The message back to the GP and referrer, shaped after the PRSB Social Prescribing
/// Information Standard's "message back to GP and referrer": who the person is, when and by
/// whom they were referred, what matters to them, what support was offered and taken up,
/// outcome measures at the start and latest, where the case stands, and the SNOMED CT codes
/// for the practice record. One pure function feeds both the terminal app's letter and
/// `caseload gp-summary`, so the two cannot disagree.
public struct GPSummary: Sendable, Hashable, Encodable {
    public struct Person: Sendable, Hashable, Encodable {
        public var name: String
        public var preferredName: String?
        public var nhsNumber: String?
        public var dateOfBirth: Day?
        public var gpPractice: String?
    }

    public struct ReferralDetails: Sendable, Hashable, Encodable {
        public var date: Day
        public var source: ReferralSource
        public var sourceLabel: String
        public var referrer: String?
        public var reasons: [String]
    }

    public struct GoalItem: Sendable, Hashable, Encodable {
        public var text: String
        public var status: GoalStatus
        public var progressStart: Int?
        public var progressLatest: Int?
    }

    public struct Contacts: Sendable, Hashable, Encodable {
        public var sessions: Int
        public var first: Day?
        public var last: Day?
        public var minutes: Int
    }

    public struct ConnectionItem: Sendable, Hashable, Encodable {
        public var service: String
        public var organisation: String?
        public var category: String?
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
            let repeated = latestScore != nil
            let dates = repeated ? ", \(startDate) → \(latestDate!)" : ", \(startDate)"
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
        public var display: String
        public var date: Day
    }

    public struct Author: Sendable, Hashable, Encodable {
        public var name: String
        public var role: String
        public var team: String?
    }

    public var person: Person
    public var referral: ReferralDetails
    public var goals: [GoalItem]
    public var contacts: Contacts
    public var connections: [ConnectionItem]
    public var outcomes: [Outcome]
    public var status: CaseStatus
    public var codes: [Code]
    public var sharingConsent: Consent?
    public var author: Author
    public var writtenOn: Day

    public static let referralAccepted = "871731000000106"
    public static let referralDeclined = "871711000000103"

    /// Why a summary must not go to the GP, or nil when the person consented to sharing.
    public static func consentProblem(_ p: Patient) -> String? {
        switch p.consent[.shareWithGP]?.given {
        case true?: return nil
        case false?: return "they did not consent to sharing with their GP (withdrawn on \(p.consent[.shareWithGP]!.date))"
        case nil: return "consent to share with their GP is not recorded (record it with `caseload patient consent PATIENT shareWithGP`)"
        }
    }

    /// Builds the summary whatever the consent; callers that send it check `consentProblem` first.
    public init?(patientId: UUID, state c: CaseloadState, workerId: String, asOf: Day) {
        guard let p = c.patients[patientId] else { return nil }
        person = Person(name: p.name, preferredName: p.preferredName, nhsNumber: p.nhsNumber?.formatted,
                        dateOfBirth: p.dateOfBirth, gpPractice: p.gpPractice)
        let r = p.referral
        referral = ReferralDetails(date: r.date, source: r.source, sourceLabel: r.source.label, referrer: r.referrer,
                                   reasons: r.reasons.map(\.label))
        goals = c.goals(of: patientId).map {
            GoalItem(text: $0.text, status: $0.status, progressStart: $0.progress.first?.score, progressLatest: $0.latestProgress)
        }
        let sessions = c.sessions(of: patientId)
        contacts = Contacts(sessions: sessions.count, first: sessions.first?.date, last: sessions.last?.date,
                            minutes: sessions.compactMap(\.minutes).reduce(0, +))
        connections = c.connections(of: patientId).map { conn in
            let s = c.services[conn.serviceId]
            return ConnectionItem(service: s?.name ?? "a service", organisation: s?.organisation, category: s?.category,
                                  stage: conn.stage, stageLabel: conn.stage.label, since: conn.history.last?.date ?? asOf,
                                  accompanied: conn.accompanied, takenUp: ![.suggested, .droppedOut].contains(conn.stage))
        }
        outcomes = c.measureSummaries(of: patientId).map(GPSummary.outcome)
        let last = p.statusHistory.last
        status = CaseStatus(status: p.status, label: p.status.label, since: last?.date ?? r.date, reason: last?.reason, open: p.status.isOpen)
        codes = GPSummary.codes(p, sessions: sessions)
        sharingConsent = p.consent[.shareWithGP]
        let me = c.workers[workerId]
        author = Author(name: me?.name ?? workerId, role: "Social prescribing link worker", team: me?.team)
        writtenOn = asOf
    }

    /// 871731000000106 from the first interaction of the episode when the person took up the
    /// referral; 871711000000103 when they declined. Neither while the referral is untouched,
    /// or when they could not be reached.
    static func codes(_ p: Patient, sessions: [Session]) -> [Code] {
        var codes: [Code] = []
        let engaged = p.statusHistory.first { [.contacted, .active, .discharged].contains($0.status) }?.date
        let firstSession = sessions.first?.date
        if let accepted = [engaged, firstSession].compactMap({ $0 }).min(), p.status != .declined {
            codes.append(Code(code: referralAccepted, display: "Referral to social prescribing service (procedure)", date: accepted))
        }
        if p.status == .declined, let d = p.statusHistory.last?.date {
            codes.append(Code(code: referralDeclined, display: "Social prescribing declined (situation)", date: d))
        }
        return codes
    }

    static func outcome(_ s: MeasureSummary) -> Outcome {
        let repeated = s.count > 1
        var o = Outcome(startScore: s.baseline.score, latestScore: repeated ? s.latest.score : nil,
                        instrument: s.instrument, startDate: s.baseline.date, start: scoreText(s.baseline),
                        latestDate: repeated ? s.latest.date : nil, latest: repeated ? scoreText(s.latest) : nil)
        switch (s.baseline.score, s.latest.score) {
        case let (.ons4(a, _, _, _)?, .ons4(b, _, _, _)?) where repeated:
            o.change = Double(b - a)
            o.improved = b == a ? nil : b > a
        default:
            o.change = s.change.map { ($0 * 100).rounded() / 100 }
            o.improved = s.improved
        }
        if s.instrument == .swemwbs, let c = s.change { o.meaningful = abs(c) >= Swemwbs.defaultMeaningfulChange }
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

    // MARK: - The letter

    /// The letter a person reads and copies into the practice system.
    public var text: String {
        var lines: [String] = []
        lines.append("To: " + (referral.referrer ?? "the referring clinician") + (person.gpPractice.map { ", \($0)" } ?? ""))
        var re = "Re: \(person.name)"
        if let n = person.nhsNumber { re += ", NHS \(n)" }
        if let dob = person.dateOfBirth { re += ", born \(dob)" }
        lines.append(re)
        lines.append("Social prescribing summary, \(writtenOn)")
        lines.append("")
        let reasons = referral.reasons.isEmpty ? "" : " for " + referral.reasons.joined(separator: ", ")
        lines.append("Referred on \(referral.date) by \(referral.sourceLabel)\(referral.referrer.map { " (\($0))" } ?? "")\(reasons).")
        if let first = contacts.first, let last = contacts.last {
            var seen = "Seen \(contacts.sessions) time\(contacts.sessions == 1 ? "" : "s")"
            seen += contacts.sessions > 1 ? " between \(first) and \(last)" : " on \(first)"
            if contacts.minutes > 0 { seen += " (\(contacts.minutes) minutes in all)" }
            lines.append(seen + ".")
        } else {
            lines.append("No sessions were recorded.")
        }
        if !goals.isEmpty {
            lines.append("")
            lines.append("What matters to them:")
            for g in goals {
                var line = "- \(g.text)"
                if let a = g.progressStart, let b = g.progressLatest {
                    line += a != b ? ": progress \(a) → \(b) of 10" : ": progress \(b) of 10"
                }
                if g.status != .active { line += " (\(g.status.label))" }
                lines.append(line)
            }
        }
        if !connections.isEmpty {
            lines.append("")
            lines.append("Support offered and taken up:")
            for c in connections {
                var line = "- \(c.service) (\(c.stageLabel)) since \(c.since)"
                if let o = c.organisation, o != c.service { line += ", run by \(o)" }
                if c.accompanied { line += ", accompanied to the first visit" }
                lines.append(line)
            }
        }
        if !outcomes.isEmpty {
            lines.append("")
            lines.append("Outcome measures (start → latest):")
            for o in outcomes { lines.append("- " + o.text) }
        }
        lines.append("")
        let label = status.label.prefix(1).uppercased() + status.label.dropFirst()
        lines.append(status.open ? "Still open (\(status.label)) since \(status.since)." : "\(label) on \(status.since)" + (status.reason.map { ": \($0)" } ?? "") + ".")
        if !codes.isEmpty {
            lines.append("")
            lines.append("SNOMED CT:")
            for c in codes { lines.append("- \(c.code) \(c.display), \(c.date)") }
        }
        lines.append("")
        lines.append(author.name + ", " + author.role.lowercased() + (author.team.map { ", \($0)" } ?? ""))
        return lines.joined(separator: "\n")
    }
}
