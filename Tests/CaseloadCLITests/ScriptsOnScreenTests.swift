import CaseloadText
import Foundation
import XCTest

/// Names in every script and emoji class the issue lists, as people are called.
let namesInEveryScript = [
    "नेहा शर्मा", "বাংলা রহিম", "தமிழ் செல்வி", "\u{1100}\u{1161}\u{11A8} 민준", "فاطمة الزهراء",
    "עברית כהן", "王小明", "Amy ❤️ ☺️ ✌️", "Key 1️⃣ #⃣ 🏳️‍🌈", "Tone 👍🏽 👋🏿", "Fam 👨‍👩‍👧‍👦 ok",
    "Flag 🏴󠁧󠁢󠁥󠁮󠁧󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿 🏴󠁧󠁢󠁷󠁬󠁳󠁿 🇬🇧",
]

/// What tmux itself shows and how wide it draws text printed straight to it: the reference the
/// app's screen is held to.
final class ScriptsOnScreenTests: TmuxTestCase {
    /// Prints each sample to tmux and reads the cursor column back: displayWidth must agree,
    /// cluster by cluster, or columns after the name would not line up.
    func testWidthsAreWhatTmuxDraws() throws {
        let samples = namesInEveryScript.flatMap { $0.split(separator: " ").map(String.init) }
        let script = root.appendingPathComponent("widths.sh")
        let out = root.appendingPathComponent("widths.txt")
        var lines = ["#!/bin/sh"]
        for sample in samples {
            let quoted = sample.replacingOccurrences(of: "'", with: "'\\''")
            lines.append("printf '\\r\\033[K%s' '\(quoted)'; sleep 0.15; tmux display-message -p '#{cursor_x}' >> '\(out.path)'")
        }
        lines.append("echo done; sleep 30")
        try lines.joined(separator: "\n").write(to: script, atomically: true, encoding: .utf8)
        tmux.start("exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 sh '\(script.path)'")
        tmux.waitFor("done", timeout: 30)
        let columns = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").map { Int($0) ?? -1 }
        XCTAssertEqual(columns.count, samples.count)
        for (sample, column) in zip(samples, columns) {
            XCTAssertEqual(displayWidth(of: sample), column, "\(sample) \(sample.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// The list is drawn over the help screen (text in every cell the names take): every name
    /// shows exactly as tmux shows it printed directly, nothing of the help shows through, and
    /// the status column starts in the same place on every row.
    func testEveryNameIsDrawnWholeOverAPreviousScreen() throws {
        initialise()
        for name in namesInEveryScript { ok(["patient", "add", "--name", name, "--as-of", asOf]) }
        let reference = referenceScreen(namesInEveryScript)

        tmux.start("exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color TZ=Europe/London \(CLI.binary.path) --data-dir \(data.path) --as-of \(asOf)")
        tmux.waitFor("yours: \(namesInEveryScript.count) ·", timeout: 60)
        tmux.keys("?")
        tmux.waitUntil("the help screen") { !$0.contains("referred") }
        tmux.keys("Escape")
        let screen = tmux.waitUntil("the list again") { $0.components(separatedBy: "referred").count > namesInEveryScript.count }
        let rows = screen.split(separator: "\n").map(String.init)
        guard let header = rows.first(where: { $0.contains("Status") }), let statusAt = header.range(of: "Status") else {
            return XCTFail("no list header:\n\(screen)")
        }
        let statusColumn = displayWidth(of: String(header[..<statusAt.lowerBound]))
        for (name, shown) in zip(namesInEveryScript, reference) {
            guard let row = rows.first(where: { $0.contains(shown) }) else {
                XCTFail("\(name) not drawn whole (tmux shows it as \(shown)):\n\(screen)"); continue
            }
            guard let nameEnd = row.range(of: shown), let status = row.range(of: "referred") else {
                XCTFail("no status on the row of \(name): \(row)"); continue
            }
            XCTAssertEqual(row[nameEnd.upperBound..<status.lowerBound].trimmingCharacters(in: .whitespaces), "",
                           "the previous screen shows through after \(name): \(row)")
            XCTAssertEqual(displayWidth(of: String(row[..<status.lowerBound])), statusColumn, "misaligned: \(row)")
        }
    }

    /// Each name as tmux holds it when printed straight to the terminal (tmux keeps at most
    /// 21 bytes a cell, so it cuts the longest ZWJ sequences and tag flags itself).
    private func referenceScreen(_ names: [String]) -> [String] {
        let file = root.appendingPathComponent("names.txt")
        try? (names.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let direct = Tmux()
        defer { direct.kill() }
        direct.start("exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 sh -c \"cat '\(file.path)'; echo printed; sleep 30\"")
        let screen = direct.waitFor("printed")
        let lines = screen.split(separator: "\n").map { String($0).trimmingTrailingSpaces() }
        return Array(lines.prefix(names.count))
    }
}

/// The command line's text tables measure names the same way: columns line up after them.
final class TextTableAlignmentTests: CLITestCase {
    func testPatientListColumnsLineUpAfterNamesInEveryScript() {
        initialise()
        for name in namesInEveryScript { ok(["patient", "add", "--name", name, "--as-of", asOf]) }
        let lines = ok(["patient", "list", "--as-of", asOf]).stdout.split(separator: "\n").map(String.init)
        guard let header = lines.first, let nhs = header.range(of: "NHS NUMBER") else { return XCTFail("no header") }
        let column = displayWidth(of: String(header[..<nhs.lowerBound]))
        for name in namesInEveryScript {
            guard let row = lines.first(where: { $0.contains(name) }) else { XCTFail("\(name) missing or cut"); continue }
            let afterName = row.range(of: name)!.upperBound
            let nhsStart = row[afterName...].firstIndex { $0 != " " }!
            XCTAssertEqual(displayWidth(of: String(row[..<nhsStart])), column, row)
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
