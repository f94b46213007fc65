import Foundation
import XCTest

/// The `caseload-bench` commands `scripts/bench` drives: they keep working, so the benchmark does not rot.
final class BenchCommandTests: CLITestCase {
    func testDebugKeystrokesTimesEveryScenario() throws {
        ok(["demo", "--patients", "30", "--as-of", asOf])
        let r = ok(["debug-keystrokes", "--as-of", asOf, "--rounds", "1"], program: CLI.bench)
        let timings = try XCTUnwrap(r.json as? [[String: Any]])
        XCTAssertEqual(timings.map { $0["scenario"] as? String }, ["list scroll", "filter typing", "open a patient", "all"])
        for t in timings {
            XCTAssertGreaterThan(t["keys"] as? Int ?? 0, 0)
            XCTAssertGreaterThan(t["medianMs"] as? Double ?? 0, 0)
        }
    }

    func testDebugAppendRecordsLatenciesAndCanBePaced() throws {
        initialise()
        let latencies = root.appendingPathComponent("latencies.txt").path
        let r = ok(["debug-append", "--count", "5", "--latencies", latencies], program: CLI.bench)
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("acked ") }.count, 5)
        let times = try String(contentsOfFile: latencies, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
        XCTAssertEqual(times.count, 5)
        XCTAssertTrue(times.allSatisfy { $0 > 0 })
        // Paced: one append per line on stdin, and it stops when stdin ends.
        let paced = ok(["debug-append", "--count", "5", "--paced"], stdin: "\n\n", program: CLI.bench)
        XCTAssertEqual(paced.stdout.split(separator: "\n").filter { $0.hasPrefix("acked ") }.count, 2)
        XCTAssertEqual(CLI.run(["verify"], dataDir: data).status, 0)
    }

    func testDebugNoteSearchFindsTheSameBothWays() throws {
        ok(["demo", "--patients", "30", "--as-of", asOf])
        let r = try XCTUnwrap(ok(["debug-note-search", "--as-of", asOf, "--words", "garden,walking", "--plain-words", "garden,walking"], program: CLI.bench).json as? [String: Any])
        XCTAssertEqual(r["agree"] as? Bool, true)
        XCTAssertEqual(r["keys"] as? Int, 5 + 6, "each prefix of two letters or more is a key")
        XCTAssertEqual(r["plainKeys"] as? Int, 11)
        XCTAssertGreaterThan(r["mostHits"] as? Int ?? 0, 0)
        XCTAssertGreaterThan(r["notes"] as? Int ?? 0, 30)
    }

    func testDebugChecksumAgrees() throws {
        // It reads no caseload, so it takes no --data-dir.
        let run = CLI.run(["debug-checksum", "--megabytes", "2", "--rounds", "2"], program: CLI.bench)
        XCTAssertEqual(run.status, 0, run.stderr)
        let r = try XCTUnwrap(run.json as? [String: Any])
        XCTAssertEqual(r["agree"] as? Bool, true)
        XCTAssertGreaterThan(r["softwareMs"] as? Double ?? 0, 0)
        XCTAssertEqual(CLI.run(["debug-checksum", "--megabytes", "0"], program: CLI.bench).status, 64)
    }
}

/// `overdue` reads followups.idx when it still matches the journals and opens the caseload
/// otherwise: the output is the same either way, and a change in between is never missed.
final class OverdueIndexCLITests: CLITestCase {
    func testOverdueIsTheSameFromTheIndexAndAfterAnyChange() throws {
        ok(["demo", "--patients", "60", "--as-of", asOf])
        let index = data.appendingPathComponent("followups.idx")
        try? FileManager.default.removeItem(at: index)
        let opened = ok(["overdue", "--json", "--as-of", asOf]).stdout
        XCTAssertTrue(FileManager.default.fileExists(atPath: index.path), "the first overdue writes it")
        XCTAssertEqual(ok(["overdue", "--json", "--as-of", asOf]).stdout, opened)
        let text = ok(["overdue", "--as-of", asOf]).stdout
        try FileManager.default.removeItem(at: index)
        XCTAssertEqual(ok(["overdue", "--as-of", asOf]).stdout, text, "the table too")
        let items = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(opened.utf8)) as? [[String: Any]])
        XCTAssertFalse(items.isEmpty)
        let worker = try XCTUnwrap(items[0]["worker"] as? String)
        let mine = ok(["overdue", "--json", "--as-of", asOf, "--worker", worker]).stdout
        try FileManager.default.removeItem(at: index)
        XCTAssertEqual(ok(["overdue", "--json", "--as-of", asOf, "--worker", worker]).stdout, mine)
        XCTAssertFalse(jsonArray(["overdue", "--as-of", asOf, "--worker", worker]).isEmpty)

        // The most overdue is done: the next overdue leaves it out whichever way it answers.
        let first = try XCTUnwrap(items[0]["followupId"] as? String)
        ok(["followup", "done", first, "--as-of", asOf])
        let after = jsonArray(["overdue", "--as-of", asOf])
        XCTAssertEqual(after.count, items.count - 1)
        XCTAssertFalse(after.contains { $0["followupId"] as? String == first })
        try FileManager.default.removeItem(at: index)
        XCTAssertEqual(jsonArray(["overdue", "--as-of", asOf]).map { $0["followupId"] as? String }, after.map { $0["followupId"] as? String })
        let mode = try FileManager.default.attributesOfItem(atPath: index.path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
    }
}
