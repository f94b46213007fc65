import CaseloadCommandLine
import CaseloadCore
import Foundation

/// The shapes `--json` prints. Field names are camelCase and stable: scripts depend on them.
struct PatientSummaryJSON: Encodable {
    var id: String
    var name: String
    var preferredName: String?
    var nhsNumber: String?
    var status: PatientStatus
    var worker: String?
    var referralDate: Day
    var source: ReferralSource
    var reasons: [ReferralReason]
    var lastContact: Day?
    var nextFollowup: Day?
    var daysOverdue: Int?
    /// Why the person is flagged for review (a run of missed contacts), when they are.
    var review: String?

    init(_ p: Patient, state: CaseloadState, asOf: Day, reviewAfter: Int = Caseload.reviewAfterMissed) {
        id = p.id.lowercasedString; name = p.name; preferredName = p.preferredName
        nhsNumber = p.nhsNumber?.digits; status = p.status; worker = p.worker
        review = state.reviewReason(of: p.id, after: reviewAfter)
        referralDate = p.referral.date; source = p.referral.source; reasons = p.referral.reasons
        lastContact = p.lastContact
        let next = state.nextFollowup(of: p.id)
        nextFollowup = next?.due
        daysOverdue = next.flatMap { $0.due < asOf ? asOf.days(since: $0.due) : nil }
    }
}

/// `patient consent --json`: consent has no id of its own, so the event that recorded it is named.
struct ConsentJSON: Encodable {
    var patientId: String
    var kind: ConsentKind
    var given: Bool
    var date: Day
    var eventId: String
    init(patientId: UUID, kind: ConsentKind, given: Bool, date: Day, eventId: UUID) {
        self.patientId = patientId.lowercasedString; self.kind = kind; self.given = given; self.date = date
        self.eventId = eventId.lowercasedString
    }
}

struct MeasureJSON: Encodable {
    var id: String
    var instrument: Instrument
    var date: Day
    var answers: [Int]
    var raw: Int?
    var metric: Double?
    var total: Int?
    var items: [String: Int]?
    var bands: [String: String]?

    init(_ m: Measure) {
        id = m.id.lowercasedString; instrument = m.instrument; date = m.date; answers = m.answers
        switch m.score {
        case let .swemwbs(r, met)?: raw = r; metric = met
        case let .ucla3(t)?: total = t
        case let .ons4(ls, w, h, a)?:
            items = ["lifeSatisfaction": ls, "worthwhile": w, "happiness": h, "anxiety": a]
            bands = ["lifeSatisfaction": Ons4Band.positive(ls).rawValue, "worthwhile": Ons4Band.positive(w).rawValue,
                     "happiness": Ons4Band.positive(h).rawValue, "anxiety": Ons4Band.anxiety(a).rawValue]
        case nil: break
        }
    }
}

struct MeasureSummaryJSON: Encodable {
    var instrument: Instrument
    var baseline: MeasureJSON
    var latest: MeasureJSON
    var count: Int
    var change: Double?
    var improved: Bool?
    var meaningful: Bool?
    /// Baseline to latest on each measure (each ONS4 item on its own), read by `MeasureChange`.
    var changes: [ChangeJSON]

    struct ChangeJSON: Encodable {
        var measure: ReportMeasure
        var baseline: Double
        var latest: Double
        var change: Double
        var verdict: MeasureChange.Verdict
        var words: String
    }

    init(_ s: MeasureSummary) {
        instrument = s.instrument; baseline = MeasureJSON(s.baseline); latest = MeasureJSON(s.latest); count = s.count
        let readings = s.changes()
        changes = readings.map { ChangeJSON(measure: $0.measure, baseline: $0.baseline, latest: $0.latest, change: $0.change, verdict: $0.verdict, words: $0.verdict.words) }
        // The headline number's change (SWEMWBS metric, UCLA-3 total), as before.
        if let headline = readings.first, readings.count == 1 {
            change = headline.change
            improved = headline.towardsBetter == 0 ? nil : headline.towardsBetter > 0
            meaningful = headline.verdict != .noMeaningfulChange
        }
    }
}

struct SessionJSON: Encodable {
    struct Version: Encodable { var text: String; var author: String; var eventId: String }
    var id: String
    var date: Day
    var kind: SessionKind
    /// The contact's method: the same value as `kind`, under the PRSB standard's name.
    var method: SessionKind
    var outcome: ContactOutcome
    var minutes: Int?
    var author: String
    var note: String
    var versions: [Version]
    var conflict: Bool
    /// What the conflict is, in words, when there is one.
    var conflictNote: String?

    init(_ s: Session) {
        id = s.id.lowercasedString; date = s.date; kind = s.kind; minutes = s.minutes; author = s.author; note = s.note
        method = s.kind; outcome = s.outcome
        versions = s.versions.map { Version(text: $0.text, author: $0.author, eventId: $0.eventId.lowercasedString) }
        conflict = !s.conflictingVersions.isEmpty
        conflictNote = s.conflictNote
    }
}

struct GoalJSON: Encodable {
    var id: String
    var patientId: String
    var text: String
    var status: GoalStatus
    var created: Day
    var progress: [ProgressPoint]
    init(_ g: Goal) {
        id = g.id.lowercasedString; patientId = g.patientId.lowercasedString; text = g.text
        status = g.status; created = g.created; progress = g.progress
    }
}

struct ConnectionJSON: Encodable {
    var id: String
    var patientId: String
    var serviceId: String
    var service: String?
    var stage: ConnectionStage
    var route: ConnectionRoute
    var accompanied: Bool
    var history: [StageChange]
    init(_ c: Connection, state: CaseloadState) {
        id = c.id.lowercasedString; patientId = c.patientId.lowercasedString
        serviceId = c.serviceId.lowercasedString; service = state.services[c.serviceId]?.name
        stage = c.stage; route = c.route; accompanied = c.accompanied; history = c.history
    }
}

struct FollowupJSON: Encodable {
    var id: String
    var patientId: String
    var patientName: String?
    var due: Day
    var reason: String?
    var worker: String?
    var status: FollowupStatus
    var reschedules: [FollowupChange]
    var closedOn: Day?
    var conflict: String?
    var daysOverdue: Int?
    init(_ f: Followup, state: CaseloadState, asOf: Day) {
        id = f.id.lowercasedString; patientId = f.patientId.lowercasedString
        patientName = state.patients[f.patientId]?.name; due = f.due; reason = f.reason; worker = f.worker
        status = f.status; reschedules = f.reschedules; closedOn = f.closedOn; conflict = f.conflict
        daysOverdue = f.isOverdue(asOf: asOf) ? asOf.days(since: f.due) : nil
    }
}

struct ServiceJSON: Encodable {
    var id: String
    var name: String
    var organisation: String?
    var category: String?
    var contact: String?
    var address: String?
    var times: String?
    var externalId: String?
    var source: String?
    var lastModified: String?
    var listed: Bool
    var delistedOn: Day?
    var details: ServiceDetails
    init(_ s: Service) {
        details = s.details
        id = s.id.lowercasedString; name = s.name; organisation = s.organisation; category = s.category
        contact = s.contact; address = s.address; times = s.times
        externalId = s.externalId; source = s.source; lastModified = s.lastModified; listed = s.isListed; delistedOn = s.delistedOn
    }
}

struct PatientDetailJSON: Encodable {
    var id: String
    var name: String
    var preferredName: String?
    var dateOfBirth: Day?
    var age: Int?
    var nhsNumber: String?
    var phone: String?
    var address: String?
    var gpPractice: String?
    var worker: String?
    var status: PatientStatus
    var statusHistory: [StatusChange]
    var referral: Referral
    var consent: [String: Consent]
    var sessions: [SessionJSON]
    var goals: [GoalJSON]
    var measures: [MeasureJSON]
    var measureSummaries: [MeasureSummaryJSON]
    var connections: [ConnectionJSON]
    var followups: [FollowupJSON]
    var lastContact: Day?
    var missedInARow: Int
    /// Why the person is flagged for review, when they are.
    var review: String?
    /// The risk register: every risk (open and resolved), and when "no known risks" was last recorded.
    var risks: [RiskJSON]
    var noKnownRisks: Day?
    /// Every episode of care, oldest first; the last is the current one (`referral`, `status`).
    var episodes: [EpisodeJSON]
    /// Duplicate records merged into this one, and records that may still be the same person.
    var mergedRecords: [MergedJSON]
    var likelyDuplicates: [String]
    /// Kept but not used (`patient restrict`); absent when the record is in use.
    var restricted: RestrictedJSON?

    struct RestrictedJSON: Encodable {
        var since: Day
        var reason: String
        var by: String
    }

    struct MergedJSON: Encodable {
        var id: String
        var name: String
        var referral: Referral
        var status: PatientStatus
        var mergedOn: Day
    }

    struct EpisodeJSON: Encodable {
        var number: Int
        var referral: Referral
        var status: PatientStatus
        /// The next referral's date; absent for the current episode.
        var until: Day?
    }

    /// `duplicates`: the caseload's likely duplicates, found once when many people are written.
    init(_ p: Patient, state: CaseloadState, asOf: Day, reviewAfter: Int = Caseload.reviewAfterMissed, duplicates: [LikelyDuplicate]? = nil) {
        episodes = p.episodes.map { EpisodeJSON(number: $0.number, referral: $0.referral, status: $0.status, until: $0.until) }
        restricted = p.restriction.map { RestrictedJSON(since: $0.since, reason: $0.reason, by: $0.by) }
        mergedRecords = p.mergedRecords.map { MergedJSON(id: $0.id.lowercasedString, name: $0.name, referral: $0.referral, status: $0.status, mergedOn: $0.mergedOn) }
        likelyDuplicates = (duplicates ?? state.likelyDuplicates(of: p.id)).filter { $0.keep == p.id || $0.other == p.id }.map { ($0.keep == p.id ? $0.other : $0.keep).lowercasedString }
        missedInARow = state.missedInARow(of: p.id)
        risks = state.risks(of: p.id).map(RiskJSON.init)
        noKnownRisks = state.noKnownRisks[p.id]
        review = state.reviewReason(of: p.id, after: reviewAfter)
        id = p.id.lowercasedString; name = p.name; preferredName = p.preferredName; dateOfBirth = p.dateOfBirth
        age = p.dateOfBirth?.age(on: asOf); nhsNumber = p.nhsNumber?.digits; phone = p.phone; address = p.address
        gpPractice = p.gpPractice; worker = p.worker; status = p.status; statusHistory = p.statusHistory
        referral = p.referral
        consent = Dictionary(uniqueKeysWithValues: p.consent.map { ($0.key.rawValue, $0.value) })
        sessions = state.sessions(of: p.id).map(SessionJSON.init)
        goals = state.goals(of: p.id).map(GoalJSON.init)
        measures = state.measures(of: p.id).map(MeasureJSON.init)
        measureSummaries = state.measureSummaries(of: p.id).map(MeasureSummaryJSON.init)
        connections = state.connections(of: p.id).map { ConnectionJSON($0, state: state) }
        followups = state.followups(of: p.id).map { FollowupJSON($0, state: state, asOf: asOf) }
        lastContact = p.lastContact
    }
}

struct OverdueJSON: Encodable {
    var followupId: String
    var patientId: String
    var patientName: String
    var worker: String
    var due: Day
    var daysOverdue: Int
    var reason: String?
    init(_ o: OverdueItem) {
        followupId = o.followupId.lowercasedString; patientId = o.patientId.lowercasedString
        patientName = o.patientName; worker = o.worker; due = o.due; daysOverdue = o.daysOverdue; reason = o.reason
    }
}

/// `overdue --team T --json` / `--by-worker`: the team view, one entry per worker.
struct TeamOverdueJSON: Encodable {
    var asOf: Day
    var team: String?
    var staleAfterDays: Int
    var workers: [WorkerOverdueJSON]
}

struct WorkerOverdueJSON: Encodable {
    var workerId: String
    var name: String
    var team: String?
    var caseloadSize: Int
    var overdueCount: Int
    /// When their newest event was written (ISO 8601, UTC); null when nothing arrived yet.
    var lastSyncedAt: String?
    /// The same as a local date.
    var lastSynced: Day?
    var thisDevice: Bool
    var stale: Bool
    var syncNote: String
    /// Events their devices hold that the team server refused (as it said at our last sync).
    var notOnServer: Int
    var overdue: [OverdueJSON]
    init(_ w: WorkerOverview) {
        workerId = w.worker; name = w.name; team = w.team; caseloadSize = w.caseloadSize; overdueCount = w.overdue.count
        notOnServer = w.notOnServer
        lastSyncedAt = w.lastHeard.map { ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double($0.wallMillis) / 1000)) }
        lastSynced = w.lastHeardDay; thisDevice = w.isThisDevice; stale = w.isStale; syncNote = w.syncLabel
        overdue = w.overdue.map(OverdueJSON.init)
    }
}
