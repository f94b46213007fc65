import CaseloadCore
import XCTest

/// New ids come from a value in the state, so `update` stays a pure function.
final class IdSourceTests: XCTestCase {
    func testTheSameSeedGivesTheSameIdsAndEveryIdIsAVersion4UUID() {
        var a = IdSource(seed: 1, 2), b = IdSource(seed: 1, 2), other = IdSource(seed: 1, 3)
        var seen = Set<UUID>()
        for _ in 0..<100_000 {
            let id = a.next()
            XCTAssertEqual(id, b.next())
            XCTAssertTrue(seen.insert(id).inserted, "an id came twice")
            XCTAssertNotEqual(id, other.next())
            let s = id.uuidString
            XCTAssertEqual(Array(s)[14], "4", s)
            XCTAssertTrue("89AB".contains(Array(s)[19]), s)
        }
    }

    func testRandomSourcesDiffer() {
        var a = IdSource.random(), b = IdSource.random()
        XCTAssertNotEqual(a.next(), b.next())
    }
}
