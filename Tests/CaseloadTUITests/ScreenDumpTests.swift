@testable import CaseloadTUI
import Foundation
import XCTest

/// Prints screens, for looking at while developing (run with DUMP=1).
final class ScreenDumpTests: XCTestCase {
    func testDump() throws {
        try XCTSkipIf(ProcessInfo.processInfo.environment["DUMP"] == nil)
        var fx = Fixture.standard()
        var s = Fixture.app()
        send(&s, .key(.char("a")))
        type(&s, "Zoë Łukasz 王小明")
        send(&s, .key(.tab), .key(.tab))
        type(&s, "943 476 5918")
        send(&s, .key(.ctrl("s")))
        print(view(s).text)
        send(&s, .key(.escape))
        type(&s, "/okaf")
        send(&s, .key(.enter), .key(.enter), .key(.char("n")))
        type(&s, "Talked about the allotment. Siobhán's café 王 😀 ok")
        send(&s, .key(.enter), .key(.enter))
        type(&s, "Second paragraph.")
        print(view(s).text)
        let eff = send(&s, .key(.ctrl("s")))
        carryOut(&s, eff, fixture: &fx)
        print(view(s).text)
        send(&s, .key(.tab), .key(.char("m")), .key(.enter))
        type(&s, "4")
        print(view(s).text)
        send(&s, .key(.escape), .key(.char("t")))
        print(view(s).text)
        send(&s, .key(.char("s")))
        type(&s, "allot")
        print(view(s).text)
        send(&s, .key(.char("?")))
        print(view(s).text)
        send(&s, .resize(width: 30, height: 8))
        print(view(s).text)
    }
}
