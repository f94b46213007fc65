import Foundation
import XCTest
import CaseloadCore
import CaseloadCrypto
import CaseloadJournal

/// An encrypted caseload through the real binary: nothing personal in any byte it or a folder
/// sync writes, and a wrong or missing passphrase is one line, a non-zero exit and no write.
final class EncryptionCLITests: CLITestCase {
    var stick: URL { root.appendingPathComponent("stick") }
    var passFile: URL { root.appendingPathComponent("pass") }
    var env: [String: String] { ["CASELOAD_PASSPHRASE_FILE": passFile.path] }
    // Strings that must appear nowhere: a name, an NHS number, a phone, an address, a note, a draft.
    let secrets = ["Zebedee", "Quartermain", "9434765919", "943 476 5919", "07700 900123", "Lantern Row",
                   "bailiffs at Marigold", "Half-typed draft about Ophelia"]

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        try "correct horse battery\n".write(to: passFile, atomically: true, encoding: .utf8)
    }

    @discardableResult
    func enc(_ args: [String], environment: [String: String]? = nil, file: StaticString = #filePath, line: UInt = #line) -> CLIResult {
        let r = CLI.run(args, dataDir: data, environment: environment ?? env)
        XCTAssertEqual(r.status, 0, "caseload \(args.joined(separator: " ")) failed: \(r.stderr)", file: file, line: line)
        return r
    }

    func makeCaseload() throws -> String {
        enc(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"])
        let p = (enc(["patient", "add", "--name", "Zebedee Quartermain", "--nhs-number", "9434765919", "--phone", "07700 900123",
                      "--address", "12 Lantern Row", "--reason", "loneliness", "--json"]).json as! [String: Any])["id"] as! String
        enc(["session", "add", p, "--note", "Worried about the bailiffs at Marigold Court"])
        // A draft as the app's editor saves it (the command line has no draft command).
        let store = try CaseloadStore.open(dataDirectory: data, codec: try EncryptedCaseload.unlock(data, passphrase: Array("correct horse battery".utf8)))
        try store.append([.draftSaved(DraftSaved(draftId: UUID(), patientId: UUID(uuidString: p)!, date: Day("2026-11-23")!,
                                                 kind: .phone, minutes: nil, text: "Half-typed draft about Ophelia"))])
        store.close()
        return p
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

    func testNoNameNHSNumberNoteOrDraftInAnyByteOfTheDataOrSyncFolder() throws {
        let p = try makeCaseload()
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        enc(["sync", "folder", stick.path])
        // Past the 1,000 changes after which the state is saved as a snapshot: an encrypted
        // caseload seals it whole (snapshot.sealed), and never writes the plain snapshot.bin.
        let store = try CaseloadStore.open(dataDirectory: data, codec: try EncryptedCaseload.unlock(data, passphrase: Array("correct horse battery".utf8)))
        try store.append((0..<1_001).map { _ in .draftSaved(DraftSaved(draftId: UUID(), patientId: UUID(uuidString: p)!, date: Day("2026-11-23")!,
                                                                     kind: .phone, minutes: nil, text: "Half-typed draft about Ophelia")) })
        store.close()
        enc(["patient", "list"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: data.appendingPathComponent("snapshot.bin").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: data.appendingPathComponent("snapshot.sealed").path))
        let files = allBytes(data) + allBytes(stick)
        XCTAssertTrue(files.contains { $0.0.hasSuffix(".journal") })
        for (name, bytes) in files {
            for s in secrets {
                XCTAssertNil(bytes.range(of: Data(s.utf8)), "\(name) holds '\(s)' in clear")
            }
        }
        // And it all reads back with the passphrase.
        let shown = enc(["patient", "show", p, "--as-of", asOf]).stdout
        XCTAssertTrue(shown.contains("Zebedee Quartermain"))
        XCTAssertTrue(shown.contains("bailiffs at Marigold"))
        XCTAssertTrue(enc(["verify"]).stdout.contains("OK"))
    }

    func testAWrongOrMissingPassphraseIsOneLineANonZeroExitAndNothingWritten() throws {
        let p = try makeCaseload()
        let before = allBytes(data).map { $0.1 }
        let wrong = root.appendingPathComponent("wrong")
        try "not the passphrase".write(to: wrong, atomically: true, encoding: .utf8)
        for (args, environment) in [(["session", "add", p, "--note", "x"], ["CASELOAD_PASSPHRASE_FILE": wrong.path]),
                                    (["patient", "list"], ["CASELOAD_PASSPHRASE_FILE": wrong.path]),
                                    (["patient", "list"], ["CASELOAD_PASSPHRASE_FILE": root.appendingPathComponent("missing").path]),
                                    (["passphrase", "change"], ["CASELOAD_PASSPHRASE_FILE": wrong.path, "CASELOAD_NEW_PASSPHRASE_FILE": passFile.path])] {
            let r = CLI.run(args, dataDir: data, environment: environment)
            XCTAssertNotEqual(r.status, 0, "\(args) with \(environment)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.contains("passphrase"), r.stderr)
            XCTAssertFalse(r.stderr.contains("Fatal error"))
        }
        XCTAssertEqual(allBytes(data).map { $0.1 }, before, "nothing was written")
        // A new caseload with too short a passphrase is not made at all.
        let short = root.appendingPathComponent("short")
        try "short".write(to: short, atomically: true, encoding: .utf8)
        let other = root.appendingPathComponent("other")
        let r = CLI.run(["init", "--encrypt", "--worker", "Ben Okafor"], dataDir: other, environment: ["CASELOAD_PASSPHRASE_FILE": short.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other.path))
    }

    /// `undo` reads the sealed journal a change at a time, as the plain one.
    func testUndoOnAnEncryptedCaseloadTakesBackTheLastChange() throws {
        let p = try makeCaseload()
        let undo = enc(["undo", "--json"]).json as? [String: Any]
        XCTAssertEqual(undo?["types"] as? [String], ["session.recorded", "patient.statusChanged"], "the contact and the status it moved: \(String(describing: undo))")
        let shown = enc(["patient", "show", p, "--json"]).json as? [String: Any]
        XCTAssertEqual((shown?["sessions"] as? [Any])?.count, 0)
    }

    func testPassphraseChangeKeepsEverythingReadableAndRewritesNoRecord() throws {
        let p = try makeCaseload()
        let journal = journalBytes
        let newFile = root.appendingPathComponent("new")
        try "a much longer new passphrase\n".write(to: newFile, atomically: true, encoding: .utf8)
        enc(["passphrase", "change"], environment: ["CASELOAD_PASSPHRASE_FILE": passFile.path, "CASELOAD_NEW_PASSPHRASE_FILE": newFile.path])
        XCTAssertEqual(journalBytes, journal)
        XCTAssertNotEqual(CLI.run(["patient", "list"], dataDir: data, environment: env).status, 0, "the old passphrase no longer opens it")
        let shown = enc(["patient", "show", p], environment: ["CASELOAD_PASSPHRASE_FILE": newFile.path]).stdout
        XCTAssertTrue(shown.contains("bailiffs at Marigold"))
    }

    func testEncryptingAPlainCaseloadKeepsEveryEventAndSaysWhereThePlainCopyIs() throws {
        initialise()
        let p = (jsonObject(["patient", "add", "--name", "Zebedee Quartermain", "--nhs-number", "9434765919", "--followup", "2026-11-30"])["id"] as! String)
        ok(["session", "add", p, "--note", "Worried about the bailiffs at Marigold Court"])
        let before = jsonObject(["patient", "show", p, "--as-of", asOf])
        let eventsBefore = JournalScannerCount.records(journalBytes)

        let r = CLI.run(["encrypt"], dataDir: data, environment: env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\(eventsBefore) events sealed"), r.stdout)
        XCTAssertTrue(r.stdout.contains("plain-before-encryption-"), r.stdout)
        XCTAssertEqual(JournalScannerCount.records(journalBytes), eventsBefore, "every event kept")
        for s in secrets { XCTAssertNil(journalBytes.range(of: Data(s.utf8)), "the journal holds '\(s)'") }
        // It now needs the passphrase, and shows the same person as before.
        XCTAssertNotEqual(CLI.run(["patient", "list"], dataDir: data, environment: ["CASELOAD_PASSPHRASE_FILE": ""]).status, 0)
        let after = try JSONSerialization.jsonObject(with: Data(enc(["patient", "show", p, "--as-of", asOf, "--json"]).stdout.utf8)) as! [String: Any]
        XCTAssertEqual(after as NSDictionary, before as NSDictionary)
        // New changes are sealed too; a second encrypt is refused.
        enc(["session", "add", p, "--note", "Another visit about the bailiffs at Marigold Court"])
        for s in secrets { XCTAssertNil(journalBytes.range(of: Data(s.utf8)), "the journal holds '\(s)'") }
        let again = CLI.run(["encrypt"], dataDir: data, environment: env)
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("already encrypted"), again.stderr)
    }
}

extension EncryptionCLITests {
    /// Until a team's devices share keys (README, "A team's devices"), a device without the key
    /// of another's sealed records says so in one warning and stores none of them.
    func testAFolderSyncWithoutTheOtherDevicesKeySaysSoAndStoresNone() throws {
        _ = try makeCaseload()
        try FileManager.default.createDirectory(at: stick, withIntermediateDirectories: true)
        enc(["sync", "folder", stick.path])
        let ben = root.appendingPathComponent("ben")
        XCTAssertEqual(CLI.run(["init", "--worker", "Ben Okafor", "--team", "North"], dataDir: ben).status, 0)
        let r = CLI.run(["sync", "folder", stick.path], dataDir: ben)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("a sealed record uses a key this device does not hold"), r.stderr)
        XCTAssertFalse(CLI.run(["patient", "list"], dataDir: ben).stdout.contains("Zebedee"))
        for (name, bytes) in allBytes(ben) {
            for s in secrets { XCTAssertNil(bytes.range(of: Data(s.utf8)), "\(name) holds '\(s)'") }
        }
    }
}

/// Records in a journal's bytes (without reading any of them as events).
enum JournalScannerCount {
    static func records(_ journal: Data) -> Int { JournalScanner.scan(journal).records.count }
}

/// The same caseload synced to a throwaway PostgreSQL server: the server's rows (read with psql)
/// hold none of the personal strings, and its insert checks accept every sealed record.
final class EncryptionPostgresTests: XCTestCase {
    var cluster: PostgresCluster!
    var root: URL!

    override func setUpWithError() throws {
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        cluster = try PostgresCluster.start()
        root = FileManager.default.temporaryDirectory.appendingPathComponent("encpg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        cluster?.stop()
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    func testTheServersRowsHoldNoNameNHSNumberNoteOrDraft() throws {
        let pass = root.appendingPathComponent("pass")
        try "correct horse battery\n".write(to: pass, atomically: true, encoding: .utf8)
        let env = ["CASELOAD_PASSPHRASE_FILE": pass.path]
        let data = root.appendingPathComponent("data")
        func ok(_ args: [String], _ dir: URL? = nil, env extra: [String: String] = [:]) -> CLIResult {
            let r = CLI.run(args, dataDir: dir, environment: env.merging(extra) { $1 })
            XCTAssertEqual(r.status, 0, "caseload \(args.joined(separator: " ")) failed: \(r.stderr)")
            return r
        }
        _ = ok(["server", "init", "--url", cluster.adminURL])
        let password = "pw-\(UUID().uuidString)"
        _ = ok(["server", "add-worker", "Amira Haddad", "--team", "North", "--url", cluster.adminURL], env: ["CASELOAD_NEW_PASSWORD": password])
        cluster.addPassword(role: "amira-haddad", password: password)
        _ = ok(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], data)
        let p = (ok(["patient", "add", "--name", "Zebedee Quartermain", "--nhs-number", "9434765919", "--phone", "07700 900123",
                     "--json"], data).json as! [String: Any])["id"] as! String
        _ = ok(["session", "add", p, "--note", "Worried about the bailiffs at Marigold Court"], data)
        let store = try CaseloadStore.open(dataDirectory: data, codec: try EncryptedCaseload.unlock(data, passphrase: Array("correct horse battery".utf8)))
        try store.append([.draftSaved(DraftSaved(draftId: UUID(), patientId: UUID(uuidString: p)!, date: Day("2026-11-23")!,
                                                 kind: .phone, minutes: nil, text: "Half-typed draft about Ophelia"))])
        store.close()
        let report = ok(["sync", "postgres", "--url", cluster.url("amira-haddad"), "--json"], data).json as? [String: Any]
        let sent = report?["sent"] as? Int ?? 0
        XCTAssertGreaterThanOrEqual(sent, 5, "registration, referral, session, draft, the sync record: \(report ?? [:])")

        let rows = try PostgresCluster.run(PostgresCluster.binDirectory()!.appendingPathComponent("psql").path,
                                           [cluster.adminURL, "-At", "-c", "SELECT type, convert_from(payload, 'UTF8') FROM caseload.events ORDER BY seq"])
        XCTAssertEqual(rows.split(separator: "\n").count, sent, "the server's checks took every sealed record: \(rows)")
        XCTAssertTrue(rows.contains("$sealed"), rows)
        for s in ["Zebedee", "Quartermain", "9434765919", "07700 900123", "bailiffs at Marigold", "Half-typed draft about Ophelia"] {
            XCTAssertFalse(rows.contains(s), "the server's rows hold '\(s)'")
        }
    }
}
