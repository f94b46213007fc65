import Foundation

public struct Worker: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var team: String?
    public var role: String?
}

public struct StatusChange: Sendable, Hashable, Codable {
    public var status: PatientStatus
    public var date: Day
    public var reason: String?
}

public struct Consent: Sendable, Hashable, Codable {
    public var given: Bool
    public var date: Day
}

public struct Patient: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var name: String
    public var preferredName: String?
    public var dateOfBirth: Day?
    public var nhsNumber: NHSNumber?
    public var phone: String?
    public var address: String?
    public var gpPractice: String?
    /// Worker id of the assigned link worker.
    public var worker: String?
    public var referral: Referral
    public var status: PatientStatus
    public var statusHistory: [StatusChange]
    public var consent: [ConsentKind: Consent]
    public var sessionIDs: [UUID] = []
    public var goalIDs: [UUID] = []
    public var measureIDs: [UUID] = []
    public var connectionIDs: [UUID] = []
    public var followupIDs: [UUID] = []
    /// The most recent attended contact's date: what "last contact" means on screen (a missed
    /// one is not a contact had).
    public var lastContact: Day?
    /// Episodes of care before the current one, oldest first: a person referred again after
    /// their case ended keeps each earlier referral and how it ended (see `Episodes.swift`).
    public var earlierEpisodes: [EarlierEpisode] = []
    /// Duplicate records of this person merged into this one (`Duplicates.swift`).
    public var mergedRecords: [MergedRecord] = []
    /// Kept but not used (`Restriction.swift`): off every working list, changed by nothing.
    public var restriction: Restriction?

    public var displayName: String {
        if let p = preferredName, !p.isEmpty, p != name { return "\(name) (\(p))" }
        return name
    }
}

/// An episode of care that a later referral closed: its referral, and how many of the
/// person's status changes belong to it and the episodes before it.
public struct EarlierEpisode: Sendable, Hashable {
    public var referral: Referral
    public var statusChangesUpTo: Int
    public init(referral: Referral, statusChangesUpTo: Int) { self.referral = referral; self.statusChangesUpTo = statusChangesUpTo }
}

/// One version of a session note. Amendments add versions; none is ever removed.
public struct NoteVersion: Sendable, Hashable {
    /// The event that wrote this version: what a later amendment names as `basedOn`.
    public var eventId: UUID
    public var text: String
    public var author: String
    public var clock: HLC
    public var basedOn: UUID?
}

public struct Session: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var patientId: UUID
    public var date: Day
    public var kind: SessionKind
    public var minutes: Int?
    public var author: String
    public var versions: [NoteVersion]
    /// Attended unless recorded otherwise (sessions before outcomes were kept were all attended).
    public var outcome: ContactOutcome = .attended

    /// The current text: the latest version in fold order.
    public var note: String { versions.last?.text ?? "" }

    /// Versions amended from the same parent by different writers: both are kept, and the
    /// screen shows them so a person can reconcile. Empty when there is no conflict.
    public var conflictingVersions: [NoteVersion] {
        var children: [UUID: [NoteVersion]] = [:]
        for v in versions { if let p = v.basedOn { children[p, default: []].append(v) } }
        return children.values.filter { $0.count > 1 }.flatMap { $0 }.sorted { $0.clock < $1.clock }
    }

    /// "2 versions written at the same time on different devices", or nil.
    public var conflictNote: String? {
        let n = conflictingVersions.count
        return n > 1 ? "\(n) versions written at the same time on different devices" : nil
    }
}

public struct Draft: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var patientId: UUID
    public var sessionId: UUID?
    public var date: Day
    public var kind: SessionKind
    public var minutes: Int?
    public var text: String
    public var author: String
    public var savedAt: HLC
    public var outcome: ContactOutcome = .attended
}

public struct ProgressPoint: Sendable, Hashable, Codable {
    public var date: Day
    public var score: Int
}

public struct Goal: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var patientId: UUID
    public var text: String
    public var created: Day
    public var status: GoalStatus
    public var progress: [ProgressPoint]
    public var latestProgress: Int? { progress.last?.score }
}

public struct Measure: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var patientId: UUID
    public var instrument: Instrument
    public var answers: [Int]
    public var date: Day
    public var score: MeasureScore? { instrument.score(answers) }
}

public struct Service: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var name: String
    public var organisation: String?
    public var category: String?
    public var contact: String?
    public var address: String?
    public var times: String?
    public var externalId: String?
    public var source: String?
    public var lastModified: String?
    /// Set when the directory stopped listing it; cleared if it is listed again.
    public var delistedOn: Day?
    public var details = ServiceDetails()
    public var isListed: Bool { delistedOn == nil }
}

extension Service {
    /// Every field with a value, labelled, in the order `caseload service show` prints them.
    public var labelled: [(label: String, value: String)] {
        var out: [(String, String?)] = [("Service", name + (isListed ? "" : " (no longer listed since \(delistedOn!))")),
                                        ("Organisation", organisation), ("Category", category)]
        out += details.labelled.filter { $0.label == "About" }.map { ($0.label, $0.value) }
        out += [("When", times), ("Where", address)]
        out += details.labelled.filter { $0.label != "About" }.map { ($0.label, $0.value) }
        out += [("Contact", contact), ("Directory", source.map { s in s + (externalId.map { " (\($0))" } ?? "") }),
                ("Last modified", lastModified)]
        return out.compactMap { l, v in v.flatMap { $0.isEmpty ? nil : (l, $0) } }
    }

    /// Search by name, category, place, postcode, days or any detail (folded: accents and case ignored).
    public func matches(folded needle: String) -> Bool {
        labelled.contains { SearchText.fold($0.value).contains(needle) }
    }
}

public struct StageChange: Sendable, Hashable, Codable {
    public var stage: ConnectionStage
    public var date: Day
    public var reason: String?
}

public struct Connection: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var patientId: UUID
    public var serviceId: UUID
    public var stage: ConnectionStage
    public var accompanied: Bool
    public var history: [StageChange]
    public var isOpen: Bool { ![.completed, .droppedOut].contains(stage) }
    /// Signposted or referred (implied from the first stage for connections made before it was recorded).
    public var route: ConnectionRoute

    public init(id: UUID, patientId: UUID, serviceId: UUID, stage: ConnectionStage, accompanied: Bool, history: [StageChange], route: ConnectionRoute) {
        self.id = id; self.patientId = patientId; self.serviceId = serviceId; self.stage = stage
        self.accompanied = accompanied; self.history = history; self.route = route
    }
}

public struct FollowupChange: Sendable, Hashable, Codable {
    public var date: Day
    public var from: Day
    public var to: Day
    public var reason: String?
}

public struct Followup: Sendable, Hashable, Identifiable {
    public var id: UUID
    public var patientId: UUID
    public var due: Day
    public var reason: String?
    public var worker: String?
    public var status: FollowupStatus
    public var reschedules: [FollowupChange]
    public var closedOn: Day?
    public var closeReason: String?
    /// Set when devices disagreed: closed on one, rescheduled on another after it. The
    /// follow-up stays open (nothing silently vanishes) and the note says what happened.
    public var conflict: String?

    public func isOverdue(asOf: Day) -> Bool { status == .open && due < asOf }
}

/// When a worker was last heard from: the clock of their newest event (a sync records one, so
/// this is at least their last sync) and of their last `device.synced`.
public struct WorkerActivity: Sendable, Hashable {
    public var lastEvent: HLC = .zero
    public var lastSync: HLC?
    public var lastSyncTarget: String?

    public init() {}

    mutating func record(_ e: Event) {
        if e.clock > lastEvent { lastEvent = e.clock }
        if case .deviceSynced(let s) = e.body, lastSync.map({ $0 < e.clock }) ?? true {
            lastSync = e.clock
            lastSyncTarget = s.target
        }
    }
}
