import CaseloadTUI
import Foundation

/// Keystroke-to-frame times in milliseconds, written as a summary when the app exits. Holds
/// numbers only: nothing typed is ever recorded.
final class FrameTimes {
    let path: String
    private var times: [Double] = []

    init(path: String) { self.path = path }

    func record(_ ms: Double) { times.append(ms) }

    func write() {
        guard !times.isEmpty else { return }
        let sorted = times.sorted()
        let median = sorted[sorted.count / 2]
        let p95 = sorted[min(sorted.count - 1, sorted.count * 95 / 100)]
        let text = String(format: "frames %d median %.2f ms p95 %.2f ms worst %.2f ms\n", sorted.count, median, p95, sorted.last!)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
}
