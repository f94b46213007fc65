import Foundation

// `Restriction` (a record kept but not used) is declared in Schema/caseload.schema.

extension Patient {
    /// In use: not restricted. Every working list shows only these.
    public var isInUse: Bool { restriction == nil && erasure == nil }
}

extension CaseloadState {
    /// People whose record is restricted, for "N restricted" beside the lists.
    public var restrictedCount: Int { patients.values.reduce(0) { $0 + ($1.restriction == nil ? 0 : 1) } }

    /// Restricted records in name order, for `patient list --restricted`.
    public func restrictedPatients() -> [Patient] {
        patients.values.filter { $0.restriction != nil }.sorted { $0.name != $1.name ? $0.name < $1.name : $0.id.sortsBefore($1.id) }
    }

    mutating func applyRestriction(_ body: EventBody, author: String) {
        switch body {
        case .patientRestricted(let b):
            guard patients[b.patientId] != nil else { return }
            patients[b.patientId]!.restriction = Restriction(since: b.date, reason: b.reason, by: author)
        case .patientUnrestricted(let b):
            patients[b.patientId]?.restriction = nil
        default:
            break
        }
    }

    /// The person a change is about, where it names one directly or through a record of theirs.
    public func patientChanged(by body: EventBody) -> UUID? {
        switch body {
        case .patientReferred(let b): return b.patientId
        case .patientUpdated(let b): return b.patientId
        case .patientStatusChanged(let b): return b.patientId
        case .consentRecorded(let b): return b.patientId
        case .sessionRecorded(let b): return b.patientId
        case .sessionAmended(let b): return sessions[b.sessionId]?.patientId
        case .draftSaved(let b): return b.patientId
        case .draftDiscarded(let b): return drafts[b.draftId]?.patientId
        case .goalSet(let b): return b.patientId
        case .goalProgressed(let b): return goals[b.goalId]?.patientId
        case .goalStatusChanged(let b): return goals[b.goalId]?.patientId
        case .measureRecorded(let b): return b.patientId
        case .connectionMade(let b): return b.patientId
        case .connectionStageChanged(let b): return connections[b.connectionId]?.patientId
        case .followupScheduled(let b): return b.patientId
        case .followupRescheduled(let b): return followups[b.followupId]?.patientId
        case .followupCompleted(let b): return followups[b.followupId]?.patientId
        case .followupCancelled(let b): return followups[b.followupId]?.patientId
        case .riskRecorded(let b): return b.patientId
        case .riskResolved(let b): return risks[b.riskId]?.patientId
        case .noKnownRisks(let b): return b.patientId
        case .duplicateResolved(let b): return patients[b.patientId]?.isInUse == false ? b.patientId : b.otherId
        case .patientRestricted(let b): return b.patientId
        case .patientErased(let b): return b.patientId
        // Opening a record and lifting its restriction are what a restricted record allows.
        case .patientViewed, .patientUnrestricted: return nil
        case .workerRegistered, .serviceAdded, .serviceUpdated, .serviceDelisted, .changeUndone, .deviceSynced, .unknown: return nil
        }
    }

    /// Why these changes may not be written: one names a restricted person. The store checks
    /// every append with it, so no face (app, command, import) changes a restricted record.
    /// Names no one: the id's first eight characters.
    public func restrictionRefusal(_ bodies: some Sequence<EventBody>) -> String? {
        for b in bodies {
            guard let id = patientChanged(by: b), let p = patients[canonical(id)], let r = p.restriction else { continue }
            if case .patientRestricted = b { return "\(Self.shortId(p.id)) is already restricted (since \(r.since))" }
            return "\(Self.shortId(p.id)) is restricted since \(r.since): unrestrict it first (caseload patient unrestrict \(Self.shortId(p.id)))"
        }
        return nil
    }

    /// Why an undo of a change about `patientId` may not be written: the record is restricted.
    /// Undoing the restriction itself is allowed (it lifts it, as `patient unrestrict` does).
    /// The store cannot tell from a `change.undone` whose record it touches; `undo` asks this.
    public func undoRefusal(about patientId: UUID?, body: EventBody) -> String? {
        if case .patientErased = body { return "an erasure cannot be undone: the person's key is destroyed everywhere" }
        if let id = patientId, let p = patients[canonical(id)], let e = p.erasure {
            return "\(Self.shortId(p.id)) was erased on \(e.date): nothing about them can be changed"
        }
        if case .patientRestricted = body { return nil }
        guard let id = patientId, let p = patients[canonical(id)], let r = p.restriction else { return nil }
        return "\(Self.shortId(p.id)) is restricted since \(r.since): unrestrict it first (caseload patient unrestrict \(Self.shortId(p.id)))"
    }

    static func shortId(_ id: UUID) -> String { String(id.lowercasedString.prefix(8)) }
}

extension Rules {
    /// Restricts a record: kept, counted in reports, shown by `patient show`, left out of every
    /// working list, changed by nothing until it is unrestricted.
    public static func restrict(patientId: UUID, reason: String, state: CaseloadState, context: RuleContext) -> Result<[EventBody], Problems<FieldProblem>> {
        guard let p = state.patients[patientId] else { return .failure(Problems([FieldProblem("patient", "no such person on the caseload")])) }
        let why: String
        switch requiredReason(reason, missing: "say why the record is restricted (--reason)") {
        case .success(let text): why = text
        case .failure(let problems): return .failure(problems)
        }
        if let r = p.restriction { return .failure(Problems([FieldProblem("patient", "\(CaseloadState.shortId(p.id)) is already restricted (since \(r.since))")])) }
        if let actor = context.actor, !mayRestrict(p, actor: actor, state: state) {
            return .failure(Problems([FieldProblem("patient", "\(CaseloadState.shortId(p.id)) is \(p.worker ?? "nobody")'s person: only they or a supervisor of their team may restrict the record")]))
        }
        return .success([.patientRestricted(PatientRestricted(patientId: p.id, reason: why, date: context.asOf))])
    }

    /// Lifts a restriction: the record is back on every list and can be changed again.
    public static func unrestrict(patientId: UUID, state: CaseloadState, context: RuleContext) -> Result<[EventBody], Problems<FieldProblem>> {
        guard let p = state.patients[patientId] else { return .failure(Problems([FieldProblem("patient", "no such person on the caseload")])) }
        guard let r = p.restriction else { return .failure(Problems([FieldProblem("patient", "\(CaseloadState.shortId(p.id)) is not restricted")])) }
        if let actor = context.actor, actor != r.by, !isSupervisor(actor, over: p, state: state) {
            return .failure(Problems([FieldProblem("patient", "\(CaseloadState.shortId(p.id)) was restricted by \(r.by): only they or a supervisor of the team may lift it")]))
        }
        return .success([.patientUnrestricted(PatientUnrestricted(patientId: p.id, date: context.asOf))])
    }

    /// A reason that must be given (a restriction's, an erasure's): trimmed, within its limit.
    static func requiredReason(_ reason: String, missing: String) -> Result<String, Problems<FieldProblem>> {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if why.isEmpty { return .failure(Problems([FieldProblem("reason", missing)])) }
        if why.utf8.count > RecordLimits.maxShortText {
            return .failure(Problems([FieldProblem("reason", "the reason is \(RecordLimits.size(why.utf8.count)); at most \(RecordLimits.size(RecordLimits.maxShortText))")]))
        }
        return .success(why)
    }

    /// A record is restricted by the worker whose person it is (or anyone, while it is nobody's)
    /// or by a supervisor of that worker's team: the people who answer for it.
    static func mayRestrict(_ p: Patient, actor: String, state: CaseloadState) -> Bool {
        p.worker == nil || p.worker == actor || isSupervisor(actor, over: p, state: state)
    }

    /// A supervisor with no team oversees every team; one with a team, only hers.
    static func isSupervisor(_ actor: String, over p: Patient, state: CaseloadState) -> Bool {
        guard let w = state.workers[actor], w.role == "supervisor" else { return false }
        guard let team = w.team else { return true }
        return p.worker.flatMap { state.workers[$0]?.team } == team
    }
}
