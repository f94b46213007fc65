import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import CaseloadSync
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the team server is, for the commands that talk to one. Never a password: libpq reads
/// that from ~/.pgpass, PGPASSFILE or PGPASSWORD itself.
struct ServerURLOption: ParsableArguments {
    @Option(help: ArgumentHelp("The team's PostgreSQL server, e.g. postgresql://USER@HOST/DATABASE?sslmode=require. No password in it: put that in ~/.pgpass or PGPASSWORD. `sync postgres` remembers it; with none, libpq's PGHOST, PGUSER, PGDATABASE... are used.", valueName: "URL"))
    var url: String?

    /// libpq's own variables that say where to connect when no URL is given.
    static func environmentNamesServer(_ env: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        ["PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE"].contains { env[$0].map { !$0.isEmpty } ?? false }
    }

    static let noServer = "no server given: pass --url postgresql://USER@HOST/DATABASE (remembered for next time), or set PGHOST and PGDATABASE"
}

struct ServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Set up a team's PostgreSQL server for `caseload sync postgres` (for the team admin).",
        subcommands: [ServerInit.self, ServerAddWorker.self]
    )
}

struct ServerInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create or upgrade caseload's tables, roles and row-level security on the server (running it again changes nothing)."
    )
    @OptionGroup var server: ServerURLOption
    @OptionGroup var output: JSONFlag

    func run() throws {
        if server.url == nil, !ServerURLOption.environmentNamesServer() { throw CLIError(ServerURLOption.noServer) }
        let db = try PostgresConnection(try ServerAddress(url: server.url))
        defer { db.close() }
        let applied = try ServerSchema.migrate(db)
        if output.json {
            struct Output: Encodable { var server: String; var version: Int; var applied: [Int]; var tls: Bool }
            return try printJSON(Output(server: db.address.description, version: ServerSchema.latest, applied: applied, tls: db.usesTLS))
        }
        if applied.isEmpty {
            say("The caseload schema on \(db.address) is up to date (version \(ServerSchema.latest)); nothing was changed.")
        } else {
            say("Set up caseload schema version \(ServerSchema.latest) on \(db.address): tables, roles \(ServerSchema.workerGroup) and \(ServerSchema.supervisorGroup), row-level security.")
            say("Next, for each worker: caseload server add-worker NAME --team TEAM")
        }
    }
}

struct ServerAddWorker: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-worker",
        abstract: "Create a database login for a worker (named after their worker id) in a team.",
        discussion: """
        The password comes from CASELOAD_NEW_PASSWORD, or standard input with --password-stdin; \
        otherwise one is generated and written to a file only you can read (its path is printed, \
        the password never is). The worker puts it in ~/.pgpass or PGPASSWORD on their device.
        """
    )
    @OptionGroup var server: ServerURLOption
    @OptionGroup var output: JSONFlag
    @Argument(help: "The worker's name, as given to `caseload init --worker` on their device.") var name: String
    @Option(help: "Their team: they see the team's events and nobody else's.") var team: String
    @Flag(help: "A supervisor (sees the whole team).") var supervisor = false
    @Flag(help: "Read the new password from standard input (one line).") var passwordStdin = false
    @Option(help: ArgumentHelp("Where to write a generated password (default ./caseload-password-WORKER.txt).", valueName: "FILE"))
    var passwordFile: String?

    func run() throws {
        if server.url == nil, !ServerURLOption.environmentNamesServer() { throw CLIError(ServerURLOption.noServer) }
        let db = try PostgresConnection(try ServerAddress(url: server.url))
        defer { db.close() }
        let workerId = DataDirectory.workerSlug(name)
        var written: String?
        let password: String
        if let given = ProcessInfo.processInfo.environment["CASELOAD_NEW_PASSWORD"], !given.isEmpty {
            password = given
        } else if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CLIError("no password on standard input; nothing was changed") }
            password = line
        } else {
            password = ServerWorkers.generatePassword()
            let path = URL(fileURLWithPath: passwordFile ?? "caseload-password-\(workerId).txt").standardizedFileURL.path
            try Self.writeSecret(password + "\n", to: path)
            written = path
        }
        let worker: ServerWorkers.Worker
        do {
            worker = try ServerWorkers.add(db, name: name, team: team, supervisor: supervisor, password: password)
        } catch {
            if let written { unlink(written) }
            throw error
        }
        if output.json {
            struct Output: Encodable { var role: String; var workerId: String; var team: String; var supervisor: Bool; var passwordFile: String? }
            return try printJSON(Output(role: worker.role, workerId: worker.workerId, team: worker.team, supervisor: worker.supervisor, passwordFile: written))
        }
        say("Added \(worker.supervisor ? "supervisor" : "worker") \(worker.workerId) to team \(worker.team): database role \(worker.role).")
        if let written { say("Their password is in \(written) (readable only by you): hand it over safely, then delete the file.") }
        say("On their device: caseload init --worker \"\(name)\" --team \"\(worker.team)\", the password in ~/.pgpass, then caseload sync postgres --url postgresql://\(worker.role)@HOST/DATABASE")
    }

    /// A new 0600 file; refuses to replace one that exists.
    static func writeSecret(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw CLIError(errno == EEXIST ? "\(path) already exists; give another --password-file. Nothing was changed"
                                           : "cannot write \(path): \(String(cString: strerror(errno))); nothing was changed")
        }
        defer { close(fd) }
        let ok = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) == $0.count }
        guard ok, fsync(fd) == 0 else {
            unlink(path)
            throw CLIError("cannot write \(path); nothing was changed")
        }
    }
}

struct SyncPostgres: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postgres",
        abstract: "Sync with the team's PostgreSQL server: send our new events, receive the team's. Safe to interrupt and run again."
    )
    @OptionGroup var data: DataOptions
    @OptionGroup var output: JSONFlag
    @OptionGroup var server: ServerURLOption
    @Option(help: ArgumentHelp("Give up when the server has not answered for this many seconds (1 to 3600), while connecting or during the sync.", valueName: "SECONDS"))
    var timeout: Int = PostgresConnection.defaultTimeout

    func validate() throws {
        guard (1...3600).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 3600 seconds, not \(timeout)") }
    }

    struct Output: Encodable {
        var server: String
        var tls: Bool
        var sent: Int
        var received: Int
        var devices: Int
        var recorded: Bool
        var problems: [String]
        var waiting: Int
        var seconds: Double
    }

    func run() throws {
        let start = Date()
        let store = try data.open()
        defer { store.close() }
        let remembered = SyncRecord.load(store.dataDirectory).postgresURL
        let url = server.url ?? remembered
        if url == nil, !ServerURLOption.environmentNamesServer() { throw CLIError(ServerURLOption.noServer) }
        let db = try PostgresConnection(try ServerAddress(url: url), timeout: timeout)
        defer { db.close() }
        let sync = PostgresSync(store: store, db: db)
        let progress = ProgressLine()
        sync.progress = { progress.show($0) }
        let report: SyncReport
        do { report = try sync.run() } catch {
            progress.finish()
            throw error
        }
        progress.finish()
        for p in report.problems { FileHandle.standardError.write(Data("caseload: warning: \(p)\n".utf8)) }
        let waiting = SyncRecord.load(store.dataDirectory).waiting(lastSeq: store.lastSeq)
        let seconds = (Date().timeIntervalSince(start) * 1000).rounded() / 1000
        if output.json {
            try printJSON(Output(server: db.address.description, tls: db.usesTLS, sent: report.sent, received: report.received,
                                        devices: report.devices, recorded: report.recorded, problems: report.problems,
                                        waiting: waiting, seconds: seconds))
            if report.sendFailed { throw ExitCode(1) }
            return
        }
        say("Synced with \(db.address) (\(db.usesTLS ? "TLS" : "no TLS")): \(report.summary) in \(String(format: "%.1f", seconds)) s")
        sayLikelyDuplicates(store.state)
        if report.sendFailed { throw CLIError("\(waiting) of this device's events are not on the server (see the warning above); what came in was kept") }
    }
}
