import Foundation
import XCTest

/// A tmux session running the real binary: keys go in with send-keys, the screen comes back
/// with capture-pane. In CI tmux is installed by .ci/run, so a missing tmux fails there.
final class Tmux {
    let socket = "caseload-test-\(UUID().uuidString.prefix(8))"
    let session = "app"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux") }

    /// Runs tmux through `sh` with posix_spawn and waitpid, output to a file. Foundation's
    /// Process can wait forever on the client that forks the tmux server, so it is not used here.
    @discardableResult
    func tmux(_ args: [String]) -> String {
        let outFile = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outFile) }
        let quoted = (["tmux", "-L", socket] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let command = quoted.joined(separator: " ") + " </dev/null >'\(outFile)' 2>/dev/null"
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { return "" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
    }

    func start(_ command: String, width: Int = 80, height: Int = 24) {
        // One tmux call, so the pane is kept (and its last screen readable) even if the app exits at once.
        tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command,
              ";", "set-option", "-t", session, "remain-on-exit", "on"])
    }

    func keys(_ keys: String...) { tmux(["send-keys", "-t", session] + keys) }
    /// Types text literally (UTF-8), as a person would.
    func type(_ text: String) { tmux(["send-keys", "-t", session, "-l", text]) }
    func screen() -> String { tmux(["capture-pane", "-t", session, "-p"]) }
    func resize(_ width: Int, _ height: Int) { tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"]) }
    var paneDead: Bool { tmux(["display-message", "-t", session, "-p", "#{pane_dead}"]).trimmingCharacters(in: .whitespacesAndNewlines) == "1" }
    var panePID: Int32 { Int32(tmux(["display-message", "-t", session, "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }
    func kill() { tmux(["kill-server"]) }

    /// Waits until the screen contains `text`; returns the screen.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line) -> String {
        waitUntil("'\(text)'", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Waits until `condition` holds for the screen; returns the screen.
    @discardableResult
    func waitUntil(_ what: String, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line,
                   _ condition: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            // A frame on a loaded machine may be captured half drawn: the matching rows new,
            // the rest still the last screen. It counts once it holds still.
            if condition(last) {
                usleep(60_000)
                let again = screen()
                if again == last { return last }
                continue
            }
            if paneDead { break }
            usleep(100_000)
        }
        XCTFail("timed out waiting for \(what); screen was:\n\(last)", file: file, line: line)
        return last
    }
}

/// A CLI test with a tmux session ready; a missing tmux skips it, except in CI where it fails.
class TmuxTestCase: CLITestCase {
    var tmux: Tmux!

    override func setUpWithError() throws {
        try super.setUpWithError()
        guard Tmux.available else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("tmux is missing in CI"); return }
            throw XCTSkip("tmux is not installed")
        }
        tmux = Tmux()
    }

    override func tearDownWithError() throws {
        tmux?.kill()
        try super.tearDownWithError()
    }
}

final class TerminalEndToEndTests: TmuxTestCase {
    func appCommand() -> String {
        "exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TZ=Europe/London EDITOR=true \(CLI.binary.path) --demo --data-dir \(data.path) --as-of \(asOf)"
    }

    /// M then s on a person: the message saved to a private file, in the folder typed, and the
    /// status line says where it went, whole, at 80x24.
    func testTheMessageToTheGPIsSavedToAPrivateFile() throws {
        // A short folder, so the status line's whole sentence fits in 80 columns.
        let folder = URL(fileURLWithPath: "/tmp/gp-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        openFirstPatient()
        tmux.keys("M")
        tmux.waitFor("Message to the GP about")
        tmux.keys("s")
        tmux.waitFor("Save the message to the GP to a file")
        tmux.keys("Right")
        tmux.waitFor("FHIR R4 Bundle (JSON)")
        tmux.keys("Left", "Enter", "C-u")
        tmux.type(folder.path)
        tmux.keys("Enter", "Enter")
        let screen = tmux.waitFor(" in \(folder.path)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        XCTAssertEqual(files.count, 1, screen)
        let name = try XCTUnwrap(files.first)
        XCTAssertTrue(name.hasPrefix("gp-message-") && name.hasSuffix(".html"), name)
        XCTAssertTrue(screen.contains("Saved \(name) in \(folder.path)"), screen)
        let file = folder.appendingPathComponent(name)
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as! Int) & 0o777, 0o600)
        XCTAssertTrue(try String(contentsOf: file, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        tmux.keys("s")
        XCTAssertTrue(tmux.waitFor("Save the message").contains(folder.path), "the folder is offered again")
    }

    /// L on a person at 80x24: type to search the directory (here by day), each service with
    /// when and where, Enter for the details, Enter again to connect.
    func testTheConnectPickerSearchesShowsWhenAndWhereAndConnects() throws {
        openFirstPatient()
        tmux.keys("L")
        var screen = tmux.waitFor("to a service")
        XCTAssertTrue(screen.contains("Chair yoga  Thursdays 14:00"), screen)
        tmux.type("thu")
        screen = tmux.waitFor("Search: thu  2 found")
        XCTAssertFalse(screen.contains("Food bank"), screen)
        XCTAssertTrue(screen.contains("Thursday Walking Group  Thursdays 10:00, park gates"), screen)
        tmux.keys("Down", "Enter")
        screen = tmux.waitFor("Enter connects")
        XCTAssertTrue(screen.contains("Service: Thursday Walking Group"), screen)
        XCTAssertTrue(screen.contains("When: Thursdays 10:00"), screen)
        tmux.keys("Enter")
        tmux.waitFor("Connect to a community service")
        tmux.keys("C-s")
        tmux.waitFor("Saved: connection added")
        XCTAssertTrue(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }

    /// The demo app with its first patient open.
    func openFirstPatient() {
        tmux.start(appCommand())
        tmux.waitFor("overdue", timeout: 60)
        tmux.keys("Enter")
        tmux.waitFor("Referred")
    }

    func testADayAtTheKeyboard() throws {
        tmux.start(appCommand())
        var screen = tmux.waitFor("overdue", timeout: 60)

        // The header counts hers: its overdue count is what `caseload overdue --worker` says of her.
        let overdueCount = (CLI.run(["overdue", "--json", "--worker", "amira-haddad", "--as-of", asOf], dataDir: data).json as? [Any])?.count ?? -1
        XCTAssertTrue(screen.contains("yours: ") && screen.contains("· \(overdueCount) overdue"), "expected \(overdueCount) overdue on:\n\(screen)")

        // Find a patient by typing a filter with a non-ASCII letter.
        tmux.keys("/")
        tmux.type("Wiś")
        screen = tmux.waitFor("Filter: Wiś")
        let rows = screen.split(separator: "\n").filter { $0.contains("active") || $0.contains("referred") || $0.contains("contacted") }
        XCTAssertFalse(rows.isEmpty)
        XCTAssertTrue(rows.allSatisfy { $0.contains("Wiśniewski") }, screen)
        tmux.keys("Escape")

        // A new referral with a name in three scripts.
        tmux.keys("a")
        tmux.waitFor("New referral")
        tmux.type("Zoë Łukasz 王小明")
        tmux.keys("C-s")
        screen = tmux.waitFor("Zoë Łukasz 王小明")

        // Open them (the form may land on the patient or the list) and write a two-paragraph note.
        if !screen.contains("New referral"), screen.contains("Next follow-up") {
            tmux.keys("/")
            tmux.type("Łukasz 王")
            tmux.waitFor("Filter: Łukasz 王")
            tmux.keys("Enter")
            tmux.keys("Enter")
        }
        tmux.waitFor("Referred")
        tmux.keys("n")
        tmux.waitFor("^S save")
        tmux.type("Zoë wants to join the Thursday walking group — she misses Kraków's parks.")
        tmux.keys("Enter")
        tmux.keys("Enter")
        tmux.type("Second paragraph: 王小明 will come too. Café on Friday ☕.")
        tmux.keys("C-s")
        screen = tmux.waitUntil("the saved note in the patient view") { $0.contains("Kraków") && !$0.contains("^S save") }

        // Resize to a small window and back: no crash, the screen redraws.
        tmux.resize(40, 12)
        usleep(500_000)
        XCTAssertFalse(tmux.paneDead, tmux.screen())
        tmux.resize(10, 3)
        usleep(500_000)
        XCTAssertFalse(tmux.paneDead, tmux.screen())
        tmux.resize(80, 24)
        tmux.waitFor("Kraków")

        // Quit and reopen: the note is there.
        tmux.keys("Escape")
        tmux.keys("q")
        usleep(800_000)
        if !tmux.paneDead { tmux.keys("y"); usleep(500_000) }
        XCTAssertTrue(tmux.paneDead, "q quits:\n\(tmux.screen())")
        tmux.kill()

        tmux = Tmux()
        tmux.start(appCommand())
        tmux.waitFor("overdue", timeout: 60)
        tmux.keys("/")
        tmux.type("Łukasz 王")
        tmux.waitFor("Filter: Łukasz 王")
        tmux.keys("Enter")
        tmux.keys("Enter")
        screen = tmux.waitFor("Kraków")
        XCTAssertTrue(screen.contains("Zoë Łukasz 王小明"))
        // The saved note is also what the command line sees.
        let shown = CLI.run(["patient", "list", "--search", "Zoë Łukasz 王小明", "--json"], dataDir: data)
        XCTAssertEqual((shown.json as? [Any])?.count, 1)
    }

    /// `w` and `o` are remembered between runs: the list opens as it was left.
    func testTheListOpensAsItWasLeft() throws {
        tmux.start(appCommand())
        tmux.waitFor("by name", timeout: 60)
        tmux.keys("w")
        tmux.waitFor("Showing your patients")
        tmux.keys("o")
        tmux.waitFor("Sorted by next follow-up")
        tmux.keys("q")
        let deadline = Date().addingTimeInterval(15)
        while !tmux.paneDead, Date() < deadline { usleep(100_000) }
        XCTAssertTrue(tmux.paneDead, "q quits")
        tmux.kill()
        tmux.start(appCommand())
        let screen = tmux.waitFor("by next follow-up", timeout: 60)
        XCTAssertTrue(screen.contains("· mine · by next follow-up"), screen)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: data.appendingPathComponent("view.json").path)[.posixPermissions] as? Int, 0o600)
    }

    func testADraftSurvivesSIGKILL() throws {
        tmux.start(appCommand())
        tmux.waitFor("overdue", timeout: 60)
        tmux.keys("Enter")
        tmux.waitFor("Referred")
        tmux.keys("n")
        tmux.waitFor("^S save")
        tmux.type("Siobhán talked about the gas bill and her sister in Dún Laoghaire.")
        // Autosave happens every few seconds and on a pause.
        tmux.waitFor("draft: saved", timeout: 15)
        let pid = tmux.panePID
        XCTAssertGreaterThan(pid, 0)
        kill(pid, SIGKILL)
        usleep(500_000)
        tmux.kill()

        tmux = Tmux()
        tmux.start(appCommand())
        tmux.waitFor("overdue", timeout: 60)
        tmux.keys("Enter")
        tmux.waitFor("Referred")
        tmux.keys("n")
        let screen = tmux.waitFor("Unsaved draft note")
        tmux.keys("r")
        XCTAssertTrue(tmux.waitFor("Dún Laoghaire").contains("Dún Laoghaire"), screen)
    }
}
