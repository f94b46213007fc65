import Foundation
import XCTest
@testable import CaseloadCore

/// `overdue --json` is written by hand; it must be exactly what JSONEncoder wrote.
final class OverdueJSONTextTests: XCTestCase {
    /// The command's record (`OverdueJSON` in Sources/caseload/JSONRecords.swift), field for field.
    struct Record: Encodable {
        var followupId: String
        var patientId: String
        var patientName: String
        var worker: String
        var due: Day
        var daysOverdue: Int
        var reason: String?
        init(_ o: OverdueItem) {
            followupId = o.followupId.uuidString.lowercased(); patientId = o.patientId.uuidString.lowercased()
            patientName = o.patientName; worker = o.worker; due = o.due; daysOverdue = o.daysOverdue; reason = o.reason
        }
    }

    func encoded(_ items: [OverdueItem]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(items.map(Record.init))) + [0x0A]
    }

    func testTheSameBytesAsJSONEncoder() throws {
        XCTAssertEqual(OverdueJSONText.render([]), try encoded([]))
        var rng = SeededRandom(seed: 3)
        let pieces = ["a", "Zoë", "\"", "\\", "/", "\n", "\r", "\t", "\u{8}", "\u{C}", "\u{1}", "\u{1F}", "\u{7F}", "\u{2028}", "王", "👨‍👩‍👧", " ", "e\u{301}", ""]
        func text() -> String { (0..<rng.int(0...12)).map { _ in rng.pick(pieces) }.joined() }
        for round in 0..<60 {
            let items = (0..<rng.int(1...8)).map { _ in
                OverdueItem(followupId: rng.uuid(), patientId: rng.uuid(), patientName: text(), worker: rng.chance(0.2) ? "" : text(),
                            due: Day(ordinal: rng.int(Day.earliest.ordinal...Day.latest.ordinal)), daysOverdue: rng.int(-5...100_000),
                            reason: rng.chance(0.3) ? nil : text())
            }
            XCTAssertEqual(OverdueJSONText.render(items), try encoded(items), "round \(round)")
        }
    }

    /// `Day.description` is written by hand too: the formatter's `%04d-%02d-%02d` on every day
    /// of recent centuries and at the ends of the range.
    func testDayDescriptionIsTheFormattersSpelling() {
        func formatted(_ d: Day) -> String { let c = d.components; return String(format: "%04d-%02d-%02d", c.year, c.month, c.day) }
        let from = Day("1890-01-01")!.ordinal, to = Day("2110-12-31")!.ordinal
        for o in stride(from: from, through: to, by: 1) { XCTAssertEqual(Day(ordinal: o).description, formatted(Day(ordinal: o))) }
        for d in [Day.earliest, Day.latest, Day.earliest.adding(days: -1), Day.latest.adding(days: 1), Day(ordinal: -800_000), Day(ordinal: 0)] {
            XCTAssertEqual(d.description, formatted(d))
        }
        XCTAssertEqual(Day.earliest.description, "0001-01-01")
    }
}
