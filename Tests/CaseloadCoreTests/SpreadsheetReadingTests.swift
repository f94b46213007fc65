import CaseloadCore
import Foundation
import XCTest

/// The CSV reader and date parser the importers share: what Excel writes is read exactly, and
/// anything else is refused with the line it went wrong on.
final class SpreadsheetReadingTests: XCTestCase {
    func records(_ s: String) -> [[String]] {
        guard case .success(let r) = CSVReader.records(Data(s.utf8)) else { XCTFail("did not parse: \(s)"); return [] }
        return r.map(\.fields)
    }

    func problem(_ bytes: Data) -> CSVProblem? {
        if case .failure(let p) = CSVReader.records(bytes) { return p }
        return nil
    }

    func testQuotedFieldsCRLFAndBOM() {
        XCTAssertEqual(records("\u{FEFF}a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",\r\n"),
                       [["a", "b"], ["x, y", "say \"hi\""], ["two\r\nlines", ""]])
        XCTAssertEqual(records("a,b\n1,2"), [["a", "b"], ["1", "2"]], "LF and no final line end")
        XCTAssertEqual(records("a,b\r\n,\r\n1,2\r\n\r\n"), [["a", "b"], ["1", "2"]], "blank rows are dropped")
        XCTAssertEqual(records("a\r\n\"\"\r\n"), [["a"]], "a row of one empty quoted field is blank")
        XCTAssertEqual(records("name\r\nZoë 王小明 🙂\r\n"), [["name"], ["Zoë 王小明 🙂"]])
    }

    func testRecordsKnowTheLineTheyStartOn() throws {
        let r = try CSVReader.records(Data("h1,h2\r\n\"a\nb\nc\",1\r\nnext,2\r\n".utf8)).get()
        XCTAssertEqual(r.map(\.line), [1, 2, 5])
    }

    func testBrokenQuotingSaysWhere() {
        XCTAssertEqual(problem(Data("a,b\r\n1,\"open\r\n2,3\r\n".utf8)), .unclosedQuote(line: 2))
        XCTAssertEqual(problem(Data("a,b\r\n1,2\r\n\"x\"y,3\r\n".utf8)), .textAfterClosingQuote(line: 3))
        XCTAssertEqual(problem(Data("a,b\r\n1,x\"y\r\n".utf8)), .quoteInsideField(line: 2))
        XCTAssertEqual(problem(Data("a,b\r\n1,2,3\r\n".utf8)), .fieldCount(line: 2, found: 3, expected: 2))
    }

    func testEncodingsThatAreNotUTF8() {
        var win = Data("name\r\nAnn\r\nJos".utf8)
        win.append(0xE9)  // é in Windows-1252
        XCTAssertEqual(problem(win), .notUTF8(line: 3))
        XCTAssertTrue(CSVProblem.notUTF8(line: 3).description.contains("CSV UTF-8"))
        XCTAssertEqual(problem(Data([0xFF, 0xFE, 0x61, 0x00])), .utf16)
        XCTAssertEqual(problem(Data([0x50, 0x4B, 0x03, 0x04, 0x00])), .binary)
        XCTAssertEqual(problem(Data("\r\n  \r\n".utf8)), .empty)
    }

    func testDates() {
        func day(_ s: String) -> String? { try? SpreadsheetDate.parse(s).get().description }
        XCTAssertEqual(day("2026-11-23"), "2026-11-23")
        XCTAssertEqual(day("23/11/2026"), "2026-11-23")
        XCTAssertEqual(day("3/4/2026"), "2026-04-03", "UK: day first")
        XCTAssertEqual(day("23/11/2026 00:00"), "2026-11-23", "Excel's midnight time is ignored")
        XCTAssertEqual(day("2026-11-23T10:00:00Z"), "2026-11-23")
        XCTAssertNil(day("11/23/2026"))
        XCTAssertTrue(String(describing: SpreadsheetDate.parse("11/23/2026")).contains("US month/day"))
        XCTAssertNil(day("29/02/2026"), "not a leap year")
        XCTAssertNil(day("23/11/26"))
        XCTAssertNil(day("2026-02-30"))
        XCTAssertNil(day("yesterday"))
    }
}
