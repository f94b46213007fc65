import ArgumentParser
import CaseloadCommandLine
import CaseloadConfig
import CaseloadCore
import CaseloadJournal
import CaseloadTUI
import CaseloadTerminal
import Foundation

@main
struct Caseload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caseload",
        abstract: "A caseload for social-prescribing link workers: referrals, sessions, goals, measures and follow-ups, offline first.",
        discussion: """
        With no subcommand, opens the terminal app on your caseload. `caseload --demo` opens it on a \
        fresh demo caseload in a temporary folder (your own data is never touched); with --data-dir, \
        the demo is made in that folder the first time and reopened after.

        \(ExitCodes.help)
        """,
        version: BuildInfo.versionLine,
        subcommands: [
            Init.self, PatientCommand.self, SessionCommand.self, GoalCommand.self, MeasureCommand.self,
            ServiceCommand.self, Connect.self, ConnectionCommand.self, FollowupCommand.self, Overdue.self,
            Undo.self, Retention.self, TeamKeyCommand.self, Verify.self, Export.self, Report.self, Demo.self, Keys.self,
            SyncCommand.self, ServerCommand.self, PassphraseCommand.self, EncryptCommand.self,
            GPSummaryCommand.self, ImportCommand.self, RiskCommand.self, InboxCommand.self, AuditCommand.self,
        ]
    )

    /// Runs the command, exiting with the codes in `ExitCodes` whatever the command.
    static func main() { runExitingWithCodes() }

    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption

    @Flag(help: "Open the app on a fresh demo caseload in a temporary folder.")
    var demo = false

    @Option(help: "Colour theme: default, high-contrast, monochrome (or a themes/NAME.toml).")
    var theme: String?

    func run() throws {
        var dir = data.directory
        var temporary: URL?
        if demo {
            // A temporary folder, never the user's own data; `--data-dir` names one to keep
            // (filled with the demo the first time) so a demo session can be reopened.
            if data.dataDir == nil {
                dir = FileManager.default.temporaryDirectory.appendingPathComponent("caseload-demo-\(UUID().uuidString.prefix(8))")
                temporary = dir
            }
        }
        // The temporary demo folder goes on every way out: q, Ctrl-C, SIGTERM or SIGHUP (the
        // app returns from its loop for those), or an error while starting.
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        if demo, !DataDirectory.isInitialized(dir) {
            let progress = ProgressLine(logsWhenPiped: false)
            try Demo.fill(directory: dir, patients: 200, seed: 1, asOf: asOf.today, progress: progress)
            progress.finish()
        }
        var options = TerminalAppOptions(dataDirectory: dir, asOf: asOf.asOf, themeName: theme ?? Caseload.settings.theme, isDemo: demo,
                                         mouse: Caseload.settings.mouse, sender: Caseload.settings.sender,
                                         reviewAfterMissed: Caseload.settings.missedContactsForReview)
        // Asked before the screen is taken over; the demo is never encrypted, so never asks.
        options.codec = try Passphrase.codec(for: dir)
        options.responseDeadlineDays = Caseload.settings.responseDeadlineDays
        options.idleLockSeconds = Caseload.settings.idleLockMinutes * 60
        let code = try runTerminalApp(options)
        if code != 0 { throw ExitCode(code) }
    }
}

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a caseload on this device for a worker.")
    @OptionGroup var data: DataOptions
    @Option(help: "Your name, as colleagues know you.") var worker: String
    @Option(help: "Your team.") var team: String?
    @Flag(help: "Register as a supervisor.") var supervisor = false
    @Flag(help: "Encrypt the caseload at rest with a passphrase (from the terminal, typed twice, or the file named by CASELOAD_PASSPHRASE_FILE).")
    var encrypt = false
    @OptionGroup var output: JSONFlag

    func run() throws {
        if DataDirectory.isInitialized(data.directory) { throw CLIError(StoreError.alreadyInitialized(data.directory.path).description) }
        // Keys are made (libsodium loaded, passphrase read and checked) before anything is written.
        let encryption = encrypt ? try EncryptedCaseload.newKeys(passphrase: try Passphrase.new(fileVariable: Passphrase.fileVariable)) : nil
        let store = try DataDirectory.initialize(at: data.directory, workerName: worker, team: team, role: supervisor ? "supervisor" : nil,
                                                 encryption: encryption)
        defer { store.close() }
        if output.json {
            try printJSON(["workerId": store.workerId, "device": store.device.lowercasedString, "dataDir": data.directory.path])
        } else {
            say("Started a caseload for \(store.workerId) in \(data.directory.path)")
        }
    }
}

struct Overdue: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open follow-ups past their due date, most overdue first.")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: JSONFlag
    @Option(help: "Only this worker's (worker id).") var worker: String?
    @Option(help: "Only this team's, grouped by worker with caseload sizes and when each worker last synced.") var team: String?
    @Flag(name: .customLong("by-worker"), help: "Group by worker (as --team does) without choosing a team.") var byWorker = false
    @Option(name: .customLong("stale-after"), help: "Days without a sync after which a worker's list may be out of date.") var staleAfter = 2

    func run() throws {
        let items: [OverdueItem]
        if team == nil, !byWorker, let digest = CaseloadStore.currentFollowupDigest(dataDirectory: data.directory, dueBefore: asOf.today) {
            // followups.idx still matches the journals: no need to open the whole caseload.
            items = digest.overdue(asOf: asOf.today, worker: worker)
        } else {
            let store = try data.open(.readOnly)
            if team != nil || byWorker { return try printByWorker(store) }
            items = store.state.overdue(asOf: asOf.today, worker: worker, team: team)
            store.writeFollowupIndex() // so the next `overdue` takes the path above
        }
        // The same bytes as printJSON(items.map(OverdueJSON.init)), written directly (tested).
        if output.json { return StandardOutput.bytes(Data(OverdueJSONText.render(items))) }
        if items.isEmpty { return say("Nothing overdue as of \(asOf.today).") }
        var table = TextTable(["FOLLOW-UP", "PATIENT", "WORKER", "DUE", "OVERDUE", "REASON"])
        for i in items {
            table.add([shortId(i.followupId), i.patientName, i.worker, "\(i.due)", "\(i.daysOverdue)d", i.reason ?? ""])
        }
        table.print()
        say("\(items.count) overdue as of \(asOf.today)")
    }

    func printByWorker(_ store: CaseloadStore) throws {
        var rows = store.state.teamOverview(asOf: asOf.today, team: team, thisWorker: store.workerId, staleAfterDays: staleAfter,
                                            utcOffsetSeconds: TimeZone.current.secondsFromGMT(),
                                            notOnServer: SyncRecord.load(store.dataDirectory).notOnServer ?? [:])
        if let worker { rows = rows.filter { $0.worker == worker } }
        if output.json {
            return try printJSON(TeamOverdueJSON(asOf: asOf.today, team: team, staleAfterDays: staleAfter, workers: rows.map(WorkerOverdueJSON.init)))
        }
        if rows.isEmpty { return say("No workers\(team.map { " in team \($0)" } ?? "").") }
        for r in rows {
            let sync = r.syncLabel.isEmpty ? "" : " · " + r.syncLabel
            say("\(r.name) · \(r.caseloadSize) open · \(r.overdue.isEmpty ? "nothing overdue" : "\(r.overdue.count) overdue")\(sync)")
            for i in r.overdue {
                say("  [\(shortId(i.followupId))] \(i.patientName)  due \(i.due) (\(i.daysOverdue)d)  \(i.reason ?? "")")
            }
        }
    }
}

struct Undo: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Undo the last change made on this device (a compensating event; nothing is deleted).")
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONFlag

    func run() throws {
        let store = try data.open()
        defer { store.close() }
        // A change is what one action wrote at once (a contact, the follow-up it closed and the
        // status it moved): undone whole, as the app undoes it. Streamed: only the ids of
        // changes that can be undone are kept, not every event.
        var undone = Set<UUID>()
        // With why undoing it would be refused: it changes a restricted record.
        var changes: [[(id: UUID, type: String, refusal: String?)]] = []
        let state = store.state
        try store.forEachOwnWrite { events in
            var change: [(id: UUID, type: String, refusal: String?)] = []
            for e in events {
                switch e.body {
                case .changeUndone(let u): undone.insert(u.eventId)
                // A view is not a change: `undo` never takes one back (the audit keeps it).
                case .workerRegistered, .draftSaved, .draftDiscarded, .deviceSynced, .patientViewed: break
                default: change.append((e.id, e.body.type, state.undoRefusal(about: state.patientChanged(by: e.body), body: e.body)))
                }
            }
            if !change.isEmpty { changes.append(change) }
        }
        guard let last = changes.last(where: { $0.contains { !undone.contains($0.id) } })?.filter({ !undone.contains($0.id) }) else {
            throw CLIError("there is no change on this device to undo")
        }
        if let refusal = last.lazy.compactMap(\.refusal).first { throw CLIError(refusal + "; nothing was undone") }
        let written = try store.append(last.map { .changeUndone(ChangeUndone(eventId: $0.id)) })
        let types = last.map(\.type)
        if output.json {
            return try printJSON(UndoJSON(undoneEventId: last[0].id.lowercasedString, type: types[0], eventId: written[0].id.lowercasedString,
                                          undoneEventIds: last.map { $0.id.lowercasedString }, types: types))
        }
        say("Undid \(types.joined(separator: ", ")) (event\(last.count == 1 ? "" : "s") \(last.map { shortId($0.id) }.joined(separator: ", ")))")
    }

    /// The first undone event's fields as before, and every event of the change.
    struct UndoJSON: Encodable {
        var undoneEventId: String
        var type: String
        var eventId: String
        var undoneEventIds: [String]
        var types: [String]
    }
}

extension Caseload {
    /// The config file's settings, read once a run (`--json` of 10,000 people asks for the
    /// review threshold for each). A bad file stops every command that reads it with one line
    /// naming the file, the line and the key, before anything is written.
    static let settings: CaseloadSettings = {
        do {
            return try ConfigFile.load()
        } catch {
            FileHandle.standardError.write(Data("caseload: \(error)\n".utf8))
            Foundation.exit(ExitCodes.badData)
        }
    }()

    static var reviewAfterMissed: Int { settings.missedContactsForReview }
}

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the terminal app's keys (the same table the app dispatches from) as Markdown.")
    func run() throws { StandardOutput.bytes(Array(KeyTable.markdown().utf8)) }
}
