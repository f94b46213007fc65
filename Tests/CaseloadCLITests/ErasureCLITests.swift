import Foundation
import XCTest
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal

/// Erasure and retention through the real binary, on two devices of one team: erased on one,
/// unreadable on the other after a folder sync or a PostgreSQL sync, and no copy of the person's
/// key left in the sync folder or on the server.
class ErasureCLITestCase: XCTestCase {
    var root: URL!
    var passFile: URL { root.appendingPathComponent("pass") }
    var env: [String: String] { ["CASELOAD_PASSPHRASE_FILE": passFile.path] }
    var amira: URL { root.appendingPathComponent("amira") }
    var ben: URL { root.appendingPathComponent("ben") }
    let asOf = "2026-11-23"
    /// What must not be readable anywhere once the person is erased.
    let secrets = ["Zebedee", "Quartermain", "9434765919", "943 476 5919", "07700 900123", "Lantern Row", "bailiffs at Marigold"]

    override func setUpWithError() throws {
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("erase-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try "correct horse battery\n".write(to: passFile, atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { if let root { try? FileManager.default.removeItem(at: root) } }

    @discardableResult
    func ok(_ args: [String], _ dir: URL?, env extra: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        let r = CLI.run(args, dataDir: dir, environment: env.merging(extra) { $1 })
        XCTAssertEqual(r.status, 0, "caseload \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    /// Two encrypted devices of one team: Ben's device given the team key by Amira's
    /// (`team-key request`, `grant`, `accept`, each fingerprint checked).
    func makeTeam() {
        ok(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], amira)
        ok(["init", "--encrypt", "--worker", "Ben Okafor", "--team", "North"], ben)
        enrol(ben, grantedBy: amira)
    }

    /// The fingerprint a team-key command printed.
    func fingerprint(in text: String) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "(" || $0 == ")" })
        return String(words.first { $0.count == 39 && $0.filter { $0 == "-" }.count == 7 } ?? "")
    }

    @discardableResult
    func enrol(_ device: URL, grantedBy holder: URL, file: StaticString = #filePath, line: UInt = #line) -> (request: URL, grant: URL) {
        let request = root.appendingPathComponent("request-\(UUID().uuidString)"), grant = root.appendingPathComponent("grant-\(UUID().uuidString)")
        let asked = fingerprint(in: ok(["team-key", "request", "--out", request.path], device, file: file, line: line).stdout)
        let team = fingerprint(in: ok(["team-key", "grant", request.path, "--fingerprint", asked, "--out", grant.path], holder, file: file, line: line).stdout)
        ok(["team-key", "accept", grant.path, "--fingerprint", team], device, file: file, line: line)
        return (request, grant)
    }

    /// Zebedee (to be erased) and Olive (kept), each with a contact and a measure.
    func addPeople() -> (erased: String, kept: String) {
        let z = (ok(["patient", "add", "--name", "Zebedee Quartermain", "--nhs-number", "9434765919", "--phone", "07700 900123",
                     "--address", "12 Lantern Row", "--reason", "loneliness", "--referral-date", asOf, "--as-of", asOf, "--json"], amira).json as! [String: Any])["id"] as! String
        let o = (ok(["patient", "add", "--name", "Olive Thistlewood", "--reason", "loneliness", "--referral-date", asOf, "--as-of", asOf, "--json"], amira).json as! [String: Any])["id"] as! String
        for p in [z, o] {
            ok(["session", "add", p, "--note", p == z ? "Worried about the bailiffs at Marigold Court" : "Tea at the library", "--as-of", asOf], amira)
            ok(["measure", "add", p, "--instrument", "ucla3", "--answers", "2,2,3", "--as-of", asOf], amira)
        }
        return (z, o)
    }

    /// Every byte of every file under `dir`.
    func allBytes(_ dir: URL) -> [(String, Data)] {
        let files = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String } ?? []
        return files.compactMap { name in
            var isDir: ObjCBool = false
            let path = dir.appendingPathComponent(name).path
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue else { return nil }
            return (name, FileManager.default.contents(atPath: path) ?? Data())
        }
    }

    /// What a device shows of everyone: the list, the person, an export of everything, the report.
    func everythingShown(_ dir: URL, _ person: String) -> String {
        let export = root.appendingPathComponent("export-\(UUID().uuidString)")
        ok(["export", "--format", "json", "--out", export.path], dir)
        let exported = allBytes(export).map { String(decoding: $0.1, as: UTF8.self) }.joined()
        return [ok(["patient", "list"], dir).stdout, ok(["patient", "show", person, "--as-of", asOf], dir).stdout,
                ok(["patient", "show", person, "--as-of", asOf, "--json"], dir).stdout, exported].joined(separator: "\n")
    }

    /// The people and measures the state counts (what reports count from): unchanged by an erasure.
    func counts(_ dir: URL) -> (people: Int, measures: Int) {
        ok(["report", "--as-of", asOf, "--json"], dir)
        let store = try! CaseloadStore.open(dataDirectory: dir, mode: .readOnly, codec: try! EncryptedCaseload.unlock(dir, passphrase: Array("correct horse battery".utf8)))
        defer { store.close() }
        return (store.state.patients.count, store.state.measures.count)
    }

    /// Whether any person-key copy under `dir` (a sync folder) still holds the person's key.
    func someCopyHoldsKey(of person: String, in files: [(String, Data)], sealer: EventSealer) -> Bool {
        files.contains { name, bytes in
            guard name.hasSuffix(".person-keys"), let keys = PersonKeyFile.open(bytes, sealer: sealer) else { return false }
            if case .key = keys.lookup(UUID(uuidString: person)!) { return true }
            return false
        }
    }
}

final class ErasureCLITests: ErasureCLITestCase {
    var stick: URL { root.appendingPathComponent("stick") }

    func testErasedOnOneDeviceIsUnreadableOnTheOtherAfterAFolderSyncAndReportsStillCountThem() throws {
        makeTeam()
        let (z, o) = addPeople()
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        ok(["sync", "folder", stick.path], amira)
        ok(["sync", "folder", stick.path], ben)
        XCTAssertTrue(everythingShown(ben, z).contains("Zebedee Quartermain"), "Ben reads Amira's records before the erasure")
        let before = counts(ben)

        // Erased on Amira's device, with a reason and no name.
        let erased = ok(["patient", "erase", z, "--reason", "erasure request of 2026-11-22", "--as-of", asOf], amira)
        XCTAssertTrue(erased.stdout.contains("Erased \(z.prefix(8))"), erased.stdout)
        XCTAssertFalse(erased.stdout.contains("Zebedee"))
        for s in secrets { XCTAssertFalse(everythingShown(amira, z).contains(s), "Amira's device still shows '\(s)'") }
        ok(["sync", "folder", stick.path], amira)
        ok(["sync", "folder", stick.path], ben)

        let shown = everythingShown(ben, z)
        for s in secrets { XCTAssertFalse(shown.contains(s), "Ben's device still shows '\(s)'") }
        XCTAssertTrue(shown.contains("Erased on \(asOf) by amira-haddad: erasure request of 2026-11-22"), shown)
        XCTAssertTrue(shown.contains("Olive Thistlewood"), "the person kept is untouched")
        XCTAssertTrue(everythingShown(ben, o).contains("Tea at the library"))
        let after = counts(ben)
        XCTAssertEqual(after.people, before.people, "reports still count the person erased")
        XCTAssertEqual(after.measures, before.measures, "and their measure scores")
        // The audit says who erased whom, and when, without a name.
        let audit = ok(["audit", z], amira).stdout
        XCTAssertTrue(audit.contains("erased"), audit)

        // No copy of the person's key is left in the folder, on either device, or in a copy
        // Ben wrote before the erasure (Amira's sync rewrote it).
        let sealer = try EncryptedCaseload.unlock(ben, passphrase: Array("correct horse battery".utf8)).sealer!
        XCTAssertFalse(someCopyHoldsKey(of: z, in: allBytes(stick), sealer: sealer))
        for dir in [amira, ben] {
            let keys = try PersonKeyFile.load(in: dir, sealer: sealer)
            XCTAssertEqual(keys.lookup(UUID(uuidString: z)!), .erased, dir.lastPathComponent)
            if case .key = keys.lookup(UUID(uuidString: o)!) {} else { XCTFail("\(dir.lastPathComponent) lost the key of the person kept") }
        }
        // Nothing more about them is written, on either device.
        let again = CLI.run(["session", "add", z, "--note", "again", "--as-of", asOf], dataDir: ben, environment: env)
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("erased"), again.stderr)
        XCTAssertTrue(ok(["verify"], ben).stdout.contains("OK"))
    }

    func testAPlainCaseloadRefusesToEraseInOneLine() throws {
        let plain = root.appendingPathComponent("plain")
        ok(["init", "--worker", "Amira Haddad", "--team", "North"], plain)
        let p = (ok(["patient", "add", "--name", "Zebedee Quartermain", "--json"], plain).json as! [String: Any])["id"] as! String
        let r = CLI.run(["patient", "erase", p, "--reason", "request"], dataDir: plain)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("needs an encrypted caseload"), r.stderr)
        XCTAssertTrue(ok(["patient", "list"], plain).stdout.contains("Zebedee"))
    }

    func testRetentionListsThenErasesClosedCasesOlderThanNYears() throws {
        ok(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], amira)
        func add(_ name: String, referred: String) -> String {
            (ok(["patient", "add", "--name", name, "--reason", "loneliness", "--referral-date", referred, "--as-of", referred, "--json"], amira).json as! [String: Any])["id"] as! String
        }
        let old = add("Zebedee Quartermain", referred: "2016-03-01")
        ok(["session", "add", old, "--note", "Worried about the bailiffs at Marigold Court", "--date", "2017-05-10", "--as-of", "2017-05-10"], amira)
        ok(["patient", "discharge", old, "--as-of", "2017-06-01"], amira)
        let open = add("Olive Thistlewood", referred: "2015-01-01")          // never closed: kept
        let recent = add("Pip Ashworth", referred: "2016-01-01")
        ok(["patient", "discharge", recent, "--as-of", "2020-01-01"], amira)   // within 8 years: kept

        let dry = ok(["retention", "--dry-run", "--as-of", "2026-11-23", "--json"], amira).json as? [[String: Any]] ?? []
        XCTAssertEqual(dry.map { $0["id"] as? String }, [old], "\(dry)")
        XCTAssertEqual(dry.first?["erased"] as? Bool, false)
        XCTAssertTrue(ok(["patient", "list", "--status", "discharged"], amira).stdout.contains("Zebedee"), "a dry run erases no one")

        let text = ok(["retention", "--as-of", "2026-11-23"], amira).stdout
        XCTAssertTrue(text.contains("Erased 1 of 1 due after 8 years"), text)
        let shown = ok(["patient", "show", old, "--as-of", "2026-11-23"], amira).stdout
        for s in secrets { XCTAssertFalse(shown.contains(s), shown) }
        XCTAssertTrue(shown.contains("retention schedule: 8 years"), shown)
        XCTAssertTrue(ok(["patient", "show", open], amira).stdout.contains("Olive Thistlewood"))
        XCTAssertTrue(ok(["patient", "show", recent], amira).stdout.contains("Pip Ashworth"))
        // Nothing is due twice; a shorter schedule reaches the 2020 discharge.
        XCTAssertTrue(ok(["retention", "--as-of", "2026-11-23"], amira).stdout.contains("No one is due"))
        XCTAssertEqual((ok(["retention", "--after-years", "5", "--dry-run", "--as-of", "2026-11-23", "--json"], amira).json as? [[String: Any]])?.count, 1)
        let bad = CLI.run(["retention", "--after-years", "0"], dataDir: amira, environment: env)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("between 1 and 100"), bad.stderr)
    }
}

/// The same through a throwaway PostgreSQL server: erased on Amira's device, unreadable on
/// Ben's after both sync, and no row on the server holds a copy of the person's key.
final class ErasurePostgresTests: ErasureCLITestCase {
    var cluster: PostgresCluster!

    override func setUpWithError() throws {
        try super.setUpWithError()
        cluster = try PostgresCluster.start()
    }

    override func tearDownWithError() throws {
        cluster?.stop()
        try super.tearDownWithError()
    }

    func testErasedOnOneDeviceIsUnreadableOnTheOtherAfterAPostgresSync() throws {
        ok(["server", "init", "--url", cluster.adminURL], nil)
        for name in ["Amira Haddad", "Ben Okafor"] {
            let password = "pw-\(UUID().uuidString)"
            ok(["server", "add-worker", name, "--team", "North", "--url", cluster.adminURL], nil, env: ["CASELOAD_NEW_PASSWORD": password])
            cluster.addPassword(role: DataDirectory.workerSlug(name), password: password)
        }
        makeTeam()
        let (z, _) = addPeople()
        ok(["sync", "postgres", "--url", cluster.url("amira-haddad")], amira)
        ok(["sync", "postgres", "--url", cluster.url("ben-okafor")], ben)
        XCTAssertTrue(everythingShown(ben, z).contains("Zebedee Quartermain"))

        ok(["patient", "erase", z, "--reason", "erasure request of 2026-11-22", "--as-of", asOf], amira)
        ok(["sync", "postgres", "--url", cluster.url("amira-haddad")], amira)
        ok(["sync", "postgres", "--url", cluster.url("ben-okafor")], ben)
        let shown = everythingShown(ben, z)
        for s in secrets { XCTAssertFalse(shown.contains(s), "Ben's device still shows '\(s)'") }
        XCTAssertTrue(shown.contains("Erased on \(asOf)"), shown)

        // The server's copies of the person keys, read with psql: none holds the person's key.
        let rows = try PostgresCluster.run(PostgresCluster.binDirectory()!.appendingPathComponent("psql").path,
                                           [cluster.adminURL, "-At", "-c", "SELECT device || ' ' || sealed FROM caseload.person_keys"])
        let copies = rows.split(separator: "\n").compactMap { line -> (String, Data)? in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let bytes = Data(base64Encoded: String(parts[1])) else { return nil }
            return (String(parts[0]) + ".person-keys", bytes)
        }
        XCTAssertEqual(copies.count, 2, "one copy per device: \(rows)")
        let sealer = try EncryptedCaseload.unlock(ben, passphrase: Array("correct horse battery".utf8)).sealer!
        XCTAssertFalse(someCopyHoldsKey(of: z, in: copies, sealer: sealer))
        XCTAssertFalse(rows.contains("Zebedee"))
    }
}
