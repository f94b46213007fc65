import CaseloadCore
@testable import CaseloadTUI
import Foundation
import XCTest

/// Keystroke-to-frame time (update + view) on a 10,000-patient demo caseload. A benchmark,
/// not a timed test: it runs only with CASELOAD_BENCH=1 and prints what it measured.
final class KeystrokeBenchmark: XCTestCase {
    func testKeystrokeToFrameOn10000Patients() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["CASELOAD_BENCH"] == nil, "set CASELOAD_BENCH=1 to run")
        let asOf = Day("2026-11-24")!
        let device = UUID()
        let items = DemoCaseload.generate(patients: 10_000, seed: 7, asOf: asOf)
        let events = items.enumerated().map { i, item in
            Event(id: item.id, device: device, seq: UInt64(i + 1), clock: item.clock, author: item.author, body: item.body)
        }
        let caseload = CaseloadState.fold(events)
        var state = AppState(caseload: caseload, workerId: DemoCaseload.workers[0].id, asOf: asOf, width: 120, height: 40)
        state.routes = [.patientList]

        func measure(_ label: String, _ keys: [Key]) -> Double {
            var times: [Double] = []
            for k in keys {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = update(&state, .key(k))
                let grid = view(state)
                let end = DispatchTime.now().uptimeNanoseconds
                XCTAssertEqual(grid.width, 120)
                times.append(Double(end - start) / 1_000_000)
            }
            times.sort()
            let median = times[times.count / 2], worst = times.last!
            print(String(format: "%@: median %.2f ms, worst %.2f ms over %d keys", label, median, worst, keys.count))
            return median
        }
        _ = measure("move down the list", Array(repeating: .down, count: 50))
        _ = measure("page down", Array(repeating: .pageDown, count: 20))
        _ = measure("type a filter", [.char("/")] + "wisniewski".map { .char($0) })
        _ = measure("erase the filter", Array(repeating: .backspace, count: 10))
        _ = measure("open and move in a patient", [.escape, .enter, .down, .down, .tab, .tab, .escape])
    }
}
