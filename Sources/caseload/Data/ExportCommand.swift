import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal
import Foundation

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write the caseload out as JSON or as CSV files (one per kind of record), or one person's whole record (--patient).")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "json or csv.") var format: String?
    @Option(help: "Folder to write into (created if needed).") var out: String
    @Flag(help: "Start CSV files with a UTF-8 byte order mark, for older Excel.") var bom = false
    @Option(help: "One person's whole record, for a subject access request: every event about them, as JSON and as readable text. The person is given as to every command: id, NHS number or name.") var patient: String?

    func run() throws {
        if patient != nil, format != nil { throw CLIError("--patient writes both JSON and text; leave out --format") }
        guard let format = self.format ?? (patient == nil ? nil : "json") else { throw CLIError("give --format json or csv (or --patient PATIENT for one person's record)") }
        guard ["json", "csv"].contains(format) else { throw CLIError("--format is json or csv, not '\(format)'") }
        if let patient {
            let opened = try data.openToView(patient, how: .export, asOf: asOf.today)
            defer { opened.store.close() }
            try exportRecord(of: opened.patient, store: opened.store)
            return opened.recordShown()
        }
        let store = try data.open(.readOnly)
        let s = store.state
        let today = asOf.today
        let dir = URL(fileURLWithPath: out)
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        catch { throw CLIError("cannot create \(out): \(error.localizedDescription)") }
        let patients = s.patientList(includingRestricted: true)
        var written: [String] = []
        if format == "json" {
            // The object's members in sorted order (exportedOn, patients, services, workers), a
            // person at a time, streamed to disk: the same bytes as encoding it whole.
            let path = dir.appendingPathComponent("caseload.json").path
            let file: PrivateFile.Writer
            do { file = try PrivateFile.Writer(path) } catch { throw CLIError("cannot write \(path): \(error)") }
            let json = PrettyJSONStream()
            func flush() throws {
                do { try json.drain(file.append) } catch { throw CLIError("cannot write \(path): \(error)") }
            }
            let duplicates = s.likelyDuplicates()
            try json.member("exportedOn", today)
            json.beginArray("patients")
            for p in patients {
                try json.element(PatientDetailJSON(p, state: s, asOf: today, duplicates: duplicates))
                if json.bytes.count >= CSVFile.flushAt { try flush() }
            }
            json.endArray()
            try json.member("services", s.services.values.sorted { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }.map(ServiceJSON.init))
            try json.member("workers", s.workers.values.sorted { $0.id < $1.id })
            json.end()
            try flush()
            do { try file.commit() } catch { throw CLIError("cannot write \(path): \(error)") }
            written.append(path)
        } else {
            let id = { (u: UUID) in u.lowercasedString }
            let opt = { (d: Day?) in d.map { "\($0)" } ?? "" }
            // Every file is streamed to disk as its rows are made; each gets its name (synced,
            // renamed) in this order once all are written.
            var files: [CSVFile] = []
            func csv(_ name: String, _ header: [String]) throws -> CSVFile {
                let f = try CSVFile(dir.appendingPathComponent(name).path, header: header, bom: bom)
                files.append(f)
                return f
            }
            let workers = try csv("workers.csv", ["id", "name", "team", "role"])
            let t = try csv("patients.csv", PeopleColumn.allCases.map(\.rawValue))
            let sessions = try csv("sessions.csv", ["id", "patientId", "date", "kind", "minutes", "author", "versions", "note", "outcome"])
            let goals = try csv("goals.csv", ["id", "patientId", "text", "status", "created", "progress"])
            let measures = try csv("measures.csv", ["id", "patientId", "instrument", "date", "answers", "raw", "metric", "total"])
            let connections = try csv("connections.csv", ["id", "patientId", "serviceId", "service", "stage", "accompanied", "date", "stageDate", "history"])
            let followups = try csv("followups.csv", ["id", "patientId", "due", "status", "worker", "reason", "closedOn", "firstDue", "reschedules"])
            // The risk register; a "none" row is a recorded "no known risks".
            let risks = try csv("risks.csv", ["id", "patientId", "kind", "date", "note", "raisedWith", "resolvedOn", "resolveReason"])
            let services = try csv("services.csv", ["id", "name", "organisation", "category", "contact", "address", "times", "externalId", "source", "lastModified", "delistedOn"])
            for p in patients { t.add(PeopleColumn.allCases.map { $0.exported(p) }) }
            for w in s.workers.values.sorted(by: { $0.id < $1.id }) { workers.add([w.id, w.name, w.team ?? "", w.role ?? ""]) }
            let risksOf = s.risksByPatient()
            for p in patients {
                let pid = id(p.id)
                for r in risksOf[p.id] ?? [] { risks.add([id(r.id), pid, r.kind.rawValue, "\(r.date)", r.note ?? "", r.raisedWith ?? "", opt(r.resolvedOn), r.resolveReason ?? ""]) }
                if let d = s.noKnownRisks[p.id] { risks.add(["", pid, "none", "\(d)", "", "", "", ""]) }
                for x in s.sessions(of: p.id) { sessions.add([id(x.id), pid, "\(x.date)", x.kind.rawValue, x.minutes.map(String.init) ?? "", x.author, "\(x.versions.count)", x.note, x.outcome.rawValue]) }
                for g in s.goals(of: p.id) { goals.add([id(g.id), pid, g.text, g.status.rawValue, "\(g.created)", g.progress.map { "\($0.date):\($0.score)" }.joined(separator: ";")]) }
                for m in s.measures(of: p.id) {
                    var raw = "", metric = "", total = ""
                    switch m.score {
                    case let .swemwbs(r, met)?: raw = "\(r)"; metric = MeasureText.number(met)
                    case let .ucla3(t)?: total = "\(t)"
                    default: break
                    }
                    measures.add([id(m.id), pid, m.instrument.rawValue, "\(m.date)", m.answers.map(String.init).joined(separator: ";"), raw, metric, total])
                }
                for c in s.connections(of: p.id) { connections.add([id(c.id), pid, id(c.serviceId), s.services[c.serviceId]?.name ?? "", c.stage.rawValue, c.accompanied ? "yes" : "no",
                                                                   opt(c.history.first?.date), opt(c.history.last?.date),
                                                                   c.history.map { "\($0.stage.rawValue):\($0.date)" }.joined(separator: ";")]) }
                for f in s.followups(of: p.id) { followups.add([id(f.id), pid, "\(f.due)", f.status.rawValue, f.worker ?? "", f.reason ?? "", opt(f.closedOn),
                                                               "\(f.reschedules.first?.from ?? f.due)", f.reschedules.map { "\($0.date)>\($0.to)" }.joined(separator: ";")]) }
            }
            for x in s.services.values.sorted(by: { ($0.name, $0.id.uuidString) < ($1.name, $1.id.uuidString) }) {
                services.add([id(x.id), x.name, x.organisation ?? "", x.category ?? "", x.contact ?? "", x.address ?? "", x.times ?? "",
                              x.externalId ?? "", x.source ?? "", x.lastModified ?? "", opt(x.delistedOn)])
            }
            for f in files {
                try f.finish()
                written.append(f.path)
            }
        }
        for w in written { say("wrote \(w)") }
    }

    struct Record: Encodable {
        var exportedOn: Day
        var patient: PatientDetailJSON
        var drafts: [DraftJSON]
        /// Every event about the person as the journal holds it (undone ones too, with the undo).
        var events: [Event]
    }

    struct DraftJSON: Encodable {
        var id: String
        var date: Day
        var text: String
        var author: String
        init(_ d: Draft) { id = d.id.lowercasedString; date = d.date; text = d.text; author = d.author }
    }

    /// A subject access request: `record.json` and `record.txt` for one person.
    func exportRecord(of p: Patient, store: CaseloadStore) throws {
        let s = store.state
        let events = SubjectAccess.events(about: p.id, in: try store.eventsOfAllJournals())
        let drafts = s.drafts.values.filter { $0.patientId == p.id }.sorted { $0.savedAt < $1.savedAt }.map(DraftJSON.init)
        let record = Record(exportedOn: asOf.today, patient: PatientDetailJSON(p, state: s, asOf: asOf.today), drafts: drafts, events: events)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let folder = URL(fileURLWithPath: out)
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) }
        catch { throw CLIError("cannot create \(out): \(error.localizedDescription)") }
        let files = [("record.json", try encoder.encode(record)),
                     ("record.txt", Data(SubjectAccess.text(p, events: events, state: s, asOf: asOf.today).utf8))]
        for (name, bytes) in files {
            let url = folder.appendingPathComponent(name)
            try writePrivate(bytes, to: url.path)
            say("wrote \(url.path)")
        }
        say("\(events.count) events about \(shortId(p.id))")
    }
}
