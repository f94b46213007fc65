import Foundation
import XCTest

/// Runs any program (a shell, man, the installed binary) in `directory`, collecting its output.
func runProgram(_ path: String, _ args: [String], in directory: URL, environment: [String: String] = [:]) -> CLIResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: path)
    p.arguments = args
    p.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("run-out-\(UUID().uuidString)")
    let err = FileManager.default.temporaryDirectory.appendingPathComponent("run-err-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
    guard let outHandle = try? FileHandle(forWritingTo: out), let errHandle = try? FileHandle(forWritingTo: err) else {
        return CLIResult(status: -1, stdout: "", stderr: "cannot create output files")
    }
    p.standardOutput = outHandle
    p.standardError = errHandle
    p.standardInput = FileHandle.nullDevice
    do { try p.run() } catch { return CLIResult(status: -1, stdout: "", stderr: "\(error)") }
    p.waitUntilExit()
    let read = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
    return CLIResult(status: p.terminationStatus, stdout: read(out), stderr: read(err))
}

/// On a new machine: `scripts/install` into a prefix, then the installed binary run from
/// another folder. CI installs once (.ci/run sets CASELOAD_TEST_INSTALL_PREFIX); without it the
/// test runs the release build itself, which takes minutes.
final class InstallTests: CLITestCase {
    var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL }

    func installedPrefix() throws -> URL {
        if let given = ProcessInfo.processInfo.environment["CASELOAD_TEST_INSTALL_PREFIX"], !given.isEmpty {
            return URL(fileURLWithPath: given)
        }
        let prefix = root.appendingPathComponent("prefix")
        // Its own build folder: `swift test` holds .build while it runs, and a second SwiftPM would wait for it.
        let r = runProgram("/bin/bash", [repository.appendingPathComponent("scripts/install").path, "--prefix", prefix.path,
                                         "--build-path", repository.appendingPathComponent(".build-install-test").path], in: repository)
        XCTAssertEqual(r.status, 0, r.stderr)
        return prefix
    }

    func testTheInstalledBinaryWorksFromAnyFolder() throws {
        let prefix = try installedPrefix()
        let binary = prefix.appendingPathComponent("bin/caseload").path
        let elsewhere = root.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)

        let version = runProgram(binary, ["--version"], in: elsewhere)
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertTrue(version.stdout.range(of: #"^caseload \d+\.\d+\.\d+ \(commit [0-9a-f]{7,}"#, options: .regularExpression) != nil, version.stdout)

        let manual = runProgram("/usr/bin/man", ["-l", prefix.appendingPathComponent("share/man/man1/caseload.1").path], in: elsewhere,
                                environment: ["MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80"])
        XCTAssertEqual(manual.status, 0, manual.stderr)
        XCTAssertTrue(manual.stdout.contains("caseload"), manual.stdout)
        XCTAssertTrue(manual.stdout.contains("overdue"), "the man page lists the subcommands")

        for (file, marker) in [("share/bash-completion/completions/caseload", "caseload"), ("share/zsh/site-functions/_caseload", "#compdef caseload"),
                               ("share/fish/vendor_completions.d/caseload.fish", "complete -c 'caseload'")] {
            let text = (try? String(contentsOf: prefix.appendingPathComponent(file), encoding: .utf8)) ?? ""
            XCTAssertTrue(text.contains(marker), "\(file) is not a completion script")
        }

        // The themes are inside the binary: a copy on its own, away from any themes folder,
        // still opens with high-contrast (and an unknown theme is refused in one line).
        let alone = elsewhere.appendingPathComponent("caseload")
        try FileManager.default.copyItem(atPath: binary, toPath: alone.path)
        let refused = runProgram(alone.path, ["--theme", "no-such-theme", "--demo"], in: elsewhere)
        XCTAssertNotEqual(refused.status, 0)
        guard Tmux.available else {
            if ProcessInfo.processInfo.environment["CI"] != nil { XCTFail("tmux is missing in CI") }
            return
        }
        for program in [binary, alone.path] {
            let tmux = Tmux()
            defer { tmux.kill() }
            tmux.start("cd '\(elsewhere.path)' && exec env TMPDIR='\(elsewhere.path)' LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \(program) --demo --theme high-contrast --as-of \(asOf)")
            tmux.waitFor("overdue", timeout: 60)
            XCTAssertFalse(tmux.paneDead)
        }
    }
}

/// The app in terminals it cannot use, and the demo's temporary folder on every way out.
final class TerminalStartAndExitTests: TmuxTestCase {
    func testDumbOrUnknownTermGetsOneClearLine() {
        for (term, says) in [("dumb", "TERM=dumb cannot move the cursor"), ("no-such-terminal", "TERM=no-such-terminal is not a terminal this machine knows")] {
            let tmux = Tmux()
            defer { tmux.kill() }
            tmux.start("env LANG=C.UTF-8 TERM=\(term) \(CLI.binary.path) --demo --as-of \(asOf); echo \"exit=$?\"; sleep 30")
            let screen = tmux.waitFor("exit=")
            XCTAssertTrue(screen.contains(says), screen)
            XCTAssertTrue(screen.contains("TERM=xterm-256color"), "says how to run it:\n\(screen)")
            XCTAssertFalse(screen.contains("Error opening terminal"), screen)
            XCTAssertFalse(screen.contains("exit=0"), screen)
        }
    }

    /// tmux sends Home and End as ESC [1~ and ESC [4~ even under TERM=xterm-256color, whose
    /// terminfo names other sequences: both terms move to the first and last row.
    func testHomeAndEndMoveWhateverTheTERM() throws {
        let terms = ["xterm-256color", "tmux-256color", "screen-256color"].filter { term in
            runProgram("/usr/bin/env", ["infocmp", term], in: root).status == 0
        }
        XCTAssertTrue(terms.contains("xterm-256color"))
        for term in terms {
            let tmux = Tmux()
            defer { tmux.kill() }
            tmux.start("exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=\(term) \(CLI.binary.path) --demo --data-dir \(data.path) --as-of \(asOf)")
            let first = tmux.waitFor("overdue", timeout: 60).split(separator: "\n").first { $0.hasPrefix("▶") }.map(String.init)
            XCTAssertNotNil(first)
            tmux.keys("End")
            let last = tmux.waitUntil("End under \(term)") { screen in screen.split(separator: "\n").contains { $0.hasPrefix("▶") && String($0) != first } }
            tmux.keys("Home")
            tmux.waitUntil("Home under \(term)") { screen in screen.split(separator: "\n").contains { String($0) == first } }
            XCTAssertNotEqual(last, "")
        }
    }

    /// A click (sent as the SGR mouse report xterm and tmux send) selects the row under the
    /// pointer; with `mouse = false` in the config the same click does nothing.
    func testAClickInTmuxSelectsARowUnlessTheMouseIsOff() throws {
        let config = root.appendingPathComponent("config")
        try FileManager.default.createDirectory(at: config.appendingPathComponent("caseload"), withIntermediateDirectories: true)
        for mouse in [true, false] {
            try (mouse ? "" : "mouse = false\n").write(to: config.appendingPathComponent("caseload/config.toml"), atomically: true, encoding: .utf8)
            let tmux = Tmux()
            defer { tmux.kill() }
            tmux.start("exec env XDG_CONFIG_HOME=\(config.path) LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \(CLI.binary.path) --demo --data-dir \(data.path) --as-of \(asOf)")
            let before = tmux.waitFor("overdue", timeout: 60).split(separator: "\n").map(String.init)
            XCTAssertTrue(before[3].hasPrefix("▶"))
            // Press and release of button 1 at column 5, row 6 (1-based): the list's third row.
            tmux.tmux(["send-keys", "-t", tmux.session, "-H"] + Array("\u{1b}[<0;5;6M\u{1b}[<0;5;6m".utf8).map { String($0, radix: 16) })
            usleep(800_000)
            let after = tmux.screen().split(separator: "\n").map(String.init)
            if mouse {
                XCTAssertTrue(after[5].hasPrefix("▶"), after.joined(separator: "\n"))
            } else {
                XCTAssertTrue(after[3].hasPrefix("▶"), "mouse = false: \n" + after.joined(separator: "\n"))
            }
        }
    }

    /// q, Ctrl-C and SIGTERM each leave no demo folder behind.
    func testTheDemoFolderIsRemovedOnEveryExit() throws {
        let ways: [(String, (Tmux) -> Void)] = [
            ("q", { $0.keys("q") }),
            ("Ctrl-C", { $0.keys("C-c") }),
            ("SIGTERM", { t in kill(t.panePID, SIGTERM) }),
        ]
        for (name, leave) in ways {
            let temp = root.appendingPathComponent("tmp-\(name)")
            try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
            let tmux = Tmux()
            defer { tmux.kill() }
            tmux.start("exec env TMPDIR=\(temp.path) LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \(CLI.binary.path) --demo --as-of \(asOf)")
            tmux.waitFor("overdue", timeout: 60)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temp.path).count, 1, "the demo folder is in TMPDIR")
            leave(tmux)
            let deadline = Date().addingTimeInterval(10)
            while !tmux.paneDead, Date() < deadline { usleep(100_000) }
            XCTAssertTrue(tmux.paneDead, "\(name) ends the app:\n\(tmux.screen())")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temp.path), [], "\(name) leaves the demo folder behind")
        }
    }
}

extension TerminalStartAndExitTests {
    /// The terminal goes away and no SIGHUP reaches the app (it runs in a session of its own,
    /// as under `setsid` or a supervisor that swallows the signal): reading keys gives end of
    /// file, and the app still ends at once, removing its demo folder, instead of spinning.
    func testTheAppEndsCleanlyWhenItsTerminalHangsUpWithoutASignal() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setsid") else { throw XCTSkip("setsid is not installed") }
        let temp = root.appendingPathComponent("tmp")
        try FileManager.default.createDirectory(at: temp, withIntermediateDirectories: true)
        let pidFile = root.appendingPathComponent("app.pid")
        tmux.start("exec /usr/bin/setsid -w sh -c 'echo $$ > \(pidFile.path); exec env TMPDIR=\(temp.path) LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color \(CLI.binary.path) --demo --as-of \(asOf)'")
        tmux.waitFor("overdue", timeout: 60)
        let pid = try XCTUnwrap(Int32(String(contentsOf: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Only if the test fails: the app this test started must not outlive it.
        defer { if kill(pid, 0) == 0 { kill(pid, SIGKILL) } }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temp.path).count, 1, "the demo folder is in TMPDIR")
        tmux.kill()
        let deadline = Date().addingTimeInterval(10)
        while kill(pid, 0) == 0, Date() < deadline { usleep(100_000) }
        XCTAssertNotEqual(kill(pid, 0), 0, "the app is still running after its terminal went away")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temp.path), [], "the demo folder is left behind")
    }
}

/// One set of exit codes for every command, as --help and the README list them.
final class ExitCodeTests: CLITestCase {
    func testExitCodesSayWhatKindOfProblemItWas() throws {
        initialise()
        let id = try XCTUnwrap(jsonObject(["patient", "add", "--name", "Zoë Łukasz", "--as-of", asOf])["id"] as? String)
        let notUTF8 = root.appendingPathComponent("note.txt")
        try Data([0x66, 0xFF, 0xFE]).write(to: notUTF8)
        let cases: [([String], Int32)] = [
            (["patient", "show", id], 0),
            (["patient", "show", "no-such-person"], 1),
            (["patient", "list", "--no-such-option"], 64),
            (["session", "add", id, "--note-file", notUTF8.path], 65),
            (["session", "add", id, "--note-file", root.path], 74),
        ]
        for (args, code) in cases {
            let r = CLI.run(args, dataDir: data)
            XCTAssertEqual(r.status, code, "caseload \(args.joined(separator: " ")): \(r.stderr)")
            if code != 0 {
                XCTAssertEqual(r.stderr.split(separator: "\n").first.map { $0.hasPrefix("Error: ") && !$0.hasPrefix("Error: Error") }, true, r.stderr)
            }
        }
        let help = CLI.run(["--help"]).stdout
        XCTAssertTrue(help.contains("Exit codes: 0 done; 1 refused or not found; 64 usage; 65 bad input data; 74"), help)
    }
}
