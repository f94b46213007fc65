import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import Foundation

/// `caseload audit [PATIENT] [--worker ID]`: who opened or changed which record, and when. A
/// supervisor sees her team's; a worker her own actions and everything about her people.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Who opened or changed which person's record, and when (no content): yours and your people's, or a supervisor's team's.")
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONFlag
    @Argument(help: "Only this person: id, unique id prefix, NHS number or name.") var patient: String?
    @Option(help: "Only what this worker (worker id) did.") var worker: String?

    struct EntryJSON: Encodable {
        var at: String
        var date: Day
        var worker: String
        var patientId: String
        var what: String
        var type: String
        var view: Bool
        var eventId: String
    }

    func run() throws {
        let store = try data.open(.readOnly)
        defer { store.close() }
        let state = store.state
        let pid = try patient.map { try unwrap(state.resolvePatient($0)).id }
        if let worker, state.workers[worker] == nil, worker != store.workerId {
            throw CLIError("no worker '\(worker)' is known here (worker ids, as in patient list)")
        }
        let viewer = Audit.Viewer(workerId: store.workerId, state: state)
        let entries = Audit.entries(in: try store.eventsOfAllJournals(), state: state, viewer: viewer, patientId: pid, worker: worker)
        if output.json {
            return try printJSON(entries.map { e in
                EntryJSON(at: e.when, date: SubjectAccess.day(of: e.clock), worker: e.worker, patientId: e.patientId.lowercasedString,
                          what: e.what, type: e.type, view: e.isView, eventId: e.eventId.lowercasedString)
            })
        }
        var table = TextTable(["WHEN", "WORKER", "PERSON", "WHAT"])
        for e in entries { table.add([e.when, e.worker, shortId(e.patientId), e.what]) }
        table.print()
        let views = entries.filter(\.isView).count
        let scope = viewer.isSupervisor ? (viewer.team.map { "team \($0)" } ?? "every team") : "yours and your people's"
        say("\(entries.count) \(entries.count == 1 ? "entry" : "entries") (\(views) \(views == 1 ? "view" : "views"), \(entries.count - views) \(entries.count - views == 1 ? "change" : "changes")); \(scope)")
    }
}
