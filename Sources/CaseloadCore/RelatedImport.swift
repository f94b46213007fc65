import Foundation

/// The other files of a `caseload export --format csv` folder: services, sessions, goals, risks,
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
        if let t = files["risks.csv"] { each(t, "risks.csv", ["id", "patientId", "kind", "date"], Self.riskRow) }
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
                for (body, author) in out { events.append(ImportedEvent(body: body, author: author)) }
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
        // Exports from before outcomes were kept have no outcome column: attended.
        let outcome = c.text("outcome").isEmpty ? nil : c.vocab("outcome", ContactOutcome.self)
        guard c.problems.isEmpty, me.state.sessions[id] == nil, let date, let kind else { return nil }
        // Written by the importing worker, so their team server takes it; who wrote it first is kept.
        return [(.sessionRecorded(SessionRecorded(sessionId: id, patientId: pid, date: date, kind: kind, minutes: minutes, note: c.raw("note"),
                                                  importedAuthor: c.optional("author"), outcome: outcome == .attended ? nil : outcome)), nil)]
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

    /// A risk, or (kind "none", no id) a recorded "no known risks".
    static func riskRow(_ me: inout RelatedImport, _ c: inout Cells) -> [EventBodyWithAuthor]? {
        guard let pid = patient(me, &c) else { return nil }
        let date = c.day("date")
        if c.text("kind") == "none" {
            guard c.problems.isEmpty, let date else { return nil }
            return [(.noKnownRisks(NoKnownRisks(patientId: pid, date: date)), nil)]
        }
        guard let id = c.uuid("id") else { return nil }
        let kind = c.vocab("kind", RiskKind.self), resolved = c.optionalDay("resolvedOn")
        guard c.problems.isEmpty, me.state.risks[id] == nil, let kind, let date else { return nil }
        var out: [EventBodyWithAuthor] = [(.riskRecorded(RiskRecorded(riskId: id, patientId: pid, kind: kind, note: c.optional("note"),
                                                                      raisedWith: c.optional("raisedWith"), date: date)), nil)]
        if let resolved { out.append((.riskResolved(RiskResolved(riskId: id, date: resolved, reason: c.optional("resolveReason"))), nil)) }
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
