import Foundation

// Two devices that add the same person offline make two records of them. After a sync the
// pair shows as a likely duplicate (the same NHS number, or the same name and date of birth);
// a worker merges them, keeping everything, or says they are different people.
// `DuplicateResolved` (the event) and `MergedRecord` are declared in Schema/caseload.schema.

/// Two people's ids, in a fixed order, for "these are different people".
public struct PatientPair: Sendable, Hashable {
    public let first: UUID, second: UUID
    public init(_ a: UUID, _ b: UUID) {
        (first, second) = StateSnapshot.uuidBytesLess(a, b) ? (a, b) : (b, a)
    }
    func replacing(_ old: UUID, with new: UUID) -> PatientPair {
        PatientPair(first == old ? new : first, second == old ? new : second)
    }
}

public struct LikelyDuplicate: Sendable, Hashable {
    /// The record referred first (or, on the same day, the lower id): the one to keep by default.
    public var keep: UUID
    public var other: UUID
    public var reason: String
}

extension CaseloadState {
    /// The record an id now names: itself, or the record it was merged into.
    public func canonical(_ id: UUID) -> UUID { mergedInto[id] ?? id }

    /// Pairs of records that look like one person and have not been told apart: the same NHS
    /// number, or (where either has none) the same name, folded, and date of birth.
    public func likelyDuplicates() -> [LikelyDuplicate] {
        // Grouped by id, not by copies of whole records: after a sync of 50,000 people the
        // copies were a third of this.
        var byNHS: [String: [UUID]] = [:], byNameAndBirth: [String: [UUID]] = [:]
        var hasNHS: Set<UUID> = []
        for p in patients.values {
            if let n = p.nhsNumber { byNHS[n.digits, default: []].append(p.id); hasNHS.insert(p.id) }
            if let dob = p.dateOfBirth { byNameAndBirth[Self.nameKey(p.name) + "\u{0}" + dob.description, default: []].append(p.id) }
        }
        var found: [PatientPair: String] = [:]
        func pairs(_ groups: [String: [UUID]], _ reason: String, unless skip: (UUID, UUID) -> Bool) {
            for group in groups.values where group.count > 1 {
                for (i, a) in group.enumerated() {
                    for b in group[(i + 1)...] where !skip(a, b) {
                        let pair = PatientPair(a, b)
                        if found[pair] == nil, !distinctPairs.contains(pair) { found[pair] = reason }
                    }
                }
            }
        }
        pairs(byNHS, "the same NHS number") { _, _ in false }
        // Two different NHS numbers are two people, whatever their names.
        pairs(byNameAndBirth, "the same name and date of birth") { a, b in hasNHS.contains(a) && hasNHS.contains(b) }
        return found.map { pair, reason in
            let a = patients[pair.first]!, b = patients[pair.second]!
            let aFirst = (a.referral.date, a.id.uuidString) <= (b.referral.date, b.id.uuidString)
            return LikelyDuplicate(keep: aFirst ? a.id : b.id, other: aFirst ? b.id : a.id, reason: reason)
        }.sorted { ($0.keep.uuidString, $0.other.uuidString) < ($1.keep.uuidString, $1.other.uuidString) }
    }

    /// The likely duplicates that involve one person: the same answer as filtering
    /// `likelyDuplicates()`, cheap enough for every frame of the person's screen (names are
    /// folded only for people born the same day).
    public func likelyDuplicates(of patientId: UUID) -> [LikelyDuplicate] {
        guard let p = patients[patientId] else { return [] }
        let name = p.dateOfBirth == nil ? "" : Self.nameKey(p.name)
        var out: [LikelyDuplicate] = []
        for q in patients.values where q.id != p.id && !distinctPairs.contains(PatientPair(p.id, q.id)) {
            let reason: String
            if let n = p.nhsNumber, n == q.nhsNumber { reason = "the same NHS number" }
            else if let dob = p.dateOfBirth, dob == q.dateOfBirth, p.nhsNumber == nil || q.nhsNumber == nil, Self.nameKey(q.name) == name {
                reason = "the same name and date of birth"
            } else { continue }
            let pFirst = (p.referral.date, p.id.uuidString) <= (q.referral.date, q.id.uuidString)
            out.append(LikelyDuplicate(keep: pFirst ? p.id : q.id, other: pFirst ? q.id : p.id, reason: reason))
        }
        return out.sorted { ($0.keep.uuidString, $0.other.uuidString) < ($1.keep.uuidString, $1.other.uuidString) }
    }

    /// Folds a merge, or a "different people".
    mutating func applyDuplicateResolved(_ b: DuplicateResolved) {
        let keep = canonical(b.patientId), other = canonical(b.otherId)
        guard keep != other, var k = patients[keep], patients[other] != nil else { return }
        guard b.merged else {
            distinctPairs.insert(PatientPair(keep, other))
            return
        }
        let g = patients.removeValue(forKey: other)!
        for id in g.sessionIDs { sessions[id]?.patientId = keep }
        for id in g.goalIDs { goals[id]?.patientId = keep }
        for id in g.measureIDs { measures[id]?.patientId = keep }
        for id in g.connectionIDs { connections[id]?.patientId = keep }
        for id in g.followupIDs { followups[id]?.patientId = keep }
        for (id, r) in risks where r.patientId == other { risks[id]!.patientId = keep }
        for (id, d) in drafts where d.patientId == other { drafts[id]!.patientId = keep }
        if let d = noKnownRisks.removeValue(forKey: other) { noKnownRisks[keep] = max(d, noKnownRisks[keep] ?? d) }
        k.sessionIDs += g.sessionIDs
        k.goalIDs += g.goalIDs
        k.measureIDs += g.measureIDs
        k.connectionIDs += g.connectionIDs
        k.followupIDs += g.followupIDs
        // Details the kept record lacks come from the other; where both have one, the kept
        // record's stands (it can be corrected like any detail).
        k.preferredName = k.preferredName ?? g.preferredName
        k.dateOfBirth = k.dateOfBirth ?? g.dateOfBirth
        k.nhsNumber = k.nhsNumber ?? g.nhsNumber
        k.phone = k.phone ?? g.phone
        k.address = k.address ?? g.address
        k.gpPractice = k.gpPractice ?? g.gpPractice
        k.worker = k.worker ?? g.worker
        for (kind, c) in g.consent where k.consent[kind].map({ $0.date < c.date }) ?? true { k.consent[kind] = c }
        k.lastContact = [k.lastContact, g.lastContact].compactMap { $0 }.max()
        // One referral recorded twice: the two records' changes of status read as one story (a
        // contact recorded on the other device moved "referred" on), and the reasons are both.
        if k.earlierEpisodes.isEmpty, g.earlierEpisodes.isEmpty {
            let merged = (k.statusHistory + g.statusHistory).enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }
            var history: [StatusChange] = []
            // The other record's own "referred" is the same referral again, not a step back.
            for (_, c) in merged where history.isEmpty || (c.status != .referred && (history.last?.status != c.status || c.reason != nil)) {
                history.append(c)
            }
            k.statusHistory = history
            k.status = history.last?.status ?? k.status
            for r in g.referral.reasons where !k.referral.reasons.contains(r) { k.referral.reasons.append(r) }
        }
        k.mergedRecords += [MergedRecord(id: other, name: g.name, referral: g.referral, status: g.status, mergedOn: b.date)] + g.mergedRecords
        patients[keep] = k
        for (from, to) in mergedInto where to == other { mergedInto[from] = keep }
        mergedInto[other] = keep
        distinctPairs = Set(distinctPairs.map { $0.replacing(other, with: keep) }.filter { $0.first != $0.second })
    }
}

extension EventBody {
    /// The same body with every person id that was merged away replaced by the record it was
    /// merged into: what another device wrote about a record before it heard of the merge
    /// lands on the kept one.
    func redirectingMergedPatients(_ state: CaseloadState) -> EventBody {
        let c = state.canonical
        switch self {
        case .patientReferred(var b): b.patientId = c(b.patientId); return .patientReferred(b)
        case .patientUpdated(var b): b.patientId = c(b.patientId); return .patientUpdated(b)
        case .patientStatusChanged(var b): b.patientId = c(b.patientId); return .patientStatusChanged(b)
        case .consentRecorded(var b): b.patientId = c(b.patientId); return .consentRecorded(b)
        case .sessionRecorded(var b): b.patientId = c(b.patientId); return .sessionRecorded(b)
        case .draftSaved(var b): b.patientId = c(b.patientId); return .draftSaved(b)
        case .goalSet(var b): b.patientId = c(b.patientId); return .goalSet(b)
        case .measureRecorded(var b): b.patientId = c(b.patientId); return .measureRecorded(b)
        case .connectionMade(var b): b.patientId = c(b.patientId); return .connectionMade(b)
        case .followupScheduled(var b): b.patientId = c(b.patientId); return .followupScheduled(b)
        case .riskRecorded(var b): b.patientId = c(b.patientId); return .riskRecorded(b)
        case .noKnownRisks(var b): b.patientId = c(b.patientId); return .noKnownRisks(b)
        case .patientViewed(var b): b.patientId = c(b.patientId); return .patientViewed(b)
        case .patientRestricted(var b): b.patientId = c(b.patientId); return .patientRestricted(b)
        case .patientUnrestricted(var b): b.patientId = c(b.patientId); return .patientUnrestricted(b)
        case .patientErased(var b): b.patientId = c(b.patientId); return .patientErased(b)
        default: return self
        }
    }
}

extension Rules {
    /// Merges `other` into `keep` (everything of both kept on one record), or marks them as
    /// different people so they are not offered again. Two different NHS numbers are never
    /// merged: that is two people.
    public static func resolveDuplicate(keep: UUID, other: UUID, merge: Bool, state: CaseloadState,
                                        context: RuleContext) -> Result<[EventBody], Problems<FieldProblem>> {
        guard let k = state.patients[keep], let o = state.patients[other] else {
            return .failure(Problems([FieldProblem("patient", "no such person on the caseload")]))
        }
        if keep == other { return .failure(Problems([FieldProblem("patient", "that is the same record twice")])) }
        if merge, let a = k.nhsNumber, let b = o.nhsNumber, a != b {
            return .failure(Problems([FieldProblem("patient", "the two records have different NHS numbers (\(a.formatted), \(b.formatted)): they are not merged")]))
        }
        return .success([.duplicateResolved(DuplicateResolved(patientId: keep, otherId: other, merged: merge, date: context.asOf))])
    }
}

/// A person already known whom a referral being added names: by NHS number, or by name and
/// date of birth (as a likely duplicate is found), so a re-referral opens a new episode on
/// their record instead of a second record of them.
public struct KnownPersonMatch: Sendable, Hashable {
    public var patientId: UUID
    /// The same NHS number: certainly them. Otherwise the same name and date of birth.
    public var byNHSNumber: Bool
}

extension CaseloadState {
    /// The known person a new referral's details name, if any. A typed NHS number that differs
    /// from the person's is a different person, whatever the name.
    public func knownPerson(nhsNumber: NHSNumber?, name: String, dateOfBirth: Day?) -> KnownPersonMatch? {
        if let n = nhsNumber, let p = patients.values.first(where: { $0.nhsNumber == n }) {
            return KnownPersonMatch(patientId: p.id, byNHSNumber: true)
        }
        guard let dob = dateOfBirth else { return nil }
        let key = Self.nameKey(name)
        guard !key.isEmpty else { return nil }
        // The earliest referred of any namesakes, as a likely duplicate keeps.
        let p = patients.values
            .filter { $0.dateOfBirth == dob && (nhsNumber == nil || $0.nhsNumber == nil) && Self.nameKey($0.name) == key }
            .min { ($0.referral.date, $0.id.uuidString) < ($1.referral.date, $1.id.uuidString) }
        return p.map { KnownPersonMatch(patientId: $0.id, byNHSNumber: false) }
    }
}
