import XCTest
@testable import CaseloadCore

/// The limits are checked by generated code (`Generated/Schema+Limits.swift`): every text
/// field of every body type the demo writes, made one byte too long, is refused naming that field.
final class RecordLimitsFieldTests: XCTestCase {
    func testEveryTextFieldOfEveryBodyIsCheckedAgainstItsLimit() throws {
        let events = DemoCaseload.events(patients: 40, seed: 7, asOf: Day("2026-11-23")!, device: UUID())
        var checked = Set<String>()
        var types = Set<String>()
        for e in events {
            // The first event of each type: the fields a type has are the same in all of them.
            guard types.insert(e.body.type).inserted else { continue }
            XCTAssertNil(RecordLimits.problem(in: e), "\(e.body.type) as the demo writes it is within the limits")
            let record = try JSONSerialization.jsonObject(with: FastEventEncoder.encode(e)) as! [String: Any]
            let body = record["body"] as! [String: Any]
            for (key, value) in body where value is String && !(key.hasSuffix("Id") || key == "basedOn" || key == "nhsNumber") {
                guard UUID(uuidString: value as! String) == nil, Day(value as! String) == nil else { continue }
                let limit = RecordLimits.longTextFields.contains(key) ? RecordLimits.maxLongText : RecordLimits.maxShortText
                var long = record
                var b = body
                b[key] = String(repeating: "x", count: limit + 1)
                long["body"] = b
                // A vocabulary (a kind, a status) refuses any text it does not know: no limit to check.
                guard let changed = try? Event.decode(JSONSerialization.data(withJSONObject: long)) else { continue }
                let problem = RecordLimits.problem(in: changed)
                XCTAssertNotNil(problem, "\(e.body.type).\(key) one byte over its limit was not refused")
                XCTAssertTrue(problem?.contains(key) ?? false, "\(problem ?? "")")
                checked.insert("\(e.body.type).\(key)")
            }
        }
        XCTAssertGreaterThan(checked.count, 15, "\(checked.sorted())")
    }
}
