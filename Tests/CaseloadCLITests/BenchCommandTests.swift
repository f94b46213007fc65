import Foundation
import XCTest

/// The hidden commands `scripts/bench` drives: they keep working, so the benchmark does not rot.
final class BenchCommandTests: CLITestCase {
    func testDebugKeystrokesTimesEveryScenario() throws {
        ok(["demo", "--patients", "30", "--as-of", asOf])
        let r = ok(["debug-keystrokes", "--as-of", asOf, "--rounds", "1"])
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
        let r = ok(["debug-append", "--count", "5", "--latencies", latencies])
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("acked ") }.count, 5)
        let times = try String(contentsOfFile: latencies, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }
        XCTAssertEqual(times.count, 5)
        XCTAssertTrue(times.allSatisfy { $0 > 0 })
        // Paced: one append per line on stdin, and it stops when stdin ends.
        let paced = ok(["debug-append", "--count", "5", "--paced"], stdin: "\n\n")
        XCTAssertEqual(paced.stdout.split(separator: "\n").filter { $0.hasPrefix("acked ") }.count, 2)
        XCTAssertEqual(CLI.run(["verify"], dataDir: data).status, 0)
    }
}
