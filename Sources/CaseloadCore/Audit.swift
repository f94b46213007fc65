import Foundation

/// Where a person's record was opened: what `caseload audit` says after "viewed".
public enum ViewSurface: String, Sendable, CaseIterable {
    /// The person's screen in the app.
    case app
    /// `caseload patient show`.
    case show
    /// `caseload export --patient` (a subject access request).
    case export
    /// `caseload gp-summary`.
    case gpSummary = "gp-summary"

    public var label: String {
        switch self {
        case .app: return "app"
        case .show: return "patient show"
        case .export: return "export"
        case .gpSummary: return "gp-summary"
        }
    }
}

extension Rules {
    /// Opening a person's record: one `patient.viewed` naming the person and how, nothing of
    /// what was shown. Who and when are the event's author and clock. A restricted record may
    /// still be opened (and that is recorded).
    public static func recordView(patientId: UUID, how: ViewSurface, state: CaseloadState, context: RuleContext) -> [EventBody] {
        guard state.patients[patientId] != nil else { return [] }
        return [.patientViewed(PatientViewed(patientId: patientId, how: how.rawValue, date: context.asOf))]
    }

    /// The app records one view per person per this many seconds: moving between panes, going
    /// back to the list and in again, or opening the same person from the queue a minute later
    /// is one look at the record, not many.
    public static let appViewWindowSeconds: Double = 300
}

/// Who opened or changed which record, from the events themselves (`caseload audit`).
public enum Audit {
    public struct Entry: Sendable, Hashable {
        public var eventId: UUID
        public var clock: HLC
        /// "2026-12-02 10:14 UTC", from the event's clock.
        public var when: String
        public var worker: String
        public var patientId: UUID
        /// "viewed (app)", "session added", ...: never note text, names or reasons.
        public var what: String
        public var type: String
        public var isView: Bool
    }

    /// Who may see what: a supervisor the team's (every worker of her team, and every person
    /// whose worker is in it; with no team, everyone's), a worker her own actions and
    /// everything about the people assigned to her.
    public struct Viewer: Sendable, Hashable {
        public var workerId: String
        public var isSupervisor: Bool
        public var team: String?
        public init(workerId: String, state: CaseloadState) {
            self.workerId = workerId
            let w = state.workers[workerId]
            isSupervisor = w?.role == "supervisor"
            team = w?.team
        }

        func sees(author: String, patient: Patient?, state: CaseloadState) -> Bool {
            if author == workerId || patient?.worker == workerId { return true }
            guard isSupervisor else { return false }
            guard let team else { return true }
            return state.workers[author]?.team == team || patient?.worker.flatMap { state.workers[$0]?.team } == team
        }
    }

    /// Every view and change about a person that `viewer` may see, oldest first; only those
    /// about `patientId` and by `worker` when given. `events` may be every event of every journal.
    public static func entries(in events: [Event], state: CaseloadState, viewer: Viewer,
                               patientId: UUID? = nil, worker: String? = nil) -> [Entry] {
        let sorted = events.sorted(by: Event.foldOrder)
        // The person each record belongs to, by the id later events name it with.
        var owner: [UUID: UUID] = [:]
        for e in sorted {
            switch e.body {
            case .sessionRecorded(let b): owner[b.sessionId] = b.patientId
            case .draftSaved(let b): owner[b.draftId] = b.patientId
            case .goalSet(let b): owner[b.goalId] = b.patientId
            case .measureRecorded(let b): owner[b.measureId] = b.patientId
            case .connectionMade(let b): owner[b.connectionId] = b.patientId
            case .followupScheduled(let b): owner[b.followupId] = b.patientId
            case .riskRecorded(let b): owner[b.riskId] = b.patientId
            default: break
            }
        }
        var about: [UUID: UUID] = [:]
        var out: [Entry] = []
        for e in sorted {
            guard let (pid, what) = describe(e.body, owner: owner, about: about) else { continue }
            let person = state.canonical(pid)
            about[e.id] = person
            if let patientId, person != patientId { continue }
            if let worker, e.author != worker { continue }
            guard viewer.sees(author: e.author, patient: state.patients[person], state: state) else { continue }
            var isView = false
            if case .patientViewed = e.body { isView = true }
            out.append(Entry(eventId: e.id, clock: e.clock, when: SubjectAccess.timestamp(e.clock), worker: e.author,
                             patientId: person, what: what, type: e.body.type, isView: isView))
        }
        return out
    }

    /// The person an event is about and what it did, in words that carry no content.
    static func describe(_ body: EventBody, owner: [UUID: UUID], about: [UUID: UUID]) -> (UUID, String)? {
        switch body {
        case .patientViewed(let b):
            return (b.patientId, "viewed (\(ViewSurface(rawValue: b.how)?.label ?? b.how))")
        case .patientReferred(let b): return (b.patientId, "referred")
        case .patientUpdated(let b): return (b.patientId, "details changed")
        case .patientStatusChanged(let b): return (b.patientId, "status changed to \(b.status.label)")
        case .consentRecorded(let b): return (b.patientId, "consent recorded (\(b.kind.label))")
        case .sessionRecorded(let b): return (b.patientId, "session added")
        case .sessionAmended(let b): return owner[b.sessionId].map { ($0, "session note amended") }
        case .draftSaved(let b): return (b.patientId, "draft note saved")
        case .draftDiscarded(let b): return owner[b.draftId].map { ($0, "draft note discarded") }
        case .goalSet(let b): return (b.patientId, "goal set")
        case .goalProgressed(let b): return owner[b.goalId].map { ($0, "goal progress recorded") }
        case .goalStatusChanged(let b): return owner[b.goalId].map { ($0, "goal status changed") }
        case .measureRecorded(let b): return (b.patientId, "\(b.instrument.label) recorded")
        case .connectionMade(let b): return (b.patientId, "connection made")
        case .connectionStageChanged(let b): return owner[b.connectionId].map { ($0, "connection stage changed") }
        case .followupScheduled(let b): return (b.patientId, "follow-up scheduled")
        case .followupRescheduled(let b): return owner[b.followupId].map { ($0, "follow-up rescheduled") }
        case .followupCompleted(let b): return owner[b.followupId].map { ($0, "follow-up done") }
        case .followupCancelled(let b): return owner[b.followupId].map { ($0, "follow-up cancelled") }
        case .riskRecorded(let b): return (b.patientId, "risk recorded")
        case .riskResolved(let b): return owner[b.riskId].map { ($0, "risk resolved") }
        case .noKnownRisks(let b): return (b.patientId, "no known risks recorded")
        case .duplicateResolved(let b): return (b.patientId, b.merged ? "duplicate record merged in" : "marked as a different person")
        case .patientRestricted(let b): return (b.patientId, "restricted")
        case .patientUnrestricted(let b): return (b.patientId, "unrestricted")
        case .patientErased(let b): return (b.patientId, "erased")
        case .changeUndone(let b): return about[b.eventId].map { ($0, "a change undone") }
        case .workerRegistered, .serviceAdded, .serviceUpdated, .serviceDelisted, .deviceSynced, .unknown: return nil
        }
    }
}
