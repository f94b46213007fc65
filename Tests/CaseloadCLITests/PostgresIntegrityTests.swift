import Foundation
import XCTest
import CaseloadCore
import CaseloadJournal
import CaseloadSync

/// The team server tried as an unlucky user and a hostile colleague would: a frozen server,
/// forged authors, registrations for someone else, poisoned clocks.
extension PostgresSyncTests {
    func testAFrozenServerMakesSyncFailWithinItsTimeoutAndChangesNothing() throws {
        setUpServer([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        ok(["patient", "add", "--name", "Zoë"], a)
        sync(a, role: "amira-haddad")
        ok(["patient", "add", "--name", "Mr Chen"], a)
        let before = journalBytes(a)

        // Frozen before we connect: the connection itself gives up.
        cluster.freeze()
        defer { cluster.thaw() }
        var start = Date()
        let r = CLI.run(["sync", "postgres", "--timeout", "2"], dataDir: a)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20, "gave up within its timeout, not for ever")
        XCTAssertNotEqual(r.status, 0)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("timeout"), r.stderr)
        XCTAssertEqual(journalBytes(a), before, "nothing local changed")

        // Frozen once connected, mid-sync: the first statement that gets no answer gives up.
        cluster.thaw()
        let store = try CaseloadStore.open(dataDirectory: a)
        let db = try PostgresConnection(try ServerAddress(url: cluster.url("amira-haddad")), timeout: 2)
        cluster.freeze()
        start = Date()
        XCTAssertThrowsError(try PostgresSync(store: store, db: db).run()) { error in
            XCTAssertEqual(error as? PostgresError, .timedOut(seconds: 2))
            XCTAssertTrue("\(error)".contains("did not answer for 2 s"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        store.close()
        XCTAssertEqual(journalBytes(a), before, "nothing local changed")

        // Once the server is back, the same device syncs as before.
        cluster.thaw()
        XCTAssertGreaterThan(sync(a)["sent"] as? Int ?? 0, 0, "what waited goes out")
    }

    func testTheServerIsRememberedFromAKilledFirstSync() throws {
        setUpServer([("Amira Haddad", "North", false)])
        let a = device("a", worker: "Amira Haddad")
        ok(["debug-append", "--count", "900"], a)
        killedSync(a, role: "amira-haddad", env: ["CASELOAD_TEST_SYNC_BATCH": "300", "CASELOAD_TEST_KILL_SYNC": "sending:300"])
        let again = sync(a) // no --url
        XCTAssertGreaterThan(again["sent"] as? Int ?? 0, 0)
    }
}
