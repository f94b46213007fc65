import Foundation
import XCTest

/// The command line reads a measure's change with the same rule and words as the app's goals
/// panel (SnapshotTests, ReportsScreenTests): the arrow shows better or worse, never the sign.
final class MeasureWordsCommandTests: CLITestCase {
    func testPatientShowAndTheReportSayBetterMeaningfulForAFallInLoneliness() {
        initialise()
        let id = jsonObject(["patient", "add", "--name", "Ann Example", "--source", "gp", "--reason", "loneliness",
                             "--referral-date", "2026-08-01", "--as-of", asOf])["id"] as! String
        for (instrument, answers, day) in [("swemwbs", "3,3,2,3,2,3,2", "2026-08-05"), ("swemwbs", "3,3,3,3,2,3,2", "2026-10-05"),
                                           ("ucla3", "3,3,3", "2026-08-05"), ("ucla3", "2,2,3", "2026-10-05")] {
            ok(["measure", "add", id, "--instrument", instrument, "--answers", answers, "--date", day, "--as-of", asOf])
        }
        let show = ok(["patient", "show", id, "--as-of", asOf]).stdout
        XCTAssertTrue(show.contains("total 9 → latest 2026-10-05 total 7 (▲ -2 better, meaningful)"), "lower loneliness is better:\n\(show)")
        XCTAssertTrue(show.contains("metric 17.98 (raw 19) (▲ +0.55 no meaningful change)"), "under the 3-point threshold:\n\(show)")

        let report = ok(["report", "--as-of", asOf]).stdout
        XCTAssertTrue(report.contains("threshold  better, meaningful  no meaningful change  worse"), report)
        let row = { (name: String) in report.split(separator: "\n").last { $0.hasPrefix(name) }.map(String.init) ?? "" }
        XCTAssertTrue(row("UCLA-3 loneliness").hasSuffix("1          1 of 1              0 of 1                0 of 1"), row("UCLA-3 loneliness"))
        XCTAssertTrue(row("SWEMWBS (metric)").hasSuffix("3          0 of 1              1 of 1                0 of 1"), row("SWEMWBS (metric)"))
    }
}
