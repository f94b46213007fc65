@testable import CaseloadCore
import XCTest

/// One rule per instrument for which way is better and what change is meaningful.
final class MeasureChangeTests: XCTestCase {
    func testLowerIsBetterForAnxietyAndLonelinessAndTheArrowShowsWellbeingNotTheSign() {
        let anxiety = MeasureChange(measure: .anxiety, baseline: 6, latest: 3)
        XCTAssertEqual(anxiety.change, -3)
        XCTAssertEqual(anxiety.verdict, .better)
        XCTAssertEqual(anxiety.text, "▲ -3 better, meaningful")
        let lonelier = MeasureChange(measure: .ucla3, baseline: 5, latest: 7)
        XCTAssertEqual(lonelier.text, "▼ +2 worse")
        let happier = MeasureChange(measure: .happiness, baseline: 4, latest: 8)
        XCTAssertEqual(happier.text, "▲ +4 better, meaningful")
    }

    func testSWEMWBSNeedsThreeMetricPointsAndFloatingPointNoiseNeverCrossesIt() {
        XCTAssertEqual(MeasureChange(measure: .swemwbs, baseline: 17.43, latest: 21.54).text, "▲ +4.11 better, meaningful")
        XCTAssertEqual(MeasureChange(measure: .swemwbs, baseline: 17.43, latest: 19.25).text, "▲ +1.82 no meaningful change")
        // 20.43 − 17.43 is 2.9999999999999982 in binary floating point: still exactly 3.
        XCTAssertEqual(MeasureChange(measure: .swemwbs, baseline: 17.43, latest: 20.43).verdict, .better)
        XCTAssertEqual(MeasureChange(measure: .swemwbs, baseline: 20.43, latest: 17.43).verdict, .worse)
        XCTAssertEqual(MeasureChange(measure: .swemwbs, baseline: 19.98, latest: 19.98).text, "= +0.00 no meaningful change")
    }

    func testEachONS4ItemIsReadOnItsOwn() {
        let s = MeasureSummary(instrument: .ons4,
                               baseline: Measure(id: UUID(), patientId: UUID(), instrument: .ons4, answers: [4, 5, 5, 7], date: Day("2026-08-01")!),
                               latest: Measure(id: UUID(), patientId: UUID(), instrument: .ons4, answers: [6, 5, 4, 3], date: Day("2026-10-01")!),
                               count: 2)
        XCTAssertEqual(s.changes().map(\.measure), [.lifeSatisfaction, .worthwhile, .happiness, .anxiety])
        XCTAssertEqual(s.changes().map(\.verdict), [.better, .noMeaningfulChange, .worse, .better])
    }

    /// The report counts with the same rule, so its words match each person's screens.
    func testTheReportCountsWithTheSameRule() {
        let values: [(baseline: Double, followUp: Double?)] = [(17.43, 21.54), (17.43, 20.43), (17.43, 19.25), (21.54, 17.43), (18.0, nil)]
        let o = CaseloadReport.outcome(.swemwbs, values: values, referred: 5, threshold: ReportOptions.defaultSwemwbsThreshold)
        let each = values.compactMap { v in v.followUp.map { MeasureChange(measure: .swemwbs, baseline: v.baseline, latest: $0).verdict } }
        XCTAssertEqual(o.improved, each.filter { $0 == .better }.count)
        XCTAssertEqual(o.noMeaningfulChange, each.filter { $0 == .noMeaningfulChange }.count)
        XCTAssertEqual(o.worsened, each.filter { $0 == .worse }.count)
        XCTAssertEqual([o.improved, o.noMeaningfulChange, o.worsened], [2, 1, 1])
    }
}
