import ArgumentParser
import CaseloadCommandLine
import CaseloadCore
import CaseloadJournal
import CaseloadTUI
import CaseloadTerminal
import Foundation

/// For benchmarks: opens the caseload as the app does and times each key of the
/// `KeystrokeScenarios` (update plus a full frame into the in-memory grid, no terminal).
/// Prints numbers only, never names or notes.
struct DebugKeystrokes: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "debug-keystrokes", abstract: "Time update plus a full frame for each key of the keystroke scenarios.")
    @OptionGroup var data: DataOptions
    @OptionGroup var asOf: AsOfOption
    @Option(help: "Screen size, WIDTHxHEIGHT.") var size = "120x40"
    @Option(help: "Times through every scenario.") var rounds = 3

    struct Timing: Encodable {
        var scenario: String
        var keys: Int
        var medianMs: Double
        var p95Ms: Double
        var worstMs: Double
    }

    func run() throws {
        let screen = try benchScreenSize(size, data: data)
        var options = TerminalAppOptions(dataDirectory: data.directory, asOf: asOf.asOf)
        options.codec = try Passphrase.codec(for: data.directory)
        let opened = try openApp(options)
        defer { opened.store?.close() }
        var state = opened.state
        _ = firstFrame(&state, width: screen.width, height: screen.height, now: ProcessInfo.processInfo.systemUptime)
        var all: [Double] = []
        var report: [Timing] = []
        for (name, keys) in KeystrokeScenarios.all {
            var times: [Double] = []
            for _ in 0..<max(1, rounds) { times += KeystrokeScenarios.time(&state, keys: keys) }
            all += times
            report.append(Self.timing(name, times))
        }
        report.append(Self.timing("all", all))
        try printJSON(report)
    }

    static func timing(_ name: String, _ times: [Double]) -> Timing {
        let s = times.sorted()
        return Timing(scenario: name, keys: s.count, medianMs: s[s.count / 2], p95Ms: s[min(s.count - 1, s.count * 95 / 100)], worstMs: s.last!)
    }
}

/// The debug commands' `--size WIDTHxHEIGHT`, checked along with the data folder they open.
func benchScreenSize(_ size: String, data: DataOptions) throws -> (width: Int, height: Int) {
    let parts = size.split(separator: "x").compactMap { Int($0) }
    guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw CLIError("--size is WIDTHxHEIGHT, e.g. 80x24, not '\(size)'") }
    guard DataDirectory.isInitialized(data.directory) else { throw CLIError(StoreError.notInitialized(data.directory.path).description) }
    return (parts[0], parts[1])
}
