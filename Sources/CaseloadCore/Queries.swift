import Foundation

/// A row of the overdue list: what a worker or supervisor needs to pick up the phone.
public struct OverdueItem: Sendable, Hashable, Codable {
    public var followupId: UUID
    public var patientId: UUID
    public var patientName: String
    public var worker: String
    public var due: Day
    public var daysOverdue: Int
    public var reason: String?

    /// Most overdue first, then by name, then id: stable between runs and devices.
    public static func ordered(_ a: OverdueItem, _ b: OverdueItem) -> Bool {
        if a.daysOverdue != b.daysOverdue { return a.daysOverdue > b.daysOverdue }
        if a.patientName != b.patientName { return a.patientName < b.patientName }
        return a.followupId.sortsBefore(b.followupId)
    }
}

public enum LookupError: Error, Equatable, CustomStringConvertible {
    case notFound(kind: String, key: String)
    case ambiguous(kind: String, key: String, count: Int)
    /// None of these names the key back: it may be a person's name, and names stay off stderr.
    case noNameMatch(kind: String)
    /// Several people have the whole name; `candidates` are their ids, to give instead.
    case sameName(kind: String, count: Int, candidates: [UUID])
    /// Several people's names start with the key.
    case namePrefixShared(kind: String, count: Int, candidates: [UUID])
    /// The key starts one person's id and another's name.
    case idOrName(kind: String)

    public var description: String {
        switch self {
        case let .noNameMatch(kind): return "no \(kind) has that id, NHS number or full name, nor a name that starts with it"
        case let .sameName(kind, count, candidates):
            return "\(count) \(kind)s have that name; give the id or NHS number (\(Self.list(candidates)))"
        case let .namePrefixShared(kind, count, candidates):
            return "\(count) \(kind)s' names start with that; give more of the name, the id or the NHS number (\(Self.list(candidates)))"
        case let .idOrName(kind): return "that starts one \(kind)'s id and another's name; give more of the id, or more of the name"
        case let .notFound(kind, key): return "no \(kind) matches '\(key)'"
        case let .ambiguous(kind, key, count): return "'\(key)' matches \(count) \(kind)s; give more characters of the id"
        }
    }

    /// Short ids of the people a key could mean, so the user can pick one: ids, never names.
    static func list(_ ids: [UUID]) -> String {
        let shown = ids.sorted { $0.sortsBefore($1) }.prefix(5).map { String($0.lowercasedString.prefix(8)) }
        return "ids " + shown.joined(separator: ", ") + (ids.count > 5 ? " and \(ids.count - 5) more" : "")
    }
}

extension CaseloadState {
    /// Open follow-ups due before `asOf`, most overdue first (then by name, then id, so the
    /// order is stable between runs and devices).
    public func overdue(asOf: Day, worker: String? = nil, team: String? = nil) -> [OverdueItem] {
        var items: [OverdueItem] = []
        for f in followups.values where f.isOverdue(asOf: asOf) {
            let w = f.worker ?? ""
            if let worker, w != worker { continue }
            if let team, workers[w]?.team != team { continue }
            guard let p = patients[f.patientId], p.status.isOpen, p.isInUse else { continue }
            items.append(OverdueItem(followupId: f.id, patientId: p.id, patientName: p.name, worker: w, due: f.due,
                                     daysOverdue: asOf.days(since: f.due), reason: f.reason))
        }
        return items.sorted(by: OverdueItem.ordered)
    }

    /// Open follow-ups of patients whose case is open, by due date.
    public func openFollowups(worker: String? = nil) -> [Followup] {
        followups.values.filter { f in
            f.status == .open && (worker == nil || f.worker == worker) && (patients[f.patientId].map { $0.status.isOpen && $0.isInUse } ?? false)
        }.sorted { $0.due != $1.due ? $0.due < $1.due : $0.id.sortsBefore($1.id) }
    }

    /// The earliest open follow-up of a patient.
    public func nextFollowup(of patientId: UUID) -> Followup? {
        guard let p = patients[patientId] else { return nil }
        var best: Followup?
        for id in p.followupIDs {
            guard let f = followups[id], f.status == .open else { continue }
            if best == nil || f.due < best!.due { best = f }
        }
        return best
    }

    public func sessions(of patientId: UUID) -> [Session] {
        (patients[patientId]?.sessionIDs ?? []).compactMap { sessions[$0] }.sorted { ($0.date, $0.versions[0].clock) < ($1.date, $1.versions[0].clock) }
    }

    public func goals(of patientId: UUID) -> [Goal] { (patients[patientId]?.goalIDs ?? []).compactMap { goals[$0] } }

    public func measures(of patientId: UUID) -> [Measure] {
        (patients[patientId]?.measureIDs ?? []).compactMap { measures[$0] }.sorted { $0.date < $1.date }
    }

    public func connections(of patientId: UUID) -> [Connection] { (patients[patientId]?.connectionIDs ?? []).compactMap { connections[$0] } }

    /// The person's connection to this service that has not yet ended (completed or dropped
    /// out): while there is one, the same service is not connected a second time.
    public func openConnection(patientId: UUID, serviceId: UUID) -> Connection? {
        connections(of: patientId).first { $0.serviceId == serviceId && $0.isOpen }
    }

    public func followups(of patientId: UUID) -> [Followup] {
        (patients[patientId]?.followupIDs ?? []).compactMap { followups[$0] }.sorted { $0.due < $1.due }
    }

    /// Baseline (first), latest and change per instrument for one patient.
    public func measureSummaries(of patientId: UUID) -> [MeasureSummary] {
        let all = measures(of: patientId)
        return Instrument.allCases.compactMap { inst in
            let ms = all.filter { $0.instrument == inst && $0.score != nil }
            guard let first = ms.first, let last = ms.last else { return nil }
            return MeasureSummary(instrument: inst, baseline: first, latest: last, count: ms.count)
        }
    }

    /// Patients in a stable display order: by name, then id. Restricted records are not
    /// listed unless asked for (an export of everything).
    public func patientList(status: PatientStatus? = nil, worker: String? = nil, search: String? = nil, includingRestricted: Bool = false) -> [Patient] {
        let needle = search.map(SearchText.fold)
        return patients.values.filter { p in
            if !includingRestricted, !p.isInUse { return false }
            if let status, p.status != status { return false }
            if let worker, p.worker != worker { return false }
            if let needle, !needle.isEmpty, !matches(p, needle) { return false }
            return true
        }.sorted { $0.name != $1.name ? $0.name < $1.name : $0.id.sortsBefore($1.id) }
    }

    /// Name, preferred name, NHS number (with or without spaces) or referral reason.
    public func matches(_ p: Patient, _ foldedNeedle: String) -> Bool {
        if SearchText.fold(p.name).contains(foldedNeedle) { return true }
        if let pn = p.preferredName, SearchText.fold(pn).contains(foldedNeedle) { return true }
        if let n = p.nhsNumber {
            let digits = foldedNeedle.filter { $0 != " " }
            if !digits.isEmpty, digits.allSatisfy(\.isNumber), n.digits.contains(digits) { return true }
        }
        return p.referral.reasons.contains { SearchText.fold($0.label).contains(foldedNeedle) }
    }

    // MARK: Resolving what people type

    /// The one way every command finds the person it is given: a full id, a unique id prefix
    /// (as git does, at least 4 characters), an NHS number, a whole name or preferred name, or
    /// the start of one (at least 2 characters) when only one person's name starts that way.
    /// Names compare with case, accents and repeated spaces ignored; a whole name wins over
    /// others that merely start with it ("Ann Lee" over "Ann Leeming"). The errors never repeat
    /// what was typed when it may be a name.
    public func resolvePatient(_ key: String) -> Result<Patient, LookupError> {
        // The whole id of a record merged into another names the record it is now part of.
        if let id = UUID(uuidString: key), let kept = mergedInto[id], let p = patients[kept] { return .success(p) }
        if let n = NHSNumber(key), let p = patients.values.first(where: { $0.nhsNumber == n }) { return .success(p) }
        let byId = Self.resolve(key, kind: "patient", in: patients)
        // A key with a digit in it is no one's name: the id it matched is the answer.
        if case .success = byId, key.contains(where: \.isNumber) { return byId }
        let byName = patientNamed(key)
        switch (byId, byName) {
        case (.success(let p), .success(let q)) where p.id != q.id: return .failure(.idOrName(kind: "patient"))
        case (.success(let p), _): return .success(p)
        case (_, .success(let q)): return .success(q)
        case (_, .failure(.noNameMatch)):
            // Nothing by name either: an id-like key gets the id's answer (it can be repeated back).
            if case .failure(.ambiguous) = byId { return byId }
            return Self.looksLikeAnId(key) ? byId : byName
        default: return byName
        }
    }

    /// A person by whole name or preferred name, else by the start of one.
    func patientNamed(_ key: String) -> Result<Patient, LookupError> {
        let wanted = Self.nameKey(key)
        guard !wanted.isEmpty else { return .failure(.noNameMatch(kind: "patient")) }
        var whole: [Patient] = [], starting: [Patient] = []
        for p in patients.values {
            let names = [Self.nameKey(p.name)] + (p.preferredName.map { [Self.nameKey($0)] } ?? [])
            if names.contains(wanted) { whole.append(p) }
            else if wanted.count >= 2, names.contains(where: { $0.hasPrefix(wanted) }) { starting.append(p) }
        }
        if whole.count == 1 { return .success(whole[0]) }
        if whole.count > 1 { return .failure(.sameName(kind: "patient", count: whole.count, candidates: whole.map(\.id))) }
        if starting.count == 1 { return .success(starting[0]) }
        if starting.count > 1 { return .failure(.namePrefixShared(kind: "patient", count: starting.count, candidates: starting.map(\.id))) }
        return .failure(.noNameMatch(kind: "patient"))
    }

    /// A name folded for comparing: case and accents ignored, spaces trimmed and single.
    static func nameKey(_ s: String) -> String {
        SearchText.fold(s).split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Hex digits and dashes only (or an NHS number's digits and spaces): what an id looks like.
    static func looksLikeAnId(_ key: String) -> Bool {
        let k = key.trimmingCharacters(in: .whitespaces)
        return !k.isEmpty && k.allSatisfy { $0.isHexDigit || $0 == "-" || $0 == " " }
    }

    public func resolveFollowup(_ key: String) -> Result<Followup, LookupError> { Self.resolve(key, kind: "follow-up", in: followups) }
    public func resolveGoal(_ key: String) -> Result<Goal, LookupError> { Self.resolve(key, kind: "goal", in: goals) }
    public func resolveSession(_ key: String) -> Result<Session, LookupError> { Self.resolve(key, kind: "session", in: sessions) }
    public func resolveConnection(_ key: String) -> Result<Connection, LookupError> { Self.resolve(key, kind: "connection", in: connections) }

    /// A service by id prefix or by exact name (case-insensitive).
    public func resolveService(_ key: String) -> Result<Service, LookupError> {
        let named = services.values.filter { $0.name.lowercased() == key.lowercased() }
        if named.count == 1 { return .success(named[0]) }
        return Self.resolve(key, kind: "service", in: services)
    }

    static func resolve<T>(_ key: String, kind: String, in table: [UUID: T]) -> Result<T, LookupError> {
        let k = key.lowercased().trimmingCharacters(in: .whitespaces)
        guard k.count >= 4 else { return .failure(.notFound(kind: kind, key: key)) }
        if let id = UUID(uuidString: k), let v = table[id] { return .success(v) }
        var found: T?
        var count = 0
        for (id, v) in table where id.lowercasedString.hasPrefix(k) {
            found = v
            count += 1
        }
        if count == 1, let found { return .success(found) }
        if count > 1 { return .failure(.ambiguous(kind: kind, key: key, count: count)) }
        return .failure(.notFound(kind: kind, key: key))
    }
}

public struct MeasureSummary: Sendable, Hashable {
    public var instrument: Instrument
    public var baseline: Measure
    public var latest: Measure
    public var count: Int

    /// Latest minus baseline on the headline number (SWEMWBS metric, UCLA-3 total).
    public var change: Double? {
        guard count > 1, let a = baseline.score?.headline, let b = latest.score?.headline else { return nil }
        return b - a
    }

    /// Whether the change is an improvement (UCLA-3: lower is better).
    public var improved: Bool? {
        guard let c = change, c != 0 else { return nil }
        return instrument == .ucla3 ? c < 0 : c > 0
    }
}

/// Case- and accent-insensitive matching, so "zoe" finds Zoë and "lukasz" finds Łukasz.
public enum SearchText {
    public static func fold(_ s: String) -> String {
        // Plain ASCII (most names) only needs lowercasing; Foundation's folding is the slow
        // part of opening a large caseload.
        if s.utf8.allSatisfy({ $0 < 128 }) {
            return String(decoding: s.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        var folded = s.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        // Letters that are not a base letter plus a mark do not fold on their own.
        if folded.unicodeScalars.contains(where: { $0.value > 127 }) {
            var out = ""
            out.reserveCapacity(folded.utf8.count)
            for c in folded {
                if let plain = unfoldedLetters[c] { out += plain } else { out.append(c) }
            }
            folded = out
        }
        return folded
    }

    /// Built once: rebuilding it on every call was a fifth of searching the notes.
    private static let unfoldedLetters: [Character: String] = ["ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"]
}
