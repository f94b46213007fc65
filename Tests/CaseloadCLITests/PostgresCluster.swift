import Foundation
import XCTest
import CaseloadSync

/// A throwaway PostgreSQL cluster for one test: `initdb` and `pg_ctl` on a Unix socket in a
/// temporary folder, password (SCRAM) authentication for every role, so tests log in as real
/// worker roles. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user
/// (`runuser -u postgres --`) with the folder owned by that user.
///
/// Without PostgreSQL installed the test is skipped locally, and fails on CI (CI=true), where
/// `.ci/run` installs it.
final class PostgresCluster {
    let root: URL
    /// The role that ran initdb: a superuser, and the one that runs `caseload server init`.
    let adminRole = "caseload_admin"
    let adminPassword = "admin-" + UUID().uuidString.prefix(8).lowercased()
    let database = "caseload"
    /// A `.pgpass` file, as a worker would keep their password in; URLs point to it with `passfile`.
    var passfile: URL { root.appendingPathComponent("pgpass") }
    private let bin: URL
    private var running = false

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The newest `initdb` in /usr/lib/postgresql/*/bin (Debian), else on PATH.
    static func binDirectory() -> URL? {
        let debian = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: debian.path)) ?? []).compactMap(Int.init).sorted()
        for v in versions.reversed() {
            let bin = debian.appendingPathComponent("\(v)/bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let bin = URL(fileURLWithPath: String(dir))
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path),
               FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("pg_ctl").path) { return bin }
        }
        return nil
    }

    /// Starts a fresh cluster with a `caseload` database. `fsync: false` makes tests quicker;
    /// benchmarks keep it on, as a real server would.
    /// With `tls`, the server also listens on 127.0.0.1 (`tlsPort`) with a self-signed certificate.
    static func start(fsync: Bool = false, tls: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> PostgresCluster {
        guard let bin = binDirectory() else {
            let message = "PostgreSQL (initdb, pg_ctl) is not installed: apt-get install postgresql"
            if isCI { XCTFail(message, file: file, line: line); throw ClusterError(message) }
            throw XCTSkip(message + " (these tests fail instead of skipping when CI=true)")
        }
        if case .failure(let error) = Result(catching: { try ServerAddress(url: "postgresql:///x") }), case PostgresError.libraryMissing = error {
            let message = "libpq is not installed: apt-get install libpq5"
            if isCI { XCTFail(message, file: file, line: line); throw ClusterError(message) }
            throw XCTSkip(message)
        }
        let cluster = try PostgresCluster(bin: bin)
        try cluster.startServer(fsync: fsync, tls: tls)
        return cluster
    }

    private init(bin: URL) throws {
        self.bin = bin
        // Short: a Unix socket path must fit in 107 bytes.
        root = URL(fileURLWithPath: "/tmp/caseload-pg-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    private var asRoot: Bool { getuid() == 0 }

    /// The port: it also names the Unix socket. Random when the cluster listens on TCP too.
    private(set) var port = 5432

    private func startServer(fsync: Bool, tls: Bool) throws {
        let pwfile = root.appendingPathComponent("admin-password")
        try Data((adminPassword + "\n").utf8).write(to: pwfile)
        if tls {
            try Self.run("/usr/bin/env", ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                                          "-keyout", root.appendingPathComponent("server.key").path,
                                          "-out", root.appendingPathComponent("server.crt").path])
            chmod(root.appendingPathComponent("server.key").path, 0o600)
        }
        if asRoot { try Self.run("/bin/chown", ["-R", "postgres", root.path]) }
        try postgres("initdb", ["--no-sync", "-D", root.appendingPathComponent("data").path, "-A", "scram-sha-256",
                                "-U", adminRole, "--pwfile", pwfile.path, "-E", "UTF8", "--locale=C.UTF-8"])
        try? FileManager.default.removeItem(at: pwfile)
        var options = "-k \(root.path) -c max_connections=20"
        if !fsync { options += " -c fsync=off -c synchronous_commit=off" }
        if tls {
            options += " -c ssl=on -c ssl_cert_file=\(root.path)/server.crt -c ssl_key_file=\(root.path)/server.key -c listen_addresses=127.0.0.1"
        } else {
            options += " -c listen_addresses="
        }
        // A TCP port can be taken by someone else: try a few.
        for attempt in 0..<4 {
            let port = tls ? Int.random(in: 20_000..<60_000) : 5432
            do {
                try postgres("pg_ctl", ["-D", root.appendingPathComponent("data").path, "-o", options + " -p \(port)",
                                        "-l", root.appendingPathComponent("server.log").path, "-w", "start"])
                self.port = port
                break
            } catch where tls && attempt < 3 { continue }
        }
        running = true
        addPassword(role: adminRole, password: adminPassword)
        let admin = try PostgresConnection(try ServerAddress(url: url(adminRole, database: "postgres")))
        try admin.query("CREATE DATABASE \(database) ENCODING 'UTF8'")
        admin.close()
    }

    /// A URL for `role` that takes the password from the cluster's passfile, as ~/.pgpass would.
    func url(_ role: String, database: String? = nil) -> String {
        "postgresql://\(role)@/\(database ?? self.database)?host=\(root.path)&port=\(port)&passfile=\(passfile.path)"
    }

    /// Over TCP to 127.0.0.1 with the given `sslmode` (a cluster started with `tls`).
    func tcpURL(_ role: String, sslmode: String) -> String {
        "postgresql://\(role)@127.0.0.1:\(port)/\(database)?sslmode=\(sslmode)&passfile=\(passfile.path)"
    }

    /// The same without the passfile: the password must come from PGPASSWORD (or nowhere).
    func urlWithoutPassfile(_ role: String) -> String {
        "postgresql://\(role)@/\(database)?host=\(root.path)&port=\(port)"
    }

    var adminURL: String { url(adminRole) }

    /// Remembers a role's password in the passfile (0600, as libpq insists).
    func addPassword(role: String, password: String) {
        func escape(_ s: String) -> String { s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ":", with: "\\:") }
        var text = (try? String(contentsOf: passfile, encoding: .utf8)) ?? ""
        text += "*:*:*:\(escape(role)):\(escape(password))\n"
        _ = FileManager.default.createFile(atPath: passfile.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
    }

    func admin() throws -> PostgresConnection { try PostgresConnection(try ServerAddress(url: adminURL)) }

    /// Connects as a worker's own role.
    func connect(_ role: String) throws -> PostgresConnection { try PostgresConnection(try ServerAddress(url: url(role))) }

    /// The server's processes: the postmaster (first line of postmaster.pid) and its children.
    private func serverProcesses() -> [pid_t] {
        let pidFile = root.appendingPathComponent("data/postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
              let first = text.split(separator: "\n").first, let postmaster = pid_t(first) else { return [] }
        var pids = [postmaster]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // "pid (name) state ppid ...": the name can hold spaces, so read after the last ')'.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, pid_t(fields[1]) == postmaster { pids.append(pid) }
        }
        return pids
    }

    /// Freezes the whole server (SIGSTOP), as a hung machine or a dead network would look:
    /// connections stay open and nothing answers. `thaw` undoes it.
    func freeze() {
        for pid in serverProcesses() { kill(pid, SIGSTOP) }
        frozen = true
    }

    func thaw() {
        for pid in serverProcesses() { kill(pid, SIGCONT) }
        frozen = false
    }

    private var frozen = false

    func stop() {
        if frozen { thaw() }
        if running {
            try? postgres("pg_ctl", ["-D", root.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
            running = false
        }
        try? FileManager.default.removeItem(at: root)
    }

    deinit { stop() }

    /// Runs a PostgreSQL program, as the `postgres` user when we are root.
    private func postgres(_ program: String, _ args: [String]) throws {
        let path = bin.appendingPathComponent(program).path
        if asRoot { try Self.run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + args, log: root.appendingPathComponent("server.log")) }
        else { try Self.run(path, args, log: root.appendingPathComponent("server.log")) }
    }

    /// Runs a program to completion with posix_spawn, output to a file. Not Foundation's
    /// Process: it learns that a child ended when a socket the child inherited closes, and the
    /// server that `pg_ctl start` leaves running would inherit it too and never close it.
    @discardableResult
    static func run(_ executable: String, _ args: [String], log: URL? = nil) throws -> String {
        let outPath = FileManager.default.temporaryDirectory.appendingPathComponent("pg-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Close everything else (glibc ignores descriptors that are not open).
        for fd in 3..<min(getdtablesize(), 4096) { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([executable] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw ClusterError("cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // Exited normally with status 0.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            let serverLog = log.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
            throw ClusterError("\(executable) \(args.joined(separator: " ")) failed: \(text)\n\(serverLog.suffix(2000))")
        }
        return text
    }

    struct ClusterError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
