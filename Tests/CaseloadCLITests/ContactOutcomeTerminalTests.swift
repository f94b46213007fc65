import Foundation
import XCTest

/// The real app at 80x24 in tmux: a missed contact keeps the case and its overdue follow-up, and
/// a risk recorded from the person's screen shows as a banner.
final class ContactOutcomeTerminalTests: TmuxTestCase {
    func appCommand() -> String {
        "exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TZ=Europe/London EDITOR=true \(CLI.binary.path) --demo --data-dir \(data.path) --as-of \(asOf)"
    }

    /// "24 overdue" from the header.
    func overdueCount(_ screen: String) -> Int? {
        let header = screen.split(separator: "\n").first.map(String.init) ?? ""
        guard let r = header.range(of: #"\d+ overdue"#, options: .regularExpression) else { return nil }
        return Int(header[r].split(separator: " ")[0])
    }

    func testADidNotAttendKeepsTheOverdueFollowupAndARiskShowsAsABanner() throws {
        tmux.start(appCommand())
        let before = overdueCount(tmux.waitFor("overdue", timeout: 60))
        XCTAssertNotNil(before)
        tmux.keys("Enter")
        tmux.waitFor("Referred")
        tmux.keys("n")
        tmux.waitFor("Outcome ‹attended›")
        tmux.keys("Tab", "Tab", "Tab", "Tab", "Right")
        tmux.waitFor("Outcome ‹did not attend›  a note is optional")
        tmux.keys("C-s")
        var screen = tmux.waitFor("The case and its follow-ups stay open.")
        XCTAssertTrue(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
        tmux.keys("n")
        screen = tmux.waitFor("Saved: did not attend")
        XCTAssertTrue(screen.contains("Missed · phone · did not attend"), screen)
        XCTAssertEqual(overdueCount(screen), before, "the follow-up is still overdue:\n\(screen)")

        tmux.keys("!")
        tmux.waitFor("Risks:")
        tmux.keys("Tab")
        tmux.type("dog at the flat")
        tmux.keys("C-s")
        screen = tmux.waitFor("Saved: risk recorded: lone working")
        XCTAssertTrue(screen.contains("! risk: lone working"), screen)
        tmux.keys("Tab")
        XCTAssertTrue(tmux.waitFor("[Goals & outcomes]").contains("! risk: lone working"))
    }
}
