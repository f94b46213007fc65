import CaseloadCore
import XCTest

/// The formula guard for CSV cells: only text that a spreadsheet would run, never a number.
final class SpreadsheetCellTests: XCTestCase {
    func testNumbersAndPhoneNumbersAreLeftAloneAndFormulasGuarded() {
        for n in ["0", "-0.33", "243", "3.27", "-12"] {
            XCTAssertTrue(SpreadsheetCell.isNumber(n), n)
            XCTAssertEqual(SpreadsheetCell.guarded(n), n, "a number stays a number")
        }
        for t in ["07700900123", "1.", ".5", "1e5", "--1", "", "-", "12 3"] { XCTAssertFalse(SpreadsheetCell.isNumber(t), t) }
        XCTAssertEqual(SpreadsheetCell.guarded("+44 20 7946 0000"), "+44 20 7946 0000", "a phone number gets no apostrophe")
        XCTAssertEqual(SpreadsheetCell.guarded("07700 900123"), "07700 900123")
        for f in ["=SUM(A1:A9)", "+44=1", "-5 stars", "@home", "+1", "\tx"] {
            XCTAssertEqual(SpreadsheetCell.guarded(f), "'" + f, "\(f) would run as a formula")
        }
    }
}
