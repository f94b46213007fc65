import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal
import CaseloadSync

/// `caseload server …` and `caseload sync postgres` end to end: the built binary against a real
/// throwaway PostgreSQL cluster, logging in as each worker's own role.
final class PostgresSyncTests: XCTestCase {
    var cluster: PostgresCluster!
    var root: URL!
    let asOf = "2026-11-23"

    override func setUpWithError() throws {
        cluster = try PostgresCluster.start()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("pgsync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        cluster?.stop()
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    func dir(_ name: String) -> URL { root.appendingPathComponent(name) }

    @discardableResult
    func ok(_ args: [String], _ data: URL? = nil, env: [String: String] = [:], program: URL = CLI.binary, file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        let r = CLI.run(args, dataDir: data, environment: env, program: program)
        XCTAssertEqual(r.status, 0, "caseload \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    /// `server init`, then a login role per worker (password handed over in the passfile).
    func setUpServer(_ workers: [(name: String, team: String, supervisor: Bool)]) {
        ok(["server", "init", "--url", cluster.adminURL])
        setUpServerWorkersOnly(workers)
    }

    func device(_ name: String, worker: String, team: String = "North") -> URL {
        let d = dir(name)
        ok(["init", "--worker", worker, "--team", team], d)
        return d
    }

    /// Runs `sync postgres`, returning its JSON report.
    @discardableResult
    func sync(_ data: URL, role: String? = nil, env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        let r = ok(["sync", "postgres", "--json"] + (role.map { ["--url", cluster.url($0)] } ?? []), data, env: env, file: file, line: line)
        return (r.json as? [String: Any]) ?? [:]
    }

    func journalBytes(_ data: URL) -> [String: Data] {
        let j = data.appendingPathComponent("journal")
        var result: [String: Data] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: j.path)) ?? [] {
            result[name] = FileManager.default.contents(atPath: j.appendingPathComponent(name).path)
        }
        result["sync.json"] = FileManager.default.contents(atPath: data.appendingPathComponent("sync.json").path)
        return result
    }

    /// The whole caseload as a user sees it, from each device.
    func view(_ data: URL) -> [String] {
        let out = dir("export-\(UUID().uuidString)")
        ok(["export", "--format", "json", "--out", out.path, "--as-of", asOf], data)
        let export = String(decoding: FileManager.default.contents(atPath: out.appendingPathComponent("caseload.json").path) ?? Data(), as: UTF8.self)
        return [ok(["overdue", "--json", "--as-of", asOf], data).stdout,
                ok(["followup", "list", "--all", "--json", "--as-of", asOf], data).stdout,
                export]
    }

    /// Compares long outputs line by line, reporting only the first difference.
    func assertSameLines(_ x: [String], _ y: [String], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for (i, (p, q)) in zip(x, y).enumerated() where p != q {
            let pl = p.split(separator: "\n", omittingEmptySubsequences: false), ql = q.split(separator: "\n", omittingEmptySubsequences: false)
            let at = Array(zip(pl, ql)).firstIndex { $0 != $1 } ?? min(pl.count, ql.count)
            XCTFail("\(what): output \(i) differs at line \(at + 1) (\(pl.count) vs \(ql.count) lines): \(at < pl.count ? String(pl[at]) : "end") | \(at < ql.count ? String(ql[at]) : "end")", file: file, line: line)
            return
        }
        XCTAssertEqual(x.count, y.count, what, file: file, line: line)
    }

    /// Runs `sync postgres` expecting it to be SIGKILLed by a test hook part way through.
    /// A sync killed once `killAfter` ("sending:N", "receiving:N") events went through, in batches of `batch`.
    func killedSync(_ data: URL, role: String? = nil, batch: Int, killAfter: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = CLI.run(["debug-sync", "postgres"] + (role.map { [cluster.url($0)] } ?? []) + ["--batch", String(batch), "--kill-after", killAfter],
                        dataDir: data, program: CLI.bench)
        XCTAssertEqual(r.status, SIGKILL, "the sync should have been killed part way: \(r.stderr)", file: file, line: line)
    }

    func testTwoDevicesRecordOfflineSyncInEitherOrderWithAKillAndAgree() throws {
        setUpServer([("Amira Haddad", "North", false), ("Ben Okafor", "North", false)])
        let a = device("a", worker: "Amira Haddad"), b = device("b", worker: "Ben Okafor")

        // Offline: each records its own people and follow-ups (some already overdue).
        let zoe = ok(["patient", "add", "--name", "Zoë Ó Súilleabháin", "--followup", "2026-11-10", "--json"], a).json as! [String: Any]
        // --keep-followup: her follow-up stays overdue, as the end of the test expects.
        ok(["session", "add", String((zoe["id"] as! String).prefix(8)), "--note", "Walked to the café together.", "--date", "2026-11-05", "--keep-followup"], a)
        ok(["patient", "add", "--name", "Mr Chen", "--followup", "2026-11-30"], a)
        let kofi = ok(["patient", "add", "--name", "Kofi Mensah", "--followup", "2026-11-15", "--json"], b).json as! [String: Any]
        let kofiFollowup = ((kofi["followups"] as! [[String: Any]])[0]["id"] as! String)
        // Enough events that a sync runs in several batches, to be killed between two.
        ok(["debug-append", "--count", "1500", "--size", "300"], a, program: CLI.bench)

        // Round 1: B first, then A, killed after its first batches went out, then run again.
        sync(b, role: "ben-okafor")
        killedSync(a, role: "amira-haddad", batch: 400, killAfter: "sending:800")
        let first = sync(a, role: "amira-haddad")
        XCTAssertGreaterThan(first["sent"] as? Int ?? 0, 0, "the re-run sends what the killed run did not")
        XCTAssertLessThan(first["sent"] as? Int ?? .max, 1500, "and not what already went out")
        XCTAssertEqual(first["received"] as? Int, 0, "B's events came in before the killed run started sending")
        sync(b) // the URL is remembered

        // Both now change the same follow-up: A completes it, B reschedules it.
        ok(["followup", "done", String(kofiFollowup.prefix(8))], a)
        ok(["followup", "reschedule", String(kofiFollowup.prefix(8)), "--in-days", "7", "--reason", "away"], b)
        ok(["patient", "add", "--name", "Ms Dlamini", "--followup", "2026-11-12"], b)
        ok(["debug-append", "--count", "900"], b, program: CLI.bench)

        // Round 2: A first this time; then A's sync is killed while it takes in B's new events.
        sync(a)
        sync(b)
        killedSync(a, batch: 300, killAfter: "receiving:300")
        // Several more rounds in alternating order until nothing moves.
        var quiet = false
        for round in 0..<6 {
            let (x, y) = round % 2 == 0 ? (b, a) : (a, b)
            let r1 = sync(x), r2 = sync(y)
            if [r1, r2].allSatisfy({ ($0["sent"] as? Int) == 0 && ($0["received"] as? Int) == 0 }) { quiet = true; break }
        }
        XCTAssertTrue(quiet, "syncs settle: nothing left to send or receive")

        assertSameLines(view(a), view(b), "both devices show the same caseload")
        let overdue = ok(["overdue", "--json", "--as-of", asOf], a).json as? [[String: Any]] ?? []
        let names = Set(overdue.compactMap { $0["patientName"] as? String })
        XCTAssertTrue(names.isSuperset(of: ["Zoë Ó Súilleabháin", "Ms Dlamini"]), "\(names)")
        XCTAssertFalse(names.contains("Mr Chen"), "not due yet")
        let kofiView = ok(["followup", "list", "--all", "--json", "--as-of", asOf], a).json as? [[String: Any]] ?? []
        XCTAssertNotNil(kofiView.first { $0["id"] as? String == kofiFollowup }?["conflict"], "the done-versus-rescheduled conflict is shown")

        for d in [a, b] { XCTAssertEqual(CLI.run(["verify"], dataDir: d).status, 0, "journals undamaged on \(d.lastPathComponent)") }

        // The server holds every event exactly once: as many rows as the two devices wrote.
        let admin = try cluster.admin()
        let rows = try admin.query("SELECT count(*), count(DISTINCT id) FROM caseload.events")
        let written = try [a, b].map { try CaseloadStore.open(dataDirectory: $0, mode: .readOnly).lastSeq }.reduce(0, +)
        XCTAssertEqual(rows.string(0, 0), "\(written)")
        XCTAssertEqual(rows.string(0, 1), "\(written)")
    }

    func testUnreachableWrongPasswordAndBadURLsFailClearlyAndChangeNothing() throws {
        setUpServer([("Amira Haddad", "North", false), ("Ben Okafor", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        ok(["patient", "add", "--name", "Zoë", "--followup", "2026-11-10"], a)
        let before = journalBytes(a)
        let secret = "Tr0ub4dor-\(UUID().uuidString.prefix(6))"

        func refuses(_ args: [String], _ words: String, env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) {
            let r = CLI.run(["sync", "postgres"] + args, dataDir: a, environment: env)
            XCTAssertNotEqual(r.status, 0, "should fail: \(args)", file: file, line: line)
            XCTAssertTrue(r.stderr.lowercased().contains(words.lowercased()), "stderr should mention '\(words)': \(r.stderr)", file: file, line: line)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)", file: file, line: line)
            XCTAssertFalse(r.stderr.contains(secret) || r.stdout.contains(secret), "the password must never be printed", file: file, line: line)
            XCTAssertFalse(r.stderr.contains("Fatal error"), file: file, line: line)
            XCTAssertEqual(journalBytes(a), before, "nothing local changed", file: file, line: line)
        }

        refuses(["--url", cluster.urlWithoutPassfile("amira-haddad")], "password authentication failed", env: ["PGPASSWORD": secret])
        refuses(["--url", "postgresql://amira-haddad:\(secret)@/caseload?host=\(cluster.root.path)"], "holds a password")
        refuses(["--url", "postgresql://amira-haddad@/caseload?host=/tmp/no-server-here-\(UUID().uuidString.prefix(6))"], "cannot connect")
        refuses(["--url", "postgresql://amira-haddad@[/caseload"], "not valid")
        refuses(["--url", "postgresql://amira-haddad@/caseload?host=\(cluster.root.path)&sslmode=sometimes"], "sslmode")
        refuses(["--url", cluster.url("ben-okafor")], "belongs to worker 'amira-haddad'")
        refuses(["--url", cluster.adminURL], "not a caseload worker")
        refuses(["--url", cluster.url("amira-haddad", database: "postgres")], "server init")
        refuses(["--url", cluster.url("amira-haddad")], "needs libpq: apt-get install libpq5", env: ["CASELOAD_LIBPQ": "/nonexistent/libpq.so.5"])
        refuses([], "no server given", env: ["PGHOST": "", "PGDATABASE": "", "PGSERVICE": "", "PGHOSTADDR": ""])

        // The server goes away after a good sync: the next one fails clearly, the journal is as it was.
        sync(a, role: "amira-haddad")
        let synced = journalBytes(a)
        cluster.stop()
        let r = CLI.run(["sync", "postgres"], dataDir: a)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot connect to the PostgreSQL server"), r.stderr)
        XCTAssertEqual(journalBytes(a), synced)
    }

    func testEventsArriveByteForByteEvenWithANulInANote() throws {
        setUpServer([("Amira Haddad", "North", false), ("Ben Okafor", "North", false)])
        let a = device("a", worker: "Amira Haddad"), b = device("b", worker: "Ben Okafor")
        let zoe = ok(["patient", "add", "--name", "Zoë", "--json"], a).json as! [String: Any]
        let note = dir("note.txt")
        try Data("Tea at the café \u{0} then the 👩🏽‍⚕️; said \"better\"\n".utf8).write(to: note)
        ok(["session", "add", String((zoe["id"] as! String).prefix(8)), "--note-file", note.path], a)
        sync(a, role: "amira-haddad")
        sync(b, role: "ben-okafor")
        // B's copy of A's journal is A's journal, byte for byte: the server kept the exact bytes.
        // Only the marks of which records A wrote in one go (bit 31 of a record's length word,
        // and so the record checksum over it) are each device's own: they say how that device's
        // writes went, not what the events are. Every record checks out on both sides.
        let name = "journal/\(try DataDirectory.readConfig(a).device.uuidString.lowercased()).journal"
        func withoutWriteMarks(_ data: Data?) -> Data? {
            guard var bytes = data else { return nil }
            let scan = JournalScanner.scan(bytes)
            XCTAssertTrue(scan.damage.isEmpty && scan.headerProblem == nil)
            for r in scan.records {
                bytes[r.offset + 3] &= 0x7F
                bytes.replaceSubrange(r.offset + 4..<r.offset + 8, with: [0, 0, 0, 0])
            }
            return bytes
        }
        XCTAssertEqual(withoutWriteMarks(FileManager.default.contents(atPath: b.appendingPathComponent(name).path)),
                       withoutWriteMarks(FileManager.default.contents(atPath: a.appendingPathComponent(name).path)))
        let id = String((zoe["id"] as! String).prefix(8))
        XCTAssertEqual(ok(["patient", "show", id, "--json"], b).stdout, ok(["patient", "show", id, "--json"], a).stdout)
    }

    func testADeviceRestoredFromAnOldBackupKeepsBothBranchesAndDemoDataIsRefusedClearly() throws {
        setUpServer([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        ok(["patient", "add", "--name", "Ada"], a)
        sync(a, role: "amira-haddad")
        let backup = dir("a-backup")
        try FileManager.default.copyItem(at: a, to: backup)
        ok(["patient", "add", "--name", "Zoë"], a)
        sync(a)
        // The old copy comes back and records something new under seqs the server already has.
        try FileManager.default.removeItem(at: a)
        try FileManager.default.copyItem(at: backup, to: a)
        ok(["patient", "add", "--name", "Mr Chen"], a)
        let oldDevice = try CaseloadStore.open(dataDirectory: a, mode: .readOnly).device
        let r = CLI.run(["sync", "postgres", "--json", "--url", cluster.url("amira-haddad")], dataDir: a)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line says so: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("forked"), r.stderr)
        XCTAssertGreaterThanOrEqual((r.json as? [String: Any])?["sent"] as? Int ?? 0, 1, "Mr Chen went out under the new device id")
        XCTAssertNotEqual(try CaseloadStore.open(dataDirectory: a, mode: .readOnly).device, oldDevice)
        // Both branches everywhere: this device got Zoë back, a fresh device of the team gets all three.
        let names = { (d: URL) in ((self.ok(["patient", "list", "--json"], d).json as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }.sorted() }
        XCTAssertEqual(names(a), ["Ada", "Mr Chen", "Zoë"])
        let b = device("b", worker: "Amira Haddad")
        sync(b, role: "amira-haddad")
        XCTAssertEqual(names(b), ["Ada", "Mr Chen", "Zoë"])
        // And the next sync is an ordinary one.
        let again = CLI.run(["sync", "postgres", "--json"], dataDir: a)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stderr, "")

        // The demo's events are written by many workers: the server takes only one's own.
        let demo = dir("demo")
        ok(["demo", "--patients", "3"], demo)
        let d = CLI.run(["sync", "postgres", "--url", cluster.url("amira-haddad")], dataDir: demo)
        XCTAssertNotEqual(d.status, 0)
        XCTAssertTrue(d.stderr.contains("accepts only events you wrote yourself"), d.stderr)
    }

    func testServerInitIsRepeatableAndRefusesANewerSchema() throws {
        let first = ok(["server", "init", "--url", cluster.adminURL, "--json"]).json as? [String: Any]
        XCTAssertEqual(first?["applied"] as? [Int], [1, 2, 3])
        let again = ok(["server", "init", "--url", cluster.adminURL, "--json"]).json as? [String: Any]
        XCTAssertEqual(again?["applied"] as? [Int], [], "running init again changes nothing")
        setUpServerWorkersOnly([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        sync(a, role: "amira-haddad")

        let admin = try cluster.admin()
        try admin.query("INSERT INTO caseload.schema_migrations (version, description) VALUES (99, 'from the future')")
        let r = CLI.run(["server", "init", "--url", cluster.adminURL])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("newer than this caseload knows"), r.stderr)
        let before = journalBytes(a)
        let s = CLI.run(["sync", "postgres"], dataDir: a)
        XCTAssertNotEqual(s.status, 0)
        XCTAssertTrue(s.stderr.contains("update caseload"), s.stderr)
        XCTAssertEqual(journalBytes(a), before)
    }

    func setUpServerWorkersOnly(_ workers: [(name: String, team: String, supervisor: Bool)]) {
        for w in workers {
            let password = "pw-\(UUID().uuidString)"
            ok(["server", "add-worker", w.name, "--team", w.team, "--url", cluster.adminURL] + (w.supervisor ? ["--supervisor"] : []),
               env: ["CASELOAD_NEW_PASSWORD": password])
            cluster.addPassword(role: DataDirectory.workerSlug(w.name), password: password)
        }
    }

    func testTLSWhenTheURLAsksForItAndTheReportSaysSo() throws {
        cluster.stop()
        cluster = try PostgresCluster.start(tls: true)
        setUpServer([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        let secure = ok(["sync", "postgres", "--url", cluster.tcpURL("amira-haddad", sslmode: "require"), "--json"], a).json as? [String: Any]
        XCTAssertEqual(secure?["tls"] as? Bool, true)
        let text = ok(["sync", "postgres", "--url", cluster.tcpURL("amira-haddad", sslmode: "require")], a).stdout
        XCTAssertTrue(text.contains("(TLS)"), text)
        let plain = ok(["sync", "postgres", "--url", cluster.tcpURL("amira-haddad", sslmode: "disable"), "--json"], a).json as? [String: Any]
        XCTAssertEqual(plain?["tls"] as? Bool, false)
        // A certificate that cannot be verified is refused when the URL asks for verification.
        let r = CLI.run(["sync", "postgres", "--url", cluster.tcpURL("amira-haddad", sslmode: "verify-full") + "&sslrootcert=\(cluster.root.path)/no-such-ca.crt"], dataDir: a)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("cannot connect"), r.stderr)
    }

    func testAddWorkerGeneratesAPrivatePasswordFileAndNeverPrintsIt() throws {
        ok(["server", "init", "--url", cluster.adminURL])
        let file = dir("amira.password")
        let r = ok(["server", "add-worker", "Amira Haddad", "--team", "North", "--url", cluster.adminURL, "--password-file", file.path])
        let password = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertGreaterThanOrEqual(password.count, 20)
        XCTAssertTrue(r.stdout.contains(file.path), r.stdout)
        XCTAssertFalse(r.stdout.contains(password) || r.stderr.contains(password), "the password is only in the file")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        // The role logs in with it (through PGPASSWORD) and is the worker a device of that name is.
        let a = device("a", worker: "Amira Haddad")
        let report = ok(["sync", "postgres", "--url", cluster.urlWithoutPassfile("amira-haddad"), "--json"], a, env: ["PGPASSWORD": password]).json as? [String: Any]
        XCTAssertEqual(report?["tls"] as? Bool, false, "a Unix socket is not encrypted, and the report says so")
        XCTAssertGreaterThan(report?["sent"] as? Int ?? 0, 0)

        // The same name again is refused, and no stray password file is left.
        let again = CLI.run(["server", "add-worker", "Amira Haddad", "--team", "South", "--url", cluster.adminURL, "--password-file", dir("again").path])
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("already exists"), again.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir("again").path))
        // From standard input.
        let piped = CLI.run(["server", "add-worker", "Ben Okafor", "--team", "North", "--supervisor", "--password-stdin", "--url", cluster.adminURL, "--json"],
                            stdin: "a-long-enough-password\n")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual((piped.json as? [String: Any])?["supervisor"] as? Bool, true)
        cluster.addPassword(role: "ben-okafor", password: "a-long-enough-password")
        XCTAssertNoThrow(try cluster.connect("ben-okafor").close())
    }
}
