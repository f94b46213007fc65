import Foundation

/// Turns a people spreadsheet (and, from a `caseload export --format csv` folder, its related
/// files) into events, checking every cell first. Pure: the caller reads files and appends.
public struct CaseloadImport {
    public var state: CaseloadState
    public var asOf: Day
    /// Makes a worker id from a name ("Amira Haddad" → "amira-haddad").
    public var workerSlug: (String) -> String
    /// A worker name the caseload does not know is refused (a misspelling must not become a new
    /// colleague) unless this asks for new workers to be registered.
    public var createWorkers = false

    public struct Plan: Sendable {
        public var events: [ImportedEvent] = []
        public var problems: [ImportProblem] = []
        /// Problems that stop the import whatever `--skip-invalid` says (the file itself is wrong).
        public var fileProblems: [ImportProblem] = []
        /// People rows with a problem, by line: what `--rejects` writes.
        public var rejectedLines: Set<Int> = []
        public var peopleAdded = 0
        /// Already in the caseload (same NHS number or id): not imported again.
        public var peopleMatched = 0
        public var counts: [String: Int] = [:]
        /// Each accepted people row: its line, the person's id, and whether they are new.
        public var people: [PersonRow] = []
    }

    public struct PersonRow: Sendable, Hashable {
        public var line: Int
        public var patientId: UUID
        public var added: Bool
    }

    public init(state: CaseloadState, asOf: Day, workerSlug: @escaping (String) -> String, createWorkers: Bool = false) {
        self.state = state; self.asOf = asOf; self.workerSlug = workerSlug; self.createWorkers = createWorkers
    }

    /// Which column each header is: mapped, recognised, ignored, or a problem.
    public func columns(of table: CSVTable, file: String, mapping: ColumnMapping?) -> Result<[PeopleColumn: String], Problems<ImportProblem>> {
        var result: [PeopleColumn: String] = [:]
        var problems: [ImportProblem] = []
        if let mapping {
            for (c, h) in mapping.columns {
                if table.has(h) { result[c] = h } else { problems.append(ImportProblem(file: file, line: 1, column: h, "the mapping names this header for \(c.rawValue), but the file has no such column")) }
            }
        }
        let mappedHeaders = Set(result.values)
        for h in table.header where !mappedHeaders.contains(h) && !(mapping?.ignored.contains(h) ?? false) {
            if let c = PeopleColumn.headers[PeopleColumn.fold(h)], result[c] == nil { result[c] = h; continue }
            problems.append(ImportProblem(file: file, line: 1, column: h, "unknown column; map it in a --map file (e.g. referrer = \"\(h)\") or ignore it (ignore = \"\(h)\")"))
        }
        if result[.name] == nil { problems.append(ImportProblem(file: file, line: 1, "no column for the person's name (e.g. \"Name\")")) }
        if result[.referralDate] == nil { problems.append(ImportProblem(file: file, line: 1, "no column for the referral date (e.g. \"Referral date\")")) }
        return problems.isEmpty ? .success(result) : .failure(Problems(problems))
    }

    /// Plans the whole import. `related` holds the other files of an export folder by name
    /// (sessions.csv, goals.csv, ...); empty for a single spreadsheet.
    /// `progress` hears how many of the people rows are checked, every 500 and at the end.
    public func plan(people: CSVTable, file: String, mapping: ColumnMapping?, related: [String: CSVTable] = [:],
                     progress: ((_ done: Int, _ total: Int) -> Void)? = nil) -> Plan {
        var plan = Plan()
        let cols: [PeopleColumn: String]
        switch columns(of: people, file: file, mapping: mapping) {
        case .failure(let p): plan.fileProblems = p.items; return plan
        case .success(let c): cols = c
        }
        let known = KnownPeople(state)
        var workers = state.workers
        var patientIds: [String: UUID] = [:]     // the file's id → ours
        var skipRelatedOf: Set<String> = []      // file ids whose related rows must not be imported
        var nhsSeen: [String: Int] = [:]
        var events: [ImportedEvent] = []

        if let w = related["workers.csv"] {
            for r in w.rows {
                let id = w.value(r, "id"), name = w.value(r, "name")
                guard !id.isEmpty, !name.isEmpty else { plan.fileProblems.append(ImportProblem(file: "workers.csv", line: r.line, "a worker needs an id and a name")); continue }
                if workers[id] != nil { continue }
                let team = w.value(r, "team"), role = w.value(r, "role")
                workers[id] = Worker(id: id, name: name, team: team.isEmpty ? nil : team, role: role.isEmpty ? nil : role)
                events.append(ImportedEvent(body: .workerRegistered(WorkerRegistered(workerId: id, name: name, team: team.isEmpty ? nil : team, role: role.isEmpty ? nil : role)), author: nil))
            }
        }

        for (done, row) in people.rows.enumerated() {
            if done % 500 == 0 { progress?(done, people.rows.count) }
            var problems: [ImportProblem] = []
            func cell(_ c: PeopleColumn) -> String {
                guard let h = cols[c] else { return "" }
                return Self.unprotect(people.value(row, h))
            }
            func bad(_ c: PeopleColumn, _ message: String) {
                problems.append(ImportProblem(file: file, line: row.line, column: cols[c] ?? c.rawValue, message))
            }
            func date(_ c: PeopleColumn) -> Day? {
                let t = cell(c)
                if t.isEmpty { return nil }
                switch SpreadsheetDate.parse(t) {
                case .success(let d): return d
                case .failure(let m): bad(c, m.description); return nil
                }
            }
            func vocab<V: Vocabulary>(_ c: PeopleColumn, _ type: V.Type) -> V? {
                let t = cell(c)
                if t.isEmpty { return nil }
                guard let v = V.parse(t) else { bad(c, "'\(t)' is not one of: \(V.choices)"); return nil }
                return v
            }
            func yesNo(_ c: PeopleColumn) -> Bool? {
                let t = PeopleColumn.fold(cell(c))
                if t.isEmpty { return nil }
                if ["yes", "y", "true", "1", "given", "consented"].contains(t) { return true }
                if ["no", "n", "false", "0", "withdrawn", "declined", "refused"].contains(t) { return false }
                bad(c, "'\(cell(c))' is not yes or no")
                return nil
            }

            // Every cell within its field's limit, so the records it makes can be read back.
            for c in cols.keys {
                if let tooLong = RecordLimits.textProblem(field: c.rawValue, cell(c), long: c == .referralNote) { bad(c, tooLong) }
            }
            let name = cell(.name)
            if name.isEmpty { bad(.name, "the name is empty") }
            var nhs: NHSNumber?
            if !cell(.nhsNumber).isEmpty {
                switch NHSNumber.parse(cell(.nhsNumber)) {
                case .success(let n):
                    nhs = n
                    if let first = nhsSeen[n.digits] { bad(.nhsNumber, "NHS number \(n.formatted) is also on line \(first)") } else { nhsSeen[n.digits] = row.line }
                case .failure(let p): bad(.nhsNumber, "invalid NHS number '\(cell(.nhsNumber))': \(p)")
                }
            }
            let dob = date(.dateOfBirth)
            let referralDate = date(.referralDate)
            if cell(.referralDate).isEmpty { bad(.referralDate, "the referral date is empty") }
            if let dob, dob > asOf { bad(.dateOfBirth, "\(dob) is in the future") }
            let statusDate = date(.statusDate)
            let source = vocab(.source, ReferralSource.self) ?? .other
            let status = vocab(.status, PatientStatus.self) ?? .referred
            var reasons: [ReferralReason] = []
            for part in cell(.reasons).split(whereSeparator: { $0 == ";" || $0 == "," }) {
                let t = SpaceTrim.trimmed(part)
                if t.isEmpty { continue }
                if let r = ReferralReason.parse(t) { if !reasons.contains(r) { reasons.append(r) } } else { bad(.reasons, "'\(t)' is not one of: \(ReferralReason.choices)") }
            }
            let consentSP = yesNo(.consentSocialPrescribing), consentGP = yesNo(.consentShareWithGP)
            // From an export: every status the case went through, "status:date;...".
            var history: [(PatientStatus, Day)] = []
            for part in cell(.statusHistory).split(separator: ";") {
                let bits = part.split(separator: ":")
                guard bits.count == 2, let st = PatientStatus.parse(String(bits[0])), let d = Day(String(bits[1])) else {
                    bad(.statusHistory, "'\(part)' is not status:YYYY-MM-DD"); continue
                }
                history.append((st, d))
            }
            var fileId = cell(.id)
            var newId: UUID?
            if !fileId.isEmpty {
                if let u = UUID(uuidString: fileId) { newId = u } else { bad(.id, "'\(fileId)' is not an id written by caseload export (leave the id column out of a spreadsheet of your own)") }
            }
            if fileId.isEmpty { fileId = "line \(row.line)" }
            var workerId: String?
            let w = cell(.worker)
            if !w.isEmpty {
                if workers[w] != nil { workerId = w }
                else if let known = workers.values.first(where: { SearchText.fold($0.name) == SearchText.fold(w) }) { workerId = known.id }
                else if !createWorkers {
                    bad(.worker, "'\(w)' is not a worker of this caseload (known: \(Self.knownNames(workers))); correct the name, or import with --create-workers to register new workers")
                } else {
                    let id = workerSlug(w)
                    workers[id] = Worker(id: id, name: w)
                    workerId = id
                    events.append(ImportedEvent(body: .workerRegistered(WorkerRegistered(workerId: id, name: w, team: nil)), author: nil))
                }
            }

            if !problems.isEmpty {
                plan.problems += problems
                plan.rejectedLines.insert(row.line)
                skipRelatedOf.insert(fileId)
                continue
            }
            // Already here: the same NHS number, or the same id (a re-import of an export), or,
            // with no NHS number on either side, the same name, birth date and referral date.
            var existing: Patient?
            if let nhs { existing = known.byNHS[nhs.digits] }
            if existing == nil, let newId { existing = state.patients[newId] }
            if existing == nil, nhs == nil { existing = known.byDetails[PersonKey(name: name, dateOfBirth: dob, referralDate: referralDate)] }
            if let existing {
                plan.peopleMatched += 1
                plan.people.append(PersonRow(line: row.line, patientId: existing.id, added: false))
                patientIds[fileId] = existing.id
                continue
            }
            let pid = newId ?? UUID.random()
            patientIds[fileId] = pid
            let date = referralDate!
            func text(_ c: PeopleColumn) -> String? { let t = cell(c); return t.isEmpty ? nil : t }
            events.append(ImportedEvent(body: .patientReferred(PatientReferred(
                patientId: pid, name: name, preferredName: text(.preferredName), dateOfBirth: dob, nhsNumber: nhs,
                phone: text(.phone), address: text(.address), gpPractice: text(.gpPractice), worker: workerId,
                referral: Referral(date: date, source: source, referrer: text(.referrer), reasons: reasons, text: text(.referralNote)))), author: nil))
            if let c = consentSP { events.append(ImportedEvent(body: .consentRecorded(ConsentRecorded(patientId: pid, kind: .socialPrescribing, given: c, date: date)), author: nil)) }
            if let c = consentGP { events.append(ImportedEvent(body: .consentRecorded(ConsentRecorded(patientId: pid, kind: .shareWithGP, given: c, date: date)), author: nil)) }
            // The reason belongs to the latest change of status.
            let changes = history.count > 1 ? Array(history.dropFirst()) : status != .referred ? [(status, statusDate ?? date)] : []
            for (i, (st, d)) in changes.enumerated() {
                let reason = i == changes.count - 1 ? text(.statusReason) : nil
                events.append(ImportedEvent(body: .patientStatusChanged(PatientStatusChanged(patientId: pid, status: st, date: d, reason: reason)), author: nil))
            }
            plan.peopleAdded += 1
            plan.people.append(PersonRow(line: row.line, patientId: pid, added: true))
        }
        progress?(people.rows.count, people.rows.count)
        var r = RelatedImport(state: state, patientIds: patientIds, skipRelatedOf: skipRelatedOf)
        // The people's events go first and the related rows' after them, in one array grown
        // once: a caseload's events are held once, not copied from one array to the next.
        r.events = events
        events = []
        r.events.reserveCapacity(r.events.count + related.values.reduce(0) { $0 + $1.rows.count })
        r.run(related)
        plan.events = r.events
        plan.fileProblems += r.problems
        plan.counts = r.counts
        return plan
    }

    /// How a row finds someone already in the caseload, without a scan per row.
    struct PersonKey: Hashable { var name: String; var dateOfBirth: Day?; var referralDate: Day? }

    struct KnownPeople {
        var byNHS: [String: Patient] = [:]
        /// People without an NHS number, by name, birth date and referral date.
        var byDetails: [PersonKey: Patient] = [:]
        init(_ state: CaseloadState) {
            for p in state.patients.values {
                if let n = p.nhsNumber { byNHS[n.digits] = p }
                else { byDetails[PersonKey(name: p.name, dateOfBirth: p.dateOfBirth, referralDate: p.referral.date)] = p }
            }
        }
    }

    /// The known workers' names for a message, alphabetically, a screenful at most.
    static func knownNames(_ workers: [String: Worker]) -> String {
        let names = workers.values.map(\.name).sorted()
        if names.isEmpty { return "none yet" }
        return names.prefix(20).joined(separator: ", ") + (names.count > 20 ? " and \(names.count - 20) more" : "")
    }

    /// Undoes the `'` that `caseload export` puts before a cell a spreadsheet would run as a formula.
    static func unprotect(_ s: String) -> String {
        if s.hasPrefix("'"), let c = s.unicodeScalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(c) { return String(s.dropFirst()) }
        return s
    }
}
