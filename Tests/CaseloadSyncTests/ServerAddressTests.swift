import XCTest
@testable import CaseloadSync

/// Checking a server URL before connecting: libpq's own parser, and no password anywhere.
final class ServerAddressTests: XCTestCase {
    override func setUpWithError() throws {
        if case .failure(let error) = LibPQ.shared {
            if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("\(error)") }
            throw XCTSkip("\(error)")
        }
    }

    func testAURLWithAPasswordIsRefusedInEitherForm() {
        for url in ["postgresql://amira:s3cret@db.example.org/caseload", "postgresql://amira@db.example.org/caseload?password=s3cret",
                    "host=db.example.org user=amira password=s3cret dbname=caseload"] {
            XCTAssertThrowsError(try ServerAddress(url: url), url) { error in
                XCTAssertEqual(error as? PostgresError, .passwordInURL)
                XCTAssertFalse("\(error)".contains("s3cret"))
            }
        }
    }

    func testAURLWithoutAPasswordIsKeptAsGiven() throws {
        let url = "postgresql://amira@db.example.org:5433/caseload?sslmode=require"
        XCTAssertEqual(try ServerAddress(url: url).url, url)
        XCTAssertNil(try ServerAddress(url: "  ").url, "blank means libpq's PG* variables")
        XCTAssertNil(try ServerAddress(url: nil).url)
    }

    func testAMalformedURLIsReportedWithoutItsSecret() {
        XCTAssertThrowsError(try ServerAddress(url: "postgresql://amira:s3cret@[db/caseload")) { error in
            guard case PostgresError.badURL = error else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains("s3cret"), "\(error)")
        }
    }

    func testMessagesAreOneLineAndNeverHoldPGPASSWORD() {
        XCTAssertEqual(PostgresError.oneLine("connection failed:\n  FATAL:  no\n"), "connection failed:; FATAL:  no")
        XCTAssertEqual(ServerAddress.scrub("password was hunter22 here", url: nil, environment: ["PGPASSWORD": "hunter22"]), "password was *** here")
    }
}
