import Foundation

/// What is wrong with one cell (or row, or file) of an import, and where.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: String?
    public var message: String
    public init(file: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }
    public var description: String {
        "\(file)" + (line.map { " line \($0)" } ?? "") + (column.map { ", column \"\($0)\"" } ?? "") + ": " + message
    }
}

/// Every problem found, not just the first: a person fixes a file once, not once per error.
public struct Problems<P: Sendable & Hashable>: Error, Sendable, Hashable {
    public var items: [P]
    public init(_ items: [P]) { self.items = items }
}

/// A one-line problem to show as it is.
public struct ImportMessage: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An event an import will write; `author` keeps who wrote a session in the exported caseload.
public struct ImportedEvent: Sendable, Hashable {
    public var body: EventBody
    public var author: String?
}

/// The columns of a people spreadsheet that Caseload understands.
public enum PeopleColumn: String, CaseIterable, Sendable {
    case id, name, preferredName, nhsNumber, dateOfBirth, phone, address, gpPractice, worker, status, statusDate,
         referralDate, source, referrer, reasons, referralNote, consentSocialPrescribing, consentShareWithGP, lastContact, statusHistory, statusReason

    /// Headers people commonly use, folded (lowercase letters and digits only).
    static let headers: [String: PeopleColumn] = {
        var h: [String: PeopleColumn] = [:]
        let names: [PeopleColumn: [String]] = [
            .id: ["id"],
            .name: ["name", "fullname", "patientname", "clientname", "patient", "client", "person"],
            .preferredName: ["preferredname", "knownas"],
            .nhsNumber: ["nhsnumber", "nhsno", "nhs", "nhsnum"],
            .dateOfBirth: ["dateofbirth", "dob", "birthdate", "born"],
            .phone: ["phone", "telephone", "tel", "mobile", "phonenumber", "contactnumber"],
            .address: ["address", "homeaddress"],
            .gpPractice: ["gppractice", "practice", "gpsurgery", "surgery", "gp"],
            .worker: ["worker", "linkworker", "assignedto", "caseworker"],
            .status: ["status", "casestatus"],
            .statusDate: ["statusdate", "statussince"],
            .referralDate: ["referraldate", "datereferred", "referredon", "dateofreferral"],
            .source: ["source", "referralsource", "referrertype"],
            .referrer: ["referrer", "referrername", "referredby"],
            .reasons: ["reasons", "reason", "referralreason", "referralreasons", "needs"],
            .referralNote: ["referralnote", "referraltext"],
            .consentSocialPrescribing: ["consentsocialprescribing", "consent", "consented"],
            .consentShareWithGP: ["consentsharewithgp", "sharewithgp", "gpconsent", "consenttosharewithgp"],
            .lastContact: ["lastcontact"],
            .statusHistory: ["statushistory"],
            .statusReason: ["statusreason", "dischargereason"],
        ]
        for (c, list) in names { for n in list { h[n] = c } }
        return h
    }()

    static func fold(_ s: String) -> String { String(s.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }) }
}

/// Which header in the file holds which column: from a mapping file, else recognised.
///
///     # caseload import mapping
///     name = "Client name"
///     nhsNumber = "NHS No."
///     ignore = "Notes"
public struct ColumnMapping: Sendable, Hashable {
    public var columns: [PeopleColumn: String] = [:]
    public var ignored: Set<String> = []
    public init() {}

    public static func parse(_ text: String) -> Result<ColumnMapping, ImportMessage> {
        var m = ColumnMapping()
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "=") else { return .failure(ImportMessage("line \(i + 1): expected field = \"Header in file\"")) }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == "\"", value.last == "\"" { value = String(value.dropFirst().dropLast()) }
            guard !value.isEmpty else { return .failure(ImportMessage("line \(i + 1): no header named for \(key)")) }
            if PeopleColumn.fold(key) == "ignore" { m.ignored.insert(value); continue }
            guard let column = PeopleColumn.allCases.first(where: { PeopleColumn.fold($0.rawValue) == PeopleColumn.fold(key) }) else {
                return .failure(ImportMessage("line \(i + 1): unknown field \"\(key)\"; fields are \(PeopleColumn.allCases.map(\.rawValue).joined(separator: ", ")), ignore"))
            }
            m.columns[column] = value
        }
        return .success(m)
    }
}

/// Dates as spreadsheets hold them: ISO `YYYY-MM-DD` or UK `dd/mm/yyyy` (a time after it is
/// ignored). A US `mm/dd/yyyy` date whose day is over 12 is refused rather than read wrongly.
public enum SpreadsheetDate {
    public static func parse(_ text: String) -> Result<Day, ImportMessage> {
        var t = text.trimmingCharacters(in: .whitespaces)
        if let space = t.firstIndex(of: " ") { t = String(t[..<space]) }
        if t.count > 10, t.dropFirst(10).first == "T" { t = String(t.prefix(10)) }
        if let d = Day(t) { return .success(d) }
        let parts = t.split(whereSeparator: { $0 == "/" || $0 == "." || $0 == "-" }).map(String.init)
        guard parts.count == 3, let a = Int(parts[0]), let b = Int(parts[1]), let y = Int(parts[2]) else {
            return .failure(ImportMessage("'\(text)' is not a date (use YYYY-MM-DD or dd/mm/yyyy)"))
        }
        if parts[0].count == 4 { return .failure(ImportMessage("'\(text)' is not a real date (YYYY-MM-DD)")) }
        guard parts[2].count == 4 else { return .failure(ImportMessage("'\(text)': give the year in full (dd/mm/yyyy)")) }
        if b > 12, a <= 12 {
            return .failure(ImportMessage("'\(text)' looks like a US month/day date; dates are read as dd/mm/yyyy (UK), so write it as \(String(format: "%02d/%02d/%04d", b, a, y)) or YYYY-MM-DD"))
        }
        guard let d = Day(year: y, month: b, day: a) else { return .failure(ImportMessage("'\(text)' is not a real date (dd/mm/yyyy)")) }
        return .success(d)
    }
}

/// Turns a people spreadsheet (and, from a `caseload export --format csv` folder, its related
/// files) into events, checking every cell first. Pure: the caller reads files and appends.
public struct CaseloadImport {
    public var state: CaseloadState
    public var asOf: Day
    /// Makes a worker id from a name ("Amira Haddad" → "amira-haddad").
    public var workerSlug: (String) -> String

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
    }

    public init(state: CaseloadState, asOf: Day, workerSlug: @escaping (String) -> String) {
        self.state = state; self.asOf = asOf; self.workerSlug = workerSlug
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
    public func plan(people: CSVTable, file: String, mapping: ColumnMapping?, related: [String: CSVTable] = [:]) -> Plan {
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

        for row in people.rows {
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
                let t = part.trimmingCharacters(in: .whitespaces)
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
                else {
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
                patientIds[fileId] = existing.id
                continue
            }
            let pid = newId ?? UUID()
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
        }
        var r = RelatedImport(state: state, patientIds: patientIds, skipRelatedOf: skipRelatedOf)
        r.run(related)
        plan.events = events + r.events
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

    /// Undoes the `'` that `caseload export` puts before a cell a spreadsheet would run as a formula.
    static func unprotect(_ s: String) -> String {
        if s.hasPrefix("'"), let c = s.unicodeScalars.dropFirst().first, "=+-@\t\r".unicodeScalars.contains(c) { return String(s.dropFirst()) }
        return s
    }
}

/// The other files of a `caseload export --format csv` folder: services, sessions, goals,
/// measures, connections and follow-ups, tied to people by the export's ids.
struct RelatedImport {
    let state: CaseloadState
    let patientIds: [String: UUID]
    let skipRelatedOf: Set<String>
    var events: [ImportedEvent] = []
    var problems: [ImportProblem] = []
    var counts: [String: Int] = [:]
    var services: Set<UUID> = []

    init(state: CaseloadState, patientIds: [String: UUID], skipRelatedOf: Set<String>) {
        self.state = state; self.patientIds = patientIds; self.skipRelatedOf = skipRelatedOf
        services = Set(state.services.keys)
    }

    mutating func run(_ files: [String: CSVTable]) {
        if let t = files["services.csv"] { each(t, "services.csv", ["id", "name"], Self.serviceRow) }
        if let t = files["sessions.csv"] { each(t, "sessions.csv", ["id", "patientId", "date", "kind"], Self.sessionRow) }
        if let t = files["goals.csv"] { each(t, "goals.csv", ["id", "patientId", "text", "status", "created"], Self.goalRow) }
        if let t = files["measures.csv"] { each(t, "measures.csv", ["id", "patientId", "instrument", "date", "answers"], Self.measureRow) }
        if let t = files["connections.csv"] { each(t, "connections.csv", ["id", "patientId", "serviceId", "stage", "date"], Self.connectionRow) }
        if let t = files["followups.csv"] { each(t, "followups.csv", ["id", "patientId", "due", "status"], Self.followupRow) }
    }

    /// One row's cells, with checks that record a problem at the row's line.
    struct Cells {
        let table: CSVTable, row: CSVRecord, file: String
        var problems: [ImportProblem] = []
        func text(_ c: String) -> String { CaseloadImport.unprotect(table.value(row, c)) }
        /// Free text as written, untrimmed.
        func raw(_ c: String) -> String { CaseloadImport.unprotect(table.raw(row, c)) }
        func optional(_ c: String) -> String? { let t = text(c); return t.isEmpty ? nil : t }
        mutating func bad(_ c: String, _ m: String) { problems.append(ImportProblem(file: file, line: row.line, column: c, m)) }
        mutating func uuid(_ c: String) -> UUID? {
            guard let u = UUID(uuidString: text(c)) else { bad(c, "'\(text(c))' is not an id"); return nil }
            return u
        }
        mutating func day(_ c: String) -> Day? {
            switch SpreadsheetDate.parse(text(c)) {
            case .success(let d): return d
            case .failure(let m): bad(c, m.description); return nil
            }
        }
        mutating func optionalDay(_ c: String) -> Day? { text(c).isEmpty ? nil : day(c) }
        mutating func vocab<V: Vocabulary>(_ c: String, _ t: V.Type) -> V? {
            guard let v = V.parse(text(c)) else { bad(c, "'\(text(c))' is not one of: \(V.choices)"); return nil }
            return v
        }
    }

    mutating func each(_ t: CSVTable, _ file: String, _ required: [String], _ handle: (inout RelatedImport, inout Cells) -> [EventBodyWithAuthor]?) {
        for c in required where !t.has(c) { problems.append(ImportProblem(file: file, line: 1, column: c, "this column is missing")) }
        if required.contains(where: { !t.has($0) }) { return }
        var n = 0
        for row in t.rows {
            var cells = Cells(table: t, row: row, file: file)
            let out = handle(&self, &cells)
            problems += cells.problems
            if cells.problems.isEmpty, let out, !out.isEmpty {
                events += out.map { ImportedEvent(body: $0.0, author: $0.1) }
                n += 1
            }
        }
        counts[String(file.dropLast(4)), default: 0] += n
    }

    typealias EventBodyWithAuthor = (EventBody, String?)

    /// The patient a related row belongs to; nil (and no problem) when that person was
    /// rejected, and a problem when the id names nobody in the people file.
    static func patient(_ me: RelatedImport, _ c: inout Cells) -> UUID? {
        let key = c.text("patientId")
        if me.skipRelatedOf.contains(key) { return nil }
        guard let id = me.patientIds[key] else { c.bad("patientId", "no one in the people file has the id '\(key)'"); return nil }
        return id
    }

    static func serviceRow(_ me: inout RelatedImport, _ c: inout Cells) -> [EventBodyWithAuthor]? {
        guard let id = c.uuid("id") else { return nil }
        let name = c.text("name")
        if name.isEmpty { c.bad("name", "the service name is empty") }
        let delisted = c.optionalDay("delistedOn")
        guard c.problems.isEmpty, !me.state.services.keys.contains(id) else { return nil }
        me.services.insert(id)
        var out: [EventBodyWithAuthor] = [(.serviceAdded(ServiceAdded(
            serviceId: id, name: name, organisation: c.optional("organisation"), category: c.optional("category"), contact: c.optional("contact"),
            address: c.optional("address"), times: c.optional("times"), externalId: c.optional("externalId"), source: c.optional("source"),
            lastModified: c.optional("lastModified"))), nil)]
        if let delisted { out.append((.serviceDelisted(ServiceDelisted(serviceId: id, date: delisted)), nil)) }
        return out
    }

    static func sessionRow(_ me: inout RelatedImport, _ c: inout Cells) -> [EventBodyWithAuthor]? {
        guard let id = c.uuid("id"), let pid = patient(me, &c) else { return nil }
        let date = c.day("date"), kind = c.vocab("kind", SessionKind.self)
        var minutes: Int?
        if !c.text("minutes").isEmpty {
            if let m = Int(c.text("minutes")), (0...1440).contains(m) { minutes = m } else { c.bad("minutes", "'\(c.text("minutes"))' is not a number of minutes") }
        }
        guard c.problems.isEmpty, me.state.sessions[id] == nil, let date, let kind else { return nil }
        return [(.sessionRecorded(SessionRecorded(sessionId: id, patientId: pid, date: date, kind: kind, minutes: minutes, note: c.raw("note"))), c.optional("author"))]
    }

    static func goalRow(_ me: inout RelatedImport, _ c: inout Cells) -> [EventBodyWithAuthor]? {
        guard let id = c.uuid("id"), let pid = patient(me, &c) else { return nil }
        let created = c.day("created"), status = c.vocab("status", GoalStatus.self)
        var points: [ProgressPoint] = []
        for part in c.text("progress").split(separator: ";") {
            let bits = part.split(separator: ":")
            guard bits.count == 2, let d = Day(String(bits[0])), let s = Int(bits[1]), (0...10).contains(s) else {
                c.bad("progress", "'\(part)' is not date:score (e.g. 2026-11-02:4)"); continue
            }
            points.append(ProgressPoint(date: d, score: s))
        }
        guard c.problems.isEmpty, me.state.goals[id] == nil, let created, let status else { return nil }
        let first = points.first.flatMap { $0.date == created ? $0.score : nil }
        var out: [EventBodyWithAuthor] = [(.goalSet(GoalSet(goalId: id, patientId: pid, text: c.raw("text"), date: created, progress: first)), nil)]
        for p in points.dropFirst(first == nil ? 0 : 1) { out.append((.goalProgressed(GoalProgressed(goalId: id, score: p.score, date: p.date)), nil)) }
        if status != .active { out.append((.goalStatusChanged(GoalStatusChanged(goalId: id, status: status, date: points.last?.date ?? created)), nil)) }
        return out
    }

    static func measureRow(_ me: inout RelatedImport, _ c: inout Cells) -> [EventBodyWithAuthor]? {
        guard let id = c.uuid("id"), let pid = patient(me, &c) else { return nil }
        let date = c.day("date"), instrument = c.vocab("instrument", Instrument.self)
        let answers = c.text("answers").split(separator: ";").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        if let instrument, let problem = instrument.validate(answers) { c.bad("answers", problem.description) }
        guard c.problems.isEmpty, me.state.measures[id] == nil, let date, let instrument else { return nil }
        return [(.measureRecorded(MeasureRecorded(measureId: id, patientId: pid, instrument: instrument, answers: answers, date: date)), nil)]
    }

    static func connectionRow(_ me: inout RelatedImport, _ c: inout Cells) -> [EventBodyWithAuthor]? {
        guard let id = c.uuid("id"), let pid = patient(me, &c), let sid = c.uuid("serviceId") else { return nil }
        if !me.services.contains(sid) { c.bad("serviceId", "no service has the id '\(c.text("serviceId"))' (is services.csv there?)") }
        let stage = c.vocab("stage", ConnectionStage.self)
        let accompanied = ["yes", "true", "1", "y"].contains(c.text("accompanied").lowercased())
        let date = c.day("date")
        var history: [(ConnectionStage, Day)] = []
        for part in c.text("history").split(separator: ";") {
            let bits = part.split(separator: ":")
            guard bits.count == 2, let st = ConnectionStage.parse(String(bits[0])), let d = Day(String(bits[1])) else {
                c.bad("history", "'\(part)' is not stage:YYYY-MM-DD"); continue
            }
            history.append((st, d))
        }
        guard c.problems.isEmpty, me.state.connections[id] == nil, let stage, let date else { return nil }
        let first = history.first ?? (stage, date)
        var out: [EventBodyWithAuthor] = [(.connectionMade(ConnectionMade(connectionId: id, patientId: pid, serviceId: sid, stage: first.0,
                                                                          accompanied: accompanied, date: first.1)), nil)]
        for (st, d) in history.dropFirst() { out.append((.connectionStageChanged(ConnectionStageChanged(connectionId: id, stage: st, date: d)), nil)) }
        return out
    }

    static func followupRow(_ me: inout RelatedImport, _ c: inout Cells) -> [EventBodyWithAuthor]? {
        guard let id = c.uuid("id"), let pid = patient(me, &c) else { return nil }
        let due = c.day("due"), status = c.vocab("status", FollowupStatus.self), closed = c.optionalDay("closedOn")
        let firstDue = c.optionalDay("firstDue")
        var moves: [(Day, Day)] = []
        for part in c.text("reschedules").split(separator: ";") {
            let bits = part.split(separator: ">")
            guard bits.count == 2, let on = Day(String(bits[0])), let to = Day(String(bits[1])) else {
                c.bad("reschedules", "'\(part)' is not YYYY-MM-DD>YYYY-MM-DD"); continue
            }
            moves.append((on, to))
        }
        guard c.problems.isEmpty, me.state.followups[id] == nil, let due, let status else { return nil }
        var out: [EventBodyWithAuthor] = [(.followupScheduled(FollowupScheduled(followupId: id, patientId: pid, due: moves.isEmpty ? due : (firstDue ?? due),
                                                                                reason: c.optional("reason"), worker: c.optional("worker"))), nil)]
        for (on, to) in moves { out.append((.followupRescheduled(FollowupRescheduled(followupId: id, due: to, reason: nil, date: on)), nil)) }
        switch status {
        case .done: out.append((.followupCompleted(FollowupCompleted(followupId: id, date: closed ?? due)), nil))
        case .cancelled: out.append((.followupCancelled(FollowupCancelled(followupId: id, date: closed ?? due, reason: nil)), nil))
        case .open: break
        }
        return out
    }
}
