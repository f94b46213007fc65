import Foundation
import XCTest
import CaseloadCrypto

/// The terminal app on an encrypted caseload, in tmux at 80x24: it asks for the passphrase
/// before taking over the screen (nothing typed is shown), opens on the right one, and a wrong
/// one is one line and no app.
final class EncryptionTerminalTests: TmuxTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        guard (try? Sodium.load()) != nil else { throw XCTSkip("libsodium is not installed (apt-get install libsodium23)") }
        let pass = root.appendingPathComponent("pass")
        try "correct horse battery\n".write(to: pass, atomically: true, encoding: .utf8)
        let env = ["CASELOAD_PASSPHRASE_FILE": pass.path]
        XCTAssertEqual(CLI.run(["init", "--encrypt", "--worker", "Amira Haddad", "--team", "North"], dataDir: data, environment: env).status, 0)
        XCTAssertEqual(CLI.run(["patient", "add", "--name", "Zebedee Quartermain"], dataDir: data, environment: env).status, 0)
    }

    func appCommand() -> String {
        "env -u CASELOAD_PASSPHRASE_FILE LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TZ=Europe/London \(CLI.binary.path) --data-dir \(data.path) --as-of \(asOf); echo exit=$?; sleep 30"
    }

    func testTheAppAsksForThePassphraseWithoutEchoThenOpens() throws {
        tmux.start(appCommand())
        tmux.waitFor("Passphrase for this caseload:")
        tmux.type("correct horse battery")
        XCTAssertFalse(tmux.screen().contains("correct horse"), "the passphrase is not echoed")
        tmux.keys("Enter")
        tmux.waitFor("Zebedee Quartermain")
        tmux.keys("q")
    }

    func testAWrongPassphraseIsOneLineAndNoApp() throws {
        tmux.start(appCommand())
        tmux.waitFor("Passphrase for this caseload:")
        tmux.type("not the passphrase")
        tmux.keys("Enter")
        let screen = tmux.waitFor("exit=1")
        XCTAssertTrue(screen.contains("wrong passphrase"), screen)
        XCTAssertFalse(screen.contains("Zebedee"), screen)
    }
}
