import CaseloadCore
import CaseloadJournal
import Foundation
import XCTest

/// `report --json` on the 10,000-person demo. A benchmark, not a timed test: it runs only
/// with CASELOAD_BENCH=1 (`CASELOAD_BENCH=1 swift test -c release --filter ReportBenchmark`)
/// and prints the report computation and the whole command separately, since opening the
/// journal is most of the command's time.
final class ReportBenchmark: CLITestCase {
    func testReportJSONOn10000Patients() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["CASELOAD_BENCH"] == nil, "set CASELOAD_BENCH=1 to run")
        ok(["demo", "--patients", "10000", "--as-of", asOf])
        func ms(_ since: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - since) / 1_000_000 }

        var t = DispatchTime.now().uptimeNanoseconds
        let store = try CaseloadStore.open(dataDirectory: data, mode: .readOnly)
        let openMs = ms(t)
        let options = ReportOptions(asOf: Day(asOf)!)
        var makeTimes: [Double] = [], encodeTimes: [Double] = []
        var bytes = 0
        for _ in 0..<5 {
            t = DispatchTime.now().uptimeNanoseconds
            let report = CaseloadReport.make(state: store.state, period: nil, options: options)
            makeTimes.append(ms(t))
            t = DispatchTime.now().uptimeNanoseconds
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            bytes = try encoder.encode(report).count
            encodeTimes.append(ms(t))
        }
        var commandTimes: [Double] = []
        for _ in 0..<3 {
            t = DispatchTime.now().uptimeNanoseconds
            let r = ok(["report", "--json", "--as-of", asOf])
            commandTimes.append(ms(t))
            XCTAssertNotNil(r.json)
        }
        let quarter = ["--from", "2026-07-01", "--to", "2026-09-30"]
        t = DispatchTime.now().uptimeNanoseconds
        ok(["report", "--json", "--as-of", asOf] + quarter)
        let quarterMs = ms(t)
        print(String(format: "open the journal (%d events): %.0f ms", store.state.eventCount, openMs))
        print(String(format: "CaseloadReport.make, whole history: median %.1f ms (min %.1f) over 5", makeTimes.sorted()[2], makeTimes.min()!))
        print(String(format: "encode the report as JSON (%d bytes): median %.1f ms", bytes, encodeTimes.sorted()[2]))
        print(String(format: "caseload report --json, whole command: median %.0f ms (min %.0f) over 3; one quarter: %.0f ms",
                     commandTimes.sorted()[1], commandTimes.min()!, quarterMs))
    }
}
