import Foundation
import XCTest

/// What `--help` says is the first thing a new user reads: every subcommand says what it does.
final class HelpTextTests: XCTestCase {
    func testEverySubcommandInAGroupHasAOneLineDescription() {
        for group in ["patient", "session", "goal", "measure", "service", "connection", "followup", "sync", "import"] {
            let r = CLI.run([group, "--help"])
            XCTAssertEqual(r.status, 0, group)
            guard let start = r.stdout.range(of: "SUBCOMMANDS:\n") else { XCTFail("\(group): no subcommands listed"); continue }
            let entries = r.stdout[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false)
                .prefix { !$0.isEmpty }
                .filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") }   // entry lines, not wrapped continuations
            XCTAssertFalse(entries.isEmpty, group)
            for line in entries {
                let words = line.split(separator: " ")
                XCTAssertGreaterThan(words.count, 1, "`caseload \(group) \(words.first ?? "")` has no description in --help")
            }
        }
    }

    func testFollowupArgumentsSayWhatToGive() {
        let done = CLI.run(["followup", "done", "--help"])
        XCTAssertTrue(done.stdout.contains("Follow-up id or unique id prefix"), done.stdout)
        let add = CLI.run(["followup", "add", "--help"])
        XCTAssertTrue(add.stdout.contains("Patient id, unique id prefix, or NHS number."), add.stdout)
    }

    func testAMistypedReportDateSaysWhichFormItTakes() {
        let r = CLI.run(["report", "--from", "2026-13-01"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("First day of the period, YYYY-MM-DD"), r.stderr)
    }

    /// The benchmark and test hooks live in `caseload-bench`: the shipped binary has none of
    /// them, not even hidden, and the bench binary lists them all.
    func testCaseloadHasNoBenchOrDebugCommand() {
        for flag in ["--help", "--help-hidden"] {
            let r = CLI.run([flag])
            XCTAssertEqual(r.status, 0, flag)
            XCTAssertTrue(r.stdout.contains("SUBCOMMANDS:"), r.stdout)
            XCTAssertFalse(r.stdout.lowercased().contains("debug"), "caseload \(flag) lists a debug command:\n\(r.stdout)")
            XCTAssertFalse(r.stdout.lowercased().contains("bench"), "caseload \(flag) lists a bench command:\n\(r.stdout)")
        }
        let refused = CLI.run(["debug-append", "--count", "1"])
        XCTAssertEqual(refused.status, 64, "not a caseload command: \(refused.stderr)")
        let bench = CLI.run(["--help"], program: CLI.bench)
        XCTAssertEqual(bench.status, 0)
        for name in ["debug-append", "debug-first-frame", "debug-keystrokes", "debug-note-search", "debug-checksum"] {
            XCTAssertTrue(bench.stdout.contains(name), "caseload-bench --help lists \(name):\n\(bench.stdout)")
        }
    }
}
