import Foundation

/// The key sequences the keystroke-to-frame benchmarks time (`KeystrokeBenchmark` and
/// `caseload-bench debug-keystrokes`, which `scripts/bench` runs): each key is one update and one
/// full view of the screen, the work the app does between a key arriving and curses drawing.
public enum KeystrokeScenarios {
    public static let all: [(name: String, keys: [Key])] = [
        ("list scroll", Array(repeating: .down, count: 50) + Array(repeating: .pageDown, count: 20)),
        ("filter typing", [.char("/")] + "wisniewski".map { .char($0) } + Array(repeating: .backspace, count: 10) + [.escape]),
        ("open a patient", Array([.enter, .down, .down, .tab, .tab, .escape, .down].repeated(8))),
    ]

    /// Milliseconds per key, from the key's update to the finished frame.
    public static func time(_ state: inout AppState, keys: [Key]) -> [Double] {
        var times: [Double] = []
        for k in keys {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = update(&state, .key(k))
            let grid = view(state)
            let end = DispatchTime.now().uptimeNanoseconds
            precondition(grid.width == state.width)
            times.append(Double(end - start) / 1_000_000)
        }
        return times
    }
}

private extension Array {
    func repeated(_ n: Int) -> [Element] { (0..<n).flatMap { _ in self } }
}
