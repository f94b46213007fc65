import XCTest
@testable import CaseloadSync

final class SyncScaffoldTests: XCTestCase {
    func testModuleLinks() { _ = CaseloadSync.self }
}
