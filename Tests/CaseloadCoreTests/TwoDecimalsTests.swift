import CaseloadCore
import Foundation
import XCTest

/// `TwoDecimals.text` is the formatter's `%.2f` byte for byte: exports and reports written
/// before it read the same.
final class TwoDecimalsTests: XCTestCase {
    func formatted(_ x: Double) -> String { String(format: "%.2f", x) }

    func testEveryThousandthAcrossTheScoresRangeIsTheFormattersSpelling() {
        // Every SWEMWBS metric score, change and mean a report shows lies well inside this.
        for i in -200_000...200_000 {
            let x = Double(i) / 1000
            XCTAssertEqual(TwoDecimals.text(x), formatted(x), "\(i) / 1000")
        }
    }

    func testTiesNegativeZeroAndTheEdgesAreTheFormattersSpelling() {
        let awkward: [Double] = [0, -0.0, 0.005, -0.005, 0.004999, -0.0049, 0.125, 0.375, 2.675, 1.005, 1.015, 1.025, 10.125,
                                 -2.675, 0.995, 9.995, 99.995, 1e-300, -1e-300, 9_999_999.995, 9_999_999.994, 10_000_000,
                                 1e15, -1e20, .greatestFiniteMagnitude, .infinity, -.infinity, .nan, 1.0 / 3, -2.0 / 3]
        for x in awkward { XCTAssertEqual(TwoDecimals.text(x), formatted(x), "\(x)") }
    }

    func testRandomDoublesAreTheFormattersSpelling() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<200_000 {
            let x = Double.random(in: -20_000_000...20_000_000, using: &rng) / Double([1, 10, 100, 1000, 1e6].randomElement(using: &rng)!)
            XCTAssertEqual(TwoDecimals.text(x), formatted(x), "\(x)")
        }
    }
}
