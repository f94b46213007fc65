import Foundation
import XCTest

/// The snapshot cache seen from the command line: it appears after a large open, answers
/// are the same with it, without it and with a damaged one, and the benchmark hook reports.
final class SnapshotCLITests: CLITestCase {
    var snapshot: URL { data.appendingPathComponent("snapshot.bin") }

    func testAnswersAreTheSameWithTheSnapshotWithoutItAndWithADamagedOne() throws {
        ok(["demo", "--patients", "60", "--seed", "5", "--as-of", asOf])
        let overdue = ["overdue", "--json", "--as-of", asOf]
        let first = ok(overdue)
        XCTAssertTrue(FileManager.default.fileExists(atPath: snapshot.path), "a large caseload leaves a snapshot")
        let mode = try FileManager.default.attributesOfItem(atPath: snapshot.path)[.posixPermissions] as! Int
        XCTAssertEqual(mode & 0o777, 0o600)
        XCTAssertEqual(ok(overdue).stdout, first.stdout)

        var bytes = try Data(contentsOf: snapshot)
        bytes[bytes.count / 3] ^= 0xFF
        try bytes.write(to: snapshot)
        let damaged = ok(overdue)
        XCTAssertEqual(damaged.stdout, first.stdout)
        XCTAssertEqual(damaged.stderr, "", "a damaged cache is rebuilt quietly")

        try FileManager.default.removeItem(at: snapshot)
        XCTAssertEqual(ok(overdue).stdout, first.stdout)
        ok(["patient", "list", "--json"])
        XCTAssertEqual(ok(["verify"]).status, 0)
    }

    func testDebugFirstFrameReportsTimesMemoryAndEvents() throws {
        ok(["demo", "--patients", "30", "--as-of", asOf])
        let report = jsonObject(["debug-first-frame", "--size", "100x30", "--as-of", asOf], program: CLI.bench)
        for key in ["openMs", "firstFrameMs", "totalMs", "residentMB", "peakResidentMB"] {
            XCTAssertNotNil(report[key] as? Double, key)
        }
        XCTAssertGreaterThan(report["events"] as? Int ?? 0, 500)
        let bad = CLI.run(["debug-first-frame", "--size", "wide"], dataDir: data, program: CLI.bench)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("WIDTHxHEIGHT"), bad.stderr)
    }
}
