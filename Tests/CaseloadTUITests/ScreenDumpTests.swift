@testable import CaseloadTUI
import XCTest

/// Prints screens, for looking at while developing (run with DUMP=1).
final class ScreenDumpTests: XCTestCase {
    func testDump() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["DUMP"] == nil)
        var s = Fixture.app()
        print(view(s).text)
        send(&s, .key(.char("G")), .key(.enter))
        print(view(s).text)
        send(&s, .key(.tab))
        print(view(s).text)
        send(&s, .key(.char("f")))
        print(view(s).text)
        var w = Fixture.app(width: 120, height: 40)
        print(view(w).text)
        type(&w, "/oka")
        send(&w, .key(.enter), .key(.enter))
        print(view(w).text)
        send(&w, .key(.tab))
        print(view(w).text)
    }
}
import Foundation
