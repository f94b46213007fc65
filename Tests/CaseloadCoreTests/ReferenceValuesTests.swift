import XCTest
@testable import CaseloadCore

/// Scoring and validation against shared/reference/outcome-measures.md.
final class ReferenceValuesTests: XCTestCase {
    func testNHSNumberFromTheReferenceIsValidAndShownThreeThreeFour() throws {
        let n = try XCTUnwrap(NHSNumber("943 476 5919"))
        XCTAssertEqual(n.digits, "9434765919")
        XCTAssertEqual(n.formatted, "943 476 5919")
        XCTAssertEqual(NHSNumber("943-476-5919"), n)
        XCTAssertEqual(NHSNumber.checkDigit([9, 4, 3, 4, 7, 6, 5, 9, 1]), 9)
    }

    func testNHSNumberProblemsAreNamed() {
        XCTAssertEqual(NHSNumber.parse("943 476 5918").failure, .badCheckDigit)
        XCTAssertEqual(NHSNumber.parse("943 476 591").failure, .wrongLength(9))
        XCTAssertEqual(NHSNumber.parse("94347659190").failure, .wrongLength(11))
        XCTAssertEqual(NHSNumber.parse("943 476 59A9").failure, .notDigits)
        XCTAssertEqual(NHSNumber.parse("0000000000").failure, .allSameDigit)
        XCTAssertEqual(NHSNumber.parse("").failure, .wrongLength(0))
    }

    func testCheckDigitOfTenMeansNoValidNumber() {
        // 10*1 + 9*0 + ... chosen so that 11 - (sum mod 11) == 10.
        var found = false
        for a in 0...9 {
            let nine = [a, 0, 0, 0, 0, 0, 0, 0, 1]
            let sum = nine.enumerated().reduce(0) { $0 + $1.element * (10 - $1.offset) }
            if 11 - sum % 11 == 10 { XCTAssertNil(NHSNumber.checkDigit(nine)); found = true }
        }
        XCTAssertTrue(found)
    }

    func testSwemwbsMetricConversionTable() {
        let expected: [Int: Double] = [7: 7.00, 8: 9.51, 14: 15.32, 17: 16.88, 18: 17.43, 21: 19.25, 24: 21.54,
                                       27: 24.11, 30: 27.03, 33: 30.70, 34: 32.55, 35: 35.00]
        for (raw, metric) in expected { XCTAssertEqual(Swemwbs.metric(raw: raw), metric, "raw \(raw)") }
        XCTAssertEqual(Instrument.swemwbs.score([3, 3, 2, 3, 2, 3, 2]), .swemwbs(raw: 18, metric: 17.43))
        XCTAssertEqual(Instrument.swemwbs.score([4, 3, 3, 4, 3, 4, 3]), .swemwbs(raw: 24, metric: 21.54))
    }

    func testAnIncompleteOrOutOfRangeSwemwbsIsNeverScored() {
        XCTAssertNil(Instrument.swemwbs.score([3, 3, 3, 3, 3, 3]))
        XCTAssertEqual(Instrument.swemwbs.validate([3, 3, 3, 3, 3, 3]), .wrongCount(instrument: .swemwbs, expected: 7, got: 6))
        XCTAssertEqual(Instrument.swemwbs.validate([3, 3, 3, 6, 3, 3, 3]), .outOfRange(instrument: .swemwbs, item: 4, value: 6, range: 1...5))
        XCTAssertEqual(Instrument.swemwbs.validate([0, 3, 3, 3, 3, 3, 3]), .outOfRange(instrument: .swemwbs, item: 1, value: 0, range: 1...5))
    }

    func testOns4ItemsAreReportedSeparatelyWithOnsBands() {
        XCTAssertEqual(Instrument.ons4.score([7, 8, 5, 6]), .ons4(lifeSatisfaction: 7, worthwhile: 8, happiness: 5, anxiety: 6))
        XCTAssertNil(Instrument.ons4.score([7, 8, 5, 6])?.headline, "ONS4 is never summed")
        XCTAssertEqual((0...10).map { Ons4Band.positive($0) },
                       [.low, .low, .low, .low, .low, .medium, .medium, .high, .high, .veryHigh, .veryHigh])
        XCTAssertEqual((0...10).map { Ons4Band.anxiety($0) },
                       [.veryLow, .veryLow, .low, .low, .medium, .medium, .high, .high, .high, .high, .high])
        XCTAssertNotNil(Instrument.ons4.validate([11, 1, 1, 1]))
    }

    func testUcla3TotalIsTheSumOfThreeItems() {
        XCTAssertEqual(Instrument.ucla3.score([1, 1, 1]), .ucla3(total: 3))
        XCTAssertEqual(Instrument.ucla3.score([3, 3, 3]), .ucla3(total: 9))
        XCTAssertEqual(Instrument.ucla3.score([2, 3, 1]), .ucla3(total: 6))
        XCTAssertNotNil(Instrument.ucla3.validate([4, 1, 1]))
        XCTAssertEqual(Instrument.ucla3.items.count, 3)
        XCTAssertTrue(Instrument.ucla3.items[0].question.contains("companionship"))
    }

    func testDatesAreStrict() {
        XCTAssertNil(Day("2026-02-30"))
        XCTAssertNil(Day("2026-13-01"))
        XCTAssertNil(Day("2026-2-3"))
        XCTAssertNil(Day("23/11/2026"))
        XCTAssertNil(Day("2025-02-29"))
        XCTAssertNotNil(Day("2024-02-29"))
        XCTAssertEqual(Day("2026-11-23")?.description, "2026-11-23")
        XCTAssertEqual(Day("2026-11-23")!.adding(days: 8).description, "2026-12-01")
        XCTAssertEqual(Day("2027-01-01")!.days(since: Day("2026-12-25")!), 7)
        XCTAssertEqual(Day("2026-11-23")!.weekday, 0, "23 November 2026 is a Monday")
        XCTAssertEqual(Day("1950-06-15")!.age(on: Day("2026-06-14")!), 75)
        XCTAssertEqual(Day("1950-06-15")!.age(on: Day("2026-06-15")!), 76)
    }

    func testVocabulariesAcceptWhatPeopleType() {
        XCTAssertEqual(PatientStatus.parse("did-not-attend"), .didNotAttend)
        XCTAssertEqual(PatientStatus.parse("DNA"), .didNotAttend)
        XCTAssertEqual(PatientStatus.parse("unable to contact"), .unableToContact)
        XCTAssertEqual(SessionKind.parse("face to face"), .faceToFace)
        XCTAssertEqual(ReferralSource.parse("GP"), .gp)
        XCTAssertEqual(ReferralReason.parse("money/debt"), .moneyDebt)
        XCTAssertNil(ReferralReason.parse("gardening"))
    }
}

extension Result {
    var failure: Failure? { if case .failure(let f) = self { return f } else { return nil } }
}
