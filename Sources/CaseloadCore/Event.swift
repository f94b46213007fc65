import Foundation

/// One immutable fact in the journal. The envelope identifies and orders it across devices;
/// the body says what happened. Nothing in the app changes state except folding these.
public struct Event: Sendable, Hashable, Codable {
    /// Unique across devices; sync and merge deduplicate on it.
    public let id: UUID
    /// The journal (device) that first wrote it.
    public let device: UUID
    /// 1, 2, 3… per device with no gaps: sync asks for "everything after seq N of device D".
    public let seq: UInt64
    public let clock: HLC
    /// Worker id of the person who made the change.
    public let author: String
    public let body: EventBody

    public init(id: UUID, device: UUID, seq: UInt64, clock: HLC, author: String, body: EventBody) {
        self.id = id
        self.device = device
        self.seq = seq
        self.clock = clock
        self.author = author
        self.body = body
    }

    /// The total order events are folded in, identical on every device.
    public static func foldOrder(_ a: Event, _ b: Event) -> Bool {
        if a.clock != b.clock { return a.clock < b.clock }
        // Byte order of the ids is the order of their `uuidString`s, without making strings.
        if a.device != b.device { return StateSnapshot.uuidBytesLess(a.device, b.device) }
        return a.seq < b.seq
    }

    enum CodingKeys: String, CodingKey { case id, device, seq, clock, author, type, body }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        device = try c.decode(UUID.self, forKey: .device)
        seq = try c.decode(UInt64.self, forKey: .seq)
        clock = try c.decode(HLC.self, forKey: .clock)
        author = try c.decode(String.self, forKey: .author)
        let type = try c.decode(String.self, forKey: .type)
        body = try EventBody.decode(type: type, from: c.superDecoder(forKey: .body))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(device, forKey: .device)
        try c.encode(seq, forKey: .seq)
        try c.encode(clock, forKey: .clock)
        try c.encode(author, forKey: .author)
        try c.encode(body.type, forKey: .type)
        try body.encodePayload(to: c.superEncoder(forKey: .body))
    }
}

extension Event {
    /// Compact JSON with sorted keys: the bytes a journal record carries. Through
    /// `FastEventEncoder`: byte for byte what JSONEncoder writes (sorted keys, slashes kept), faster.
    public func encoded() throws -> Data { FastEventEncoder.encode(self) }

    /// Through `FastEventDecoder`: same result as JSONDecoder, more than ten times faster.
    public static func decode(_ data: Data) throws -> Event { try data.withUnsafeBytes { try decode(bytes: $0) } }

    public static func decode(bytes: UnsafeRawBufferPointer) throws -> Event { try FastEventDecoder.decode(bytes) }
}


/// What happened. Edits are events too, carrying only what changed.
public enum EventBody: Sendable, Hashable {
    case workerRegistered(WorkerRegistered)
    case patientReferred(PatientReferred)
    case patientUpdated(PatientUpdated)
    case patientStatusChanged(PatientStatusChanged)
    case consentRecorded(ConsentRecorded)
    case sessionRecorded(SessionRecorded)
    case sessionAmended(SessionAmended)
    case draftSaved(DraftSaved)
    case draftDiscarded(DraftDiscarded)
    case goalSet(GoalSet)
    case goalProgressed(GoalProgressed)
    case goalStatusChanged(GoalStatusChanged)
    case measureRecorded(MeasureRecorded)
    case serviceAdded(ServiceAdded)
    /// A new version of a whole directory entry (same fields as `service.added`), e.g. from a
    /// directory re-import. The service keeps its id, so connections still point at it.
    case serviceUpdated(ServiceAdded)
    /// The service is no longer listed in its directory. Nothing is deleted: connections keep
    /// their history, and a later listing brings it back.
    case serviceDelisted(ServiceDelisted)
    case connectionMade(ConnectionMade)
    case connectionStageChanged(ConnectionStageChanged)
    case followupScheduled(FollowupScheduled)
    case followupRescheduled(FollowupRescheduled)
    case followupCompleted(FollowupCompleted)
    case followupCancelled(FollowupCancelled)
    /// A compensating event: the named event no longer counts. Nothing is deleted.
    case changeUndone(ChangeUndone)
    /// This device exchanged events with a sync target: tells everyone when its data was last current.
    case deviceSynced(DeviceSynced)
    /// The risk register (see `Risks.swift`): a dated risk, its resolution, "no known risks".
    case riskRecorded(RiskRecorded)
    case riskResolved(RiskResolved)
    case noKnownRisks(NoKnownRisks)
    /// Two records that looked like the same person (see `Duplicates.swift`): merged into one,
    /// or marked as different people.
    case duplicateResolved(DuplicateResolved)
    /// Someone opened a person's record (`Audit.swift`): no content.
    case patientViewed(PatientViewed)
    /// A record kept but not used, and the restriction lifted (`Restriction.swift`).
    case patientRestricted(PatientRestricted)
    case patientUnrestricted(PatientUnrestricted)
    /// A type this version does not know (written by a newer version): kept, not folded.
    case unknown(type: String)

    public var type: String {
        switch self {
        case .workerRegistered: return "worker.registered"
        case .patientReferred: return "patient.referred"
        case .patientUpdated: return "patient.updated"
        case .patientStatusChanged: return "patient.statusChanged"
        case .consentRecorded: return "patient.consentRecorded"
        case .sessionRecorded: return "session.recorded"
        case .sessionAmended: return "session.amended"
        case .draftSaved: return "draft.saved"
        case .draftDiscarded: return "draft.discarded"
        case .goalSet: return "goal.set"
        case .goalProgressed: return "goal.progressed"
        case .goalStatusChanged: return "goal.statusChanged"
        case .measureRecorded: return "measure.recorded"
        case .serviceAdded: return "service.added"
        case .serviceUpdated: return "service.updated"
        case .serviceDelisted: return "service.delisted"
        case .connectionMade: return "connection.made"
        case .connectionStageChanged: return "connection.stageChanged"
        case .followupScheduled: return "followup.scheduled"
        case .followupRescheduled: return "followup.rescheduled"
        case .followupCompleted: return "followup.completed"
        case .followupCancelled: return "followup.cancelled"
        case .changeUndone: return "change.undone"
        case .deviceSynced: return "device.synced"
        case .riskRecorded: return "risk.recorded"
        case .riskResolved: return "risk.resolved"
        case .noKnownRisks: return "risk.noneKnown"
        case .duplicateResolved: return "patient.duplicateResolved"
        case .patientViewed: return "patient.viewed"
        case .patientRestricted: return "patient.restricted"
        case .patientUnrestricted: return "patient.unrestricted"
        case .unknown(let type): return type
        }
    }

    static func decode(type: String, from d: Decoder) throws -> EventBody {
        switch type {
        case "worker.registered": return .workerRegistered(try .init(from: d))
        case "patient.referred": return .patientReferred(try .init(from: d))
        case "patient.updated": return .patientUpdated(try .init(from: d))
        case "patient.statusChanged": return .patientStatusChanged(try .init(from: d))
        case "patient.consentRecorded": return .consentRecorded(try .init(from: d))
        case "session.recorded": return .sessionRecorded(try .init(from: d))
        case "session.amended": return .sessionAmended(try .init(from: d))
        case "draft.saved": return .draftSaved(try .init(from: d))
        case "draft.discarded": return .draftDiscarded(try .init(from: d))
        case "goal.set": return .goalSet(try .init(from: d))
        case "goal.progressed": return .goalProgressed(try .init(from: d))
        case "goal.statusChanged": return .goalStatusChanged(try .init(from: d))
        case "measure.recorded": return .measureRecorded(try .init(from: d))
        case "service.added": return .serviceAdded(try .init(from: d))
        case "service.updated": return .serviceUpdated(try .init(from: d))
        case "service.delisted": return .serviceDelisted(try .init(from: d))
        case "connection.made": return .connectionMade(try .init(from: d))
        case "connection.stageChanged": return .connectionStageChanged(try .init(from: d))
        case "followup.scheduled": return .followupScheduled(try .init(from: d))
        case "followup.rescheduled": return .followupRescheduled(try .init(from: d))
        case "followup.completed": return .followupCompleted(try .init(from: d))
        case "followup.cancelled": return .followupCancelled(try .init(from: d))
        case "change.undone": return .changeUndone(try .init(from: d))
        case "device.synced": return .deviceSynced(try .init(from: d))
        case "risk.recorded": return .riskRecorded(try .init(from: d))
        case "risk.resolved": return .riskResolved(try .init(from: d))
        case "risk.noneKnown": return .noKnownRisks(try .init(from: d))
        case "patient.duplicateResolved": return .duplicateResolved(try .init(from: d))
        case "patient.viewed": return .patientViewed(try .init(from: d))
        case "patient.restricted": return .patientRestricted(try .init(from: d))
        case "patient.unrestricted": return .patientUnrestricted(try .init(from: d))
        default: return .unknown(type: type)
        }
    }

    func encodePayload(to e: Encoder) throws {
        switch self {
        case .workerRegistered(let b): try b.encode(to: e)
        case .patientReferred(let b): try b.encode(to: e)
        case .patientUpdated(let b): try b.encode(to: e)
        case .patientStatusChanged(let b): try b.encode(to: e)
        case .consentRecorded(let b): try b.encode(to: e)
        case .sessionRecorded(let b): try b.encode(to: e)
        case .sessionAmended(let b): try b.encode(to: e)
        case .draftSaved(let b): try b.encode(to: e)
        case .draftDiscarded(let b): try b.encode(to: e)
        case .goalSet(let b): try b.encode(to: e)
        case .goalProgressed(let b): try b.encode(to: e)
        case .goalStatusChanged(let b): try b.encode(to: e)
        case .measureRecorded(let b): try b.encode(to: e)
        case .serviceAdded(let b): try b.encode(to: e)
        case .serviceUpdated(let b): try b.encode(to: e)
        case .serviceDelisted(let b): try b.encode(to: e)
        case .connectionMade(let b): try b.encode(to: e)
        case .connectionStageChanged(let b): try b.encode(to: e)
        case .followupScheduled(let b): try b.encode(to: e)
        case .followupRescheduled(let b): try b.encode(to: e)
        case .followupCompleted(let b): try b.encode(to: e)
        case .followupCancelled(let b): try b.encode(to: e)
        case .changeUndone(let b): try b.encode(to: e)
        case .deviceSynced(let b): try b.encode(to: e)
        case .riskRecorded(let b): try b.encode(to: e)
        case .riskResolved(let b): try b.encode(to: e)
        case .noKnownRisks(let b): try b.encode(to: e)
        case .duplicateResolved(let b): try b.encode(to: e)
        case .patientViewed(let b): try b.encode(to: e)
        case .patientRestricted(let b): try b.encode(to: e)
        case .patientUnrestricted(let b): try b.encode(to: e)
        case .unknown:
            _ = e.container(keyedBy: EmptyKeys.self)
        }
    }

    private enum EmptyKeys: CodingKey {}
}

// MARK: - Bodies

public struct WorkerRegistered: Codable, Sendable, Hashable {
    public var workerId: String
    public var name: String
    public var team: String?
    public var role: String?
    public init(workerId: String, name: String, team: String?, role: String? = nil) {
        self.workerId = workerId; self.name = name; self.team = team; self.role = role
    }
}

public struct Referral: Codable, Sendable, Hashable {
    public var date: Day
    public var source: ReferralSource
    public var referrer: String?
    public var reasons: [ReferralReason]
    public var text: String?
    public init(date: Day, source: ReferralSource, referrer: String? = nil, reasons: [ReferralReason], text: String? = nil) {
        self.date = date; self.source = source; self.referrer = referrer; self.reasons = reasons; self.text = text
    }
}

public struct PatientReferred: Codable, Sendable, Hashable {
    public var patientId: UUID
    public var name: String
    public var preferredName: String?
    public var dateOfBirth: Day?
    public var nhsNumber: NHSNumber?
    public var phone: String?
    public var address: String?
    public var gpPractice: String?
    public var worker: String?
    public var referral: Referral
    public init(patientId: UUID, name: String, preferredName: String? = nil, dateOfBirth: Day? = nil,
                nhsNumber: NHSNumber? = nil, phone: String? = nil, address: String? = nil,
                gpPractice: String? = nil, worker: String? = nil, referral: Referral) {
        self.patientId = patientId; self.name = name; self.preferredName = preferredName
        self.dateOfBirth = dateOfBirth; self.nhsNumber = nhsNumber; self.phone = phone
        self.address = address; self.gpPractice = gpPractice; self.worker = worker; self.referral = referral
    }
}

/// Only the fields present changed; per field, the last writer by clock wins.
public struct PatientUpdated: Codable, Sendable, Hashable {
    public var patientId: UUID
    public var name: String?
    public var preferredName: String?
    public var dateOfBirth: Day?
    public var nhsNumber: NHSNumber?
    public var phone: String?
    public var address: String?
    public var gpPractice: String?
    public var worker: String?
    public init(patientId: UUID, name: String? = nil, preferredName: String? = nil, dateOfBirth: Day? = nil,
                nhsNumber: NHSNumber? = nil, phone: String? = nil, address: String? = nil,
                gpPractice: String? = nil, worker: String? = nil) {
        self.patientId = patientId; self.name = name; self.preferredName = preferredName
        self.dateOfBirth = dateOfBirth; self.nhsNumber = nhsNumber; self.phone = phone
        self.address = address; self.gpPractice = gpPractice; self.worker = worker
    }
}

public struct PatientStatusChanged: Codable, Sendable, Hashable {
    public var patientId: UUID
    public var status: PatientStatus
    public var date: Day
    public var reason: String?
    public init(patientId: UUID, status: PatientStatus, date: Day, reason: String? = nil) {
        self.patientId = patientId; self.status = status; self.date = date; self.reason = reason
    }
}

public struct ConsentRecorded: Codable, Sendable, Hashable {
    public var patientId: UUID
    public var kind: ConsentKind
    public var given: Bool
    public var date: Day
    public init(patientId: UUID, kind: ConsentKind, given: Bool, date: Day) {
        self.patientId = patientId; self.kind = kind; self.given = given; self.date = date
    }
}

public struct SessionRecorded: Codable, Sendable, Hashable {
    public var sessionId: UUID
    public var patientId: UUID
    public var date: Day
    public var kind: SessionKind
    public var minutes: Int?
    public var note: String
    /// The draft this session was written in, which it now replaces.
    public var draftId: UUID?
    /// Brought in by `import caseload`: who wrote it in the exported caseload. The event itself
    /// is the importing worker's (so their team server takes it); the session shows this author.
    public var importedAuthor: String?
    /// Whether the contact happened. Absent (sessions written before outcomes were kept, and
    /// every attended one since): attended.
    public var outcome: ContactOutcome?
    public init(sessionId: UUID, patientId: UUID, date: Day, kind: SessionKind, minutes: Int?, note: String, draftId: UUID? = nil,
                importedAuthor: String? = nil, outcome: ContactOutcome? = nil) {
        self.sessionId = sessionId; self.patientId = patientId; self.date = date; self.kind = kind
        self.minutes = minutes; self.note = note; self.draftId = draftId; self.importedAuthor = importedAuthor
        self.outcome = outcome
    }
}

/// A new version of a session's note. The earlier versions stay in its history.
public struct SessionAmended: Codable, Sendable, Hashable {
    public var sessionId: UUID
    public var note: String
    /// The event id of the version this amendment was written against: two amendments of the
    /// same version (on two devices) are a conflict, and both are kept and shown.
    public var basedOn: UUID
    public var draftId: UUID?
    public init(sessionId: UUID, note: String, basedOn: UUID, draftId: UUID? = nil) {
        self.sessionId = sessionId; self.note = note; self.basedOn = basedOn; self.draftId = draftId
    }
}

/// The note editor's autosave: a dead battery loses seconds of typing, not the note.
public struct DraftSaved: Codable, Sendable, Hashable {
    public var draftId: UUID
    public var patientId: UUID
    /// Set when the draft amends an existing session.
    public var sessionId: UUID?
    public var date: Day
    public var kind: SessionKind
    public var minutes: Int?
    public var text: String
    /// The outcome chosen so far; absent: attended (as drafts written before outcomes were kept).
    public var outcome: ContactOutcome?
    public init(draftId: UUID, patientId: UUID, sessionId: UUID? = nil, date: Day, kind: SessionKind, minutes: Int?, text: String,
                outcome: ContactOutcome? = nil) {
        self.draftId = draftId; self.patientId = patientId; self.sessionId = sessionId
        self.date = date; self.kind = kind; self.minutes = minutes; self.text = text; self.outcome = outcome
    }
}

public struct DraftDiscarded: Codable, Sendable, Hashable {
    public var draftId: UUID
    public init(draftId: UUID) { self.draftId = draftId }
}

public struct GoalSet: Codable, Sendable, Hashable {
    public var goalId: UUID
    public var patientId: UUID
    public var text: String
    public var date: Day
    public var progress: Int?
    public init(goalId: UUID, patientId: UUID, text: String, date: Day, progress: Int? = nil) {
        self.goalId = goalId; self.patientId = patientId; self.text = text; self.date = date; self.progress = progress
    }
}

public struct GoalProgressed: Codable, Sendable, Hashable {
    public var goalId: UUID
    public var score: Int
    public var date: Day
    public init(goalId: UUID, score: Int, date: Day) { self.goalId = goalId; self.score = score; self.date = date }
}

public struct GoalStatusChanged: Codable, Sendable, Hashable {
    public var goalId: UUID
    public var status: GoalStatus
    public var date: Day
    public init(goalId: UUID, status: GoalStatus, date: Day) { self.goalId = goalId; self.status = status; self.date = date }
}

public struct MeasureRecorded: Codable, Sendable, Hashable {
    public var measureId: UUID
    public var patientId: UUID
    public var instrument: Instrument
    public var answers: [Int]
    public var date: Day
    public init(measureId: UUID, patientId: UUID, instrument: Instrument, answers: [Int], date: Day) {
        self.measureId = measureId; self.patientId = patientId; self.instrument = instrument
        self.answers = answers; self.date = date
    }
}

public struct ServiceAdded: Codable, Sendable, Hashable {
    public var serviceId: UUID
    public var name: String
    public var organisation: String?
    public var category: String?
    public var contact: String?
    public var address: String?
    public var times: String?
    /// The service's id in the directory it was imported from (e.g. an Open Referral UK id).
    public var externalId: String?
    /// Which directory it came from; a re-import only delists services of its own source.
    public var source: String?
    /// The directory's own `last_modified` stamp, kept as written.
    public var lastModified: String?
    /// `ServiceDetails`, flat in the event (absent in journals written before they were kept).
    public var description: String?
    public var eligibility: String?
    public var ageRange: String?
    public var cost: String?
    public var languages: String?
    public var accessibility: String?
    public var areas: String?
    public var postcodes: String?
    public init(serviceId: UUID, name: String, organisation: String? = nil, category: String? = nil,
                contact: String? = nil, address: String? = nil, times: String? = nil,
                externalId: String? = nil, source: String? = nil, lastModified: String? = nil, details: ServiceDetails = ServiceDetails()) {
        self.serviceId = serviceId; self.name = name; self.organisation = organisation; self.category = category
        self.contact = contact; self.address = address; self.times = times
        self.externalId = externalId; self.source = source; self.lastModified = lastModified
        self.details = details
    }

    public var details: ServiceDetails {
        get { ServiceDetails(description: description, eligibility: eligibility, ageRange: ageRange, cost: cost, languages: languages, accessibility: accessibility, areas: areas, postcodes: postcodes) }
        set { description = newValue.description; eligibility = newValue.eligibility; ageRange = newValue.ageRange; cost = newValue.cost; languages = newValue.languages; accessibility = newValue.accessibility; areas = newValue.areas; postcodes = newValue.postcodes }
    }
}

public struct ServiceDelisted: Codable, Sendable, Hashable {
    public var serviceId: UUID
    public var date: Day
    public var reason: String?
    public init(serviceId: UUID, date: Day, reason: String? = nil) { self.serviceId = serviceId; self.date = date; self.reason = reason }
}

public struct ConnectionMade: Codable, Sendable, Hashable {
    public var connectionId: UUID
    public var patientId: UUID
    public var serviceId: UUID
    public var stage: ConnectionStage
    public var accompanied: Bool
    public var date: Day
    /// Absent in journals written before it was recorded: the first stage implies it.
    public var route: ConnectionRoute?
    public init(connectionId: UUID, patientId: UUID, serviceId: UUID, stage: ConnectionStage, accompanied: Bool, date: Day, route: ConnectionRoute? = nil) {
        self.connectionId = connectionId; self.patientId = patientId; self.serviceId = serviceId
        self.stage = stage; self.accompanied = accompanied; self.date = date; self.route = route
    }
}

public struct ConnectionStageChanged: Codable, Sendable, Hashable {
    public var connectionId: UUID
    public var stage: ConnectionStage
    public var date: Day
    public var reason: String?
    public init(connectionId: UUID, stage: ConnectionStage, date: Day, reason: String? = nil) {
        self.connectionId = connectionId; self.stage = stage; self.date = date; self.reason = reason
    }
}

public struct FollowupScheduled: Codable, Sendable, Hashable {
    public var followupId: UUID
    public var patientId: UUID
    public var due: Day
    public var reason: String?
    public var worker: String?
    public init(followupId: UUID, patientId: UUID, due: Day, reason: String?, worker: String?) {
        self.followupId = followupId; self.patientId = patientId; self.due = due; self.reason = reason; self.worker = worker
    }
}

public struct FollowupRescheduled: Codable, Sendable, Hashable {
    public var followupId: UUID
    public var due: Day
    public var reason: String?
    public var date: Day
    /// Written by someone who saw the follow-up's conflict (done on one device, rescheduled on
    /// another) and moved it anyway: it stays open, and the conflict is settled.
    public var resolvesConflict: Bool?
    public init(followupId: UUID, due: Day, reason: String?, date: Day, resolvesConflict: Bool? = nil) {
        self.followupId = followupId; self.due = due; self.reason = reason; self.date = date
        self.resolvesConflict = resolvesConflict
    }
}

public struct FollowupCompleted: Codable, Sendable, Hashable {
    public var followupId: UUID
    public var date: Day
    /// How many reschedules of the follow-up the writer's device knew of. More in the fold means
    /// it was rescheduled on another device meanwhile: a conflict, shown as for a reschedule of
    /// a closed follow-up. nil (older events): none assumed missed.
    public var reschedulesSeen: Int?
    public init(followupId: UUID, date: Day, reschedulesSeen: Int? = nil) {
        self.followupId = followupId; self.date = date; self.reschedulesSeen = reschedulesSeen
    }
}

public struct FollowupCancelled: Codable, Sendable, Hashable {
    public var followupId: UUID
    public var date: Day
    public var reason: String?
    /// As for `FollowupCompleted`.
    public var reschedulesSeen: Int?
    public init(followupId: UUID, date: Day, reason: String?, reschedulesSeen: Int? = nil) {
        self.followupId = followupId; self.date = date; self.reason = reason; self.reschedulesSeen = reschedulesSeen
    }
}

public struct ChangeUndone: Codable, Sendable, Hashable {
    public var eventId: UUID
    public init(eventId: UUID) { self.eventId = eventId }
}

public struct DeviceSynced: Codable, Sendable, Hashable {
    /// The kind of place synced with: "folder" or "postgres" (never a path or a URL: they can name people).
    public var target: String
    public init(target: String) { self.target = target }
}
