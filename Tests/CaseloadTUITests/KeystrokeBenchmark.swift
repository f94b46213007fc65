import CaseloadCore
@testable import CaseloadTUI
import Foundation
import XCTest

/// Keystroke-to-frame time (update + view) on a 10,000-patient demo caseload. A benchmark,
/// not a timed test: it runs only with CASELOAD_BENCH=1 and prints what it measured.
/// `scripts/bench` times the same scenarios on the release binary (`caseload-bench debug-keystrokes`).
final class KeystrokeBenchmark: XCTestCase {
    func testKeystrokeToFrameOn10000Patients() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["CASELOAD_BENCH"] == nil, "set CASELOAD_BENCH=1 to run")
        let asOf = Day("2026-11-24")!
        let caseload = CaseloadState.fold(DemoCaseload.events(patients: 10_000, seed: 7, asOf: asOf, device: UUID()))
        var state = AppState(caseload: caseload, workerId: DemoCaseload.workers[0].id, asOf: asOf, width: 120, height: 40)
        state.routes = [.patientList]
        for (name, keys) in KeystrokeScenarios.all {
            let times = KeystrokeScenarios.time(&state, keys: keys).sorted()
            XCTAssertEqual(times.count, keys.count)
            print(String(format: "%@: median %.2f ms, worst %.2f ms over %d keys", name, times[times.count / 2], times.last!, keys.count))
        }
    }
}
