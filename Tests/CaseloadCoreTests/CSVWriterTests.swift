import XCTest
import CaseloadCore

/// What the export writes, the import's reader reads back field for field; cells a spreadsheet
/// would misread are guarded or quoted.
final class CSVWriterTests: XCTestCase {
    func testEveryAwkwardFieldReadsBackAsWritten() throws {
        let row = ["Zoë Ó Súilleabháin", "says \"hello\", twice", "line one\nline two", "a\r\nb", "", "王小明 🙂", "plain"]
        var w = CSVWriter(header: ["a", "b", "c", "d", "e", "f", "g"])
        w.add(row)
        let records = try CSVReader.records(w.data).get()
        XCTAssertEqual(records.map(\.fields), [["a", "b", "c", "d", "e", "f", "g"], row])
        XCTAssertTrue(w.bytes.suffix(2) == [13, 10], "CRLF line ends")
    }

    func testFormulasAreGuardedAndPhoneNumbersQuotedButNumbersLeftAsNumbers() {
        var w = CSVWriter(header: ["x"])
        for f in ["=HYPERLINK(\"x\")", "@SUM(A1)", "-12", "3.5", "07700 900123", "+44 7700 900123", "0", "-cmd"] { w.add([f]) }
        let lines = String(decoding: w.bytes, as: UTF8.self).components(separatedBy: "\r\n")
        XCTAssertEqual(lines, ["x", "\"'=HYPERLINK(\"\"x\"\")\"", "'@SUM(A1)", "-12", "3.5", "\"07700 900123\"", "\"+44 7700 900123\"", "0", "'-cmd", ""])
    }

    func testAByteOrderMarkOnlyWhenAskedAndTheHeaderIsNotGuarded() {
        XCTAssertEqual(Array(CSVWriter(header: ["=a"], bom: true).bytes), [0xEF, 0xBB, 0xBF] + Array("=a\r\n".utf8))
        XCTAssertEqual(Array(CSVWriter(header: ["a", "b"]).bytes), Array("a,b\r\n".utf8))
    }
}

final class UUIDTextTests: XCTestCase {
    func testTheLowerCaseFormIsFoundationsLowerCased() {
        var rng = SeededRandom(seed: 9)
        for u in [UUID(uuidString: "00000000-0000-0000-0000-000000000000")!, UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!] + (0..<200).map({ _ in rng.uuid() }) {
            XCTAssertEqual(u.lowercasedString, u.uuidString.lowercased())
        }
    }
}
