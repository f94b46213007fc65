import CaseloadCore
@testable import CaseloadTUI
import XCTest

/// Thousands of random keys, pastes and resizes, with every save carried out: nothing may
/// crash, and every frame must be the size of the terminal.
final class RandomKeysTests: XCTestCase {
    func testRandomInputNeverCrashes() {
        var rng = SeededRandom(seed: 42)
        let keys: [Key] = [.up, .down, .left, .right, .enter, .tab, .backTab, .escape, .backspace, .delete, .home, .end,
                           .pageUp, .pageDown, .ctrl("s"), .ctrl("z"), .ctrl("y"), .ctrl("w"), .alt("b"), .function(1)]
            + "abcdefgijklmnoprstuwxyzDGLMS/?<>1279 é王😀".map { .char($0) }
        for run in 0..<4 {
            var fx = Fixture.standard()
            var s = Fixture.app()
            var now = 0.0
            for _ in 0..<1500 {
                let msg: Msg
                switch rng.int(0...99) {
                case 0: msg = .resize(width: rng.int(0...130), height: rng.int(0...45))
                case 1: msg = .paste(rng.pick(["Zoë\nŁukasz", "王小明", "a\tb", "\n\n"]))
                case 2...6:
                    now += 0.7
                    msg = .tick(now: now)
                case 7:
                    let kinds: [MouseEvent.Kind] = [.click, .doubleClick, .wheelUp, .wheelDown]
                    msg = .mouse(MouseEvent(rng.pick(kinds), x: rng.int(-1...130), y: rng.int(-1...45)))
                default: msg = .key(rng.pick(keys))
                }
                for effect in update(&s, msg) {
                    switch effect {
                    case .quit: break
                    case .append: carryOut(&s, [effect], fixture: &fx)
                    case .undo(let ids, let description):
                        for id in ids { fx.add(.changeUndone(ChangeUndone(eventId: id))) }
                        _ = update(&s, .undone(state: fx.state, description: description))
                    case .openExternalEditor(let text, _): _ = update(&s, .externalEditorClosed(text: text + " edited"))
                    case .initialize: break
                    case .syncFolder, .syncPostgres: _ = update(&s, .syncFailed(message: "no folder in tests"))
                    case .writeFile: _ = update(&s, .fileWriteFailed(message: "no files in tests"))
                    case .rememberListView: break
                    case .checkPassphrase: _ = update(&s, .passphraseChecked(ok: false))
                    case .loadHistory(let id):
                        let lines = DetailHistory.entries(about: id, in: fx.events, state: fx.state).map(DetailHistory.line)
                        _ = update(&s, .historyLoaded(patientId: id, lines: lines))
                    }
                }
                let g = view(s)
                XCTAssertEqual(g.width, s.width, "run \(run)")
                XCTAssertEqual(g.height, s.height)
                XCTAssertFalse(s.routes.isEmpty)
            }
        }
    }
}
