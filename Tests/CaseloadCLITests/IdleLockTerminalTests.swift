import Foundation
import XCTest
import CaseloadCrypto

/// The idle lock in the real app, in tmux at 80x24, on an encrypted caseload: with
/// `idle_lock_minutes = 0.05` (3 s) in the config the screen locks and shows nobody, a wrong
/// passphrase keeps it locked, the right one brings back the note being typed.
final class IdleLockTerminalTests: TmuxTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        let pass = root.appendingPathComponent("pass")
        try "correct horse battery\n".write(to: pass, atomically: true, encoding: .utf8)
        let env = ["CASELOAD_PASSPHRASE_FILE": pass.path]
        XCTAssertEqual(CLI.run(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], dataDir: data, environment: env).status, 0)
        XCTAssertEqual(CLI.run(["patient", "add", "--name", "Zebedee Quartermain"], dataDir: data, environment: env).status, 0)
        let config = root.appendingPathComponent("config/caseload")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "idle_lock_minutes = 0.05   # 3 seconds, for this test\n".write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
    }

    func appCommand() -> String {
        "env -u CASELOAD_PASSPHRASE_FILE XDG_CONFIG_HOME=\(root.appendingPathComponent("config").path) LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TZ=Europe/London \(CLI.binary.path) --data-dir \(data.path) --as-of \(asOf); echo exit=$?; sleep 30"
    }

    func testTheIdleAppLocksShowsNobodyAndTheRightPassphraseBringsBackTheNote() throws {
        tmux.start(appCommand())
        tmux.waitFor("Passphrase for this caseload:")
        tmux.type("correct horse battery")
        tmux.keys("Enter")
        tmux.waitFor("Zebedee Quartermain")
        // Open the person and start a note, then leave the keyboard.
        tmux.keys("Enter")
        tmux.waitFor("Zebedee")
        tmux.keys("n")
        tmux.type("Talked about the allotment")
        tmux.waitFor("Talked about the allotment")

        let locked = tmux.waitFor("Caseload is locked", timeout: 15)
        XCTAssertFalse(locked.contains("Zebedee"), locked)
        XCTAssertFalse(locked.contains("Quartermain"), locked)
        XCTAssertFalse(locked.contains("allotment"), locked)
        XCTAssertFalse(locked.contains("Amira"), locked)

        tmux.type("not the passphrase")
        XCTAssertFalse(tmux.screen().contains("not the passphrase"), "what is typed at the lock is not shown")
        tmux.keys("Enter")
        let wrong = tmux.waitFor("Wrong passphrase")
        XCTAssertFalse(wrong.contains("Zebedee"), wrong)

        tmux.type("correct horse battery")
        tmux.keys("Enter")
        let back = tmux.waitFor("Talked about the allotment")
        XCTAssertFalse(back.contains("Caseload is locked"), back)
        XCTAssertTrue(back.contains("Zebedee"), back)
    }
}
