import Foundation

/// Today's caseload: everything the journal says, folded. Built only by `apply`, so the
/// same events in the same fold order always give the same state.
public struct CaseloadState: Sendable, Equatable {
    public var workers: [String: Worker] = [:]
    public var patients: [UUID: Patient] = [:]
    public var sessions: [UUID: Session] = [:]
    public var drafts: [UUID: Draft] = [:]
    public var goals: [UUID: Goal] = [:]
    public var measures: [UUID: Measure] = [:]
    public var services: [UUID: Service] = [:]
    public var connections: [UUID: Connection] = [:]
    public var followups: [UUID: Followup] = [:]
    /// Highest seq folded per device: what sync compares.
    public var seqByDevice: [UUID: UInt64] = [:]
    /// The newest clock seen, so new local events sort after everything known.
    public var latestClock: HLC = .zero
    public var eventCount = 0
    /// Per worker (event author): their newest event and their device's last sync, so a
    /// supervisor can tell data that has not arrived yet from work not done.
    public var workerActivity: [String: WorkerActivity] = [:]
    /// Event ids that a `change.undone` cancelled.
    public var undone: Set<UUID> = []
    /// The risk register (`Risks.swift`): every recorded risk, and per person the day "no known
    /// risks" was last recorded.
    public var risks: [UUID: Risk] = [:]
    public var noKnownRisks: [UUID: Day] = [:]
    /// Records merged into another (`Duplicates.swift`): the id merged away to the id kept.
    public var mergedInto: [UUID: UUID] = [:]
    /// Records that looked alike and were marked as different people.
    public var distinctPairs: Set<PatientPair> = []

    public init() {}

    /// Folds events given in any order: sorts them into fold order first.
    public static func fold<S: Sequence>(_ events: S) -> CaseloadState where S.Element == Event {
        var state = CaseloadState()
        let sorted = events.sorted(by: Event.foldOrder)
        state.undone = Set(sorted.compactMap { if case .changeUndone(let u) = $0.body { return u.eventId } else { return nil } })
        for e in sorted { state.apply(e) }
        return state
    }

    /// Whether folding `event` next gives the same state as a full re-fold would. An undo of an
    /// event already folded, or an event from the past of the fold order, needs a re-fold.
    public func canApplyIncrementally(_ event: Event) -> Bool {
        if case .changeUndone = event.body { return false }
        return latestClock < event.clock || eventCount == 0
    }

    /// Folds one event. Events must arrive in fold order (see `fold`).
    public mutating func apply(_ event: Event) {
        var e = mergedInto.isEmpty ? event : Event(id: event.id, device: event.device, seq: event.seq, clock: event.clock,
                                                    author: event.author, body: event.body.redirectingMergedPatients(self))
        // About someone already erased (written on a device that had not heard yet): folded as
        // its redacted record, what every device reads of it once the person's key is gone.
        if e.body.hasPersonalFields, let p = patientChanged(by: e.body), patients[canonical(p)]?.erasure != nil {
            e = Event(id: e.id, device: e.device, seq: e.seq, clock: e.clock, author: e.author, body: e.body.redacted)
        }
        eventCount += 1
        if e.seq > seqByDevice[e.device, default: 0] { seqByDevice[e.device] = e.seq }
        latestClock = max(latestClock, e.clock)
        workerActivity[e.author, default: WorkerActivity()].record(e)
        if undone.contains(e.id) { return }

        switch e.body {
        case .workerRegistered(let b):
            // Only the worker themself or a supervisor may change a worker already known (a
            // colleague could otherwise move them to another team); anyone may name a worker not
            // yet known (an imported list), and the worker's own registration then wins.
            if workers[b.workerId] != nil, e.author != b.workerId, workers[e.author]?.role != "supervisor" { return }
            workers[b.workerId] = Worker(id: b.workerId, name: b.name, team: b.team, role: b.role)

        case .patientReferred(let b):
            // A second referral of a known person opens a new episode: the earlier one keeps its
            // referral and status changes, the person their details and history.
            if var p = patients[b.patientId] {
                p.earlierEpisodes.append(EarlierEpisode(referral: p.referral, statusChangesUpTo: p.statusHistory.count))
                p.referral = b.referral
                p.status = .referred
                p.statusHistory.append(StatusChange(status: .referred, date: b.referral.date, reason: nil))
                if let w = b.worker { p.worker = w }
                patients[b.patientId] = p
                return
            }
            patients[b.patientId] = Patient(
                id: b.patientId, name: b.name, preferredName: b.preferredName, dateOfBirth: b.dateOfBirth,
                nhsNumber: b.nhsNumber, phone: b.phone, address: b.address, gpPractice: b.gpPractice,
                worker: b.worker ?? e.author, referral: b.referral, status: .referred,
                statusHistory: [StatusChange(status: .referred, date: b.referral.date, reason: nil)],
                consent: [:])

        case .patientUpdated(let b):
            guard var p = patients[b.patientId] else { return }
            if let v = b.name { p.name = v }
            if let v = b.preferredName { p.preferredName = v.isEmpty ? nil : v }
            if let v = b.dateOfBirth { p.dateOfBirth = v }
            if let v = b.nhsNumber { p.nhsNumber = v }
            if let v = b.phone { p.phone = v.isEmpty ? nil : v }
            if let v = b.address { p.address = v.isEmpty ? nil : v }
            if let v = b.gpPractice { p.gpPractice = v.isEmpty ? nil : v }
            if let v = b.worker { p.worker = v }
            patients[b.patientId] = p

        case .patientStatusChanged(let b):
            guard var p = patients[b.patientId] else { return }
            p.status = b.status
            p.statusHistory.append(StatusChange(status: b.status, date: b.date, reason: b.reason))
            patients[b.patientId] = p

        case .consentRecorded(let b):
            patients[b.patientId]?.consent[b.kind] = Consent(given: b.given, date: b.date)

        case .sessionRecorded(let b):
            guard patients[b.patientId] != nil else { return }
            let author = b.importedAuthor ?? e.author
            sessions[b.sessionId] = Session(
                id: b.sessionId, patientId: b.patientId, date: b.date, kind: b.kind, minutes: b.minutes,
                author: author,
                versions: [NoteVersion(eventId: e.id, text: b.note, author: author, clock: e.clock, basedOn: nil)],
                outcome: b.outcome ?? .attended)
            patients[b.patientId]!.sessionIDs.append(b.sessionId)
            if b.outcome?.isMissed != true, patients[b.patientId]!.lastContact.map({ $0 < b.date }) ?? true {
                patients[b.patientId]!.lastContact = b.date
            }
            if let d = b.draftId { drafts[d] = nil }

        case .sessionAmended(let b):
            guard var s = sessions[b.sessionId] else { return }
            s.versions.append(NoteVersion(eventId: e.id, text: b.note, author: e.author, clock: e.clock, basedOn: b.basedOn))
            sessions[b.sessionId] = s
            if let d = b.draftId { drafts[d] = nil }

        case .draftSaved(let b):
            drafts[b.draftId] = Draft(id: b.draftId, patientId: b.patientId, sessionId: b.sessionId, date: b.date,
                                      kind: b.kind, minutes: b.minutes, text: b.text, author: e.author, savedAt: e.clock,
                                      outcome: b.outcome ?? .attended)

        case .draftDiscarded(let b):
            drafts[b.draftId] = nil

        case .goalSet(let b):
            guard patients[b.patientId] != nil else { return }
            goals[b.goalId] = Goal(id: b.goalId, patientId: b.patientId, text: b.text, created: b.date, status: .active,
                                   progress: b.progress.map { [ProgressPoint(date: b.date, score: $0)] } ?? [], reviewOn: b.reviewOn)
            patients[b.patientId]!.goalIDs.append(b.goalId)

        case .goalProgressed(let b):
            goals[b.goalId]?.progress.append(ProgressPoint(date: b.date, score: b.score))

        case .goalStatusChanged(let b):
            goals[b.goalId]?.status = b.status

        case .measureRecorded(let b):
            guard patients[b.patientId] != nil else { return }
            measures[b.measureId] = Measure(id: b.measureId, patientId: b.patientId, instrument: b.instrument, answers: b.answers, date: b.date)
            patients[b.patientId]!.measureIDs.append(b.measureId)

        case .serviceAdded(let b), .serviceUpdated(let b):
            services[b.serviceId] = Service(id: b.serviceId, name: b.name, organisation: b.organisation, category: b.category,
                                            contact: b.contact, address: b.address, times: b.times,
                                            externalId: b.externalId, source: b.source, lastModified: b.lastModified,
                                            details: b.details)

        case .serviceDelisted(let b):
            services[b.serviceId]?.delistedOn = b.date

        case .connectionMade(let b):
            guard patients[b.patientId] != nil else { return }
            connections[b.connectionId] = Connection(id: b.connectionId, patientId: b.patientId, serviceId: b.serviceId,
                                                     stage: b.stage, accompanied: b.accompanied,
                                                     history: [StageChange(stage: b.stage, date: b.date, reason: nil)],
                                                     route: b.route ?? .implied(byFirstStage: b.stage))
            patients[b.patientId]!.connectionIDs.append(b.connectionId)

        case .connectionStageChanged(let b):
            guard var c = connections[b.connectionId] else { return }
            c.stage = b.stage
            c.history.append(StageChange(stage: b.stage, date: b.date, reason: b.reason))
            connections[b.connectionId] = c

        case .followupScheduled(let b):
            guard patients[b.patientId] != nil else { return }
            followups[b.followupId] = Followup(id: b.followupId, patientId: b.patientId, due: b.due, reason: b.reason,
                                               worker: b.worker ?? patients[b.patientId]?.worker ?? e.author,
                                               status: .open, reschedules: [])
            patients[b.patientId]!.followupIDs.append(b.followupId)

        case .followupRescheduled(let b):
            guard var f = followups[b.followupId] else { return }
            if f.status != .open {
                // Closed on one device, rescheduled on another: keep it visible, say why.
                f.conflict = "was \(f.status.label) on \(f.closedOn.map { "\($0)" } ?? "?"), then rescheduled by \(e.author)"
                f.status = .open
                f.closedOn = nil
            } else if b.resolvesConflict == true {
                f.conflict = nil
            }
            f.reschedules.append(FollowupChange(date: b.date, from: f.due, to: b.due, reason: b.reason))
            f.due = b.due
            followups[b.followupId] = f

        case .followupCompleted(let b):
            guard var f = followups[b.followupId] else { return }
            if f.missedReschedule(seen: b.reschedulesSeen) {
                f.conflict = "rescheduled to \(f.due) on another device, then marked done on \(b.date) by \(e.author)"
            } else {
                f.status = .done
                f.closedOn = b.date
                f.conflict = nil
            }
            followups[b.followupId] = f

        case .followupCancelled(let b):
            guard var f = followups[b.followupId] else { return }
            if f.missedReschedule(seen: b.reschedulesSeen) {
                f.conflict = "rescheduled to \(f.due) on another device, then cancelled on \(b.date) by \(e.author)"
            } else {
                f.status = .cancelled
                f.closedOn = b.date
                f.closeReason = b.reason
                f.conflict = nil
            }
            followups[b.followupId] = f

        case .riskRecorded, .riskResolved, .noKnownRisks:
            applyRisk(e)

        case .duplicateResolved(let b):
            applyDuplicateResolved(b)

        case .patientRestricted, .patientUnrestricted:
            applyRestriction(e.body, author: e.author)

        case .patientErased(let b):
            applyErasure(b, author: e.author)

        case .patientViewed:
            // The audit reads views from the journals (`Audit.swift`); nothing on screen changes.
            break

        case .changeUndone, .deviceSynced, .unknown:
            break
        }
    }
}

extension Followup {
    /// Whether a completion or cancellation written knowing of `seen` reschedules missed one
    /// made on another device: it is then left open with a conflict, as a reschedule of a closed
    /// follow-up is, so the outcome does not depend on which was written first.
    func missedReschedule(seen: Int?) -> Bool {
        guard let seen, status == .open else { return false }
        return reschedules.count > max(0, seen)
    }
}
