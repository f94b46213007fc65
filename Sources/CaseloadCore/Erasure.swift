import Foundation

// Erasure (UK GDPR Article 17, and the retention schedule): a person's personal fields and
// notes made unreadable on every device, while reports still count their referral, contacts
// and measure scores. The journal is append-only, so erasure cannot delete bytes; on an
// encrypted caseload every record about a person carries its personal part sealed with that
// person's own key (`PersonKeys`), and erasing destroys the key everywhere. What the fold sees
// of such a record afterwards is `EventBody.redacted`: the same record with every field the
// schema marks `personal` emptied. The fold of `patient.erased` empties the same fields in the
// state, so the state after an erasure is the one a fold of the redacted records gives.

extension Patient {
    public var isErased: Bool { erasure != nil }
}

extension CaseloadState {
    /// People erased, for reports' "N erased" and the retention list.
    public var erasedCount: Int { patients.values.reduce(0) { $0 + ($1.erasure == nil ? 0 : 1) } }

    /// Why changes to an erased person may not be written: there is nothing left to change,
    /// and their key is gone, so nothing new about them could be sealed. (Opening what is left
    /// is still audited.)
    public func erasureRefusal(_ bodies: some Sequence<EventBody>) -> String? {
        for b in bodies {
            guard let id = patientChanged(by: b), let p = patients[canonical(id)], let e = p.erasure else { continue }
            return "\(Self.shortId(p.id)) was erased on \(e.date): nothing about them can be recorded"
        }
        return nil
    }

    /// The fold of `patient.erased`: every personal field of the person and of their records
    /// emptied, exactly as `EventBody.redacted` empties them in the records, and their drafts
    /// (text only) gone.
    mutating func applyErasure(_ b: PatientErased, author: String) {
        guard var p = patients[b.patientId] else { return }
        p.erasure = Erasure(date: b.date, reason: b.reason, by: author)
        p.name = ""
        p.preferredName = nil
        p.dateOfBirth = nil
        p.nhsNumber = nil
        p.phone = nil
        p.address = nil
        p.referral = p.referral.redacted
        p.statusHistory = p.statusHistory.map { StatusChange(status: $0.status, date: $0.date, reason: nil) }
        p.earlierEpisodes = p.earlierEpisodes.map { EarlierEpisode(referral: $0.referral.redacted, statusChangesUpTo: $0.statusChangesUpTo) }
        for i in p.mergedRecords.indices {
            p.mergedRecords[i].name = ""
            p.mergedRecords[i].referral = p.mergedRecords[i].referral.redacted
        }
        for id in p.sessionIDs {
            guard var s = sessions[id] else { continue }
            for i in s.versions.indices { s.versions[i].text = "" }
            sessions[id] = s
        }
        for id in p.goalIDs { goals[id]?.text = "" }
        for id in p.connectionIDs {
            guard var c = connections[id] else { continue }
            for i in c.history.indices { c.history[i].reason = nil }
            connections[id] = c
        }
        for id in p.followupIDs {
            guard var f = followups[id] else { continue }
            f.reason = nil
            f.closeReason = nil
            for i in f.reschedules.indices { f.reschedules[i].reason = nil }
            followups[id] = f
        }
        for (id, r) in risks where r.patientId == b.patientId {
            risks[id]!.note = nil
            risks[id]!.raisedWith = nil
            risks[id]!.resolveReason = nil
        }
        for (id, d) in drafts where d.patientId == b.patientId { drafts[id] = nil }
        patients[b.patientId] = p
    }
}

extension Rules {
    /// Erases a person: refused for someone unknown, already erased or restricted (lift the
    /// restriction first: a restricted record is changed by nothing), and for an actor who may
    /// not restrict the record either. The reason stays readable by the team after the erasure
    /// and must not name the person.
    public static func erase(patientId: UUID, reason: String, state: CaseloadState, context: RuleContext) -> Result<[EventBody], Problems<FieldProblem>> {
        guard let p = state.patients[patientId] else { return .failure(Problems([FieldProblem("patient", "no such person on the caseload")])) }
        let why: String
        switch requiredReason(reason, missing: "say why the record is erased (--reason), without naming the person") {
        case .success(let text): why = text
        case .failure(let problems): return .failure(problems)
        }
        if let e = p.erasure { return .failure(Problems([FieldProblem("patient", "\(CaseloadState.shortId(p.id)) was already erased on \(e.date)")])) }
        if let r = p.restriction {
            return .failure(Problems([FieldProblem("patient", "\(CaseloadState.shortId(p.id)) is restricted since \(r.since): unrestrict it first (caseload patient unrestrict \(CaseloadState.shortId(p.id)))")]))
        }
        if let actor = context.actor, !mayRestrict(p, actor: actor, state: state) {
            return .failure(Problems([FieldProblem("patient", "\(CaseloadState.shortId(p.id)) is \(p.worker ?? "nobody")'s person: only they or a supervisor of their team may erase the record")]))
        }
        return .success([.patientErased(PatientErased(patientId: p.id, reason: why, date: context.asOf))])
    }
}

/// The retention schedule: records kept this many years after the person's last contact or the
/// end of their care, whichever is later, then erased. Eight years is the NHS Records Management
/// Code of Practice's period for adult health records.
public struct RetentionRule: Sendable, Equatable {
    public static let defaultYears = 8
    public var years: Int
    public init(years: Int = RetentionRule.defaultYears) { self.years = years }

    /// The day the person's record was last active: their last contact, the last status change
    /// (a discharge), or the referral, whichever is latest.
    public static func lastActive(_ p: Patient) -> Day {
        var day = p.referral.date
        if let c = p.lastContact, day < c { day = c }
        if let s = p.statusHistory.last?.date, day < s { day = s }
        return day
    }

    /// People due for erasure on `asOf`: their care has ended (an open case is never erased by
    /// the schedule), they were last active more than `years` years before, and they are neither
    /// erased nor restricted (a restricted record is kept until the restriction is settled).
    public func due(_ state: CaseloadState, asOf: Day) -> [Patient] {
        let (y, m, d) = asOf.components
        // 29 February, N years on, is 28 February in a year that has none.
        let cutoff = Day(year: y - years, month: m, day: d) ?? Day(year: y - years, month: m, day: d - 1) ?? asOf
        return state.patients.values
            .filter { !$0.isErased && $0.restriction == nil && !$0.status.isOpen && RetentionRule.lastActive($0) < cutoff }
            .sorted { RetentionRule.lastActive($0) != RetentionRule.lastActive($1) ? RetentionRule.lastActive($0) < RetentionRule.lastActive($1) : $0.id.sortsBefore($1.id) }
    }
}

extension CaseloadState {
    /// Whom each of these bodies (about to be written together) is about, for sealing its
    /// personal part with that person's key: as `patientChanged(by:)` says, and for a record
    /// made earlier in the same write (a session and its amendment imported together), from
    /// that write.
    public func subjects(of bodies: [EventBody]) -> [UUID?] {
        var made: [UUID: UUID] = [:]
        return bodies.map { b in
            switch b {
            case .sessionRecorded(let x): made[x.sessionId] = x.patientId
            case .goalSet(let x): made[x.goalId] = x.patientId
            case .connectionMade(let x): made[x.connectionId] = x.patientId
            case .followupScheduled(let x): made[x.followupId] = x.patientId
            case .riskRecorded(let x): made[x.riskId] = x.patientId
            case .draftSaved(let x): made[x.draftId] = x.patientId
            default: break
            }
            if let id = patientChanged(by: b) { return id }
            switch b {
            case .sessionAmended(let x): return made[x.sessionId]
            case .draftDiscarded(let x): return made[x.draftId]
            case .connectionStageChanged(let x): return made[x.connectionId]
            case .followupRescheduled(let x): return made[x.followupId]
            case .followupCancelled(let x): return made[x.followupId]
            case .riskResolved(let x): return made[x.riskId]
            default: return nil
            }
        }
    }

    /// Every id whose records are this person's: theirs, and those of records merged into it
    /// (whose earlier events were sealed under the merged record's own key).
    public func recordIds(of patientId: UUID) -> [UUID] {
        [patientId] + mergedInto.filter { canonical($0.value) == patientId }.keys.sorted { $0.sortsBefore($1) }
    }
}
