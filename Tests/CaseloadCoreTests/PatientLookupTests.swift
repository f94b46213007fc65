import XCTest
@testable import CaseloadCore

/// How every command finds the person it is given: id, NHS number, or a name or its start.
final class PatientLookupTests: XCTestCase {
    let day = Day("2026-11-23")!
    let rahimaBegum = UUID(uuidString: "11111111-0000-4000-8000-000000000001")!
    let rahimaKhan = UUID(uuidString: "22222222-0000-4000-8000-000000000002")!
    let annLee = UUID(uuidString: "33333333-0000-4000-8000-000000000003")!
    let annLeeming = UUID(uuidString: "44444444-0000-4000-8000-000000000004")!
    let zoe = UUID(uuidString: "55555555-0000-4000-8000-000000000005")!
    /// Its id starts "abed", as Abed Haddad's name does.
    let abedId = UUID(uuidString: "abed0000-0000-4000-8000-000000000006")!
    let abedHaddad = UUID(uuidString: "66666666-0000-4000-8000-000000000007")!

    lazy var state: CaseloadState = {
        var m = EventMaker()
        func referred(_ id: UUID, _ name: String, preferred: String? = nil, nhs: String? = nil) -> Event {
            m.make(.patientReferred(PatientReferred(patientId: id, name: name, preferredName: preferred, nhsNumber: nhs.flatMap(NHSNumber.init),
                                                    referral: Referral(date: day, source: .gp, reasons: []))))
        }
        return CaseloadState.fold([
            referred(rahimaBegum, "Rahima Begum", nhs: "943 476 5919"), referred(rahimaKhan, "Rahima  Khan"),
            referred(annLee, "Ann Lee"), referred(annLeeming, "Ann Leeming"),
            referred(zoe, "Zoë Łukasz", preferred: "Zo"), referred(abedId, "Mary Jones"), referred(abedHaddad, "Abed Haddad"),
        ])
    }()

    func found(_ key: String) -> UUID? { try? state.resolvePatient(key).get().id }

    func testAWholeNameOrItsUniqueStartFindsThePersonWhateverTheCaseAccentsOrSpaces() {
        XCTAssertEqual(found("Rahima Begum"), rahimaBegum)
        XCTAssertEqual(found("  rahima   KHAN "), rahimaKhan, "spaces repeated in the record or the key")
        XCTAssertEqual(found("zoe lukasz"), zoe)
        XCTAssertEqual(found("ZOË Ł"), zoe, "the start of a name")
        XCTAssertEqual(found("rahima b"), rahimaBegum)
        XCTAssertEqual(found("Zo"), zoe, "the preferred name")
        XCTAssertEqual(found("Ann Lee"), annLee, "a whole name wins over one that only starts with it")
        XCTAssertEqual(found("ann leem"), annLeeming)
    }

    func testIdsAndNHSNumbersStillComeFirst() {
        XCTAssertEqual(found("9434765919"), rahimaBegum)
        XCTAssertEqual(found("943 476 5919"), rahimaBegum)
        XCTAssertEqual(found("2222"), rahimaKhan)
        XCTAssertEqual(found(abedId.uuidString), abedId)
        XCTAssertEqual(found("abed0"), abedId, "a digit in the key: no one's name")
    }

    func testAShareNameOrStartIsRefusedWithTheIdsToGiveAndNoName() {
        guard case .failure(let same) = state.resolvePatient("rahima") else { return XCTFail("two Rahimas") }
        XCTAssertEqual(same.description, "2 patients' names start with that; give more of the name, the id or the NHS number (ids 11111111, 22222222)")
        guard case .failure(let start) = state.resolvePatient("ANN") else { return XCTFail("two Anns") }
        XCTAssertTrue(start.description.hasPrefix("2 patients' names start with that"), start.description)
        guard case .failure(let both) = state.resolvePatient("abed") else { return XCTFail("an id and a name") }
        XCTAssertEqual(both, .idOrName(kind: "patient"))
        for key in ["rahima", "ANN", "abed", "Nobody Here"] {
            guard case .failure(let e) = state.resolvePatient(key) else { return XCTFail(key) }
            XCTAssertFalse(e.description.lowercased().contains(key.lowercased()), "\(key): names stay off stderr: \(e)")
        }
    }

    func testOneLetterIsNotEnoughOfAName() {
        XCTAssertNil(found("z"))
        XCTAssertEqual(state.resolvePatient("z").failure, .noNameMatch(kind: "patient"))
        XCTAssertEqual(state.resolvePatient("ffffffff").failure, .notFound(kind: "patient", key: "ffffffff"), "an id-like key is answered as an id")
    }
}
